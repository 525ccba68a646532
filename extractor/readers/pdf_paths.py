"""pdfminer's reading of a path's subpaths as rulings, so that both PDF backends draw the same.

A lone segment is a line (a diagonal one, as pdfplumber has it, a vertical line at its left
end), a closed axis-aligned four-corner loop a rectangle with four sides, anything else a
polyline whose axis-aligned pieces count (Bézier curves by their end points). The pdfium backend
hands its paths here in pdfminer's shape notation.
"""

from __future__ import annotations

import itertools

from extractor.readers.pdf_page import Line

Point = tuple[float, float]
#: Coordinates equal to within this (points) are one: pdfium keeps them as 32-bit floats.
_EPSILON = 1e-4

Subpath = tuple[str, list[Point]]
"""pdfminer's shape string of one subpath ("m", "l", "c" per operator, "h" for a close) and
the end point of each operator, in pdfplumber's page coordinates (origin at the top left)."""


def path_to_lines(subpaths: list[Subpath]) -> list[Line]:
    """The horizontal and vertical segments pdfplumber's edges of these subpaths would be."""
    lines: list[Line] = []
    for shape, points in subpaths:
        if not shape.startswith("m") or len(points) < 2:
            continue
        # pdfminer drops a redundant line back to the start before a close.
        if len(shape) > 3 and shape.endswith("lh") and _same(points[-2], points[0]):
            shape = shape[:-2] + "h"
            points = [*points[:-2], points[-1]]
        if shape in ("ml", "mlh"):
            lines.extend(_line_edge(points[0], points[1]))
        elif shape in ("mlllh", "mllll") and _is_rectangle(points):
            lines.extend(_rectangle_edges(points[0], points[2]))
        else:
            for p0, p1 in itertools.pairwise(points):
                lines.extend(_polyline_edge(p0, p1))
    return lines


def _same(p: Point, q: Point) -> bool:
    return abs(p[0] - q[0]) <= _EPSILON and abs(p[1] - q[1]) <= _EPSILON


def _is_rectangle(points: list[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points[:5]
    eq = _EPSILON
    corners = (abs(x0 - x1) <= eq and abs(y1 - y2) <= eq and abs(x2 - x3) <= eq and abs(y3 - y0) <= eq) or (
        abs(y0 - y1) <= eq and abs(x1 - x2) <= eq and abs(y2 - y3) <= eq and abs(x3 - x0) <= eq
    )
    return corners and _same(points[0], last)


def _line_edge(p0: Point, p1: Point) -> list[Line]:
    """pdfplumber's edge of a lone line: horizontal when level, otherwise vertical at its left end."""
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    if abs(bottom - top) <= _EPSILON:
        return [Line(vertical=False, at=top, start=x0, end=x1)]
    return [Line(vertical=True, at=x0, start=top, end=bottom)]


def _rectangle_edges(p0: Point, p2: Point) -> list[Line]:
    x0, x1 = sorted((p0[0], p2[0]))
    top, bottom = sorted((p0[1], p2[1]))
    return [
        Line(vertical=False, at=top, start=x0, end=x1),
        Line(vertical=False, at=bottom, start=x0, end=x1),
        Line(vertical=True, at=x0, start=top, end=bottom),
        Line(vertical=True, at=x1, start=top, end=bottom),
    ]


def _polyline_edge(p0: Point, p1: Point) -> list[Line]:
    if abs(p0[0] - p1[0]) <= _EPSILON:
        top, bottom = sorted((p0[1], p1[1]))
        return [Line(vertical=True, at=p0[0], start=top, end=bottom)]
    if abs(p0[1] - p1[1]) <= _EPSILON:
        x0, x1 = sorted((p0[0], p1[0]))
        return [Line(vertical=False, at=p0[1], start=x0, end=x1)]
    return []
