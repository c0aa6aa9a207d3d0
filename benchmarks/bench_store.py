"""How fast and how lean is the store, and what does each of its speed tricks buy? Run by hand;
prints numbers and ratios measured in the same run, asserts nothing.

    python -m benchmarks.bench_store                          # 60,000-sample load, 8,800-sample add (~2 min)
    python -m benchmarks.bench_store --quick                  # smaller files, a few seconds
    python -m benchmarks.bench_store --reference /work/main   # also time an older MLing checkout: before/after

Targets: open a 60,000-sample data.json in <= 1 s with <= 400 MiB peak memory; add one sample to an
8,800-sample data.json in <= 50 ms, including the lock, the atomic write and its fsyncs.

The window's writer (window/dataset.py): 100 quick saves, one a frame at 60 frames a second, into
the 60,000-sample file: how many rewrites they cost, the longest frame while they are written
(the saving happens on the writer thread; a frame far above 17 ms would be a frozen window), and
how long until all are on disk.

The speed tricks, each timed with and without it (in the same run, on the same files):
  - pausing the cycle garbage collector while a file is read (data_file.cycle_collector_paused);
  - the line cache: a sample's JSON line is made once and reused by later saves (data_file.LineCache);
  - JSON lines built by hand instead of json.dumps (data_file.sample_line).
Every measurement runs in a fresh Python process, so its peak memory (the most RAM the process ever
held, interpreter and NumPy included) belongs to that step alone. The machine may be shared: each
step is repeated and the best and median times are shown.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

from mling import store

REPOSITORY = Path(__file__).resolve().parent.parent
LOAD_SAMPLES = 60_000     # samples in the big file (the size of MNIST's training set)
ADD_SAMPLES = 8_800       # samples in the file we add to (a well-used data.json)
ADDS = 20                 # single adds timed after the first one
REPEATS = 3               # fresh processes per measurement; best and median are printed
SEED = 0                  # synthetic digits are the same every run
LOAD_TARGET_S = 1.0
MEMORY_TARGET_MIB = 400
ADD_TARGET_MS = 50.0

# What one fresh process measures; it prints one JSON line. Only DataStore.open/add/remove are used,
# so an older MLing checkout (--reference) runs it too; the "without" variants switch a trick off.
CHILD = textwrap.dedent("""
    import contextlib, json, sys, time
    import numpy as np
    from mling import store

    def peak_memory_mib():
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024

    task, path, variant, adds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if variant == "no-gc-pause":
        from mling import data_file
        data_file.cycle_collector_paused = contextlib.nullcontext
    if variant == "no-line-cache":
        from mling import data_file
        class NoCache(data_file.LineCache):
            def lines(self, samples):
                return [data_file.sample_line(sample) for sample in samples]
        store.LineCache = NoCache
    baseline = peak_memory_mib()
    result = {}
    start = time.perf_counter()
    data = store.DataStore.open(path)
    result["open_s"] = time.perf_counter() - start
    if task == "arrays":
        X, y = data.arrays()
        result["open_s"] = time.perf_counter() - start
    if task == "add":
        image = np.zeros((28, 28), np.float32)
        image[6:22, 12:16] = 1.0
        times, added = [], []
        for _ in range(adds + 1):
            t0 = time.perf_counter()
            added.append(data.add(image, 1).id)
            times.append(1000 * (time.perf_counter() - t0))
        result["first_add_ms"], result["add_ms"] = times[0], times[1:]
        data.remove(added)   # leave the file as it was for the next repeat
    result["peak_mib"], result["baseline_mib"] = peak_memory_mib(), baseline
    print(json.dumps(result))
