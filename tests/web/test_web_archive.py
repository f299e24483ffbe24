"""Uploaded catalogue archives are unpacked safely or not at all."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from bot.channels.web.archive import ArchiveError, catalogue_root, extract_archive
from bot.channels.web.limits import WebLimits
from tests.web.support import SMALL_CATALOGUE, tar_folder, zip_folder

LIMITS = WebLimits()


def _zip(entries: list[tuple[str, bytes]], *, symlink: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def _tar(members: list[tarfile.TarInfo], data: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for info in members:
            payload = (data or {}).get(info.name)
            if payload is not None:
                info.size = len(payload)
            tf.addfile(info, io.BytesIO(payload) if payload is not None else None)
    return buf.getvalue()


def _unpack(tmp_path: Path, blob: bytes, limits: WebLimits = LIMITS) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    archive = work / "upload"
    archive.write_bytes(blob)
    dest = work / "out"
    dest.mkdir()
    extract_archive(archive, dest, limits)
    return dest


def _files_outside(tmp_path: Path) -> list[str]:
    return sorted(str(p) for p in tmp_path.rglob("*")
                  if p.is_file() and "work" not in p.relative_to(tmp_path).parts)


@pytest.mark.parametrize("make", [
    lambda: zip_folder(SMALL_CATALOGUE),
    lambda: zip_folder(SMALL_CATALOGUE, "my-catalogue/"),
    lambda: tar_folder(SMALL_CATALOGUE),
    lambda: tar_folder(SMALL_CATALOGUE, "./catalogue/", mode="w:xz"),
    lambda: tar_folder(SMALL_CATALOGUE, mode="w"),
])
def test_a_good_archive_unpacks_to_a_catalogue_folder(tmp_path, make):
    dest = _unpack(tmp_path, make())
    root = catalogue_root(dest)
    assert sorted(p.name for p in (root / "services").iterdir()) == ["associations.yaml",
                                                                    "municipal.yaml"]


@pytest.mark.parametrize("name", ["../evil.yaml", "services/../../evil.yaml", "/tmp/evil.yaml",
                                  "C:/evil.yaml", "..\\evil.yaml", "services/..\\..\\evil.yaml"])
def test_paths_out_of_the_folder_are_refused_in_zip(tmp_path, name):
    blob = _zip([("services/a.yaml", b"services: []\n"), (name, b"pwned")])
    with pytest.raises(ArchiveError):
        _unpack(tmp_path, blob)
    assert _files_outside(tmp_path) == []
    assert not list((tmp_path / "work" / "out").rglob("*"))  # nothing written at all


@pytest.mark.parametrize("name", ["../evil.yaml", "/abs/evil.yaml", "a/../../evil.yaml"])
def test_paths_out_of_the_folder_are_refused_in_tar(tmp_path, name):
    blob = _tar([tarfile.TarInfo("services/a.yaml"), tarfile.TarInfo(name)],
                {"services/a.yaml": b"services: []\n", name: b"pwned"})
    with pytest.raises(ArchiveError):
        _unpack(tmp_path, blob)
    assert _files_outside(tmp_path) == []


def test_links_are_refused(tmp_path):
    with pytest.raises(ArchiveError, match="symbolic link"):
        _unpack(tmp_path, _zip([("services/a.yaml", b"x")], symlink="services/link.yaml"))
    sym = tarfile.TarInfo("services/link.yaml")
    sym.type, sym.linkname = tarfile.SYMTYPE, "/etc/passwd"
    hard = tarfile.TarInfo("services/hard.yaml")
    hard.type, hard.linkname = tarfile.LNKTYPE, "/etc/passwd"
    dev = tarfile.TarInfo("services/dev")
    dev.type = tarfile.CHRTYPE
    for member in (sym, hard, dev):
        work = tmp_path / member.name.replace("/", "_")
        work.mkdir()
        with pytest.raises(ArchiveError):
            _unpack(work, _tar([member]))


def test_zip_bombs_are_refused(tmp_path):
    bomb = _zip([("services/a.yaml", b"0" * (20 * 1024 * 1024))])
    assert len(bomb) < 100_000
    with pytest.raises(ArchiveError, match="zip bomb"):
        _unpack(tmp_path, bomb)


def test_lying_sizes_are_caught_while_unpacking(tmp_path):
    blob = bytearray(_zip([("services/a.yaml", b"a" * 5000)]))
    # shrink the declared size in the central directory to 10 bytes
    cd = blob.rfind(b"PK\x01\x02")
    blob[cd + 24:cd + 28] = (10).to_bytes(4, "little")
    with pytest.raises(ArchiveError):
        _unpack(tmp_path, bytes(blob), WebLimits(unpacked_bytes=1000))


def test_too_much_data_or_too_many_files_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(ArchiveError, match="MiB"):
        _unpack(tmp_path / "a", _zip([("services/a.yaml", os.urandom(3 * 1024 * 1024))]),
                WebLimits(unpacked_bytes=2 * 1024 * 1024))
    many = _zip([(f"services/{i}.yaml", b"") for i in range(30)])
    with pytest.raises(ArchiveError, match="more than 10 files"):
        _unpack(tmp_path / "b", many, WebLimits(unpacked_files=10))


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicates_damage_and_non_archives_are_refused(tmp_path):
    for i, blob in enumerate([
        _zip([("services/a.yaml", b"1"), ("services/a.yaml", b"2")]),
        b"this is not an archive at all",
        zip_folder(SMALL_CATALOGUE)[:-30],
        tar_folder(SMALL_CATALOGUE)[:200],
    ]):
        work = tmp_path / str(i)
        work.mkdir()
        with pytest.raises(ArchiveError):
            _unpack(work, blob)


def test_an_archive_without_a_catalogue_folder_is_refused(tmp_path):
    dest = _unpack(tmp_path, _zip([("readme.txt", b"hello"), ("other/x.yaml", b"")]))
    with pytest.raises(ArchiveError, match="no catalogue folder"):
        catalogue_root(dest)
