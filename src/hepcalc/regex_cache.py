"""Compiled regular expressions kept between runs, as Python keeps compiled byte code.

Why: hepcalc compiles about 600 regular expressions when the reader is imported (the
organ and context alternations, the size and place rules). ``re`` parses and compiles
each in pure Python, about 0.14 s at every start: a third of the start-up of
``hepcalc scan`` and of every CLI call that reads a report. The result of that work is
a list of integers (the ``_sre`` program), the same on every run of the same
interpreter. This module stores those programs in one file beside the package's byte
code (``__pycache__/regex_cache.<cache tag>.marshal``) and builds the patterns from it
on the next start (about 4 ms for all of them).

Exactness: a program is only ever read by the interpreter build that wrote it (the file
names ``sys.version`` and the ``_sre`` magic number; anything else is ignored). A new
entry is stored only after the pattern built from it compared equal to ``re.compile``'s
own (same pattern, flags and program; same groups): when a future Python compiles
differently, nothing is stored and every pattern comes from ``re.compile`` as before.
``_sre`` validates every program it is given, so a damaged file raises, and the pattern
is then compiled afresh.

The file follows the byte-code rules: it is written at exit only when new patterns
were compiled, never when byte code is not written (``PYTHONDONTWRITEBYTECODE``,
``sys.dont_write_bytecode``) or the directory is read-only, and it honours
``PYTHONPYCACHEPREFIX``. ``HEPCALC_REGEX_CACHE=0`` turns the cache off (reading and
writing). Like a ``.pyc`` file it is trusted as much as the package directory is.

Example: ``re_compile(r"\\bcalcif\\w*", re.I)`` is ``re.compile(...)``'s
pattern, built from the stored program when there is one.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import marshal
import os
import re
import sys
import threading
from typing import Any

_sre: Any
try:  # CPython's regular expression internals (3.11+); elsewhere the cache is off
    import _sre  # type: ignore[import-not-found,no-redef]
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - not CPython
    _sre = None

_FORMAT = 1
MAX_ENTRIES = 4000
"""Entries kept in the file; beyond it only this run's patterns are kept (a program
that compiles patterns from its input must not grow the file without end)."""

_Key = tuple[str, int]
_Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_lock = threading.Lock()
_stored: dict[_Key, _Program] | None = None  # read from the file on first use
_used: dict[_Key, _Program] = {}  # this run's patterns, stored or new
_new = 0  # entries this run added
_broken = False  # the interpreter compiles differently: use ``re.compile`` only


def re_compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the stored program when there is one."""
    if _broken or _sre is None or not isinstance(pattern, str) or not _enabled():
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    program = _programs().get(key)
    if program is not None:
        try:
            built = _sre.compile(pattern, *program)
        except Exception:  # a damaged entry: compile afresh, store the right one
            program = None
        else:
            _used[key] = program
            return built
    return _compile_and_store(key)


def _compile_and_store(key: _Key) -> re.Pattern[str]:
    """``re.compile``; its program is stored when rebuilding from it gives the same."""
    global _broken, _new
    pattern, flags = key
    fresh = re.compile(pattern, flags)
    if flags & re.DEBUG:
        return fresh
    try:
        program = _program(pattern, flags)
        rebuilt = _sre.compile(pattern, *program)
        same = (
            rebuilt == fresh
            and rebuilt.groups == fresh.groups
            and rebuilt.groupindex == fresh.groupindex
        )
    except Exception:
        same = False
    if not same:
        _broken = True  # this interpreter's internals differ: never store anything
        return fresh
    with _lock:
        if key not in _used:  # two modules may compile the same pattern
            _new += 1
        _used[key] = program
    return fresh


def _program(pattern: str, flags: int) -> _Program:
    """What ``re._compiler.compile`` hands to ``_sre.compile``, as plain data."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = {str(name): int(i) for name, i in parsed.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (
        int(flags | parsed.state.flags),
        [int(c) for c in code],
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _enabled() -> bool:
    return os.environ.get("HEPCALC_REGEX_CACHE", "1") != "0"


def _header() -> tuple[Any, ...]:
    return (_FORMAT, sys.version, sys.implementation.name, _sre.MAGIC, _sre.CODESIZE)


def cache_path() -> str | None:
    """The cache file of this interpreter (beside this module's byte code), or None."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    try:
        pyc = importlib.util.cache_from_source(__file__)
    except (NotImplementedError, ValueError):
        return None
    return os.path.join(os.path.dirname(pyc), f"regex_cache.{tag}.marshal")


def _programs() -> dict[_Key, _Program]:
    """The stored programs, read once (an unreadable or foreign file counts as empty)."""
    global _stored
    if _stored is None:
        with _lock:
            if _stored is None:
                _stored = _read(cache_path())
                atexit.register(save)
    return _stored


def _read(path: str | None) -> dict[_Key, _Program]:
    if path is None:
        return {}
    try:
        with open(path, "rb") as f:
            data = f.read()  # one read: ``marshal.load(f)`` reads piecemeal, 15x slower
        header, entries = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if header != _header() or not isinstance(entries, dict):
        return {}
    return entries


def save() -> bool:
    """Write the programs when this run added some and byte code may be written.

    Atomic (a temporary file renamed over the old one), so concurrent runs and an
    interrupted write never leave a partial file. Returns True when it wrote.
    """
    global _stored, _new
    if not _new or sys.dont_write_bytecode or not _enabled():
        return False
    path = cache_path()
    if path is None:
        return False
    with _lock:
        entries = dict(_stored or {})
        entries.update(_used)
        if len(entries) > MAX_ENTRIES:
            entries = dict(_used)
        data = marshal.dumps((_header(), entries))
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        _stored, _new = entries, 0
    except OSError:  # a read-only installation: compile at each start, as before
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
