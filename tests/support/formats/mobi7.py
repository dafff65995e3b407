"""A minimal MOBI 7 book writer for the made test cases (see make.sh): HTML bytes -> MOBI bytes."""
import struct

def mobi7(html: bytes, title: str) -> bytes:
    records = [html[i:i + 4096] for i in range(0, len(html), 4096)]
    name = title.encode("utf-8")
    header = bytearray(0xF8)
    struct.pack_into(">HHLHHH", header, 0, 1, 0, len(html), len(records), 4096, 0)
    header[0x10:0x14] = b"MOBI"
    struct.pack_into(">LLLLL", header, 0x14, 0xE8, 2, 65001, 0x1234, 6)
    for off in range(0x28, 0x50, 4):
        struct.pack_into(">L", header, off, 0xFFFFFFFF)
    struct.pack_into(">LLLL", header, 0x50, len(records) + 1, 0xF8, len(name), 9)
    struct.pack_into(">LL", header, 0x68, 6, 0xFFFFFFFF)
    struct.pack_into(">L", header, 0xA4, 0xFFFFFFFF)
    struct.pack_into(">HHL", header, 0xC0, 1, len(records), 1)
    for off in (0xC8, 0xD0, 0xE0, 0xE8, 0xEC, 0xF4):
        struct.pack_into(">L", header, off, 0xFFFFFFFF)
    record0 = bytes(header) + name + b"\0" * (4 - len(name) % 4 + 4)
    sections = [record0, *records, b"\xe9\x8e\r\n"]
    start = 78 + 8 * len(sections) + 2
    table, offset = b"", start
    for i, s in enumerate(sections):
        table += struct.pack(">LL", offset, i * 2)
        offset += len(s)
    palm = name[:31].ljust(32, b"\0") + struct.pack(">HHLLLLLL", 0, 0, 0, 0, 0, 0, 0, 0)[:28] + b"BOOKMOBI" + struct.pack(">LLH", 0, 0, len(sections))
    assert len(palm) == 78
    return palm + table + b"\0\0" + b"".join(sections)
