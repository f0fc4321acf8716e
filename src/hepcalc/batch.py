"""Batch reading of many reports: the local scan engine behind ``hepcalc scan``.

One JSON object per input line ``{"id", "text", "modality"?, "date"?}`` gives one
output object ``{"id", "findings": [...]}`` (plus ``"assessment"`` with
``assess=True``), in input order. A bad record gives ``{"id", "error"}`` and a
line that is not JSON gives ``{"line", "error"}``: nothing raises, no other line
is lost.

Memory stays constant whatever the corpus size: lines are read lazily and, with
several workers, handed to a process pool in batches with a bounded number in
flight (``Pool.imap`` alone would read the whole input ahead into its task
queue), and results come back in input order.

Why ``scan_batches`` exists next to ``scan_lines``: on a 2-core machine the
parent process competes with the workers for the same cores, so everything it
does per report is taken from the workers. ``scan_batches`` has the workers do
all per-report work, JSON decoding and encoding included, and send back one
string of output lines per batch plus counts; the parent only reads lines,
ships batches and writes strings. ``hepcalc scan`` uses it; ``scan_lines``
(objects, for callers that want them) shares the same ordered pool.

``scan_record`` is also the unit of work of the Spark engine (``batch_spark``).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any, TypeVar

from hepcalc import fast_json
from hepcalc.errors import InputError
from hepcalc.model import MAX_REPORT_CHARS, Finding, Modality
from hepcalc.reports import extract_findings, read_report

# One JSON line holds one report; escapes (\n, \uXXXX) can make it several times longer.
MAX_LINE_BYTES = MAX_REPORT_CHARS * 6 + 64_000
# Input lines per task when the lines are already read (scan_lines, scan_batches):
# large enough that per-task costs (pickling, queue round trips, the parent waking
# up) vanish next to ~100 us per report, small enough that a batch of long reports
# does not leave the other workers waiting long.
BATCH_LINES = 256
# Bytes of input per task when reading a stream (about 300 reports of 1.6 kB).
BLOCK_BYTES = 512 * 1024
# Batches in flight per worker: one running, the next ones queued, so a worker never
# waits for the parent; bounded so memory stays constant.
IN_FLIGHT_PER_WORKER = 3
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
    out.update(_assessment(reading, modality, date, text))
    return out


def _assessment(
    reading: Any, modality: Modality | None, date: dt.date | None, text: str
) -> dict[str, Any]:
    """``{"assessment": ...}`` for one read report, or a null assessment with the reason.

    The text goes into the exam beside the findings already read, so that what the
    report says about the patient (history, cirrhotic liver) reaches the engine.
    """
    from hepcalc.pipeline import assess as assess_fn

    exam_modality = modality or reading.modality
    if exam_modality is None and not reading.findings:
        # an ordinary report with no liver finding and no imaging modality (a clinic
        # note, a discharge summary): nothing to assess, and nothing went wrong, so
        # no error line for each of the thousands of such records in a scan
        return {"assessment": None}
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
            report_text=text,
        )
        assessment = assess_fn(Case(exams=[exam]))
    except InputError as e:
        return {"assessment": None, "assessment_error": e.message}
    except Exception as e:  # the engine failing must not lose the findings of this report
        return {"assessment": None, "assessment_error": f"internal: {type(e).__name__}: {e}"}
    return {"assessment": assessment.to_json_dict()}


def scan_line(
    number: int, line: str | bytes | memoryview | BadLine, assess: bool = False
) -> dict[str, Any] | None:
    """One input line -> one output object (None for a blank line).

    ``line`` is text, or the bytes (or a view of them) of a newline-ended line without
    its newline, as a stream worker holds them (``RawBatch.contents``): those are
    parsed without decoding when ``fast_json`` can, else decoded with their newline as
    before, so every error message (JSON columns, UTF-8 offsets) is the same either way.
    """
    if isinstance(line, BadLine):
        return {"line": number, "error": line.error}
    record = fast_json.loads_exact(line)
    if record is fast_json.UNANSWERED:
        if not isinstance(line, str):
            try:
                line = (bytes(line) + b"\n").decode("utf-8")
            except UnicodeDecodeError as e:
                return {"line": number, "error": not_utf8(e)}
        if not line.strip():
            return None
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            return {"line": number, "error": f"malformed JSON at column {e.colno}: {e.msg}"}
        except RecursionError:
            return {"line": number, "error": "JSON nested too deeply"}
        except ValueError:  # an integer beyond Python's int-string limit (4,300 digits)
            return {"line": number, "error": "JSON holds a number too large to read"}
    result = scan_record(record, assess)
    if "error" in result:
        result["line"] = number
    return result


@dataclass(frozen=True, slots=True)
class ScannedBatch:
    """Output of one batch of input lines, already serialised: what a worker sends back.

    ``text`` is the output JSONL (each line ends with a newline; empty when every
    input line was blank); ``errors`` holds ``(line, id, message)`` of each error
    object so the caller can report them without parsing ``text`` again.
    """

    text: str
    records: int
    with_findings: int
    errors: tuple[tuple[int | None, Any, str], ...]
    lines: int = 0
    """Input lines the batch held, blank ones included (the next batch's first number)."""


_NO_FINDING_KEYS = ("id", "findings")


def output_line(result: dict[str, Any]) -> str:
    """One output object as the line ``hepcalc scan`` writes (without the newline).

    Most reports of a large feed have no finding: their line is written from the id
    alone, the same bytes as ``json.dumps`` gives (2.5x cheaper for that line).
    """
    if tuple(result) == _NO_FINDING_KEYS and result["findings"] == []:
        return '{"id": ' + json.dumps(result["id"], ensure_ascii=False) + ', "findings": []}'
    return json.dumps(result, ensure_ascii=False)


def scan_batch(
    first_number: int, lines: Sequence[str | bytes | memoryview | BadLine], assess: bool
) -> ScannedBatch:
    """Scan consecutive input lines (the first is line ``first_number``) into output text."""
    parts: list[str] = []
    with_findings = 0
    errors: list[tuple[int | None, Any, str]] = []
    for offset, line in enumerate(lines):
        result = scan_line(first_number + offset, line, assess)
        if result is None:
            continue
        parts.append(output_line(result))
        if "error" in result:
            errors.append((result.get("line"), result.get("id"), result["error"]))
        elif result.get("findings"):
            with_findings += 1
    text = "\n".join(parts) + "\n" if parts else ""
    return ScannedBatch(text, len(parts), with_findings, tuple(errors), len(lines))


def _scan_objects(
    first_number: int, lines: Sequence[str | BadLine], assess: bool
) -> list[dict[str, Any]]:
    """Like ``scan_batch`` but the output objects themselves (blank lines dropped)."""
    results = (scan_line(first_number + i, line, assess) for i, line in enumerate(lines))
    return [r for r in results if r is not None]


def _numbered_batches(
    lines: Iterable[str | BadLine], size: int
) -> Iterator[tuple[int, list[str | BadLine]]]:
    """``(number of the first line, lines)`` for consecutive batches of ``size`` lines."""
    it = iter(lines)
    first = 1
    while batch := list(islice(it, size)):
        yield first, batch
        first += len(batch)


T = TypeVar("T")
P = TypeVar("P")


def _ordered_map(
    fn: Callable[[int, P, bool], T],
    batches: Iterable[tuple[int, P]],
    assess: bool,
    workers: int,
) -> Iterator[T]:
    """``fn(first_line_number, payload, assess)`` over batches, in input order.

    ``workers`` > 1 runs ``fn`` in that many processes with at most
    ``workers * IN_FLIGHT_PER_WORKER`` batches read ahead, so memory is bounded
    whatever the input size. With one worker everything runs here.
    """
    if workers <= 1:
        for first, payload in batches:
            yield fn(first, payload, assess)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    limit = workers * IN_FLIGHT_PER_WORKER
    with ctx.Pool(workers) as pool:
        pending: deque[Any] = deque()
        for first, payload in batches:
            pending.append(pool.apply_async(fn, (first, payload, assess)))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


@dataclass(frozen=True, slots=True)
class RawBatch:
    """Consecutive input lines as the parent read them: byte runs of whole lines.

    A ``BadLine`` segment stands for an over-long line the parent skipped without
    holding it. The worker splits and bounds the lines (``contents()``); ``scan_line``
    parses each one's bytes, decoding only where the fast parser cannot answer.
    """

    segments: tuple[bytes | BadLine, ...]
    max_bytes: int

    def contents(self) -> Iterator[str | memoryview | BadLine]:
        """The lines for ``scan_line``: a newline-ended line as a view of its bytes
        without the newline (no copy; ``scan_line`` puts the newline back if it must
        decode them); a last line with no newline as ``lines()`` gives it; an over-long
        line as ``BadLine``."""
        limit = self.max_bytes
        for segment in self.segments:
            if isinstance(segment, BadLine):
                yield segment
                continue
            view, find = memoryview(segment), segment.find
            start = 0
            while (end := find(b"\n", start)) >= 0:
                if end - start <= limit:
                    yield view[start:end]
                else:
                    yield BadLine(f"line longer than {limit} bytes")
                start = end + 1
            if start < len(segment):
                yield self._line(segment[start:], b"")

    def lines(self) -> Iterator[str | BadLine]:
        """The lines ``read_jsonl_lines`` would give for the same bytes, in order."""
        for segment in self.segments:
            if isinstance(segment, BadLine):
                yield segment
                continue
            parts = segment.split(b"\n")
            last = parts.pop()
            for part in parts:
                yield self._line(part, b"\n")
            if last:
                yield self._line(last, b"")

    def _line(self, content: bytes, end: bytes) -> str | BadLine:
        if len(content) > self.max_bytes:
            return BadLine(f"line longer than {self.max_bytes} bytes")
        try:
            return (content + end).decode("utf-8")
        except UnicodeDecodeError as e:
            return BadLine(not_utf8(e))


def not_utf8(error: UnicodeDecodeError) -> str:
    """The error message of a line that is not UTF-8 (the same on every path)."""
    return f"not UTF-8 text (byte {error.start})"


def read_jsonl_batches(
    stream: IO[bytes],
    block_bytes: int = BLOCK_BYTES,
    max_bytes: int = MAX_LINE_BYTES,
    numbered: bool = True,
) -> Iterator[tuple[int, RawBatch]]:
    """``(first line number, RawBatch)`` of about ``block_bytes`` each, from a binary stream.

    The parent's share of the work: read blocks, cut them after their last
    newline, count newlines: a few C-level calls per block, nothing per line.
    A line longer than ``max_bytes`` becomes a ``BadLine`` and is skipped to its
    end without being held in memory, as in ``read_jsonl_lines``. With ``numbered``
    false the newlines are not counted and every first number is 1 (the caller numbers
    the lines from what each batch held).
    """
    first = 1
    carry = b""  # the start of a line whose end is not read yet
    draining = False  # inside an over-long line: skip to its newline
    segments: list[bytes | BadLine] = []
    count = size = 0
    while block := stream.read(block_bytes):
        if draining:
            newline = block.find(b"\n")
            if newline < 0:
                continue
            block = block[newline + 1 :]
            draining = False
        newline = block.rfind(b"\n")
        if newline < 0:
            carry += block  # a line longer than a block goes on (bounded below)
        else:
            # one copy of the block's whole lines (a block ending on a newline: none)
            if carry:
                complete = b"".join((carry, memoryview(block)[: newline + 1]))
            else:
                complete = block[: newline + 1]
            carry = block[newline + 1 :]
            segments.append(complete)
            if numbered:
                count += complete.count(b"\n")
            size += len(complete)
        if len(carry) > max_bytes:
            segments.append(BadLine(f"line longer than {max_bytes} bytes"))
            count += 1
            carry = b""
            draining = True
        if size >= block_bytes:
            yield first, RawBatch(tuple(segments), max_bytes)
            first += count
            segments, count, size = [], 0, 0
    if carry:  # a last line without a newline
        segments.append(carry)
    if segments:
        yield first, RawBatch(tuple(segments), max_bytes)


def scan_raw_batch(first_number: int, raw: RawBatch, assess: bool) -> ScannedBatch:
    """A worker's task: split and decode a RawBatch, scan it, serialise the output."""
    return scan_batch(first_number, list(raw.contents()), assess)


def scan_stream(
    stream: IO[bytes],
    assess: bool = False,
    workers: int = 1,
    block_bytes: int = BLOCK_BYTES,
    max_bytes: int = MAX_LINE_BYTES,
) -> Iterator[ScannedBatch]:
    """Scan a JSONL byte stream into serialised output batches, in order, constant memory.

    What ``hepcalc scan`` runs: the same output, line for line, as ``scan_lines``
    over ``read_jsonl_lines`` with each object written by ``output_line``.
    """
    if workers <= 1:
        return _scan_stream_here(stream, assess, block_bytes, max_bytes)
    batches = read_jsonl_batches(stream, block_bytes, max_bytes)
    return _ordered_map(scan_raw_batch, batches, assess, workers)


def _scan_stream_here(
    stream: IO[bytes], assess: bool, block_bytes: int, max_bytes: int
) -> Iterator[ScannedBatch]:
    """``scan_stream`` in this process: each batch's first line number follows from the
    lines the previous batch held, so the blocks are not counted twice (a newline count
    is a pass over every byte, about a tenth of the reading time of a general corpus)."""
    first = 1
    for _unnumbered, raw in read_jsonl_batches(stream, block_bytes, max_bytes, numbered=False):
        scanned = scan_raw_batch(first, raw, assess)
        first += scanned.lines
        yield scanned


def scan_batches(
    lines: Iterable[str | BadLine],
    assess: bool = False,
    workers: int = 1,
    batch_lines: int = BATCH_LINES,
) -> Iterator[ScannedBatch]:
    """Scan JSONL lines (already read) into serialised output batches, in order."""
    batches = _numbered_batches(lines, max(1, batch_lines))
    return _ordered_map(scan_batch, batches, assess, workers)


def scan_lines(
    lines: Iterable[str | BadLine],
    assess: bool = False,
    workers: int = 1,
    chunksize: int = 64,
) -> Iterator[dict[str, Any]]:
    """Scan JSONL lines into output objects, in order, with constant memory.

    ``workers`` > 1 uses processes; ``chunksize`` is the number of lines per task.
    """
    batches = _numbered_batches(lines, max(1, chunksize))
    for results in _ordered_map(_scan_objects, batches, assess, workers):
        yield from results


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
            yield BadLine(not_utf8(e))
