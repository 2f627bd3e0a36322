"""Errors raised by the extractor library.

- ``ExtractorError``: base class; the CLI turns it into a message and exit code 2.
- ``PatternError``: a data file under ``patterns/`` is malformed (file, line, why).
- ``InputError``: one input document cannot be read as text (empty, binary, ...);
  batch runs record it in ``documents.status`` and go on.
- ``GoldError``: a gold file is malformed (file, line, why).
"""


class ExtractorError(Exception):
    """Base class of every error the library raises on purpose."""


class PatternError(ExtractorError):
    """A rule or lexicon file under patterns/ is malformed."""


class InputError(ExtractorError):
    """One input document cannot be used; the message says why in plain words."""


class GoldError(ExtractorError):
    """A gold annotation file is malformed; the message names the file and line."""
