"""An SVG image from an untrusted EPUB -> the same picture with nothing in it that can act.

SVG is a document, not a picture: it can hold scripts, event handlers, HTML (`foreignObject`),
links, stylesheets and references to other files or the network. This keeps an allowlist of
drawing elements and presentation attributes, lets references point only inside the image
(`#id`, `url(#id)`) or at an embedded raster (`data:image/png;base64,…` on `<image>`), unwraps
links (their text stays), and drops everything else. bytes -> bytes, or None when the file is
not SVG at all.
"""
from __future__ import annotations

import re

from lxml import etree

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_XML = "http://www.w3.org/XML/1998/namespace"

_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "textPath", "title", "desc", "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask",
    "marker", "image", "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
    "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}
_UNWRAP = {"a", "switch"}  # containers whose drawing (and text) stays, without the container
_ATTRIBUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9:_.-]*$")
_FORBIDDEN_VALUE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|expression\s*\(|@import|javascript:|\\", re.IGNORECASE)
_RASTER = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


def sanitize_svg(data: bytes) -> bytes | None:
    """The picture, made inert; None when `data` is not an SVG document."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None
    if root.tag != f"{{{SVG}}}svg":
        return None
    _clean(root)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _clean(root: etree._Element) -> None:
    for el in list(root.iter()):
        if el is not root and el.getparent() is None:
            continue  # inside something already removed
        if not isinstance(el.tag, str):
            _remove(el)
            continue
        ns, _, name = el.tag[1:].partition("}") if el.tag.startswith("{") else ("", "", el.tag)
        if ns == SVG and name in _UNWRAP:
            _unwrap(el)
        elif ns != SVG or name not in _ELEMENTS:
            _remove(el)
        else:
            _clean_attributes(el, name)


def _clean_attributes(el: etree._Element, name: str) -> None:
    for attr, value in list(el.attrib.items()):
        ns, _, local = attr[1:].partition("}") if attr.startswith("{") else ("", "", attr)
        keep = (ns in {"", XLINK, _XML} and _ATTRIBUTE.match(local) and not local.lower().startswith("on")
                and not _FORBIDDEN_VALUE.search(value))
        if keep and local == "href":
            keep = value.startswith("#") or (name == "image" and bool(_RASTER.match(value)))
        if not keep:
            del el.attrib[attr]


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    """Replace `el` by its children (and text)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    previous = el.getprevious()
    if el.text:
        if previous is not None:
            previous.tail = (previous.tail or "") + el.text
        else:
            parent.text = (parent.text or "") + el.text
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    last = children[-1] if children else (parent[index - 1] if index > 0 else None)
    if el.tail:
        if last is not None:
            last.tail = (last.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
