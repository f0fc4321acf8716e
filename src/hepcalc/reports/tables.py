"""Flattened tables: a header line naming the columns, then one line per row, cells split
by ``|`` (markdown pipes or plain bars).

A finding read from a row line gets what the row's other cells say under their column
names: the size now ("Size (mm)", "Now", "Current", "size now (mm)"), the prior size
("Prior", "Before", "Previous", a date), the unit ("Unit"), the place ("Seg", "Location",
"Liver segment") and the change ("Change", "Comparison").

Example::

    Organ | Finding | Now | Before | Unit | Change
    Liver | calcified focus S3 | 0.5 | 0.5 | cm | stable

-> 5 mm, prior 5 mm, stable. A header with fewer cells than its rows names the last
cells ("Liver lesions (current | 06/2024):" over "#2 S7 calcified granuloma | 6 mm | 6 mm").

Every search runs inside one line or one cell, and the header is looked for at most
``_MAX_ROWS`` lines up, so the work per finding is bounded.
"""

from __future__ import annotations

import re

from hepcalc.model import Location
from hepcalc.regex_cache import re_compile
from hepcalc.reports import attributes, locations, organs
from hepcalc.reports.resolver import Draft, compare

_MAX_ROWS = 30  # lines between a row and its header
_MAX_LINE = 400  # a longer line is prose, not a table row
_MAX_CELLS = 12

