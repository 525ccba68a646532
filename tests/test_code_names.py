"""A 科目 code's name agreed across a document's tables (normalise.code_names): an OCR'd table
that misread a name the other tables read alike takes theirs, in its own records and its
children's paths, and says so; a printed table is never changed, and without a majority, or for
a reading unlike the others, nothing is."""

from __future__ import annotations

from extractor.model import Grid
from extractor.normalise.code_names import agree_code_names
from extractor.records import FundRecord, Table, TableMeta

COMMUNITY = "城乡社区支出"
MANAGEMENT = "城乡社区管理事务"
RUNNING = "行政运行"


def fund(code: str, *path: str, amount: float = 1.0) -> FundRecord:
    return FundRecord(
        direction="支出",
        code=code,
        path=path,
        column=("合计",),
        amount=amount,
        amount_unit="万元",
        raw=str(amount),
    )


def table(table_id: str, community: str, *, ocr: bool = True) -> Table:
    """A table of one 类, one 款 under it and one 项 under that, the 类 named ``community``."""
    return Table(
        id=table_id,
        kind="expenditure_summary",
        title="",
        pages=(int(table_id[1:]),),
        meta=TableMeta(),
        grid=Grid(n_rows=0, n_cols=0, cells=()),
        funds=(
            fund("212", community),
            fund("21201", community, MANAGEMENT),
            fund("2120101", community, MANAGEMENT, RUNNING),
            fund("", "合计"),
        ),
        ocr_pages=(int(table_id[1:]),) if ocr else (),
    )


def paths(result: Table) -> list[tuple[str, ...]]:
    return [record.path for record in result.funds]


def test_a_misread_name_takes_the_documents_reading_in_every_record_under_it() -> None:
    tables = [table("t1", COMMUNITY), table("t2", "城社区支出"), table("t3", COMMUNITY, ocr=False)]

    agreed, issues = agree_code_names(tables)

    assert paths(agreed[1]) == paths(tables[0])
    assert agreed[0] is tables[0] and agreed[2] is tables[2]
    assert [(issue.code, issue.table, issue.page) for issue in issues] == [("ocr_name_agreed", "t2", 2)]
    assert "212" in issues[0].message and "城社区支出" in issues[0].message
    assert "2 of the document's 3 tables" in issues[0].message


def test_a_printed_table_is_never_changed_and_its_reading_counts() -> None:
    tables = [table("t1", "城社区支出", ocr=False), table("t2", COMMUNITY), table("t3", "城社区支出")]

    agreed, issues = agree_code_names(tables)

    assert [paths(result) for result in agreed] == [paths(tables[0])] * 3
    assert [issue.table for issue in issues] == ["t2"]


def test_without_a_majority_or_for_an_unlike_reading_nothing_changes() -> None:
    even = [table("t1", COMMUNITY), table("t2", "城社区支出")]
    unlike = [table("t1", COMMUNITY), table("t2", COMMUNITY), table("t3", "农林水支出")]

    for tables in (even, unlike):
        agreed, issues = agree_code_names(tables)
        assert agreed == tables and issues == []
