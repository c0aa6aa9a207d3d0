"""A class's data together: how well does the model read each person's handwriting?

When a class merges its data files (`python store.py merge ada.json ben.json`), every drawing
carries its author's name. Two questions follow:

    scores = writers.accuracy_by_author(params, summary, data.samples)
        # for each person: the share of their drawings the model reads right. Only drawings it did
        # not learn from count: the person's held-out drawings, or all of them if it never saw them.
    result = writers.leave_one_writer_out(data.samples, on_progress=..., stop_event=...)
        # for each person: train on everyone else, test on them. How well does it read
        # handwriting it has never seen? result.answer says it in one sentence.

Drawings without a name (the starter set, imports) are never tested as a writer; by default they
train every time, as they do in MLing. Like the experiments, leave-one-writer-out learns from the
original drawings (no augmented copies), at most experiments.MAX_TRAINING_DRAWINGS of them, for a
fixed number of epochs, picking the best epoch on a share of the OTHER writers' drawings: the
tested person's drawings are never looked at before the test.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

import run
import train
from mling import model_card, network, store
from mling.experiments import MAX_TRAINING_DRAWINGS, SEED, FixedSamples, Progress, ProgressCallback, data_arrays

WRITER_EPOCHS = 30              # epochs per left-out writer (a few seconds each on the starter set)
VALIDATION_SHARE = 0.1          # of the other writers' drawings, held out to pick the best epoch
CREATED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")   # the store's sample times, comparable as text


class WriterError(Exception):
    """Leave-one-writer-out cannot run on this data; the message is one line that says what to do."""


def authors_of(samples: Sequence[store.Sample]) -> np.ndarray:
    """(n,) who drew each sample (None: no name); an augmented copy has its original's author."""
    by_id = {sample.id: sample for sample in samples}
    authors = []
    for sample in samples:
        author = getattr(sample, "author", None)
        if author is None and sample.is_copy and sample.parent in by_id:
            author = getattr(by_id[sample.parent], "author", None)
        authors.append(author)
    return np.array(authors, dtype=object)


def writer_names(samples: Sequence[store.Sample]) -> list[str]:
    """Everyone whose name is on a drawing, in alphabetical order."""
    return sorted({author for author in authors_of(samples) if author is not None}, key=str.casefold)


# --- accuracy per author of a trained model -------------------------------------------------

@dataclass(frozen=True)
class AuthorScore:
    """How well a model reads one person's drawings (author None: the drawings without a name)."""
    author: str | None
    correct: int
    drawings: int                # drawings scored
    total: int                   # all this person's drawings (augmented copies not counted)
    scored: str                  # "held out": only the ones it did not learn from; "all": it never saw
                                 # this person's drawings; "all (it may have learned from them)": the
                                 # model does not record what it learned from

    @property
    def accuracy(self) -> float:
        return self.correct / self.drawings if self.drawings else float("nan")

    @property
    def text(self) -> str:
        """e.g. "Ana: 91.0% right (91 of 100 held-out drawings)"."""
        name = self.author if self.author is not None else "drawings without a name"
        if not self.drawings:
            return f"{name}: no drawings it has not learned from (all {self.total} were for learning)"
        which = {"held out": "held-out drawings", "all": "drawings, none seen while learning"}.get(
            self.scored, "drawings; it may have learned from some of them")
        return f"{name}: {self.accuracy:.1%} right ({self.correct:,} of {self.drawings:,} {which})"


def accuracy_by_author(params: network.Parameters, summary: dict, samples: Sequence[store.Sample]
                       ) -> list[AuthorScore]:
    """Each author's share of drawings read right, on drawings the model did not learn from.

    Which ones it did not learn from comes from its summary (network.load_model): the people it
    learned from (`trained_by_author`, see model_card.training_counts: anyone else it never saw,
    so all their drawings count), its held-out `val_ids`, the drawings added after its
    `data_until`, and sources it was told to leave out. An older model that records none of that
    is scored on all drawings, and the scores say so.
    Named authors come first, alphabetically; the drawings without a name last.
    """
    originals = np.array([not sample.is_copy for sample in samples], dtype=bool)
    authors = authors_of(samples)
    unseen = never_learned_from(samples, summary)
    learned_from = model_card.recorded_counts(summary, "trained_by_author")   # None: not recorded
    names = writer_names(samples)
    groups = [(name, originals & (authors == name)) for name in names]
    unnamed = originals & np.array([author is None for author in authors], dtype=bool)
    if unnamed.any():
        groups.append((None, unnamed))
    chosen = []
    for name, members in groups:
        if name is not None and learned_from is not None and name not in learned_from:
            chosen.append((name, members, "all"))
        elif unseen is None:
            chosen.append((name, members, "all (it may have learned from them)"))
        elif not (members & ~unseen).any():
            chosen.append((name, members, "all"))
        else:
            chosen.append((name, members & unseen, "held out"))
    scored = np.flatnonzero(np.any([mask for _, mask, _ in chosen], axis=0)) if chosen else np.zeros(0, np.int64)
    right = np.zeros(len(samples), dtype=bool)
    if len(scored):
        X, y = data_arrays(list(samples), scored)
        right[scored] = network.predict_probabilities(params, X).argmax(axis=1) == y
    return [AuthorScore(name, int(right[mask].sum()), int(mask.sum()), int((originals & group).sum()), how)
            for (name, mask, how), (_, group) in zip(chosen, groups)]


