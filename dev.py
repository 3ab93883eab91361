#!/usr/bin/env python3
"""Set up and run zhpolicy with nothing but Python 3.11+ and pip.

    python3 dev.py analyze   create .venv, install zhpolicy, analyse corpus/ into outputs/
    python3 dev.py test      create .venv, install zhpolicy with its test extras, run the tests

Extra arguments go to the command: `python3 dev.py analyze --no-images`, `python3 dev.py test -k slogans`.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
EXTRAS = {"analyze": "", "test": "[test]"}


def ensure_installed(extras: str) -> None:
    """Create .venv and install the project (editable) unless pyproject.toml is unchanged since last time."""
    stamp = VENV / f".installed{extras or '[]'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f".{extras}"])
    stamp.write_text(digest)


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    completed = subprocess.run(command, cwd=ROOT)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_installed(EXTRAS[command])
    env = {**os.environ, "MPLBACKEND": "Agg"}
    if command == "analyze":
        args = [str(PYTHON), "-m", "zhpolicy", "analyze", *(rest or ["corpus", "-o", "outputs"])]
    else:
        args = [str(PYTHON), "-m", "pytest", *rest]
    print("+", " ".join(args), flush=True)
    return subprocess.run(args, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
