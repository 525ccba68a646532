"""The ``extractor`` command. User errors end as one clean line and exit 1, never a traceback.

The commands live by what they work on: :mod:`extractor.cli.documents` (parse, inspect) and
:mod:`extractor.cli.harvest` (batch, crawl, report, export), their shared options in
:mod:`extractor.cli.options`. The CLI may import every other part; nothing imports it.
"""

from __future__ import annotations

import click

from extractor import __version__
from extractor.cli.documents import inspect_command, parse_command
from extractor.cli.harvest import batch_command, crawl_command, export_command, report_command


@click.group()
@click.version_option(__version__, prog_name="extractor")
def main() -> None:
    """Structured data from Chinese budget and performance-target tables.

    Reads PDF, Word (.docx; .doc and .rtf through LibreOffice), HTML, Excel (.xlsx, .xls) and
    pasted tab-separated text, told apart by content. The output is described in
    docs/contract.md, the table kinds in docs/kinds.md; `extractor COMMAND --help` gives each
    command's options and exit status."""


for command in (parse_command, batch_command, crawl_command, inspect_command, report_command, export_command):
    main.add_command(command)
