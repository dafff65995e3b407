"""A zip container read safely in memory: bytes -> its entries' bytes (EPUB, DOCX, ODT, a zipped FB2).

One set of limits for every zip bookbinder opens: at most `MAX_ENTRIES` entries, each expanding to
at most `MAX_ENTRY` bytes and all of them to `MAX_EXPANDED`, counted while inflating (a zip bomb
lies in its directory); names that climb out of the archive and encrypted entries are refused;
an XML entry that declares a DTD or entities (a billion-laughs bomb) is refused too, since the
libraries that read these formats parse XML with entity expansion on. Every failure is one
`InputError` naming the file and the kind of file it claims to be.
"""
from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib

from lxml import etree

from ..errors import InputError

# What real stories need, with room to spare: the largest real document seen is an AO3 download
# of an 800,000-word work, 5 MB of XHTML (calibre and FanFicFare split books into far smaller
# files), and reading costs about 60 MB of memory per MB of real HTML.
MAX_EXPANDED = 128 * 1024 * 1024
MAX_ENTRY = 16 * 1024 * 1024
MAX_ENTRIES = 10_000

_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       remove_comments=True)
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class Zipped:
    """The entries of a zip archive, read one by one within the limits."""

    def __init__(self, data: bytes, source: str, kind: str,
                 dtd_refused: tuple[str, ...] = (".xml", ".rels", ".fb2")) -> None:
        """`dtd_refused`: the entries whose readers expand entities (an EPUB's XHTML may keep its
        DOCTYPE: bookbinder's own parser never loads it)."""
        self.source, self.kind, self.expanded, self.dtd_refused = source, kind, 0, dtd_refused
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, struct.error) as exc:
            raise InputError(f"is not a readable {kind} ({exc})", source) from None
        if len(infos) > MAX_ENTRIES:
            raise self._unsafe(f"{len(infos)} entries in the archive")
        for info in infos:
            parts = info.filename.replace("\\", "/").split("/")
            if info.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", info.filename):
                raise self._unsafe(f"entry {info.filename!r} points outside the archive")
        large = next((i for i in infos if i.file_size > MAX_ENTRY), None)
        if large is not None:
            raise self._unsafe(f"{large.filename!r} would expand to more than {MAX_ENTRY >> 20} MB")
        if sum(i.file_size for i in infos) > MAX_EXPANDED:
            raise self._unsafe(f"it would expand to more than {MAX_EXPANDED >> 20} MB")
        self.names = [i.filename for i in infos if not i.is_dir()]

    def _unsafe(self, why: str) -> InputError:
        return InputError(f"is not a safe {self.kind}: {why}", self.source)

    def read(self, name: str) -> bytes:
        """One entry's bytes, counted as they inflate; an XML entry with a DTD is refused."""
        out = bytearray()
        try:
            with self.zip.open(name) as stream:
                while chunk := stream.read(1 << 16):
                    out += chunk
                    self.expanded += len(chunk)
                    if len(out) > MAX_ENTRY or self.expanded > MAX_EXPANDED:
                        raise self._unsafe(f"{name!r} expands past the size limit (a zip bomb?)")
        except KeyError:
            raise InputError(f"is a broken {self.kind}: {name!r} is missing from the archive", self.source) from None
        except RuntimeError as exc:  # zipfile's word for an encrypted entry
            raise InputError(f"is an encrypted {self.kind}: {name!r} needs a password ({exc})", self.source) from None
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, NotImplementedError,
                ValueError) as exc:
            raise InputError(f"is a broken {self.kind}: {name!r} cannot be read ({exc})", self.source) from None
        if self.dtd_refused and name.endswith(self.dtd_refused) and _DTD.search(bytes(out[:65536])):
            raise self._unsafe(f"{name!r} declares a DTD or entities")
        return bytes(out)

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(name), _XML)
        except etree.XMLSyntaxError as exc:
            said = " ".join(str(exc.msg).split())  # libxml2's message may hold a line break
            raise InputError(f"is a broken {self.kind}: {name} is not well-formed XML ({said})", self.source) from None

    def repacked(self) -> bytes:
        """Every entry read within the limits and written again, uncompressed: a copy a library may
        open with zipfile freely, since nothing in it can expand any further."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for name in self.names:
                z.writestr(name, self.read(name))
        return out.getvalue()


def xml_safe(data: bytes, source: str, kind: str) -> etree._Element:
    """An XML document outside any archive (an FB2), parsed as `Zipped.xml` parses an entry."""
    if _DTD.search(data[:65536]):
        raise InputError(f"is not a safe {kind}: it declares a DTD or entities", source)
    try:
        return etree.fromstring(data, _XML)
    except etree.XMLSyntaxError as exc:
        said = " ".join(str(exc.msg).split())  # libxml2's message may hold a line break
        raise InputError(f"is a broken {kind}: not well-formed XML ({said})", source) from None
