"""Unpack an uploaded zip or tar of a catalogue folder, safely, into a fresh folder.

Every member is checked before anything is written: no absolute paths, no ``..``, no
links or devices, a bounded number of files and bytes (counted while unpacking, not
trusted from the headers) and no member that inflates suspiciously (zip bombs).
Any unsafe member rejects the whole archive.
"""

from __future__ import annotations

import lzma
import re
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from bot.channels.web.limits import MIB, WebLimits

CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveError(Exception):
    """The upload is not a usable archive; ``problems`` says why, member by member."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class _Member:
    name: str
    parts: tuple[str, ...]
    is_dir: bool
    size: int
    packed: int | None
    ref: zipfile.ZipInfo | tarfile.TarInfo


def safe_parts(name: str) -> tuple[str, ...]:
    """The path parts of a member name, or :class:`ArchiveError` when it could escape."""
    if "\x00" in name:
        raise ArchiveError([f"{name!r}: NUL in the name"])
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        raise ArchiveError([f"{name!r}: absolute path"])
    parts = tuple(p for p in PurePosixPath(posix).parts if p not in ("", "."))
    if ".." in parts:
        raise ArchiveError([f"{name!r}: path goes outside the folder (..)"])
    return parts


def _counted(members: Iterator[_Member], limits: WebLimits) -> list[_Member]:
    """The members, stopping early when there are far too many to be a catalogue."""
    found = []
    for m in members:
        found.append(m)
        if len(found) > limits.unpacked_files * 2:
            raise ArchiveError([f"more than {limits.unpacked_files} files"])
    return found


def _zip_members(zf: zipfile.ZipFile) -> Iterator[_Member]:
    for info in zf.infolist():
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ArchiveError([f"{info.filename!r}: symbolic links are not allowed"])
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveError([f"{info.filename!r}: only files and folders are allowed"])
        if info.flag_bits & 0x1:
            raise ArchiveError([f"{info.filename!r}: encrypted members are not allowed"])
        yield _Member(info.filename, safe_parts(info.filename), info.is_dir(), info.file_size,
                      info.compress_size, info)


def _tar_members(tf: tarfile.TarFile) -> Iterator[_Member]:
    for info in tf:
        if info.issym() or info.islnk():
            raise ArchiveError([f"{info.name!r}: links are not allowed"])
        if not (info.isreg() or info.isdir()):
            raise ArchiveError([f"{info.name!r}: only files and folders are allowed"])
        yield _Member(info.name, safe_parts(info.name), info.isdir(), info.size, None, info)


def _check(members: list[_Member], limits: WebLimits) -> None:
    files = [m for m in members if not m.is_dir]
    if len(files) > limits.unpacked_files:
        raise ArchiveError([f"more than {limits.unpacked_files} files"])
    if sum(m.size for m in files) > limits.unpacked_bytes:
        raise ArchiveError([f"the files add up to more than {limits.unpacked_bytes // MIB} MiB"])
    for m in files:
        if m.packed is not None and m.size > MIB and m.size > limits.max_ratio * max(m.packed, 1):
            raise ArchiveError([f"{m.name!r}: compressed suspiciously well (a zip bomb?)"])
    seen: set[tuple[str, ...]] = set()
    for m in files:
        if m.parts in seen:
            raise ArchiveError([f"{m.name!r}: appears twice"])
        seen.add(m.parts)


def _copy(src: IO[bytes], target: Path, budget: list[int]) -> None:
    """Copy ``src`` to a new file, spending ``budget[0]`` bytes; stop when it runs out."""
    with target.open("xb") as out:
        while chunk := src.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise ArchiveError(["the files unpack to more than the headers say (a zip bomb?)"])
            out.write(chunk)


def _target(dest: Path, parts: tuple[str, ...]) -> Path:
    target = dest.joinpath(*parts)
    if not target.resolve().is_relative_to(dest.resolve()):
        raise ArchiveError([f"{'/'.join(parts)!r}: path goes outside the folder"])
    return target


def _write(dest: Path, members: list[_Member], open_member: Callable[[Any], IO[bytes] | None],
           limits: WebLimits) -> None:
    """Create the folders and files of ``members`` (already checked) under ``dest``."""
    budget = [limits.unpacked_bytes]
    for m in members:
        if not m.parts:
            continue
        target = _target(dest, m.parts)
        if m.is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        src = open_member(m.ref)
        if src is None:
            raise ArchiveError([f"{m.name!r}: cannot be read"])
        with src:
            _copy(src, target, budget)


def extract_archive(archive: Path, dest: Path, limits: WebLimits) -> None:
    """Unpack ``archive`` (zip, tar, tar.gz/bz2/xz) into the empty folder ``dest``."""
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                members = _counted(_zip_members(zf), limits)
                _check(members, limits)
                _write(dest, members, zf.open, limits)
            return
        try:
            tf = tarfile.open(archive, "r:*")  # noqa: SIM115
        except (tarfile.TarError, OSError, EOFError):
            raise ArchiveError(["not a zip or tar archive"]) from None
        with tf:
            members = _counted(_tar_members(tf), limits)
            _check(members, limits)
            _write(dest, members, tf.extractfile, limits)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, lzma.LZMAError,
            OSError) as exc:
        raise ArchiveError([f"the archive is damaged ({type(exc).__name__})"]) from None


def catalogue_root(folder: Path) -> Path:
    """The unpacked catalogue folder: ``folder`` itself or its one subfolder with ``services/``."""
    if (folder / "services").is_dir():
        return folder
    candidates = [p for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "__MACOSX"))
                  and (p / "services").is_dir()]
    if len(candidates) != 1:
        raise ArchiveError(["the archive has no catalogue folder (a folder with services/*.yaml)"])
    return candidates[0]


def remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
