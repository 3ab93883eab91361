"""The README's Python example runs as written."""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_python_api_example_runs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code, "no python block under '## Python API'"
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(code[1], "README.md", "exec"), namespace)
    analysis = namespace["analysis"]
    assert len(analysis.sections) == 10  # type: ignore[attr-defined]
    assert os.path.exists(ROOT / "corpus" / "tianning_2024_lianghui.md")
