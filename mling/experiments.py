"""Experiment cards: ask a question, predict the answer, then let two trainings answer it.

A card is data: a question ("If I delete half the 7s, will 7 and 1 be confused more?"), the
three answers a learner can predict (more / less / about the same), and how to make variant A
(usually MLing as it is) and variant B (the change). Running a card trains A and B on the SAME
held-out split: the held-out drawings are chosen once, before any change, and no variant ever
touches them, so the two scores compare like with like.

    card = experiments.CARDS["half_the_sevens"]
    problem = card.problem(data)                  # None, or why this data cannot run it
    result = experiments.run_card(card, data, prediction="confused more",
                                  on_progress=print, stop_event=stop)
    result.answer                                 # one plain sentence, compared with the prediction
    result.a.history, result.b.history            # EpochStats per epoch: overlay the curves
    result.confusion_difference                   # (10, 10) B minus A

Experiments learn from the original drawings (not the augmented copies kept in data.json), at
most MAX_TRAINING_DRAWINGS of them, for a fixed number of epochs without early stopping (so both
curves have the same length): each built-in card finishes in a few seconds on two cores.

Whether B differs from A is decided on the held-out drawings with a paired count: `changed_for_b`
drawings where B has the counted thing (e.g. right) and A does not, `changed_for_a` the other way
round. B differs when the two differ by more than twice the square root of their sum (McNemar's
test at about 95%: a bigger gap rarely comes from luck alone) and by at least the card's smallest
change (two trainings with different random seeds differ by about 0.5% of the held-out drawings).
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

import run
import train
from mling import store
from mling.network import Parameters
from mling.pixels import IMAGE_PIXELS, IMAGE_SIDE

EXPERIMENT_EPOCHS = 30          # epochs per variant: enough for the curves to level off on the starter set
MAX_TRAINING_DRAWINGS = 20_000  # a bigger training set is sampled down to this, to finish in seconds
HELD_OUT_SHARE = train.VAL_SPLIT  # share of each digit's drawings held out (the same as training uses)
SEED = 0                        # the same seed: the same split, the same starting weights, the same changes
SMALLEST_ACCURACY_CHANGE = 0.01  # "about the same" below this share of the held-out drawings...
SMALLEST_COUNT_CHANGE = 3       # ...and below this many drawings
LUCK_FACTOR = 2.0               # a paired difference beyond LUCK_FACTOR * sqrt(changed) is not luck (~95%)
OWN_SOURCE = "drawn"            # the learner's own drawings
MIN_OWN_DRAWINGS = 20           # the own-drawings card needs at least this many (about 2 of each digit)

ProgressCallback = Callable[["Progress"], None]


class ExperimentError(Exception):
    """An experiment cannot run on this data; the message is one line that says why and what to do."""


@dataclass(frozen=True)
class Progress:
    """How far a long run is, for a progress bar and live curves (experiments and writers.py)."""
    part: str                     # what is training now: "A", "B", or a writer's name
    part_index: int               # 0 for the first part
    parts: int                    # how many parts the whole run trains
    epoch: int                    # epochs finished in this part
    epochs: int                   # epochs planned for this part
    stats: train.EpochStats | None = None   # the epoch just finished (None: a part starts)

    @property
    def fraction(self) -> float:
        """Share of the whole run done, 0..1."""
        return (self.part_index + self.epoch / max(self.epochs, 1)) / max(self.parts, 1)

    @property
    def text(self) -> str:
        """e.g. "B: epoch 12 of 30"."""
        return f"{self.part}: epoch {self.epoch} of {self.epochs}"


class FixedSamples:
    """What train.split_indices and the cards read of a store: its samples, as one fixed list.

    A long run takes this snapshot first, so a drawing saved meanwhile (the window stays usable)
    cannot shift the positions it works with.
    """

    def __init__(self, samples: list[store.Sample]):
        self.samples = list(samples)


# --- the training set a variant starts from and changes ------------------------------------

@dataclass(frozen=True)
class TrainingSet:
    """The drawings one variant learns from: X (n, 784) float32 in [0, 1], y (n,) digits.

    `origin` (n,) says where each row came from ("starter", "drawn", ...), `positions` (n,) its
    place in data.samples (-1 for a copy made in memory).
    """
    X: np.ndarray
    y: np.ndarray
    origin: np.ndarray
    positions: np.ndarray

    def __len__(self) -> int:
        return len(self.y)

    def rows(self, rows: np.ndarray) -> TrainingSet:
        """The training set with only these rows (an index array or a boolean mask)."""
        return TrainingSet(self.X[rows], self.y[rows], self.origin[rows], self.positions[rows])


def drop_share_of_digit(training: TrainingSet, rng: np.random.Generator, digit: int, share: float) -> TrainingSet:
    """Without `share` of the drawings of `digit` (chosen at random)."""
    of_digit = np.flatnonzero(training.y == digit)
    dropped = rng.choice(of_digit, size=int(round(len(of_digit) * share)), replace=False)
    keep = np.ones(len(training), dtype=bool)
    keep[dropped] = False
    return training.rows(keep)


def keep_share(training: TrainingSet, rng: np.random.Generator, share: float) -> TrainingSet:
    """Only `share` of the drawings (at least one), chosen at random."""
    count = max(1, int(round(len(training) * share)))
    return training.rows(np.sort(rng.choice(len(training), size=count, replace=False)))


def with_augmented_copies(training: TrainingSet, rng: np.random.Generator, copies: int) -> TrainingSet:
    """Plus `copies` moved, turned, scaled, slanted and re-inked copies of every drawing (add_noise.py's)."""
    import add_noise  # the one home of the augmentation; imported only when a card needs it

    made = add_noise.make_copies(training.X.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), copies, rng).reshape(-1, IMAGE_PIXELS)
    return TrainingSet(np.concatenate([training.X, made.astype(np.float32)]),
                       np.concatenate([training.y, np.repeat(training.y, copies)]),
                       np.concatenate([training.origin, np.repeat(training.origin, copies)]),
                       np.concatenate([training.positions, np.full(len(made), -1, dtype=np.int64)]))


