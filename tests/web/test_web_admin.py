"""The admin API: the token, reload from the folder or an uploaded archive, status, reports."""

from __future__ import annotations

import tempfile
from pathlib import Path

import aiohttp

from tests.web.support import (
    ADMIN_TOKEN,
    add_service,
    admin,
    make_settings,
    tar_folder,
    zip_folder,
)


def _break(folder):
    path = folder / "services" / "municipal.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("topics: [finances]",
                                                             "topics: [no_such_topic]"),
                    encoding="utf-8")


async def _ids(client, question):
    body = await (await client.post("/api/ask", json={"question": question})).json()
    return [r["id"] for r in body["results"]]


async def test_admin_needs_the_exact_token(client):
    wrong = [
        {},
        {"Authorization": ""},
        {"Authorization": ADMIN_TOKEN},
        {"Authorization": f"Basic {ADMIN_TOKEN}"},
        admin("wrong-token"),
        admin(ADMIN_TOKEN[:-1]),
        admin(ADMIN_TOKEN[:-1] + "X"),
        admin(ADMIN_TOKEN + "X"),
        admin(ADMIN_TOKEN.upper()),
        admin("ä" * 40),
    ]
    for headers in wrong:
        for method, path in (("GET", "/admin/status"), ("GET", "/admin/reports"),
                             ("POST", "/admin/reload")):
            resp = await client.request(method, path, headers=headers)
            assert resp.status == 401, (headers, path)
            body = await resp.text()
            assert ADMIN_TOKEN not in body and ADMIN_TOKEN[:-1] not in body
            assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await client.get("/admin/status", headers=admin())).status == 200
    resp = await client.get("/admin/status", headers={"Authorization": f"bearer  {ADMIN_TOKEN}"})
    assert resp.status == 200


async def test_repeated_wrong_tokens_are_rate_limited(make_client, runtime, settings):
    from bot.channels.web.limits import WebLimits

    client = await make_client(runtime, settings, limits=WebLimits(auth_failures_burst=3,
                                                                   auth_failures_per_second=0.001))
    statuses = [(await client.get("/admin/status", headers=admin("nope"))).status for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    assert (await client.get("/admin/status", headers=admin())).status == 200


async def test_admin_is_off_without_a_strong_token(make_client, runtime, tmp_path):
    for env in ({}, {"ADMIN_TOKEN": "short-token-23-chars-xx"}):
        settings = make_settings(tmp_path, **env)
        client = await make_client(runtime, settings)
        for token in ("", "short-token-23-chars-xx"):
            resp = await client.get("/admin/status", headers=admin(token))
            assert resp.status == 404
            assert (await resp.json())["error"] == "admin_disabled"
        assert (await client.post("/admin/reload")).status == 404
        assert (await client.get("/healthz")).status == 200


async def test_status_and_reports(client, runtime):
    body = await (await client.get("/admin/status", headers=admin())).json()
    assert body["version"] == runtime.kb.version
    assert body["services"] == 6 and body["providers"] >= 4
    assert body["counts"]["topics"]["food_aid"] == 1
    assert body["counts"]["areas"]["municipality:853"] == 1
    assert body["last_reload"] is None
    assert body["uptime_seconds"] >= 0
    assert body["database"]["ok"] is True and body["database"]["version"] == runtime.kb.version
    assert body["telegram"] == {"enabled": False}
    body = await (await client.get("/admin/reports", headers=admin())).json()
    assert body == {"reports": []}


async def test_reload_from_the_knowledge_folder(client, settings):
    assert "test-uusi-palvelu" not in await _ids(client, "kuoro")
    add_service(settings.knowledge_dir)
    resp = await client.post("/admin/reload", headers=admin())
    body = await resp.json()
    assert resp.status == 200, body
    assert body["ok"] is True and body["services"] == 7 and body["errors"] == []
    assert await _ids(client, "kuoro") == ["test-uusi-palvelu"]
    status = await (await client.get("/admin/status", headers=admin())).json()
    assert status["last_reload"]["version"] == body["version"] == status["version"]
    # a JSON body also means "the knowledge folder"
    resp = await client.post("/admin/reload", headers=admin(), json={})
    assert resp.status == 200


async def test_a_broken_catalogue_is_422_and_the_old_one_keeps_serving(client, settings, runtime):
    old = runtime.kb.version
    _break(settings.knowledge_dir)
    resp = await client.post("/admin/reload", headers=admin())
    body = await resp.json()
    assert resp.status == 422
    assert body["ok"] is False and body["version"] == old
    assert any("services/municipal.yaml:" in e and "no_such_topic" in e for e in body["errors"])
    assert runtime.kb.version == old
    assert await _ids(client, "velkaneuvonta") == ["test-velkaneuvonta"]


def _upload_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("hyteopas-upload-*"))


