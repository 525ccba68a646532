"""extractor: structured data from Chinese government budget and performance-target tables.

``extractor.parse(path)`` reads one file (PDF, .docx, HTML or pasted text) and returns a
``ParseResult``; ``extractor.to_frames(result)`` gives its datasets as pandas frames and
``extractor.read_dataset(folder)`` reads the CSV files of an export back as typed frames.
"""

__version__ = "0.1.0"

from extractor.export import to_frames
from extractor.harvest.catalog_export import read_dataset
from extractor.pipeline import parse
from extractor.records import ParseResult

__all__ = ["ParseResult", "__version__", "parse", "read_dataset", "to_frames"]
