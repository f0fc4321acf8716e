"""Lesion tracks: which finding in one exam is the same lesion in another.

A "track" is one lesion followed across exams. Growth, LI-RADS threshold growth
and the growth chart all read tracks, so a wrong pairing would turn measurement
noise into "growth" (or hide real growth). The rules, in order:

1. An explicit ``finding.track`` always wins: findings sharing a track id are the
   same lesion, whatever their size or place.
2. Findings without a track id are matched exam by exam (in date order) to the
   open automatic tracks by a minimum-cost assignment (Hungarian algorithm,
   implemented below; scipy is not a dependency). The cost of pairing the last
   observation ``a`` of a track with a new finding ``b`` is the sum of

   ===================  ==========================================================
   kind                 0 same kind; 0.5 different kinds that are both calcified
                        (a "calcification" later called a "calcified lesion");
                        1.0 otherwise
   location             0 same segment (or same lobe, a segment unknown);
                        0.25 a lobe unknown; 0.6 same lobe, different segment;
                        1.5 different lobe
   size                 0.5 * |ln(size_b / size_a)|  (0.25 when a size is missing)
   size rank            0.5 * |rank_a - rank_b|, where rank is the position of the
                        finding in its own exam sorted by size, scaled to 0..1
   gap                  0.2 per exam skipped between the two observations
   ===================  ==========================================================

   Only tracks seen within the last ``MAX_GAP_EXAMS`` (3) exams are candidates,
   and a cost matrix of more than 64 x 64 falls back to a greedy cheapest-first
   match so that a pathological case (100 exams of 200 findings) stays fast.

   A pair costing more than ``MAX_MATCH_COST`` (2.0) is never the same lesion:
   the finding opens a new track instead. So a different lobe (1.5) plus a size
   change of more than about 2.7-fold (0.5) is two lesions, as is a change of kind
   in a different lobe.

Why the rank term. With sizes alone, 14 mm and 9 mm followed by 25 mm and 8 mm is
already paired 14->25 and 9->8 by the *assignment* (total 0.5*(0.58+0.12)=0.35
against 0.5*(0.56+1.02)=0.79 for 14->8 and 9->25), but a greedy nearest-size
match would take 14->8 first (0.56 < 0.58) and then be forced into 9->25. Two
lesions rarely swap their size order between exams, whereas measurement error
and real growth both preserve it, so the rank term adds 0.5 per swapped pair and
makes the clinically sensible pairing win by a wide margin (0.35 vs 1.79) even
when the larger lesion grew a lot. ``explain_cost`` gives the parts of every
chosen pairing in words (``Track.matched_by``).

A track is ``new`` when it first appears after the first exam in which it could
have been seen, and ``resolved`` when it is absent from the latest exam and that
exam's modality could have shown it (MRI is not counted as able to show an
isolated calcification, and a radiograph cannot show a non-calcified lesion).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hepcalc.errors import InputError
from hepcalc.model import Exam, Finding, FindingKind, Modality

MAX_MATCH_COST = 2.0
MAX_GAP_EXAMS = 3  # a track not seen for more exams than this is not matched again
EXACT_LIMIT = 64 * 64  # larger cost matrices use a greedy assignment (bounded time)
_W_SIZE = 0.5
_W_RANK = 0.5
_GAP_COST = 0.2
_INF = 1e9


@dataclass(frozen=True)
class Observation:
    """One finding in one exam, as part of a track."""

    exam: Exam
    finding: Finding


@dataclass(frozen=True)
class Track:
    """One lesion followed across exams (see the module docstring for the rules)."""

    id: str
    observations: tuple[Observation, ...]
    matched_by: str
    new: bool
    resolved: bool

    @property
    def latest(self) -> Observation:
        return self.observations[-1]

    @property
    def first(self) -> Observation:
        return self.observations[0]


def can_see(modality: Modality, finding: Finding) -> bool:
    """Whether an exam of this modality would be expected to show the finding.

    MRI depicts calcification poorly (standard sequences detect about a third,
    Adams 2017), so an isolated calcification missing on MRI is not "resolved";
    a radiograph shows only calcified findings.
    """
    if modality is Modality.MRI:
        return not (finding.kind is FindingKind.calcification and finding.is_calcified)
    if modality is Modality.XR:
        return finding.is_calcified
    return True


# ---------------------------------------------------------------------------
# Minimum-cost assignment
# ---------------------------------------------------------------------------


def hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost perfect assignment for a square matrix; returns col for each row.

    The classic O(n^3) shortest-augmenting-path form with row/column potentials.
    Deterministic: ties resolve to the lowest column index.
    """
    n = len(cost)
    if n == 0:
        return []
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    p = [0] * (n + 1)  # p[j] = row matched to column j (1-based), 0 = none
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [math.inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = math.inf
            j1 = 0
            row = cost[i0 - 1]
            for j in range(1, n + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    result = [-1] * n
    for j in range(1, n + 1):
        if p[j]:
            result[p[j] - 1] = j - 1
    return result


def assign(cost: list[list[float]], max_cost: float = MAX_MATCH_COST) -> list[tuple[int, int]]:
    """Pairs (row, col) of a rectangular cost matrix, leaving pairs above max_cost apart.

    The matrix is padded to (n+m) x (n+m): leaving row i or column j unmatched
    costs max_cost/2 each, so a real pair is chosen only when it costs less than
    leaving both unmatched (max_cost).
    """
    n = len(cost)
    m = len(cost[0]) if n else 0
    if n == 0 or m == 0:
        return []
    size = n + m
    half = max_cost / 2
    big = [[_INF] * size for _ in range(size)]
    for i in range(n):
        for j in range(m):
            c = cost[i][j]
            big[i][j] = c if c <= max_cost else _INF
        big[i][m + i] = half
    for j in range(m):
        big[n + j][j] = half
        for k in range(n):
            big[n + j][m + k] = 0.0
    cols = hungarian(big)
    return [(i, cols[i]) for i in range(n) if cols[i] < m and cost[i][cols[i]] <= max_cost]


def assign_greedy(
    cost: list[list[float]], max_cost: float = MAX_MATCH_COST
) -> list[tuple[int, int]]:
    """Cheapest-pair-first matching, used only above ``EXACT_LIMIT`` cells to bound time.

    Not optimal (see the module docstring for the case it gets wrong); a case with
    more than 64 unmatched findings on both sides of one exam pair is an outlier.
    """
    cells = sorted(
        (c, i, j) for i, row in enumerate(cost) for j, c in enumerate(row) if c <= max_cost
    )
    used_i: set[int] = set()
    used_j: set[int] = set()
    out: list[tuple[int, int]] = []
    for _c, i, j in cells:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return sorted(out)


# ---------------------------------------------------------------------------
# Pairing cost
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cand:
    finding: Finding
    exam_index: int
    rank: float  # 0 = largest in its exam, 1 = smallest


def _ranks(findings: list[Finding]) -> list[float]:
    """Size rank of each finding within its exam, 0 (largest) .. 1 (smallest)."""
    sized = sorted(
        (i for i, f in enumerate(findings) if f.size_mm is not None),
        key=lambda i: (-(findings[i].size_mm or 0.0), i),
    )
    out = [0.5] * len(findings)
    if len(sized) == 1:
        out[sized[0]] = 0.0
    for pos, i in enumerate(sized):
        if len(sized) > 1:
            out[i] = pos / (len(sized) - 1)
    return out


def _parts(a: _Cand, b: _Cand) -> list[tuple[str, float]]:
    fa, fb = a.finding, b.finding
    parts: list[tuple[str, float]] = []
    if fa.kind is fb.kind:
        parts.append((f"same kind ({fa.kind.value})", 0.0))
    elif fa.is_calcified and fb.is_calcified:
        parts.append((f"both calcified ({fa.kind.value} then {fb.kind.value})", 0.5))
    else:
        parts.append((f"different kind ({fa.kind.value} then {fb.kind.value})", 1.0))
    la, lb = fa.location, fb.location
    if la.lobe is None or lb.lobe is None:
        if la.segment is not None and la.segment == lb.segment:
            parts.append((f"same segment ({la.segment})", 0.0))
        else:
            parts.append(("location not stated in both", 0.25))
    elif la.lobe is not lb.lobe:
        parts.append((f"different lobe ({la.lobe.value} then {lb.lobe.value})", 1.5))
    elif la.segment is not None and lb.segment is not None and la.segment != lb.segment:
        parts.append((f"same lobe, segment {la.segment} then {lb.segment}", 0.6))
    else:
        where = f"segment {la.segment}" if la.segment is not None else f"{la.lobe.value} lobe"
        parts.append((f"same {where}", 0.0))
    if fa.size_mm is not None and fb.size_mm is not None:
        c = _W_SIZE * abs(math.log(fb.size_mm / fa.size_mm))
        parts.append((f"size {_mm(fa.size_mm)} then {_mm(fb.size_mm)} mm", c))
        r = _W_RANK * abs(a.rank - b.rank)
        if r > 0:
            parts.append(("size order within the exam changed", r))
        else:
            parts.append(("same size order within the exam", 0.0))
    else:
        parts.append(("a size is missing", 0.25))
    gap = b.exam_index - a.exam_index - 1
    if gap > 0:
        parts.append((f"{gap} exam(s) in between without it", _GAP_COST * gap))
    return parts


def pair_cost(a: _Cand, b: _Cand) -> float:
    """The cost of ``_parts`` without building its words (hot path)."""
    fa, fb = a.finding, b.finding
    if fa.kind is fb.kind:
        c = 0.0
    elif fa.is_calcified and fb.is_calcified:
        c = 0.5
    else:
        c = 1.0
    la, lb = fa.location, fb.location
    if la.lobe is None or lb.lobe is None:
        if not (la.segment is not None and la.segment == lb.segment):
            c += 0.25
    elif la.lobe is not lb.lobe:
        c += 1.5
    elif la.segment is not None and lb.segment is not None and la.segment != lb.segment:
        c += 0.6
    if fa.size_mm is not None and fb.size_mm is not None:
        c += _W_SIZE * abs(math.log(fb.size_mm / fa.size_mm)) + _W_RANK * abs(a.rank - b.rank)
    else:
        c += 0.25
    gap = b.exam_index - a.exam_index - 1
    return c + (_GAP_COST * gap if gap > 0 else 0.0)


def explain_cost(a: _Cand, b: _Cand) -> str:
    parts = _parts(a, b)
    total = sum(c for _, c in parts)
    return (
        "; ".join(f"{text} (+{c:.2f})" if c else text for text, c in parts)
        + f"; cost {total:.2f} (cut-off {MAX_MATCH_COST:.1f})"
    )


def _mm(x: float) -> str:
    return f"{x:g}"


# ---------------------------------------------------------------------------
# Building tracks
# ---------------------------------------------------------------------------


def _auto_ids(taken: set[str]):
    """A, B, ..., Z, AA, AB, ... skipping ids used explicitly."""
    n = 0
    while True:
        k = n
        name = ""
        while True:
            name = chr(ord("A") + k % 26) + name
            k = k // 26 - 1
            if k < 0:
                break
        n += 1
        if name not in taken:
            yield name


_Member = tuple[int, int]  # (exam index, finding index)


def _explicit_tracks(exams: list[Exam]) -> dict[str, list[_Member]]:
    """Members of each track id given in the case, in exam order.

    Raises InputError when one exam holds two findings with the same explicit track:
    one lesion cannot be seen twice in one exam, so the case contradicts itself.
    """
    explicit: dict[str, list[_Member]] = {}
    problems: list[tuple[str, str]] = []
    for ei, exam in enumerate(exams):
        seen: set[str] = set()
        for fi, f in enumerate(exam.findings or []):
            if f.track is None:
                continue
            if f.track in seen:
                problems.append(
                    (
                        f"exams[{ei}].findings[{fi}].track",
                        f"track {f.track!r} is used twice in exam {exam.id!r}; one lesion "
                        "can appear only once per exam",
                    )
                )
            seen.add(f.track)
            explicit.setdefault(f.track, []).append((ei, fi))
    if problems:
        raise InputError(problems)
    return explicit


def _pairs(prev_cands: list[_Cand], cur_cands: list[_Cand]) -> list[tuple[int, int]]:
    """Minimum-cost pairs (previous, current): exact when small, greedy beyond EXACT_LIMIT."""
    if not prev_cands:
        return []
    cost = [[pair_cost(a, b) for b in cur_cands] for a in prev_cands]
    if len(prev_cands) * len(cur_cands) <= EXACT_LIMIT:
        return assign(cost)
    return assign_greedy(cost)


def _auto_tracks(exams: list[Exam]) -> tuple[list[list[_Member]], list[list[str]]]:
    """Chain the findings without an explicit track, exam by exam (module docstring).

    Each exam's untracked findings are matched against the last observation of every
    track still open (seen within MAX_GAP_EXAMS); unmatched findings open new tracks.
    Returns the members of each automatic track and the reason for each link.
    """
    auto: list[list[_Member]] = []
    auto_reasons: list[list[str]] = []
    rank_cache: dict[int, list[float]] = {}
    for ei, exam in enumerate(exams):
        findings = exam.findings or []
        ranks = _ranks(findings)
        new_idx = [fi for fi, f in enumerate(findings) if f.track is None]
        if not new_idx:
            continue
        rank_cache[ei] = ranks
        open_tracks = [t for t in range(len(auto)) if ei - auto[t][-1][0] <= MAX_GAP_EXAMS + 1]
        prev_cands: list[_Cand] = []
        for t in open_tracks:
            pe, pf = auto[t][-1]
            prev_cands.append(_Cand((exams[pe].findings or [])[pf], pe, rank_cache[pe][pf]))
        cur_cands = [_Cand(findings[fi], ei, ranks[fi]) for fi in new_idx]
        matched_cur: set[int] = set()
        for ti, ci in _pairs(prev_cands, cur_cands):
            t = open_tracks[ti]
            auto[t].append((ei, new_idx[ci]))
            prev_exam = exams[prev_cands[ti].exam_index]
            auto_reasons[t].append(
                f"{prev_exam.id} -> {exam.id}: {explain_cost(prev_cands[ti], cur_cands[ci])}"
            )
            matched_cur.add(ci)
        for ci, fi in enumerate(new_idx):
            if ci not in matched_cur:
                auto.append([(ei, fi)])
                auto_reasons.append([])
    return auto, auto_reasons


def _make_track(exams: list[Exam], track_id: str, members: list[_Member], why: str) -> Track:
    """One Track: its observations in date order, and whether it is new or resolved.

    New: an earlier exam could have seen it but did not. Resolved: the latest exam
    could see it but it is absent there.
    """
    members = sorted(members)
    latest_index = len(exams) - 1
    obs = tuple(Observation(exams[e], (exams[e].findings or [])[f]) for e, f in members)
    first_exam = members[0][0]
    new = any(can_see(exams[k].modality, obs[0].finding) for k in range(first_exam))
    last_exam = members[-1][0]
    resolved = last_exam < latest_index and can_see(exams[latest_index].modality, obs[-1].finding)
    return Track(id=track_id, observations=obs, matched_by=why, new=new, resolved=resolved)


def build_tracks(exams: list[Exam]) -> list[Track]:
    """Group the findings of date-sorted exams into tracks (module docstring).

    Raises InputError when one exam holds two findings with the same explicit track.
    """
    explicit = _explicit_tracks(exams)
    auto, auto_reasons = _auto_tracks(exams)

    # Order all tracks by first appearance and name the automatic ones.
    entries: list[tuple[_Member, str | None, list[_Member], str]] = []
    for tid, members in explicit.items():
        entries.append((members[0], tid, members, f"explicit track id {tid!r} given in the case"))
    for members, reasons in zip(auto, auto_reasons, strict=True):
        if reasons:
            why = "matched automatically by minimum-cost assignment: " + " | ".join(reasons)
        else:
            why = "single observation: no finding in another exam matched it"
        entries.append((members[0], None, members, why))
    entries.sort(key=lambda e: e[0])
    ids = _auto_ids(set(explicit))
    return [
        _make_track(exams, tid if tid is not None else next(ids), members, why)
        for _first, tid, members, why in entries
    ]
