"""Try a recipe for the shipped model in memory and score it on the real development sets.

The shipped model is made by three commands (make_starter -> add_noise.py -> train.py); this
script does the same three steps without writing data.json, so settings can be compared fast:
draw the starter set, make augmented copies with given strengths, hold out 15% of the drawings
per digit as train.py does (copies follow their original), train with train.fit, and report
the accuracy on the development sets of starter/evaluate_real.py (never the test sets).
Optionally a larger "teacher" network is trained first and the 784-16-16-10 "student" learns
the teacher's probabilities (distillation).

Run it with the evaluation venv (see starter/evaluate_real.py), from the repository folder:

    /tmp/mling-eval/bin/python -m starter.tune --copies 20 --log /tmp/tune.log
    /tmp/mling-eval/bin/python -m starter.tune --per-digit 1600 --copies 10 --rotation 15
    /tmp/mling-eval/bin/python -m starter.tune --teacher 256 128 --save /tmp/candidate.npz

    /tmp/mling-eval/bin/python -m starter.tune --repeats 3 --generator '{"templates.SLANT_SPREAD": 0.35}'

--generator changes generator settings by name ("templates.X", "make_starter.X", or a form's
weight as "weights.9.straight"); --repeats N trains N times with other training and
augmentation seeds and reports the mean and spread (one training varies by about 0.6 points on
mnist-train). --smoothing, --mixup, --average-last and --cutout try other training recipes.
Drawn starter sets, converted dev sets and teachers are cached in --cache (default
/tmp/mling-tune) so a second run with the same generator code starts training at once.

What was tried (mnist-train accuracy of the 784-16-16-10 network; the shipped recipe, 8,000
drawings, 20 copies and train.py's defaults, scores 89.0% +- 0.7 over 3 trainings). Nothing
beat it by more than the spread:
    generator: warp 0.12 88.1, control-point jitter 0.04 88.6, rotation 6 deg 87.5, slant
      spread 0.35 89.3, thinner pen 88.8 (3 runs), parameters drawn from the middle of their
      ranges 88.1, per-digit slant matched to MNIST 88.3, pen pressure varying along a stroke
      89.6 (0.25) / 86.9 (0.5), 2,000 drawings a digit with 8 copies 89.2, form weights 88.4-88.7
    augmentation: stronger affine 88.6, thicker pens 88.4, no sparse noise 88.9, 40 copies 89.4,
      cutout 87.6-88.3
    training: weight decay 0.02 87.7, 0.3 87.9, 0.6 86.9, 1.0 82.9; lr 0.003 with batches of 64
      89.2; more patience 88.6; label smoothing 0.1 88.1; mixup 0.2 88.2; averaging the last 10
      epochs 88.7
    distillation: teachers trained on the starter set read real digits far better (128-64:
      91.4%, 256-128: 92.7%), but 16-16 students of them score 88.0-89.7 (T = 1, 2, 3, with
      and without strongly augmented extra inputs): the small network, not the drawings, is
      what holds it back.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

import add_noise
import train
from mling import network, optimizers
from starter import evaluate_real, make_starter, templates

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path("/tmp/mling-tune")


@dataclass
class Augmentation:
    """Strengths of add_noise.py's augmentation (its defaults unless changed)."""
    copies: int = 20
    seed: int = add_noise.DEFAULT_SEED
    max_shift: float = add_noise.MAX_SHIFT
    max_rotation_degrees: float = add_noise.MAX_ROTATION_DEGREES
    scale_range: tuple[float, float] = add_noise.SCALE_RANGE
    max_shear: float = add_noise.MAX_SHEAR
    max_thicker: float = add_noise.MAX_THICKER
    max_thinner: float = add_noise.MAX_THINNER
    noise_fraction: float = add_noise.NOISE_FRACTION
    noise_strength: float = add_noise.NOISE_STRENGTH
    cutout: float = 0.0                 # share of copies that get a square of ink wiped out ...
    cutout_size: int = 6                # ... this many pixels a side, somewhere on the digit


