"""Training in its own process: as fast as train.py, and the window stays smooth? Run by hand:

    python -m benchmarks.bench_training_service            # about 3 minutes on a 2-core laptop
    python -m benchmarks.bench_training_service --quick    # about 1 minute

On the shipped data.json (8,000 starter drawings) with the shipped model's recipe
(train.config_from_model), all measured in this run:

1. throughput: samples learned per second by the training process (mling.background_training,
   polled every 5 ms like an idle window) against train.py's own loop in this process
   (prepare_training + train_until_done), without and with the 20 augmented copies per drawing
   made in memory; the two take turns, and each is timed from its first epoch's end to its last.
2. start-up: start() until the process is up (Python, NumPy and MLing imported) and until the
   data is ready, against the same job in a thread.
3. frames: a busy main thread, like the window's frame loop: 60 frames a second, each doing 2-5 ms
   of pure Python (the window's drawing and events) and a poll(). Frames per second and frame times
   (median, 99th percentile) with nothing training, while the process trains, while the same job
   trains in a thread (the fallback), and while train.train_from_file trains in a thread (the
   window's way before this module); with the samples per second each one learns meanwhile.

Targets: the process >= 90% of train.py's samples per second; >= 55 FPS and p99 <= 25 ms while it trains.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

import train
from mling import network
from mling.background_training import Epoch, Failed, Started, TrainingJob
from mling.paths import REPOSITORY

TARGET_RATIO = 0.90
TARGET_FPS = 55
TARGET_P99_MS = 25
FRAMES_PER_SECOND = 60
WORK_MS = (2.0, 5.0)           # pure-Python work per frame, drawn uniformly from this range
POLL_SECONDS = 0.005           # how often an idle parent polls in the throughput runs


def shipped_recipe(**changes) -> train.TrainConfig:
    """The recipe that made the shipped model (20 augmented copies, Adam, batch 128), with changes."""
    params, summary = network.load_model(REPOSITORY / "model_params.npz")
    return train.config_from_model(summary, params.layer_sizes, patience=None, **changes)


def rate(samples: int, history: list[train.EpochStats], cpu_times: list[float]) -> tuple[float, float]:
    """(samples per second of wall time, of CPU time), leaving out the first epoch (it warms up).

    Wall time: the epochs' own seconds, measured by the trainer in the process that trains. CPU
    time: that process's, between the first epoch's end and the last's (on a machine where other
    programs run too, it is the fairer of the two: with one BLAS thread it is the time of the work).
    """
    epochs = len(history) - 1
    if epochs < 1:
        return float("nan"), float("nan")
    wall = samples * epochs / sum(stats.seconds for stats in history[1:])
    cpu = cpu_times[-1] - cpu_times[0]
    return wall, (samples * epochs / cpu if cpu > 0 else float("nan"))


def process_cpu_seconds(pid: int | None) -> float:
    """CPU seconds a process has used so far (Linux /proc; nan elsewhere)."""
    if pid is None:
        return time.process_time()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")    # utime + stime


# --- 1. throughput -------------------------------------------------------------------------------

def reference_rate(data_path: Path, model_path: Path, config: train.TrainConfig) -> tuple[float, float]:
    """train.py's loop, in this process."""
    run = train.prepare_training(data_path, model_path, config)
    history, cpu = [], []

    def on_epoch(stats: train.EpochStats) -> None:
        cpu.append(time.process_time())
        history.append(stats)

    train.train_until_done(run.trainer, on_epoch=on_epoch)
    return rate(len(run.arrays.y_train), history, cpu)


def job_rate(data_path: Path, model_path: Path, config: train.TrainConfig) -> tuple[float, float]:
    """The training process, polled like an idle window, for config.epochs epochs."""
    job = TrainingJob(data_path, model_path, replace(config, epochs=100_000), where="benchmark")
    job.start()
    history, cpu, samples = [], [], 0
    try:
        while len(history) < config.epochs:
            for message in job.poll():
                if isinstance(message, Epoch):
                    cpu.append(process_cpu_seconds(job.pid))
                    history.append(message.stats)
                elif isinstance(message, Failed):
                    raise SystemExit(f"training failed: {message.message}")
                elif isinstance(message, Started):
                    samples = message.train_samples
            time.sleep(POLL_SECONDS)
    finally:
        job.close()
    return rate(samples, history[:config.epochs], cpu[:config.epochs])


