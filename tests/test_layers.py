"""The package's layering holds: each step imports only the steps below it (import-linter's contract in
pyproject.toml, with no exceptions listed)."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_layers_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_lists_every_module_and_ignores_nothing() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = config["contracts"]
    assert contract["type"] == "layers" and contract.get("exhaustive") is True
    assert "ignore_imports" not in contract and "unmatched_ignore_imports_alerting" not in contract
    layers = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    package = ROOT / "src" / "zhpolicy"
    children = {path.stem for path in package.glob("*.py") if path.stem != "__init__"} | {
        path.name for path in package.iterdir() if (path / "__init__.py").exists()}
    assert children == layers