# column roles, tried in this order on a header cell ("size prior (mm)" is the prior)
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "prior",
        re_compile(
            r"\b(?:prior|previous(?:ly)?|before|baseline|earlier|old|then|last)\b"
            r"|\d{1,2}/(?:19|20)?\d\d\b|\b(?:19|20)\d\d\b",
            re.I,
        ),
    ),
    ("change", re_compile(r"\b(?:change|comparison|trend|interval|status|evolution)\b", re.I)),
    ("unit", re_compile(r"^[ \t]*units?[ \t]*$", re.I)),
    ("place", re_compile(r"\b(?:seg(?:ment)?s?|location|site|couinaud|lobe)\b", re.I)),
    (
        "now",
        re_compile(
            r"\b(?:size|now|current|today|present|diameter|measurements?|dimensions?|latest)\b"
            # a column named by its unit alone ("| Site | Finding | mm |")
            r"|^[ \t]*\(?(?:mm|cm)\)?[ \t]*$",
            re.I,
        ),
    ),
)
_HEADER_UNIT = re_compile(r"\b(mm|cm)\b", re.I)
# a cell that is one number, with or without its unit ("0.5", "11 mm", "up to 4 mm")
_VALUE = re_compile(
    r"[ \t]*(?:(?:up[ \t]+to|max(?:imum)?\.?|<)[ \t]*)?"
    r"(\d{1,3}(?:[.,]\d{1,2})?)[ \t]*(mm|cm)?[ \t]*$",
    re.I,
)
_SEPARATOR_LINE = re_compile(r"[ \t|:\-]*$")
# a cell that is a bare segment number ("6", "IVa", "S7")
_BARE_SEGMENT = re_compile(
    r"[ \t]*(?:s|seg\.?[ \t]*)?([1-8]|viii|vii|vi|iv|v|iii|ii|i)([ab])?[ \t]*$", re.I
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell spans of the line ``text[start:end]``; empty outer cells ("| a | b |") dropped."""
    out: list[tuple[int, int]] = []
    cur = start
    while len(out) <= _MAX_CELLS:
        bar = text.find("|", cur, end)
        out.append((cur, end if bar < 0 else bar))
        if bar < 0:
            break
        cur = bar + 1
    if out and not text[out[0][0] : out[0][1]].strip():
        out.pop(0)
    if out and not text[out[-1][0] : out[-1][1]].strip():
        out.pop()
    return out


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", max(0, pos - _MAX_LINE), pos) + 1
    end = text.find("\n", pos, pos + _MAX_LINE)
    return start, len(text) if end < 0 else end


def _header_line(text: str, row_start: int) -> tuple[int, int] | None:
    """The first line of the block of bar lines the row at ``row_start`` belongs to."""
    header: tuple[int, int] | None = None
    end = row_start - 1
    for _ in range(_MAX_ROWS):
        if end <= 0:
            break
        start = text.rfind("\n", max(0, end - _MAX_LINE), end) + 1
        if start == 0 and end - _MAX_LINE > 0:
            break  # a line too long to be a row
        if text.find("|", start, end) < 0:
            break
        if not _SEPARATOR_LINE.match(text, start, end):
            header = (start, end)
        end = start - 1
    return header


# a header cell that names a column without a role of its own ("Organ", "Finding")
_COLUMN_NAME = re_compile(
    r"[ \t]*(?:organs?|findings?|descriptions?|comments?|results?|features?|structures?"
    r"|types?|lesions?|notes?|remarks?|appearances?|impressions?)[ \t]*:?[ \t]*$",
    re.I,
)
# a cell that denies ("no", "none", "absent", "-", "nil", "not seen")
_NEGATIVE_CELL = re_compile(
    r"[ \t]*(?:no|none|nil|n|absent|negative|not[ \t]+(?:seen|present|identified)"
    r"|-+|\u2013|\u2014)?"
    r"[ \t]*\.?[ \t]*$",
    re.I,
)
# what may follow a column named by a target word ("Calcified?", "Calcification (y/n)")
_COLUMN_TAIL = re_compile(r"[ \t]*(?:\?|:|\((?:y/n|yes/no)\))?[ \t]*$", re.I)


def is_column_name(text: str, t_start: int, t_end: int) -> bool:
    """True when a target word is the name of a table's column, not a finding.

    Example: "Organ | Finding | Size | Calcified" over "Spleen | granuloma | 4 mm | yes":
    the target is a whole cell of the first line of a block of bar lines, the line holds
    no number and no organ, and another of its cells names a column. A first row that
    states a finding ("Liver | calcification | seg 6") names an organ or a number.
    """
    start, end = _line_bounds(text, t_start)
    if end - start > _MAX_LINE or text.find("|", start, end) < 0:
        return False
    cells = _cells(text, start, end)
    here = next(((a, b) for a, b in cells if a <= t_start and t_end <= b), None)
    if here is None or len(cells) < 2:
        return False
    if text[here[0] : t_start].strip() or not _COLUMN_TAIL.match(text, t_end, here[1]):
        return False  # the cell says more than the target word
    line = text[start:end]
    if any(ch.isdigit() for ch in line) or organs.find_organs(text, start, end):
        return False
    others = [text[a:b] for a, b in cells if (a, b) != here]
    if not any(_COLUMN_NAME.match(c) or _role(c) is not None for c in others):
        return False
    if _header_line(text, start) is not None:
        return False  # a bar line above: this line is a row, not the header
    return _column_denied(text, end, cells.index(here), len(cells))


def _column_denied(text: str, end: int, col: int, n_cells: int) -> bool:
    """True when the table under a header line has rows and none of them that may be the
    liver's says yes in column ``col`` (a liver row with "yes" keeps the header's finding)."""
    rows = 0
    for _ in range(_MAX_ROWS):
        if end >= len(text):
            break
        nxt = text.find("\n", end + 1, end + 1 + _MAX_LINE)
        nxt = len(text) if nxt < 0 else nxt
        if text.find("|", end + 1, nxt) < 0:
            break
        row_start, end = end + 1, nxt
        if _SEPARATOR_LINE.match(text, row_start, end):
            continue
        rows += 1
        row = _cells(text, row_start, end)
        if len(row) < n_cells:
            continue
        a, b = row[col + len(row) - n_cells]
        if _NEGATIVE_CELL.match(text, a, b):
            continue
        named = organs.find_organs(text, row_start, end)
        if not named or any(o.organ == "liver" for o in named):
            return False
    return rows > 0


def _role(cell: str) -> str | None:
    for role, rx in _ROLES:
        if rx.search(cell):
            return role
    return None


def _number(cell: str, unit: str | None) -> float | None:
    """The size in mm a cell gives, its own unit first, else the column's."""
    m = _VALUE.match(cell)
    if m is None:
        return None
    unit = (m.group(2) or unit or "").lower()
    if not unit:
        return None
    value = float(m.group(1).replace(",", "."))
    return value * 10 if unit == "cm" else value


def _segment(cell: str) -> Location | None:
    m = _BARE_SEGMENT.match(cell)
    if m is not None:
        tok = m.group(1).lower()
        return locations.location_for_segment(int(tok) if tok.isdigit() else _ROMAN[tok])
    return None


