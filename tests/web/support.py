"""Helpers of the web server tests: settings, tokens, catalogues with markup, archives,
and a real `python -m bot serve` process."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import tarfile
import threading
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


NEW_SERVICE = """\
  - id: test-uusi-palvelu
    provider: {id: test-uusi, name: {fi: "Uusi yhdistys ry"}, kind: association}
    name: {fi: "Kuorolaulu"}
    summary: {fi: "Kuoro kaikenikäisille laulajille."}
    keywords: {fi: [kuoro, laulaa]}
    topics: [hobbies]
    languages: [fi]
"""


def add_service(folder: Path) -> None:
    """Add the NEW_SERVICE (a choir, found with 'kuoro') to a copy of the small catalogue."""
    path = folder / "services" / "municipal.yaml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_SERVICE, encoding="utf-8")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """A real ``python -m bot serve`` on 127.0.0.1, its output collected (stdout + stderr).

    ``await start()`` returns once the server printed its address; ``stop()`` sends SIGTERM
    (SIGKILL if it does not stop) and returns the exit status."""

    def __init__(self, env: dict[str, str], port: int | None = None):
        self.port = port or free_port()
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", "HOST": "127.0.0.1",
                    "PORT": str(self.port), **env}
        self.lines: list[str] = []
        self.proc: subprocess.Popen[str] | None = None
        self._ready = threading.Event()
        self._reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if line.startswith("Hyteopas web chat: "):
                self._ready.set()
        self._ready.set()

    async def start(self, timeout: float = 120.0) -> ServeProcess:
        command = [sys.executable, "-m", "bot", "serve"]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env,  # noqa: ASYNC220 (instant)
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        ready = await asyncio.to_thread(self._ready.wait, timeout)
        if not ready or self.proc.poll() is not None:
            self.stop()
            raise AssertionError(f"the server did not start:\n{self.output}")
        return self

    def stop(self, timeout: float = 30.0) -> int:
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._reader is not None:
            self._reader.join(5)
        return self.proc.returncode
