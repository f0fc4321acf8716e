"""`hepcalc ask` through its real face: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEPCALC = Path(sys.executable).parent / "hepcalc"  # the installed console script


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HEPCALC), "ask", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_text_answer_with_sources_and_related() -> None:
    p = run("Do liver calcifications turn into cancer?")
    assert p.returncode == 0, p.stderr
    assert "Do liver calcifications turn into cancer?" in p.stdout
    assert "Sources:" in p.stdout and "[Sirli2024]" in p.stdout
    assert "Related questions:" in p.stdout


def test_json_answer_for_patient() -> None:
    p = run(
        "Is a calcification in my baby's liver on the pregnancy scan serious?",
        "--format",
        "json",
        "--audience",
        "patient",
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert set(data) >= {"answer", "citations", "related"}
    assert data["article"] == "calcification-in-babies"
    assert "Simchen2002" in data["citations"]


def test_out_of_scope_json() -> None:
    p = run("How do I renew my passport?", "--format", "json")
    assert p.returncode == 0
    data = json.loads(p.stdout)
    assert data["answer"].startswith("I don't know") and data["citations"] == []


def test_invalid_input_exits_2_without_traceback() -> None:
    for args in (("",), ("question", "--format", "xml"), ("question", "--audience", "nurse")):
        p = run(*args)
        assert p.returncode == 2, args
        assert "Traceback" not in p.stderr
        assert p.stderr.strip()
