"""Lexicons of the report reader as data files, checked when they are loaded.

Why: adding a phrasing (an organ word the reader lacked, a host lesion word) should
mean adding a line to a data file, not editing a regular expression in code. A
lexicon is a YAML file in ``hepcalc/reports/data/`` whose entries are lists of
regular-expression alternatives; ``alternatives`` checks them (each compiles on its
own, none holds a named group, so the code's own groups stay the only ones) and
``LexiconError`` names the file and entry of the first problem, at import time, so
a broken edit fails every test at once instead of silently reading less.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from hepcalc.datafiles import load_yaml
from hepcalc.regex_cache import re_compile

_GROUP_NAME = re_compile(r"[a-z][a-z_]*")


class LexiconError(ValueError):
    """A lexicon data file is malformed; the message names the file and the entry."""


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed YAML lexicon ``data/<name>.yaml`` (a mapping)."""
    raw = resources.files("hepcalc.reports").joinpath("data", f"{name}.yaml").read_text("utf-8")
    # libyaml's loader when present: several times faster, and this runs at import
    data = load_yaml(raw)
    if not isinstance(data, dict):
        raise LexiconError(f"{name}.yaml: must be a mapping of entries")
    return data


def alternatives(where: str, value: object) -> list[str]:
    """A checked list of regex alternatives (``where`` names it in errors).

    Example: ``alternatives("organs.yaml: liver", ["livers?", "hepatic"])`` returns the
    list; ``["(?P<x>liver)"]`` raises ``LexiconError`` naming entry 0.
    """
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{where}: must be a non-empty list of patterns")
    for i, alt in enumerate(value):
        if not isinstance(alt, str) or not alt.strip():
            raise LexiconError(f"{where}[{i}]: must be a non-empty string")
        if "(?P<" in alt:
            raise LexiconError(f"{where}[{i}]: {alt!r} holds a named group")
        try:
            re_compile(alt)
        except re.error as exc:
            raise LexiconError(f"{where}[{i}]: {alt!r} is not a valid pattern ({exc})") from None
    return value


def group_name(where: str, name: object) -> str:
    """A checked regex group name for a lexicon key (lower-case letters and _)."""
    if not isinstance(name, str) or not _GROUP_NAME.fullmatch(name):
        raise LexiconError(f"{where}: {name!r} is not a valid name (a-z and _)")
    return name


def compiled(where: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile the joined alternation, naming the lexicon when it does not compile."""
    try:
        return re_compile(pattern, flags)
    except re.error as exc:
        raise LexiconError(f"{where}: the joined pattern does not compile ({exc})") from None