def never_learned_from(samples: Sequence[store.Sample], summary: dict) -> np.ndarray | None:
    """(n,) bool: samples the model cannot have learned from, or None if its summary does not say.

    Those are its held-out samples (summary["val_ids"]), samples created after it was trained
    (summary["data_until"]) and samples of sources it was told to leave out (summary["sources"]).
    """
    val_ids = summary.get("val_ids")
    if val_ids is None:
        return None
    held_out = {str(sample_id) for sample_id in np.ravel(val_ids)}
    known_until = summary.get("data_until")
    sources = summary.get("sources")
    allowed = None if not isinstance(sources, str) or sources in ("", "all") else set(sources.split(","))
    origin = train.origin_sources(list(samples))
    return np.array([sample.id in held_out or _added_after(sample.created, known_until)
                     or (allowed is not None and origin[i] not in allowed)
                     for i, sample in enumerate(samples)], dtype=bool)


def _added_after(created: object, known_until: object) -> bool:
    """Was a sample created after `known_until`? Unknown or unreadable times: no."""
    return (isinstance(created, str) and isinstance(known_until, str) and CREATED.fullmatch(created) is not None
            and CREATED.fullmatch(known_until) is not None and created > known_until)


# --- leave one writer out -------------------------------------------------------------------

@dataclass
class WriterResult:
    """A model trained without one person's drawings, tested on all of them."""
    writer: str
    evaluation: run.Evaluation           # on the writer's drawings: .correct, .total, .confusion
    training_drawings: int               # other people's drawings it learned from (each counted once)
    history: list[train.EpochStats]
    seconds: float

    @property
    def accuracy(self) -> float:
        return self.evaluation.accuracy

    @property
    def text(self) -> str:
        """e.g. "Ana: 91.0% right (91 of 100), learning from 8,200 other drawings"."""
        return (f"{self.writer}: {self.accuracy:.1%} right ({self.evaluation.correct:,} of {self.evaluation.total:,}),"
                f" learning from {self.training_drawings:,} other drawings")


@dataclass
class LeaveOneWriterOutResult:
    """Every left-out writer's result, and the whole in numbers and in one sentence."""
    writers: list[WriterResult] = field(default_factory=list)
    stopped: bool = False                # the stop flag ended it; `writers` has those that finished
    notes: list[str] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(result.evaluation.correct for result in self.writers)

    @property
    def drawings(self) -> int:
        return sum(result.evaluation.total for result in self.writers)

    @property
    def overall_accuracy(self) -> float:
        """All tested drawings together: right ones / all of them."""
        return self.correct / self.drawings if self.drawings else float("nan")

    @property
    def answer(self) -> str:
        """One sentence: how well it reads handwriting it has never seen."""
        if not self.writers:
            return "Stopped before the first writer finished, so there is no answer yet."
        done = "" if not self.stopped else f" (stopped after {len(self.writers)} writer{_s(len(self.writers))})"
        if len(self.writers) == 1:
            only = self.writers[0]
            return (f"Trained without {only.writer}'s drawings, it read {only.accuracy:.1%} of {only.writer}'s "
                    f"handwriting right{done}.")
        ordered = sorted(self.writers, key=lambda result: result.accuracy)
        low, high = ordered[0], ordered[-1]
        return (f"Trained without each person's drawings, it read {self.overall_accuracy:.1%} of handwriting it had "
                f"never seen right: from {low.accuracy:.1%} for {low.writer} to {high.accuracy:.1%} for "
                f"{high.writer}{done}.")


