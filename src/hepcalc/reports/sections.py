"""Report sections: which part of a report a sentence sits in.

A radiology report is read differently by part: what is under HISTORY or
INDICATION is why the exam was done, not what it showed, and an organ header
("LIVER:", "Liver -") tells which organ the following text describes even when
the sentence itself never names it ("Liver: 4 mm calcified granuloma in segment 7").

Headers are recognised in two shapes, both anchored at a line start or just
after ``, . ;`` (MTSamples flattens newlines into commas):

* an ALL-CAPS label followed by a colon ("CLINICAL HISTORY:", "IMPRESSION:");
* a known label in any case followed by a colon, or an organ name followed by
  a spaced dash ("Findings:", "Liver - no focal lesion").

Every pattern here is bounded (no nested unbounded repetition), so the scan is
linear in the length of the report.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from hepcalc.regex_cache import re_compile
from hepcalc.reports import organs

# Major headers: the label's words decide the category. Checked in this order.
_CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "indication",
        (
            "INDICATION",
            "REASON",
            "CLINICAL",
            "COMPLAINT",
            "QUESTION",
            "QUERY",
            "REQUEST",
            "REFERRAL",
        ),
    ),
    ("history", ("HISTORY", "HPI")),
    ("comparison", ("COMPARISON", "PRIOR STUD", "PRIOR EXAM", "PRIORS", "PRIOR REPORT", "COPIED")),
    ("technique", ("TECHNIQUE", "PROTOCOL", "CONTRAST", "DOSE")),
    ("impression", ("IMPRESSION", "CONCLUSION", "SUMMARY", "OPINION", "DIAGNOS", "ASSESSMENT")),
    ("findings", ("FINDING", "REPORT", "DESCRIPTION", "RESULT", "ABDOMEN")),
    ("exam", ("EXAM", "STUDY", "PROCEDURE", "TITLE", "MODALITY")),
)

# Organ headers (sub-sections inside FINDINGS). Value = organ code used by organs.py.
ORGAN_HEADERS: dict[str, str] = {
    "liver": "liver",
    "liv": "liver",
    "hep": "liver",
    "hepatic": "liver",
    "liver parenchyma": "liver",
    "hepatobiliary": "liver",
    "liver/biliary": "liver",
    "liver and biliary": "liver",
    "liver and biliary tree": "liver",
    "hepatobiliary system": "liver",
    "spleen": "spleen",
    "spl": "spleen",
    "gb": "gallbladder",
    "panc": "pancreas",
    "gallbladder": "gallbladder",
    "gall bladder": "gallbladder",
    "biliary": "biliary",
    "bile ducts": "biliary",
    "biliary tree": "biliary",
    "pancreas": "pancreas",
    "kidneys": "kidney",
    "kidney": "kidney",
    "right kidney": "kidney",
    "left kidney": "kidney",
    "adrenals": "adrenal",
    "adrenal glands": "adrenal",
    "adrenal": "adrenal",
    "aorta": "vessel",
    "vasculature": "vessel",
    "vessels": "vessel",
    "vascular": "vessel",
    "lung bases": "lung",
    "lungs": "lung",
    "chest": "lung",
    "lymph nodes": "node",
    "nodes": "node",
    "bowel": "bowel",
    "gi tract": "bowel",
    "stomach": "bowel",
    "pelvis": "pelvis",
    "bladder": "pelvis",
    "bones": "bone",
    "osseous structures": "bone",
    "musculoskeletal": "bone",
    "soft tissues": "soft_tissue",
    "peritoneum": "soft_tissue",
    "ascites": "soft_tissue",
    "uterus": "pelvis",
    "ovaries": "pelvis",
    "prostate": "pelvis",
    "thyroid": "thyroid",
    "heart": "heart",
    "placenta": "placenta",
    "peritoneum and mesentery": "soft_tissue",
}

_KNOWN_MIXED_CASE = {
    "history",
    "clinical history",
    "indication",
    "indications",
    "reason for exam",
    "reason for study",
    "comparison",
    "comparisons",
    "technique",
    "findings",
    "finding",
    "impression",
    "conclusion",
    "conclusions",
    "summary",
    "exam",
    "examination",
    "procedure",
    "clinical information",
    "opinion",
    "report",
    "clinical details",
    "clinical indication",
    "clinical data",
    "clinical question",
    "clinical query",
    "question",
    "query",
    "request",
    "referral",
    "reason",
    "reason for referral",
    "clinical notes",
}

# A label before a ':' or a spaced dash: letters, spaces and / & ( ), at most 48
# characters, right after a line start or , . ; -- searched only in a short window
# before each ':' / dash (found with str.find), so the cost is linear and small.
# Every repetition is bounded, so a long run of spaces cannot make it quadratic.
_LABEL = re_compile(r"[A-Za-z][A-Za-z/&() ]{0,47}")
# the last line start or , . ; of a window: the greedy run backs off from the window's end,
# which is cheaper than searching forwards for a boundary that no other one follows
_LAST_BOUNDARY = re_compile(r"(?s:.*)[\n\r,.;]")
# the spaced dashes: each ASCII one holds "- " at a fixed offset (found in one scan)
_ASCII_DASHES = ((" - ", 1), (" -- ", 2), ("\t- ", 1))
_UNICODE_DASHES = (" \u2013 ", " \u2014 ")
_LABEL_WINDOW = 66


def _separators(text: str) -> list[tuple[int, int, str]]:
    """(label_end, content_start, separator) for every ':' and spaced dash, in order."""
    seps: list[tuple[int, int, str]] = []
    i = text.find(":")
    while i >= 0:
        seps.append((i, i + 1, ":"))
        i = text.find(":", i + 1)
    i = text.find("- ")
    while i >= 0:
        for dash, offset in _ASCII_DASHES:
            if i >= offset and text.startswith(dash, i - offset):
                seps.append((i - offset, i + 2, "-"))
        i = text.find("- ", i + 1)
    if not text.isascii():
        for dash in _UNICODE_DASHES:
            i = text.find(dash)
            while i >= 0:
                seps.append((i, i + len(dash), "-"))
                i = text.find(dash, i + 1)
    seps.sort()
    return seps


@dataclass(frozen=True, slots=True)
class Section:
    """One labelled stretch of a report.

    ``category`` is the major part (history, indication, comparison, technique,
    findings, impression, exam, other, or "body" before any header); ``organ``
    is set inside an organ sub-section ("liver", "spleen", ...). ``start``/``end``
    are the content span (after the header) as offsets into the report.
    """

    name: str
    category: str
    organ: str | None
    header_start: int
    start: int
    end: int


def _category(label_upper: str) -> str:
    for category, words in _CATEGORY_WORDS:
        for w in words:
            if w in label_upper:
                return category
    return "other"


# the label of an earlier report's text copied into this one ("Previous findings (copied
# from 01/2025):", "PRIOR REPORT (copied):", "Copied from 2023:"): the line is the earlier
# exam's, not today's; a bare "Previous:"/"Prior:" stays a record's field ("Prior: 4 mm")
_COPIED_LABELS = frozenset(
    {"previous findings", "previous report", "prior report", "prior findings", "copied",
     "copied from", "copied forward", "copied prior"}
)  # fmt: skip
_DATED_LABELS = frozenset({"previous", "prior"})  # only with a note: "Previous (2022):"
# a date written after a copied-prior label ("Copied from 2023", "Copied from Mar 2024")
_LABEL_DATE = re_compile(r"(?i:[A-Za-z ]{2,30}?)[ \t]+(?:[A-Za-z]{3,9}[ \t]+)?\d[\d/.\-]{0,9}")
COPIED_PRIOR = "copied prior"  # the name of such a section


def _copied_at(text: str, k: int) -> bool:
    """True when the digit at ``k`` may end a dated copied-prior label ("Copied from 2023:")."""
    return text.find("opied", max(0, k - _LABEL_WINDOW), k) >= 0


def copied_prior_label(label: str) -> bool:
    """True for the label of an earlier report's copied text (see ``_COPIED_LABELS``)."""
    norm = " ".join(label.split()).lower()
    note = ""
    if norm.endswith(")") and "(" in norm[1:]:
        note = norm[norm.rindex("(") :]
        norm = norm[: norm.rindex("(")].rstrip()
    if norm in _COPIED_LABELS:
        return True
    if norm in _DATED_LABELS:
        return bool(note) and ("cop" in note or any(c.isdigit() for c in note))
    m = _LABEL_DATE.fullmatch(norm)
    return m is not None and norm.startswith("copied ")


