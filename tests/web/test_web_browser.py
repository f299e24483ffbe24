"""The web chat in a real headless Chromium: ask, see cards, switch language, crisis banner,
and markup in questions and in catalogue text shown as text (no XSS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from tests.web.support import XSS_SERVICES, make_settings

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS_QUESTION = "<img src=x onerror=\"window.__xss='question'\"><script>window.__xss='q'</script> ruoka-apu Porissa"


@pytest.fixture
async def chat_url(make_client, tmp_path, catalogue_copy):
    from bot.runtime import Runtime

    (catalogue_copy / "services" / "xss.yaml").write_text(XSS_SERVICES, encoding="utf-8")
    settings = make_settings(tmp_path, catalogue_copy)
    runtime = Runtime.open(settings)
    client = await make_client(runtime, settings)
    yield str(client.make_url("/"))
    runtime.close()


@pytest.fixture
async def page(tmp_path: Path, request: pytest.FixtureRequest):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh")
    async with async_playwright() as pw:  # headless, with a fresh empty profile
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = await browser.new_context(viewport={"width": 390, "height": 844},
                                            locale="fi-FI")
        pg = await context.new_page()
        problems: list[str] = []
        pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        pg.on("console", lambda msg: problems.append(f"console: {msg.text}")
              if msg.type == "error" else None)
        pg.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
        yield pg
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:  # what a person would have seen
            await pg.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        await browser.close()
        assert problems == []


async def _ask(page, question: str) -> None:
    before = await page.locator("#log > li.bot").count()
    await page.get_by_label(await page.locator("label[for=question]").inner_text()).fill(question)
    await page.keyboard.press("Enter")
    answer = page.locator("#log > li.bot").nth(before)
    await answer.wait_for()
    await expect(answer).not_to_have_attribute("aria-busy", "true")


async def test_ask_see_cards_and_switch_language(page, chat_url):
    await page.goto(chat_url)
    await page.wait_for_selector("body.ready")
    assert await page.get_attribute("html", "lang") == "fi"
    await page.select_option("#municipality", "853")
    await _ask(page, "ruoka-apu")
    card = page.locator("#log li.card").first
    assert await card.locator("h3").inner_text() == "Ruoka-apu"
    assert "Ruokakasseja tiistaisin." in await card.inner_text()
    user = page.locator("#log li.msg.user").first
    assert await user.locator(".who").inner_text() == "Sinä"
    assert await user.locator(".preline").inner_text() == "ruoka-apu"
    await card.get_by_role("button").click()
    await card.locator(".thanks").wait_for()

    await page.get_by_role("button", name="På svenska").click()
    await expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert await page.locator("label[for=question]").inner_text() == "Din fråga"
    assert await page.locator("#municipality option:checked").inner_text() == "Åbo"
    assert await page.get_by_role("button", name="På svenska").get_attribute("aria-pressed") == "true"
    await _ask(page, "mathjälp")
    last = page.locator("#log > li.bot").last
    assert await last.locator("li.card h3").first.inner_text() == "Mathjälp"
    assert "De här tjänsterna kan hjälpa dig:" in await last.inner_text()

    await page.reload()  # the chosen language is remembered
    await expect(page.locator("html")).to_have_attribute("lang", "sv")


async def test_empty_question_and_crisis_banner(page, chat_url):
    await page.goto(chat_url)
    await page.wait_for_selector("body.ready")
    await page.locator("#send").click()
    assert await page.locator("#question-error").inner_text() == "Kirjoita ensin kysymys."
    assert await page.locator("#question").get_attribute("aria-invalid") == "true"
    assert await page.locator("#crisis").is_hidden()
    await _ask(page, "en halua enää elää")
    assert await page.locator("#crisis").is_visible()
    assert "112" in await page.locator("#crisis").inner_text()
    assert await page.locator("#crisis a[href^='tel:']").count() >= 1


async def test_markup_in_questions_and_catalogue_shows_as_text(page, chat_url):
    await page.goto(chat_url)
    await page.wait_for_selector("body.ready")
    await _ask(page, XSS_QUESTION)
    assert await page.locator("#log li.msg.user p.preline").inner_text() == XSS_QUESTION
    card = page.locator("#log li.card").first
    assert (await card.locator("h3").inner_text()).startswith("Ruoka-apu <img src=x onerror=")
    text = await card.inner_text()
    assert "<script>window.__xss='summary'</script>" in text
    assert "<b>Lihava</b> & <i>kursiivi</i> ry" in text
    assert '<a href="javascript:' in text
    assert await page.locator("#log img, #log script, #log b, #log i").count() == 0
    hrefs = await page.locator("#log a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(("https://", "tel:", chat_url.rstrip("/") + "/s/xss-ruoka?"))
                         for h in hrefs)
    assert await page.get_by_role("link", name="Linkki tähän korttiin").count() == 1
    await page.get_by_role("button", name="På svenska").click()
    await expect(page.locator("html")).to_have_attribute("lang", "sv")
    await _ask(page, "mathjälp i Björneborg")
    assert "<script>window.__xss='sv'</script>" in await page.locator("#log li.card").last.inner_text()
    assert await page.evaluate("window.__xss") is None
