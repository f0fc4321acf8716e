"""The reader's work grows linearly with the input, proven by counting operations.

Why counts and not seconds: the test machine is shared, so a timing bound is either
flaky or too loose to catch anything. Instead every reader stage is instrumented:

* every Python line executed in ``hepcalc/reports/*`` (``sys.settrace``), which
  catches loops that walk back over the text (the old ``_word_start``);
* every regular-expression search over a span counts the span's width (a search
  over the whole sentence once per clause, the old phlebolith check, is quadratic
  in width even when each search is fast); an anchored ``match`` counts 1.

The count is deterministic, so the ratio cost(2n) / cost(n) is exact: about 2 for
a linear reader, about 4 for a quadratic one. Inputs are hypothesis-drawn
repetitions of every word the reader reacts to (``adversarial.all_tokens()``: the
words of every pattern of every stage, plus multi-word triggers and the numbers,
units, labels and punctuation of the grammar) with every separator. Seconds per
100 KB are measured in ``benchmarks/reader_worst_case.py``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.reports import read_report

from .adversarial import READER_MODULES, SEPARATORS, all_tokens, repeat

_REPORTS_DIR = str(Path(read_report.__code__.co_filename).parent)


class _Counter:
    def __init__(self) -> None:
        self.lines = 0
        self.width = 0


class _CountingPattern:
    """A compiled pattern that adds the width of every span it searches to a counter."""

    def __init__(self, pattern: re.Pattern[str], counter: _Counter) -> None:
        self._p = pattern
        self._c = counter

    def _span(self, string: str, pos: int = 0, endpos: int | None = None) -> None:
        end = len(string) if endpos is None else min(endpos, len(string))
        self._c.width += max(1, end - max(0, pos))

    def search(self, string: str, *args: Any) -> Any:
        self._span(string, *args)
        return self._p.search(string, *args)

    def finditer(self, string: str, *args: Any) -> Any:
        self._span(string, *args)
        return self._p.finditer(string, *args)

    def findall(self, string: str, *args: Any) -> Any:
        self._span(string, *args)
        return self._p.findall(string, *args)

    def match(self, string: str, *args: Any) -> Any:
        self._c.width += 1
        return self._p.match(string, *args)

    def fullmatch(self, string: str, *args: Any) -> Any:
        self._c.width += 1
        return self._p.fullmatch(string, *args)

    def sub(self, repl: Any, string: str, count: int = 0) -> Any:
        self._c.width += len(string)
        return self._p.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> Any:
        self._c.width += len(string)
        return self._p.split(string, maxsplit)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._p, name)


@contextmanager
def _counting(counter: _Counter) -> Iterator[None]:
    import importlib

    swapped: list[tuple[Any, str, Any]] = []
    for name in READER_MODULES:
        mod = importlib.import_module(f"hepcalc.reports.{name}")
        for attr, value in list(vars(mod).items()):
            if isinstance(value, re.Pattern):
                swapped.append((mod, attr, value))
                setattr(mod, attr, _CountingPattern(value, counter))

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            counter.lines += 1
        return local

    def global_(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename.startswith(_REPORTS_DIR):
            return local
        return None

    old = sys.gettrace()
    sys.settrace(global_)
    try:
        yield
    finally:
        sys.settrace(old)
        for mod, attr, value in swapped:
            setattr(mod, attr, value)


def cost(text: str) -> int:
    """Lines executed in the reader plus the widths its searches cover."""
    counter = _Counter()
    with _counting(counter):
        read_report(text)
    return counter.lines + counter.width


_N = 3_000
_TOKENS = all_tokens()
_TARGETS = [
    "calcification",
    "calcified",
    "calc",
    "granuloma",
    "phlebolith",
    "echogenic focus with shadowing",
    "hyperdense focus",
]
_MAX_RATIO = 2.35  # linear: ~2 (constant set-up costs make it a bit less); quadratic: ~4
# lines + searched widths per character: a located finding costs ~120; the costliest
# known input, a located finding every 18 characters ("seg 7; calcified; " repeated),
# ~215 (a sanity bound: linearity is what the ratio checks)
_MAX_PER_CHAR = 240


def _assert_linear(make: Any, label: str) -> None:
    """cost(2n) <= 2.35 cost(n), or else the next doubling must be linear.

    One doubling can cross a threshold once (a repeated unit cut mid-word at n but not
    at 2n switches a once-per-sentence check off, and a bounded per-target window
    search on): a step, not a growth. A quadratic stage grows ~4x at every doubling,
    so it fails both.
    """
    small, big = cost(make(_N)), cost(make(2 * _N))
    if big > _MAX_RATIO * max(small, _N):
        bigger = cost(make(4 * _N))
        assert bigger <= _MAX_RATIO * big, (label, small, big, bigger, bigger / max(big, 1))
        big, n = bigger, 4 * _N
    else:
        n = 2 * _N
    assert big <= _MAX_PER_CHAR * n, (label, big / n)


def test_counter_sees_a_quadratic_stage() -> None:
    """The measure itself works: a deliberately quadratic search is caught."""
    counter = _Counter()
    pattern = _CountingPattern(re.compile("x"), counter)

    def quadratic(n: int) -> int:
        counter.width = 0
        for i in range(n):
            pattern.search("a" * n, i)
        return counter.width

    assert quadratic(2 * _N) > 3.5 * quadratic(_N)


@pytest.mark.parametrize(
    "unit",
    [
        "calc-",
        "calcified-",
        "phlebolith; ",
        "calcification ",
        "echogenic-",
        "5 mm ",
        "seg 7, ",
        "seg 7; calcified; ",  # the costliest per character found by the property test
    ],
)
def test_known_worst_cases_are_linear(unit: str) -> None:
    """Issue 16's probes ("calcified-" * 19,900 took minutes) and their neighbours."""
    _assert_linear(lambda n: repeat(unit, n), unit)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(st.sampled_from(_TOKENS), st.sampled_from(SEPARATORS), st.sampled_from(_TARGETS))
