"""How fast does MLing train and predict? Run by hand, not in CI:

    python -m benchmarks.bench_train            # about a minute on a 2-core laptop
    python -m benchmarks.bench_train --quick    # fewer repeats

Trains 784-16-16-10 on 8,800 drawing-like samples, batch 128, one BLAS thread (as train.fit does),
and compares MLing's Trainer with a careful NumPy reference measured in the same run, epoch for
epoch in turn so both see the same machine load:

  the reference is what a careful NumPy programmer writes from the textbook: batched, float32,
  one weight array per layer as in scikit-learn's MLP, the same network, loss, gradient clipping
  and Adam(W) with bias correction, a batch gathered with X[rows], loss and accuracy summed per
  batch. It is not a strawman: it is how the maths reads.

MLing keeps every parameter in one flat vector (one vectorised Adam step and one clipping norm
instead of one per array), keeps the training pixels as bytes (uint8) and scores loss and
accuracy once per epoch. Also printed: batch 64, MLing with BLAS free to use every core, and the
time to predict one drawing. Targets: >= 1.25x the reference; aim 800,000 samples/s; predict <= 1 ms.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

import train
from mling import network

SAMPLES = 8_800
TARGET_RATIO = 1.25
AIM_SAMPLES_PER_SECOND = 800_000


def drawing_like(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Pixel bytes like drawings (about 15% ink), labelled by a random linear teacher so there is
    something to learn (training stops runs stuck at chance): X (count, 784) uint8, y (count,)."""
    ink = (rng.random((count, 784)) < 0.15) * rng.random((count, 784))
    teacher = rng.normal(size=(784, 10))
    return np.rint(ink * 255).astype(np.uint8), (ink @ teacher).argmax(axis=1)


class Reference:
    """The careful textbook implementation, one array per layer, float32 throughout."""

    def __init__(self, X: np.ndarray, y: np.ndarray, layer_sizes=network.LAYER_SIZES, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.X, self.y = X.astype(np.float32) / 255, y
        self.params = []
        for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
            self.params += [rng.normal(0, np.sqrt(2 / fan_in), (fan_in, fan_out)).astype(np.float32),
                            np.zeros(fan_out, np.float32)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def epoch(self, order: np.ndarray, batch_size: int, lr: float = 1e-3, clip: float = 5.0, decay: float = 0.1,
              beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> tuple[float, float]:
        W1, b1, W2, b2, W3, b3 = self.params
        loss_sum, correct = 0.0, 0
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            x, labels, n = self.X[rows], self.y[rows], len(rows)
            h1 = np.maximum(x @ W1 + b1, 0)
            h2 = np.maximum(h1 @ W2 + b2, 0)
            z = h2 @ W3 + b3
            e = np.exp(z - z.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            loss_sum += float(-np.log(np.maximum(p[np.arange(n), labels], 1e-7)).sum())
            correct += int((p.argmax(axis=1) == labels).sum())
            d3 = p.copy()
            d3[np.arange(n), labels] -= 1
            d3 /= n
            d2 = (d3 @ W3.T) * (h2 > 0)
            d1 = (d2 @ W2.T) * (h1 > 0)
            grads = [x.T @ d1, d1.sum(axis=0), h1.T @ d2, d2.sum(axis=0), h2.T @ d3, d3.sum(axis=0)]
            norm = np.sqrt(sum(float((g * g).sum()) for g in grads))
            if norm > clip:
                grads = [g * (clip / norm) for g in grads]
            self.t += 1
            for i, (w, g) in enumerate(zip(self.params, grads)):
                self.m[i] = beta1 * self.m[i] + (1 - beta1) * g
                self.v[i] = beta2 * self.v[i] + (1 - beta2) * g * g
                m_hat = self.m[i] / (1 - beta1 ** self.t)
                v_hat = self.v[i] / (1 - beta2 ** self.t)
                w -= lr * decay * w
                w -= lr * m_hat / (np.sqrt(v_hat) + eps)
        return loss_sum / len(order), correct / len(order)


def mling_trainer(X: np.ndarray, y: np.ndarray, batch_size: int) -> train.Trainer:
    config = train.TrainConfig(batch_size=batch_size, epochs=10_000, patience=None, lr_patience=10_000)
    return train.Trainer(X, y, X[:256], y[:256], config)


def seconds(run, clock=time.process_time) -> float:
    """How long run() takes: CPU time of this process by default, so other programs on a busy
    machine disturb the comparison less (one BLAS thread: CPU time is the time of the work)."""
    started = clock()
    run()
    return clock() - started


def compare(X: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> tuple[float, float, float]:
    """Median samples/s of MLing and of the reference, epochs taken in turn, and the median ratio."""
    reference, trainer = Reference(X, y), mling_trainer(X, y, batch_size)
    rng = np.random.default_rng(1)
    ours, theirs = [], []
    for _ in range(epochs):
        theirs.append(len(y) / seconds(lambda: reference.epoch(rng.permutation(len(y)), batch_size)))
        ours.append(len(y) / seconds(trainer.run_epoch))
    return float(np.median(ours)), float(np.median(theirs)), float(np.median(np.divide(ours, theirs)))


def predict_milliseconds(repeats: int) -> float:
    """Time to turn a 400x400 drawing into a prediction (conversion + forward pass), median."""
    import run
    from mling.images import draw_stroke, to_network_input

    canvas = np.zeros((400, 400), dtype=np.float32)
    draw_stroke(canvas, [(120, 80), (280, 80), (180, 330)], 14)
    model = run.Model(network.init_params(network.LAYER_SIZES, np.random.default_rng(0)))
    times = [seconds(lambda: run.predict(model, to_network_input(canvas)), time.perf_counter) for _ in range(repeats)]
    return float(np.median(times)) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    epochs = 7 if args.quick else 25
    X, y = drawing_like(SAMPLES, np.random.default_rng(0))
    print(f"training 784-16-16-10 on {SAMPLES:,} samples, median of {epochs} epochs each (CPU time), "
          f"{os.cpu_count()} cores, one BLAS thread")
    with threadpool_limits(limits=1, user_api="blas"):   # what train.fit() does
        for batch_size in (train.BATCH_SIZE, 64):
            ours, reference, ratio = compare(X, y, batch_size, epochs)
            print(f"  batch {batch_size:>3}: MLing {ours:>9,.0f} samples/s, careful NumPy reference "
                  f"{reference:>9,.0f}: "
                  f"{ratio:.2f}x (target >= {TARGET_RATIO}x)"
                  + (f"; aim {AIM_SAMPLES_PER_SECOND:,}" if batch_size == train.BATCH_SIZE else ""))
    trainer = mling_trainer(X, y, train.BATCH_SIZE)
    every_thread = np.median([SAMPLES / seconds(trainer.run_epoch, time.perf_counter)    # wall time: threads
                              for _ in range(max(3, epochs // 5))])
    print(f"  batch 128, BLAS free to use every core: {every_thread:>9,.0f} samples/s (why train.fit() asks for one)")
    print(f"predict one drawing (400x400 canvas -> 28x28 -> network): {predict_milliseconds(200):.3f} ms (target <= 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
