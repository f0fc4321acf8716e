"""Batch reading of many reports: the local scan engine behind ``hepcalc scan``.

One JSON object per input line ``{"id", "text", "modality"?, "date"?}`` gives one
output object ``{"id", "findings": [...]}`` (plus ``"assessment"`` with
``assess=True``), in input order. A bad record gives ``{"id", "error"}`` and a
line that is not JSON gives ``{"line", "error"}``: nothing raises, no other line
is lost.

Memory stays constant whatever the corpus size: lines are read lazily and, with
several workers, handed to a process pool in bounded batches (``Pool.imap``
alone would read the whole input ahead into its task queue). The next batch is
already running while the previous one is written, so workers are not idle.

``scan_record`` is also the unit of work of the Spark engine (``batch_spark``).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any

from hepcalc.errors import InputError
from hepcalc.model import MAX_REPORT_CHARS, Finding, Modality
from hepcalc.reports import extract_findings, read_report

# One JSON line holds one report; escapes (\n, \uXXXX) can make it several times longer.
MAX_LINE_BYTES = MAX_REPORT_CHARS * 6 + 64_000
_MODALITIES = ", ".join(m.value for m in Modality)


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line the reader could not even decode (too long, not UTF-8)."""

    error: str


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as output JSON: ``exclude_none`` but always ``calcified`` and ``evidence``."""
    data = finding.model_dump(mode="json", exclude_none=True)
    features = {k: v for k, v in data.pop("features", {}).items() if v != []}
    if features:
        data["features"] = features
    if data.get("treated") is False:
        del data["treated"]  # always False for read findings (treated ones are out of scope)
    data["calcified"] = finding.is_calcified
    data["evidence"] = (
        finding.evidence.model_dump(mode="json") if finding.evidence is not None else None
    )
    return data


def _field_error(record_id: Any, field: str, problem: str) -> dict[str, Any]:
    return {"id": record_id, "error": f"{field}: {problem}"}


def _assess_function() -> Callable[[Any], Any] | None:
    """The assessment the other faces use (pipeline adds summaries), or None if not built."""
    try:
        from hepcalc.pipeline import assess

        return assess
    except ImportError:
        pass
    try:
        from hepcalc.engine import assess as engine_assess

        return engine_assess
    except (ImportError, AttributeError):
        return None


def scan_record(record: dict[str, Any], assess: bool = False) -> dict[str, Any]:
    """Read one input record; never raises for bad input (the error is in the result)."""
    if not isinstance(record, dict):
        return {"id": None, "error": f"record must be a JSON object, not {type(record).__name__}"}
    record_id = record.get("id")
    if record_id is None:
        return _field_error(None, "id", "is required")
    if not isinstance(record_id, str | int) or isinstance(record_id, bool):
        return _field_error(None, "id", "must be a string or an integer")
    text = record.get("text")
    if not isinstance(text, str):
        problem = "is required" if text is None else "must be a string"
        return _field_error(record_id, "text", problem)
    if len(text) > MAX_REPORT_CHARS:
        return _field_error(
            record_id, "text", f"{len(text)} characters; the limit is {MAX_REPORT_CHARS}"
        )
    modality: Modality | None = None
    raw_modality = record.get("modality")
    if raw_modality is not None:
        try:
            modality = Modality(str(raw_modality).strip().upper())
        except ValueError:
            return _field_error(
                record_id,
                "modality",
                f"unknown code {raw_modality!r}; expected one of {_MODALITIES}",
            )
    date: dt.date | None = None
    raw_date = record.get("date")
    if raw_date is not None:
        try:
            date = dt.date.fromisoformat(str(raw_date).strip()[:10])
        except ValueError:
            return _field_error(record_id, "date", "must be an ISO date YYYY-MM-DD")
    try:
        if not assess:
            findings = extract_findings(text, modality)
            return {"id": record_id, "findings": [finding_json(f) for f in findings]}
        reading = read_report(text, modality)
    except InputError as e:
        return {"id": record_id, "error": e.message}
    out: dict[str, Any] = {
        "id": record_id,
        "findings": [finding_json(f) for f in reading.findings],
    }
    out.update(_assessment(reading, modality, date))
    return out


def _assessment(reading: Any, modality: Modality | None, date: dt.date | None) -> dict[str, Any]:
    """``{"assessment": ...}`` for one read report, or a null assessment with the reason."""
    assess_fn = _assess_function()
    if assess_fn is None:
        return {"assessment": None, "assessment_error": "the assessment engine is not available"}
    exam_modality = modality or reading.modality
    if exam_modality is None:
        return {
            "assessment": None,
            "assessment_error": "modality: not given in the record and not stated in the report",
        }
    from hepcalc.model import Case, Exam

    try:
        exam = Exam(
            modality=exam_modality,
            date=date,
            findings=reading.findings,
            background_liver=reading.background_liver,
        )
        assessment = assess_fn(Case(exams=[exam]))
    except InputError as e:
        return {"assessment": None, "assessment_error": e.message}
    except Exception as e:  # the engine failing must not lose the findings of this report
        return {"assessment": None, "assessment_error": f"internal: {type(e).__name__}: {e}"}
    return {"assessment": assessment.to_json_dict()}


def scan_line(number: int, line: str | BadLine, assess: bool = False) -> dict[str, Any] | None:
    """One input line -> one output object (None for a blank line)."""
    if isinstance(line, BadLine):
        return {"line": number, "error": line.error}
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        return {"line": number, "error": f"malformed JSON at column {e.colno}: {e.msg}"}
    except RecursionError:
        return {"line": number, "error": "JSON nested too deeply"}
    result = scan_record(record, assess)
    if "error" in result:
        result["line"] = number
    return result


def _scan_numbered(item: tuple[int, str | BadLine, bool]) -> dict[str, Any] | None:
    return scan_line(*item)


def scan_lines(
    lines: Iterable[str | BadLine],
    assess: bool = False,
    workers: int = 1,
    chunksize: int = 64,
) -> Iterator[dict[str, Any]]:
    """Scan JSONL lines in order with constant memory; ``workers`` > 1 uses processes."""
    numbered = ((n, line, assess) for n, line in enumerate(lines, start=1))
    if workers <= 1:
        for item in numbered:
            result = _scan_numbered(item)
            if result is not None:
                yield result
        return
    batch_size = workers * chunksize * 4
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(workers) as pool:
        pending = pool.map_async(_scan_numbered, list(islice(numbered, batch_size)), chunksize)
        while True:
            nxt_items = list(islice(numbered, batch_size))
            nxt = pool.map_async(_scan_numbered, nxt_items, chunksize) if nxt_items else None
            for result in pending.get():
                if result is not None:
                    yield result
            if nxt is None:
                break
            pending = nxt


def read_jsonl_lines(stream: IO[bytes], max_bytes: int = MAX_LINE_BYTES) -> Iterator[str | BadLine]:
    """Lines of a binary stream, each at most ``max_bytes``; longer or non-UTF-8 -> BadLine.

    An over-long line is skipped to its end without being held in memory.
    """
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while True:  # drain the rest of this line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield BadLine(f"line longer than {max_bytes} bytes")
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield BadLine(f"not UTF-8 text (byte {e.start})")