def throughput(folder: Path, rounds: int, epochs: tuple[int, int]) -> list[float]:
    """Prints the table; returns the median ratios (CPU time) without and with the copies."""
    print("1. throughput: samples learned per second, training process against train.py's loop in this process")
    print(f"   (median of {rounds} rounds, the two taking turns; wall time / CPU time)")
    ratios = []
    for copies, count in zip((0, 20), epochs):
        config = shipped_recipe(augment_copies=copies, epochs=count)
        ours, reference = [], []
        for _ in range(rounds):
            reference.append(reference_rate(folder / "data.json", folder / "reference.npz", config))
            ours.append(job_rate(folder / "data.json", folder / "job.npz", config))
        ours_wall, ours_cpu = np.median(ours, axis=0)
        reference_wall, reference_cpu = np.median(reference, axis=0)
        wall_ratio, cpu_ratio = np.median(np.divide(ours, reference), axis=0)
        ratios.append(cpu_ratio)
        print(f"   {'with 20 copies' if copies else 'starter set   '} ({count} epochs): process "
              f"{ours_wall:>8,.0f} / {ours_cpu:>8,.0f}   train.py {reference_wall:>8,.0f} / {reference_cpu:>8,.0f}   "
              f"ratio {wall_ratio:.2f} / {cpu_ratio:.2f} (target >= {TARGET_RATIO:.2f})")
    return ratios


# --- 2. start-up ---------------------------------------------------------------------------------

def startup(folder: Path, repeats: int) -> None:
    config = shipped_recipe(augment_copies=0, epochs=1)
    up, ready, in_thread = [], [], []
    for prefer_process in (True, False):
        for _ in range(repeats):
            job = TrainingJob(folder / "data.json", folder / "startup.npz", config, paused=True,
                              prefer_process=prefer_process)
            job.start()
            while job.state == "starting":
                job.poll()
                time.sleep(0.001)
            if prefer_process:
                up.append(job.ready_seconds)
                ready.append(job.started_seconds)
            else:
                in_thread.append(job.started_seconds)
            job.close()
    print(f"2. start-up (median of {repeats}): the process is up after {statistics.median(up) * 1000:.0f} ms, "
          f"the data ready after {statistics.median(ready) * 1000:.0f} ms; in a thread the data is ready "
          f"after {statistics.median(in_thread) * 1000:.0f} ms (the process costs "
          f"{(statistics.median(ready) - statistics.median(in_thread)) * 1000:.0f} ms more)")


# --- 3. frames -----------------------------------------------------------------------------------

@dataclass
class Frames:
    fps: float
    median_ms: float
    p99_ms: float
    work_p99_ms: float       # the frame's own work and poll, without the wait (GIL waits show here)
    samples_per_second: float
    samples: int = 0         # rows per epoch


class PythonWork:
    """Pure-Python work of a given length, calibrated once with nothing else running."""

    def __init__(self):
        self.per_ms = 1000
        started = time.perf_counter()
        self.run(200.0)
        self.per_ms = int(200 * 1000 / ((time.perf_counter() - started) * 1000))

    def run(self, milliseconds: float) -> int:
        total = 0
        for i in range(int(self.per_ms * milliseconds)):
            total += i * i % 7
        return total


def frame_loop(seconds: float, work: PythonWork, poll=lambda: None) -> list[tuple[float, float]]:
    """60 frames a second of 2-5 ms of Python plus poll(); (frame seconds, work seconds) per frame."""
    rng = np.random.default_rng(0)
    frames = []
    period = 1 / FRAMES_PER_SECOND
    began = next_frame = time.perf_counter()
    while time.perf_counter() - began < seconds:
        start = time.perf_counter()
        work.run(rng.uniform(*WORK_MS))
        poll()
        worked = time.perf_counter() - start
        next_frame += period
        wait = next_frame - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        else:
            next_frame = time.perf_counter()     # late: do not rush the next frames to catch up
        frames.append((time.perf_counter() - start, worked))
    return frames


def summarise(frames: list[tuple[float, float]], seconds: float, rate: float) -> Frames:
    frame_ms = np.array([frame for frame, _ in frames]) * 1000
    work_ms = np.array([worked for _, worked in frames]) * 1000
    return Frames(len(frames) / seconds, float(np.median(frame_ms)), float(np.percentile(frame_ms, 99)),
                  float(np.percentile(work_ms, 99)), rate)