""")


# The window's side, in a fresh process too: a frame loop that saves one drawing a frame.
WINDOW_CHILD = textwrap.dedent("""
    import json, os, sys, time
    import numpy as np
    from mling import files
    from window.dataset import Dataset

    path, saves = sys.argv[1], int(sys.argv[2])
    writes, real_replace = [], os.replace
    def counted(source, target):
        writes.append(target)
        real_replace(source, target)
    files.os.replace = counted
    dataset = Dataset(path)
    image = np.zeros((28, 28), np.float32)
    image[6:22, 12:16] = 1.0
    idle, frame_start = [], time.perf_counter()
    for _ in range(saves):                                 # the reference: the same frames, saving nothing
        dataset.poll()
        now = time.perf_counter()
        idle.append(now - frame_start)
        frame_start = now
        time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - now)))
    frames, done, start = [], 0, time.perf_counter()
    frame_start = start
    while done < saves:
        if len(frames) < saves:
            dataset.save(image, len(frames) % 10)          # what pressing a digit key does
        done += sum(report.action == "add" for report in dataset.poll())
        now = time.perf_counter()
        frames.append(now - frame_start)
        frame_start = now
        time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - now)))   # the rest of a 60 fps frame
    seconds = time.perf_counter() - start
    dataset.close(60)
    print(json.dumps({"writes": len(writes), "longest_ms": 1000 * max(frames[1:]),
                      "idle_longest_ms": 1000 * max(idle[1:]),
                      "median_ms": 1000 * sorted(frames)[len(frames) // 2], "seconds": seconds,
                      "frames": len(frames)}))
""")


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


def peak_memory_mib() -> float:
    """The most RAM this process has held so far, in MiB (Linux's VmHWM; ru_maxrss elsewhere)."""
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


def write_files(folder: Path, load_samples: int, add_samples: int) -> dict[str, Path]:
    """The files to measure: the new format (big and small) and the original format (big)."""
    rng = np.random.default_rng(SEED)
    X, y = synthetic_digits(load_samples, rng)
    paths = {"new": folder / "new.json", "small": folder / "small.json", "original": folder / "original.json"}
    store.DataStore.open(paths["new"]).add_many(X, y, "drawn")
    store.DataStore.open(paths["small"]).add_many(X[:add_samples], y[:add_samples], "drawn")
    with open(paths["original"], "w") as file:
        values = X.astype(np.float64)  # the original saved Python floats: 0.34509803921568627
        json.dump({"data": [{"input": values[i].tolist(), "output": int(y[i])} for i in range(len(y))]}, file)
    return paths


def measure(task: str, path: Path, repeats: int, variant: str = "", adds: int = ADDS,
            checkout: Path = REPOSITORY) -> list[dict]:
    """Run CHILD's `task` on `path` in `repeats` fresh processes of the MLing in `checkout`."""
    runs = []
    environment = {**os.environ, "PYTHONPATH": str(checkout)}
    for _ in range(repeats):
        output = subprocess.run([sys.executable, "-c", CHILD, task, str(path), variant or "-", str(adds)],
                                check=True, capture_output=True, text=True, cwd=checkout, env=environment).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return runs


def render_times(path: Path) -> tuple[float, float]:
    """Seconds to make every sample's line: by hand (data_file.sample_line) and with json.dumps."""
    import binascii
    import time

    from mling import data_file
    samples = store.DataStore.open(path).samples
    best = {}
    for name, line in (("hand", data_file.sample_line), ("json.dumps", lambda s: json.dumps(
            {"id": s.id, "label": s.label, "source": s.source, "created": s.created, "parent": s.parent,
             "image": binascii.b2a_base64(s.pixels, newline=False).decode()}).encode())):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            [line(sample) for sample in samples]
            times.append(time.perf_counter() - start)
        best[name] = min(times)
    return best["hand"], best["json.dumps"]


def summary(values: list[float], unit: str, digits: int = 2) -> str:
    return f"best {min(values):.{digits}f} {unit}, median {statistics.median(values):.{digits}f} {unit}"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the store against its speed and memory targets.")
    parser.add_argument("--quick", action="store_true", help="small files (6,000 / 880 samples), 1 repeat")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="fresh processes per measurement")
    parser.add_argument("--reference", type=Path, metavar="CHECKOUT",
                        help="another MLing folder (e.g. an older version) to time the same way")
    args = parser.parse_args(argv)
    load_samples, add_samples, repeats = LOAD_SAMPLES, ADD_SAMPLES, args.repeats
    if args.quick:
        load_samples, add_samples, repeats = LOAD_SAMPLES // 10, ADD_SAMPLES // 10, 1
    with tempfile.TemporaryDirectory() as folder:
        print(f"writing test files ({load_samples:,} synthetic digits)...", flush=True)
        paths = write_files(Path(folder), load_samples, add_samples)
        for name, path in paths.items():
            print(f"  {name:9s} {path.stat().st_size / 2**20:7.1f} MiB")

        print(f"\nopen {load_samples:,} samples (target <= {LOAD_TARGET_S} s, <= {MEMORY_TARGET_MIB} MiB peak):")
        opened = measure("open", paths["new"], repeats)
        seconds, peak = [r["open_s"] for r in opened], max(r["peak_mib"] for r in opened)
        ok = min(seconds) <= LOAD_TARGET_S and peak <= MEMORY_TARGET_MIB
        print(f"  open             {summary(seconds, 's')}; peak {peak:.0f} MiB (Python+NumPy "
              f"{opened[0]['baseline_mib']:.0f})  {verdict(ok)}")
        runs = measure("arrays", paths["new"], repeats)
        print(f"  open + arrays()  {summary([r['open_s'] for r in runs], 's')}; "
              f"peak {max(r['peak_mib'] for r in runs):.0f} MiB (what training needs)")
        plain = measure("open", paths["new"], repeats, "no-gc-pause")
        print(f"  without the gc pause: {summary([r['open_s'] for r in plain], 's')} "
              f"-> the pause saves {statistics.median([r['open_s'] for r in plain]) / statistics.median(seconds):.2f}x")

        print(f"\nreference: the same {load_samples:,} samples in the original format (once):", flush=True)
        run = measure("open", paths["original"], 1)[0]
        print(f"  store.DataStore.open  {run['open_s']:.2f} s; peak {run['peak_mib']:.0f} MiB")

        print(f"\nadd one sample to {add_samples:,} samples (target <= {ADD_TARGET_MS:.0f} ms, lock, atomic "
              f"write and fsyncs included):", flush=True)
        added = measure("add", paths["small"], repeats)
        later = [t for r in added for t in r["add_ms"]]
        print(f"  first add after open  {summary([r['first_add_ms'] for r in added], 'ms', 1)}")
        print(f"  next {ADDS} adds         {summary(later, 'ms', 1)}, worst {max(later):.1f} ms  "
              f"{verdict(statistics.median(later) <= ADD_TARGET_MS)}")
        uncached = [t for r in measure("add", paths["small"], repeats, "no-line-cache") for t in r["add_ms"]]
        print(f"  without the line cache: {summary(uncached, 'ms', 1)} "
              f"-> the cache saves {statistics.median(uncached) / statistics.median(later):.2f}x")
        big = [t for r in measure("add", paths["new"], 1, adds=5) for t in r["add_ms"]]
        big_uncached = [t for r in measure("add", paths["new"], 1, "no-line-cache", adds=5) for t in r["add_ms"]]
        print(f"  add one to {load_samples:,}: {summary(big, 'ms', 0)}; without the line cache "
              f"{summary(big_uncached, 'ms', 0)} ({statistics.median(big_uncached) / statistics.median(big):.2f}x)")

        saves = 100
        environment = {**os.environ, "PYTHONPATH": str(REPOSITORY), "PYGAME_HIDE_SUPPORT_PROMPT": "1",
                       "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
        output = subprocess.run([sys.executable, "-c", WINDOW_CHILD, str(paths["new"]), str(saves)], check=True,
                                capture_output=True, text=True, cwd=REPOSITORY, env=environment).stdout
        window = json.loads(output.strip().splitlines()[-1])
        print(f"\nthe window: {saves} saves, one a frame, into {load_samples:,} samples: {window['writes']} rewrites, "
              f"all on disk after {window['seconds']:.1f} s ({window['frames']} frames)")
        print(f"  frames median {window['median_ms']:.1f} ms, longest {window['longest_ms']:.1f} ms; the same "
              f"frames saving nothing: longest {window['idle_longest_ms']:.1f} ms")

        hand, dumps = render_times(paths["new"])
        print(f"\nmake every line of {load_samples:,} samples (the first save after opening): by hand "
              f"{hand:.3f} s, json.dumps {dumps:.3f} s -> by hand saves {dumps / hand:.2f}x")

        if args.reference:
            print(f"\nthe same with the MLing in {args.reference} (before):", flush=True)
            before = measure("open", paths["new"], repeats, checkout=args.reference.resolve())
            before_add = [t for r in measure("add", paths["small"], repeats, checkout=args.reference.resolve())
                          for t in r["add_ms"]]
            print(f"  open {load_samples:,}  {summary([r['open_s'] for r in before], 's')} "
                  f"(now {statistics.median(seconds) / statistics.median([r['open_s'] for r in before]):.2f}x "
                  f"its time)")
            print(f"  add to {add_samples:,}  {summary(before_add, 'ms', 1)} "
                  f"(now {statistics.median(later) / statistics.median(before_add):.2f}x its time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
