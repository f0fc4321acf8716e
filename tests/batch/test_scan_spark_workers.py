"""`hepcalc scan --engine spark --workers N` runs Spark with N local cores (``local[N]``).

The first test checks what the command hands to ``run_spark`` (no JVM needed);
the second runs the real command line end to end with a real Spark.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hepcalc.cli.scan import EXIT_REJECTED

REPORT = "CT ABDOMEN. Liver: A 6 mm punctate calcification in segment 7. No focal mass."


@pytest.mark.parametrize("workers", [1, 3])
def test_workers_become_the_local_master(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    pytest.importorskip("pyspark")
    import hepcalc.batch_spark as batch_spark
    from hepcalc.cli import app

    seen: dict[str, Any] = {}

    def fake_run_spark(in_path: str, out_path: str, assess: bool = False, **kw: Any) -> Any:
        seen.update(kw, in_path=in_path, out_path=out_path, assess=assess)
        return batch_spark.SparkScanResult(records=1, out_path=out_path, output_format="jsonl")

    monkeypatch.setattr(batch_spark, "run_spark", fake_run_spark)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": REPORT}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app,
        ["scan", str(src), "--out", str(out), "--engine", "spark", "--workers", str(workers)],
    )
    assert result.exit_code == 0, result.output
    assert seen["master"] == f"local[{workers}]"
    assert seen["in_path"] == str(src) and seen["out_path"] == str(out)


@pytest.mark.spark
def test_spark_engine_with_one_worker_through_the_command_line(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (17+): no `java` on PATH and no JAVA_HOME")
    lines = [
        json.dumps({"id": "liver", "text": REPORT, "modality": "CT"}),
        "{not json",
        json.dumps({"id": "plain", "text": "Liver: normal."}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    cli = [sys.executable, "-c", "from hepcalc.cli import main; main()", "scan", str(src)]
    spark_out, local_out = tmp_path / "spark.jsonl", tmp_path / "local.jsonl"
    res = subprocess.run(
        [*cli, "--out", str(spark_out), "--engine", "spark", "--workers", "1"],
        capture_output=True,
        timeout=300,
        env=env,
        check=False,
    )
    # one line is not JSON: the good lines are written and the exit code says so
    assert res.returncode == EXIT_REJECTED, res.stderr.decode()[-2000:]
    assert b"local[1]" in res.stderr
    local = subprocess.run(
        [*cli, "--out", str(local_out)], capture_output=True, timeout=120, check=False
    )
    assert local.returncode == EXIT_REJECTED
    got = spark_out.read_text(encoding="utf-8")
    assert got == local_out.read_text(encoding="utf-8")
    assert json.loads(got.splitlines()[0])["findings"][0]["calcified"] is True
