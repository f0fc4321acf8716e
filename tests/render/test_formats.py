"""The one list of output formats (render/formats.py) and the CLI that offers it.

What each built-in format accepts is checked against the documented table
(docs/renderings.md), and a format registered from outside the module (the
plug-in in ``plugin_format.py``) is offered, listed in ``--help`` and rendered by
``hepcalc assess`` without any edit to the CLI: one entry is all a format needs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hepcalc.cli.assess import load_case
from hepcalc.errors import InputError
from hepcalc.model import Assessment
from hepcalc.pipeline import assess
from hepcalc.render import FORMATS, formats, render
from tests.conftest import EXAMPLES, ROOT
from tests.render import plugin_format

PLUGIN = [sys.executable, str(Path(__file__).with_name("plugin_format.py"))]
CLI = [sys.executable, "-c", "from hepcalc.cli import main; main()"]
SEED = str(EXAMPLES / "seed-000.yaml")


def run(cmd: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    # wide enough that --help does not wrap the list of choices
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
    )


def test_the_list_is_the_documented_one() -> None:
    assert formats.names() == FORMATS == ("text", "sentence", "html", "fhir", "json")
    media = {f.name: f.media_type for f in formats.all_formats()}
    assert media == {
        "text": "text/plain",
        "sentence": "text/plain",
        "html": "text/html",
        "fhir": "application/fhir+json",
        "json": "application/json",
    }
    # two formats share text/plain: Accept selects the first (the report), never the sentence
    first = formats.for_media_type(" Text/Plain ")
    assert first is not None and first.name == "text"
    assert formats.for_media_type("image/png") is None


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_what_each_format_accepts(name: str, audience: str) -> None:
    """json refuses the patient; --detail only for the clinician's text; another
    language only for the patient text and json (docs/renderings.md)."""
    accepts_audience = not (name == "json" and audience == "patient")
    if not accepts_audience:
        with pytest.raises(InputError) as err:
            formats.check(name, audience)
        assert err.value.problems[0][0] == "audience"
        assert "text, sentence, html and fhir" in err.value.problems[0][1]
        return
    assert formats.check(name, audience).name == name
    detail_ok = name == "text" and audience == "clinician"
    lang_ok = name == "json" or (name == "text" and audience == "patient")
    for option, ok, kwargs in (
        ("detail", detail_ok, {"detail": True}),
        ("lang", lang_ok, {"lang": "zh-Hant"}),
    ):
        if ok:
            assert formats.check(name, audience, **kwargs).name == name  # type: ignore[arg-type]
        else:
            with pytest.raises(InputError) as err:
                formats.check(name, audience, **kwargs)  # type: ignore[arg-type]
            assert err.value.problems[0][0] == option


def test_unknown_names_are_input_errors() -> None:
    with pytest.raises(InputError) as err:
        formats.check("pdf", "clinician")
    assert err.value.problems[0][0] == "format" and "'json'" in err.value.problems[0][1]
    with pytest.raises(InputError):
        formats.check("text", "family")
    with pytest.raises(InputError):
        formats.check("text", "patient", lang="fr")


def test_a_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="already registered"):
        formats.register(formats.all_formats()[0])


@pytest.fixture(scope="module")
def seed_assessment() -> Assessment:
    return assess(load_case(SEED))


def test_a_registered_format_renders_through_render(seed_assessment: Assessment) -> None:
    plugin_format.register()
    try:
        out = render(seed_assessment, plugin_format.NAME, "patient")
        assert out == plugin_format.findings_csv(seed_assessment, formats.RenderRequest("patient"))
        assert out.startswith("track,category,patient\nA,")
    finally:
        formats.unregister(plugin_format.NAME)
    assert plugin_format.NAME not in formats.names()


def test_cli_offers_a_format_registered_before_it_loads() -> None:
    helped = run(PLUGIN, "assess", "--help")
    assert helped.returncode == 0, helped.stderr
    # after the built-in ones, in registration order
    assert "<text|sentence|html|fhir|json|findings-csv>" in helped.stdout
    out = run(PLUGIN, "assess", SEED, "--format", plugin_format.NAME)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("track,category,clinician\nA,isolated_calcification\n")
    # the plain CLI does not know it, and the parser says which formats it knows
    plain = run(CLI, "assess", SEED, "--format", plugin_format.NAME)
    assert plain.returncode == 2 and plain.stdout == ""
    assert all(f"'{name}'" in plain.stderr for name in FORMATS), plain.stderr
    assert "Traceback" not in plain.stderr