def _head_name(label: str, category: str) -> str:
    """A header's name: its words, or ``COPIED_PRIOR`` for an earlier report's copied text."""
    name = " ".join(label.split())
    return COPIED_PRIOR if category == "comparison" and copied_prior_label(name) else name


@functools.lru_cache(maxsize=4096)
def _classify(label: str, sep: str) -> tuple[str, str | None] | None:
    """(category, organ) for a header label, or None when it is not a header (memoised:
    the same few labels recur in every report)."""
    norm = " ".join(label.split())
    if sep.strip() == ":" and copied_prior_label(norm):
        return ("comparison", None)
    if norm.endswith(")") and "(" in norm[1:]:
        # "FINDINGS (tabulated):", "Impression (summary):": a note on the label
        norm = norm[: norm.rindex("(")].rstrip() or norm
    low = norm.lower()
    organ = ORGAN_HEADERS.get(low)
    if organ is not None:
        return ("organ", organ)
    if sep.strip() != ":":
        return None  # a dash only introduces organ sub-sections ("Liver - normal")
    if norm.isupper() and sum(c.isalpha() for c in norm) >= 3:
        if low.startswith(("calcif", "calcified", "granulom")):
            # "CALCIFICATION: Segment V, 5 mm": a field of the organ part, naming its
            # finding, not a part of its own
            return None
        category = _category(norm.upper())
        if category == "other":
            # "LIVER/GALLBLADDER:", "HEPATIC PARENCHYMA:": an organ header when the label
            # names exactly one organ family, and the liver only if it is that one
            named = {ORGAN_HEADERS[w] for w in re.split(r"[ /&,()]+", low) if w in ORGAN_HEADERS}
            named.discard("biliary")
            if len(named) == 1:
                return ("organ", named.pop())
            if not named:
                # "ABDOMINAL WALL:", "RECTUS SHEATH:", "RETROPERITONEUM:": a body part the
                # header table does not list is still not the liver
                found = {o.organ for o in organs.find_organs(norm, 0, len(norm))}
                if len(found) == 1 and "liver" not in found:
                    return ("organ", found.pop())
        return (category, None)
    if low in _KNOWN_MIXED_CASE:
        return (_category(norm.upper()), None)
    return None


