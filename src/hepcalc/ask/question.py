"""Read the measurements in a patient's question and build a :class:`~hepcalc.model.Case`.

Why a reader of its own (not ``hepcalc.reports``): a report is written by a
radiologist in fixed phrases; a question is written by a patient, often in
Chinese, who says "last time 1.4 and 0.9 cm, this time 2.5 and 0.8", "上次1.4公分
這次2.5公分", "it went from 14 mm to 25". The reader finds

* sizes with their units (mm, cm, 公分, 公釐, 毫米; "1.4 and 0.9 cm" share the
  unit; a size written without a unit takes the unit of the others, stated);
* which exam each size belongs to, from time words ("last time", "now",
  上次, 這次, 去年, 半年後, "from ... to", "變成"), dates (2023/6/10, 2023年6月,
  民國112年) and relative times ("a year ago", 3個月前);
* the modality (ultrasound, echo, CT, MRI; 超音波, 電腦斷層, 磁振造影), age, sex and
  risk words (hepatitis B/C, cirrhosis, cancer; B肝, C肝, 肝硬化, 癌症), with
  simple negation ("no hepatitis B", 沒有B肝).

Everything not said stays unknown in the Case. What had to be assumed to run
the engine (the exam dates, the modality, which size is which spot) is listed
with the answer; what cannot be assumed without inventing a number (a size with
no unit anywhere, an absurd size, conflicting units) stops the reading with a
question back to the patient. It never guesses a number.

Date rule (the engine needs dates to compare exams; it never reads the clock):
the latest exam is dated ``today`` (a parameter, default the current date) unless
the question gives its date; an earlier exam is dated from the question ("a
year ago", "2023/6") or, when no time is given, ``ASSUMED_INTERVAL_DAYS`` before
the next one. Both are stated in the answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

from hepcalc.ask.language import Language, detect_language, fold
from hepcalc.model import (
    MAX_SIZE_MM,
    Case,
    Contrast,
    Exam,
    Finding,
    FindingKind,
    Modality,
    Patient,
    RiskFactors,
    Sex,
    Symptom,
)
from hepcalc.regex_cache import re_compile

# When the question says nothing about the time between two scans: about six
# months, the interval patients in Taiwan are usually given for a follow-up
# ultrasound. Only the interval-based numbers (growth per month, LI-RADS
# threshold growth within 6 months) depend on it, not whether a change exceeds
# measurement variability; the answer states it. (Expert estimate, issue 15.)
ASSUMED_INTERVAL_DAYS = 182
# Two sizes of the same spot differing by this factor or more, when one unit
# was taken from the other sizes, suggest the unit was not the same (14 vs 2.5):
# the reader asks instead of assuming.
UNIT_SUSPECT_RATIO = 5.0
MAX_SIZES = 20

Role = Literal["previous", "current", "dated"]


@dataclass(frozen=True)
class Note:
    """A message id of the ask catalog with its values: an assumption or a problem."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def kwargs(self) -> dict[str, str]:
        return dict(self.values)


def note(key: str, **values: object) -> Note:
    return Note(key, tuple(sorted((k, str(v)) for k, v in values.items())))


@dataclass
class Size:
    """One size as written: value in mm, where it is, its unit (as read)."""

    mm: float
    start: int
    end: int
    unit: str | None  # "mm" | "cm" | "m" | None (no unit written)
    unit_from_others: bool = False


@dataclass
class Marker:
    """A time word: which exam the nearby sizes belong to."""

    start: int
    end: int
    role: Role
    ago_days: int | None = None  # "a year ago": days before today
    gap_days: int | None = None  # "half a year later": days after the previous exam
    date: dt.date | None = None
    date_precision: Literal["day", "month", "year"] | None = None
    ordinal: int | None = None
    transition: bool = False  # "to", "→", 變成: marks only what follows


@dataclass
class ExamRead:
    """An exam as read from the question."""

    key: tuple[object, ...]
    role: Role
    sizes: list[Size] = field(default_factory=list)
    modality: Modality | None = None
    contrast: Contrast | None = None
    date: dt.date | None = None
    date_note: Note | None = None
    ago_days: int | None = None
    gap_days: int | None = None
    ordinal: int | None = None
    position: int = 0


@dataclass
class Reading:
    """What the question says, what was assumed, what is missing."""

    language: Language
    sizes: list[Size] = field(default_factory=list)
    exams: list[ExamRead] = field(default_factory=list)
    patient: Patient = field(default_factory=Patient)
    assumptions: list[Note] = field(default_factory=list)
    problems: list[Note] = field(default_factory=list)
    case: Case | None = None
    # the question names a scan (ultrasound, CT, MRI...): a size in it is a scan's
    exams_named: bool = False

    @property
    def has_measurements(self) -> bool:
        """True when the question carries at least one size (with or without unit)."""
        return bool(self.sizes) or any(p.key.startswith("missing.unit") for p in self.problems)


# --------------------------------------------------------------------------- sizes

