"""CLI choices are validated by the parser: a bad value exits 2 naming the option and
its choices before any work (no database opened, no report read), and --help lists them
(issue 18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hepcalc.ask.language import LANGUAGES
from hepcalc.model import Modality
from hepcalc.registry import vocabulary
from tests.conftest import EXAMPLES

CLI = [sys.executable, "-c", "from hepcalc.cli import main; main()"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "option", "choices"),
    [
        (("registry", "worklist", "--format", "pdf"), "--format", vocabulary.WORKLIST_FORMATS),
        (("registry", "ingest", "-", "--format", "xml"), "--format", ("text", "json")),
        (
            ("registry", "close", "1", "--reason", "r", "--status", "maybe"),
            "--status",
            vocabulary.CLOSE_STATUSES,
        ),
        (("ask", "can it grow?", "--lang", "fr"), "--lang", LANGUAGES),
        (
            ("assess", str(EXAMPLES / "report-us-hepatitis-b.txt"), "--modality", "PET"),
            "--modality",
            tuple(m.value.lower() for m in Modality),
        ),
    ],
)
def test_bad_choice_exits_2_naming_option_and_choices(
    args: tuple[str, ...], option: str, choices: tuple[str, ...], tmp_path: Path
) -> None:
    db = tmp_path / "never.sqlite"
    extra = ("--db", f"sqlite:///{db}") if args[0] == "registry" else ()
    p = run(*args, *extra)
    assert p.returncode == 2, p.stderr
    assert option in p.stderr and "Traceback" not in p.stderr
    assert all(c in p.stderr for c in choices), p.stderr
    assert not db.exists()  # refused by the parser, before the database was opened


def test_help_lists_the_choices() -> None:
    p = run("registry", "worklist", "--help")
    assert p.returncode == 0 and "json|csv|text" in p.stdout


def test_modality_is_case_insensitive() -> None:
    p = run(
        "assess", str(EXAMPLES / "report-us-hepatitis-b.txt"), "--modality", "us", "-f", "sentence"
    )
    assert p.returncode == 0, p.stderr
    assert "calcification" in p.stdout