def with_wrong_labels(training: TrainingSet, rng: np.random.Generator, share: float) -> TrainingSet:
    """`share` of the drawings (chosen at random) get a wrong label: any other digit, at random."""
    wrong = rng.choice(len(training), size=int(round(len(training) * share)), replace=False)
    y = training.y.copy()
    y[wrong] = (y[wrong] + rng.integers(1, 10, size=len(wrong))) % 10   # +1..9 (mod 10) is never the same digit
    return replace(training, y=y)


def only_sources(training: TrainingSet, rng: np.random.Generator, sources: tuple[str, ...]) -> TrainingSet:
    """Only drawings from these sources, each once (no extra weight: there is nothing to outweigh)."""
    del rng  # every variant change takes one; this one needs no randomness
    chosen = np.flatnonzero(np.isin(training.origin, list(sources)))
    _, first = np.unique(training.positions[chosen], return_index=True)
    return training.rows(chosen[np.sort(first)])


# --- what a card counts on the held-out drawings -------------------------------------------

@dataclass(frozen=True)
class Number:
    """One number that answers the question, for A and for B (the values and how to show them)."""
    label: str
    a: float
    b: float
    a_text: str
    b_text: str


@dataclass(frozen=True)
class Measure:
    """What a card counts on the held-out drawings: right answers, or one kind of mix-up.

    `mixed_up` (two digits): count the held-out drawings of either digit read as the other;
    None: count the drawings read right.
    """
    mixed_up: tuple[int, int] | None = None

    def events(self, labels: np.ndarray, guesses: np.ndarray) -> np.ndarray:
        """(n,) bool: which held-out drawings count."""
        if self.mixed_up is None:
            return guesses == labels
        first, second = self.mixed_up
        return ((labels == first) & (guesses == second)) | ((labels == second) & (guesses == first))

    def smallest_change(self, held_out: int) -> int:
        """A smaller difference between A and B counts as "about the same"."""
        if self.mixed_up is None:
            return max(SMALLEST_COUNT_CHANGE, math.ceil(SMALLEST_ACCURACY_CHANGE * held_out))
        return SMALLEST_COUNT_CHANGE

    def sentence(self, a: int, b: int, held_out: int) -> str:
        """The counts in words: "B got 1,082 of the 1,200 held-out drawings right and A got 1,133"."""
        if self.mixed_up is None:
            return f"B got {b:,} of the {held_out:,} held-out drawings right and A got {a:,}"
        first, second = self.mixed_up
        return f"B mixed up {first} and {second} in {b:,} of the {held_out:,} held-out drawings and A in {a:,}"

    def numbers(self, a: run.Evaluation, b: run.Evaluation) -> list[Number]:
        """The rows of numbers beyond accuracy that this measure adds (the mix-ups and both digits' scores)."""
        if self.mixed_up is None:
            return []
        first, second = self.mixed_up
        rows = [_count_row(f"{first} and {second} mixed up",
                           a.confusion[first, second] + a.confusion[second, first],
                           b.confusion[first, second] + b.confusion[second, first])]
        for digit in self.mixed_up:
            rows.append(_share_row(f"{digit}s read right", a.confusion[digit, digit], b.confusion[digit, digit],
                                   a.confusion[digit].sum()))
        return rows


