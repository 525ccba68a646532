"""The records of CONTRACT §1–2: what one parsed file yields, before it is written out.

The convenience views a user of the Python API expects of a result (``to_json``,
``to_frames``, ``Table.records``) hand over to ``extractor.export``, imported when called, as
pandas' ``DataFrame.to_csv`` does: the records stay plain data, and export the one place that
knows their flat form."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from extractor.model import Grid, Issue

if TYPE_CHECKING:
    import pandas as pd

#: One value of a flat record (CONTRACT §2): a text, a count, an amount or nothing.
Value = str | int | float | None


@dataclass(frozen=True)
class Target:
    """An indicator target parsed into operator / value / unit (CONTRACT §4)."""

    raw: str
    op: str
    value: float | None
    value_max: float | None
    unit: str
    kind: str  # "quantitative" | "qualitative"


@dataclass(frozen=True)
class IndicatorRecord:
    """One (indicator, target column) pair of an indicator table.

    What the row prints besides its targets is repeated on each of its records: the weight
    (分值 / 权重) and score (得分) of a self-evaluation, the remark (偏差原因分析及改进措施, 备注,
    原因说明), and the ticked columns of a monitoring table (the reasons for a deviation,
    the likelihood of reaching the target).
    """

    level1: str
    level2: str
    level3: str
    key_work: str
    project: str
    target_label: str
    target: Target
    page: int | None = None
    weight: float | None = None
    score: float | None = None
    remark: str = ""
    reasons: tuple[str, ...] = ()
    likelihood: str = ""


@dataclass(frozen=True)
class FundRecord:
    """One money amount with the tree position and column header it was printed under."""

    direction: str
    code: str
    path: tuple[str, ...]
    column: tuple[str, ...]
    amount: float | None
    amount_unit: str
    raw: str
    page: int | None = None
    #: Where the amount stands in its table's grid (row, col): a failed check on a scan names
    #: the cells it involves. Not in the outputs.
    position: tuple[int, int] | None = None

    @property
    def item(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(frozen=True)
class FieldRecord:
    """A key-value pair of a form-like table (单位名称, 年度目标 …)."""

    key: str
    value: str
    page: int | None = None


@dataclass(frozen=True)
class BodyCell:
    """A body cell of a ``generic`` table with its row and column header paths."""

    row_path: tuple[str, ...]
    column_path: tuple[str, ...]
    text: str
    page: int | None = None


@dataclass(frozen=True)
class TableMeta:
    """Whose table it is and what its figures mean (CONTRACT §1), so that the tables of thousands
    of documents group without joins: ``org`` the publishing department or unit, ``stage``
    budget / final / performance, ``scope`` department / unit where the title says so."""

    year: int | None = None
    unit_name: str = ""
    amount_unit: str = ""
    org: str = ""
    stage: str = ""
    scope: str = ""


@dataclass(frozen=True)
class Table:
    """One reconstructed table with its kind-specific sections."""

    id: str
    kind: str
    title: str
    pages: tuple[int, ...]
    meta: TableMeta
    grid: Grid
    indicators: tuple[IndicatorRecord, ...] = ()
    funds: tuple[FundRecord, ...] = ()
    fields: tuple[FieldRecord, ...] = ()
    cells: tuple[BodyCell, ...] = ()
    #: How sure the kind is (1.0 named by the title, lower when guessed from the body) and
    #: the title words that named it.
    kind_confidence: float = 0.0
    kind_words: tuple[str, ...] = ()
    #: Budget self-checks (extractor.normalise.checks) that hold, of those that apply.
    checks_held: int = 0
    checks_total: int = 0
    #: A workbook table's sheet and its A1 range there (empty for other formats, whose
    #: tables say their ``pages``).
    sheet: str = ""
    cell_range: str = ""
    #: The pages whose text was recognised by OCR from an image (a scan), not read from the
    #: document: their records are guesses a self-check may catch.
    ocr_pages: tuple[int, ...] = ()

    @property
    def reader(self) -> str:
        """How the table's text was read: ``text`` from the document, ``ocr`` from page images,
        ``text+ocr`` for a table stitched across a scanned page and printed ones."""
        if not self.ocr_pages:
            return "text"
        return "ocr" if set(self.ocr_pages) >= set(self.pages) else "text+ocr"

    def is_ocr_page(self, page: int | None) -> bool:
        """Whether a record on ``page`` was read by OCR (a record without a page is when the whole
        table was)."""
        return page in self.ocr_pages if page is not None else self.reader == "ocr"

    @property
    def df(self) -> pd.DataFrame:
        """The grid as a pandas frame, as pdfplumber and camelot users expect it: a row per grid
        row, a merged cell's text repeated over every position it spans (for looking at; the
        records are the data)."""
        import pandas as pd

        rows = [[""] * self.grid.n_cols for _ in range(self.grid.n_rows)]
        for cell in self.grid.cells:
            for row in range(cell.row, cell.row + cell.rowspan):
                rows[row][cell.col : cell.col + cell.colspan] = [cell.text] * cell.colspan
        return pd.DataFrame(rows)

    def records(self, dataset: str | None = None) -> list[dict[str, Value]]:
        """The table's records as flat dicts, as its JSON lists them (the columns of their CSV
        dataset but the file's, and the page): those of ``dataset`` (``indicators``, ``funds``,
        ``fields`` or ``cells``), or without one every record, each naming its ``dataset``."""
        from extractor.export import table_records

        return table_records(self, dataset)


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str
    format: str
    pages: int | None


@dataclass(frozen=True)
class ErrorInfo:
    code: str
    message: str


@dataclass(frozen=True)
class ParseResult:
    """Everything one input file yields (CONTRACT §1); ``error`` is set when it could not be read."""

    source: Source
    tables: tuple[Table, ...] = ()
    warnings: tuple[Issue, ...] = field(default_factory=tuple)
    error: ErrorInfo | None = None

    def without_grids(self) -> ParseResult:
        """The result with every table's grid emptied: what a catalog keeps (records, tables,
        warnings), at about a quarter of the size to send from one process to another."""
        empty = Grid(n_rows=0, n_cols=0, cells=())
        return replace(self, tables=tuple(replace(t, grid=empty) for t in self.tables))

    def to_json(self) -> str:
        """The JSON text of CONTRACT §1, as ``extractor parse --to json`` writes it."""
        from extractor.export import dumps

        return dumps(self)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """A pandas frame per dataset (``extractor.to_frames``): the CSV columns, typed."""
        from extractor.export import to_frames

        return to_frames(self)
