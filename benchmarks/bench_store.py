"""How fast and how lean is store.py? Run by hand; prints numbers, asserts nothing.

    python -m benchmarks.bench_store              # full run: 60,000-sample load, 8,800-sample add (~1 min)
    python -m benchmarks.bench_store --quick      # smaller files, a few seconds

Targets (from the issue that asked for the new format):
  - open a 60,000-sample data.json in <= 1 s, with <= 400 MiB peak memory;
  - add one sample to an 8,800-sample data.json in <= 50 ms, including the atomic write and fsync.
For reference, the same run loads the same samples in the original MLing format ({"data": [{"input":
[784 numbers], "output": digit}]}) both with plain json.load (what the original did) and with store.py.

Every measurement runs in a fresh Python process, so its peak memory (the most RAM the process ever
held, interpreter and NumPy included) belongs to that step alone. The machine may be
shared: each step is repeated and the best and median times are shown, with the CPU time our
thread itself used ("cpu"), which other programs on the machine do not inflate.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from mling import store  # noqa: E402

LOAD_SAMPLES = 60_000     # samples in the big file (the size of MNIST's training set)
ADD_SAMPLES = 8_800       # samples in the file we add to (a well-used data.json)
ADDS = 20                 # single adds timed after the first one
REPEATS = 3               # fresh processes per measurement; best and median are printed
SEED = 0                  # synthetic digits are the same every run
LOAD_TARGET_S = 1.0
MEMORY_TARGET_MIB = 400
ADD_TARGET_MS = 50.0


def synthetic_digits(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Digit-like images: three soft pen strokes each, mostly background. X (count, 784) float32, y (count,).

    Their content matters for the original format (a 0 is written "0.0", an edge pixel as 18 digits),
    not for the new one (every image is 1,048 base64 characters).
    """
    rows, cols = np.mgrid[0:28, 0:28]
    pixels = np.stack([cols.ravel(), rows.ravel()], axis=1).astype(np.float32)  # (784, 2) x, y
    images = np.empty((count, 784), np.float32)
    for start in range(0, count, 2000):
        n = min(2000, count - start)
        a = rng.uniform(5, 23, size=(n, 3, 1, 2)).astype(np.float32)   # stroke start points
        b = rng.uniform(5, 23, size=(n, 3, 1, 2)).astype(np.float32)   # stroke end points
        ab = b - a
        t = np.clip(((pixels - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-6), 0, 1)
        distance = np.linalg.norm(pixels - (a + t[..., None] * ab), axis=-1).min(axis=1)  # (n, 784)
        images[start:start + n] = np.clip(1.8 - distance, 0, 1)
    images = np.round(images * 255) / 255  # like pixels that came from an 8-bit picture
    return images, rng.integers(0, 10, size=count)


def write_files(folder: Path, load_samples: int, add_samples: int) -> dict[str, Path]:
    """The three files to measure: new format (big and small) and the original format (big)."""
    rng = np.random.default_rng(SEED)
    X, y = synthetic_digits(load_samples, rng)
    paths = {"new": folder / "new.json", "small": folder / "small.json", "original": folder / "original.json"}
    store.DataStore.open(paths["new"]).add_many(X, y, "drawn")
    store.DataStore.open(paths["small"]).add_many(X[:add_samples], y[:add_samples], "drawn")
    with open(paths["original"], "w") as file:
        values = X.astype(np.float64)  # the original saved Python floats: 0.34509803921568627
        json.dump({"data": [{"input": values[i].tolist(), "output": int(y[i])} for i in range(len(y))]}, file)
    return paths


# ---- what each fresh process measures (prints one JSON line) ----

def peak_memory_mib() -> float:
    """The most RAM this process has held so far, in MiB.

    Linux's VmHWM starts afresh in a new program; ru_maxrss (the fallback elsewhere) may include
    the parent's memory at the moment it started us.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def child(task: str, path: Path) -> dict:
    baseline_mib = peak_memory_mib()  # Python + NumPy + store imported
    result: dict = {}
    start, start_cpu = time.perf_counter(), time.thread_time()
    if task == "json":
        with open(path, "rb") as file:
            data = json.load(file)
        result["samples"] = len(data["data"])
    elif task in ("open", "open+arrays"):
        data_store = store.DataStore.open(path)
        result["samples"] = len(data_store)
        if task == "open+arrays":
            result["open_s"] = time.perf_counter() - start
            X, y = data_store.arrays()
            result["X"] = list(X.shape)
    elif task == "add":
        data_store = store.DataStore.open(path)
        result["open_s"] = time.perf_counter() - start
        image = np.zeros((28, 28), np.float32)
        image[6:22, 12:16] = 1.0  # a "1"
        times, cpu_times = [], []
        for _ in range(ADDS + 1):
            t0, cpu0 = time.perf_counter(), time.thread_time()
            data_store.add(image, 1)
            times.append(1000 * (time.perf_counter() - t0))
            cpu_times.append(1000 * (time.thread_time() - cpu0))
        result["first_add_ms"], result["add_ms"] = times[0], times[1:]
        result["first_add_cpu_ms"], result["add_cpu_ms"] = cpu_times[0], cpu_times[1:]
        for _ in range(ADDS + 1):
            data_store.remove_last()  # leave the file as it was for the next repeat
    result["seconds"] = time.perf_counter() - start
    result["cpu_seconds"] = time.thread_time() - start_cpu
    result["peak_mib"] = peak_memory_mib()
    result["baseline_mib"] = baseline_mib
    return result


def measure(task: str, path: Path, repeats: int) -> list[dict]:
    """Run `task` on `path` in `repeats` fresh processes."""
    runs = []
    for _ in range(repeats):
        output = subprocess.run([sys.executable, "-m", __spec__.name, "--child", task, str(path)],
                                check=True, capture_output=True, text=True, cwd=REPOSITORY).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return runs


def summary(values: list[float], unit: str, digits: int = 2) -> str:
    return f"best {min(values):.{digits}f} {unit}, median {statistics.median(values):.{digits}f} {unit}"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark store.py against its speed and memory targets.")
    parser.add_argument("--quick", action="store_true", help="small files (6,000 / 880 samples), 1 repeat")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="fresh processes per measurement")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0

    load_samples, add_samples, repeats = LOAD_SAMPLES, ADD_SAMPLES, args.repeats
    if args.quick:
        load_samples, add_samples, repeats = LOAD_SAMPLES // 10, ADD_SAMPLES // 10, 1
    with tempfile.TemporaryDirectory() as folder:
        print(f"writing test files ({load_samples:,} synthetic digits)...", flush=True)
        paths = write_files(Path(folder), load_samples, add_samples)
        for name, path in paths.items():
            print(f"  {name:9s} {path.stat().st_size / 2**20:7.1f} MiB")

        print(f"\nopen {load_samples:,} samples, new format (target <= {LOAD_TARGET_S} s, "
              f"<= {MEMORY_TARGET_MIB} MiB peak):", flush=True)
        runs = measure("open", paths["new"], repeats)
        seconds, peak = [r["seconds"] for r in runs], max(r["peak_mib"] for r in runs)
        print(f"  time {summary(seconds, 's')} (cpu {min(r['cpu_seconds'] for r in runs):.2f} s); "
              f"peak memory {peak:.0f} MiB "
              f"(of which Python+NumPy {runs[0]['baseline_mib']:.0f} MiB)  "
              f"{verdict(min(seconds) <= LOAD_TARGET_S and peak <= MEMORY_TARGET_MIB)}")

        runs = measure("open+arrays", paths["new"], repeats)
        seconds, peak = [r["seconds"] for r in runs], max(r["peak_mib"] for r in runs)
        print(f"  open + arrays() -> X {tuple(runs[0]['X'])} float32 (what training needs): "
              f"time {summary(seconds, 's')} (cpu {min(r['cpu_seconds'] for r in runs):.2f} s); "
              f"peak memory {peak:.0f} MiB  "
              f"{verdict(min(seconds) <= LOAD_TARGET_S and peak <= MEMORY_TARGET_MIB)}")

        print(f"\nreference: the same {load_samples:,} samples in the original format:", flush=True)
        for task, what in (("json", "plain json.load"), ("open", "store.DataStore.open")):
            runs = measure(task, paths["original"], 1)  # slow and ~2.5 GB: once is enough for reference
            print(f"  {what:21s} time {runs[0]['seconds']:.2f} s; "
                  f"peak memory {max(r['peak_mib'] for r in runs):.0f} MiB", flush=True)

        print(f"\nadd one sample to {add_samples:,} samples (target <= {ADD_TARGET_MS:.0f} ms, atomic write "
              f"with fsync included):", flush=True)
        runs = measure("add", paths["small"], repeats)
        first = [r["first_add_ms"] for r in runs]
        later = [t for r in runs for t in r["add_ms"]]
        print(f"  first add after open: {summary(first, 'ms', 1)} "
              f"(cpu {min(r['first_add_cpu_ms'] for r in runs):.1f} ms)")
        ok = min(first) <= ADD_TARGET_MS and statistics.median(later) <= ADD_TARGET_MS
        cpu = statistics.median([t for r in runs for t in r["add_cpu_ms"]])
        print(f"  next {ADDS} adds:        {summary(later, 'ms', 1)}, worst {max(later):.1f} ms "
              f"(cpu median {cpu:.1f} ms)  "
              f"{verdict(ok)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