async def test_reload_from_uploaded_archives(client, catalogue_copy):
    before = _upload_folders()
    add_service(catalogue_copy)
    uploads = [
        (zip_folder(catalogue_copy), "application/zip"),
        (zip_folder(catalogue_copy, "hyteopas-catalogue/"), "application/octet-stream"),
        (tar_folder(catalogue_copy, "catalogue/"), "application/gzip"),
    ]
    for blob, content_type in uploads:
        resp = await client.post("/admin/reload", data=blob,
                                 headers={**admin(), "Content-Type": content_type})
        body = await resp.json()
        assert resp.status == 200, body
        assert body["services"] == 7
    assert await _ids(client, "kuoro") == ["test-uusi-palvelu"]
    form = aiohttp.FormData()
    form.add_field("archive", zip_folder(catalogue_copy), filename="catalogue.zip",
                   content_type="application/zip")
    resp = await client.post("/admin/reload", data=form, headers=admin())
    assert resp.status == 200, await resp.text()
    assert _upload_folders() <= before  # the unpacked files are gone


async def test_unsafe_or_broken_uploads_are_refused(client, catalogue_copy, runtime):
    import io
    import zipfile

    old = runtime.kb.version
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("services/a.yaml", "services: []\n")
        zf.writestr("../../escape.yaml", "pwned")
    resp = await client.post("/admin/reload", data=buf.getvalue(), headers=admin())
    body = await resp.json()
    assert resp.status == 422 and "outside" in body["errors"][0]
    resp = await client.post("/admin/reload", data=b"not an archive", headers=admin())
    assert resp.status == 422 and (await resp.json())["errors"] == ["not a zip or tar archive"]
    _break(catalogue_copy)
    resp = await client.post("/admin/reload", data=zip_folder(catalogue_copy), headers=admin())
    body = await resp.json()
    assert resp.status == 422
    assert any(e.startswith("services/municipal.yaml:") for e in body["errors"])
    form = aiohttp.FormData()
    form.add_field("note", "no file here")
    resp = await client.post("/admin/reload", data=form, headers=admin())
    assert resp.status == 422
    assert runtime.kb.version == old


async def test_an_oversized_upload_is_413(make_client, runtime, settings):
    from bot.channels.web.limits import WebLimits

    client = await make_client(runtime, settings, limits=WebLimits(upload_body=100_000))
    resp = await client.post("/admin/reload", data=b"x" * 300_000, headers=admin())
    assert resp.status == 413

    async def chunks():
        for _ in range(50):
            yield b"y" * 8192

    resp = await client.post("/admin/reload", data=chunks(), headers=admin())
    assert resp.status == 413
    assert (await client.get("/healthz")).status == 200


async def test_coverage_report(client) -> None:
    assert (await client.get("/admin/coverage")).status == 401
    resp = await client.get("/admin/coverage", headers=admin())
    assert resp.status == 200
    body = await resp.json()
    assert [n["code"] for n in body["needs"]][0] == "loneliness" and body["municipalities"]
    resp = await client.get("/admin/coverage?format=csv&lang=sv", headers=admin())
    assert resp.status == 200 and resp.content_type == "text/csv"
    assert (await resp.text()).startswith("municipality_code,")
    assert (await client.get("/admin/coverage?format=pdf", headers=admin())).status == 400
    assert (await client.get("/admin/coverage?region=Atlantis", headers=admin())).status == 400
