"""Input errors that name the field and the problem.

Every face (CLI exit code 2, HTTP 422) turns bad input into one clear message
through this module, so the wording is the same everywhere and no traceback
ever reaches a user.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)

MAX_INPUT_BYTES = 5_000_000  # one Case document; reports have their own limit


class InputError(ValueError):
    """Bad input from a user or client. ``problems`` is a list of (path, message)."""

    def __init__(self, problems: Sequence[tuple[str, str]]):
        self.problems = list(problems) or [("", "invalid input")]
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return "; ".join(f"{p}: {m}" if p else m for p, m in self.problems)

    def as_detail(self) -> list[dict[str, str]]:
        return [{"field": p, "problem": m} for p, m in self.problems]


def _path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.startswith(("function-", "tagged-union")):
            continue
        elif part in ("int", "float", "str", "bool", "literal['multiple']", "constrained-int"):
            # pydantic names the union branch it tried; it is noise to a user
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _num(x: Any) -> str:
    """300.0 -> '300', 0.5 -> '0.5': the way a person writes a limit."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def _message(err: dict[str, Any]) -> str:
    t = err.get("type", "")
    ctx = err.get("ctx") or {}
    if t == "greater_than":
        return f"must be > {_num(ctx.get('gt'))}"
    if t == "greater_than_equal":
        return f"must be >= {_num(ctx.get('ge'))}"
    if t == "less_than":
        return f"must be < {_num(ctx.get('lt'))}"
    if t == "less_than_equal":
        return f"must be <= {_num(ctx.get('le'))}"
    if t == "missing":
        return "is required"
    if t == "extra_forbidden":
        return "unknown field"
    if t in ("enum", "literal_error"):
        expected = ctx.get("expected", "")
        return f"unknown code {err.get('input')!r}; expected one of {expected}"
    if t == "finite_number":
        return "must be a finite number (NaN and infinity are not sizes)"
    if t in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "must be an ISO date YYYY-MM-DD"
    if t == "too_short":
        return "must not be empty"
    if t == "too_long":
        return "has too many items or characters"
    if t.endswith("_type") or t.endswith("_parsing"):
        return f"wrong type: {err.get('msg', 'invalid value').lower()}"
    msg = str(err.get("msg", "invalid value"))
    return msg.removeprefix("Value error, ")


def from_validation_error(exc: ValidationError, prefix: str = "") -> InputError:
    """Convert pydantic's error list into path: message pairs, de-duplicated."""
    problems: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        path = _path(err.get("loc", ()))
        msg = _message(dict(err))
        # model validators put their own path in the message ("exams[1].date: ...")
        if ": " in msg and not path and msg.split(": ", 1)[0].replace("[", "").replace("]", ""):
            head, tail = msg.split(": ", 1)
            if "." in head or "[" in head:
                path, msg = head, tail
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        item = (path, msg)
        # unions report one error per branch: keep the most informative
        if item not in seen:
            seen.add(item)
            problems.append(item)
    return InputError(_collapse_union_noise(problems))


def _collapse_union_noise(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """For `count: int | "multiple"`, pydantic reports two errors; keep one clear one."""
    by_path: dict[str, list[str]] = {}
    for p, m in problems:
        by_path.setdefault(p, []).append(m)
    out: list[tuple[str, str]] = []
    for p, msgs in by_path.items():
        if len(msgs) > 1 and any(m.startswith("unknown code") for m in msgs):
            rest = [m for m in msgs if not m.startswith("unknown code")]
            msgs = rest or msgs[:1]
        for m in msgs:
            out.append((p, m))
    return out


def parse_document(text: str | bytes, source: str = "input") -> Any:
    """Parse JSON or YAML text into Python data, with a clear error on failure."""
    if isinstance(text, bytes):
        if len(text) > MAX_INPUT_BYTES:
            raise InputError([(source, f"larger than {MAX_INPUT_BYTES} bytes")])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError([(source, f"not UTF-8 text (byte {e.start})")]) from None
    if len(text) > MAX_INPUT_BYTES:
        raise InputError([(source, f"larger than {MAX_INPUT_BYTES} characters")])
    stripped = text.lstrip()
    if not stripped:
        raise InputError([(source, "is empty")])
    if stripped[0] in "{[":
        return load_json(text, source)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise InputError([(source, f"malformed YAML{where}")]) from None
    except RecursionError:
        raise InputError([(source, "nested too deeply")]) from None
    except (ValueError, OverflowError):  # an integer beyond Python's int-string limit
        raise InputError([(source, "holds a number too large to read")]) from None


# Python refuses to turn longer digit strings into int (CVE-2020-10735, quadratic time).
MAX_INT_DIGITS = 4300


class _HugeNumber:
    """Stands in for an integer literal too long to convert, so its field can be named."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _parse_int(literal: str) -> Any:
    digits = len(literal) - literal.startswith("-")
    return _HugeNumber(digits) if digits > MAX_INT_DIGITS else int(literal)


def _find_huge(data: Any) -> tuple[str, int] | None:
    """Path and digit count of the first oversized integer (iterative: no recursion limit)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _HugeNumber):
            return path, value.digits
        if isinstance(value, dict):
            items = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(value))))
    return None


def load_json(text: str, source: str = "input") -> Any:
    """``json.loads`` whose every failure is an InputError naming where.

    Why not plain ``json.loads``: an integer literal of more than 4,300 digits
    raises a bare ValueError (Python's int-string limit) and 100,000 nested
    brackets a RecursionError; both reached users as internal errors. Here the
    first is reported at its field path, the second as too deeply nested.
    """
    seen_huge = False

    def parse_int(literal: str) -> Any:
        nonlocal seen_huge
        value = _parse_int(literal)
        seen_huge = seen_huge or isinstance(value, _HugeNumber)
        return value

    try:
        data = json.loads(text, parse_int=parse_int)
    except json.JSONDecodeError as e:
        raise InputError(
            [(source, f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}")]
        ) from None
    except RecursionError:
        raise InputError([(source, "nested too deeply")]) from None
    except ValueError as e:
        raise InputError([(source, f"unreadable JSON ({type(e).__name__})")]) from None
    if seen_huge:
        found = _find_huge(data)
        if found is not None:
            path, digits = found
            raise InputError([(path or source, f"a number of {digits} digits is out of range")])
    return data


def validate_as(model: type[T], data: Any, prefix: str = "") -> T:
    """Validate data as ``model``; raise InputError naming each bad field."""
    if not isinstance(data, dict):
        raise InputError([(prefix, f"must be an object, not {type(data).__name__}")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, prefix) from None
    except RecursionError:
        raise InputError([(prefix, "nested too deeply")]) from None