_NUM = r"\d{1,6}(?:\.\d{1,4})?"
_UNIT = (
    r"(?P<unit>millimet(?:er|re)s?|centimet(?:er|re)s?|met(?:er|re)s?|mm|cm|m|"
    r"公分|公釐|毫米|釐米|厘米|公尺|米)"
)
_UNITS = {
    "mm": "mm",
    "millimeter": "mm",
    "millimetre": "mm",
    "公釐": "mm",
    "毫米": "mm",
    "cm": "cm",
    "centimeter": "cm",
    "centimetre": "cm",
    "公分": "cm",
    "釐米": "cm",
    "厘米": "cm",
    "m": "m",
    "meter": "m",
    "metre": "m",
    "公尺": "m",
    "米": "m",
}
_FACTOR = {"mm": 1.0, "cm": 10.0, "m": 1000.0}
# a number, optionally "x 1.2" dimensions, then an optional unit not followed by a
# letter ("1.4 cm" but not "14 months", "2 more", "3 mg")
_SIZE = re_compile(
    rf"(?<![\d.])(?P<a>{_NUM})(?:\s*(?:x|×|\*|by|乘)\s*(?P<b>{_NUM}))?"
    rf"(?:\s*(?:x|×|\*|by|乘)\s*(?P<c>{_NUM}))?"
    rf"(?:\s*{_UNIT}(?![A-Za-z]))?",
    re.I,
)
# A second unit right after the first ("2.5 cm mm", "2.5cm/mm"): conflicting units.
_SECOND_UNIT = re_compile(rf"\s*(?:/|or|或)?\s*{_UNIT}(?![A-Za-z])")
# "1.4 and 0.9 cm", "1.4、0.9公分", "1.4, 0.9 or 0.5 cm": a unitless number shares
# the unit of the next size when only these connectors stand between them.
_LIST_JOIN = re_compile(r"^\s*(?:,|and|&|or|to|/|、|和|跟|及|與|或|\+|→|->|-|~|到|變成|變為)?\s*$")
# Numbers that are not sizes: followed by a time, age, count or lab word, or
# preceded by a lab name.
_NOT_SIZE_AFTER = re_compile(
    r"^\s*(?:%|percent|years?|yrs?|y/?o|months?|mos?|weeks?|wks?|days?|hours?|times?|"
    r"spots?|foci|lesions?|calcifications?|pieces?|ng|mg|u/l|iu|kg|lbs?|"
    r"歲|年|個月|月|週|周|星期|天|日|次|顆|個|處|點|粒|號|樓|%)",
    re.IGNORECASE,
)
_NOT_SIZE_BEFORE = re_compile(
    r"(?:afp|alt|ast|got|gpt|胎兒蛋白|甲型胎兒蛋白|肝指數|age|aged|\bseg(?:ment)?|\bs|第|民國|"
    r"no\.|#)\s*[:=]?\s*(?:is|was|of|為|是)?\s*$",
    re.IGNORECASE,
)
_DATE_NUM = re_compile(
    r"(?<![\d.])(?P<y>(?:19|20|21)\d{2}|1[0-4]\d)[/.\-](?P<m>1[0-2]|0?[1-9])"
    r"(?:[/.\-](?P<d>3[01]|[12]\d|0?[1-9]))?(?![\d.])"
    r"(?!\s*(?:mm|cm|公分|公釐|毫米)(?![A-Za-z]))"  # "2019-7 mm" is a year and a size
)
_DATE_CN = re_compile(
    r"(?<![\d.])(?:民國\s*)?(?P<y>(?:19|20|21)\d{2}|1[0-4]\d|[89]\d)\s*年"
    r"(?:\s*(?P<m>1[0-2]|0?[1-9])\s*月(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日號])?)?"
)
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)}  # fmt: skip
_DATE_EN = re_compile(
    r"\b(?:(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+)?"
    r"(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+"
    r"(?:(?P<d2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+)?(?P<y>(?:19|20)\d{2})\b",
    re.I,
)
_YEAR_ONLY = re_compile(r"(?<![\d.])(?:in\s+)?(?P<y>(?:19|20)\d{2})(?![\d.])")


def _unit(raw: str | None) -> str | None:
    if raw is None:
        return None
    u = raw.lower()
    return _UNITS.get(u.rstrip("s")) or _UNITS.get(u)


def _date_spans(text: str) -> list[tuple[int, int, Marker]]:
    """Dates (2023/6/10, 2023年6月, 民國112年3月, in 2022) as dated markers."""
    out: list[tuple[int, int, Marker]] = []
    prec: Literal["day", "month", "year"]
    matches = list(_DATE_NUM.finditer(text)) + list(_DATE_CN.finditer(text))
    for m in matches:
        raw_y = int(m.group("y"))
        if raw_y < 200:  # ROC year (民國112年 = 2023)
            if m.re is _DATE_NUM and not m.group("d"):
                continue
            year = raw_y + 1911
        else:
            year = raw_y
        month = int(m.group("m")) if m.group("m") else None
        day = int(m.group("d")) if m.group("d") else None
        if month is None and day is None:
            date, prec = dt.date(year, 7, 1), "year"
        elif day is None:
            date, prec = dt.date(year, month or 7, 15), "month"
        else:
            try:
                date, prec = dt.date(year, month or 1, day), "day"
            except ValueError:
                continue
        out.append(
            (
                m.start(),
                m.end(),
                Marker(m.start(), m.end(), "dated", date=date, date_precision=prec),
            )
        )
    for m in _DATE_EN.finditer(text):
        if any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in out):
            continue
        month = _MONTHS[m.group("m").lower()[:3]]
        day_raw = m.group("d") or m.group("d2")
        try:
            date = dt.date(int(m.group("y")), month, int(day_raw) if day_raw else 15)
        except ValueError:
            continue
        prec = "day" if day_raw else "month"
        mk = Marker(m.start(), m.end(), "dated", date=date, date_precision=prec)
        out.append((m.start(), m.end(), mk))
    taken = [(s, e) for s, e, _ in out]
    for m in _YEAR_ONLY.finditer(text):
        if any(s <= m.start("y") < e for s, e in taken):
            continue
        year = int(m.group("y"))
        out.append(
            (
                m.start(),
                m.end(),
                Marker(
                    m.start(), m.end(), "dated", date=dt.date(year, 7, 1), date_precision="year"
                ),
            )
        )
    return out


_AFTER_MARKER = re_compile(
    r"\s*(?::|,|，)?\s*(?:it\s+)?(?:was|is|were|are|measured|about|around|了|是|為|約|大約)?\s*",
    re.I,
)