def frames_with_job(folder: Path, config: train.TrainConfig, seconds: float, work: PythonWork,
                    prefer_process: bool) -> Frames:
    job = TrainingJob(folder / "data.json", folder / "frames.npz", config, prefer_process=prefer_process,
                      where="benchmark")
    job.start()
    history, cpu, samples = [], [], 0

    def poll() -> None:
        nonlocal samples
        for message in job.poll():
            if isinstance(message, Epoch):
                cpu.append(process_cpu_seconds(job.pid))
                history.append(message.stats)
            elif isinstance(message, Started):
                samples = message.train_samples

    try:
        while not history:                   # the data is ready and the first epoch is done
            poll()
            time.sleep(0.01)
        history.clear()
        cpu.clear()
        began = time.perf_counter()
        frames = frame_loop(seconds, work, poll)
        elapsed = time.perf_counter() - began
    finally:
        job.close()
    return replace(summarise(frames, elapsed, rate(samples, history, cpu)[0]), samples=samples)


def frames_with_train_from_file(folder: Path, config: train.TrainConfig, seconds: float, work: PythonWork,
                                samples: int) -> Frames:
    """train.train_from_file in a daemon thread, as the window trained before the training process
    (`samples`: its rows per epoch, as the job reported them for the same data and recipe)."""
    history, stop = [], threading.Event()
    thread = threading.Thread(target=train.train_from_file, daemon=True,
                              args=(folder / "data.json", folder / "thread.npz", config),
                              kwargs={"on_epoch": history.append, "stop_event": stop, "where": "benchmark"})
    thread.start()
    while not history:
        time.sleep(0.01)
    history.clear()
    began = time.perf_counter()
    frames = frame_loop(seconds, work)
    elapsed = time.perf_counter() - began
    stop.set()
    thread.join(30)
    return summarise(frames, elapsed, rate(samples, history, [0.0, 0.0])[0])


def frames_report(folder: Path, seconds: float, copies: int, batch_size: int) -> Frames:
    """Prints one table; returns the training process's row."""
    print(f"3. frames: 60 FPS loop, {WORK_MS[0]:g}-{WORK_MS[1]:g} ms of Python a frame + poll, {seconds:g} s each, "
          f"{'with 20 copies' if copies else 'starter set'}, batch {batch_size} (samples/s: x train.py's loop alone)")
    config = shipped_recipe(augment_copies=copies, epochs=100_000, batch_size=batch_size)
    alone, _ = reference_rate(folder / "data.json", folder / "reference.npz",
                              replace(config, epochs=6 if copies else 40))
    work = PythonWork()
    rows = [("nothing training", summarise(frame_loop(seconds, work), seconds, float("nan")))]
    rows.append(("training process", frames_with_job(folder, config, seconds, work, prefer_process=True)))
    rows.append(("the job in a thread", frames_with_job(folder, config, seconds, work, prefer_process=False)))
    rows.append(("train_from_file thread", frames_with_train_from_file(folder, config, seconds, work,
                                                                       rows[1][1].samples)))
    for name, result in rows:
        speed = result.samples_per_second
        learned = "" if np.isnan(speed) else f"  learning {speed:>9,.0f} samples/s ({speed / alone:.2f}x)"
        print(f"   {name:<24} {result.fps:5.1f} FPS  frame median {result.median_ms:5.1f} ms  "
              f"p99 {result.p99_ms:5.1f} ms  (work p99 {result.work_p99_ms:5.1f} ms){learned}")
    return rows[1][1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, shorter measurements")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other programs running slow every "
          f"number down); the shipped data.json and model recipe; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copy(REPOSITORY / "data.json", folder / "data.json")     # the run log goes beside this copy
        ratios = throughput(folder, rounds=1 if args.quick else 3, epochs=(40, 4) if args.quick else (100, 8))
        startup(folder, repeats=3)
        seconds = 3.0 if args.quick else 8.0
        processes = [frames_report(folder, seconds, copies=0 if args.quick else 20, batch_size=train.BATCH_SIZE)]
        if not args.quick:
            processes.append(frames_report(folder, seconds, copies=0, batch_size=32))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    fast = min(ratios) >= TARGET_RATIO
    smooth = all(row.fps >= TARGET_FPS and row.p99_ms <= TARGET_P99_MS for row in processes)
    print(f"throughput >= {TARGET_RATIO:.0%} of train.py's (CPU time): {'met' if fast else 'NOT met'}; "
          f"window while the process trains (>= {TARGET_FPS} FPS, p99 <= {TARGET_P99_MS} ms): "
          f"{'met' if smooth else 'NOT met'}")
    return 0 if fast and smooth else 1


if __name__ == "__main__":
    sys.exit(main())
