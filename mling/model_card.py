"""The model card: what a trained model is, in words a 13-year-old reads.

Built from what the model file says about itself (`network.load_model(path) -> (params, summary)`):
its layers, what it learned from and from whom, how well it reads drawings it never saw, its
settings and when it was made. Every part is optional: an older file that says less gets a
shorter card, never an error.

    params, summary = network.load_model("model_params.npz")
    print(model_card.card_text(params, summary))      # a few short paragraphs
    model_card.short_card(params, summary)            # one line, for a status bar
    model_card.card_sections(params, summary)         # [(heading, [sentence, ...]), ...] to lay out

Training can record what it learned from with training_counts() (two summary entries, as text).
"""
from __future__ import annotations

import contextlib
import json
from collections import Counter
from datetime import datetime, timezone

import numpy as np

from mling import optimizers, store
from mling.network import Parameters

SOURCE_WORDS = {                   # a source in a sentence: "6,800 from the starter set"
    "drawn": "made in MLing",
    "starter": "from the starter set",
    "imported": "imported from other files",
    "augmented": "augmented copies",
}
COPY_KEYS = ("augmented_in_memory",)   # summary counts of the augmented copies it trained on
AUTHORS_SHOWN = 5                  # more authors than this: "... and 7 others"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # how train.py writes saved_at (UTC)


def card_sections(params: Parameters, summary: dict) -> list[tuple[str, list[str]]]:
    """The card as (heading, sentences) pairs; sections the file has nothing for are left out."""
    sections = [("What it is", _what_it_is(params))]
    for heading, sentences in (("What it learned from", _learned_from(summary)),
                               ("How well it reads new drawings", _how_good(summary)),
                               ("How it was trained", _how_trained(summary)),
                               ("When", _when(summary))):
        if sentences:
            sections.append((heading, sentences))
    if len(sections) == 1:
        sections.append(("How it was made", ["This model file does not say how it was trained (an older MLing "
                                             "made it, or it came from somewhere else)."]))
    return sections


def card_text(params: Parameters, summary: dict) -> str:
    """The whole card as plain text: a heading per section, its sentences indented below."""
    return "\n".join(f"{heading}\n" + "\n".join(f"  {sentence}" for sentence in sentences)
                     for heading, sentences in card_sections(params, summary))


def short_card(params: Parameters, summary: dict) -> str:
    """One line: "784-16-16-10 network, 97.3% right on 1,200 new drawings, trained 26 Nov 2026"."""
    parts = ["-".join(map(str, params.layer_sizes)) + " network"]
    accuracy, tested = _number(summary, "val_accuracy"), _count(summary, "val_samples")
    if accuracy is not None:
        parts.append(f"{accuracy:.1%} right" + (f" on {tested:,} new drawings" if tested else ""))
    moment = _moment(summary.get("saved_at"))
    if moment is not None:
        parts.append(f"trained {moment.day} {moment:%b %Y}")
    return ", ".join(parts)


def training_counts(samples: list[store.Sample], positions: np.ndarray) -> dict[str, str]:
    """What a model learned from, for its summary: the drawings per source and per author, as JSON text.

    `positions` are the training rows' places in `samples` (repeats and augmented copies allowed:
    each original drawing counts once, a copy as its original). JSON text, because a model file
    keeps only arrays and plain values.
    """
    by_id = {sample.id: sample for sample in samples}
    originals = {}
    for position in np.unique(np.asarray(positions, dtype=np.int64)):
        sample = samples[position]
        if sample.is_copy:
            sample = by_id.get(sample.parent, sample)
        originals[sample.id] = sample
    by_source = Counter(sample.source for sample in originals.values())
    by_author = Counter(author for sample in originals.values() if (author := getattr(sample, "author", None)))
    return {"trained_by_source": json.dumps(dict(by_source.most_common())),
            "trained_by_author": json.dumps(dict(by_author.most_common()))}


# --- the sections ------------------------------------------------------------------------

def _what_it_is(params: Parameters) -> list[str]:
    sizes = params.layer_sizes
    hidden = sizes[1:-1]
    side = int(round(sizes[0] ** 0.5))
    picture = f"{side} x {side} = {sizes[0]} pixels" if side * side == sizes[0] else f"{sizes[0]} pixels"
    if not hidden:
        middle = "straight into"
    elif len(hidden) == 1:
        middle = f"through 1 hidden layer of {hidden[0]} neurons into"
    else:
        middle = f"through {len(hidden)} hidden layers ({_and([str(size) for size in hidden])} neurons) into"
    return [f"A small neural network that reads handwritten digits. It looks at a picture of {picture} and "
            f"passes it {middle} {sizes[-1]} scores, one for each digit: the highest score is its answer.",
            f"Everything it knows is in {params.flat.size:,} numbers it learned (its weights and biases)."]


