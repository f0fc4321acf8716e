"""What a report says about the patient: risk factors, background liver, symptoms, age, sex.

The findings reader (``reports/reader.py``) answers "what is in the liver now?".
This module answers the other question a report answers, the one the engine's
risk tier and LI-RADS depend on: "who is this patient?" ("62-year-old man with
chronic hepatitis B", "nodular cirrhotic liver", "history of colorectal cancer").

Each mention keeps its evidence span and its context:

* **negated** ("no history of liver disease", "denies fever", "HBsAg negative");
* **hedged** ("possible cirrhosis", "?HCC") and **hypothetical** ("evaluate for
  cirrhosis", "HCC surveillance"): not facts about the patient;
* **family** ("mother had HCC", a FAMILY HISTORY section): another person.

Only *asserted* mentions (none of the above) are meant to fill a case; the
rest are returned so a reviewer (and the engine's notes) can see what was
read and why it was not used. Precision is preferred to recall on purpose: a
false "cirrhosis" changes management, a missed one leaves the factor
"unknown", which the engine already states.

The phrases are data (``data/patient_context.yaml``), validated and compiled
into one alternation per factor when this module is imported. Negation and
hypothesis triggers of the findings reader (``context.read_context``) apply
too, with patient-side triggers added ("denies", "no known", "negative").
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from hepcalc.datafiles import load_yaml
from hepcalc.errors import InputError
from hepcalc.model import MAX_REPORT_CHARS, RISK_FACTOR_NAMES, Evidence, Sex, Symptom
from hepcalc.regex_cache import re_compile
from hepcalc.reports import sections as sections_mod
from hepcalc.reports import sentences as sentences_mod
from hepcalc.reports.context import read_context

_WS = "[ \\t\\n]+"
_HISTORY_LIKE = frozenset({"history", "indication"})
_HISTORY_WORDS = ("PMH", "PSH", "HX", "MEDICAL", "ONCOLOG", "BACKGROUND", "DIAGNOS")
_SYMPTOM_SECTIONS = frozenset({"history", "indication", "body", "exam"})
_WINDOW = 160  # characters of the clause looked at before a term (about 25 words)
_QUOTE_CHARS = 110
_MAX_MENTIONS = 400  # a report states a patient's history in a handful of phrases

CANCER_FACTOR = "extrahepatic_malignancy"
_FACTORS = frozenset(RISK_FACTOR_NAMES) | {"on_chemotherapy"}


class LexiconError(ValueError):
    """The lexicon data file is malformed (raised at import, naming the entry)."""


def _phrase(p: str) -> str:
    """A lexicon phrase as a regex fragment: a space matches any run of whitespace.

    Spaces inside a character class (``[ -]``) stay literal characters of the class.
    """
    out: list[str] = []
    in_class = False
    escaped = False
    for ch in p:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == " " and not in_class:
            out.append(_WS)
            continue
        out.append(ch)
    return "".join(out)


def _compile(name: str, phrases: list[str], flags: int = re.I) -> re.Pattern[str] | None:
    if not phrases:
        return None
    for p in phrases:
        if not isinstance(p, str) or not p.strip():
            raise LexiconError(f"{name}: every phrase must be a non-empty string, got {p!r}")
        try:
            re_compile(_phrase(p))
        except re.error as e:
            raise LexiconError(f"{name}: phrase {p!r} is not a valid pattern ({e})") from None
    body = "|".join(f"(?:{_phrase(p)})" for p in sorted(phrases, key=len, reverse=True))
    return re_compile(rf"(?<![\w/-])(?:{body})(?![\w])", flags)


def _one(name: str, pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise LexiconError(f"{name}: must be a non-empty pattern string")
    try:
        return re_compile(_phrase(pattern), re.I)
    except re.error as e:
        raise LexiconError(f"{name}: not a valid pattern ({e})") from None


@dataclass(frozen=True, slots=True)
class _Entry:
    """One factor or symptom of the lexicon, compiled."""

    name: str
    terms: re.Pattern[str] | None
    cased: re.Pattern[str] | None
    pseudo: re.Pattern[str] | None
    needs_cue: bool
    imaging: bool
    gate: _Gate | None  # literals a text must hold for ``terms`` to match (lower case)
    cased_gate: _Gate | None  # the same for ``cased``, in the case written


@dataclass(frozen=True, slots=True)
class _Measures:
    """Signs stated as numbers (temperature, bilirubin) and their thresholds (data)."""

    fever_min_celsius: float
    jaundice_min_bilirubin_mg_dl: float
    bilirubin_umol_per_mg_dl: float
    citations: tuple[str, ...]
    temperature: re.Pattern[str]
    bilirubin: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    measures: _Measures
    entries: tuple[_Entry, ...]
    symptoms: tuple[_Entry, ...]
    steatosis: re.Pattern[str]
    sites: re.Pattern[str]  # one named group per primary site (``m.lastgroup``)
    site_hint: re.Pattern[str]  # a cancer word: where ``sites`` is worth running
    reassert: re.Pattern[str]
    cue: re.Pattern[str]
    neg_before: re.Pattern[str]
    neg_after: re.Pattern[str]
    hedge_before: re.Pattern[str]
    hypothetical_before: re.Pattern[str]
    family: re.Pattern[str]
    terminate: re.Pattern[str]


_ENTRY_KEYS = {"terms", "case_sensitive", "pseudo", "needs_cue", "imaging"}


def _entry(name: str, raw: Any) -> _Entry:
    if not isinstance(raw, dict):
        raise LexiconError(f"{name}: must be a mapping")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise LexiconError(f"{name}: unknown keys {sorted(unknown)}")
    terms = raw.get("terms") or []
    cased = raw.get("case_sensitive") or []
    if not terms and not cased:
        raise LexiconError(f"{name}: needs at least one term")
    for key in ("needs_cue", "imaging"):
        if not isinstance(raw.get(key, False), bool):
            raise LexiconError(f"{name}.{key}: must be true or false")
    return _Entry(
        name=name,
        terms=_compile(f"{name}.terms", terms),
        cased=_compile(f"{name}.case_sensitive", cased, flags=0),
        pseudo=_compile(f"{name}.pseudo", raw.get("pseudo") or []),
        needs_cue=bool(raw.get("needs_cue", False)),
        imaging=bool(raw.get("imaging", False)),
        gate=_gate(terms, fold=True),
        cased_gate=_gate(cased, fold=False),
    )


def _literal_runs(phrase: str, fold: bool = True) -> list[str]:
    """Literals of which every match of ``phrase`` holds at least one (lower case).

    The most selective such set: each required letter run is a candidate on its
    own ("hepatitis" in "(?:chronic )?hepatitis b"), and so is each required group
    whose every alternative has one ("(?:cycles?|courses?)" gives cycle, course).
    The candidate whose shortest literal is longest wins, so "(?:known|history of)
    (?:malignancy|cancer)" is anchored on malignancy/cancer, not on "of", which
    every report holds. A letter made optional by ``?``/``*``/``{`` is dropped from
    its run ("fevers?" -> "fever"). Empty when no candidate exists (no pre-check).

    >>> _literal_runs("(?:on|after) (?:\\w+ ){0,3}(?:cycles?|courses?) of therapy")
    ['therapy']
    >>> _literal_runs("(?:known|hx of) (?:primary )?(?:malignancy|cancer)")
    ['cancer', 'malignancy']
    """
    found = _required_literals(phrase, fold)
    return sorted(found) if found else []


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The candidate set whose shortest literal is longest (then the smallest set)."""
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)))


