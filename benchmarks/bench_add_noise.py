"""How much memory does add_noise.py need? Run by hand; prints numbers, asserts nothing.

    python -m benchmarks.bench_add_noise                    # 8,000 samples x 10 copies (~30 s)
    python -m benchmarks.bench_add_noise --samples 800      # a quick run

Two runs of `python add_noise.py --copies N`, each in a fresh Python process: the first on a file
with only the originals, the second on the same file again (replacing the copies the first made,
which is what a learner does when they run it twice). For each it prints the peak memory of that
process (interpreter and NumPy included), its baseline before the run and the time taken.
For reference, before copies were made a batch at a time straight into bytes, 8,000 x 10 peaked
at ~780 MB on a fresh file and ~910 MB when replacing earlier copies.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import add_noise
from benchmarks.bench_store import REPOSITORY, peak_memory_mib, synthetic_digits
from mling import store

SAMPLES = 8_000     # originals in data.json (a learner who imported part of MNIST)
COPIES = 10         # add_noise.py's default
SEED = 0            # synthetic digits are the same every run


def child(path: Path, copies: int) -> dict:
    """Run add_noise.py's main on `path` in this (fresh) process; its peak memory and time."""
    baseline = peak_memory_mib()
    start = time.perf_counter()
    status = add_noise.main(["--data", str(path), "--copies", str(copies)])
    return {"status": status, "seconds": time.perf_counter() - start,
            "peak_mib": peak_memory_mib(), "baseline_mib": baseline}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Peak memory of add_noise.py in fresh processes.")
    parser.add_argument("--samples", type=int, default=SAMPLES, help=f"originals (default {SAMPLES:,})")
    parser.add_argument("--copies", type=int, default=COPIES, help=f"copies of each (default {COPIES})")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "COPIES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child[0]), int(args.child[1]))), flush=True)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        X, y = synthetic_digits(args.samples, np.random.default_rng(SEED))
        store.DataStore.open(path).add_many(X, y, "drawn")
        print(f"{args.samples:,} samples x {args.copies} copies")
        for run in ("fresh file", "run again"):
            output = subprocess.run([sys.executable, "-m", __spec__.name, "--child", str(path), str(args.copies)],
                                    check=True, capture_output=True, text=True, cwd=REPOSITORY).stdout
            result = json.loads(output.strip().splitlines()[-1])
            print(f"  {run:10}  peak {result['peak_mib']:5.0f} MiB  "
                  f"(baseline {result['baseline_mib']:.0f} MiB)  {result['seconds']:5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
