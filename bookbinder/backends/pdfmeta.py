"""A PDF's metadata: BookMetadata -> its Info dictionary and its XMP packet, saying the same.

calibre, Acrobat and PDF/A checkers read both; where both hold a field they must agree (ISO
19005-1 §6.7.3). The summary is XMP's `dc:description` and nowhere in Info: Info's Subject would
have to repeat it, and calibre turns a Subject into a tag. Keywords are the subjects, as one line in
Info and `pdf:Keywords`, and one `dc:subject` each. The series is calibre's own XMP (`calibre:series`
with its index), the work's names `xmp:Identifier` with calibre's scheme qualifier.
"""
from __future__ import annotations

import pikepdf
from lxml import etree
from pikepdf import Name

from ..compose import BookMetadata

_NS = {
    "x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/", "xmpidq": "http://ns.adobe.com/xmp/Identifier/qual/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/", "calibre": "http://calibre-ebook.com/xmp-namespace",
    "calibreSI": "http://calibre-ebook.com/xmp-namespace-series-index",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def write_metadata(pdf: pikepdf.Pdf, meta: BookMetadata) -> None:
    """Info and XMP from `meta`; a tagged PDF's PDF/UA mark is kept."""
    tagged = b"pdfuaid" in _packet(pdf)
    info = pdf.docinfo
    for key in ("/Subject", "/Keywords", "/Author", "/Publisher"):
        if key in info:
            del info[key]
    info[Name.Title] = meta.title
    people = meta.authors or meta.editors
    if people:
        info[Name.Author] = ", ".join(people)
    if meta.subjects:
        info[Name.Keywords] = meta.keywords
    info[Name.Creator] = "bookbinder"
    if meta.publisher != "bookbinder":
        info[Name("/Publisher")] = meta.publisher
    producer = str(info.get("/Producer", "")) or None
    stream = pdf.make_stream(xmp_packet(meta, producer, tagged))
    stream[Name.Type], stream[Name.Subtype] = Name.Metadata, Name.XML
    pdf.Root.Metadata = stream
    pdf.Root.Lang = pikepdf.String(meta.language)


def _packet(pdf: pikepdf.Pdf) -> bytes:
    try:
        return pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b""
    except pikepdf.PdfError:
        return b""


def xmp_packet(meta: BookMetadata, producer: str | None = None, tagged: bool = False) -> bytes:
    """The XMP packet (ISO 16684-1) of the book, as bytes with its xpacket wrapper."""
    rdf = etree.Element(_q("rdf:RDF"), nsmap={k: v for k, v in _NS.items() if k != "x"})
    d = etree.SubElement(rdf, _q("rdf:Description"), {_q("rdf:about"): ""})
    _alt(d, "dc:title", meta.title)
    _container(d, "dc:creator", "Seq", meta.authors or meta.editors)
    if meta.description:
        _alt(d, "dc:description", meta.description)
    _container(d, "dc:subject", "Bag", meta.subjects)
    _container(d, "dc:language", "Bag", [meta.language])
    _container(d, "dc:publisher", "Bag", [meta.publisher])
    _container(d, "dc:date", "Seq", [meta.date] if meta.date else [])
    _text(d, "pdf:Keywords", meta.keywords if meta.subjects else None)
    _text(d, "pdf:Producer", producer)
    _text(d, "xmp:CreatorTool", "bookbinder")
    _identifiers(d, meta.identifiers)
    _series(d, meta.series, meta.series_index)
    if tagged:
        _text(d, "pdfuaid:part", "1")
    xmpmeta = etree.Element(_q("x:xmpmeta"), nsmap={"x": _NS["x"]})
    xmpmeta.append(rdf)
    body = etree.tostring(xmpmeta, encoding="utf-8")
    return b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + b'\n<?xpacket end="w"?>'


def _text(parent: etree._Element, name: str, value: str | None) -> None:
    if value:
        etree.SubElement(parent, _q(name)).text = value


def _alt(parent: etree._Element, name: str, value: str) -> None:
    alt = etree.SubElement(etree.SubElement(parent, _q(name)), _q("rdf:Alt"))
    etree.SubElement(alt, _q("rdf:li"), {XML_LANG: "x-default"}).text = value


def _container(parent: etree._Element, name: str, kind: str, values) -> None:
    values = [v for v in values if v]
    if not values:
        return
    box = etree.SubElement(etree.SubElement(parent, _q(name)), _q(f"rdf:{kind}"))
    for value in values:
        etree.SubElement(box, _q("rdf:li")).text = value


def _identifiers(parent: etree._Element, pairs) -> None:
    """xmp:Identifier, each with its scheme (xmpidq:Scheme), as calibre reads and writes them."""
    if not pairs:
        return
    bag = etree.SubElement(etree.SubElement(parent, _q("xmp:Identifier")), _q("rdf:Bag"))
    for scheme, value in pairs:
        li = etree.SubElement(bag, _q("rdf:li"), {_q("rdf:parseType"): "Resource"})
        etree.SubElement(li, _q("xmpidq:Scheme")).text = scheme
        etree.SubElement(li, _q("rdf:value")).text = value


def _series(parent: etree._Element, series: str | None, index: str | None) -> None:
    if not series:
        return
    node = etree.SubElement(parent, _q("calibre:series"), {_q("rdf:parseType"): "Resource"})
    etree.SubElement(node, _q("rdf:value")).text = series
    etree.SubElement(node, _q("calibreSI:series_index")).text = index or "1"


def with_metadata(data: bytes, meta: BookMetadata) -> bytes:
    """A whole PDF's bytes with its metadata written (the tagged book, which WeasyPrint writes)."""
    import io

    with pikepdf.open(io.BytesIO(data)) as pdf:
        write_metadata(pdf, meta)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
