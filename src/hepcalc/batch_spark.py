"""`hepcalc scan --engine spark`: the batch scan on Apache Spark, for whole archives.

The Spark engine runs exactly the code of the local engine: each row goes
through ``hepcalc.batch.scan_record`` inside ``DataFrame.mapInPandas``, so a
report gives the same findings whichever engine read it. Anything heavy (the
reader's rules, the knowledge base) is built once per partition, when the
partition's first batch arrives, and reused by the Python worker afterwards
(Spark reuses workers), never pickled from the driver.

Input: JSONL (the ``scan`` line format; one JSON object per line, read as text
and parsed in the worker exactly as the local engine parses it) or Parquet
(columns ``id``, ``text`` and optionally ``modality``, ``date``...). Output:
Parquet (columns ``line_number``, ``id``, ``n_findings``, ``calcified``,
``findings`` and ``assessment`` as JSON text, ``error``) or JSONL (the local
engine's lines, in input order). As in the local engine a bad record never stops
the run: it becomes a row/line with ``error``.

Running on a cluster: see docs/scale.md (``spark-submit`` with ``master=None``).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from hepcalc.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

FORMATS = ("jsonl", "parquet")

# The schema of the rows the workers emit (a Spark DDL string keeps the driver light).
_OUT_SCHEMA = (
    "line_number LONG, id STRING, n_findings INT, calcified BOOLEAN, "
    "findings STRING, assessment STRING, error STRING, line STRING"
)


@dataclass
class SparkScanResult:
    """What a Spark scan wrote."""

    records: int
    out_path: str
    output_format: str
    errors: int = 0  # records rejected (an "error" in their line), as the local engine counts


# ---------------------------------------------------------------------------
# Worker side: one function per partition, the same scan_record as the local engine.
# ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A pandas/numpy cell as a plain JSON value (None for missing)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        iso = value.isoformat()
        return iso[:10] if len(iso) >= 10 and "T00:00:00" in iso else iso
    return value


def _record_from_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ((k, _plain(v)) for k, v in row.items()) if v is not None}


_ROW_BITS = 33  # monotonically_increasing_id = partition index << 33 | row within partition
_ROW_MASK = (1 << _ROW_BITS) - 1


def line_number(mono_id: int, offsets: dict[int, int]) -> int:
    """1-based line number from a monotonically_increasing_id and the partition offsets."""
    return offsets[mono_id >> _ROW_BITS] + (mono_id & _ROW_MASK) + 1


def _summary(result: dict[str, Any], number: int) -> dict[str, Any]:
    findings = result.get("findings") or []
    assessment = result.get("assessment")
    return {
        "line_number": number,
        "id": None if result.get("id") is None else str(result.get("id")),
        "n_findings": len(findings),
        "calcified": any(bool(f.get("calcified")) for f in findings),
        "findings": json.dumps(findings, ensure_ascii=False, sort_keys=True),
        "assessment": None if assessment is None else json.dumps(assessment, sort_keys=True),
        "error": result.get("error"),
        "line": json.dumps(result, ensure_ascii=False),
    }


def scan_partition(
    batches: Iterator[pd.DataFrame],
    assess: bool,
    input_format: str,
    offsets: dict[int, int] | None = None,
) -> Iterator[pd.DataFrame]:
    """The mapInPandas function: the local engine's own per-line/per-record code.

    JSONL rows (``value`` = one line) go through ``hepcalc.batch.scan_line`` with
    their real line number, exactly as ``hepcalc scan`` does; Parquet rows become
    a record dict for ``hepcalc.batch.scan_record``. Kept free of Spark imports so
    it can be tested with plain pandas.
    """
    import pandas as pd

    from hepcalc import batch

    warm = getattr(batch, "warm_up", None)
    if callable(warm):  # build the reader once per partition, not per row
        warm()
    else:
        batch.scan_record({"id": "warm-up", "text": "Liver: normal."})
    columns = list(_summary({}, 0))
    for frame in batches:
        rows: list[dict[str, Any]] = []
        for row in frame.to_dict("records"):
            mono = int(row.pop("_ord"))
            number = line_number(mono, offsets) if offsets is not None else mono + 1
            if input_format == "jsonl":
                text = row.get("value")
                raw = text if isinstance(text, str) else ""
                line: str | batch.BadLine = raw
                if len(raw) > batch.MAX_LINE_BYTES:
                    line = batch.BadLine(f"line longer than {batch.MAX_LINE_BYTES} bytes")
                result = batch.scan_line(number, line, assess)
                if result is None:
                    continue  # blank line
            else:
                result = batch.scan_record(_record_from_row(row), assess)
            rows.append(_summary(result, number))
        out = pd.DataFrame(rows, columns=columns)
        yield out.astype({"line_number": "int64", "n_findings": "int32", "calcified": "bool"})


# ---------------------------------------------------------------------------
# Driver side
# ---------------------------------------------------------------------------


def _format_of(path: str, given: str | None, default: str, what: str) -> str:
    if given is not None:
        if given not in FORMATS:
            raise InputError([(what, f"unknown format {given!r}; expected jsonl or parquet")])
        return given
    lower = path.rstrip("/").lower()
    if lower.endswith(".parquet") or lower.endswith(".pq"):
        return "parquet"
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    local = _local_path(path)
    if local is not None and local.is_dir() and any(local.glob("*.parquet")):
        return "parquet"
    return default


def _local_path(path: str) -> Path | None:
    """The local filesystem path, or None for hdfs://, s3a://... URIs."""
    parsed = urlparse(path)
    if parsed.scheme in ("", "file"):
        return Path(parsed.path if parsed.scheme == "file" else path)
    return None


