"""Press-ready interiors: a finished print PDF -> the same PDF as PDF/X-4, for KDP, IngramSpark
and any press that asks for PDF/X.

PDF/X-4 rather than X-1a: both forbid RGB and need an output intent, but X-1a also forbids
transparency and anything device-independent, which a story's own pictures (often RGB with a
profile) and WeasyPrint's drawing may use; IngramSpark takes X-1a and X-4, KDP recommends PDF/X.
The interior's black is pure K: print.css's colours are replaced by `device-cmyk(0 0 0 1)`
(`PRESS_CSS`), so a black-and-white press prints text, rules and ornaments solid, never screened.

The output intent is a CMYK printer profile the machine has: Ghostscript's `default_cmyk.icc`
(Debian's libgs-common, Fedora's ghostscript, Homebrew's ghostscript), found where those put it.
The profile is not shipped in bookbinder (Ghostscript's profiles are AGPL), so without it the
build says what to install.
"""
from __future__ import annotations

import io
from pathlib import Path

from ..errors import BookbinderError

PRESS_CSS = """
html, a, hr, hr.scene-break::after, section.contents a { color: device-cmyk(0 0 0 1); }
hr { border-color: device-cmyk(0 0 0 1); }
"""
_PROFILES = (  # where systems put Ghostscript's CMYK printer profile
    "/usr/share/color/icc/ghostscript/default_cmyk.icc",
    "/usr/share/ghostscript/iccprofiles/default_cmyk.icc",
    "/opt/homebrew/share/ghostscript/iccprofiles/default_cmyk.icc",
    "/usr/local/share/ghostscript/iccprofiles/default_cmyk.icc",
)
_CONDITION = "Ghostscript default CMYK (SWOP-like coated)"


def with_press(extra_css: str, press: bool) -> str:
    """A stylesheet's additions, and for a press its K-only black."""
    return extra_css + PRESS_CSS if press else extra_css


def output_profile() -> bytes:
    """The CMYK printer profile for the output intent; BookbinderError saying what to install."""
    for path in map(Path, _PROFILES):
        if path.is_file():
            data = path.read_bytes()
            if data[12:20] == b"prtrCMYK":  # an output (printer) profile of CMYK: what PDF/X asks for
                return data
    raise BookbinderError("a press-ready PDF (--pdf-x, --pod) needs a CMYK printer profile: install Ghostscript's "
                          "(apt install libgs-common, dnf install ghostscript, or brew install ghostscript)")


def to_pdf_x(pdf: bytes) -> bytes:
    """The PDF as PDF/X-4: a CMYK output intent, a trim box on every page, not trapped, and
    PDF/X-4 said in its XMP (its Info and the rest of its XMP as they were)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        profile = doc.make_stream(output_profile())
        profile.N = 4
        doc.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(_CONDITION), Info=pikepdf.String(_CONDITION),
            DestOutputProfile=profile)])
        for page in doc.pages:
            page.obj.TrimBox = page.obj.get("/TrimBox", page.obj.MediaBox)  # no bleed: the trim is the page
        doc.docinfo.Trapped = pikepdf.Name("/False")
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, min_version="1.6")
    return out.getvalue()
