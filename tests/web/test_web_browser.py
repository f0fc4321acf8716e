"""The web page end to end in headless Chromium (Debian package), driven over CDP.

Fills the form for a two-exam comparison, submits, reads the recommendation,
switches to patient wording, opens the print view, asks a question with the
keyboard, and checks a form error is announced. Screenshots go to a temporary
folder; with ``HEPCALC_UPDATE_SCREENSHOTS=1`` they refresh ``docs/screenshots/``
(so a test run never modifies tracked files by accident).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    exe = find_chromium()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium); browser test skipped")
    tmp: Path = tmp_path_factory.mktemp("chromium")
    b = Browser(exe, tmp / "profile", tmp / "chromium.log")
    yield b
    b.close()


def fill(browser: Browser, values: dict[str, str]) -> None:
    script = f"""
    (function (values) {{
      for (const [name, value] of Object.entries(values)) {{
        const el = document.querySelector('[name="' + name + '"]');
        if (!el) throw new Error("no field " + name);
        el.value = value;
        el.dispatchEvent(new Event("change", {{bubbles: true}}));
      }}
    }})({json.dumps(values)})
    """
    browser.evaluate(script)


def test_form_submit_result_toggle_print_and_ask(browser: Browser, server: Server) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.navigate(server.url + "/")
    assert browser.evaluate("document.title") == "hepcalc"

    # every form control has a label (accessibility)
    unlabeled = browser.evaluate(
        "Array.from(document.querySelectorAll('input:not([type=hidden]),select,textarea'))"
        ".filter(e => !(e.labels && e.labels.length)).map(e => e.name)"
    )
    assert unlabeled == []

    fill(
        browser,
        {
            "sex": "male",
            "rf_cirrhosis": "yes",
            "exam1_date": "2023-01-10",
            "exam1_modality": "CT",
            "exam1_text": GROWING_1,
            "exam2_date": "2024-01-10",
            "exam2_modality": "CT",
            "exam2_text": GROWING_2,
        },
    )
    # one field typed through the keyboard path, as a user would
    browser.evaluate("document.getElementById('age').focus()")
    browser.type_text("58")
    assert browser.evaluate("document.getElementById('age').value") == "58"
    browser.screenshot(SHOTS / "form.png")

    browser.click_and_wait("#assess-button")
    assert "/report/" in browser.evaluate("location.pathname")
    recommendation = browser.evaluate("document.getElementById('recommendation').innerText")
    assert "Recommendation" in recommendation
    assert "25 mm" in browser.evaluate("document.body.innerText")
    assert browser.evaluate("!!document.querySelector('#liver-diagram svg')")
    assert browser.evaluate("document.querySelectorAll('#references li').length") > 0
    assert browser.evaluate("document.querySelectorAll('#differential li').length") > 0
    browser.screenshot(SHOTS / "result-clinician.png")

    # patient wording without a reload (progressive enhancement)
    browser.evaluate("document.getElementById('view-patient').click()")
    visible = browser.evaluate(
        "[document.querySelector('#recommendation .for-patient').hidden,"
        " document.querySelector('#recommendation .for-clinician').hidden, location.search]"
    )
    assert visible == [False, True, "?audience=patient"]
    assert "doctor" in browser.evaluate(
        "document.querySelector('#recommendation .for-patient').innerText"
    )
    browser.screenshot(SHOTS / "result-patient.png")

    # print view: the toolbar and the ask box are gone
    browser.click_and_wait("#print-view")
    browser.page("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = browser.evaluate(
        "getComputedStyle(document.querySelector('nav.toolbar')).display === 'none'"
    )
    assert hidden
    browser.screenshot(SHOTS / "result-print.png")
    browser.page("Emulation.setEmulatedMedia", {"media": ""})

    # ask a question with the keyboard: type, press Enter
    browser.navigate(server.url + "/")
    browser.evaluate("document.getElementById('question').focus()")
    browser.type_text("Can a liver calcification turn into cancer?")
    browser._events.clear()
    browser.press_key("Enter", "Enter", 13)
    browser.wait_event("Page.loadEventFired")
    answer = browser.evaluate("document.body.innerText")
    assert "Answer" in answer or "Your question" in answer
    browser.screenshot(SHOTS / "answer.png")


def test_form_error_is_announced_and_fields_marked(browser: Browser, server: Server) -> None:
    browser.navigate(server.url + "/")
    fill(browser, {"age": "abc", "exam1_text": GROWING_1})
    browser.click_and_wait("#assess-button")
    errors = browser.evaluate("document.getElementById('errors').innerText")
    assert "patient.age" in errors
    assert browser.evaluate("document.activeElement.id") == "errors"
    assert browser.evaluate("document.getElementById('age').getAttribute('aria-invalid')") == (
        "true"
    )
    # what the user typed is kept
    assert browser.evaluate("document.getElementById('exam1_text').value").startswith("LIVER")
    browser.screenshot(SHOTS / "form-error.png")
