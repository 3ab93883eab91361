"""``python -m zhpolicy``."""
import sys

from zhpolicy.cli import main

sys.exit(main())
