"""Just enough PDF reading for tests: the text ReportLab wrote in its content streams
(ASCII85 + Flate), with the CID font's UCS-2 strings decoded."""

import base64
import re
import zlib

_STREAM = re.compile(rb"<<([^<>]*?)>>\s*stream\r?\n(.*?)endstream", re.S)
_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = raw[i + 1:i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_text(data: bytes) -> str:
    texts = []
    for match in _STREAM.finditer(data):
        head, body = match.group(1), match.group(2).strip()
        if b"ASCII85Decode" in head:
            body = base64.a85decode(body, adobe=True)
        if b"FlateDecode" in head:
            body = zlib.decompress(body)
        for s in _STRING.finditer(body):
            raw = _unescape(s.group(1))
            try:
                texts.append(raw.decode("utf-16-be"))
            except UnicodeDecodeError:
                texts.append(raw.decode("latin-1"))
    return "".join(texts)