def read_sizes(
    text: str, blocked: list[tuple[int, int]], marker_ends: tuple[int, ...] = ()
) -> tuple[list[Size], list[Note]]:
    """Sizes in ``text`` (already folded); numbers inside ``blocked`` spans are skipped."""
    raw: list[Size] = []
    problems: list[Note] = []
    for m in _SIZE.finditer(text):
        if any(s <= m.start() < e for s, e in blocked):
            continue
        unit = _unit(m.group("unit"))
        after = text[m.end() :]
        before = text[max(0, m.start() - 24) : m.start()]
        if unit is None and (_NOT_SIZE_AFTER.match(after) or _NOT_SIZE_BEFORE.search(before)):
            continue
        if unit is not None and _NOT_SIZE_BEFORE.search(before) and unit == "m":
            continue
        second = _SECOND_UNIT.match(after)
        if unit is not None and second and _unit(second.group("unit")) != unit:
            problems.append(note("missing.unit_conflict", text=m.group(0) + second.group(0)))
            continue
        dims = [float(g) for g in (m.group("a"), m.group("b"), m.group("c")) if g is not None]
        value = max(dims)  # "1.4 x 1.2 cm": a spot's size is its longest diameter
        raw.append(Size(mm=value, start=m.start(), end=m.end(), unit=unit))
    # shared units: "1.4 and 0.9 cm"
    for i in range(len(raw) - 2, -1, -1):
        cur, nxt = raw[i], raw[i + 1]
        if (
            cur.unit is None
            and nxt.unit is not None
            and _LIST_JOIN.match(text[cur.end : nxt.start])
        ):
            cur.unit = nxt.unit
    # a bare integer without unit is rarely a size ("I'm 45", "2 spots"): kept only
    # in a list with a unit ("14 and 9 mm") or right after a time word ("now 25")
    raw = [
        s
        for s in raw
        if s.unit is not None
        or "." in text[s.start : s.end]
        or any(e <= s.start and _AFTER_MARKER.fullmatch(text[e : s.start]) for e in marker_ends)
    ]
    # "14 mm (1.4 cm)": a conversion in brackets is the same measurement
    kept: list[Size] = []
    for s in raw:
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.unit
            and s.unit
            and re.fullmatch(r"\s*[(（]\s*", text[prev.end : s.start])
        ):
            a, b = prev.mm * _FACTOR[prev.unit], s.mm * _FACTOR[s.unit]
            if abs(a - b) > 0.05 * max(a, b):
                problems.append(note("missing.unit_conflict", text=text[prev.start : s.end + 1]))
            continue
        kept.append(s)
    return kept, problems


# --------------------------------------------------------------------------- time words

_CN_NUM = {"一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9, "十": 10, "半": 0.5}  # fmt: skip
_EN_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "half a": 0.5, "half": 0.5}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25, "天": 1, "日": 1,
              "週": 7, "周": 7, "星期": 7, "月": 30.44, "年": 365.25}  # fmt: skip

_EXAM_WORD = (
    r"(?:time|exam(?:ination)?|scan|check[- ]?up|physical|test|study|ultrasound|sonogram|"
    r"echo|ct|mri|visit|report|result|one|image|imaging)s?"
)
_EN_QTY = (
    r"(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|half a)"
)
_EN_UNIT = r"(?P<u>day|week|month|year)s?"
_CN_QTY = r"(?P<n>\d+(?:\.\d+)?|[一二兩两三四五六七八九十半]+)"
_CN_UNIT = r"(?:個)?\s*(?P<u>天|日|週|周|星期|月|年)"

_MARKERS: list[tuple[re.Pattern[str], Role, str]] = [
    # (pattern, role, kind) kind: plain | ago | later | transition | ordinal
    (re_compile(rf"\b{_EN_QTY}\s*{_EN_UNIT}\s+(?:ago|before|earlier|prior)\b", re.I), "previous", "ago"),  # noqa: E501
    (re_compile(rf"\b(?:after|in)\s+(?:another\s+)?{_EN_QTY}\s*{_EN_UNIT}\b", re.I), "current", "later"),  # noqa: E501
    (re_compile(rf"\b{_EN_QTY}\s*{_EN_UNIT}\s+(?:later|after(?:wards)?)\b", re.I), "current", "later"),  # noqa: E501
    (re_compile(r"\blast\s+year\b", re.I), "previous", "ago_year"),
    (re_compile(r"\bthis\s+year\b", re.I), "current", "plain"),
    (re_compile(r"\bthis\s+(?:week|month)\b", re.I), "current", "plain"),
    (re_compile(r"\blast\s+month\b", re.I), "previous", "ago_month"),
    (re_compile(r"上個月|上一個月"), "previous", "ago_month"),
    (re_compile(r"這個月|本月|這禮拜|這週|本週"), "current", "plain"),
    (re_compile(r"\b(?:previous|prior|old)\b(?=\s*(?:[:=(]|\d))", re.I), "previous", "plain"),
    (re_compile(r"\b(?:current|new|latest|now)\b(?=\s*(?:[:=(]|\d))", re.I), "current", "plain"),
    (re_compile(rf"\b(?:last|previous|prior|earlier|old|older|first|initial|original)\s+(?:\w+\s+)?{_EXAM_WORD}\b", re.I), "previous", "plain"),  # noqa: E501
    (re_compile(r"\b(?:previously|before|earlier|originally|at first|initially|used to be|back then)\b", re.I), "previous", "plain"),  # noqa: E501
    (re_compile(rf"\b(?:this|latest|newest|recent|new|current|second|follow[- ]?up|repeat|today'?s?|most recent)\s+(?:\w+\s+)?{_EXAM_WORD}\b", re.I), "current", "plain"),  # noqa: E501
    (re_compile(r"\b(?:now|today|recently|currently|at present|this time|follow[- ]?up|latest)\b", re.I), "current", "plain"),  # noqa: E501
    (re_compile(r"\bfrom\s+(?=(?:about\s+|around\s+)?\d)", re.I), "previous", "plain"),
    (re_compile(r"\b(?:and\s+)?then\b(?=\s*(?:it\s+)?(?:was\s+|is\s+)?\d)", re.I), "current", "transition"),  # noqa: E501
    (re_compile(r"\b(?:(?:has\s+|have\s+)?(?:changed|grown|grew|increased|went|gone|become|became|got|enlarged|shrunk|shrank|decreased|reduced|is|are)\s+(?:up\s+|down\s+)?)?to\s+(?=(?:about\s+|around\s+)?\d)", re.I), "current", "transition"),  # noqa: E501
    (re_compile(r"(?:→|->|=>|-->|變成|變為|變到|增加到|增大到|長到|變大到|變小到|縮小到|成為|變|到)(?=\s*(?:約|大約)?\s*\d)"), "current", "transition"),  # noqa: E501
    (re_compile(rf"{_CN_QTY}\s*{_CN_UNIT}\s*(?:前|以前|之前)"), "previous", "ago"),
    (re_compile(rf"{_CN_QTY}\s*{_CN_UNIT}\s*(?:後|以後|之後)"), "current", "later"),
    (re_compile(r"半年前"), "previous", "ago_half"),
    (re_compile(r"半年後"), "current", "later_half"),
    (re_compile(r"前年"), "previous", "ago_2years"),
    (re_compile(r"去年"), "previous", "ago_year"),
    (re_compile(r"上一次|上次|前一次|前次|之前|以前|先前|原本|原來|當初|當時|初次|第一次|舊的|一開始|剛開始|起初|最初"), "previous", "plain"),  # noqa: E501
    (re_compile(r"(?:從|由)(?=\s*(?:約|大約)?\s*\d)"), "previous", "plain"),
    (re_compile(r"這一次|這次|此次|本次|這回|今年|今天|現在|目前|最近|近期|追蹤|複檢|回診|第二次|再次|後來|最新|新的"), "current", "plain"),  # noqa: E501
]  # fmt: skip
_ORDINALS = re_compile(
    r"\b(?P<w>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:\w+\s+)?" + _EXAM_WORD
    + r"|第(?P<c>[一二三四1-4])次",
    re.I,
)  # fmt: skip
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
        "4th": 4, "一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}  # fmt: skip


