"""Options of the print backend, importable without loading WeasyPrint (which takes half a second)."""
from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZES = {"a5": "148mm 210mm", "5.5x8.5in": "5.5in 8.5in", "6x9in": "6in 9in", "a4": "210mm 297mm",
              "letter": "8.5in 11in"}
DEFAULT_PAGE_SIZE = "6x9in"


@dataclass(frozen=True)
class PrintOptions:
    page_size: str = DEFAULT_PAGE_SIZE
    tagged: bool = False  # PDF/UA-1: tagged, accessible PDF