def test_every_trigger_repeated_is_linear(token: str, sep: str, target: str) -> None:
    """Any trigger word (from any stage's patterns) repeated with any separator, alone
    and next to a target word (without one the gate would end the reading at once)."""
    _assert_linear(lambda n: repeat(token + sep, n), token + sep)
    unit = token + sep + target + sep
    _assert_linear(lambda n: repeat(unit, n), unit)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    st.lists(st.sampled_from(_TOKENS), min_size=2, max_size=4),
    st.sampled_from(SEPARATORS),
    st.sampled_from(["", "calcification ", "LIVER: ", "5 mm "]),
)
def test_mixed_triggers_around_a_target_are_linear(tokens: list[str], sep: str, lead: str) -> None:
    """A target (or a label/size) before a long run of mixed triggers: look-backs and
    look-aheads from the target must stay bounded."""
    unit = sep.join(tokens) + sep
    _assert_linear(lambda n: lead + repeat(unit, n - len(lead)), lead + unit)


def _naive_word_start(text: str, i: int, floor: int) -> int:
    ws = i
    while ws > floor and (text[ws - 1].isalpha() or text[ws - 1] == "-"):
        ws -= 1
    if ws - 5 >= floor and text[ws - 5 : ws].lower() == "high ":
        ws -= 5
    return ws


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.text(alphabet="calc-hig .x\u00e9", max_size=60),
    st.lists(st.integers(min_value=0, max_value=60), max_size=12),
    st.integers(min_value=0, max_value=10),
)
def test_incremental_word_starts_equal_the_walk_back(
    text: str, offsets: list[int], floor: int
) -> None:
    """The linear word-start finder answers exactly what walking back from each offset does."""
    from hepcalc.reports.targets import _WordStarts

    floor = min(floor, len(text))
    queries = sorted(o for o in offsets if floor <= o <= len(text))
    starts = _WordStarts(text, floor)
    assert [starts.at(i) for i in queries] == [_naive_word_start(text, i, floor) for i in queries]


def test_reading_stops_after_the_target_budget() -> None:
    """Past 2,000 target words the rest of a report is not read: the bound that keeps
    the worst case small in absolute time (documented in docs/reading.md, "Limits")."""
    from hepcalc.reports.reader import _MAX_TARGETS

    noise = "Calcified granuloma in the spleen. " * (_MAX_TARGETS + 10)
    late = "LIVER: A 5 mm calcification in segment 6."
    assert len(read_report(late).findings) == 1
    reading = read_report(noise + late)
    assert reading.findings == []
    assert len(reading.excluded) == 500


def test_issue_16_probe_through_the_cli(tmp_path: Path) -> None:
    """The probe that froze the service ("calcified-" * 19,900, 199 KB, inside every limit)
    is read to the end by ``hepcalc extract`` (no timing asserted: the machine is shared)."""
    import subprocess

    report = tmp_path / "probe.txt"
    report.write_text("calcified-" * 19_900, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", "from hepcalc.cli import main; main()", "extract", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