def _split_top(pattern: str, sep: str = "|") -> list[str]:
    """``pattern`` split at ``|`` outside groups, classes and escapes."""
    parts: list[str] = []
    depth, cur, i = 0, [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            close = _class_end(pattern, i)
            cur.append(pattern[i:close])
            i = close
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def _class_end(pattern: str, i: int) -> int:
    """Index just after the character class opening at ``i``."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    """Index just after the group opening at ``i`` (``len`` when unbalanced)."""
    depth, j = 0, i
    while j < len(pattern):
        ch = pattern[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            j = _class_end(pattern, j)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(pattern)


def _optional_at(pattern: str, j: int) -> bool:
    """Whether the quantifier at ``j`` (if any) lets the item before it be absent."""
    return j < len(pattern) and (pattern[j] in "?*" or pattern.startswith(("{0,", "{0}", "{,"), j))


def _required_literals(pattern: str, fold: bool = True) -> frozenset[str] | None:
    """A set of literals (lower case if ``fold``) every match of ``pattern`` holds one
    of, or None.

    Conservative: anything it does not understand contributes no candidate, so the
    answer may be None (no pre-check) but never a set a match could miss.
    """
    alternatives = _split_top(pattern)
    if len(alternatives) > 1:
        union: set[str] = set()
        for alt in alternatives:
            got = _required_literals(alt, fold)
            if got is None:
                return None
            union |= got
        return frozenset(union)
    return _best(_candidates(pattern, fold))


def _candidates(pattern: str, fold: bool) -> list[frozenset[str]]:
    """Every literal set a match of the sequence ``pattern`` (no top-level ``|``)
    must hold one of: its required letter runs and its required groups."""
    candidates: list[frozenset[str]] = []
    run, i = "", 0

    def close_run() -> None:
        if len(run) >= 2:
            candidates.append(frozenset({run}))

    while i < len(pattern):
        ch = pattern[i]
        if ch.isalpha() and ch.isascii():
            if _optional_at(pattern, i + 1):
                close_run()
                run = ""
            else:
                run += ch.lower() if fold else ch
            i += 1
            continue
        close_run()
        run = ""
        if ch == "\\":
            i += 2
        elif ch == "[":
            i = _class_end(pattern, i)
        elif ch == "(":
            end = _group_end(pattern, i)
            body = pattern[i + 1 : end - 1]
            lookaround = body.startswith(("?=", "?!", "?<=", "?<!"))
            if body.startswith("?:"):
                body = body[2:]
            elif body.startswith("?P<"):
                body = body[body.find(">") + 1 :]
            elif body.startswith("?"):
                lookaround = True  # flags, conditionals: not understood, no candidate
            if not lookaround and not _optional_at(pattern, end):
                got = _required_literals(body, fold)
                if got:
                    candidates.append(got)
            i = end
        else:
            i += 1
    close_run()
    return candidates


@dataclass(frozen=True, slots=True)
class _Gate:
    """Literals a text must hold before a factor's alternation is worth running.

    ``single``: phrases anchored by one literal set (a drug name, "cirrhosis"): any
    of these literals lets the text pass. ``joint``: phrases that need a literal of
    each of several sets ("(?:from|born in) (?:peru|iraq)"), rarest set first.
    """

    single: frozenset[str]
    joint: tuple[tuple[frozenset[str], ...], ...]

    def passes(self, hay: str) -> bool:
        """Whether ``hay`` holds what some phrase needs (a cheap substring test)."""
        if any(a in hay for a in self.single):
            return True
        return any(all(any(a in hay for a in s) for s in sets) for sets in self.joint)


def _gate(phrases: list[str], fold: bool) -> _Gate | None:
    """The pre-check for ``phrases``: per phrase, the literal sets a match must hold
    one of each.

    A text passes when, for some phrase, every set has a literal in the text, so a
    common word alone ("from", "right", "treatment") no longer sends every report
    through the factor's alternation. None (no pre-check) when a phrase has no
    literal of two letters or more. Most reports name no factor at all; this keeps
    the reader fast on them.

    >>> g = _gate(["(?:from|born in) (?:peru|iraq)", "hydatid"], fold=True)
    >>> g.passes("born in iraq"), g.passes("came from the clinic"), g.passes("hydatid")
    (True, False, True)
    """
    if not phrases:
        return None
    single: set[str] = set()
    joint: set[tuple[frozenset[str], ...]] = set()
    for p in phrases:
        one = _required_literals(p, fold) if len(_split_top(p)) > 1 else None
        sets = [one] if one else _candidates(p, fold)
        if not sets:
            return None
        if len(sets) == 1:
            single |= sets[0]
        else:
            joint.add(tuple(sorted(set(sets), key=lambda c: (-min(map(len, c)), len(c)))))
    # a phrase with a set among the single literals adds nothing: that literal alone
    # already lets the text pass
    kept = tuple(sets for sets in joint if not any(s <= single for s in sets))
    return _Gate(frozenset(single), kept)


def _alternation(name: str, phrases: Any) -> str:
    """A data list as one regex alternation (longest first), for a ``{slot}`` in a term."""
    if not isinstance(phrases, list) or not phrases:
        raise LexiconError(f"{name}: must be a non-empty list")
    for p in phrases:
        if not isinstance(p, str) or not p.strip():
            raise LexiconError(f"{name}: every phrase must be a non-empty string, got {p!r}")
        try:
            re_compile(_phrase(p))
        except re.error as e:
            raise LexiconError(f"{name}: phrase {p!r} is not a valid pattern ({e})") from None
    return "|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True))


def _expand(name: str, raw: Any, slots: dict[str, str], data: dict[str, Any]) -> Any:
    """A factor entry with each ``{slot}`` (``{drug}``, ``{endemic_place}``) filled in
    from the data list the slot names (validated when a phrase uses it)."""
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    for key in ("terms", "case_sensitive", "pseudo"):
        phrases = raw.get(key)
        if not isinstance(phrases, list):
            continue
        filled = []
        for p in phrases:
            if isinstance(p, str):
                for slot, source in slots.items():
                    if slot in p:
                        p = p.replace(slot, f"(?:{_alternation(source, data.get(source))})")
                if re.search(r"\{[a-z_]+\}", p):
                    raise LexiconError(f"{name}.{key}: unknown slot in {p!r}")
            filled.append(p)
        out[key] = filled
    return out


_NUMBER = r"\d{2,3}(?:[.,]\d{1,2})?"
_DEGREE = r"(?:°|º|˚|deg(?:rees?)?\.?)"
_UNIT = r"(?:c|f|celsius|fahrenheit|centigrade)(?![a-z])"
_FILLER = (
    r"(?:[ \t]*(?::|=|of|to|up[ \t]+to|at|was|is|reaching|reached|max(?:imum)?|peak(?:ed|ing)?"
    r"|recorded|measured|as[ \t]+high[ \t]+as|>|≥|>=|over|above|\(|-)[ \t]*){0,3}[ \t]*"
)


def _measurements(raw: Any) -> _Measures:
    """The measured-sign thresholds and patterns; every problem names its key."""
    if not isinstance(raw, dict):
        raise LexiconError("measurements: must be a mapping")
    nums = {}
    for key in ("fever_min_celsius", "jaundice_min_bilirubin_mg_dl", "bilirubin_umol_per_mg_dl"):
        value = raw.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise LexiconError(f"measurements.{key}: must be a positive number")
        nums[key] = float(value)
    cites = raw.get("citations")
    if not isinstance(cites, list) or not cites or not all(isinstance(c, str) for c in cites):
        raise LexiconError("measurements.citations: a threshold needs at least one citation key")
    temp_cue = _one("measurements.temperature_cue", raw.get("temperature_cue")).pattern
    bili_cue = _one("measurements.bilirubin_cue", raw.get("bilirubin_cue")).pattern
    # "39.2 °C" (a degree unit and C/F) anywhere; "temp 38.6", "febrile to 101.5 F" after a cue
    temperature = re_compile(
        rf"(?<![\w.])(?:(?P<cue>{temp_cue}){_FILLER}(?P<num>{_NUMBER})"
        rf"(?:(?P<deg>[ \t]*{_DEGREE})?[ \t]*(?P<unit>{_UNIT}))?"
        rf"|(?P<bare>{_NUMBER})(?P<bdeg>[ \t]*{_DEGREE})?[ \t]*(?P<bunit>{_UNIT}))",
        re.I,
    )
    bilirubin = re_compile(
        rf"(?<![\w/-])(?P<cue>{bili_cue})(?:[ \t]+level)?{_FILLER}"
        rf"(?P<num>\d{{1,3}}(?:[.,]\d{{1,2}})?)(?:[ \t]*(?P<unit>mg[ \t]*/[ \t]*dl|mg%"
        rf"|[µμu]mol[ \t]*/[ \t]*l|micromol(?:es)?[ \t]*/[ \t]*l|mmol[ \t]*/[ \t]*l))?(?![\w])",
        re.I,
    )
    return _Measures(
        fever_min_celsius=nums["fever_min_celsius"],
        jaundice_min_bilirubin_mg_dl=nums["jaundice_min_bilirubin_mg_dl"],
        bilirubin_umol_per_mg_dl=nums["bilirubin_umol_per_mg_dl"],
        citations=tuple(cites),
        temperature=temperature,
        bilirubin=bilirubin,
    )


def _site_patterns(data: dict[str, Any]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One pattern, a named group per primary site: "colon cancer", "carcinoma of the colon"."""
    words = data.get("cancer_words")
    if not isinstance(words, list) or not words:
        raise LexiconError("cancer_words: must be a non-empty list")
    cancer = "|".join(_phrase(w) for w in words)
    modifier = r"(?:(?!(?:no|not|or|and|with|without)\b)[a-z-]+[ \t\n]+){0,2}"
    out: list[tuple[str, str]] = []
    for site, phrases in (data.get("cancer_sites") or {}).items():
        if not isinstance(phrases, list) or not phrases:
            raise LexiconError(f"cancer_sites.{site}: must be a non-empty list")
        site_rx = "|".join(_phrase(p) for p in sorted(phrases, key=len, reverse=True))
        rx = (
            rf"(?<![\w/-])(?:(?:{site_rx})[ \t\n]+{modifier}(?:{cancer})"
            rf"|(?:{cancer})[ \t\n]+(?:of|in)[ \t\n]+(?:the[ \t\n]+)?(?:{site_rx})"
            rf"|metasta\w+[ \t\n]+from[ \t\n]+(?:an?[ \t\n]+|the[ \t\n]+)?(?:known[ \t\n]+)?"
            rf"(?:{site_rx})"
            rf"|(?:{site_rx})[ \t\n]+(?:cancer[ \t\n]+)?(?:liver[ \t\n]+|hepatic[ \t\n]+)?"
            rf"metastas[ie]s)(?![\w])"
        )
        try:
            re_compile(rx, re.I)
        except re.error as e:
            raise LexiconError(f"cancer_sites.{site}: not a valid pattern ({e})") from None
        out.append((site, rx))
    for site, phrases in (data.get("named_cancers") or {}).items():
        if not isinstance(phrases, list) or not phrases:
            raise LexiconError(f"named_cancers.{site}: must be a non-empty list")
        pattern = _compile(f"named_cancers.{site}", phrases)
        assert pattern is not None
        out.append((site, pattern.pattern))
    if not out:
        raise LexiconError("cancer_sites: at least one site is needed")
    seen: set[str] = set()
    for site, _ in out:
        if not site.isidentifier() or site in seen:
            raise LexiconError(f"cancer site {site!r}: must be a unique identifier-like code")
        seen.add(site)
    # one pass for every site (a named group per site), run only in windows around
    # a cancer word: most of a long report is far from any, and the site alternation
    # is the costliest pattern of this module
    # the cancer words are whole words ("ca", not "case" or "calcified": as a prefix
    # "ca" opened a window at nearly every sentence); "metasta" and the named
    # cancers' literals are stems ("metastases", "leukaemia")
    stems = {"metasta"}
    for phrases in (data.get("named_cancers") or {}).values():
        for p in phrases:
            stems.update(_literal_runs(p))
    hint = re_compile(
        r"\b(?:(?:" + "|".join(_phrase(w) for w in words) + r")(?![\w])"
        r"|" + "|".join(sorted(stems)) + ")",
        re.I,
    )
    return re_compile("|".join(f"(?P<{site}>{rx})" for site, rx in out), re.I), hint


def _load(data: dict[str, Any]) -> _Lexicon:
    """Validate and compile the lexicon; every problem names its entry."""
    if not isinstance(data, dict):
        raise LexiconError("the lexicon must be a mapping")
    factors = data.get("factors")
    if not isinstance(factors, dict) or not factors:
        raise LexiconError("factors: must be a non-empty mapping")
    for name in factors:
        if name not in _FACTORS:
            raise LexiconError(
                f"factors.{name}: not a risk factor of the Case ({sorted(_FACTORS)})"
            )
    symptoms = data.get("symptoms")
    if not isinstance(symptoms, dict) or not symptoms:
        raise LexiconError("symptoms: must be a non-empty mapping")
    known_symptoms = {s.value for s in Symptom}
    for name in symptoms:
        if name not in known_symptoms:
            raise LexiconError(f"symptoms.{name}: not a Symptom code ({sorted(known_symptoms)})")
    slots = {"{drug}": "chemotherapy_drugs", "{endemic_place}": "endemic_places"}
    factors = {n: _expand(f"factors.{n}", r, slots, data) for n, r in factors.items()}
    entries = tuple(_entry(f"factors.{n}", r) for n, r in factors.items())
    symptom_entries = tuple(_entry(f"symptoms.{n}", r) for n, r in symptoms.items())
    steatosis = _compile("steatosis", data.get("steatosis") or [])
    if steatosis is None:
        raise LexiconError("steatosis: needs at least one phrase")
    sites, site_hint = _site_patterns(data)
    measures = _measurements(data.get("measurements"))
    return _Lexicon(
        measures=measures,
        entries=entries,
        symptoms=symptom_entries,
        steatosis=steatosis,
        sites=sites,
        site_hint=site_hint,
        reassert=_one("reassert", data.get("reassert")),
        cue=_one("assertion_cues", data.get("assertion_cues")),
        neg_before=_one("negation_before", data.get("negation_before")),
        neg_after=_one("negation_after", data.get("negation_after")),
        hedge_before=_one("hedge_before", data.get("hedge_before")),
        hypothetical_before=_one("hypothetical_before", data.get("hypothetical_before")),
        family=_one("family", data.get("family")),
        terminate=_one("terminate", data.get("terminate")),
    )


def load_lexicon(text: str) -> _Lexicon:
    """Parse and validate lexicon YAML text (used at import and by the tests)."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        raise LexiconError(f"malformed YAML: {e}") from None
    return _load(data)


LEXICON = load_lexicon(
    resources.files("hepcalc.reports").joinpath("data/patient_context.yaml").read_text("utf-8")
)


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """One statement about the patient, with its context and where it was read.

    ``name`` is a risk-factor name (``"chronic_hbv"``), ``"symptom:<code>"``,
    ``"background:<cirrhosis|steatosis>"``, ``"age"`` or ``"sex"``; ``value`` is
    True for a factor or symptom, years for age, a ``Sex`` for sex. ``detail`` is
    the primary site of a known cancer (``"colorectal"``) when stated.
    """

    name: str
    value: Any
    term: str
    start: int
    end: int
    evidence: Evidence
    quote: str
    negated: bool = False
    hedged: bool = False
    hypothetical: bool = False
    family: bool = False
    detail: str | None = None

    @property
    def asserted(self) -> bool:
        """True when the report states this about the patient as a fact."""
        return not (self.negated or self.hedged or self.hypothetical or self.family)

    @property
    def status(self) -> str:
        """One word for why a mention is (not) used: asserted, negated, hedged, ..."""
        if self.family:
            return "family"
        if self.negated:
            return "negated"
        if self.hypothetical:
            return "hypothetical"
        if self.hedged:
            return "hedged"
        return "asserted"

    def to_json(self) -> dict[str, Any]:
        value = self.value.value if isinstance(self.value, Sex) else self.value
        out: dict[str, Any] = {
            "name": self.name,
            "value": value,
            "status": self.status,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "section": self.evidence.section,
        }
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class PatientContext:
    """Everything one report says about the patient, asserted or not."""

    mentions: tuple[Mention, ...] = field(default_factory=tuple)

    def asserted(self, name: str) -> Mention | None:
        """The first asserted mention of ``name``, or None."""
        for m in self.mentions:
            if m.name == name and m.asserted:
                return m
        return None

    def not_asserted(self) -> list[Mention]:
        """Mentions read but not used (negated, hedged, hypothetical, family)."""
        return [m for m in self.mentions if not m.asserted]

    @property
    def risk_factors(self) -> dict[str, Mention]:
        """Asserted risk factors (True), by ``RiskFactors`` field name."""
        out: dict[str, Mention] = {}
        for m in self.mentions:
            if m.name in _FACTORS and m.asserted and m.name not in out:
                out[m.name] = m
        return out

    @property
    def primary_cancer_site(self) -> Mention | None:
        """The first asserted known cancer whose primary site is stated."""
        for m in self.mentions:
            if m.name == CANCER_FACTOR and m.asserted and m.detail:
                return m
        return None

    @property
    def symptoms(self) -> dict[Symptom, Mention]:
        out: dict[Symptom, Mention] = {}
        for m in self.mentions:
            if m.name.startswith("symptom:") and m.asserted:
                out.setdefault(Symptom(m.name.split(":", 1)[1]), m)
        return out

    @property
    def age(self) -> Mention | None:
        return self.asserted("age")

    @property
    def sex(self) -> Mention | None:
        return self.asserted("sex")

    @property
    def background_liver(self) -> str | None:
        """cirrhosis > steatosis, from asserted imaging wording (FINDINGS/IMPRESSION)."""
        for name in ("background:cirrhosis", "background:steatosis"):
            if self.asserted(name) is not None:
                return name.split(":", 1)[1]
        return None

    def to_json(self) -> dict[str, Any]:
        return {"mentions": [m.to_json() for m in self.mentions]}


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


# The patterns below start with the digit or literal and check what precedes it with
# a lookbehind after it ("\d(?<![\w.]\d)" for "(?<![\w.])\d"): the same matches, but
# the regex engine can then skip to candidate characters instead of trying the
# lookbehind at every position of a long report (2-4x faster on MTSamples).
_AGE = re_compile(
    r"(\d(?<![\w.]\d)\d{0,2}(?:\.\d)?)[ \t-]*"
    r"(?:(years?|yrs?|y)[ \t-]*(?:/|-|[ \t])?[ \t]*(?:old|o)\b\.?"
    r"|(yo|y/o|y\.o\.)(?![a-z])|(months?|mos?|weeks?|wks?|days?)[ \t-]*old\b)"
    r"(?:[ \t,]+(?:white|black|caucasian|asian|hispanic|african[ \t-]american|previously"
    r"[ \t]+healthy|otherwise[ \t]+healthy|term|preterm|full[ \t-]term|obese|pregnant))*"
    r"[ \t,]*(man|male|gentleman|boy|woman|female|lady|girl|m|f|patient|pt|infant|neonate"
    r"|newborn|baby|child|toddler|adolescent|person)?(?![\w])",
    re.I,
)
_AGE_COMPACT = re_compile(
    r"(\d(?<![^\s:,(]\d)\d{0,2})[ ]?([MF])(?=[ \t]*[,;.)]|[ \t]+(?:with|w/|pt|patient)\b)"
)
_AGE_FIELD = re_compile(
    r"age\b(?<=\bage)[ \t]*:[ \t]*(\d{1,3})(?:[ \t]*(?:years?|yrs?|y))?\b", re.I
)
_SEX_FIELD = re_compile(r"\b(?:sex|gender)[ \t]*:[ \t]*(male|female|m|f|man|woman)(?![\w])", re.I)
_DIGIT = re_compile(r"\d")
_MALE = {"man", "male", "gentleman", "boy", "m"}
_FEMALE = {"woman", "female", "lady", "girl", "f"}
_UNIT_YEARS = {"month": 1 / 12, "mo": 1 / 12, "week": 7 / 365.25, "wk": 7 / 365.25}


def _unit_factor(unit: str) -> float:
    u = unit.lower().rstrip("s")
    if u.startswith("day"):
        return 1 / 365.25
    return _UNIT_YEARS.get(u, 1.0)


def _history_like(sec: sections_mod.Section) -> bool:
    """HISTORY/INDICATION, or a header the findings reader files as "other" but that
    plainly introduces the patient's history ("PMH:", "ONCOLOGIC HISTORY:")."""
    if sec.category in _HISTORY_LIKE:
        return True
    name = sec.name.upper()
    return sec.category == "other" and any(w in name for w in _HISTORY_WORDS)


def _mask(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * (m.end() - m.start()), text)


def _last_reaching(
    before: str, trigger: re.Pattern[str], terminate: re.Pattern[str] | None = None
) -> re.Match[str] | None:
    """The last trigger match in ``before`` not cut off by a terminator after it."""
    last = None
    for m in trigger.finditer(before):
        last = m
    if last is None or (terminate or LEXICON.terminate).search(before, last.end()):
        return None
    return last


# A relative's statement runs on through "who", "he", "she" ("a paternal grandmother
# who was diagnosed with breast cancer"); only a contrast or a new clause ends it.
_FAMILY_TERMINATE = re_compile(
    r"\b(?:but|however|although|though|except|the[ \t]+patient|patient[ \t]+(?:has|had|is|was)"
    r"|pt|himself|herself)\b|;",
    re.I,
)


_FAMILY_AFTER = re_compile(
    r"^[^.;\n]{0,20}?(?:\bin[ \t]+(?:his|her|the|a)[ \t]+|\([ \t]*)(?:mother|father|sister"
    r"|brother|sibling|parent|grandmother|grandfather|aunt|uncle|cousin|relative|family)\b",
    re.I,
)
_HEDGE_AFTER = re_compile(
    r"^[ \t]*\?|^[^.;\n]{0,30}?\b(?:is|was)[ \t]+(?:suspected|possible|questioned"
    r"|(?:extremely[ \t]+|very[ \t]+|highly[ \t]+)?unlikely)\b"
    r"|^[ \t]+(?:(?:is|also|a|the)[ \t]+)*(?:possible|probable|suspected|considered"
    r"|a[ \t]+consideration)\b"
    r"|^[ \t]*(?:versus|vs\.?)\b",
    re.I,
)


class _Reader:
    """One report being read (sections and sentences cached)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.secs = sections_mod.find_sections(text)
        self._sentences: dict[int, list[tuple[int, int]]] = {}

    def section(self, pos: int) -> sections_mod.Section:
        return sections_mod.section_at(self.secs, pos)

    def sentence(self, sec: sections_mod.Section, pos: int) -> tuple[int, int]:
        key = sec.header_start
        spans = self._sentences.get(key)
        if spans is None:
            spans = sentences_mod.split_sentences(self.text, sec.start, sec.end) or [
                (sec.start, sec.end)
            ]
            self._sentences[key] = spans
        for s, e in spans:
            if s <= pos < e:
                return s, e
        return (max(sec.start, pos - _WINDOW), min(sec.end, pos + _WINDOW))

    def clause(self, sentence: tuple[int, int], pos: int) -> tuple[int, int]:
        for s, e in sentences_mod.split_clauses(self.text, *sentence):
            if s <= pos < e:
                return s, e
        return sentence

    def mention(
        self,
        name: str,
        value: Any,
        start: int,
        end: int,
        *,
        detail: str | None = None,
        needs_cue: bool = False,
    ) -> Mention | None:
        """A Mention for the term at [start, end), with its context; None when out of scope."""
        text = self.text
        sec = self.section(start)
        sent = self.sentence(sec, start)
        c_start, c_end = self.clause(sent, start)
        c_start = min(c_start, start)
        c_end = max(c_end, end)
        lo = max(c_start, start - _WINDOW)
        before = text[lo:start]
        after = text[end : min(c_end, end + _WINDOW)]
        family_section = "FAMIL" in sec.name.upper()
        history_like = _history_like(sec)
        cue = LEXICON.cue.search(before) is not None
        if needs_cue and not history_like and not cue:
            return None
        ctx = read_context(text, c_start, c_end, start, end, sentence=sent)
        neg = _last_reaching(before, LEXICON.neg_before)
        negated = bool(neg or ctx.negated or ctx.resolved or LEXICON.neg_after.search(after))
        if negated and LEXICON.reassert.search(before, neg.end() if neg else 0):
            negated = False  # "denies fever, history of hepatitis B"
        hypothetical = bool(ctx.hypothetical or _last_reaching(before, LEXICON.hypothetical_before))
        hedge = _last_reaching(before, LEXICON.hedge_before)
        hedged = bool(hedge or _HEDGE_AFTER.search(after))
        if hedge is not None and cue:
            cue_m = LEXICON.cue.search(before)
            if cue_m is not None and cue_m.start() - hedge.end() > 12:
                hedged = False  # "likely metastasis from the known colon cancer"
        family = (
            family_section
            or _last_reaching(before, LEXICON.family, _FAMILY_TERMINATE) is not None
            or bool(_FAMILY_AFTER.search(after))
        )
        q_lo = max(c_start, start - _QUOTE_CHARS // 2)
        q_hi = min(c_end, end + _QUOTE_CHARS // 2)
        while q_lo > c_start and not text[q_lo - 1].isspace():
            q_lo -= 1
        while q_hi < c_end and not text[q_hi].isspace():
            q_hi += 1
        quote = " ".join(text[q_lo:q_hi].split())
        return Mention(
            name=name,
            value=value,
            term=text[start:end],
            start=start,
            end=end,
            evidence=Evidence(
                sentence=text[sent[0] : sent[1]][:600],
                start=sent[0],
                end=min(sent[1], sent[0] + 600),
                section=sec.name or sec.category,
                hedged=hedged,
            ),
            quote=quote,
            negated=negated,
            hedged=hedged,
            hypothetical=hypothetical,
            family=family,
            detail=detail,
        )


def _matches(entry: _Entry, text: str, low: str) -> list[tuple[int, int]]:
    """Spans of ``entry``'s terms in ``text``, pseudo phrases blanked out first.

    A pseudo phrase only takes matches away ("remote chemotherapy"), so the text is
    blanked (a full pass of the pseudo pattern) only when a term matches at all:
    most reports name no factor, and blanking every report for every factor was a
    third of the module's time.
    """
    patterns = []
    if entry.terms is not None and (entry.gate is None or entry.gate.passes(low)):
        patterns.append(entry.terms)
    if entry.cased is not None and (entry.cased_gate is None or entry.cased_gate.passes(text)):
        patterns.append(entry.cased)
    if not any(rx.search(text) for rx in patterns):
        return []
    masked = _mask(text, entry.pseudo)
    out: list[tuple[int, int]] = []
    for rx in patterns:
        out.extend((m.start(), m.end()) for m in rx.finditer(masked))
    return sorted(set(out))


_SITE_REACH = 120  # characters either side of a cancer word that a site phrase can span


def _site_windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around each cancer word, where the site pattern is run."""
    out: list[tuple[int, int]] = []
    for m in LEXICON.site_hint.finditer(text):
        lo, hi = max(0, m.start() - _SITE_REACH), min(len(text), m.end() + _SITE_REACH)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise InputError([("text", f"must be a string, not {type(text).__name__}")])
    if len(text) > MAX_REPORT_CHARS:
        raise InputError(
            [("text", f"report is {len(text)} characters; the limit is {MAX_REPORT_CHARS}")]
        )
    return text


def read_patient_context(text: str) -> PatientContext:
    """Everything ``text`` says about the patient (see the module docstring).

    >>> ctx = read_patient_context("HISTORY: 62-year-old man with chronic hepatitis B.")
    >>> sorted(ctx.risk_factors), ctx.age.value, ctx.sex.value.value
    (['chronic_hbv'], 62.0, 'male')
    """
    text = _check(text)
    return _read_cached(text)


@functools.lru_cache(maxsize=256)
def _read_cached(text: str) -> PatientContext:
    """Memoised: the engine reads the same report for the case and for its notes, and
    the registry re-reads a patient's earlier reports each time a new one arrives
    (256 texts of a few kB each; the cache holds the texts themselves)."""
    r = _Reader(text)
    low = text.lower()
    mentions: list[Mention] = []

    def add(m: Mention | None) -> None:
        if m is not None and len(mentions) < _MAX_MENTIONS:
            mentions.append(m)

    cancer_spans = _read_cancer_sites(r, add)
    _read_factors(r, low, cancer_spans, add)
    _read_symptoms(r, low, add)
    _read_steatosis(r, add)
    _read_measured_signs(r, add)
    _read_age_sex(r, add)
    mentions.sort(key=lambda m: (m.start, m.name))
    return PatientContext(tuple(mentions))


_Add = Callable[[Mention | None], None]


def _read_cancer_sites(r: _Reader, add: _Add) -> list[tuple[int, int]]:
    """Cancers named with their site ("colon cancer"); returns the spans read, so the
    plain cancer entry does not read the same words again without the site."""
    text = r.text
    cancer_spans: list[tuple[int, int]] = []
    cancer_entry = next(e for e in LEXICON.entries if e.name == f"factors.{CANCER_FACTOR}")
    if not LEXICON.site_hint.search(text):
        return cancer_spans  # no cancer word: nothing to blank or to read
    cancer_text = _mask(text, cancer_entry.pseudo)  # "colon cancer screening"
    for lo, hi in _site_windows(cancer_text):
        for m in LEXICON.sites.finditer(cancer_text, lo, hi):
            if any(cs <= m.start() < ce for cs, ce in cancer_spans):
                continue
            cancer_spans.append((m.start(), m.end()))
            add(
                r.mention(
                    CANCER_FACTOR, True, m.start(), m.end(), detail=m.lastgroup, needs_cue=True
                )
            )
    return cancer_spans


def _read_factors(r: _Reader, low: str, cancer_spans: list[tuple[int, int]], add: _Add) -> None:
    """Risk factors and history from the lexicon; cirrhosis outside a history-like
    section is also background liver disease."""
    for entry in LEXICON.entries:
        name = entry.name.split(".", 1)[1]
        for s, e in _matches(entry, r.text, low):
            if name == CANCER_FACTOR and any(cs <= s < ce for cs, ce in cancer_spans):
                continue  # already read with its site
            mention = r.mention(name, True, s, e, needs_cue=entry.needs_cue)
            if mention is None:
                continue
            if name == "cirrhosis" and not _history_like(r.section(s)):
                add(dataclasses.replace(mention, name="background:cirrhosis"))
            add(mention)


def _read_symptoms(r: _Reader, low: str, add: _Add) -> None:
    """Symptoms, only where a symptom or history section states them."""
    for entry in LEXICON.symptoms:
        name = "symptom:" + entry.name.split(".", 1)[1]
        for s, e in _matches(entry, r.text, low):
            sec = r.section(s)
            if sec.category in _SYMPTOM_SECTIONS or _history_like(sec):
                add(r.mention(name, True, s, e))


def _read_steatosis(r: _Reader, add: _Add) -> None:
    """Steatosis as background liver disease when seen on the exam, not quoted history."""
    for m in LEXICON.steatosis.finditer(r.text):
        if not _history_like(r.section(m.start())):
            add(r.mention("background:steatosis", True, m.start(), m.end()))


def _read_age_sex(r: _Reader, add: _Add) -> None:
    text = r.text
    for m in _AGE.finditer(text):
        years_unit, yo, small_unit, noun = m.group(2), m.group(3), m.group(4), m.group(5)
        if years_unit is None and yo is None and small_unit is None:
            continue
        if (years_unit or yo) and noun is None and yo is None:
            # "5 years old" with no person after it: still the patient's age only at the
            # start of a history ("Age: ...") -- too weak on its own; need a person word
            continue
        if noun is not None and noun.lower() in {"m", "f"} and not (yo or years_unit):
            continue
        value = float(m.group(1)) * (_unit_factor(small_unit) if small_unit else 1.0)
        if not 0 <= value <= 120:
            continue
        add(r.mention("age", round(value, 3), m.start(), m.end()))
        if noun:
            low = noun.lower()
            sex = Sex.male if low in _MALE else Sex.female if low in _FEMALE else None
            if sex is not None:
                add(r.mention("sex", sex, m.start(), m.end()))
    for m in _AGE_COMPACT.finditer(text):
        value = float(m.group(1))
        if value <= 120:
            add(r.mention("age", value, m.start(), m.end()))
            male = m.group(2) == "M"
            add(r.mention("sex", Sex.male if male else Sex.female, m.start(), m.end()))
    for m in _AGE_FIELD.finditer(text):
        value = float(m.group(1))
        if value <= 120:
            add(r.mention("age", value, m.start(), m.end()))
    for m in _SEX_FIELD.finditer(text):
        low = m.group(1).lower()
        add(r.mention("sex", Sex.male if low in _MALE else Sex.female, m.start(), m.end()))


def _number(raw: str) -> float:
    return float(raw.replace(",", "."))


def _celsius(m: re.Match[str]) -> float | None:
    """The body temperature a match states, in Celsius; None when it is not one.

    A bare number ("39.2 C") needs a degree sign, a decimal or a spelled-out unit, so
    that "101 F" (an age and a sex) is not read. Without a unit the range decides:
    34-43 is Celsius, 93-110 Fahrenheit.
    """
    if m.group("cue") is not None:
        value, unit = _number(m.group("num")), (m.group("unit") or "").lower()
    else:
        value, unit = _number(m.group("bare")), m.group("bunit").lower()
        if len(unit) == 1 and m.group("bdeg") is None and "." not in m.group("bare"):
            return None
    if unit.startswith("f"):
        celsius = (value - 32) * 5 / 9
    elif unit.startswith("c") or 34 <= value <= 43:
        celsius = value
    elif 93 <= value <= 110:
        celsius = (value - 32) * 5 / 9
    else:
        return None
    return celsius if 34 <= celsius <= 43.5 else None


def _bilirubin_mg_dl(m: re.Match[str], per_mg_dl: float) -> float | None:
    """A stated bilirubin in mg/dL; None when the unit cannot be told (see the lexicon)."""
    value = _number(m.group("num"))
    unit = (m.group("unit") or "").lower().replace(" ", "").replace("\t", "")
    if unit.startswith(("mg", "mg%")):
        return value
    if "mol" in unit:
        if unit.startswith("mmol"):
            return None  # a glucose or electrolyte unit: not a bilirubin reading
        return value / per_mg_dl
    if "." in m.group("num") or "," in m.group("num"):
        return value if value < 10 else None
    return value / per_mg_dl if value >= 40 else None


_MEASURED_SECTIONS = _SYMPTOM_SECTIONS | {"other"}


def _read_measured_signs(r: _Reader, add: _Add) -> None:
    """Fever and jaundice stated as numbers, at the lexicon's cited thresholds.

    A temperature at or above the fever threshold is the symptom fever; a total
    bilirubin at or above the jaundice threshold is the symptom jaundice. A value
    below the threshold states nothing (a normal temperature is not "no fever" for
    the case: symptoms are only ever added). Negation, hypothesis ("call if temp
    > 38.5") and family history apply as for words.
    """
    text = r.text
    low = text.lower()
    ms = LEXICON.measures
    if _DIGIT.search(text):
        for m in ms.temperature.finditer(text):
            celsius = _celsius(m)
            if celsius is None or celsius < ms.fever_min_celsius:
                continue
            if r.section(m.start()).category in _MEASURED_SECTIONS or _history_like(
                r.section(m.start())
            ):
                add(r.mention("symptom:fever", True, m.start(), m.end(), detail="measured"))
    if "bil" in low or "tsb" in low:
        for m in ms.bilirubin.finditer(text):
            mg_dl = _bilirubin_mg_dl(m, ms.bilirubin_umol_per_mg_dl)
            if mg_dl is None or mg_dl < ms.jaundice_min_bilirubin_mg_dl:
                continue
            sec = r.section(m.start())
            if sec.category in _MEASURED_SECTIONS or _history_like(sec):
                add(r.mention("symptom:jaundice", True, m.start(), m.end(), detail="measured"))