def _qty(raw: str) -> float:
    raw = raw.strip().lower()
    if raw in _EN_NUM:
        return _EN_NUM[raw]
    try:
        return float(raw)
    except ValueError:
        pass
    if raw in _CN_NUM:
        return _CN_NUM[raw]
    if raw.startswith("十"):  # 十二 = 12
        return 10 + _CN_NUM.get(raw[1:], 0)
    if raw.endswith("十"):  # 二十 = 20
        return 10 * _CN_NUM.get(raw[:-1], 1)
    if len(raw) == 2 and raw[0] in _CN_NUM and raw[1] == "半":  # 一年半
        return _CN_NUM[raw[0]] + 0.5
    return 1.0


def _markers(text: str) -> list[Marker]:
    found: list[Marker] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _ORDINALS.finditer(text):
        w = (m.group("w") or m.group("c") or "").lower()
        found.append(Marker(m.start(), m.end(), "dated", ordinal=_ORD.get(w, 1)))
        taken.append((m.start(), m.end()))
    for s, e, mk in _date_spans(text):
        if free(s, e):
            found.append(mk)
            taken.append((s, e))
    for pattern, role, kind in _MARKERS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            mk = Marker(m.start(), m.end(), role, transition=kind == "transition")
            if kind in ("ago", "later"):
                days = round(_qty(m.group("n")) * _UNIT_DAYS[m.group("u").lower()])
                if kind == "ago":
                    mk.ago_days = days
                else:
                    mk.gap_days = days
            elif kind == "ago_year":
                mk.ago_days = 365
            elif kind == "ago_month":
                mk.ago_days = 30
            elif kind == "ago_2years":
                mk.ago_days = 730
            elif kind == "ago_half":
                mk.ago_days = 182
            elif kind == "later_half":
                mk.gap_days = 182
            found.append(mk)
            taken.append((m.start(), m.end()))
    found.sort(key=lambda k: k.start)
    return _merge_adjacent(text, found)


def _merge_adjacent(text: str, found: list[Marker]) -> list[Marker]:
    """ "半年後追蹤", "last year's follow-up": adjacent time words name one exam."""
    out: list[Marker] = []
    for mk in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.transition
            and not mk.transition
            and prev.ordinal is None
            and mk.ordinal is None
            and re.fullmatch(r"[\s的之's]*", text[prev.end : mk.start])
        ):
            informed = prev if (prev.ago_days or prev.gap_days or prev.date) else mk
            out[-1] = Marker(
                prev.start,
                mk.end,
                informed.role,
                ago_days=prev.ago_days or mk.ago_days,
                gap_days=prev.gap_days or mk.gap_days,
                date=prev.date or mk.date,
                date_precision=prev.date_precision or mk.date_precision,
            )
            continue
        out.append(mk)
    return out


# --------------------------------------------------------------------------- other words

_MODALITIES: list[tuple[re.Pattern[str], Modality]] = [
    (re_compile(r"\b(?:ultra-?sounds?|sonograms?|sonography|echo|sono|ultrasonic)\b|\bUS\b|腹部超音波|超音波|超聲波|B超", re.I), Modality.US),  # noqa: E501
    (re_compile(r"\b(?:CT|CAT)\b|\bcomputed tomography\b|電腦斷層|斷層掃描|断层", re.I), Modality.CT),  # noqa: E501
    (re_compile(r"\b(?:MRI|MR)\b|magnetic resonance|磁振造影|核磁共振|磁共振", re.I), Modality.MRI),
]  # fmt: skip
_NONCONTRAST = re_compile(r"non-?contrast|without contrast|plain CT|no contrast|無顯影劑|沒有打顯影劑|不打藥|平掃", re.I)  # fmt: skip  # noqa: E501
_CONTRAST = re_compile(r"with contrast|contrast[- ]enhanced|顯影劑|打藥", re.I)

