"""Does the "All drawings" tab stay smooth with 10,000+ samples? Run by hand, not in CI:

    python -m benchmarks.bench_browser                    # 10,000 samples, about 20 s
    python -m benchmarks.bench_browser --samples 60000    # an imported MNIST-sized set

Builds a synthetic data.json (a fifth "drawn", the rest "starter"), opens the window on it (dummy
video driver), switches to All drawings and runs the real frame loop (window.main.run_frame) paced
to 60 frames a second, while:
    idle            nothing moves
    wheel           one wheel notch per frame (a new row every frame: blocks are made as it goes)
    fling           five notches per frame (fast flicking through the list)
    scrollbar       dragging the scrollbar from top to bottom in two seconds (jumps past many blocks)
    filters         switching the digit filter every 10 frames
    delete + undo   deleting 50 selected drawings, then undoing (saves run on the writer thread)
For each it prints the work per frame (the frame without the wait for the next tick): median,
95th and 99th percentile, and the worst. Target: 95% of frames under 16 ms (60 FPS).
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
import pygame  # noqa: E402

from mling import store  # noqa: E402
from tests.synthetic import synthetic_images  # noqa: E402
from tests.window_driver import WindowDriver, tab_key  # noqa: E402
from window.main import run_frame  # noqa: E402
from window.tabs.browser import BrowserTab  # noqa: E402

FRAME_BUDGET_MS = 1000 / 60     # 16.7 ms: one frame at 60 FPS
SAMPLES = 10_000


def make_data(path: Path, count: int) -> None:
    """`count` synthetic drawings: a fifth drawn by the user, the rest the starter set (one save each)."""
    images, labels = synthetic_images(-(-count // 10), seed=0)
    images, labels = images[:count], labels[:count]
    order = np.random.default_rng(0).permutation(count)
    images, labels = images[order], labels[order]
    own = count // 5
    data = store.DataStore.open(path)
    data.add_many(images[:own], labels[:own], source="drawn")
    data.add_many(images[own:], labels[own:], source="starter")


def run_frames(driver: WindowDriver, frames: int, before_each=None) -> np.ndarray:
    """Run `frames` frames paced to 60 FPS; returns the work of each frame in ms (the wait left out)."""
    work = []
    for number in range(frames):
        if before_each is not None:
            before_each(number)
        started = time.perf_counter()
        run_frame(driver.app, driver.clock, 0)                       # the real loop's frame, no wait
        busy = time.perf_counter() - started
        work.append(busy * 1000)
        time.sleep(max(0.0, 1 / 60 - busy))                          # the tick's wait, done here
    return np.array(work)


def report(name: str, times: np.ndarray) -> bool:
    p95 = float(np.percentile(times, 95))
    ok = p95 < FRAME_BUDGET_MS
    print(f"{name:<15} median {np.median(times):5.2f} ms   p95 {p95:5.2f} ms   "
          f"p99 {np.percentile(times, 99):5.2f} ms   worst {times.max():6.2f} ms   "
          f"({len(times)} frames) {'ok' if ok else 'TOO SLOW'}")
    return ok


def post(event_type: int, **fields) -> None:
    pygame.event.post(pygame.event.Event(event_type, **fields))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Frame times of the dataset browser with many samples.")
    parser.add_argument("--samples", type=int, default=SAMPLES, help=f"samples in the data file (default {SAMPLES})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        started = time.perf_counter()
        make_data(path, args.samples)
        print(f"made {args.samples:,} samples in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB)")
        driver = WindowDriver(path, Path(folder) / "model.npz")
        try:
            return 0 if measure(driver) else 1
        finally:
            driver.close()


def measure(driver: WindowDriver) -> bool:
    app = driver.app
    driver.frames(3)
    started = time.perf_counter()
    driver.key(tab_key(BrowserTab))
    print(f"opening the tab (arrays for every sample, first block): {(time.perf_counter() - started) * 1000:.0f} ms")
    grid = app.find_tab(BrowserTab).grid
    print(f"{grid.count:,} thumbnails, {grid.columns} per row, {grid.rows:,} rows")
    post(pygame.MOUSEMOTION, pos=grid.rect.center, rel=(0, 0), buttons=(0, 0, 0))
    results = [report("idle", run_frames(driver, 120))]

    def wheel(notches):
        return lambda number: post(pygame.MOUSEWHEEL, x=0, y=-notches, flipped=False)
    results.append(report("wheel", run_frames(driver, 300, wheel(1))))
    results.append(report("fling", run_frames(driver, 300, wheel(5))))

    bar = grid.scrollbar_rect()
    driver.key(pygame.K_HOME)

    def drag(number):
        if number == 0:
            post(pygame.MOUSEBUTTONDOWN, pos=(bar.centerx, bar.y + 1), button=1)
        y = bar.y + 1 + (bar.height - 2) * number // 119
        post(pygame.MOUSEMOTION, pos=(bar.centerx, y), rel=(0, 1), buttons=(1, 0, 0))
        if number == 119:
            post(pygame.MOUSEBUTTONUP, pos=(bar.centerx, y), button=1)
    results.append(report("scrollbar", run_frames(driver, 120, drag)))
    print(f"{'':<15} (the drag ended at row {grid.scroll / grid.cell:,.0f} of {grid.rows:,})")

    browser = app.find_tab(BrowserTab)

    def filters(number):
        if number % 10 == 0:
            browser.choose_digit(None if number % 20 else (number // 20) % 10)
    results.append(report("filters", run_frames(driver, 200, filters)))

    browser.choose_digit(None)
    driver.key(pygame.K_HOME)
    grid.selected = set(grid.shown_ids()[:50])
    started = time.perf_counter()
    times = run_frames(driver, 1, lambda number: post(pygame.KEYDOWN, key=pygame.K_DELETE, mod=0, unicode="",
                                                      scancode=0))
    while app.session.dataset.busy:
        times = np.append(times, run_frames(driver, 1))
    saved = time.perf_counter() - started
    post(pygame.KEYDOWN, key=pygame.K_z, mod=pygame.KMOD_CTRL, unicode="", scancode=0)
    while True:
        times = np.append(times, run_frames(driver, 1))
        if not app.session.dataset.busy:
            break
    times = np.append(times, run_frames(driver, 30))
    results.append(report("delete + undo", times))
    print(f"deleting 50 and saving {grid.count:,} samples took {saved * 1000:.0f} ms on the writer thread")
    return all(results)


if __name__ == "__main__":
    sys.exit(main())