def _count_row(label: str, a: float, b: float) -> Number:
    return Number(label, float(a), float(b), f"{int(a):,}", f"{int(b):,}")


def _share_row(label: str, a: int, b: int, total: int) -> Number:
    def text(count: int) -> str:
        return f"{count:,} of {total:,}" + (f" ({count / total:.1%})" if total else "")
    return Number(label, float(a) / max(total, 1), float(b) / max(total, 1), text(int(a)), text(int(b)))


RIGHT_ANSWERS = Measure()
ACCURACY_CHOICES = ("more right", "fewer right", "about the same")   # B compared with A: more / less / same


# --- the cards -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Variant:
    """How to make one side of an experiment from the shared training set."""
    description: str                       # in words: "all the training drawings"
    change: Callable[[TrainingSet, np.random.Generator], TrainingSet] | None = None  # None: as it is
    settings: dict = field(default_factory=dict)   # TrainConfig fields to change, e.g. {"hidden": (4, 16)}


AS_IT_IS = Variant("MLing as it is: all the training drawings, the usual settings")


@dataclass(frozen=True)
class ExperimentCard:
    """A question, the answers to predict, and the two variants that answer it."""
    key: str
    title: str                             # short, for a list of cards
    question: str
    choices: tuple[str, str, str]          # what to predict: B gives (more, less, about the same)
    a: Variant
    b: Variant
    measure: Measure = RIGHT_ANSWERS
    epochs: int = EXPERIMENT_EPOCHS
    held_out_sources: tuple[str, ...] | None = None   # hold out only drawings of these sources (None: all)
    needs_own_drawings: bool = False
    note: str = ""                         # what else to know, e.g. the limits that keep it quick

    @property
    def how_it_runs(self) -> str:
        """What the card does to finish quickly, for the learner to know."""
        return (f"Trains A and B for {self.epochs} epochs each, on the original drawings (no augmented copies "
                f"from data.json; at most {MAX_TRAINING_DRAWINGS:,} of them).")

    def problem(self, data: store.DataStore | FixedSamples) -> str | None:
        """None if this card can run on `data`, else one line saying why not and what to do."""
        samples = data.samples
        origin = train.origin_sources(samples)
        originals = np.array([not sample.is_copy for sample in samples], dtype=bool)
        labels = np.fromiter((sample.label for sample in samples), dtype=np.int64, count=len(samples))
        if self.needs_own_drawings:
            own = originals & (origin == OWN_SOURCE)
            if own.sum() < MIN_OWN_DRAWINGS or len(np.unique(labels[own])) < 2:
                return (f"this experiment needs at least {MIN_OWN_DRAWINGS} of your own drawings of several digits "
                        f"(there are {int(own.sum())}); draw some first")
            if not (originals & (origin != OWN_SOURCE)).any():
                return "this experiment compares your drawings with the starter set, but there is no starter set here"
        counts = np.bincount(labels[originals], minlength=10)
        if counts.sum() < train.MIN_SAMPLES or np.count_nonzero(counts >= 2) < 2:
            return f"there are only {int(counts.sum())} drawings; draw or import a few of each digit first"
        if self.measure.mixed_up is not None:
            few = [digit for digit in self.measure.mixed_up if counts[digit] < 4]
            if few:
                return f"this experiment needs at least 4 drawings of the digit {few[0]}; draw some more"
        return None