def find_sections(text: str, until: int | None = None) -> list[Section]:
    """Split a report into sections; always covers the whole text, in order.

    With ``until``, headers are looked for only up to the first one after that offset
    (the reader needs only the sections around its targets); the last section returned
    then runs to the end of the text.
    """
    heads: list[tuple[int, int, str, str, str | None]] = []
    for label_end, content_start, sep in _separators(text):
        if heads and label_end < heads[-1][1]:
            continue
        if until is not None and heads and heads[-1][0] > until:
            break
        k = label_end - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        if k < 0 or not (
            text[k].isalpha() or text[k] == ")" or (text[k].isdigit() and _copied_at(text, k))
        ):
            continue  # "10:30", "2:1", "::": no label ends here
        # the label starts after the nearest line start or , . ; before it
        ws = max(0, label_end - _LABEL_WINDOW)
        bm = _LAST_BOUNDARY.match(text, ws, label_end)
        boundary = bm.end() - 1 if bm else -1
        if boundary < 0 and ws > 0:
            continue  # no boundary within reach: a long line, not a label
        raw = text[boundary + 1 : label_end]
        label = raw.strip(" \t")
        lead = len(raw) - len(raw.lstrip(" \t"))
        if (
            lead > 8
            or len(raw) - lead - len(label) > 8
            or not (_LABEL.fullmatch(label) or (label[:1] in "CcPp" and copied_prior_label(label)))
        ):
            continue
        kind = _classify(label, sep)
        if kind is None:
            continue
        category, organ = kind
        if label in ("Finding", "finding") and (
            _record_field(text, boundary + 1 + lead, content_start)
            or (heads and heads[-1][3] == "organ" and _fields_only(text, heads[-1][1], boundary))
        ):
            continue  # "Organ: liver / Finding: calcification / Size: 5 mm": a field
        if label in ("Comparison", "comparison") and _change_field(
            text, boundary + 1 + lead, content_start
        ):
            continue  # "Size: 0.4 cm / Comparison: new since 2023": the record's change field
        name = _head_name(label, category)
        heads.append((boundary + 1 + lead, content_start, name, category, organ))
    heads = _lobe_headers_of_the_liver(text, heads)
    sections: list[Section] = []
    first = heads[0][0] if heads else len(text)
    if first > 0 or not heads:
        sections.append(Section("", "body", None, 0, 0, first))
    major = "body"
    for i, (hstart, cstart, name, category, organ) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        if category == "organ":
            # an organ header stays inside the major part (FINDINGS, IMPRESSION...); right
            # after HISTORY/COMPARISON/TECHNIQUE it starts the findings (no FINDINGS: line)
            if major not in ("findings", "impression", "other"):
                major = "findings"
            sections.append(Section(name, major, organ, hstart, cstart, end))
        else:
            major = category
            sections.extend(_bounded(text, Section(name, category, None, hstart, cstart, end)))
    return sections


