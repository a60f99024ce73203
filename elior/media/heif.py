"""Where a HEIC file keeps its metadata items: just enough ISO-BMFF (ISO/IEC 14496-12, 23008-12) to blank them.

The `meta` box lists items (`iinf`/`infe`) and where their bytes are (`iloc`). EXIF is an item of type `Exif`; XMP
is a `mime` item of type `application/rdf+xml`. Their bytes, in the file or inside `idat`, are overwritten with zeros:
the image items and every offset stay exactly as they were, so the picture still decodes.

The work is bounded by the bytes read and by `elior.media.limits`: boxes per level, items and extents are counted,
the extents of items that are not metadata are skipped by arithmetic rather than walked (an extent whose fields have
size 0 takes no bytes, so 6 bytes of `iloc` may declare 65,535 of them), and every loop checks the upload's budget.
"""
from __future__ import annotations

from typing import BinaryIO, Callable, Iterator, Protocol

from elior.media import limits

COPY_CHUNK = 64 * 1024


class HeifError(Exception):
    pass


class Sink(Protocol):
    def write(self, data: bytes) -> object: ...


def _boxes(data: bytes | BinaryIO, start: int, end: int, budget: limits.Budget) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box between start and end."""
    read: Callable[[int, int], bytes] = (lambda at, n: data[at:at + n]) if isinstance(data, bytes) \
        else _reader(data)
    position, count = start, 0
    while position + 8 <= end:
        count += 1
        limits.at_most(count, limits.MAX_BOXES, "HEIF boxes in one container")
        budget.check()
        head = read(position, 16)
        if len(head) < 8:
            raise HeifError("the file ends inside a HEIF box header")
        size, box_type, header = int.from_bytes(head[:4], "big"), head[4:8], 8
        if size == 1:
            if len(head) < 16:
                raise HeifError("the file ends inside a HEIF box header")
            size, header = int.from_bytes(head[8:16], "big"), 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise HeifError("a HEIF box runs past its container")
        yield box_type, position + header, position + size
        position += size


def _reader(handle: BinaryIO) -> Callable[[int, int], bytes]:
    def read(at: int, n: int) -> bytes:
        handle.seek(at)
        return handle.read(n)
    return read


def _int(data: bytes, at: int, size: int, end: int | None = None) -> int:
    if at + size > (len(data) if end is None else end):
        raise HeifError("a HEIF box is shorter than its fields")
    return int.from_bytes(data[at:at + size], "big")


def _metadata_items(iinf: bytes, budget: limits.Budget) -> set[int]:
    version = _int(iinf, 0, 1)
    position = 4 + (2 if version == 0 else 4)
    items: set[int] = set()
    count = 0
    for box_type, start, end in _boxes(iinf, position, len(iinf), budget):
        count += 1
        limits.at_most(count, limits.MAX_ITEMS, "HEIF items")
        if box_type != b"infe" or start >= end or iinf[start] < 2:
            continue
        version, at = iinf[start], start + 4
        id_size = 2 if version == 2 else 4
        item_id = _int(iinf, at, id_size, end)
        at += id_size + 2  # item_protection_index
        item_type = iinf[at:min(at + 4, end)]
        name_end = iinf.find(b"\x00", at + 4, end)
        content_type = iinf[name_end + 1:end].split(b"\x00")[0] if name_end >= 0 else b""
        if item_type == b"Exif" or (item_type == b"mime" and b"rdf+xml" in content_type):
            items.add(item_id)
    return items


def _locations(iloc: bytes, wanted: set[int], budget: limits.Budget) -> Iterator[tuple[int, int, int]]:
    """(construction method, offset, length) of each extent of the wanted items; length 0 means "to the end"."""
    version = _int(iloc, 0, 1)
    sizes = _int(iloc, 4, 2)
    offset_size, length_size, base_size = sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15
    index_size = sizes & 15 if version in (1, 2) else 0
    extent_size = index_size + offset_size + length_size
    at = 6
    id_size = 2 if version < 2 else 4
    count = _int(iloc, at, id_size)
    limits.at_most(count, limits.MAX_ITEMS, "HEIF items")
    at += id_size
    extents_seen = 0
    for _ in range(count):
        budget.check()
        item_id = _int(iloc, at, id_size)
        at += id_size
        method = 0
        if version in (1, 2):
            method = _int(iloc, at, 2) & 15
            at += 2
        at += 2  # data_reference_index
        base = _int(iloc, at, base_size) if base_size else 0
        at += base_size
        extents = _int(iloc, at, 2)
        at += 2
        extents_seen += extents
        limits.at_most(extents_seen, limits.MAX_EXTENTS, "HEIF extents")
        if item_id not in wanted:
            at += extents * extent_size  # nothing to blank: step over them without walking them
            if at > len(iloc):
                raise HeifError("a HEIF box is shorter than its fields")
            continue
        for _ in range(extents):
            at += index_size
            offset = _int(iloc, at, offset_size) if offset_size else 0
            at += offset_size
            length = _int(iloc, at, length_size) if length_size else 0
            at += length_size
            yield method, base + offset, length


def metadata_ranges(src: BinaryIO, budget: limits.Budget | None = None) -> list[tuple[int, int]]:
    """File byte ranges [start, end) that hold EXIF or XMP items."""
    budget = budget or limits.current()
    file_end = src.seek(0, 2)
    meta = next(((s, e) for t, s, e in _boxes(src, 0, file_end, budget) if t == b"meta"), None)
    if meta is None:
        raise HeifError("a HEIF file without a meta box")
    src.seek(meta[0])
    body = src.read(meta[1] - meta[0])
    children = {t: (s, e) for t, s, e in _boxes(body, 4, len(body), budget)}  # `meta` is a full box: skip flags
    if b"iinf" not in children or b"iloc" not in children:
        return []
    wanted = _metadata_items(body[children[b"iinf"][0]:children[b"iinf"][1]], budget)
    if not wanted:
        return []
    idat_start = meta[0] + children[b"idat"][0] if b"idat" in children else None
    ranges: list[tuple[int, int]] = []
    for method, offset, length in _locations(body[children[b"iloc"][0]:children[b"iloc"][1]], wanted, budget):
        if method == 0:
            start = offset
        elif method == 1 and idat_start is not None:
            start = idat_start + offset
        else:
            continue  # built from other items: nothing of its own to blank
        end = file_end if length == 0 else start + length
        if start > file_end or end > file_end:
            raise HeifError("a HEIF item lies outside the file")
        ranges.append((start, end))
    return sorted(ranges)


def copy_blanking(src: BinaryIO, dst: Sink, ranges: list[tuple[int, int]], budget: limits.Budget | None = None) \
        -> None:
    """Copy src to dst with the given byte ranges written as zeros."""
    budget = budget or limits.current()
    position = 0
    for start, end in ranges + [(src.seek(0, 2), src.tell())]:
        budget.check()
        src.seek(position)
        remaining = max(start - position, 0)
        while remaining > 0:
            data = src.read(min(remaining, COPY_CHUNK))
            if not data:
                raise HeifError("the file ends too early")
            dst.write(data)
            remaining -= len(data)
            budget.check()
        position = max(position, start)
        blank = max(end - position, 0)
        while blank > 0:
            step = min(blank, COPY_CHUNK)
            dst.write(bytes(step))
            blank -= step
            budget.check()
        position = max(position, end)