CARDS: dict[str, ExperimentCard] = {card.key: card for card in (
    ExperimentCard(
        "half_the_sevens", "Half the 7s",
        "If I delete half the 7s it learns from, will 7 and 1 be confused more?",
        ("confused more", "confused less", "no clear change"),
        AS_IT_IS,
        Variant("the same drawings without half of the 7s (chosen at random)",
                partial(drop_share_of_digit, digit=7, share=0.5)),
        measure=Measure(mixed_up=(7, 1)),
        note="The answer depends on how many 7s there are: with hundreds, half of them may still be plenty."),
    ExperimentCard(
        "smaller_hidden_layer", "Fewer neurons",
        "If the first hidden layer has 4 neurons instead of 16, will it get more drawings right, fewer, or "
        "about the same?",
        ACCURACY_CHOICES, AS_IT_IS,
        Variant("the same drawings, a first hidden layer of 4 neurons", settings={"hidden": (4, 16)})),
    ExperimentCard(
        "fewer_drawings", "Fewer drawings",
        "If it learns from only 1 in 10 of the drawings, will it get more right, fewer, or about the same?",
        ACCURACY_CHOICES, AS_IT_IS,
        Variant("1 in 10 of the training drawings (chosen at random)", partial(keep_share, share=0.1))),
    ExperimentCard(
        "augmented_copies", "Moved and turned copies",
        "If it also practises on 3 moved, turned and re-inked copies of every drawing, will it get more "
        "right, fewer, or about the same?",
        ACCURACY_CHOICES, AS_IT_IS,
        Variant("the same drawings plus 3 augmented copies of each (made in memory, like add_noise.py)",
                partial(with_augmented_copies, copies=3)),
        note="B learns from four times as many pictures, so it takes about four times as long as A."),
    ExperimentCard(
        "bigger_learning_rate", "Bigger steps",
        "If every learning step is 100 times bigger (learning rate 0.1 instead of 0.001), will it get more "
        "right, fewer, or about the same?",
        ACCURACY_CHOICES, AS_IT_IS,
        Variant("the same drawings, learning rate 0.1", settings={"learning_rate": 0.1}),
        note="Look at B's curve too: big steps make it jump up and down."),
    ExperimentCard(
        "wrong_labels", "Wrong labels",
        "If 3 in 10 of the drawings it learns from have a wrong label, will it get more right, fewer, or "
        "about the same? (The held-out drawings keep their right labels.)",
        ACCURACY_CHOICES, AS_IT_IS,
        Variant("the same drawings, 3 in 10 of them with a wrong label (chosen at random)",
                partial(with_wrong_labels, share=0.3))),
    ExperimentCard(
        "only_my_drawings", "Only my drawings",
        "If it learns only from your own drawings, without the starter set, will it read your handwriting "
        "better (more right), worse (fewer right), or about the same?",
        ACCURACY_CHOICES,
        Variant("your drawings and the starter set (and any imported ones), as MLing trains"),
        Variant("only your own drawings", partial(only_sources, sources=(OWN_SOURCE,))),
        held_out_sources=(OWN_SOURCE,), needs_own_drawings=True,
        note="Both are tested on your own held-out drawings only; it needs some drawings of your own."),
)}


# --- running a card ------------------------------------------------------------------------

@dataclass
class VariantRun:
    """One side of an experiment after training."""
    variant: Variant
    history: list[train.EpochStats]        # per epoch: overlay A's and B's curves
    evaluation: run.Evaluation | None      # on the held-out drawings (None: stopped before it finished)
    training_drawings: int                 # pictures it learned from (repeats and copies included)
    seconds: float
    result: train.TrainResult | None = None   # the training itself (params, how it ended)

    @property
    def confusion(self) -> np.ndarray | None:
        """(10, 10) held-out counts: row = the right digit, column = the network's answer."""
        return None if self.evaluation is None else self.evaluation.confusion


@dataclass
class ExperimentResult:
    """Both trainings, the numbers that answer the card's question, and the answer in one sentence."""
    card: ExperimentCard
    prediction: str | None
    a: VariantRun
    b: VariantRun | None                   # None: stopped before B started
    held_out_ids: list[str]                # the same held-out drawings for A and B
    outcome: str | None = None             # one of card.choices (None: stopped)
    answer: str = ""                       # one plain sentence
    numbers: list[Number] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # e.g. the training set was sampled down
    stopped: bool = False

    @property
    def confusion_difference(self) -> np.ndarray | None:
        """(10, 10) B's held-out counts minus A's: positive where B made that answer more often."""
        if self.b is None or self.a.confusion is None or self.b.confusion is None:
            return None
        return self.b.confusion - self.a.confusion