_LOBE_HEADERS = frozenset(
    {
        "right lobe",
        "left lobe",
        "caudate",
        "caudate lobe",
        "right hepatic lobe",
        "left hepatic lobe",
        "right lobe of liver",
        "left lobe of liver",
    }
)


@functools.lru_cache(maxsize=4096)
def _is_lobe_label(label: str) -> bool:
    """A lobe header's label (memoised: the same few labels recur in every report)."""
    return " ".join(label.lower().split()) in _LOBE_HEADERS


# a caudate header anywhere in the report (the headers may be read only up to the targets)
_CAUDATE_HEADER = re_compile(r"(?:^|\n)[ \t]*caudate(?:[ \t]+lobe)?[ \t]*:", re.I)


def _lobe_headers_of_the_liver(
    text: str, heads: list[tuple[int, int, str, str, str | None]]
) -> list[tuple[int, int, str, str, str | None]]:
    """Lobe headers are the liver's when the report has a caudate header or they follow a
    liver header.

    Example: "LEFT LOBE: a calcification ... RIGHT LOBE: normal. CAUDATE: normal." -> three
    liver sub-sections. Why: a thyroid or lung report has lobe headers too ("RIGHT LOBE:"
    of the thyroid), but only the liver has a caudate lobe; after "LIVER:" a lobe header
    divides the liver.
    """
    if not any(_is_lobe_label(h[2]) for h in heads):
        return heads
    lows = [" ".join(h[2].lower().split()) for h in heads]
    caudate = _CAUDATE_HEADER.search(text) is not None
    out = []
    in_liver = False
    for h, low in zip(heads, lows, strict=True):
        if low in _LOBE_HEADERS and h[4] is None and (caudate or in_liver):
            h = (h[0], h[1], h[2], "organ", "liver")
        if h[3] == "organ":
            in_liver = h[4] == "liver"
        elif low not in _LOBE_HEADERS:
            in_liver = False
        out.append(h)
    return out


# the label of a "Label: value" line of a key:value form ("Organ: liver", "Segment: VIII",
# "Size: 5 mm"); the reader's record rules read the same lines
# (a short first word may be abbreviated: "No.: 5", "No. of foci: 3", "Max.: 4 mm")
FIELD_LABEL = (
    r"(?:[A-Za-z]{1,3}\.(?:[ \t]+[A-Za-z][A-Za-z /#()]{0,20}?)?|[A-Za-z][A-Za-z /#()]{0,24}?)"
)
_FIELD_LINE = re_compile(rf"[ \t]*(?P<label>{FIELD_LABEL})[ \t]*[:=][ \t]*[^\s:]")
_FIELD_REACH = 120


def _record_field(text: str, head: int, content: int) -> bool:
    """True when a singular mixed-case "Finding:" is one field of a key:value record.

    Why: a form writes "Organ: Liver / Segment: 2 / Finding: Coarse calcification / Size:
    0,9 cm" one field a line; read as a FINDINGS header, "Finding:" would cut the record in
    two and the organ and segment fields above it would no longer reach the finding. It is
    a field when the line right before or right after it is another "Label: value" line
    (a FINDINGS header is followed by prose, and "FINDINGS:" in capitals stays a header).
    """
    if head > 0 and text[head - 1] == "\n":
        prev = text.rfind("\n", max(0, head - _FIELD_REACH), head - 1) + 1
        if (prev > 0 or head <= _FIELD_REACH) and _plain_field(text, prev, head - 1):
            return True
    nxt = text.find("\n", content, content + _FIELD_REACH)
    return nxt >= 0 and _plain_field(text, nxt + 1, nxt + 1 + _FIELD_REACH)


# the value of a change field: a change word, not a prior study ("Comparison: CT 2023")
_CHANGE_VALUE = re_compile(
    r"[ \t]*(?:new|stable|unchanged|increas|decreas|enlarg|grow|grew|larger|smaller|reduc"
    r"|shrunk|progress|regress|no[ \t]+(?:interval[ \t]+)?change)",
    re.I,
)


