"""Untrusted bytes read within bounds: JSON nesting depth, and zip entries counted as they inflate.

A zip's headers say how big each entry is, and they may lie: entries are read in chunks and their
real size is counted against a cap per entry and one for the whole archive, so a bomb costs at most
those caps in time and memory. Every refusal is a `Refused` (a ValueError) with a code saying why.
"""

from __future__ import annotations

import io
import json
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

MB = 1024 * 1024
CHUNK = 64 * 1024
PEEK = 4 * 1024
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")


@dataclass(frozen=True)
class Limits:
    """What reading one upload may cost, whatever its headers claim (config.py: IMPORT_*, JSON_MAX_DEPTH)."""

    entry_bytes: int = 8 * MB  # one file, once decompressed
    unpacked_bytes: int = 16 * MB  # all files together
    entries: int = 100  # files in a zip
    rows: int = 20_000  # CSV rows or JSON objects, all tables together
    depth: int = 32  # JSON nesting

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(config["IMPORT_MAX_ENTRY_BYTES"], config["IMPORT_MAX_UNPACKED_BYTES"],
                   config["IMPORT_MAX_ENTRIES"], config["IMPORT_MAX_ROWS"], config["JSON_MAX_DEPTH"])


DEFAULT_LIMITS = Limits()


class Refused(ValueError):
    """`code`: too_deep, too_large, too_many_entries, encrypted, corrupt, unsupported, unsafe_name,
    nested_archive, duplicate_entry or symlink; `name`: the zip entry(ies) at fault, if any; `limit`: the
    bound crossed."""

    def __init__(self, code: str, name: str | None = None, limit: int | None = None):
        super().__init__(f"{code}: {name}" if name else code)
        self.code, self.name, self.limit = code, name, limit


# A \uD800–\uDFFF escape: JSON lets it stand alone, but a lone surrogate is no character and cannot be
# written as UTF-8 (to Neo4j, a page, a file), so such a document is refused as unreadable.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def load_json(text: str | bytes, max_depth: int, **options):
    """json.loads, refusing documents nested deeper than `max_depth` arrays and objects (a document of
    `[` × 100,000 would otherwise exhaust the interpreter's recursion limit) and strings holding a lone
    surrogate, NaN or Infinity, or an object with a key given twice (ValueError, as for any text that is not
    JSON). Bytes must be UTF-8 (RFC 8259): json.loads would otherwise read a surrogate's CESU-8 bytes (ED A0
    80) into a string that cannot be written back."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")  # UnicodeDecodeError is a ValueError
    options.setdefault("parse_constant", _not_json)
    options.setdefault("object_pairs_hook", _one_value_per_key)
    try:
        document = json.loads(text, **options)
    except RecursionError:
        raise Refused("too_deep", limit=max_depth) from None
    if _deeper_than(document, max_depth):
        raise Refused("too_deep", limit=max_depth)
    if SURROGATE_ESCAPE.search(text) and _lone_surrogate(document):
        raise NotJson("lone_surrogate")
    return document


class NotJson(ValueError):
    """Text json.loads reads that is not JSON: `code` duplicate_key, constant or lone_surrogate; `value` the
    key or the constant."""

    def __init__(self, code: str, value: str = ""):
        super().__init__(f"not JSON: {code} {value}".strip())
        self.code, self.value = code, value


def _not_json(constant: str):
    """NaN and Infinity are Python's, not JSON's (RFC 8259): a document holding them is not JSON."""
    raise NotJson("constant", constant)


def _one_value_per_key(pairs: list) -> dict:
    """An object naming one key twice says two things of it: which one is meant cannot be known."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen = set()
        raise NotJson("duplicate_key", next(k for k, _ in pairs if k in seen or seen.add(k)))
    return found


def _lone_surrogate(document) -> bool:
    """A valid pair (an emoji written \\ud83d\\ude00) is one character once parsed; what remains is alone."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _deeper_than(document, limit: int) -> bool:
    stack = [(document, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if level > limit:
            return True
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return False


def safe_name(name: str) -> str:
    """The entry's base name; refuses absolute paths, `..` and drive letters (a name made to escape)."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise Refused("unsafe_name", name)
    return path.name


def unzip(data: bytes, wanted: Callable[[str], bool], max_entry: int, max_total: int, max_entries: int,
          peek: Callable[[str], bool] = lambda name: False) -> tuple[dict[str, bytes | None], list[str]]:
    """({base name: content} of the entries `wanted` accepts, [base names of the others, unread]). An entry
    `peek` accepts yields only its first PEEK bytes (enough to tell a header alone from a table with rows),
    counted against no bound: a table nobody reads never blocks its package however big it is."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise Refused("corrupt") from None
    if len(entries) > max_entries:
        raise Refused("too_many_entries", limit=max_entries)
    files: dict[str, bytes | None] = {}
    paths: dict[str, str] = {}  # base name -> the entry's full name, to name both of two entries sharing it
    skipped: list[str] = []
    remaining = max_total
    for info in entries:
        name = safe_name(info.filename)
        if name.lower().endswith(ARCHIVE_SUFFIXES):
            raise Refused("nested_archive", name)
        if not wanted(name) and not peek(name):
            skipped.append(name)
            continue
        if name in paths:  # the same full name twice is said once, counted (« metadata.csv, metadata.csv »)
            both = f"{info.filename} (×2)" if paths[name] == info.filename else f"{paths[name]}, {info.filename}"
            raise Refused("duplicate_entry", both)
        paths[name] = info.filename
        if (info.external_attr >> 16) & 0o170000 == 0o120000:  # its bytes are the path it points to
            raise Refused("symlink", info.filename)
        if peek(name):
            files[name] = _head(archive, info)
            continue
        files[name] = _read_entry(archive, info, name, min(max_entry, remaining))
        remaining -= len(files[name])
        if files[name].startswith(ARCHIVE_MAGIC):
            raise Refused("nested_archive", name)
    return files, skipped


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The entry's first bytes; None when they cannot be read (encrypted, damaged: not ours to refuse)."""
    try:
        with archive.open(info) as stream:
            return stream.read(PEEK)
    except (NotImplementedError, RuntimeError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError,
            OSError, ValueError):
        return None


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int) -> bytes:
    """The entry's bytes, at most `limit` of them, counted as they inflate (never trusting info.file_size)."""
    if info.flag_bits & 0x1:
        raise Refused("encrypted", name)
    if info.file_size > limit:
        raise Refused("too_large", name, limit)  # the header admits it: no need to inflate
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise Refused("too_large", name, limit)
                chunks.append(chunk)
    except Refused:
        raise
    except NotImplementedError:
        raise Refused("unsupported", name) from None
    except RuntimeError:  # zipfile's word for a password-protected entry the flag did not announce
        raise Refused("encrypted", name) from None
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError):
        raise Refused("corrupt", name) from None
    return b"".join(chunks)
