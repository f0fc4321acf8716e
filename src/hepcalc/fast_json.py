"""JSON parsed by orjson where its answer is exactly ``json.loads``'s, else not at all.

Why: ``hepcalc scan`` parses one JSON object per report, about 3.5 us for a 3 kB report
with the standard library against 1.7 us with orjson (Rust), and orjson also reads the
line's bytes directly, sparing the UTF-8 decode: together about a sixth of a scan's
time per report on a general corpus.

The output must not change, so orjson is only trusted where it agrees with ``json``:

* where orjson refuses a text (``NaN`` and ``Infinity``, lone surrogate escapes, numbers
  beyond a double, nesting deeper than 1,024, invalid UTF-8, and every malformed line),
  the caller parses it with ``json`` as before, with the same result or error message;
* orjson turns an integer beyond 64 bits into a float where ``json`` keeps the integer:
  a result holding any float at all is therefore not used either (report records hold
  strings and small integers, so this costs nothing in practice).

Everything else (duplicate keys: the last wins; the order of keys; escapes; floats)
is the same in both, which ``tests/batch/test_fast_json.py`` checks on generated input.
Without orjson installed every call answers ``UNANSWERED``.

Example: ``loads_exact(b'{"id": 1, "text": "Calcified granuloma."}')`` ->
``{"id": 1, "text": "Calcified granuloma."}``; ``loads_exact("NaN")`` -> ``UNANSWERED``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any


class _Unanswered(enum.Enum):
    UNANSWERED = "unanswered"


UNANSWERED = _Unanswered.UNANSWERED
"""What ``loads_exact`` returns when the caller must parse with ``json`` itself."""

_loads: Callable[[bytes | memoryview | str], Any] | None
try:
    import orjson

    _loads = orjson.loads
    _Error: type[Exception] = orjson.JSONDecodeError
except ImportError:  # pragma: no cover - orjson is a declared dependency
    _loads = None
    _Error = ValueError


def loads_exact(data: bytes | memoryview | str) -> Any:
    """``json.loads(data)`` when orjson can give exactly that value, else ``UNANSWERED``.

    ``bytes`` (or a view of them) are UTF-8 (orjson validates them; invalid ones are
    ``UNANSWERED``).
    """
    if _loads is None:
        return UNANSWERED
    try:
        value = _loads(data)
    except _Error:
        return UNANSWERED
    if _holds_float(value):
        return UNANSWERED
    return value


def _holds_float(value: Any) -> bool:
    """True when a float is anywhere in the parsed value (iterative: depth is unbounded
    in principle, and orjson allows 1,024 levels, near Python's recursion limit)."""
    if isinstance(value, float):
        return True
    if not isinstance(value, dict | list):
        return False
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, float):
                return True
            if isinstance(child, dict | list):
                stack.append(child)
    return False