def _change_field(text: str, head: int, content: int) -> bool:
    """True when a mixed-case "Comparison:" is the change field of a key:value record.

    Why: "Size: 0.4 cm / Comparison: new since 2023" says how the finding changed; read as
    a COMPARISON header it would move that line into the prior-studies part. It is a field
    when its value is a change word and the line right before it is a "Label: value" line
    ("Comparison: CT of 01/2023" or "Comparison: none" stay headers).
    """
    if head == 0 or text[head - 1] != "\n" or not _CHANGE_VALUE.match(text, content):
        return False
    prev = text.rfind("\n", max(0, head - _FIELD_REACH), head - 1) + 1
    return (prev > 0 or head <= _FIELD_REACH) and _plain_field(text, prev, head - 1)


def _fields_only(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` (an organ header's content up to a "Finding:" label)
    holds only blank lines and "Label: value" lines.

    Why: "LIVER:\nFinding: calcified granulomas\nNo.: 5" writes the liver's record under its
    header; read as a FINDINGS header, "Finding:" would end the liver's sub-section and the
    finding would lose its organ. A header followed by prose ("Liver - normal size.") keeps
    the old reading.
    """
    if end - start > 2 * _FIELD_REACH:
        return False
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = text[pos:stop]
        if line.strip(" \t\r-") and not _plain_field(text, pos, stop):
            return False
        pos = stop + 1
    return True


def _plain_field(text: str, start: int, end: int) -> bool:
    """True for a "Label: value" line whose label is no section or organ header."""
    m = _FIELD_LINE.match(text, start, end)
    return m is not None and _classify(m.group("label"), ":") is None


_NOT_CURRENT = frozenset({"history", "indication", "comparison"})
_FIRST_SENTENCE_END = re_compile(r"[.!?](?=\s|$)")
_BLANK_LINE = re_compile(r"\n[ \t]*\n")


_SHORT_REF = 60  # a comparison's own first sentence names an exam and a date, briefly
# ... and the next one speaks of today ("Since then ...", "Now ...", "On the current study")
_NOW_OPENS = re_compile(
    r"\s*(?:since[ \t]+(?:then|that[ \t]+(?:time|exam|study|date))|now|today|currently"
    r"|in[ \t]+the[ \t]+interval|interval(?:ly)?|on[ \t]+(?:the[ \t]+)?(?:current|present"
    r"|today'?s)\b)",
    re.I,
)


def _bounded(text: str, sec: Section) -> list[Section]:
    """End a HISTORY/INDICATION/COMPARISON part where its text plainly ends.

    Reports often go straight from "Clinical details: ..." to the findings with no
    FINDINGS header: an inline mixed-case label ("... abdomen. Clinical details: pain.
    The liver ...") covers one sentence; a label with text on its line covers that line;
    a label alone on its line covers the lines up to a blank line. What follows is read
    as findings.
    """
    if sec.category not in _NOT_CURRENT or sec.start >= sec.end:
        return [sec]
    line_start = text.rfind("\n", 0, sec.header_start) + 1
    before = text[line_start : sec.header_start].rstrip()
    cut: int | None = None
    if before.endswith((".", "!", "?")) and sec.name.upper() != sec.name:
        m = _FIRST_SENTENCE_END.search(text, sec.start, sec.end)
        cut = m.end() if m else None
    elif not before:
        nl = text.find("\n", sec.start, sec.end)
        if nl >= 0 and text[sec.start : nl].strip():
            cut = nl
        elif nl >= 0:
            m = _BLANK_LINE.search(text, nl, sec.end)
            cut = m.start() if m else None
        if sec.category == "comparison":
            # "Comparison: MRI 5/2024. Since then a cluster of ... has appeared": a short
            # reference to the earlier exam, then the findings on the same line
            m = _FIRST_SENTENCE_END.search(text, sec.start, min(sec.end, sec.start + _SHORT_REF))
            if (
                m is not None
                and (cut is None or m.end() < cut)
                and _NOW_OPENS.match(text, m.end(), sec.end) is not None
            ):
                cut = m.end()
    if cut is None or cut >= sec.end or not text[cut : sec.end].strip():
        return [sec]
    head = Section(sec.name, sec.category, None, sec.header_start, sec.start, cut)
    return [head, Section("", "findings", None, cut, cut, sec.end)]


def section_at(sections: list[Section], pos: int) -> Section:
    """The section that contains offset ``pos`` (sections are sorted and contiguous)."""
    lo, hi = 0, len(sections) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sections[mid].header_start <= pos:
            lo = mid
        else:
            hi = mid - 1
    return sections[lo]