def fill_from_row(text: str, s_start: int, s_end: int, drafts: list[Draft]) -> None:
    """Give the one finding of a table row line what its other cells say (module doc)."""
    if len(drafts) != 1 or text.find("|", s_start, s_end) < 0:
        return
    row_start, row_end = _line_bounds(text, s_start)
    if row_end < s_end or row_end - row_start > _MAX_LINE:
        return  # the sentence is not one line
    header = _header_line(text, row_start)
    if header is None:
        return
    head = _cells(text, *header)
    row = _cells(text, row_start, row_end)
    if len(head) < 2 or len(head) > len(row):
        return
    offset = len(row) - len(head)
    cols: dict[str, str] = {}
    unit_of: dict[str, str | None] = {}
    for i, (h_start, h_end) in enumerate(head):
        name = text[h_start:h_end]
        role = _role(name.rstrip(" \t:)").rsplit(":", 1)[-1])
        if role is None or role in cols:
            continue
        c_start, c_end = row[i + offset]
        cols[role] = text[c_start:c_end]
        u = _HEADER_UNIT.search(name)
        unit_of[role] = u.group(1) if u else None
    _apply(drafts[0], cols, unit_of)


def row_place_in_liver(text: str, s_start: int, s_end: int) -> bool:
    """True when a table row's place column names a Couinaud segment ("Calcified
    granuloma | 5 mm | 4 mm | VI" under "Lesion | Now | Prior | Seg"): a row naming no
    organ is then the liver's, as a segment is only the liver's."""
    if text.find("|", s_start, s_end) < 0:
        return False
    row_start, row_end = _line_bounds(text, s_start)
    if row_end < s_end or row_end - row_start > _MAX_LINE:
        return False
    header = _header_line(text, row_start)
    if header is None:
        return False
    head = _cells(text, *header)
    row = _cells(text, row_start, row_end)
    if len(head) < 2 or len(head) > len(row):
        return False
    offset = len(row) - len(head)
    for i, (h_start, h_end) in enumerate(head):
        if _role(text[h_start:h_end].rstrip(" \t:)").rsplit(":", 1)[-1]) == "place":
            c_start, c_end = row[i + offset]
            return _segment(text[c_start:c_end]) is not None
    return False


def _apply(d: Draft, cols: dict[str, str], unit_of: dict[str, str | None]) -> None:
    unit = cols.get("unit", "").strip() or None
    now = _number(cols["now"], unit_of.get("now") or unit) if "now" in cols else None
    prior = _number(cols["prior"], unit_of.get("prior") or unit) if "prior" in cols else None
    if now is not None:
        d.size_mm = now
    if prior is not None and d.size_mm is not None:
        d.prior_size_mm = prior
    if "change" in cols:
        change = cols["change"]
        found = attributes.read_comparison(change, 0, len(change))
        if found is not None:
            d.comparison = found
    if d.comparison is None and d.size_mm is not None and d.prior_size_mm is not None:
        d.comparison = compare(d.size_mm, d.prior_size_mm)
    if "place" in cols and d.location.segment is None:
        place = _segment(cols["place"])
        if place is None:
            cell = cols["place"]
            place = locations.find_location(cell, 0, len(cell), 0)
        if place != Location():
            d.location = place


def drop_titles(text: str, drafts: list[Draft]) -> list[Draft]:
    """Drop an unsized, unplaced group that only titles the table under it.

    Example: "HEPATIC CALCIFICATIONS\\nSite | Now | Prior\\nS8 calcification | 9 mm | 9 mm":
    the rows are the findings; the title line adds none.
    """
    out: list[Draft] = []
    for i, d in enumerate(drafts):
        if _titles_table(text, d, drafts[i + 1 : i + 1 + _MAX_ROWS]):
            continue
        out.append(d)
    return out


def _titles_table(text: str, d: Draft, later: list[Draft]) -> bool:
    if d.size_mm is not None or d.location != Location() or not later:
        return False
    end = d.evidence.end
    line_end = text.find("\n", end, end + _MAX_LINE)
    if line_end < 0 or text[end:line_end].strip():
        return False  # the title is a line of its own
    header_end = text.find("\n", line_end + 1, line_end + 1 + _MAX_LINE)
    if header_end < 0 or text.find("|", line_end + 1, header_end) < 0:
        return False
    block_end = header_end
    for _ in range(_MAX_ROWS):
        nxt = text.find("\n", block_end + 1, block_end + 1 + _MAX_LINE)
        nxt = len(text) if nxt < 0 else nxt
        if text.find("|", block_end + 1, nxt) < 0:
            break
        block_end = nxt
        if nxt >= len(text):
            break
    return any(header_end < x.evidence.start < block_end for x in later)
