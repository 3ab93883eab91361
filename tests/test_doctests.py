"""The examples in the docstrings of every module are run, so they stay true."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import zhpolicy

MODULES = sorted(info.name for info in pkgutil.walk_packages(zhpolicy.__path__, "zhpolicy.")
                 if not info.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_module_is_collected_and_examples_exist() -> None:
    assert {"zhpolicy.text.clean", "zhpolicy.slogans.detect", "zhpolicy.outputs.report", "zhpolicy.run.runner",
            "zhpolicy.figures.plots"} <= set(MODULES)
    examples = sum(len(test.examples) for name in MODULES
                   for test in doctest.DocTestFinder().find(importlib.import_module(name)))
    assert examples >= 10
