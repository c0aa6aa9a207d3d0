"""Does the window stay smooth while the network trains? Run by hand, not in CI:

    python -m benchmarks.bench_window            # about 30 s
    python -m benchmarks.bench_window --quick    # about 10 s

Runs the real frame loop (window.main.run_frame, capped at 60 FPS, dummy video driver) on a
synthetic data.json of 8,800 drawings: idle at the window's first size and at 1920x1080 and
3840x2160 (a projector; the layout and fonts scale with the window), while training in the
background, and while training *and* drawing a stroke (a mouse event every frame). Prints frames
per second, the median and 99th-percentile frame time, and the busy time per frame (frame minus
the tick's wait). Targets (2-core machine): idle about 60 FPS at every size, >= 50 FPS while training.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
import pygame  # noqa: E402

from tests.window_driver import WindowDriver, write_synthetic_data  # noqa: E402

TARGET_FPS = 50
SAMPLES_PER_DIGIT = 880          # 8,800 drawings: a big hand-made dataset


def measure(driver: WindowDriver, seconds: float, stroke: bool = False, while_training: bool = False) -> dict:
    """Run frames at 60 FPS for `seconds`; return FPS and frame times in ms."""
    frame_ms, busy_ms = [], []
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
        step += 1
    elapsed = time.perf_counter() - started
    if stroke:
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=canvas.center, button=1))
        driver.frame()
    frames = np.array(frame_ms[1:] or [0.0])
    return {"fps": len(frame_ms) / elapsed, "median": float(np.median(frames)),
            "p99": float(np.percentile(frames, 99)), "busy": float(np.median(busy_ms or [0])),
            "busy_p99": float(np.percentile(busy_ms or [0], 99)), "frames": len(frame_ms)}


def report(name: str, result: dict) -> None:
    print(f"{name:<28} {result['fps']:5.1f} FPS  frame median {result['median']:5.1f} ms  "
          f"p99 {result['p99']:5.1f} ms  busy median {result['busy']:4.1f} ms  p99 {result['busy_p99']:4.1f} ms  "
          f"({result['frames']} frames)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Frame rate of the window while training.")
    parser.add_argument("--quick", action="store_true", help="shorter measurements")
    args = parser.parse_args(argv)
    seconds = 3.0 if args.quick else 10.0

    with tempfile.TemporaryDirectory() as folder:
        data_path, model_path = Path(folder) / "data.json", Path(folder) / "model_params.npz"
        write_synthetic_data(data_path, per_digit=SAMPLES_PER_DIGIT)
        driver = WindowDriver(data_path, model_path)
        try:
            session = driver.app.session
            session.change_setting("epochs", 500)
            session.change_setting("batch_size", 32)   # small batches: most GIL contention
            session.change_setting("patience", None)   # no early stopping: train for the whole measurement

            driver.draw_seven()
            report("idle", measure(driver, seconds / 2))
            idle = [measure(driver, seconds / 2)["fps"]]
            for size in ((1920, 1080), (3840, 2160)):
                driver.resize(size)
                driver.draw_seven()
                result = measure(driver, seconds / 2)
                idle.append(result["fps"])
                report(f"idle at {size[0]}x{size[1]}", result)
            driver.resize((1100, 700))
            driver.app.canvas.clear()
            driver.key(pygame.K_t, unicode="t")
            history = session.progress.history
            driver.until(lambda: len(session.progress.history) >= 1, timeout=60)
            history = session.progress.history
            epoch = history[-1].seconds if history else float("nan")
            training = measure(driver, seconds, while_training=True)
            report("training", training)
            drawing = measure(driver, seconds, stroke=True, while_training=True)
            report("training + drawing", drawing)
            print(f"(one epoch of {SAMPLES_PER_DIGIT * 10 * 0.85:.0f} training drawings took {epoch:.2f} s "
                  f"in the background)")
        finally:
            driver.close()
    worst = min(training["fps"], drawing["fps"])
    print(f"idle: {min(idle):.1f} FPS at the slowest size (target about 60)")
    print(f"target >= {TARGET_FPS} FPS while training: {'met' if worst >= TARGET_FPS else 'NOT met'}")
    return 0 if worst >= TARGET_FPS else 1


if __name__ == "__main__":
    sys.exit(main())