@dataclass
class Recipe:
    per_digit: int = make_starter.PER_DIGIT
    seed: int = make_starter.SEED
    augmentation: Augmentation = field(default_factory=Augmentation)
    train: dict = field(default_factory=dict)          # TrainConfig fields that differ from train.py's
    teacher: tuple[int, ...] | None = None             # hidden sizes of a teacher network, or None
    temperature: float = 1.0                           # teacher probabilities ** (1 / T), renormalised
    generator: dict = field(default_factory=dict)      # generator settings changed (apply_overrides)
    smoothing: float = 0.0                             # label smoothing: targets (1 - e) one-hot + e / 10
    average_last: int = 0                              # average the weights of the last N epochs (SWA)
    mixup: float = 0.0                                 # mixup's Beta(a, a) parameter; 0: no mixup
    transfer_copies: int = 0                           # extra, strongly augmented copies the student
                                                       # learns the teacher's answers on


# --- Data -------------------------------------------------------------------------------------
def generator_fingerprint() -> str:
    """A short hash of the generator's code: a changed template makes a new cache entry."""
    digest = hashlib.sha256()
    for name in ("templates.py", "make_starter.py"):
        digest.update((ROOT / "starter" / name).read_bytes())
    digest.update((ROOT / "mling" / "images.py").read_bytes())
    return digest.hexdigest()[:12]


def apply_overrides(overrides: dict) -> None:
    """Set generator constants by name, e.g. {"templates.WARP_AMPLITUDE": 0.1} (for experiments)."""
    modules = {"templates": templates, "make_starter": make_starter}
    for key, value in overrides.items():
        module, name = key.split(".", 1)
        if module == "weights":                        # "weights.9.straight": a form's weight
            digit, form = name.split(".", 1)
            forms = templates.DIGIT_FORMS[int(digit)]
            if form not in [entry[0] for entry in forms]:
                raise SystemExit(f"error: {key}: no such form")
            forms[:] = [(n, value if n == form else w, t) for n, w, t in forms]
            continue
        if not hasattr(modules[module], name):
            raise SystemExit(f"error: {key}: no such setting")
        setattr(modules[module], name, tuple(value) if isinstance(value, list) else value)


