"""What does the Map cost a frame with 10,000 dots? Run by hand, not in CI:

    python -m benchmarks.bench_map            # about 40 s
    python -m benchmarks.bench_map --quick    # about 15 s

A data.json of 12,000 drawings (the shipped starter set and 4,000 synthetic ones, so the map shows
its limit of 10,000) and a model trained on it. Through the real frame loop (60 FPS cap, dummy video
driver) it measures the busy time per frame (frame minus the tick's wait) on the Draw tab (the
reference, measured in the same run) and on the Map: idle, while drawing (the marker follows the
stroke; the nearest drawings are found again), and while training (the map is fitted again with
each new epoch's weights). Then the parts on their own: a new fit with new weights (hidden layer 2
of 10,000 drawings, PCA, the turn to match the last map), painting the 10,000 dots, and one marker.
Goal: the Map's busy time within 2 ms of the Draw tab's, >= 50 FPS while training.
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

import train
from benchmarks.bench_window import measure, report
from mling import network, store
from mling.paths import DATA_PATH
from tests.synthetic import synthetic_images
from tests.window_driver import WindowDriver, tab_key
from window.map_view import LiveMap
from window.tabs.draw import DrawTab
from window.tabs.map import MapTab

EXTRA_PER_DIGIT = 400            # synthetic drawings added to the 8,000 starter ones


def timed(work, repeats: int) -> float:
    """Median milliseconds of `work()`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Frame cost of the Map with 10,000 dots.")
    parser.add_argument("--quick", action="store_true", help="shorter measurements")
    args = parser.parse_args(argv)
    seconds = 3.0 if args.quick else 8.0
    with tempfile.TemporaryDirectory() as folder:
        data, model = Path(folder) / "data.json", Path(folder) / "model.npz"
        X, y = store.DataStore.open(DATA_PATH).arrays(sources=["starter"])
        target = store.DataStore.open(data)
        target.add_many(X.reshape(-1, 28, 28), y, source="starter")
        images, labels = synthetic_images(EXTRA_PER_DIGIT, seed=1)
        target.add_many(images, labels, source="drawn")
        train.train_from_file(data, model, train.TrainConfig(epochs=5))
        driver = WindowDriver(data, model)
        try:
            driver.key(tab_key(MapTab))
            tab = driver.tab(MapTab)
            driver.frames(3)
            shown = len(tab.live.points)
            print(f"{driver.app.session.dataset.total:,} drawings in data.json, {shown:,} dots on the map")
            results = {}
            driver.key(tab_key(DrawTab))
            results["Draw tab, idle"] = measure(driver, seconds)
            results["Draw tab, drawing"] = measure(driver, seconds, stroke=True)
            driver.key(tab_key(MapTab))
            results["Map, idle"] = measure(driver, seconds)
            results["Map, drawing"] = measure(driver, seconds, stroke=True)
            driver.app.session.change_setting("epochs", 40)
            for name, tab_class in (("Draw tab", DrawTab), ("Map", MapTab)):
                driver.key(tab_key(tab_class))
                driver.app.session.start_training()
                driver.frames(30, frames_per_second=60)                     # past reading the data
                results[f"{name}, while training"] = measure(driver, seconds, while_training=True)
                driver.app.session.stop_training()
                driver.until(lambda: not driver.app.session.training, timeout=60)
            for name, result in results.items():
                report(name, result)
            for what in ("idle", "drawing", "while training"):
                extra = results[f"Map, {what}"]["busy"] - results[f"Draw tab, {what}"]["busy"]
                print(f"Map minus Draw tab, {what}: {extra:+.1f} ms busy per frame")
            # the parts on their own
            params = driver.app.session.predictor.model.params
            live = LiveMap(driver.app.session.insight)
            live.update(params)
            rng = np.random.default_rng(0)

            def refit() -> None:
                nudged = network.Parameters(params.layer_sizes, params.flat + rng.normal(
                    0, 1e-3, params.flat.shape).astype(params.flat.dtype))
                live.update(nudged)
            print(f"a new fit (10,000 drawings, new weights): {timed(refit, 20):.1f} ms")
            tab.view.show(live)
            print(f"painting {len(live.points):,} dots: {timed(tab.view._render, 20):.1f} ms")
            image = X[0].reshape(28, 28)
            print(f"the marker of one drawing: {timed(lambda: live.place_of(image), 200):.3f} ms")
            print(f"the nearest drawings of one: "
                  f"{timed(lambda: driver.app.session.insight.nearest(params, image), 50):.2f} ms")
        finally:
            driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
