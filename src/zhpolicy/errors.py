"""The exceptions zhpolicy raises for problems a user can fix: each message names the file and the problem."""
from __future__ import annotations


class ZhpolicyError(Exception):
    """Base class: a problem with the user's input or options, reported as one line by the CLI."""


class InputError(ZhpolicyError):
    """An input document is missing, empty, binary or cannot be decoded."""


class LexiconError(ZhpolicyError):
    """A lexicon file is missing or malformed."""


class OutputError(ZhpolicyError):
    """The output folder cannot be used (it is a file, not writable, or inside the input)."""