def run_card(card: ExperimentCard, data: store.DataStore | FixedSamples, prediction: str | None,
             config: train.TrainConfig | None = None, on_progress: ProgressCallback | None = None,
             stop_event: threading.Event | None = None, seed: int = SEED) -> ExperimentResult:
    """Train A and B on the same held-out split and answer the card's question.

    `prediction` is the learner's choice from card.choices, made before running (None: none made).
    `config` holds the other settings (default: train.py's); the card sets the epochs, turns early
    stopping off and applies its variants' settings (the card, not config, decides the data: its
    sources and augmentation settings are not used). `on_progress` is called when a part starts and
    after every epoch; setting `stop_event` ends the run after the current batch (result.stopped).
    Raises ExperimentError when the data cannot run the card.
    """
    if prediction is not None and prediction not in card.choices:
        raise ValueError(f"prediction {prediction!r} is not one of {', '.join(card.choices)}")
    data = FixedSamples(data.samples)
    problem = card.problem(data)
    if problem is not None:
        raise ExperimentError(problem)
    base = replace(config or train.TrainConfig(), epochs=card.epochs, patience=None, seed=seed)
    training, held_out = held_out_split(data, card.held_out_sources, base.own_weight, seed)
    X_val, y_val = data_arrays(data.samples, held_out)
    start_set = training_set(data.samples, training)
    notes = []
    if len(start_set) > MAX_TRAINING_DRAWINGS:
        notes.append(f"learned from {MAX_TRAINING_DRAWINGS:,} of the {len(start_set):,} training drawings "
                     "(chosen at random) to finish in seconds")
        start_set = keep_share(start_set, np.random.default_rng(seed), MAX_TRAINING_DRAWINGS / len(start_set))
    runs: list[VariantRun] = []
    for index, (name, variant) in enumerate((("A", card.a), ("B", card.b))):
        if stop_event is not None and stop_event.is_set():
            break
        changed = start_set if variant.change is None else variant.change(start_set, np.random.default_rng(seed + 1))
        config_here = replace(base, **variant.settings)
        runs.append(train_variant(variant, changed, X_val, y_val, config_here, _part_reporter(
            on_progress, name, index, 2, config_here.epochs), stop_event))
        if runs[-1].evaluation is None:
            break
    result = ExperimentResult(card, prediction, runs[0] if runs else _not_run(card.a),
                              runs[1] if len(runs) > 1 else None, [data.samples[i].id for i in held_out], notes=notes)
    if result.b is None or result.b.evaluation is None or result.a.evaluation is None:
        result.stopped = True
        result.answer = "Stopped before both trainings finished, so there is nothing to compare yet."
        return result
    answer(result, y_val)
    return result


