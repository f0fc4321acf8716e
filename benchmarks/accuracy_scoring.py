"""Score predicted liver findings against the annotated corpus.

Shared by ``benchmarks/accuracy.py`` and ``tests/reports/`` so that the numbers in the
docs and the numbers the tests assert come from one definition. It works on plain
dicts (see ``FIELDS``), so it does not import hepcalc and can score any system
(hepcalc, medSpaCy, a future reader) the same way.

Matching (per report)
---------------------
Only predictions that claim a *current calcified* finding are scored: those with
``calcified`` false, or ``comparison == "resolved"``, are dropped first (the corpus
annotates calcified liver findings present on this exam; see
``tests/data/reports/README.md``).

Predicted and expected findings of one report are then paired one-to-one so that the
total pair score is maximal (exhaustive search for small reports, greedy beyond).
A pair's score rewards agreement: size within 0.5 mm (+4, or -2 when both have sizes
that disagree), segment (+2), lobe (+1), comparison (+1), kind (+0.5), count (+0.5).
Any expected finding may pair with any prediction of the same report: detection is
"did the reader find a calcified liver finding here", attributes are then compared on
the pairs. Unpaired expected findings are misses (FN), unpaired predictions are false
alarms (FP), for detection and for every attribute they carry.

One convention is translated before pairing (``in_annotation_convention``): the corpus
annotates a calcification measured inside a measured lesion as a calcification of its own
size; hepcalc reports the lesion (its size is what the rules decide on) and gives the
calcification's own size in ``calcification_size_mm``, which size is then compared with.

Attributes
----------
For each attribute (size, prior size, count, location, comparison, pattern, kind,
associated) a pair contributes: TP when both agree; FN when the annotation has a value
the prediction lacks; FP when the prediction has a value the annotation lacks; FP + FN
when both have values that disagree. So an attribute's F1 can never exceed the
detection F1 by luck, and a reader that never states sizes gets size recall 0.

Location is scored as two items, lobe and segment (4a/4b count as 4). A predicted lobe
that the annotated segment implies (1 caudate, 2-4 left, 5-8 right) is neither TP nor
FP when the annotation left the lobe empty (the annotators write the lobe only when the
words state it).

Report level
------------
``detection_report``: a report is positive when it has at least one expected finding.
``negation``: the class is "report with no liver calcification"; TP = a negative report
left empty, FN = a negative report where the reader found something (a negation,
other-organ or history error), FP = a positive report left empty.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SIZE_TOLERANCE_MM = 0.5

FIELDS: tuple[str, ...] = (
    "calcified",
    "kind",
    "size_mm",
    "count",
    "lobe",
    "segment",
    "pattern",
    "associated",
    "comparison",
    "prior_size_mm",
    "hedged",
)

SEGMENT_LOBE: dict[int, str] = {1: "caudate", 2: "left", 3: "left", 4: "left"} | {
    s: "right" for s in (5, 6, 7, 8)
}

# Metrics in the order they are printed; the first two are the acceptance bar.
METRICS: tuple[str, ...] = (
    "detection",
    "size",
    "detection_report",
    "negation",
    "count",
    "location",
    "comparison",
    "prior_size",
    "pattern",
    "kind",
    "associated",
)


@dataclass
class PRF:
    """True/false positive and false negative counts with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class ReportScore:
    """Scores of one report plus the pairs, for failure listings."""

    id: str
    metrics: dict[str, PRF]
    pairs: list[tuple[dict[str, Any], dict[str, Any]]]
    missed: list[dict[str, Any]]
    spurious: list[dict[str, Any]]

    def ok(self, attributes: Iterable[str] = ("detection", "size", "count")) -> bool:
        """True when the report has no FP or FN for the given metrics."""
        return all(self.metrics[m].fp == 0 and self.metrics[m].fn == 0 for m in attributes)


@dataclass
class CorpusScore:
    metrics: dict[str, PRF] = field(default_factory=lambda: {m: PRF() for m in METRICS})
    reports: list[ReportScore] = field(default_factory=list)
    n_reports: int = 0
    n_negative: int = 0

    def add(self, report: ReportScore, negative: bool) -> None:
        self.reports.append(report)
        self.n_reports += 1
        self.n_negative += int(negative)
        for name, prf in report.metrics.items():
            self.metrics[name].add(prf)

    def failures(self, attributes: Iterable[str] = ("detection", "size", "count")) -> list:
        attrs = tuple(attributes)
        return [r for r in self.reports if not r.ok(attrs)]


# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------


def _code(value: Any) -> Any:
    """Enum -> its value; everything else unchanged (so str enums and strings compare)."""
    return getattr(value, "value", value)