def _learned_from(summary: dict) -> list[str]:
    sentences = []
    copies = sum(_count(summary, key) or 0 for key in COPY_KEYS)
    by_source = recorded_counts(summary, "trained_by_source")
    trained = _count(summary, "train_samples")
    if by_source:
        parts = [f"{count:,} {SOURCE_WORDS.get(source, source)}" for source, count in by_source.items()]
        if len(parts) > 1:
            sentences.append(f"It learned from {sum(by_source.values()):,} drawings: {_and(parts)}.")
        else:
            (source, count), = by_source.items()
            sentences.append(f"It learned from {count:,} drawing{_s(count)} {SOURCE_WORDS.get(source, source)}.")
        if copies:
            sentences.append(f"While learning it also saw {copies:,} copies of them, moved, turned and re-inked a "
                             "little, so a digit that is a bit off-centre or tilted does not fool it.")
    elif trained and copies and copies < trained:
        sentences.append(f"It practised on {trained:,} pictures: {trained - copies:,} drawings and {copies:,} "
                         "copies of them, moved, turned and re-inked a little.")
    elif trained:
        sentences.append(f"It practised on {trained:,} pictures (drawings, and maybe copies of some of them).")
    by_author = recorded_counts(summary, "trained_by_author")
    if by_author:
        most_first = sorted(by_author.items(), key=lambda item: -item[1])
        named = [f"{author} ({count:,})" for author, count in most_first[:AUTHORS_SHOWN]]
        others = len(by_author) - len(named)
        if others:
            named.append(f"{others} other{_s(others)}")
        people = len(by_author)
        sentences.append(f"{'They were' if people > 1 else 'Some were'} drawn by {people} "
                         f"{'person' if people == 1 else 'people'}: {_and(named)}.")
    sources = summary.get("sources")
    if isinstance(sources, str) and sources not in ("", "all"):
        words = [SOURCE_WORDS.get(source, source) for source in sources.split(",")]
        sentences.append(f"It was told to learn only from drawings {_and(words, 'or')}.")
    return sentences


def _how_good(summary: dict) -> list[str]:
    accuracy = _number(summary, "val_accuracy")
    if accuracy is None:
        return []
    tested = _count(summary, "val_samples")
    drawings = f"{tested:,} drawing{_s(tested)}" if tested else "drawings"
    sentences = [f"Tested on {drawings} it never saw while learning, it read {accuracy:.1%} of them right: "
                 f"about {round(accuracy * 100)} out of every 100."]
    practice = _number(summary, "train_accuracy")
    if practice is not None:
        sentences.append(f"While learning, it got {practice:.1%} of its practice pictures right.")
    return sentences


def _how_trained(summary: dict) -> list[str]:
    sentences = []
    epochs, best = _count(summary, "epochs_run"), _count(summary, "best_epoch")
    if epochs:
        sentence = f"It went through all its drawings {epochs} time{_s(epochs)} ({epochs} epoch{_s(epochs)})"
        if best:
            sentence += (f" and kept what it knew after epoch {best}, when it did best on the drawings it "
                         "never saw")
        sentences.append(sentence + ".")
    settings = []
    if isinstance(summary.get("optimizer"), str):
        known = optimizers.OPTIMIZERS.get(summary["optimizer"])
        settings.append(f"optimizer {known.described if known else summary['optimizer']}")
    if _number(summary, "learning_rate") is not None:
        settings.append(f"learning rate {_number(summary, 'learning_rate'):g}")
    if _count(summary, "batch_size"):
        settings.append(f"{_count(summary, 'batch_size')} drawings per learning step")
    if _count(summary, "seed") is not None:
        settings.append(f"random seed {_count(summary, 'seed')}")
    if settings:
        sentences.append(f"Settings: {', '.join(settings)}.")
    return sentences


def _when(summary: dict) -> list[str]:
    moment = _moment(summary.get("saved_at"))
    if moment is None:
        return []
    return [f"Trained on {moment.day} {moment:%B %Y} at {moment:%H:%M}."]


# --- reading the summary's values safely -----------------------------------------------------

def _number(summary: dict, key: str) -> float | None:
    value = summary.get(key)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def _count(summary: dict, key: str) -> int | None:
    value = _number(summary, key)
    return None if value is None or value < 0 else int(value)


def recorded_counts(summary: dict, key: str) -> dict[str, int] | None:
    """A summary's {"name": count} entry written by training_counts(), or None if it has none (or not that)."""
    text = summary.get(key)
    if not isinstance(text, str):
        return None
    try:
        counts = json.loads(text)
    except ValueError:
        return None
    if not isinstance(counts, dict):
        return None
    return {str(name): count for name, count in counts.items()
            if isinstance(count, int) and not isinstance(count, bool) and count > 0}


def _moment(saved_at: object) -> datetime | None:
    """train.py's UTC time as this computer's local time (None if missing or unreadable)."""
    if not isinstance(saved_at, str):
        return None
    with contextlib.suppress(ValueError):
        return datetime.strptime(saved_at, TIME_FORMAT).replace(tzinfo=timezone.utc).astimezone()
    return None


def _and(parts: list[str], word: str = "and") -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def _s(count: int | None) -> str:
    return "" if count == 1 else "s"
