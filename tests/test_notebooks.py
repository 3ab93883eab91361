"""The notebooks: stored without outputs, no functions or classes in cells, each runs clean top to bottom."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
IDS = [path.name for path in PATHS]
DEFINITION = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]", re.MULTILINE)

nbformat = pytest.importorskip("nbformat")


def test_the_three_notebooks_are_there() -> None:
    assert IDS == ["01_explore_report.ipynb", "02_compare_sections.ipynb", "03_your_corpus.ipynb"]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {index} has outputs; clear them before committing"
            assert cell.execution_count is None, f"{path.name}: cell {index} has an execution count"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_cells_define_no_functions_or_classes(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            found = DEFINITION.search(cell.source)
            assert found is None, (
                f"{path.name}: cell {index} defines {found.group().strip()!r}; helpers go in src/zhpolicy")


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_runs_clean(path: Path, tmp_path: Path) -> None:
    """Execute in memory (the committed file is never written), with the notebooks folder as working
    directory as JupyterLab uses; any error in a cell fails the test. Temporary folders the notebooks
    make (03 writes its lexicon and exports into one) land in pytest's tmp_path."""
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=300, allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    # Figures are drawn by the headless inline backend, as in JupyterLab.
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline",
           "PYDEVD_DISABLE_FILE_VALIDATION": "1", "TMPDIR": str(tmp_path)}
    client.execute(env=env)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    for index, cell in enumerate(code):
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}: code cell {index} failed"
            if output.output_type == "stream" and output.name == "stderr":
                pytest.fail(f"{path.name}: code cell {index} wrote to stderr: {output.text[:500]}")
    shown = [output for cell in code for output in cell.outputs
             if output.output_type in ("display_data", "execute_result")]
    assert any("image/png" in output.data for output in shown), f"{path.name}: shows no figure"
