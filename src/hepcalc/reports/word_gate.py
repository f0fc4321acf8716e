"""One compiled pass that tells which gate words a report holds.

Why: nine reports in ten hold no word that a calcification, an intrahepatic duct stone or
a LI-RADS observation needs. Each of those readers used to find that out with its own
``in`` scans of the lower-cased report: about fifteen full scans, 35-45 us for a 3 kB
report, most of the reading time of a scan over a general corpus. Hyperscan (Intel's
multi-literal matcher, SIMD, compiled code) reports every gate word present in one pass
over the bytes, caseless, in about 3 us.

The gate is exact, never a guess: a reader's gate is a boolean formula over "word ``w``
occurs in ``text.lower()``" (``targets.might_have_candidates``,
``duct_stones.might_have_stones``, ``observations.might_have_features``). Here the same
formula is evaluated over the words Hyperscan found, which for ASCII text is the same
set (ASCII lower-casing only maps A-Z). A report the formula rejects is one the readers
would all have rejected; any other report is read exactly as before. Non-ASCII text
(where ``str.lower`` can change lengths and letters) and a machine without Hyperscan
skip the fast pass and go through the readers' own gates: same result, slower.

Example: ``present_words("Echogenic focus with shadowing")`` ->
``frozenset({"echo", "foc", "shadow"})`` (of the words registered).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

Has = Callable[[str], bool]
"""A word test: ``has(w)`` is true when ``w`` occurs in the lower-cased report."""


class WordGate:
    """Caseless presence of a fixed set of lower-case ASCII words, in one pass.

    The Hyperscan database is compiled on first use (a few ms), not at import, so a
    command that never reads a report does not pay for it; each thread gets its own
    scratch space (Hyperscan's scratch is not thread-safe; the HTTP service reads
    reports from a thread pool).
    """

    def __init__(self, words: Iterable[str], cased_words: Iterable[str] = ()) -> None:
        self.words: tuple[str, ...] = tuple(sorted(set(words)))
        self.cased_words: tuple[str, ...] = tuple(sorted(set(cased_words)))
        for w in self.words:
            if not (w.isascii() and w == w.lower() and w):
                raise ValueError(f"gate word {w!r} must be non-empty lower-case ASCII")
        for w in self.cased_words:
            if not (w.isascii() and w.isalpha() and w != w.lower()):
                raise ValueError(f"cased gate word {w!r} must be ASCII letters, not all lower")
        self._lock = threading.Lock()
        self._db: Any = None
        self._failed = False
        self._local = threading.local()
        self._names = self.words + self.cased_words

    def _database(self) -> Any:
        if self._db is None and not self._failed:
            with self._lock:
                if self._db is None and not self._failed:
                    self._db = _compile(self.words, self.cased_words)
                    self._failed = self._db is None
        return self._db

    def present(self, text: str) -> frozenset[str] | None:
        """The registered words occurring in ``text``, or None when the fast pass cannot
        answer exactly (non-ASCII text, Hyperscan unavailable).

        A word of ``words`` is present when it occurs anywhere, in any case (as in
        ``w in text.lower()``); a word of ``cased_words`` when it stands as a whole word in
        exactly that case (as ``re.search(rf"\\b{w}\\b", text)``).
        """
        if not text.isascii():
            return None
        db = self._database()
        if db is None:
            return None
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _new_scratch(db)
        found: list[int] = []
        db.scan(text.encode("ascii"), match_event_handler=_on_match, context=found, scratch=scratch)
        if not found:
            return _NOTHING
        names = self._names
        return frozenset([names[i] for i in found])


_NOTHING: frozenset[str] = frozenset()


def _on_match(pattern_id: int, start: int, end: int, flags: int, found: list[int]) -> None:
    """Hyperscan's match callback: each word is reported once (single-match flag)."""
    found.append(pattern_id)


def _compile(words: tuple[str, ...], cased_words: tuple[str, ...]) -> Any:
    """A block-mode Hyperscan database of the words, or None when Hyperscan is missing
    or refuses this CPU (then every report takes the readers' own gates)."""
    try:
        import hyperscan
    except ImportError:
        return None
    try:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        caseless = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
        expressions = [re.escape(w).encode("ascii") for w in words]
        expressions += [rf"\b{w}\b".encode("ascii") for w in cased_words]
        flags = [caseless] * len(words) + [hyperscan.HS_FLAG_SINGLEMATCH] * len(cased_words)
        db.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=flags,
        )
    except hyperscan.error:
        return None
    return db


def _new_scratch(db: Any) -> Any:
    import hyperscan

    return hyperscan.Scratch(db)