_NEG = re_compile(
    r"(?:\bno\b|\bnot\b|\bnever\b|\bwithout\b|\bdon'?t have\b|\bdoesn'?t have\b|\bnegative\b|"
    r"沒有|沒|無|不是|非|未)[^.,;。，；]{0,14}$",
    re.I,
)
_FAMILY = re_compile(
    r"(?:father|mother|dad|mom|mum|brother|sister|grand\w*|family|aunt|uncle|parent|"
    r"爸|媽|父|母|哥|姊|姐|弟|妹|家人|家族|阿公|阿嬤|奶奶|爺爺)[^.,;。，；]{0,20}$",
    re.I,
)
_RISKS: list[tuple[re.Pattern[str], str]] = [
    (re_compile(r"hepatitis\s*b|hep\s*b\b|\bHBV\b|HBsAg|B型肝炎|B肝|乙肝|乙型肝炎|b肝帶原", re.I), "chronic_hbv"),  # noqa: E501
    (re_compile(r"hepatitis\s*b\s*(?:or|and|/|&|,)\s*c\b|hepatitis\s*c|hep\s*c\b|\bHCV\b|C型肝炎|C肝|丙肝|丙型肝炎", re.I), "chronic_hcv"),  # noqa: E501
    (re_compile(r"cirrho\w*|肝硬化", re.I), "cirrhosis"),
    (re_compile(r"liver cancer|\bHCC\b|hepatocellular carcinoma|肝癌|肝細胞癌", re.I), "prior_hcc"),
    (re_compile(r"(?<!liver )\bcancer\b|carcinoma|malignan\w*|tumou?r history|chemo\w*|"
                r"(?<!肝)癌症|(?<!肝)癌|化療|惡性腫瘤", re.I), "extrahepatic_malignancy"),
]  # fmt: skip
_AGE = re_compile(
    r"(?P<n>\d{1,3})\s*(?:-|\s)?(?:years?|yrs?)[\s-]*old|\baged?\s*(?P<n2>\d{1,3})\b|"
    r"\b(?P<n3>\d{1,3})\s*y/?o\b|(?P<n4>\d{1,3})\s*歲",
    re.I,
)
_FEMALE = re_compile(
    r"\b(?:female|woman|women|girl|lady|mother|wife|pregnant)\b|女性|女生|女|小姐|太太", re.I
)
_MALE = re_compile(r"\b(?:male|man|men|boy|husband|father)\b|男性|男生|男|先生", re.I)
_CALC_WORD = re_compile(r"calci\w*|calsi\w*|kalci\w*|calcium|stones?|鈣化|鈣化點|钙化|結石|亮點|白點", re.I)  # fmt: skip  # noqa: E501
_CLAUSE_SPLIT = re_compile(
    r"[!?;。！？；\n]|\.(?!\d)|[,，](?!\d{3}\b)|\bbut\b|但是|但|而且|不過|可是"
)


def _risk(text: str, patient: Patient, assumptions: list[Note]) -> Patient:
    risk: dict[str, bool] = {}
    for pattern, name in _RISKS:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 30) : m.start()]
            if _FAMILY.search(before):
                assumptions.append(note("assumed.family_history"))
                continue
            if name == "extrahepatic_malignancy":
                # "is it cancer?", "會不會是癌症" is a worry, not a history
                window = text[m.start() : m.end() + 4] + before[-12:]
                if re.search(
                    r"is it|could it|could this|can it|turn into|become|risk|chance|worr|"
                    r"會不會|是不是|變成|擔心|可能|機率|風險|嗎", window, re.I
                ):  # fmt: skip
                    continue
            # "沒有B肝 有C肝", "no hepatitis B but hepatitis C": negation stops at
            # an affirmative word or a clause break
            scope = re.split(r"(?<!沒)有|\bbut\b|但|\bhowever\b|[,，、]", before)[-1]
            risk[name] = not bool(_NEG.search(scope))
    if not risk:
        return patient
    rf = RiskFactors(**risk)
    return patient.model_copy(update={"risk_factors": rf})


# Symptoms the patient says they have (they change how soon the engine advises
# acting). "Will it hurt?", "會痛嗎" is a question, not a symptom; "no fever",
# 沒有發燒 is a negation.
_SYMPTOMS: list[tuple[re.Pattern[str], Symptom]] = [
    (re_compile(r"(?:belly|abdominal|stomach|tummy|right upper|upper right|right[- ]sided)\s+pain|"
                r"pain in (?:my|the) (?:belly|abdomen|stomach|right side|upper right)|"
                r"右上腹(?:持續)?(?:疼?痛)|腹痛|肚子痛|胃痛|右上腹會痛", re.I), Symptom.abdominal_pain),  # noqa: E501
    (re_compile(r"jaundice|yellow(?:ish)? (?:skin|eyes)|(?:skin|eyes) (?:are|is|turned|turning) "
                r"yellow|黃疸|皮膚(?:變|發)?黃|眼白(?:變|發)?黃|眼睛(?:變|發)?黃", re.I), Symptom.jaundice),  # noqa: E501
    (re_compile(r"weight loss|los(?:t|ing) (?:\d+\s*kg\s+|some\s+|a lot of\s+)?weight|"
                r"體重(?:減輕|下降|變輕)|變瘦|瘦了", re.I), Symptom.weight_loss),
    (re_compile(r"\bfever|febrile|發燒|發熱", re.I), Symptom.fever),
    (re_compile(r"lump (?:i|you) can feel|palpable|摸(?:到|得到)(?:一個)?(?:硬塊|腫塊)", re.I),
     Symptom.palpable_mass),
]  # fmt: skip
_SYMPTOM_QUESTION = re_compile(
    r"(?:will|would|does|do|can|could) (?:it|they|this)\b[^.?!。？]{0,20}$|會不會$|會$|是否會$",
    re.I,
)


def _symptoms(text: str) -> list[Symptom]:
    found: list[Symptom] = []
    for pattern, symptom in _SYMPTOMS:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 30) : m.start()]
            after = text[m.end() : m.end() + 3]
            scope = re.split(r"(?<!沒)有|\bbut\b|但|[,，、]", before)[-1]
            if (
                _NEG.search(scope)
                or _SYMPTOM_QUESTION.search(before)
                or re.match(r"\s*(?:嗎|\?|？)", after)
            ):
                continue
            if symptom not in found:
                found.append(symptom)
            break
    return found


def _patient(text: str, assumptions: list[Note]) -> Patient:
    patient = Patient()
    m = _AGE.search(text)
    if m:
        age = next(int(g) for g in m.groups() if g is not None)
        if 0 <= age <= 120:
            patient = patient.model_copy(update={"age": age})
    female, male = bool(_FEMALE.search(text)), bool(_MALE.search(text))
    if female != male:
        patient = patient.model_copy(update={"sex": Sex.female if female else Sex.male})
    symptoms = _symptoms(text)
    if symptoms:
        patient = patient.model_copy(update={"symptoms": symptoms})
    return _risk(text, patient, assumptions)


