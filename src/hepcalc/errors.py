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
        msg = _message(err)
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
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(
                [(source, f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}")]
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise InputError([(source, f"malformed YAML{where}")]) from None
    except RecursionError:
        raise InputError([(source, "nested too deeply")]) from None


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
