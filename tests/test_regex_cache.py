"""The compiled-pattern cache gives exactly ``re.compile``'s patterns, and only then."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import hepcalc.reports  # noqa: F401  (compiles the reader's patterns through the cache)
from hepcalc import regex_cache

ROOT = Path(__file__).resolve().parents[1]

SAMPLES = [
    (r"\bcalcif\w*", re.I),
    (r"(?P<num>\d+(?:[.,]\d+)?)[ \t]*(?P<unit>mm|cm)\b", re.I),
    (r"(?s:.*)[\n\r,.;]", 0),
    (r"^(?:exams|patient|id)[ \t]*:", re.M),
    (r"(?x) a \s+ b  # verbose", 0),
    (r"上個月|上一個月", 0),
    (r"(?<!liver )\bcancer\b|carcinoma", re.I | re.M),
]


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """A private copy of the module whose cache file lives in ``tmp_path``."""
    module = importlib.reload(importlib.import_module("hepcalc.regex_cache"))
    monkeypatch.setattr(module, "cache_path", lambda: str(tmp_path / "cache.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.delenv("HEPCALC_REGEX_CACHE", raising=False)
    yield module
    importlib.reload(module)


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> bool:
    # Pattern equality compares the pattern, the flags and the compiled program
    return a == b and a.groups == b.groups and a.groupindex == b.groupindex


def _reader_patterns() -> list[re.Pattern[str]]:
    """Every compiled pattern a reader module holds at module level."""
    found = []
    for name, module in list(sys.modules.items()):
        if name.startswith("hepcalc.reports.") and module is not None:
            found += [v for v in vars(module).values() if isinstance(v, re.Pattern)]
    return found


def test_every_pattern_of_the_reader_equals_re_compile() -> None:
    patterns = _reader_patterns()
    assert len(patterns) > 150
    for held in patterns:
        assert isinstance(held.pattern, str)
        assert _same(held, re.compile(held.pattern, held.flags))
        assert _same(regex_cache.re_compile(held.pattern, held.flags), held)


def test_programs_round_trip_through_the_file(fresh: ModuleType, tmp_path: Path) -> None:
    first = [fresh.re_compile(p, f) for p, f in SAMPLES]
    assert fresh.save() is True
    assert (tmp_path / "cache.marshal").stat().st_size > 0
    assert fresh.save() is False  # nothing new: not written again
    importlib.reload(fresh)
    fresh.cache_path = lambda: str(tmp_path / "cache.marshal")
    again = [fresh.re_compile(p, f) for p, f in SAMPLES]
    assert fresh._new == 0 and len(fresh._stored) == len(SAMPLES)  # all read from the file
    text = "EXAMS: a  b, Calcified 12 mm; no cancer.\n上個月 carcinoma"
    for a, b, (p, f) in zip(first, again, SAMPLES, strict=True):
        assert _same(a, b) and _same(b, re.compile(p, f))
        want = [(m.span(), m.groups()) for m in re.compile(p, f).finditer(text)]
        assert [(m.span(), m.groups()) for m in b.finditer(text)] == want


def test_a_damaged_file_is_ignored_and_replaced(fresh: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "cache.marshal"
    path.write_bytes(b"\x00garbage" * 50)
    pattern = fresh.re_compile(r"\bhepat\w+", re.I)
    assert _same(pattern, re.compile(r"\bhepat\w+", re.I))
    assert fresh.save() is True
    assert path.read_bytes()[:8] != b"\x00garbage"


def test_a_damaged_entry_is_compiled_afresh(fresh: ModuleType) -> None:
    key = (r"\bliver\b", int(re.I))
    fresh._programs()[key] = (int(re.I), [999, 999, 999], 0, {}, (None,))  # not a program
    assert _same(fresh.re_compile(r"\bliver\b", re.I), re.compile(r"\bliver\b", re.I))


def test_another_interpreters_file_is_not_read(fresh: ModuleType, tmp_path: Path) -> None:
    import marshal

    key = (r"abc", 0)
    fake = (int(re.U), [999], 0, {}, (None,))
    header = (1, "2.7.18 (some other build)", "cpython", 0, 4)
    (tmp_path / "cache.marshal").write_bytes(marshal.dumps((header, {key: fake})))
    assert fresh._programs() == {}
    assert _same(fresh.re_compile("abc"), re.compile("abc"))


def test_nothing_is_written_when_byte_code_is_not(
    fresh: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh.re_compile(r"\bsegment[ \t]*\d\b", re.I)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert fresh.save() is False
    assert not (tmp_path / "cache.marshal").exists()


def test_the_switch_turns_it_off(fresh: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEPCALC_REGEX_CACHE", "0")
    assert _same(fresh.re_compile(r"\bcyst\b"), re.compile(r"\bcyst\b"))
    assert fresh._new == 0 and fresh._stored is None  # the file was never touched
    assert fresh.save() is False


def test_a_different_compiler_disables_storing(
    fresh: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When rebuilding from the stored form would not give re.compile's pattern (a
    future Python compiling differently), nothing is stored and re.compile answers."""
    monkeypatch.setattr(fresh, "_program", lambda p, f: (f, [1, 2, 3], 0, {}, (None,)))
    assert _same(fresh.re_compile(r"\bdome\b"), re.compile(r"\bdome\b"))
    assert fresh._broken and fresh._new == 0
    assert _same(fresh.re_compile(r"\bcaudate\b"), re.compile(r"\bcaudate\b"))


def test_a_read_only_directory_is_no_error(
    fresh: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fresh, "cache_path", lambda: str(tmp_path / "missing" / "x" / "c"))
    monkeypatch.setattr(os, "makedirs", _refuse)
    fresh.re_compile(r"\bportal\b")
    assert fresh.save() is False


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise PermissionError("read-only")


def test_a_second_process_reads_what_the_first_wrote(tmp_path: Path) -> None:
    """Through real processes: the first writes the cache at exit, the next builds every
    reader pattern from it (PYTHONPYCACHEPREFIX puts the byte code and the cache there)."""
    env = {
        **os.environ,
        "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("HEPCALC_REGEX_CACHE", None)
    probe = (
        "import hepcalc.reports\n"
        "from hepcalc import regex_cache as r\n"
        "print(len(r._stored or {}), r._new, r.cache_path())\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    (stored1, new1, path1), (stored2, new2, path2) = runs
    assert int(stored1) == 0 and int(new1) > 300
    assert path1 == path2 and path1.startswith(str(tmp_path / "pycache"))
    assert int(stored2) == int(new1) and int(new2) == 0
