"""What pdfminer takes of a font where PDFium measures it otherwise: the descent that places a
character's box (:mod:`extractor.readers.pdf_pdfium` reads the characters)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

#: ``FPDFTextObj_GetFont`` answering addresses, numbers to key a cache by: pypdfium2 answers a new
#: pointer object each time, whose address would cost a cast per character (most text objects,
#: WPS's all, show one character).
_font_address = ctypes.cast(pdfium_c.FPDFTextObj_GetFont, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p))


@dataclass
class FontDescents:
    """The descent pdfminer gives each font, per point of font size (0 or below), by the address
    of the text object showing it, or of the font.

    PDFium reads a font's descent from its descriptor (a positive one turned negative, as
    pdfminer does), but where the descriptor says ``/Ascent 0 /Descent 0`` (LibreOffice writes
    that for some fonts) it guesses both from the glyphs drawn for ``A`` and ``g``
    (``CPDF_Font::CheckFontMetrics``); in a subset those may be any glyphs, and a descent above
    the baseline is such a guess. pdfminer takes the descriptor's 0: the baseline. (A guess below
    the baseline cannot be told from a stated descent; it moves every character of the font alike,
    which no line or cell notices.)
    """

    by_object: dict[int | None, float] = field(default_factory=dict)
    by_font: dict[int | None, float] = field(default_factory=dict)

    def of(self, text_object: int | None) -> float:
        """The descent of the font the text object at address ``text_object`` shows."""
        descent = self.by_object.get(text_object)
        if descent is None:
            font = _font_address(text_object) if text_object else None
            descent = self.by_font.get(font)
            if descent is None:
                descent = self.by_font[font] = _font_descent(font)
            self.by_object[text_object] = descent
        return descent


def _font_descent(font: int | None) -> float:
    descent = ctypes.c_float()
    if not font or not pdfium_c.FPDFFont_GetDescent(ctypes.cast(font, pdfium_c.FPDF_FONT), 1.0, descent):
        return 0.0
    return min(descent.value, 0.0)


def char_bottom(origin_y: float, d: float, descent: float, font_size: float) -> float:
    """The lower side of pdfminer's box of a character: from its origin (``origin_y``, y up) by the
    font's ``descent`` and across the font size, scaled by the text matrix's ``d``.

    Not PDFium's loose box: that box is united with the glyph's ink, so a glyph reaching below
    the descent (or, with a guessed descent, any glyph) moves it, and the characters of one line
    would stand at different heights (a ``·`` or a ``一`` above the ``元`` and ``级`` beside it,
    read as lines of their own).
    """
    return origin_y + d * descent + min(0.0, d * font_size)