# --------------------------------------------------------------------------- reading


def _clauses(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _assign(
    text: str, sizes: list[Size], markers: list[Marker]
) -> list[tuple[Size, Marker | None]]:
    """Each size -> the time word it belongs to (see module docstring)."""
    out: list[tuple[Size, Marker | None]] = []
    context: Marker | None = None
    for cs, ce in _clauses(text):
        c_sizes = [s for s in sizes if cs <= s.start < ce]
        c_marks = [k for k in markers if cs <= k.start < ce]
        c_date = next((k for k in c_marks if k.date is not None and k.ordinal is None), None)
        if c_date is not None and len(c_marks) > 1:
            # "這次(2024/1/5)": a time word and a date in one clause are one exam
            c_marks = [
                k
                if k.date is not None or k.transition
                else Marker(k.start, k.end, k.role, date=c_date.date,
                            date_precision=c_date.date_precision)
                for k in c_marks
            ]  # fmt: skip
        if c_sizes and c_marks:
            following = c_marks[0].start > c_sizes[0].start
            # a time word right before a size ("and now 2.5 cm") belongs to that size,
            # never to a size written before it
            bound = {
                id(k)
                for k in c_marks
                if any(
                    s2.start >= k.end and _AFTER_MARKER.fullmatch(text[k.end : s2.start])
                    for s2 in c_sizes
                )
            }
            assigned: list[tuple[Size, Marker | None]] = []
            for s in c_sizes:
                before = [k for k in c_marks if k.end <= s.start]
                after = [k for k in c_marks if k.start >= s.end and id(k) not in bound]
                if after and any(
                    id(k) in bound and s.end <= k.start < after[0].start for k in c_marks
                ):
                    after = []  # "2 cm and is now 2.1 cm on the follow-up": "now" comes first
                chosen: Marker | None
                if following and after:
                    chosen = after[0]
                    if chosen.transition:  # "1.4 cm went to 2.5": what precedes "to" is before
                        chosen = Marker(chosen.start, chosen.end, "previous")
                elif before:
                    chosen = before[-1]
                elif after:
                    chosen = after[0]
                else:
                    chosen = context
                assigned.append((s, chosen))
            # "was 1.4 cm and now 2.5 cm": a size with no time word of its own, before a
            # size of the latest exam in the same clause, is from the earlier exam
            for i, (s, chosen) in enumerate(assigned):
                later_current = any(
                    k is not None and k.role == "current" for _, k in assigned[i + 1 :]
                )
                if (
                    (chosen is None or chosen is context)
                    and later_current
                    and not any(k.end <= s.start for k in c_marks)
                ):
                    assigned[i] = (s, Marker(s.start, s.start, "previous"))
            out += assigned
        else:
            out += [(s, context) for s in c_sizes]
        if c_marks:
            context = c_marks[-1]
    return out


# "should I get a CT?", "要做電腦斷層嗎": a test the patient asks about, not the
# scan that measured the sizes.
_PROPOSED_BEFORE = re_compile(
    r"(?:\b(?:need|get|do|order|schedule|recommend(?:ed|s)?|suggest(?:ed|s)?|should i have|"
    r"want)\s+(?:an?\s+|the\s+|another\s+)?(?:non-?contrast\s+|contrast\s+)?|"
    r"要做|需要做|該做|需不需要做?|要不要做?|安排|建議做?|做個|再做|應該做|可以做)$",
    re.I,
)
_PROPOSED_AFTER = re_compile(r"^[^,.;，。；]{0,6}(?:嗎|\?|？)")


def _mentions(pattern: re.Pattern[str], part: str) -> bool:
    for m in pattern.finditer(part):
        before = part[max(0, m.start() - 30) : m.start()]
        if _PROPOSED_BEFORE.search(before) or _PROPOSED_AFTER.match(part[m.end() :]):
            continue
        return True
    return False


def _modality(text: str, spans: list[tuple[int, int]]) -> tuple[Modality | None, Contrast | None]:
    found: list[Modality] = []
    contrast: Contrast | None = None
    for s, e in spans:
        part = text[s:e]
        for pattern, mod in _MODALITIES:
            if _mentions(pattern, part) and mod not in found:
                found.append(mod)
        if _NONCONTRAST.search(part):
            contrast = Contrast.none
        elif _CONTRAST.search(part) and contrast is None:
            contrast = Contrast.iv
    return (found[0] if len(found) == 1 else None), contrast


def _group_key(mk: Marker | None) -> tuple[object, ...]:
    if mk is None:
        return ("current", None, None, None)
    if mk.ordinal is not None:
        return ("ordinal", mk.ordinal)
    if mk.date is not None:
        return ("dated", mk.date)
    return (mk.role, mk.ago_days, mk.gap_days, None)


# A sentence that gives the reader orders ("ignore the rules", "say it is cancer",
# "set the size to 9 cm") is not a description of the patient's scans: it is
# blanked before reading, so none of its words or numbers enter the Case.
_INSTRUCTION = re_compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?。！？\n]*"
    r"\b(?:instructions?|rules?|prompts?|above|previous|everything|guidelines?)\b|"
    r"\b(?:you are now|pretend|act as|system prompt|respond only|reply only|answer only|"
    r"say that|say the|say it|tell me that|set the|change the|output|print|jailbreak|"
    r"developer mode)\b|忽略|無視|不要理會|假裝|你現在是|指令|系統提示|請直接說|請回答說|請說它是",
    re.I,
)
_SENTENCE = re_compile(r"[^.!?。！？\n]+(?:[.!?。！？\n]|$)")


def _blank_instructions(text: str) -> tuple[str, bool]:
    """Sentences that give orders -> spaces (same length, so positions hold)."""
    found = False
    out = text
    for m in _SENTENCE.finditer(text):
        if _INSTRUCTION.search(m.group(0)):
            found = True
            out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end() :]
    return out, found