def held_out_split(data: store.DataStore | FixedSamples, held_out_sources: tuple[str, ...] | None, own_weight: int,
                   seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """(training positions, held-out positions) in data.samples, chosen before any variant changes anything.

    train.split_indices holds out the same share of every digit (of `held_out_sources` only, if
    given); augmented copies are left out of both (experiments learn from originals), and each of
    the learner's own drawings counts `own_weight` times when mixed with others, as in training.
    """
    training, held_out = train.split_indices(data, HELD_OUT_SHARE, np.random.default_rng(seed),
                                             held_out_sources, own_weight=1)
    samples = data.samples
    if held_out_sources is not None:   # the drawings of other sources all train
        origin = train.origin_sources(samples)
        others = np.flatnonzero(~np.isin(origin, list(held_out_sources)))
        training = np.sort(np.concatenate([training, others]))
    training = training[np.array([not samples[i].is_copy for i in training], dtype=bool)]
    origin = train.origin_sources(samples)[training] if len(training) else np.zeros(0, dtype=object)
    own = origin == OWN_SOURCE
    if own_weight > 1 and own.any() and not own.all():
        training = np.repeat(training, np.where(own, own_weight, 1))
    return training.astype(np.int64), held_out.astype(np.int64)


def data_arrays(samples: list[store.Sample], positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The samples at `positions` as X (n, 784) float32 in [0, 1] and y (n,) int64."""
    pixels = b"".join([samples[i].pixels for i in positions])
    X = store.bytes_to_images(pixels, len(positions))
    y = np.fromiter((samples[i].label for i in positions), dtype=np.int64, count=len(positions))
    return X, y


def training_set(samples: list[store.Sample], positions: np.ndarray) -> TrainingSet:
    """The samples at `positions` as a TrainingSet."""
    X, y = data_arrays(samples, positions)
    origin = train.origin_sources(samples)[positions] if len(positions) else np.zeros(0, dtype=object)
    return TrainingSet(X, y, origin, np.asarray(positions, dtype=np.int64))


def train_variant(variant: Variant, training: TrainingSet, X_val: np.ndarray, y_val: np.ndarray,
                  config: train.TrainConfig, on_epoch: Callable[[train.EpochStats], None] | None,
                  stop_event: threading.Event | None) -> VariantRun:
    """Train one variant and score it on the held-out drawings (no score if it was stopped)."""
    started = time.perf_counter()
    result = train.fit(training.X, training.y, X_val, y_val, config, on_epoch=on_epoch, stop_event=stop_event)
    evaluation = None
    if not (result.interrupted and stop_event is not None and stop_event.is_set()):
        evaluation = run.evaluate(run.Model(final_weights(result)), X_val, y_val)
    return VariantRun(variant, result.history, evaluation, len(training), time.perf_counter() - started, result)


def final_weights(result: train.TrainResult) -> Parameters:
    """The weights after the last epoch: the best epoch was picked by looking at the held-out
    drawings, so scoring it on them again would flatter it (and hide a jumpy last epoch)."""
    last = result.history[-1].params if result.history else None
    return result.params if last is None else last


def _part_reporter(on_progress: ProgressCallback | None, part: str, index: int, parts: int,
                   epochs: int) -> Callable[[train.EpochStats], None] | None:
    """An on_epoch callback that reports Progress for one part (and says the part has started)."""
    if on_progress is None:
        return None
    on_progress(Progress(part, index, parts, 0, epochs))
    return lambda stats: on_progress(Progress(part, index, parts, stats.epoch, epochs, stats))


def _not_run(variant: Variant) -> VariantRun:
    return VariantRun(variant, [], None, 0, 0.0)


def compare_counts(a_events: np.ndarray, b_events: np.ndarray, smallest_change: int) -> str:
    """"more", "less" or "same": does B have the counted thing on clearly more held-out drawings than A?

    A paired comparison on the same drawings: only drawings where A and B disagree can tell them
    apart. B differs when the gap is at least `smallest_change` and bigger than LUCK_FACTOR times
    the square root of the number of disagreements (McNemar's test).
    """
    gained = int(np.count_nonzero(b_events & ~a_events))
    lost = int(np.count_nonzero(a_events & ~b_events))
    gap = gained - lost
    if abs(gap) < smallest_change or abs(gap) <= LUCK_FACTOR * math.sqrt(gained + lost):
        return "same"
    return "more" if gap > 0 else "less"


def answer(result: ExperimentResult, y_val: np.ndarray) -> None:
    """Fill in result.numbers, result.outcome and result.answer from both evaluations."""
    card, a, b = result.card, result.a.evaluation, result.b.evaluation
    a_events = card.measure.events(y_val, a.predictions)
    b_events = card.measure.events(y_val, b.predictions)
    direction = compare_counts(a_events, b_events, card.measure.smallest_change(len(y_val)))
    result.outcome = card.choices[("more", "less", "same").index(direction)]
    result.numbers = [
        _count_row("pictures it learned from", result.a.training_drawings, result.b.training_drawings),
        _share_row("held-out drawings read right", a.correct, b.correct, len(y_val)),
        *card.measure.numbers(a, b),
        Number("best epoch", result.a.result.best_epoch, result.b.result.best_epoch,
               str(result.a.result.best_epoch), str(result.b.result.best_epoch)),
        Number("seconds", result.a.seconds, result.b.seconds, f"{result.a.seconds:.1f}", f"{result.b.seconds:.1f}"),
    ]
    counts = card.measure.sentence(int(a_events.sum()), int(b_events.sum()), len(y_val))
    said = f"{counts}: {result.outcome}"
    if direction == "same":
        said += " (a difference this small can come from luck alone)"
    if result.prediction is None:
        result.answer = f"{said}."
    elif result.prediction == result.outcome:
        result.answer = f"{said} - just as you predicted!"
    else:
        result.answer = f"{said} - you predicted \"{result.prediction}\"."
