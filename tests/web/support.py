"""Helpers of the web server tests: settings, tokens, catalogues with markup, archives."""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import replace
from pathlib import Path

from bot.config import Settings, load_settings, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
SMALL_CATALOGUE = ROOT / "tests" / "data" / "small-catalogue"
ADMIN_TOKEN = "test-admin-token-0123456789-abcdef"
WEBHOOK_SECRET = "test_webhook_secret-0123"
XSS_SERVICES = """\
providers:
  - id: xss-provider
    name: {fi: "<b>Lihava</b> & <i>kursiivi</i> ry", sv: "<b>Fet</b> & <i>kursiv</i> rf"}
    kind: association
services:
  - id: xss-ruoka
    provider: xss-provider
    name: {fi: "Ruoka-apu <img src=x onerror=\\"window.__xss='name'\\">", sv: "Mathjälp <script>window.__xss='sv'</script>"}
    summary: {fi: "Ruokakasseja <script>window.__xss='summary'</script> tiistaisin.", sv: "Matkassar <img src=x onerror=\\"window.__xss='svsum'\\">."}
    keywords: {fi: [ruoka-apu, ruokakassi], sv: [mathjälp]}
    topics: [food_aid]
    areas: [Pori]
    languages: [fi, sv]
    cost: free
    access: {fi: "Tule paikalle </p><a href=\\"javascript:window.__xss='access'\\">klikkaa</a>", sv: "Kom <b>dit</b>."}
    contact: {url: "https://example.org/ruoka?a=1&b=<x>", phone: "+358 40 000 0009"}
"""


def make_settings(tmp_path: Path, knowledge_dir: Path = SMALL_CATALOGUE, **env: str) -> Settings:
    """Settings with a fresh SQLite database in ``tmp_path`` and the given environment."""
    base = load_settings({"HYTEOPAS_DATA_DIR": str(tmp_path / "data"),
                          "DATABASE_URL": sqlite_url(tmp_path / "web.sqlite3"), **env})
    return replace(base, knowledge_dir=knowledge_dir)


def admin(token: str = ADMIN_TOKEN) -> dict[str, str]:
    """The Authorization header of an admin request."""
    return {"Authorization": f"Bearer {token}"}


def zip_folder(folder: Path, prefix: str = "") -> bytes:
    """A zip of every file under ``folder``, names starting with ``prefix``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())
    return buf.getvalue()


def tar_folder(folder: Path, prefix: str = "", mode: str = "w:gz") -> bytes:
    """A (compressed) tar of every file under ``folder``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tf.add(path, prefix + path.relative_to(folder).as_posix())
    return buf.getvalue()
