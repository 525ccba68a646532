"""Name a table's kind (CONTRACT §3) from its title, falling back on what its body holds."""

from __future__ import annotations

from extractor import vocabulary as vocab


def classify(title: str, *, has_indicators: bool, field_keys: set[str]) -> str:
    """The kind named by the title; else a performance kind when the body has indicator blocks.

    An untitled indicator table with a 项目名称 field is a project table, one with a
    单位名称 / 部门名称 field a department table; anything else stays ``generic``.
    """
    for kind, fragments in vocab.KIND_TITLES:
        if any(fragment in title for fragment in fragments):
            return kind
    if has_indicators:
        if "项目名称" in field_keys:
            return "project_performance_targets"
        if field_keys & {"单位名称", "部门名称"}:
            return "department_performance_targets"
    return "generic"
