"""The result page at a desktop (1100 px) and a phone (400 px) width, in headless Chromium.

Checks what a reader meets: the answer on the first screen with the detail
folded, no sideways scrolling at 400 px (long reference URLs wrap), chart and
diagram text of at least 12 px as drawn (SVG font size times the SVG's scale
on screen), the change table stacked one finding per card on a phone, a print
view without controls and with the detail open, "Finding" rather than "Track"
for patients, and related questions as links. Screenshots go to a temporary
folder; ``HEPCALC_UPDATE_SCREENSHOTS=1`` refreshes ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.web.cdp import Browser, find_chromium
from tests.web.conftest import GROWING_1, GROWING_2, Server

pytestmark = pytest.mark.browser
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("HEPCALC_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "hepcalc-screenshots"
)
MIN_PX = 12.0

# smallest on-screen font size of the text inside the figures (and their captions)
SMALLEST_FIGURE_TEXT = """
(function () {
  var sizes = [];
  var texts = document.querySelectorAll('#liver-diagram svg text, #growth-chart svg text');
  texts.forEach(function (t) {
    if (!t.getClientRects().length) return;
    var scale = t.ownerSVGElement.getScreenCTM().a;
    sizes.push(parseFloat(getComputedStyle(t).fontSize) * scale);
  });
  document.querySelectorAll('.figures figcaption').forEach(function (c) {
    sizes.push(parseFloat(getComputedStyle(c).fontSize));
  });
  return sizes.length ? Math.min.apply(null, sizes) : -1;
})()
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    exe = find_chromium()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium); browser test skipped")
    tmp: Path = tmp_path_factory.mktemp("chromium-layout")
    b = Browser(exe, tmp / "profile", tmp / "chromium.log")
    yield b
    b.close()


@pytest.fixture(scope="module")
def report_url(server: Server) -> str:
    form = {
        "age": "52",
        "sex": "female",
        "exam1_date": "2023-06-10",
        "exam1_modality": "US",
        "exam1_text": GROWING_1,
        "exam2_date": "2023-12-17",
        "exam2_modality": "US",
        "exam2_text": GROWING_2,
    }
    r = httpx.post(server.url + "/assess", data=form, follow_redirects=False, timeout=60)
    assert r.status_code == 303, r.text
    return server.url + r.headers["location"]


def at_width(browser: Browser, width: int, url: str) -> None:
    browser.page(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.navigate(url)


@pytest.mark.parametrize("width", [1100, 400])
def test_answer_first_readable_figures_no_sideways_scroll(
    browser: Browser, report_url: str, width: int
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    at_width(browser, width, report_url + "?audience=clinician")
    inner = browser.evaluate("window.innerWidth")
    assert browser.evaluate("document.documentElement.scrollWidth") <= inner
    # the answer is on the first screen; the detail is folded
    top = browser.evaluate("document.getElementById('recommendation').getBoundingClientRect().top")
    assert 0 <= top < 900
    assert browser.evaluate("document.getElementById('detail').open") is False
    smallest = browser.evaluate(SMALLEST_FIGURE_TEXT)
    assert smallest >= MIN_PX, (width, smallest)
    # unfolded, the references (long URLs) still do not scroll sideways
    browser.evaluate("document.getElementById('detail').open = true")
    assert browser.evaluate("document.documentElement.scrollWidth") <= inner
    stacked = browser.evaluate("getComputedStyle(document.querySelector('#growth td')).display")
    assert stacked == ("block" if width < 600 else "table-cell")
    browser.evaluate("document.getElementById('detail').open = false")
    browser.screenshot(SHOTS / f"result-clinician-{width}.png", width=width)


def test_patient_view_says_finding_not_track(browser: Browser, report_url: str) -> None:
    at_width(browser, 400, report_url + "?audience=patient")
    text = browser.evaluate("document.body.innerText")
    assert "What did the scan show?" in text
    assert "Track" not in text and "track" not in text
    assert browser.evaluate("document.documentElement.scrollWidth") <= 400
    legend = browser.evaluate(
        "Array.from(document.querySelectorAll('#growth-chart svg text')).map(t => t.textContent)"
    )
    assert "Finding A" in legend
    browser.screenshot(SHOTS / "result-patient-400.png", width=400)


def test_print_view_hides_controls_and_opens_the_detail(browser: Browser, report_url: str) -> None:
    at_width(browser, 1100, report_url + "?audience=clinician&print=1")
    browser.page("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.evaluate(
            "Array.from(document.querySelectorAll("
            "'nav.toolbar, button, .button, summary, form.ask'))"
            ".every(e => getComputedStyle(e).display === 'none')"
        )
        assert hidden
        assert browser.evaluate("document.getElementById('detail').open") is True
        browser.screenshot(SHOTS / "result-print.png")
    finally:
        browser.page("Emulation.setEmulatedMedia", {"media": ""})


def test_related_questions_are_links(browser: Browser, server: Server) -> None:
    at_width(browser, 400, server.url + "/")
    browser.evaluate("document.getElementById('question').value = 'What is a calcified granuloma?'")
    browser.click_and_wait("form.ask button[type=submit]")
    links = browser.evaluate(
        "Array.from(document.querySelectorAll('.related a')).map(a => a.getAttribute('href'))"
    )
    assert links and all(h.startswith("/ask?question=") for h in links)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 400
    browser.screenshot(SHOTS / "answer-400.png", width=400)
    browser.click_and_wait(".related a")
    assert "Answer" in browser.evaluate("document.body.innerText")
