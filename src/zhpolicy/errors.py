"""The exceptions zhpolicy raises for problems a user can fix: each message names the file and the problem."""
from __future__ import annotations

from typing import ClassVar

#: Exit code of the CLI for a file or folder that cannot be read, or results that cannot be written.
EXIT_INPUT_ERROR = 1
#: Exit code of the CLI for a wrong command line: a bad flag, or an output folder that cannot be used.
EXIT_USAGE_ERROR = 2


class ZhpolicyError(Exception):
    """Base class: a problem with the user's input or options, reported as one line by the CLI.

    ``exit_code`` is the CLI's exit code for the error: :data:`EXIT_INPUT_ERROR` unless a subclass
    says otherwise.
    """

    exit_code: ClassVar[int] = EXIT_INPUT_ERROR


class InputError(ZhpolicyError):
    """An input document is missing, empty, binary or cannot be decoded."""


class LexiconError(ZhpolicyError):
    """A lexicon file is missing or malformed."""


class OutputError(ZhpolicyError):
    """The output folder cannot be used (it is a file, cannot be created, is not writable, or lies inside
    the input): a usage error, found before anything is analysed."""

    exit_code: ClassVar[int] = EXIT_USAGE_ERROR


class WriteError(ZhpolicyError):
    """Writing the results failed (disk full, permission denied…); the previous results are left as they were."""
