"""Bounded, linear-time text decompressors for KindleUnpack (the `mobi` package): bytes -> bytes.

KindleUnpack's own PalmDoc decoder builds its output with `bytes +=` (time quadratic in a
record's size) and its Huffman/CDIC decoder expands dictionary entries that may refer to one
another without any bound, so a small hostile file can claim gigabytes. These replacements read
the same formats (checked against the originals on the corpus's AO3 MOBI and AZW3 files, which
unpack byte for byte alike) into a bytearray, and stop at `MAX_RECORD_TEXT` bytes of output per
record or dictionary entry: the format's records hold 4 KB of text.
"""
from __future__ import annotations

import struct

MAX_RECORD_TEXT = 64 * 1024
_Q = struct.Struct(">Q").unpack_from


def _too_much():
    from mobi.mobi_uncompress import unpackException

    return unpackException(f"a text record expands past {MAX_RECORD_TEXT >> 10} KB")


def palmdoc(data: bytes) -> bytes:
    """PalmDoc (LZ77 with a 2 KB window) -> text."""
    out, p, size = bytearray(), 0, len(data)
    while p < size:
        c = data[p]
        p += 1
        if 1 <= c <= 8:
            out += data[p:p + c]
            p += c
        elif c < 0x80:
            out.append(c)
        elif c >= 0xC0:
            out += bytes((0x20, c ^ 0x80))
        elif p < size:
            c = (c << 8) | data[p]
            p += 1
            distance, length = (c >> 3) & 0x07FF, (c & 7) + 3
            if distance == 0 or distance > len(out):  # a copy from before the text: broken data, skipped
                continue
            for _ in range(length):  # byte by byte: the copy may overlap what it writes
                out.append(out[-distance])
        if len(out) > MAX_RECORD_TEXT:
            raise _too_much()
    return bytes(out)


class Palmdoc:
    def unpack(self, data: bytes) -> bytes:
        return palmdoc(data)


def huffcdic_class():
    """KindleUnpack's HuffcdicReader with its `unpack` bounded: same tables, same codes."""
    from mobi.mobi_uncompress import HuffcdicReader, unpackException

    class Huffcdic(HuffcdicReader):
        def unpack(self, data: bytes, depth: int = 0) -> bytes:
            if depth > 32:
                raise unpackException("a Huffman dictionary entry refers to itself")
            bits, data = len(data) * 8, data + b"\x00" * 8
            pos, n, out = 0, 32, bytearray()
            (x,) = _Q(data, pos)
            while True:
                if n <= 0:
                    pos += 4
                    (x,) = _Q(data, pos)
                    n += 32
                code = (x >> n) & 0xFFFFFFFF
                codelen, term, maxcode = self.dict1[code >> 24]
                if not term:
                    while code < self.mincode[codelen]:
                        codelen += 1
                    maxcode = self.maxcode[codelen]
                n -= codelen
                bits -= codelen
                if bits < 0:
                    return bytes(out)
                entry = self.dictionary[(maxcode - code) >> (32 - codelen)]
                if entry is None:
                    raise unpackException("a Huffman dictionary entry refers to itself")
                piece, flag = entry
                if not flag:
                    self.dictionary[(maxcode - code) >> (32 - codelen)] = None
                    piece = self.unpack(piece, depth + 1)
                    self.dictionary[(maxcode - code) >> (32 - codelen)] = (piece, 1)
                out += piece
                if len(out) > MAX_RECORD_TEXT:
                    raise _too_much()

    return Huffcdic


def install() -> None:
    """Put the bounded decoders where KindleUnpack's header reader looks them up (by module name,
    when it meets a header): bookbinder's own process, done once, the same for every book."""
    from mobi import mobi_header

    if mobi_header.PalmdocReader is not Palmdoc:
        mobi_header.PalmdocReader = Palmdoc
        mobi_header.HuffcdicReader = huffcdic_class()
