"""extractor: structured data from Chinese government budget and performance-target tables.

``extractor.parse(source)`` reads one file and returns a ``ParseResult``; ``source`` is a path,
bytes or a binary file, and ``pages=`` keeps the tables of some pages. The format is told by
content, whatever the name says: PDF (pdf), Word (docx; doc and rtf through LibreOffice), HTML
(html), Excel (xlsx, xls), pasted tab-separated text (txt) and scans: PDF pages without a text
layer and images (image: PNG, JPEG, TIFF) are read by OCR where the ``ocr`` extra is installed
(``ocr=`` auto, off or force), their tables and records flagged as read by OCR.

``result.to_frames()`` (``extractor.to_frames``) gives the datasets as pandas frames,
``result.to_json()`` (``extractor.dumps``) the JSON of docs/contract.md; a table has ``.df``, its
grid as a frame, and ``.records()``; ``extractor.read_dataset(folder)`` reads the CSV files of an
export back as typed frames. ``Limits`` bounds what one file may cost; every failure is an
``ExtractorError`` with a code, reported in ``result.error``.

Each table has a kind (docs/kinds.md says which words name it): performance_monitoring,
department_performance_targets, project_performance_targets, performance_self_evaluation,
government_procurement, three_public_expenses, operating_expenses, meeting_training_expenses,
basic_expenditure, government_fund_expenditure, state_capital_expenditure,
fiscal_appropriation_summary, general_budget_expenditure, fiscal_appropriation_expenditure,
budget_summary, income_summary, expenditure_summary, and generic for any other table.
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
