"""What a reader may still build of one file, spent as it reads.

Some limits can be checked only while reading: how much of a grid merged cells cover is known
once the cells are placed, how many objects a PDF page draws once its forms are entered. A
reader spends a :class:`Budget` before it builds what it counts, so the file ends ``too_large``
before the memory is taken, never after. The budgets are made from the per-file limits
(``extractor.limits``) by :func:`extractor.readers.read`; a reader called without one counts
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.errors import TooLarge


@dataclass
class Budget:
    """``limit`` units of ``measure`` (a phrase such as "table cells") that ``name`` may hold;
    ``option`` raises the limit. ``spent`` counts what was built so far, in ``where`` (a page,
    for a budget per part)."""

    name: str
    measure: str
    limit: int
    option: str
    spent: int = 0
    where: str = ""

    def spend(self, amount: int, where: str = "") -> None:
        """Count ``amount`` more units (``where`` says where they are, for the message); past the
        limit, ``TooLarge``."""
        self.spent += amount
        if self.spent > self.limit:
            place = f" {where or self.where}" if where or self.where else ""
            raise TooLarge(
                f"{self.name}{place} holds at least {self.spent:,} {self.measure}, more than the limit "
                f"of {self.limit:,} (raise it with {self.option})"
            )

    def fresh(self, where: str) -> Budget:
        """The same budget unspent, for the part ``where`` of a measure counted per part (a PDF's pages)."""
        return Budget(self.name, self.measure, self.limit, self.option, where=where)
