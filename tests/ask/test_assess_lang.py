"""The assessment's patient text in Traditional Chinese (issue 15): `hepcalc assess
--lang zh-Hant` as a subprocess, `POST /v1/assess?lang=zh-Hant` over a socket, and
every example case rendered without English left in the Chinese text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hepcalc.engine.assess import assess
from hepcalc.model import Case
from hepcalc.render import patient_text
from tests.web.conftest import Server

ROOT = Path(__file__).resolve().parents[2]
HEPCALC = Path(sys.executable).parent / "hepcalc"
SEED = ROOT / "examples" / "seed-000.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z ,'-]{6,}")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HEPCALC), "assess", *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_patient_text_is_all_chinese(path: Path) -> None:
    a = assess(Case.model_validate(yaml.safe_load(path.read_text("utf-8"))))
    zh = patient_text(a, "zh-Hant")
    en = patient_text(a, "en")
    assert zh != en and "檢查看到了什麼？" in zh and "由誰決定？" in zh
    assert not ENGLISH_RUN.search(zh), ENGLISH_RUN.findall(zh)
    assert not re.search(r"[。！？] \S", zh)  # no English spacing between sentences
    # the same numbers, none lost or invented in translation
    number = re.compile(r"\d+(?:\.\d+)?")
    assert set(number.findall(zh)) == set(number.findall(en))


def test_cli_assess_patient_text_in_chinese() -> None:
    p = run(str(SEED), "--format", "text", "--audience", "patient", "--lang", "zh-Hant")
    assert p.returncode == 0, p.stderr
    assert "從 1.4 公分 變成 2.5 公分" in p.stdout and "不打顯影劑的電腦斷層" in p.stdout
    p = run(str(SEED), "--lang", "zh-Hant")  # json: summary.patient in Chinese
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["summary"]["patient"].startswith("檢查看到了什麼？")
    assert data["summary"]["clinician"].isascii() or "mm" in data["summary"]["clinician"]


def test_cli_assess_lang_errors_exit_2() -> None:
    for args in (("--lang", "fr"), ("--format", "html", "--lang", "zh-Hant")):
        p = run(str(SEED), *args)
        assert p.returncode == 2, args
        assert "lang" in p.stderr and "Traceback" not in p.stderr


def test_http_assess_lang(server: Server) -> None:
    case = Case.model_validate(yaml.safe_load(SEED.read_text("utf-8"))).model_dump(
        mode="json", exclude_none=True
    )
    with server.client() as c:
        r = c.post("/v1/assess?lang=zh-Hant", json=case)
        assert r.status_code == 200, r.text
        assert r.json()["summary"]["patient"].startswith("檢查看到了什麼？")
        r = c.post(
            "/v1/assess?lang=zh-Hant&audience=patient",
            json=case,
            headers={"Accept": "text/plain"},
        )
        assert r.status_code == 200 and "不打顯影劑的電腦斷層" in r.text
        r = c.post("/v1/assess?lang=fr", json=case)
        assert r.status_code == 422
        r = c.post("/v1/assess?lang=zh-Hant", json=case, headers={"Accept": "text/html"})
        assert r.status_code == 422 and "lang" in r.text
