"""Does the window stay smooth while the network trains, and does it train as fast as train.py? By hand:

    python -m benchmarks.bench_window            # about 2 minutes
    python -m benchmarks.bench_window --quick    # about 40 s (no run on the shipped data)

Runs the real frame loop (window.main.run_frame, capped at 60 FPS, dummy video driver) on a
synthetic data.json of 8,800 drawings trained with 10 augmented copies each made in memory
(about 82,000 rows an epoch, like the 88,000-sample set), with train.py's default recipe:
  1. idle, at the window's first size, 1920x1080 and 3840x2160 (a projector);
  2. while training runs as fast as it goes (in its own process), then while training *and* drawing
     a stroke (a mouse event every frame), with the epoch times the training process reported;
  3. in slow motion (10 batches a second) on the Inside tab, whose pictures change at every batch;
  4. train.py's own loop (prepare_training + Trainer epochs, in this process, nothing else running)
     on the same data and recipe: the window's samples per second against it.
Without --quick, also: T on a copy of the shipped data.json and model_params.npz, with the window's
own recipe (the shipped model's: 20 copies in memory) - how long it takes, and the new model's
accuracy against the shipped one's on the same held-out drawings.

Targets (2-core machine): >= 55 FPS and p99 frame <= 25 ms while training and drawing; window
training >= 90% of train.py's samples per second.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import math  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pygame  # noqa: E402

import train  # noqa: E402
from mling.paths import REPOSITORY  # noqa: E402
from tests.window_driver import WindowDriver, write_synthetic_data  # noqa: E402
from window import training  # noqa: E402
from window.session import EpochFinished  # noqa: E402
from window.tabs.inside import InsideTab  # noqa: E402

TARGET_FPS, TARGET_P99_MS, TARGET_RATIO = 55, 25.0, 0.90
SAMPLES_PER_DIGIT = 880          # 8,800 drawings: a big hand-made dataset
COPIES = 10                      # in-memory augmented copies of each training drawing
RECIPE = train.TrainConfig(epochs=500, patience=None, augment_copies=COPIES)   # train.py's defaults, no early stop


def process_cpu_seconds(pid: int | None) -> float:
    """CPU seconds a process has used so far (Linux /proc; nan elsewhere or for no process)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")      # utime + stime
    except (OSError, ValueError, IndexError, TypeError):
        return float("nan")


_SEEN: list = []                 # every event new_events() returned (kept, so no id is used twice)
_SEEN_IDS: set[int] = set()


def new_events(session) -> list:
    """The session's events since the last call (from its event log)."""
    fresh = [event for event in list(session.event_log) if id(event) not in _SEEN_IDS]
    _SEEN.extend(fresh)
    _SEEN_IDS.update(id(event) for event in fresh)
    return fresh


def measure(driver: WindowDriver, seconds: float, stroke: bool = False, while_training: bool = False) -> dict:
    """Run frames at 60 FPS for `seconds`; FPS and frame times in ms, and the epochs that ended meanwhile
    (each with the training process's CPU seconds when the window heard of it)."""
    frame_ms, busy_ms, epochs, cpu = [], [], [], []
    canvas = driver.app.canvas.rect
    if stroke:
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=canvas.center, button=1))
    started = time.perf_counter()
    step = 0
    while time.perf_counter() - started < seconds:
        if while_training and not driver.app.session.training:
            break
        if stroke:   # a circle around the canvas centre, one mouse event per frame
            angle = step * 0.15
            position = (int(canvas.centerx + 120 * math.cos(angle)), int(canvas.centery + 120 * math.sin(angle)))
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(1, 0, 0)))
        before = time.perf_counter()
        driver.frame(frames_per_second=60)
        frame_ms.append((time.perf_counter() - before) * 1000)
        busy_ms.append(driver.clock.get_rawtime())
        for event in new_events(driver.app.session):
            if isinstance(event, EpochFinished):
                epochs.append(event.stats)
                cpu.append(process_cpu_seconds(driver.app.session.job.pid))
        step += 1
    elapsed = time.perf_counter() - started
    if stroke:
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=canvas.center, button=1))
        driver.frame()
    frames = np.array(frame_ms[1:] or [0.0])
    return {"fps": len(frame_ms) / elapsed, "median": float(np.median(frames)),
            "p99": float(np.percentile(frames, 99)), "busy": float(np.median(busy_ms or [0])),
            "busy_p99": float(np.percentile(busy_ms or [0], 99)), "frames": len(frame_ms), "epochs": epochs,
            "cpu": cpu}


def report(name: str, result: dict) -> None:
    print(f"{name:<30} {result['fps']:5.1f} FPS  frame median {result['median']:5.1f} ms  "
          f"p99 {result['p99']:5.1f} ms  busy median {result['busy']:4.1f} ms  p99 {result['busy_p99']:4.1f} ms  "
          f"({result['frames']} frames)")


