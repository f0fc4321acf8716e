"""The Spark scan engine gives what the local engine gives, on the same input.

One session-scoped ``local[2]`` Spark session (workers run this interpreter);
the per-partition function is also tested with plain pandas, without a JVM.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.spark

SHARED = Path(
    os.environ.get("HEPCALC_SHARED", Path(__file__).resolve().parents[2].parent / "shared")
)

LIVER_REPORTS = [
    "ABDOMINAL ULTRASOUND. FINDINGS: Liver: Two calcifications in the right lobe measuring "
    "1.4 cm and 0.9 cm.",
    "CT ABDOMEN WITHOUT CONTRAST. Liver: A 6 mm punctate calcification in segment 7. "
    "No focal mass.",
    "Liver: No hepatic calcification. Gallbladder: normal.",
    "IMPRESSION: Calcified granuloma in the left lobe of the liver, 4 mm.",
    "MRI LIVER. Findings: There is a 25 mm cyst with a calcified rim in segment 4a.",
]


def _inputs(n_mtsamples: int = 40) -> list[str]:
    """JSONL lines: liver reports, MTSamples texts when ../shared is there, and bad lines."""
    recs: list[dict[str, Any]] = [
        {"id": f"liver-{i}", "text": t, "modality": "US" if i % 2 else "CT", "date": "2023-06-10"}
        for i, t in enumerate(LIVER_REPORTS)
    ]
    mts = SHARED / "data" / "mtsamples.jsonl"
    if mts.exists():
        with mts.open(encoding="utf-8") as f:
            for _, line in zip(range(n_mtsamples), f, strict=False):
                row = json.loads(line)
                recs.append({"id": row["id"], "text": row["text"]})
    lines = [json.dumps(r) for r in recs]
    lines.insert(3, "")  # blank: skipped by both engines
    lines.insert(5, "{not json")  # a bad line: an error line in both engines
    lines.append(json.dumps({"id": 7, "text": "Liver: 3 mm calcification.", "modality": "PET"}))
    lines.append(json.dumps({"id": "no-text"}))
    return lines


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (17+): no `java` on PATH and no JAVA_HOME")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("hepcalc-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _local(lines: list[str], assess: bool = False) -> list[dict[str, Any]]:
    from hepcalc.batch import scan_lines

    return list(scan_lines([line + "\n" for line in lines], assess=assess))


def test_jsonl_to_jsonl_equals_the_local_engine(spark: Any, tmp_path: Path) -> None:
    from hepcalc.batch_spark import run_spark

    lines = _inputs()
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    want = _local(lines)
    # Small input splits: the file is read as several partitions, so line numbers
    # and order must be rebuilt across partitions, as on a real archive.
    spark.conf.set("spark.sql.files.maxPartitionBytes", "8192")
    try:
        out = tmp_path / "out.jsonl"
        result = run_spark(src, out, spark=spark)
        assert spark.read.text(str(src)).rdd.getNumPartitions() > 2
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert result.records == len(want) == len(got)
    assert got == want
    # and after a round-robin repartition (rows shuffled between workers)
    again = tmp_path / "again.jsonl"
    run_spark(src, again, spark=spark, partitions=3)
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    # the liver reports did produce calcified findings (the comparison is not vacuous)
    assert any(f["calcified"] for r in got[:3] for f in r.get("findings", []))
    assert any("error" in r and r.get("line") == 6 for r in got)


def test_parquet_in_parquet_out_same_findings(spark: Any, tmp_path: Path) -> None:
    import pandas as pd

    from hepcalc.batch_spark import run_spark

    recs = [json.loads(x) for x in _inputs() if x.startswith("{") and '"text"' in x]
    frame = pd.DataFrame(
        {
            "id": [str(r["id"]) for r in recs],
            "text": [r["text"] for r in recs],
            "modality": [r.get("modality") for r in recs],
        }
    )
    src = tmp_path / "in.parquet"
    frame.to_parquet(src)
    out = tmp_path / "out.parquet"
    result = run_spark(src, out, spark=spark, assess=True)
    got = pd.read_parquet(out).sort_values("line_number")
    assert result.records == len(recs) == len(got)
    assert list(got["line_number"]) == list(range(1, len(recs) + 1))
    same_input = [
        {
            k: v
            for k, v in (("id", str(r["id"])), ("text", r["text"]), ("modality", r.get("modality")))
            if v
        }
        for r in recs
    ]
    want = _local([json.dumps(r) for r in same_input], assess=True)
    for row, expected in zip(got.to_dict("records"), want, strict=True):
        assert row["id"] == expected["id"]
        if "error" in expected:
            assert row["error"] == expected["error"]
            continue
        assert json.loads(row["findings"]) == expected["findings"]
        assert row["n_findings"] == len(expected["findings"])
        assert row["calcified"] == any(f["calcified"] for f in expected["findings"])
        assessment = expected.get("assessment")
        assert (json.loads(row["assessment"]) if row["assessment"] else None) == assessment
    assert got["calcified"].any()


def test_partition_function_without_a_jvm() -> None:
    """scan_partition with pandas alone: blank lines dropped, line numbers from offsets."""
    pd = pytest.importorskip("pandas")
    from hepcalc.batch_spark import line_number, scan_partition

    offsets = {0: 0, 1: 3}
    part1 = 1 << 33
    frame = pd.DataFrame(
        {
            "_ord": [part1, part1 + 1, part1 + 2],
            "value": [json.dumps({"id": "a", "text": LIVER_REPORTS[1]}), "   ", "[1]"],
        }
    )
    out = pd.concat(list(scan_partition(iter([frame]), False, "jsonl", offsets)))
    assert list(out["line_number"]) == [4, 6]
    assert line_number(part1 + 2, offsets) == 6
    assert out.iloc[0]["id"] == "a" and out.iloc[0]["n_findings"] >= 1
    assert out.iloc[1]["error"] and json.loads(out.iloc[1]["line"])["line"] == 6


def test_unknown_format_is_an_input_error(tmp_path: Path) -> None:
    from hepcalc.batch_spark import run_spark
    from hepcalc.errors import InputError

    with pytest.raises(InputError):
        run_spark(tmp_path / "a.jsonl", tmp_path / "b", output_format="csv", spark=object())