def leave_one_writer_out(samples: Sequence[store.Sample], writers: str | Iterable[str] | None = None,
                         config: train.TrainConfig | None = None, with_unnamed: bool = True,
                         on_progress: ProgressCallback | None = None, stop_event: threading.Event | None = None,
                         seed: int = SEED) -> LeaveOneWriterOutResult:
    """For each writer (default: everyone named), train on everyone else and test on that person.

    `with_unnamed`: the drawings without a name (starter set, imports) train every time too.
    `config` holds the other settings (default: train.py's); WRITER_EPOCHS epochs without early
    stopping. `on_progress` is called when a writer starts and after every epoch (Progress.part is
    the writer's name); setting `stop_event` ends the run after the current batch.
    Raises WriterError (one line) when there are no writers, an unknown name, or nobody to learn from.
    """
    samples = list(samples)
    chosen = _check_writers(samples, writers, with_unnamed)
    base = replace(config or train.TrainConfig(), epochs=WRITER_EPOCHS, patience=None, seed=seed)
    authors = authors_of(samples)
    originals = np.array([not sample.is_copy for sample in samples], dtype=bool)
    result = LeaveOneWriterOutResult()
    for index, writer in enumerate(chosen):
        if stop_event is not None and stop_event.is_set():
            result.stopped = True
            break
        tested = np.flatnonzero(originals & (authors == writer))
        learners = originals & (authors != writer) & np.array([a is not None or with_unnamed for a in authors])
        finished = _train_without(samples, writer, tested, np.flatnonzero(learners), base, index, len(chosen),
                                  on_progress, stop_event, result.notes)
        if finished is None:
            result.stopped = True
            break
        result.writers.append(finished)
    return result


def _check_writers(samples: list[store.Sample], writers: str | Iterable[str] | None, with_unnamed: bool) -> list[str]:
    """The writers to leave out, checked: WriterError (one line) if the run cannot work."""
    names = writer_names(samples)
    if not names:
        raise WriterError("no drawing here has its author's name; merge the class's files first "
                          "(python store.py merge ada.json ben.json) so each drawing says who drew it")
    chosen = names if writers is None else [writers] if isinstance(writers, str) else list(writers)
    unknown = [name for name in chosen if name not in names]
    if unknown:
        raise WriterError(f"nobody called {unknown[0]!r} drew here; the names are: {', '.join(names)}")
    has_unnamed = with_unnamed and any(author is None for author in authors_of(samples))
    if len(names) < 2 and not has_unnamed:
        raise WriterError(f"only {names[0]} drew here, so there is nobody else to learn from; merge more "
                          "people's files, or keep the starter set in")
    return chosen


def _train_without(samples: list[store.Sample], writer: str, tested: np.ndarray, learners: np.ndarray,
                   base: train.TrainConfig, index: int, parts: int, on_progress: ProgressCallback | None,
                   stop_event: threading.Event | None, notes: list[str]) -> WriterResult | None:
    """Train on `learners` (positions), pick the best epoch on some of them, test on `tested`."""
    started = time.perf_counter()
    pool = [samples[i] for i in learners]
    training, validation = train.split_indices(FixedSamples(pool), VALIDATION_SHARE, np.random.default_rng(base.seed),
                                               own_weight=base.own_weight)
    if len(training) > MAX_TRAINING_DRAWINGS:
        notes.append(f"without {writer}: learned from {MAX_TRAINING_DRAWINGS:,} of the {len(training):,} other "
                     "drawings (chosen at random) to finish in seconds")
        training = np.sort(np.random.default_rng(base.seed).choice(training, MAX_TRAINING_DRAWINGS, replace=False))
    X_train, y_train = data_arrays(pool, training)
    if len(np.unique(y_train)) < 2:
        raise WriterError(f"without {writer} there are not enough other drawings to learn from "
                          "(it needs a few of several digits)")
    X_val, y_val = data_arrays(pool, validation)
    if on_progress is not None:
        on_progress(Progress(writer, index, parts, 0, base.epochs))

    def report(stats: train.EpochStats) -> None:
        if on_progress is not None:
            on_progress(Progress(writer, index, parts, stats.epoch, base.epochs, stats))

    fitted = train.fit(X_train, y_train, X_val, y_val, base, on_epoch=report, stop_event=stop_event)
    if (fitted.interrupted and stop_event is not None and stop_event.is_set()) or fitted.best is None:
        return None
    X_test, y_test = data_arrays(samples, tested)
    evaluation = run.evaluate(run.Model(fitted.params), X_test, y_test)
    return WriterResult(writer, evaluation, len(np.unique(training)), fitted.history, time.perf_counter() - started)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