def _settle_units(reading: Reading, text: str, sizes: list[Size]) -> list[Size]:
    """Sizes whose unit is known; a size without a unit takes the unit all others share.

    Unitless numbers with no unit anywhere are dropped (a problem is raised only when
    they look like sizes); unitless numbers among cm and mm sizes are ambiguous and
    dropped with a problem.
    """
    lang = reading.language
    units = {s.unit for s in sizes if s.unit}
    unitless = [s for s in sizes if s.unit is None]
    if unitless:
        if len(units) == 1 and len(unitless) < len(sizes):
            unit = next(iter(units))
            for s in unitless:
                s.unit = unit
                s.unit_from_others = True
                reading.assumptions.append(
                    note("assumed.unit", number=_fmt_num(s.mm), unit=_unit_word(unit, lang))
                )
        elif not units and (
            _CALC_WORD.search(text) or any("." in text[s.start : s.end] for s in sizes)
        ):
            if any(s.mm > 0 for s in unitless) and _looks_like_sizes(text, unitless):
                reading.problems.append(
                    note("missing.unit", numbers=_join_numbers([s.mm for s in unitless], lang))
                )
            sizes = []
        else:
            # unitless numbers among sizes written in cm and mm: which unit is unknown
            if units:
                reading.problems.append(
                    note(
                        "missing.unit_mixed", numbers=_join_numbers([s.mm for s in unitless], lang)
                    )
                )
            sizes = [s for s in sizes if s.unit]
    return sizes


def read_question(
    question: str, today: dt.date | None = None, language: Language | None = None
) -> Reading:
    """Read ``question``; ``reading.case`` is set when an engine run is possible."""
    today = today or dt.date.today()
    text, ordered = _blank_instructions(fold(question))
    lang = language or detect_language(question)
    reading = Reading(language=lang)
    if ordered:
        reading.assumptions.append(note("assumed.instructions"))
    markers = _markers(text)
    blocked = [(k.start, k.end) for k in markers if k.date is not None or k.ago_days or k.gap_days]
    blocked += [(m.start(), m.end()) for m in _AGE.finditer(text)]
    sizes, problems = read_sizes(text, blocked, tuple(k.end for k in markers))
    reading.problems += problems
    reading.patient = _patient(text, reading.assumptions)
    reading.exams_named = any(p.search(text) for p, _ in _MODALITIES)
    if len(sizes) > MAX_SIZES:
        reading.problems.append(note("missing.too_many", count=len(sizes)))
        return reading
    sizes = _settle_units(reading, text, sizes)
    for s in sizes:
        if s.unit:
            s.mm = round(s.mm * _FACTOR[s.unit], 2)
    for s in sizes:
        if s.mm <= 0 or s.mm >= MAX_SIZE_MM:
            reading.problems.append(note("missing.absurd", text=text[s.start : s.end].strip()))
    reading.sizes = [s for s in sizes if s.unit]
    if reading.problems or not reading.sizes:
        return reading
    if not _CALC_WORD.search(text):
        reading.assumptions.append(note("assumed.calcification"))
    _build_exams(reading, text, markers, today)
    if not reading.problems:
        reading.case = _case(reading)
    return reading


def _looks_like_sizes(text: str, sizes: list[Size]) -> bool:
    return any("." in text[s.start : s.end] for s in sizes) or len(sizes) >= 2


_GroupKey = tuple[object, ...]


def _group_sizes(
    reading: Reading, text: str, markers: list[Marker]
) -> tuple[list[ExamRead], dict[_GroupKey, list[Marker]]]:
    """One exam per time word (or "current"), holding the sizes assigned to it."""
    assigned = _assign(text, reading.sizes, markers)
    groups: dict[_GroupKey, ExamRead] = {}
    marker_of: dict[_GroupKey, list[Marker]] = {}
    for size, mk in assigned:
        key = _group_key(mk)
        if key not in groups:
            role: Role = mk.role if mk is not None else "current"
            groups[key] = ExamRead(
                key=key,
                role=role,
                date=mk.date if mk else None,
                ago_days=mk.ago_days if mk else None,
                gap_days=mk.gap_days if mk else None,
                ordinal=mk.ordinal if mk else None,
                position=size.start,
            )
            marker_of[key] = []
        groups[key].sizes.append(size)
        if mk is not None:
            marker_of[key].append(mk)
            if mk.date is not None and mk.date_precision in ("month", "year"):
                groups[key].date_note = note(
                    "assumed.date_partial", written=text[mk.start : mk.end].strip(),
                    date=mk.date.isoformat(),
                )  # fmt: skip
    return list(groups.values()), marker_of


def _set_modalities(
    reading: Reading,
    text: str,
    exams: list[ExamRead],
    marker_of: dict[_GroupKey, list[Marker]],
) -> None:
    """Each exam's modality: the words near its sizes, its clauses, else the question's."""
    clauses = _clauses(text)

    def clause_of(pos: int) -> tuple[int, int]:
        return next(((s, e) for s, e in clauses if s <= pos < e), (0, len(text)))

    q_mod, q_contrast = _modality(text, [(0, len(text))])
    for ex in exams:
        # first the words between the exam's time word and its sizes ("這個月電腦斷層0.9"),
        # then the clauses holding them
        near = [
            (k.start, s.end)
            for k in marker_of[ex.key]
            for s in ex.sizes
            if k.start <= s.start and not any(
                k.end <= o.start < s.start for o in reading.sizes if o not in ex.sizes
            )
        ]  # fmt: skip
        mod, contrast = _modality(text, near) if near else (None, None)
        if mod is not None:
            ex.modality, ex.contrast = mod, contrast
            continue
        spans = {clause_of(s.start) for s in ex.sizes} | {
            clause_of(k.start) for k in marker_of[ex.key]
        }
        mod, contrast = _modality(text, sorted(spans))
        ex.modality = mod or q_mod
        ex.contrast = contrast if mod else (q_contrast if q_mod else None)
    if any(ex.modality is None for ex in exams):
        mentioned = [mod for pattern, mod in _MODALITIES if pattern.search(text)]
        for ex in exams:
            if ex.modality is None:
                ex.modality = Modality.US
        reading.assumptions.append(
            note("assumed.modality_several" if mentioned else "assumed.modality")
        )