def terminal_epoch_seconds(data_path: Path, model_path: Path, config: train.TrainConfig,
                           epochs: int) -> tuple[list[float], list[float]]:
    """train.py's own loop, in this process with nothing else running: each epoch's (wall, CPU) seconds."""
    run = train.prepare_training(data_path, model_path, config, where="benchmark")
    wall, cpu = [], []
    with train.single_blas_thread():
        for _ in range(epochs):
            started, started_cpu = time.perf_counter(), time.process_time()
            run.trainer.run_epoch()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def window_benchmark(folder: Path, seconds: float) -> tuple[list[dict], list[float], int]:
    """Parts 1-3; returns the measurements that have targets, the window's epoch seconds, rows per epoch."""
    data_path, model_path = folder / "data.json", folder / "model_params.npz"
    driver = WindowDriver(data_path, model_path)
    try:
        session = driver.app.session
        session.set_train_config(RECIPE)
        driver.draw_seven()
        idle = [measure(driver, seconds / 4)]
        report("idle", idle[0])
        for size in ((1920, 1080), (3840, 2160)):
            driver.resize(size)
            driver.draw_seven()
            idle.append(measure(driver, seconds / 4))
            report(f"idle at {size[0]}x{size[1]}", idle[-1])
        driver.resize((1100, 700))
        driver.app.canvas.clear()
        driver.key(pygame.K_t, unicode="t")
        assert driver.until(lambda: len(session.progress.history) >= 1, timeout=120), driver.app.status.text
        print(f"(training in a {session.job.mode}; {session.progress.train_samples:,} rows an epoch; "
              f"the data was ready {session.job.started_seconds:.1f} s after T)")
        busy = measure(driver, seconds, while_training=True)
        report("training", busy)
        drawing = measure(driver, seconds, stroke=True, while_training=True)
        report("training + drawing", drawing)
        session.set_speed([rate for rate, _ in training.SPEEDS].index(10.0))
        driver.draw_seven()
        driver.show(InsideTab)
        slow = measure(driver, seconds / 2, while_training=True)
        report("slow motion, Inside tab", slow)
        epoch_seconds = [stats.seconds for stats in busy["epochs"] + drawing["epochs"]]
        cpu = [seconds for part in (busy, drawing) for seconds in np.diff(part["cpu"])]
        rows = session.progress.train_samples
        session.stop_training()
    finally:
        driver.close()
    return [busy, drawing, slow], epoch_seconds, cpu, rows


def shipped_run(folder: Path) -> None:
    """T on a copy of the shipped files with the window's own recipe; how long, and how good."""
    data_path, model_path = folder / "data.json", folder / "model_params.npz"
    shutil.copy(REPOSITORY / "data.json", data_path)
    shutil.copy(REPOSITORY / "model_params.npz", model_path)
    driver = WindowDriver(data_path, model_path)
    try:
        session = driver.app.session
        recipe = session.train_config
        started = time.perf_counter()
        driver.key(pygame.K_t, unicode="t")
        assert driver.until(lambda: not session.training, timeout=1800), "training on the shipped data did not end"
        seconds = time.perf_counter() - started
        result = session.last_training_result
        comparison = result.choice.comparison
        print(f"T on the shipped data ({recipe.augment_copies} copies in memory, layers "
              f"{'-'.join(map(str, recipe.layer_sizes))}, {recipe.optimizer}): {seconds:.0f} s, "
              f"{len(result.history)} epochs; new {comparison.new_accuracy:.2%} against the shipped "
              f"{comparison.old_accuracy:.2%} on the same {comparison.samples}; kept the {result.choice.kept} one")
    finally:
        driver.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Frame rate of the window while training, and its training speed.")
    parser.add_argument("--quick", action="store_true", help="shorter measurements, no run on the shipped data")
    args = parser.parse_args(argv)
    seconds = 4.0 if args.quick else 10.0

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_synthetic_data(folder / "data.json", per_digit=SAMPLES_PER_DIGIT)
        (busy, drawing, slow), window_epochs, window_cpu, rows = window_benchmark(folder, seconds)
        reference, reference_cpu = terminal_epoch_seconds(folder / "data.json", folder / "model_params.npz",
                                                          dataclasses.replace(RECIPE, epochs=6), 6)
        window_rate = rows / statistics.median(window_epochs) if window_epochs else float("nan")
        terminal_rate = rows / statistics.median(reference)
        ratio = window_rate / terminal_rate
        print(f"training speed: window {window_rate:,.0f} samples/s (median of {len(window_epochs)} epochs), "
              f"train.py's loop {terminal_rate:,.0f} samples/s (median of {len(reference)}): {ratio:.0%}")
        if window_cpu:
            print(f"CPU seconds per epoch: training process {statistics.median(window_cpu):.3f}, train.py's loop "
                  f"{statistics.median(reference_cpu):.3f} "
                  f"({statistics.median(reference_cpu) / statistics.median(window_cpu):.0%}; not disturbed by "
                  f"other programs; the load average was {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        if not args.quick:
            shipped_run(Path(tempfile.mkdtemp(dir=name)))

    worst = min((busy, drawing), key=lambda result: result["fps"])
    p99 = max(busy["p99"], drawing["p99"])
    checks = [(f"window >= {TARGET_FPS} FPS while training and drawing", worst["fps"] >= TARGET_FPS,
               f"{worst['fps']:.1f} FPS"),
              (f"p99 frame <= {TARGET_P99_MS:.0f} ms while training and drawing", p99 <= TARGET_P99_MS,
               f"{p99:.1f} ms"),
              (f"window training >= {TARGET_RATIO:.0%} of train.py's", ratio >= TARGET_RATIO, f"{ratio:.0%}")]
    for name, met, figure in checks:
        print(f"target {name}: {figure} -> {'met' if met else 'NOT met'}")
    return 0 if all(met for _, met, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
