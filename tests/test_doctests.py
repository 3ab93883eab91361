"""The examples in the docstrings are run, so they stay true."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["documents", "sections", "slogans", "mining", "tokens", "stats"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"zhpolicy.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_doctests_exist() -> None:
    module = importlib.import_module("zhpolicy.slogans")
    assert doctest.DocTestFinder().find(module)
