"""The version of zhpolicy (one place; the package's __init__ and the outputs read it)."""

__version__ = "0.1.0"
