"""extractor: structured data from Chinese government budget and performance-target tables.

``extractor.parse(path)`` reads one file (PDF, .docx, HTML or pasted text) and returns a
``ParseResult`` (``parse(bytes)``, a binary file and ``pages=`` work too); ``extractor.to_frames(result)``
gives its datasets as pandas frames, ``extractor.dumps(result)`` its JSON, ``table.df`` a table's grid as a
frame, and ``extractor.read_dataset(folder)`` reads the CSV files of an export back as typed frames.
"""

__version__ = "0.1.0"

from extractor.errors import ExtractorError
from extractor.export import dumps, to_frames
from extractor.harvest.catalog_export import read_dataset
from extractor.limits import DEFAULT_LIMITS, Limits
from extractor.pipeline import parse
from extractor.records import ParseResult, Table

__all__ = [
    "DEFAULT_LIMITS",
    "ExtractorError",
    "Limits",
    "ParseResult",
    "Table",
    "__version__",
    "dumps",
    "parse",
    "read_dataset",
    "to_frames",
]