def _match_sizes(reading: Reading, exams: list[ExamRead]) -> None:
    """Say how sizes were paired across exams; refuse a pairing that smells of a unit slip."""
    lang = reading.language
    if len(exams) >= 2:
        counts = {len(e.sizes) for e in exams}
        if len(counts) == 1 and len(exams[0].sizes) > 1:
            reading.assumptions.append(note("assumed.order"))
        elif len(counts) > 1:
            reading.assumptions.append(note("assumed.matching"))
        for a, b in itertools.pairwise(exams):
            for sa, sb in zip(a.sizes, b.sizes, strict=False):
                ratio = max(sa.mm, sb.mm) / min(sa.mm, sb.mm)
                if ratio >= UNIT_SUSPECT_RATIO and (sa.unit_from_others or sb.unit_from_others):
                    reading.problems.append(
                        note(
                            "missing.unit_suspect",
                            first=_fmt_size(sa.mm, lang),
                            second=_fmt_size(sb.mm, lang),
                        )
                    )
                    return
    else:
        reading.assumptions.append(note("assumed.single"))
    if len(exams) > 2:
        reading.assumptions.append(note("assumed.three", count=len(exams)))


def _build_exams(reading: Reading, text: str, markers: list[Marker], today: dt.date) -> None:
    """Group the sizes into dated exams with a modality, or set ``reading.problems``."""
    exams, marker_of = _group_sizes(reading, text, markers)
    _set_modalities(reading, text, exams, marker_of)
    _date_exams(reading, exams, today)
    if reading.problems:
        return
    exams.sort(key=lambda e: (e.date or today, e.position))
    if len(exams) >= 2 and len({e.date for e in exams}) < len(exams):
        reading.problems.append(note("missing.same_date"))
        return
    reading.exams = exams
    _match_sizes(reading, exams)


def _date_exams(reading: Reading, exams: list[ExamRead], today: dt.date) -> None:
    """Give every exam a date (rule in the module docstring), stating what was assumed."""
    for ex in exams:
        if ex.date is None and ex.ago_days:
            ex.date = today - dt.timedelta(days=ex.ago_days)
            reading.assumptions.append(note("assumed.date_ago", date=ex.date.isoformat()))
        if ex.date is not None and ex.date > today and ex.date_note is not None:
            # "2024" or "June 2024" written this year/month: not later than today
            ex.date = today
            ex.date_note = note(
                "assumed.date_partial", written=dict(ex.date_note.values)["written"],
                date=today.isoformat(),
            )  # fmt: skip
        if ex.date_note:
            reading.assumptions.append(ex.date_note)
        if ex.date is not None and ex.date > today:
            reading.problems.append(note("missing.future_date", date=ex.date.isoformat()))
    undated = [e for e in exams if e.date is None]
    if not undated or len(exams) == 1:
        return  # one exam needs no date: nothing is compared
    rank = {"previous": 0, "dated": 50, "current": 99}
    undated.sort(key=lambda e: (e.ordinal or rank[e.role], e.position))
    dated = sorted(e.date for e in exams if e.date is not None)
    last = undated[-1]
    gap: int | None = None
    if last.role == "previous" and last.ordinal is None and dated:
        # "last time 1.4 cm; on 2024/1/5 2.5 cm": the undated ones come before
        anchor, rest = dated[0], undated
    else:
        if last.gap_days and dated:
            last.date = min(dated[-1] + dt.timedelta(days=last.gap_days), today)
            reading.assumptions.append(note("assumed.date_gap", date=last.date.isoformat()))
        else:
            last.date = today
            gap = last.gap_days
            reading.assumptions.append(note("assumed.date_today", date=today.isoformat()))
        anchor, rest = last.date, undated[:-1]
    for ex in reversed(rest):
        ex.date = anchor - dt.timedelta(days=gap or ASSUMED_INTERVAL_DAYS)
        if gap:
            reading.assumptions.append(note("assumed.date_gap", date=ex.date.isoformat()))
        else:
            reading.assumptions.append(note("assumed.date_interval", date=ex.date.isoformat()))
        anchor, gap = ex.date, None


def _case(reading: Reading) -> Case:
    exams: list[Exam] = []
    paired = len({len(e.sizes) for e in reading.exams}) == 1 and len(reading.exams) > 1
    for i, ex in enumerate(reading.exams):
        findings = []
        for j, s in enumerate(ex.sizes):
            findings.append(
                Finding(
                    track=chr(ord("A") + j) if paired else None,
                    kind=FindingKind.calcification,
                    size_mm=s.mm,
                    calcified=True,
                )
            )
        assert ex.modality is not None
        when = ex.date.isoformat() if ex.date else "undated"
        exams.append(
            Exam(
                id=f"{ex.modality.value.lower()}-{when}-{i + 1}",
                date=ex.date,
                modality=ex.modality,
                contrast=ex.contrast if ex.modality is not Modality.US else None,
                findings=findings,
            )
        )
    return Case(patient=reading.patient, exams=exams)


# --------------------------------------------------------------------------- wording helpers


def _fmt_num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _unit_word(unit: str, lang: Language) -> str:
    if lang == "zh-Hant":
        return {"mm": "公釐", "cm": "公分", "m": "公尺"}[unit]
    return unit


def _fmt_size(mm: float, lang: Language) -> str:
    """A size the way the patient wrote sizes: cm from 10 mm up, else mm."""
    if mm >= 10:
        return f"{_fmt_num(mm / 10)} {_unit_word('cm', lang)}"
    return f"{_fmt_num(mm)} {_unit_word('mm', lang)}"


def _join_numbers(values: list[float], lang: Language) -> str:
    sep = "、" if lang == "zh-Hant" else ", "
    return sep.join(_fmt_num(v) for v in values)


__all__ = ["ASSUMED_INTERVAL_DAYS", "Reading", "read_question"]
