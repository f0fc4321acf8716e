"""The core install and its extras, ``--version``, and where ``serve`` says it listens.

The core install (``pip install hepcalc``) must run ``assess``, ``extract``, ``ask``
and ``scan`` without the web, registry or Spark libraries. Building a second venv
per test run would cost a minute, so the tests hide the extras' modules from a
real CLI subprocess instead: a ``sitecustomize`` on ``PYTHONPATH`` installs an
import hook that refuses them, exactly as a missing package would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import HEPCALC_BIN

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed-000.yaml"

# Top-level modules of every optional extra (pyproject.toml [project.optional-dependencies]).
EXTRA_MODULES = [
    "fastapi",
    "starlette",
    "uvicorn",
    "httptools",
    "uvloop",
    "multipart",
    "python_multipart",
    "jwt",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "pyspark",
    "pandas",
    "pyarrow",
    "textstat",
]

BLOCKER = f"""
import sys
BLOCK = {set(EXTRA_MODULES)!r}
class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCK:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, _Blocker())
"""


@pytest.fixture
def core_only_env(tmp_path: Path) -> dict[str, str]:
    """An environment in which no extra's module can be imported."""
    (tmp_path / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPCALC_")}
    env["PYTHONPATH"] = str(tmp_path)
    return env


def _run(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [str(HEPCALC_BIN), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        input=stdin,
    )


def test_blocker_really_hides_the_extras(core_only_env: dict[str, str]) -> None:
    """Guard for the tests below: with the hook, importing an extra's module fails."""
    python = HEPCALC_BIN.parent / "python"
    r = subprocess.run(
        [str(python), "-c", "import fastapi"],
        capture_output=True,
        text=True,
        timeout=60,
        env=core_only_env,
    )
    assert r.returncode != 0
    assert "No module named" in r.stderr


def test_core_commands_work_without_extras(core_only_env: dict[str, str], tmp_path: Path) -> None:
    r = _run(["assess", str(SEED), "--format", "json"], core_only_env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["recommendations"]

    r = _run(["extract", "-"], core_only_env, stdin="LIVER: 5 mm calcification in segment 6.\n")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["size_mm"] == 5

    r = _run(["ask", "can liver calcifications grow?"], core_only_env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()

    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "r1", "text": "LIVER: 4 mm calcification.", "modality": "US"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    r = _run(["scan", str(feed), "--out", str(out), "--assess"], core_only_env)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text().splitlines()[0])["id"] == "r1"


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["serve", "--port", "1"], "web"),
        (["registry", "worklist"], "registry"),
    ],
)
def test_command_without_its_extra_exits_2_naming_it(
    core_only_env: dict[str, str], args: list[str], extra: str
) -> None:
    r = _run(args, core_only_env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert f"hepcalc[{extra}]" in r.stderr
    assert "Traceback" not in r.stderr


def test_version_names_package_and_knowledge_base() -> None:
    r = subprocess.run([str(HEPCALC_BIN), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"hepcalc \S+ \(knowledge base \d+\.\d+\.\d+\+[0-9a-f]{12}\)\n", r.stdout)


def test_serve_help_names_the_registry_token() -> None:
    r = subprocess.run(
        [str(HEPCALC_BIN), "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert r.returncode == 0
    assert "HEPCALC_REGISTRY_TOKEN" in r.stdout


def test_serve_says_where_it_listens(tmp_path: Path) -> None:
    from tests.web.conftest import start_server, stop_server

    srv = start_server(tmp_path)
    try:
        log = srv.log_path.read_text(encoding="utf-8")
    finally:
        stop_server(srv)
    assert f"serving on {srv.url}/" in log