def starter_set(per_digit: int, seed: int, cache: Path, overrides: dict | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """make_starter.generate(per_digit, seed), cached; images rounded to bytes as data.json keeps them.

    `overrides` changes generator settings first, in every drawing process (see apply_overrides).
    """
    overrides = overrides or {}
    tag = hashlib.sha256(json.dumps(overrides, sort_keys=True).encode()).hexdigest()[:8] if overrides else "0"
    path = cache / f"starter-{generator_fingerprint()}-{tag}-{per_digit}-{seed}.npz"
    if path.exists():
        with np.load(path) as saved:
            return saved["images"].astype(np.float32) / 255.0, saved["labels"]
    labels = np.repeat(np.arange(10, dtype=np.int64), per_digit)
    labels = labels[np.random.default_rng(seed).permutation(len(labels))]
    seeds = np.random.SeedSequence(seed).spawn(len(labels))
    jobs = make_starter.JOBS
    bounds = np.linspace(0, len(labels), jobs + 1).astype(int)
    chunks = [(labels[a:b], seeds[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=apply_overrides, initargs=(overrides,)) as pool:
        images = np.concatenate(list(pool.map(make_starter.draw_digits, *zip(*chunks))))
    as_bytes = np.round(images * 255.0).astype(np.uint8)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, images=as_bytes, labels=labels, overrides=json.dumps(overrides))
    return as_bytes.astype(np.float32) / 255.0, labels


def dev_sets(cache: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The development sets of evaluate_real.py as X (n, 784), y (n,), converted once and cached."""
    sets = {}
    for name in evaluate_real.DEV_SETS:
        path = cache / f"real-{name}.npz"
        if not path.exists():
            images, labels = evaluate_real.LOADERS[name]()
            cache.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, images=images, labels=labels)
        with np.load(path) as saved:
            sets[name] = saved["images"].reshape(len(saved["labels"]), -1), saved["labels"]
    return sets


def augment(images: np.ndarray, rng: np.random.Generator, settings: Augmentation) -> np.ndarray:
    """add_noise.augment with the given strengths: affine, then pen width, then sparse noise."""
    warped = add_noise.random_affine(images, rng, settings.max_shift, settings.max_rotation_degrees,
                                     settings.scale_range, settings.max_shear)
    inked = add_noise.change_stroke_width(warped, rng, settings.max_thicker, settings.max_thinner)
    noisy = add_noise.add_sparse_noise(inked, rng, settings.noise_fraction, settings.noise_strength)
    if settings.cutout:
        noisy = wipe_squares(noisy, rng, settings.cutout, settings.cutout_size)
    return noisy


def wipe_squares(images: np.ndarray, rng: np.random.Generator, share: float, size: int) -> np.ndarray:
    """Wipe a size x size square of ink in `share` of the images, centred on a random inked pixel."""
    out = images.copy()
    chosen = np.flatnonzero(rng.random(len(out)) < share)
    for index in chosen:
        rows, cols = np.nonzero(out[index] > 0.5)
        if len(rows) == 0:
            continue
        pick = rng.integers(len(rows))
        top, left = max(rows[pick] - size // 2, 0), max(cols[pick] - size // 2, 0)
        out[index, top:top + size, left:left + size] = 0.0
    return out


def validation_mask(labels: np.ndarray, val_split: float, seed: int) -> np.ndarray:
    """train.split_indices' choice for a store holding only these originals: (n,) bool."""
    rng = np.random.default_rng(seed)
    held_out = np.zeros(len(labels), dtype=bool)
    for digit in range(10):
        candidates = np.flatnonzero(labels == digit)
        count = int(round(len(candidates) * val_split))
        if val_split > 0 and len(candidates) >= 2:
            count = min(max(count, 1), len(candidates) - 1)
        held_out[rng.permutation(candidates)[:count]] = True
    return held_out


# --- Training -----------------------------------------------------------------------------------
def soft_targets(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Teacher probabilities softened by a temperature: p ** (1 / T), renormalised per row."""
    logits = np.log(np.clip(probabilities, network.PROBABILITY_FLOOR, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    soft = np.exp(logits)
    return (soft / soft.sum(axis=1, keepdims=True)).astype(network.DTYPE)


def distil(X: np.ndarray, targets: np.ndarray, X_val: np.ndarray, y_val: np.ndarray,
           config: train.TrainConfig, log, mixup: float = 0.0) -> network.Parameters:
    """Train the 784-16-16-10 network on target probabilities (n, 10) with train.py's Adam schedule.

    The same loop as train.fit (AdamW, gradient clipping, learning rate halved when the validation
    accuracy stalls, early stopping, best epoch kept), only the targets are probabilities.
    """
    rng = np.random.default_rng(config.seed)
    params = network.init_params(config.layer_sizes, rng)
    grads = params.zeros_like()
    optimizer = optimizers.Adam(params.flat.size, weight_decay=config.weight_decay)
    learning_rate, best, best_params = config.learning_rate, (-1.0, -math.inf), params.copy()
    since_best = since_change = 0
    with threadpool_limits(limits=1, user_api="blas"):
        for epoch in range(1, config.epochs + 1):
            order = rng.permutation(len(X))
            for start in range(0, len(order), config.batch_size):
                batch = order[start:start + config.batch_size]
                inputs, wanted = X[batch], targets[batch]
                if mixup:                      # blend each image (and its answer) with another's
                    share = rng.beta(mixup, mixup, size=(len(batch), 1)).astype(network.DTYPE)
                    other = rng.permutation(len(batch))
                    inputs = share * inputs + (1 - share) * inputs[other]
                    wanted = share * wanted + (1 - share) * wanted[other]
                activations = network.forward(params, inputs)
                network.backward(params, activations, wanted, grads)
                network.clip_by_global_norm(grads, config.clip_norm)
                optimizer.step(params.flat, grads.flat, learning_rate)
            val_loss, val_accuracy = train.evaluate(params, X_val, y_val)
            if (val_accuracy, -val_loss) > best:
                best, best_params, since_best, since_change = (val_accuracy, -val_loss), params.copy(), 0, 0
            else:
                since_best += 1
                since_change += 1
            if epoch % 10 == 0:
                log(f"  student epoch {epoch}: val {val_accuracy:.2%} lr {learning_rate:g}")
            if config.patience is not None and since_best >= config.patience:
                break
            if since_change >= config.lr_patience and learning_rate > train.MIN_LEARNING_RATE:
                learning_rate = max(learning_rate * config.lr_decay, train.MIN_LEARNING_RATE)
                since_change = 0
    return best_params


def run_recipe(recipe: Recipe, cache: Path = CACHE, log=print) -> tuple[network.Parameters, dict]:
    """Draw, augment, split, train (and distil); returns the model and its scores and times."""
    times = {}
    started = time.perf_counter()
    images, labels = starter_set(recipe.per_digit, recipe.seed, cache, recipe.generator)
    times["draw_or_cache"] = time.perf_counter() - started
    config = train.TrainConfig(**recipe.train)
    held_out = validation_mask(labels, config.val_split, config.seed)
    originals, original_labels = images[~held_out], labels[~held_out]

    # add_noise.py copies every drawing; train.py then drops the copies of held-out ones
    started = time.perf_counter()
    settings = recipe.augmentation
    copies = make_copies_with(images, settings)[np.repeat(~held_out, settings.copies)]
    times["augment"] = time.perf_counter() - started
    X = np.concatenate([originals, copies]).reshape(-1, 784)
    y = np.concatenate([original_labels, np.repeat(original_labels, settings.copies)])
    X_val, y_val = images[held_out].reshape(-1, 784), labels[held_out]
    del copies

    started = time.perf_counter()
    if recipe.teacher:
        # the teacher always trains with train.py's defaults, so one teacher serves many students
        teacher_config = train.TrainConfig(hidden=tuple(recipe.teacher), seed=recipe.train.get("seed", train.SEED))
        key = json.dumps([generator_fingerprint(), recipe.per_digit, recipe.seed, recipe.generator,
                          asdict(settings), asdict(teacher_config)], sort_keys=True, default=str)
        teacher_path = cache / f"teacher-{hashlib.sha256(key.encode()).hexdigest()[:12]}.npz"
        if teacher_path.exists():
            teacher, _ = network.load_model(teacher_path)
        else:
            teacher = train.fit(X, y, X_val, y_val, teacher_config).params
            network.save_model(teacher_path, teacher, {})
        times["teacher"] = time.perf_counter() - started
        if recipe.transfer_copies:
            strong = Augmentation(recipe.transfer_copies, settings.seed + 1000, 2.0, 20.0, (0.8, 1.2), 0.4,
                                  1.0, 0.5, settings.noise_fraction, settings.noise_strength)
            extra = make_copies_with(originals, strong).reshape(-1, 784)
            X = np.concatenate([X, extra])
            del extra
        targets = soft_targets(network.predict_probabilities(teacher, X), recipe.temperature)
        scores_teacher = score(teacher, dev_sets(cache))
        log(f"  teacher {recipe.teacher}: " + ", ".join(f"{k} {v['accuracy']:.2%}" for k, v in scores_teacher.items()))
        params = distil(X, targets, X_val, y_val, config, log)
    elif recipe.smoothing or recipe.mixup:
        targets = np.full((len(y), 10), recipe.smoothing / 10, dtype=network.DTYPE)
        targets[np.arange(len(y)), y] += 1.0 - recipe.smoothing
        params = distil(X, targets, X_val, y_val, config, log, recipe.mixup)
    else:
        kept: list[np.ndarray] = []
        result = train.fit(X, y, X_val, y_val, config, on_epoch=lambda stats: kept.append(stats.params.flat.copy()))
        params = result.params
        if recipe.average_last:
            averaged = params.copy()
            averaged.flat[...] = np.mean(kept[-recipe.average_last:], axis=0)
            log(f"  best epoch alone: {score(params, dev_sets(cache))['mnist-train']['accuracy']:.2%} on mnist-train")
            params = averaged
        times["epochs"] = len(result.history)
        times["best_epoch"] = result.best_epoch
    times["train"] = time.perf_counter() - started
    scores = score(params, dev_sets(cache))
    scores["starter-val"] = {"accuracy": train.evaluate(params, X_val, y_val)[1]}
    return params, {"scores": scores, "times": times}


def make_copies_with(images: np.ndarray, settings: Augmentation) -> np.ndarray:
    """(n, 28, 28) -> (n * copies, 28, 28): copy k of image i at row i * copies + k, made
    add_noise.BATCH rows at a time from one generator, as add_noise.copy_batches does."""
    rng = np.random.default_rng(settings.seed)
    repeated = np.repeat(np.arange(len(images)), settings.copies)
    out = np.empty((len(repeated), 28, 28), dtype=np.float32)
    for start in range(0, len(repeated), add_noise.BATCH):
        rows = repeated[start:start + add_noise.BATCH]
        out[start:start + len(rows)] = np.round(augment(images[rows], rng, settings) * 255.0) / 255.0
    return out


def score(params: network.Parameters, sets: dict) -> dict:
    """Accuracy and per-digit accuracy on each set."""
    scores = {}
    for name, (X, y) in sets.items():
        predicted = network.predict_probabilities(params, X).argmax(axis=1)
        per_digit = [float((predicted[y == d] == d).mean()) for d in range(10)]
        scores[name] = {"accuracy": float((predicted == y).mean()), "per_digit": per_digit}
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Try a starter-model recipe on the dev sets.")
    parser.add_argument("--name", default="run", help="a label for the log")
    parser.add_argument("--per-digit", type=int, default=make_starter.PER_DIGIT)
    parser.add_argument("--seed", type=int, default=make_starter.SEED)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--shift", type=float, default=add_noise.MAX_SHIFT)
    parser.add_argument("--rotation", type=float, default=add_noise.MAX_ROTATION_DEGREES)
    parser.add_argument("--scale", type=float, nargs=2, default=add_noise.SCALE_RANGE)
    parser.add_argument("--shear", type=float, default=add_noise.MAX_SHEAR)
    parser.add_argument("--thicker", type=float, default=add_noise.MAX_THICKER)
    parser.add_argument("--thinner", type=float, default=add_noise.MAX_THINNER)
    parser.add_argument("--noise", type=float, default=add_noise.NOISE_FRACTION)
    parser.add_argument("--cutout", type=float, nargs=2, default=(0.0, 6), metavar=("SHARE", "SIZE"))
    parser.add_argument("--train", type=json.loads, default={},
                        help='TrainConfig changes as JSON, e.g. \'{"weight_decay": 0.05}\'')
    parser.add_argument("--teacher", type=int, nargs="+", help="hidden sizes of a teacher network")
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--smoothing", type=float, default=0.0, help="label smoothing, e.g. 0.1")
    parser.add_argument("--mixup", type=float, default=0.0, help="mixup's Beta parameter, e.g. 0.2")
    parser.add_argument("--average-last", type=int, default=0, help="average the last N epochs' weights")
    parser.add_argument("--transfer-copies", type=int, default=0,
                        help="with --teacher: strongly augmented copies labelled by the teacher")
    parser.add_argument("--generator", type=json.loads, default={},
                        help='generator settings as JSON, e.g. \'{"templates.WARP_AMPLITUDE": 0.1}\'')
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--repeats", type=int, default=1,
                        help="train this many times with other training and augmentation seeds; report the mean")
    parser.add_argument("--log", type=Path, help="append the result as one JSON line here")
    parser.add_argument("--save", type=Path, help="save the model here")
    args = parser.parse_args(argv)
    augmentation = Augmentation(args.copies, add_noise.DEFAULT_SEED, args.shift, args.rotation,
                                tuple(args.scale), args.shear, args.thicker, args.thinner, args.noise,
                                add_noise.NOISE_STRENGTH, args.cutout[0], int(args.cutout[1]))
    recipe = Recipe(args.per_digit, args.seed, augmentation, args.train,
                    tuple(args.teacher) if args.teacher else None, args.temperature, args.generator,
                    args.smoothing, args.average_last, args.mixup, args.transfer_copies)
    runs = []
    for repeat in range(args.repeats):     # other training and augmentation seeds, same drawings
        again = replace(recipe, augmentation=replace(augmentation, seed=augmentation.seed + repeat),
                        train={**recipe.train, "seed": recipe.train.get("seed", train.SEED) + repeat})
        runs.append(run_recipe(again, args.cache))
    params, result = runs[0]
    if args.repeats > 1:
        for name, values in result["scores"].items():
            accuracies = [run[1]["scores"][name]["accuracy"] for run in runs]
            values["accuracy"], values["spread"] = float(np.mean(accuracies)), float(np.std(accuracies))
            if "per_digit" in values:
                values["per_digit"] = np.mean([run[1]["scores"][name]["per_digit"] for run in runs], axis=0).tolist()
    line = {"name": args.name, "generator": generator_fingerprint(), "recipe": asdict(recipe), **result}
    summary = ", ".join(f"{k} {v['accuracy']:.2%}" + (f" ±{v['spread']:.2%}" if "spread" in v else "")
                        for k, v in result["scores"].items())
    print(f"{args.name}: {summary}; times {json.dumps({k: round(v, 1) for k, v in result['times'].items()})}")
    for name, values in result["scores"].items():
        if "per_digit" in values:
            print(f"  {name} per digit: " + " ".join(f"{v:.0%}" for v in values["per_digit"]))
    if args.log:
        with open(args.log, "a") as handle:
            handle.write(json.dumps(line) + "\n")
    if args.save:
        network.save_model(args.save, params, {"recipe": asdict(recipe)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
