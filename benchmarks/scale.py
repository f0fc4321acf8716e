"""Scale benchmark: docs/s and peak memory of the local and Spark scan engines.

Usage (from the project root)::

    .venv/bin/python benchmarks/scale.py                 # 100,000 reports (default)
    .venv/bin/python benchmarks/scale.py --n 1000000     # the full 1 M run (long!)
    .venv/bin/python benchmarks/scale.py --n 20000 --engines local1,local2

The corpus mixes MTSamples texts (``../shared/data/mtsamples.jsonl``, read in
place, cycled with new ids) and generated liver imaging reports (sizes, sites,
negations, comparisons), half and half, written as JSONL to a work directory
(streamed: constant memory). Each engine configuration runs in its own process
tree so its peak memory can be measured: the parent samples the summed RSS of
the whole tree (``/proc``, every 0.1 s; Spark's JVM included) and also records
``os.wait4`` rusage ``ru_maxrss`` (the largest single process of the tree).

Configurations: ``local1``/``local2`` (``hepcalc.batch.scan_stream``, 1 or 2
worker processes), ``spark1``/``spark2`` (``run_spark``, ``local[1]``/``local[2]``).
Every configuration is also run on a tenth of the corpus: the two peaks show
whether memory is flat in corpus size, and the time difference gives the
marginal rate without the fixed start-up cost (JVM, process pool, imports).
Results go to ``benchmarks/out/scale.json`` and a summary on stdout, with the
projection for 10 million reports on 2 cores.

The machine is shared; throughput numbers are noisy. Run it on an idle machine
for numbers you want to quote.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEPCALC_SHARED", ROOT.parent / "shared"))
MTSAMPLES = SHARED / "data" / "mtsamples.jsonl"

# -- corpus -----------------------------------------------------------------------

_SITES = ["right lobe", "left lobe", "segment 7", "segment 4a", "segment 2", "caudate lobe"]
_TEMPLATES = [
    "ABDOMINAL ULTRASOUND. FINDINGS: Liver: There is a {mm} mm calcification in the {site}. "
    "No focal mass. Gallbladder: normal. IMPRESSION: Hepatic calcification, likely benign.",
    "CT ABDOMEN AND PELVIS WITHOUT CONTRAST. Liver: Punctate calcifications in the {site}, "
    "largest {mm} mm, unchanged from the prior study. Spleen: normal.",
    "MRI LIVER WITH CONTRAST. Liver: A {cm} cm lesion in the {site} with a calcified rim. "
    "No washout. IMPRESSION: Likely calcified hemangioma.",
    "ULTRASOUND ABDOMEN. Liver: No hepatic calcification or focal lesion. Normal echotexture.",
    "CT CHEST. Incidental note: a {mm} mm calcified granuloma in the {site} of the liver. "
    "Lungs: clear.",
    "Comparison: prior ultrasound. Liver: The calcification in the {site} has increased from "
    "{mm} mm to {mm2} mm. Recommend further evaluation with CT.",
]


def generated_report(rng: random.Random) -> str:
    mm = rng.randint(2, 40)
    return rng.choice(_TEMPLATES).format(
        mm=mm, mm2=mm + rng.randint(1, 10), cm=f"{mm / 10:.1f}", site=rng.choice(_SITES)
    )


def write_corpus(path: Path, n: int, seed: int = 7) -> dict[str, Any]:
    """n JSONL reports, half MTSamples (cycled), half generated; streamed to disk."""
    rng = random.Random(seed)
    mts: list[str] = []
    if MTSAMPLES.exists():
        with MTSAMPLES.open(encoding="utf-8") as f:
            mts = [json.loads(line)["text"] for line in f]
    cycle = itertools.cycle(mts) if mts else None
    chars = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            if cycle is not None and i % 2 == 0:
                rec = {"id": f"mts-{i}", "text": next(cycle)}
            else:
                rec = {"id": f"gen-{i}", "text": generated_report(rng), "modality": "US"}
            chars += len(rec["text"])
            out.write(json.dumps(rec) + "\n")
    return {"reports": n, "mtsamples": bool(mts), "mean_chars": round(chars / max(n, 1))}


# -- measured runs (each in its own process tree) -----------------------------------


def _child_local(src: str, dst: str, workers: int) -> None:
    # The path `hepcalc scan` runs: workers read blocks, scan and serialise.
    from hepcalc.batch import scan_stream

    with open(src, "rb") as f, open(dst, "w", encoding="utf-8") as out:
        for batch in scan_stream(f, workers=workers):
            out.write(batch.text)


def _child_spark(src: str, dst: str, cores: int) -> None:
    from hepcalc.batch_spark import run_spark

    # Enough partitions for every core; the driver JVM gets a bounded heap.
    run_spark(src, dst, master=f"local[{cores}]", partitions=cores * 4)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tree_rss_kb(root: int, cpu_ticks: dict[int, int] | None = None) -> int:
    """Summed VmRSS of ``root`` and all its descendants (Linux /proc).

    With ``cpu_ticks``, also records each tree process's own user+system ticks
    (last seen): ``wait4`` misses processes the child does not wait for, such as
    Spark's JVM and its Python daemon workers.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            fields = stat.rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime
            with open(f"/proc/{entry}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss[int(entry)] = int(line.split()[1])
                        break
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        if cpu_ticks is not None and pid in ticks:
            cpu_ticks[pid] = max(cpu_ticks.get(pid, 0), ticks[pid])
        stack.extend(children.get(pid, []))
    return total


def measure(kind: str, param: int, src: Path, dst: Path, n: int) -> dict[str, Any]:
    """Run one configuration in a subprocess; wall time, docs/s, peak tree RSS."""
    cmd = [sys.executable, __file__, "_child", kind, str(param), str(src), str(dst)]
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        cpu_ticks: dict[int, int] = {}
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss_kb(proc.pid, cpu_ticks))
                stop.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this child's own rusage: ru_maxrss = its largest single process
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        stop.set()
        sampler.join()
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{kind} {param} failed:\n{tail}")
    max_single = usage.ru_maxrss
    # rusage covers the processes the child waited for (exact for the local engine);
    # the /proc samples also see the ones it does not (Spark's JVM and workers),
    # less their last 0.1 s: the larger of the two is the better estimate.
    cpu = max(usage.ru_utime + usage.ru_stime, sum(cpu_ticks.values()) / _TICK)
    return {
        "engine": f"{kind}{param}",
        "reports": n,
        "seconds": round(elapsed, 2),
        "docs_per_s": round(n / elapsed, 1),
        # CPU per report does not depend on what else the shared machine runs; more
        # CPU with 2 workers than with 1 is the cost of running in parallel.
        "cpu_seconds": round(cpu, 2),
        "cpu_us_per_doc": round(cpu / n * 1e6, 1),
        # the machine may be shared: the load says how much else was running
        "load_avg_1min_before": round(load_before, 2),
        "load_avg_1min_after": round(os.getloadavg()[0], 2),
        "peak_tree_rss_mb": round(peak / 1024, 1),
        "max_single_process_rss_mb": round(max_single / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="corpus size (default 100,000)")
    ap.add_argument("--engines", default="local1,local2,spark1,spark2")
    ap.add_argument(
        "--no-flatness", action="store_true", help="skip the runs on a tenth of the corpus"
    )
    ap.add_argument("--repeat", type=int, default=1, help="rounds over all configurations")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "scale.json")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="hepcalc-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{args.n}.jsonl"
    info = write_corpus(corpus, args.n)
    print(f"corpus: {info} at {corpus}", flush=True)

    small_n = max(args.n // 10, 1000)
    small_corpus = work / f"corpus-{small_n}.jsonl"
    if not args.no_flatness:
        write_corpus(small_corpus, small_n)

    runs: list[dict[str, Any]] = []
    # Rounds run every configuration in turn, so a burst of foreign load on the
    # shared machine hits one round, not one configuration.
    configs = [(name, rnd) for rnd in range(1, args.repeat + 1) for name in args.engines.split(",")]
    for name, rnd in configs:
        kind, param = name[:-1], int(name[-1])
        ext = "jsonl" if kind == "local" else "parquet"
        res = measure(kind, param, corpus, work / f"out-{name}.{ext}", args.n)
        res["round"] = rnd
        if not args.no_flatness:
            # The same engine on a tenth of the corpus: memory flatness, and the
            # marginal rate without the fixed start-up cost (JVM, pools, imports).
            small = measure(kind, param, small_corpus, work / f"small-{name}.{ext}", small_n)
            res["small_run"] = small
            res["peak_ratio_n_over_n10"] = round(
                res["peak_tree_rss_mb"] / max(small["peak_tree_rss_mb"], 1e-9), 2
            )
            extra_s = res["seconds"] - small["seconds"]
            res["startup_s_estimate"] = round(
                small["seconds"] - small_n * extra_s / (args.n - small_n), 1
            )
            res["marginal_docs_per_s"] = (
                round((args.n - small_n) / extra_s, 1) if extra_s > 0 else None
            )
        runs.append(res)
        print(json.dumps(res), flush=True)

    # The fastest round of each configuration: the one least disturbed by other load.
    by: dict[str, dict[str, Any]] = {}
    for r in runs:
        if r["engine"] not in by or r["docs_per_s"] > by[r["engine"]]["docs_per_s"]:
            by[r["engine"]] = r
    summary: dict[str, Any] = {
        "corpus": info,
        "cores_available": len(os.sched_getaffinity(0)),
        "runs": runs,
    }
    for kind in ("local", "spark"):
        one, two = by.get(f"{kind}1"), by.get(f"{kind}2")
        if one and two:
            speedup = two["docs_per_s"] / one["docs_per_s"]
            summary[f"{kind}_speedup_2_over_1"] = round(speedup, 2)
            # issue 7's goal: the second core adds at least 0.8 of the first one's rate
            summary[f"{kind}_scaling_per_added_core"] = round(speedup - 1, 2)
            summary[f"{kind}_cpu_overhead_2_over_1"] = round(
                two["cpu_seconds"] / one["cpu_seconds"] - 1, 3
            )
            if one.get("marginal_docs_per_s") and two.get("marginal_docs_per_s"):
                marginal = two["marginal_docs_per_s"] / one["marginal_docs_per_s"]
                summary[f"{kind}_marginal_speedup_2_over_1"] = round(marginal, 2)
                summary[f"{kind}_marginal_scaling_per_added_core"] = round(marginal - 1, 2)
    two_core = [r for r in by.values() if r["engine"].endswith("2")]
    if two_core:
        best = max(two_core, key=lambda r: r.get("marginal_docs_per_s") or r["docs_per_s"])
        rate = best.get("marginal_docs_per_s") or best["docs_per_s"]
        minutes = (10_000_000 / rate + best.get("startup_s_estimate", 0)) / 60
        summary["projection_10M_on_2_cores"] = {
            "engine": best["engine"],
            "docs_per_s": rate,
            "minutes": round(minutes, 1),
            "under_30_minutes": minutes < 30,
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k not in ("runs",)}, indent=2))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _, _, kind, param, src, dst = sys.argv
        if kind == "local":
            _child_local(src, dst, int(param))
        else:
            _child_spark(src, dst, int(param))
        sys.exit(0)
    sys.exit(main())