def spark_session(master: str | None = "local[2]", app_name: str = "hepcalc-scan") -> SparkSession:
    """A Spark session; ``master=None`` defers to spark-submit / the cluster's config.

    Local mode needs the workers to run this very interpreter (with hepcalc and
    pandas installed), so ``PYSPARK_PYTHON`` defaults to ``sys.executable``.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            [("engine", "the spark engine needs pyspark: pip install 'hepcalc[spark]'")]
        ) from None
    if master is not None and master.startswith("local"):
        # (on a cluster, spark-submit's spark.pyspark.python / PYSPARK_PYTHON decide)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            builder = builder.config("spark.ui.enabled", "false").config(
                "spark.sql.shuffle.partitions", "4"
            )
    session = (
        builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel(os.environ.get("HEPCALC_SPARK_LOG_LEVEL", "ERROR"))
    return session


def _read(spark: SparkSession, in_path: str, input_format: str) -> DataFrame:
    from pyspark.sql import functions as F

    local = _local_path(in_path)
    if local is not None and not local.exists():
        raise InputError([(in_path, "no such file")])
    if input_format == "jsonl":
        df = spark.read.text(in_path)
    else:
        df = spark.read.parquet(in_path)
        if "text" not in df.columns or "id" not in df.columns:
            raise InputError([(in_path, "Parquet input needs the columns 'id' and 'text'")])
    # Increasing with the partition index and the row within it: input order.
    return df.withColumn("_ord", F.monotonically_increasing_id())


def _remove(path: str, spark: SparkSession) -> None:
    local = _local_path(path)
    if local is not None:
        shutil.rmtree(local, ignore_errors=True)
        return
    # py4j gateways into the JVM: private, untyped attributes of SparkContext.
    jvm: Any = spark.sparkContext._jvm
    jsc: Any = spark.sparkContext._jsc
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    fs = hadoop_path.getFileSystem(jsc.hadoopConfiguration())
    fs.delete(hadoop_path, True)


def _partition_offsets(df: DataFrame) -> dict[int, int]:
    """Rows before each input partition (a cheap text-only pass), for line numbers."""
    from pyspark.sql import functions as F

    counts = (
        df.select(F.spark_partition_id().alias("p")).groupBy("p").count().orderBy("p").collect()
    )
    offsets: dict[int, int] = {}
    total = 0
    for row in counts:
        offsets[int(row["p"])] = total
        total += int(row["count"])
    return offsets


def run_spark(
    in_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    assess: bool = False,
    master: str | None = "local[2]",
    input_format: str | None = None,
    output_format: str | None = None,
    spark: SparkSession | None = None,
    partitions: int | None = None,
) -> SparkScanResult:
    """Scan ``in_path`` with Spark and write ``out_path``; returns the record count.

    ``spark`` reuses an existing session (tests, notebooks); otherwise one is made
    for ``master`` (None: whatever spark-submit configured) and stopped at the end.
    ``partitions`` repartitions the input after reading (default: Spark's split of
    the input files). A local ``.jsonl`` output is one file in input order, line
    for line what ``hepcalc scan`` writes; on a cluster filesystem it is a
    directory of part files, ordered by line number.
    """
    src, dst = str(in_path), str(out_path)
    in_fmt = _format_of(src, input_format, "jsonl", "input_format")
    out_fmt = _format_of(dst, output_format, "parquet", "output_format")
    own_session = spark is None
    session = spark or spark_session(master)
    staging = f"{dst.rstrip('/')}.hepcalc-staging-{uuid.uuid4().hex[:8]}"
    try:
        df = _read(session, src, in_fmt)
        # Line numbers as the local engine counts them (for Parquet: the row number).
        offsets = _partition_offsets(df)
        if partitions:
            df = df.repartition(partitions)
        scanned = df.mapInPandas(
            lambda it: scan_partition(it, assess, in_fmt, offsets),
            schema=_OUT_SCHEMA,
        )
        if out_fmt == "parquet":
            scanned.drop("line").write.mode("overwrite").parquet(dst)
            written = session.read.parquet(dst)
            records = written.count()
            errors = written.filter(written["error"].isNotNull()).count()
        else:
            # The expensive scan runs once, in parallel, into staging; ordering the
            # lines then reads the staged rows, not the reports again.
            scanned.select("line_number", "line", "error").write.mode("overwrite").parquet(staging)
            staged = session.read.parquet(staging)
            records = staged.count()
            errors = staged.filter(staged["error"].isNotNull()).count()
            _write_jsonl(staged, dst)
        return SparkScanResult(records=records, out_path=dst, output_format=out_fmt, errors=errors)
    finally:
        _remove(staging, session)
        if own_session:
            session.stop()


def _write_jsonl(staged: DataFrame, dst: str) -> None:
    local = _local_path(dst)
    if local is None:
        staged.orderBy("line_number").select("line").write.mode("overwrite").text(dst)
        return
    # One local file in input order: a single sorted partition (external sort, spills).
    tmp_dir = f"{dst}.hepcalc-parts-{uuid.uuid4().hex[:8]}"
    try:
        (
            staged.coalesce(1)
            .sortWithinPartitions("line_number")
            .select("line")
            .write.mode("overwrite")
            .text(tmp_dir)
        )
        local.parent.mkdir(parents=True, exist_ok=True)
        tmp_file = local.with_name(local.name + ".tmp")
        with tmp_file.open("wb") as out:
            for part in sorted(Path(tmp_dir).glob("part-*")):
                with part.open("rb") as f:
                    shutil.copyfileobj(f, out)
        tmp_file.replace(local)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``spark-submit .../hepcalc/batch_spark.py IN OUT [--assess]``.

    The master comes from spark-submit (``--master yarn``, ``k8s://...``), so
    none is set here unless ``--master`` is given.
    """
    import argparse

    ap = argparse.ArgumentParser(prog="hepcalc-spark-scan", description=__doc__)
    ap.add_argument("in_path")
    ap.add_argument("out_path")
    ap.add_argument("--assess", action="store_true")
    ap.add_argument("--master", default=None)
    ap.add_argument("--input-format", choices=FORMATS, default=None)
    ap.add_argument("--output-format", choices=FORMATS, default=None)
    ap.add_argument("--partitions", type=int, default=None)
    args = ap.parse_args(argv)
    try:
        result = run_spark(
            args.in_path,
            args.out_path,
            assess=args.assess,
            master=args.master,
            input_format=args.input_format,
            output_format=args.output_format,
            partitions=args.partitions,
        )
    except InputError as e:
        print(f"hepcalc: invalid input: {e.message}", file=sys.stderr)
        return 2
    print(json.dumps({"records": result.records, "out": result.out_path}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