def normalise(finding: Mapping[str, Any]) -> dict[str, Any]:
    """A finding dict with every field of ``FIELDS`` present and codes as plain values."""
    out = {name: _code(finding.get(name)) for name in FIELDS}
    if out["count"] is None:
        out["count"] = 1
    if out["calcified"] is None:
        out["calcified"] = True
    if out["segment"] is not None:
        out["segment"] = int(out["segment"])
    for key in ("size_mm", "prior_size_mm"):
        if out[key] is not None:
            out[key] = float(out[key])
    # a prediction's own size of a calcification inside a lesion (not annotated)
    own = finding.get("calcification_size_mm")
    out["calcification_size_mm"] = float(own) if own is not None else None
    out["hedged"] = bool(out["hedged"])
    if "evidence" in finding:
        out["evidence"] = finding["evidence"]
    return out


# Findings the reader labels as a mimic the corpus does not annotate (README: "intrahepatic
# duct stones ... are not liver calcification"); the reader returns them for the engine.
OUT_OF_SCOPE_LABELS = frozenset({"intrahepatic bile duct stone"})


def scored_predictions(predicted: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Predictions that claim a calcified finding present now (see module docstring)."""
    out = []
    for raw in predicted:
        f = normalise(raw)
        if f["calcified"] is False or f["comparison"] == "resolved":
            continue
        if raw.get("label") in OUT_OF_SCOPE_LABELS:
            continue  # an intrahepatic duct stone: outside the corpus's scope (README)
        out.append(f)
    return out


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def _size_equal(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= SIZE_TOLERANCE_MM


def in_annotation_convention(exp: Mapping[str, Any], pred: Mapping[str, Any]) -> Mapping[str, Any]:
    """The prediction with the size the annotation's convention gives it.

    A calcification with its own size inside a measured lesion is annotated as a
    ``calcification`` of that size with ``associated`` naming the lesion (corpus README:
    "a calcification within a hemangioma whose own size is given ..."); hepcalc reports
    the lesion, with the lesion's size in ``size_mm`` (the size its rules decide on), and
    the calcification's own size in ``calcification_size_mm``. When the annotation is of
    the first shape and the prediction of the second, size is compared with the
    calcification's own size. Kind is not translated: it still counts as a disagreement.
    """
    if (
        exp["kind"] == "calcification"
        and exp["associated"] not in (None, "none")
        and pred["kind"] != "calcification"
        and pred.get("calcification_size_mm") is not None
    ):
        return {**pred, "size_mm": pred["calcification_size_mm"]}
    return pred


def pair_score(exp: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """How well a prediction agrees with an annotation (used only to pair them)."""
    pred = in_annotation_convention(exp, pred)
    s = 0.0
    if exp["size_mm"] is not None and pred["size_mm"] is not None:
        s += 4 if _size_equal(exp["size_mm"], pred["size_mm"]) else -2
    if exp["segment"] is not None and exp["segment"] == pred["segment"]:
        s += 2
    if exp["lobe"] is not None and exp["lobe"] == pred["lobe"]:
        s += 1
    if exp["comparison"] is not None and exp["comparison"] == pred["comparison"]:
        s += 1
    if exp["kind"] == pred["kind"]:
        s += 0.5
    if exp["count"] == pred["count"]:
        s += 0.5
    return s


def match(
    expected: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """Index pairs (expected, predicted) maximising the total pair score."""
    n_e, n_p = len(expected), len(predicted)
    k = min(n_e, n_p)
    if k == 0:
        return []
    scores = [[pair_score(e, p) for p in predicted] for e in expected]
    if max(n_e, n_p) <= 7:
        best: list[tuple[int, int]] = []
        best_total = float("-inf")
        if n_e <= n_p:
            for perm in itertools.permutations(range(n_p), k):
                total = sum(scores[i][j] for i, j in enumerate(perm))
                if total > best_total:
                    best_total, best = total, list(enumerate(perm))
        else:
            for perm in itertools.permutations(range(n_e), k):
                total = sum(scores[i][j] for j, i in enumerate(perm))
                if total > best_total:
                    best_total, best = total, [(i, j) for j, i in enumerate(perm)]
        return sorted(best)
    # Large reports: greedy by score (ties by order), still one-to-one.
    cells = sorted(((scores[i][j], -i, -j) for i in range(n_e) for j in range(n_p)), reverse=True)
    used_e: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, ni, nj in cells:
        i, j = -ni, -nj
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return sorted(pairs)


# ---------------------------------------------------------------------------
# Attribute scoring
# ---------------------------------------------------------------------------


def _valued(exp_value: Any, pred_value: Any, equal: bool) -> PRF:
    if exp_value is None and pred_value is None:
        return PRF()
    if exp_value is None:
        return PRF(fp=1)
    if pred_value is None:
        return PRF(fn=1)
    return PRF(tp=1) if equal else PRF(fp=1, fn=1)


def _location(exp: Mapping[str, Any] | None, pred: Mapping[str, Any] | None) -> PRF:
    out = PRF()
    e_lobe = exp["lobe"] if exp else None
    e_seg = exp["segment"] if exp else None
    p_lobe = pred["lobe"] if pred else None
    p_seg = pred["segment"] if pred else None
    out.add(_valued(e_seg, p_seg, e_seg == p_seg))
    implied_ok = e_lobe is None and e_seg is not None and SEGMENT_LOBE.get(e_seg) == p_lobe
    if not implied_ok:
        out.add(_valued(e_lobe, p_lobe, e_lobe == p_lobe))
    return out


def _attribute_prf(name: str, exp: Mapping[str, Any] | None, pred: Mapping[str, Any] | None) -> PRF:
    if name == "location":
        return _location(exp, pred)
    key = {"size": "size_mm", "prior_size": "prior_size_mm"}.get(name, name)
    e = exp[key] if exp else None
    p = pred[key] if pred else None
    if name == "associated":
        e = None if e == "none" else e
        p = None if p == "none" else p
    if key in ("size_mm", "prior_size_mm"):
        return _valued(e, p, _size_equal(e, p))
    return _valued(e, p, e == p)


ATTRIBUTES: tuple[str, ...] = (
    "size",
    "prior_size",
    "count",
    "location",
    "comparison",
    "pattern",
    "kind",
    "associated",
)


def score_report(
    report_id: str,
    expected: Sequence[Mapping[str, Any]],
    predicted: Iterable[Mapping[str, Any]],
) -> ReportScore:
    """Score one report's predictions against its annotation."""
    exp = [normalise(e) for e in expected]
    pred = scored_predictions(predicted)
    pairs_idx = match(exp, pred)
    paired_e = {i for i, _ in pairs_idx}
    paired_p = {j for _, j in pairs_idx}
    missed = [e for i, e in enumerate(exp) if i not in paired_e]
    spurious = [p for j, p in enumerate(pred) if j not in paired_p]
    pairs = [(exp[i], in_annotation_convention(exp[i], pred[j])) for i, j in pairs_idx]

    metrics = {m: PRF() for m in METRICS}
    metrics["detection"] = PRF(tp=len(pairs), fp=len(spurious), fn=len(missed))
    for name in ATTRIBUTES:
        prf = metrics[name]
        for e, p in pairs:
            prf.add(_attribute_prf(name, e, p))
        for e in missed:
            prf.add(_attribute_prf(name, e, None))
        for p in spurious:
            prf.add(_attribute_prf(name, None, p))
    has_exp, has_pred = bool(exp), bool(pred)
    metrics["detection_report"] = PRF(
        tp=int(has_exp and has_pred),
        fp=int(has_pred and not has_exp),
        fn=int(has_exp and not has_pred),
    )
    metrics["negation"] = PRF(
        tp=int(not has_exp and not has_pred),
        fp=int(has_exp and not has_pred),
        fn=int(not has_exp and has_pred),
    )
    return ReportScore(report_id, metrics, pairs, missed, spurious)


def score_corpus(
    rows: Iterable[Mapping[str, Any]], predictions: Mapping[str, Sequence[Mapping[str, Any]]]
) -> CorpusScore:
    """Score every row (``id``, ``expected``) with ``predictions[id]`` (missing = none)."""
    total = CorpusScore()
    for row in rows:
        rs = score_report(row["id"], row["expected"], predictions.get(row["id"], []))
        total.add(rs, negative=not row["expected"])
    return total


def finding_from_model(finding: Any) -> dict[str, Any]:
    """Adapt a ``hepcalc.model.Finding`` (or anything shaped like it) to a scorer dict."""
    location = getattr(finding, "location", None)
    evidence = getattr(finding, "evidence", None)
    calcified = getattr(finding, "is_calcified", None)
    if calcified is None:
        calcified = getattr(finding, "calcified", None)
    out = {
        "calcified": calcified,
        "kind": _code(getattr(finding, "kind", None)),
        "size_mm": getattr(finding, "size_mm", None),
        "count": getattr(finding, "count", 1),
        "lobe": _code(getattr(location, "lobe", None)) if location is not None else None,
        "segment": getattr(location, "segment", None) if location is not None else None,
        "pattern": _code(getattr(finding, "pattern", None)),
        "associated": _code(getattr(finding, "associated", None)),
        "comparison": _code(getattr(finding, "comparison", None)),
        "prior_size_mm": getattr(finding, "prior_size_mm", None),
        "calcification_size_mm": getattr(finding, "calcification_size_mm", None),
        "hedged": bool(getattr(evidence, "hedged", False)) if evidence is not None else False,
        "label": getattr(finding, "label", None),
    }
    if evidence is not None:
        out["evidence"] = getattr(evidence, "sentence", None)
    return out


def describe(f: Mapping[str, Any]) -> str:
    """One-line human description of a finding dict, for failure listings."""
    parts = [str(f.get("kind"))]
    if f.get("size_mm") is not None:
        parts.append(f"{f['size_mm']:g} mm")
    if f.get("count") not in (None, 1):
        parts.append(f"x{f['count']}")
    loc = "/".join(str(x) for x in (f.get("lobe"), f.get("segment")) if x is not None)
    if loc:
        parts.append(f"@{loc}")
    for key in ("pattern", "comparison"):
        if f.get(key):
            parts.append(str(f[key]))
    if f.get("prior_size_mm") is not None:
        parts.append(f"prior {f['prior_size_mm']:g} mm")
    return " ".join(parts)
