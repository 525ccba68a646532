"""Errors a file can end with. Each carries the stable ``code`` written into the result.

Readers wrap third-party exceptions in one of these (``raise CorruptDocument(...) from exc``)
so that the pipeline can turn any failure of one file into a coded result and go on.
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class: a file could not be read, with a code and a message saying what to do."""

    code = "error"

    def __init__(self, message: str) -> None:
        if not message:
            raise ValueError("an ExtractorError needs a message")
        super().__init__(message)
        self.message = message


class UnsupportedFormat(ExtractorError):
    code = "unsupported_format"


class CorruptDocument(ExtractorError):
    code = "corrupt"


class EncryptedDocument(ExtractorError):
    code = "encrypted"


class NoTextLayer(ExtractorError):
    code = "no_text_layer"


class TooLarge(ExtractorError):
    code = "too_large"


class MissingDependency(ExtractorError):
    """An optional part is not installed; the message names the install command."""

    code = "missing_dependency"


class ConverterMissing(MissingDependency):
    """The program that converts a format for its reader (LibreOffice) is not installed."""

    code = "converter_missing"


class TimedOut(ExtractorError):
    """A step with a time limit (converting a document) did not finish within it."""

    code = "timeout"


class NotFound(ExtractorError):
    code = "not_found"


class UnsupportedSource(ExtractorError):
    """An input that is no document file: a device, a pipe or a socket (reading one may never
    end), or a URL where a path is expected."""

    code = "unsupported_source"
