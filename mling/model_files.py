"""Replacing model_params.npz: never by a worse model without the user's say, never losing one.

The rule, applied by install() after every training run (train.py and the window):
  - both models are scored on the same held-out drawings, ones neither of them trained on;
  - a new model at least as accurate replaces the old one, and the old one is kept beside it as
    model_params.backup-YYYYMMDD-HHMMSS.npz;
  - a less accurate new model does not replace it: the old one stays, and the new one is kept
    beside it as model_params.new-YYYYMMDD-HHMMSS.npz, so the user can still choose it.

    comparison = compare_on_unseen(new_params, read_saved_model(path), data, val_positions)
    choice = install(path, new_params, summary, comparison)   # the rule above
    choice = keep_new(choice)       # use the new one after all (the old one becomes the backup)
    choice = keep_old(choice)       # or go back to the old one (the new one is kept as .new-)
    choice = undo(choice)           # whichever of the two is not in use now

Both models always exist as files: one is model_params.npz, the other is `choice.other_path`.
Every file is written with mling.files.atomic_write, so a crash leaves whole files only.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from mling import network, store
from mling.files import atomic_write
from mling.network import ModelFileError, Parameters

TIME_STAMP = "%Y%m%d-%H%M%S"   # in backup and new-model names: model_params.backup-20261201-193000.npz
CREATED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")   # the store's sample times: 2026-11-26T21:04:05Z


@dataclass(frozen=True)
class SavedModel:
    """The model file training would replace: its parameters and summary, or why it cannot be read."""
    path: Path
    params: Parameters | None = None    # None: no file, or it could not be read (see problem)
    summary: dict | None = None
    problem: str | None = None          # the one-line ModelFileError message for an unreadable file

    @property
    def val_ids(self) -> tuple[str, ...] | None:
        return (self.summary or {}).get("val_ids")


def read_saved_model(path: str | os.PathLike) -> SavedModel:
    """The model at `path`, or a SavedModel without params saying why not (no file is not a problem)."""
    path = Path(path)
    if not path.exists():
        return SavedModel(path, summary={})
    try:
        params, summary = network.load_model(path)
    except ModelFileError as error:
        return SavedModel(path, summary={}, problem=str(error))
    return SavedModel(path, params, summary)


def never_trained_on(samples: list[store.Sample], summary: dict) -> np.ndarray | None:
    """Positions of the samples a saved model cannot have trained on, or None if it does not say.

    Those are its held-out samples (summary["val_ids"]) and the drawings added after it was
    trained (created after summary["data_until"]); augmented copies never count.
    """
    val_ids = summary.get("val_ids")
    if val_ids is None:
        return None
    held_out, known_until = set(val_ids), summary.get("data_until")
    return np.array([i for i, sample in enumerate(samples) if not sample.is_copy and (
        sample.id in held_out or added_after(sample.created, known_until))], dtype=np.int64)


def added_after(created: object, known_until: object) -> bool:
    """Was a sample created after `known_until` (a model's data_until)? Unknown times: no.

    The store's times have one format (UTC, to the second), so they compare as text.
    """
    return (isinstance(created, str) and isinstance(known_until, str) and CREATED.fullmatch(created) is not None
            and CREATED.fullmatch(known_until) is not None and created > known_until)


def data_time(samples: list[store.Sample]) -> str | None:
    """The newest sample's time: a model records it as data_until, to tell later drawings apart."""
    return max((sample.created for sample in samples if CREATED.fullmatch(sample.created or "")), default=None)


@dataclass(frozen=True)
class Comparison:
    """Two models scored on the same samples."""
    new_accuracy: float
    old_accuracy: float | None          # None: there is no old model to compare with
    sample_ids: tuple[str, ...]         # the samples both were scored on
    old_problem: str | None = None      # why there is no old accuracy, when the old file is unreadable
    old_may_have_seen: bool = False     # the old model does not record what it trained on

    @property
    def count(self) -> int:
        return len(self.sample_ids)

    @property
    def new_is_worse(self) -> bool:
        return self.old_accuracy is not None and self.new_accuracy < self.old_accuracy

    @property
    def samples(self) -> str:
        """e.g. "1,200 held-out drawings"."""
        return f"{self.count:,} held-out drawing{'' if self.count == 1 else 's'}"

    def scores(self) -> str:
        """e.g. "94.8% against 97.2%" (more digits when those look alike), with the caveat, if any."""
        if self.old_accuracy is None:
            return f"{self.new_accuracy:.1%}"
        digits = 1 if f"{self.new_accuracy:.1%}" != f"{self.old_accuracy:.1%}" else 2
        seen = "; the old one may have trained on some of them" if self.old_may_have_seen else ""
        return f"{self.new_accuracy:.{digits}%} against {self.old_accuracy:.{digits}%}{seen}"


def accuracy(params: Parameters, X: np.ndarray, y: np.ndarray) -> float:
    """Share of X (n, 784) floats in [0, 1] that the network gets right (nan for no samples)."""
    if len(y) == 0:
        return float("nan")
    return float((network.predict_probabilities(params, X).argmax(axis=1) == y).mean())


def compare(new: Parameters, old: Parameters | None, X: np.ndarray, y: np.ndarray, ids: tuple[str, ...] = (),
            old_problem: str | None = None, old_may_have_seen: bool = False) -> Comparison:
    """Score both models on the same samples X (n, 784), y (n,)."""
    old_accuracy = None if old is None else accuracy(old, X, y)
    return Comparison(accuracy(new, X, y), old_accuracy, tuple(ids), old_problem, old_may_have_seen)


def compare_on_unseen(new: Parameters, saved: SavedModel, data: store.DataStore,
                      val_positions: np.ndarray) -> Comparison:
    """Compare a newly trained model with the saved one on held-out samples neither trained on.

    `val_positions` are the new model's held-out samples (positions in data.samples). Those the
    saved model cannot have seen either (never_trained_on) are used; if the saved model does not
    record what it held out, all of them are, and the comparison says so.
    """
    samples = data.samples
    positions = np.asarray(val_positions, dtype=np.int64)
    if len(positions) == 0:                                   # no validation split: all originals
        positions = np.array([i for i, s in enumerate(samples) if not s.is_copy], dtype=np.int64)
    may_have_seen = saved.params is not None
    unseen = never_trained_on(samples, saved.summary or {}) if saved.params is not None else None
    if unseen is not None:
        fair = positions[np.isin(positions, unseen)]
        if len(fair):
            positions, may_have_seen = fair, False
    pixels = b"".join([samples[i].pixels for i in positions])
    X = store.bytes_to_images(pixels, len(positions))
    y = np.array([samples[i].label for i in positions], dtype=np.int64)
    return compare(new, saved.params, X, y, tuple(samples[i].id for i in positions), saved.problem, may_have_seen)


@dataclass(frozen=True)
class Choice:
    """Which of two models is in use: one is at model_path, the other at other_path."""
    model_path: Path
    kept: str                            # "new" or "old": which one model_path holds now
    other_path: Path | None              # the one not in use (None: there is no other one)
    comparison: Comparison | None
    stamp: str                           # names the other file: <stem>.backup-<stamp>.npz / <stem>.new-<stamp>.npz
    fingerprint: str                     # of model_path's bytes: a swap refuses if someone changed the file

    def describe(self, restore_hint: str | None = None) -> str:
        """One line for the terminal or the status bar: what is in use, what is kept where, how to switch."""
        name, comparison = self.model_path.name, self.comparison
        other = self.other_path.name if self.other_path else None
        switch = f" (to switch: {restore_hint} {_shown(self.other_path)})" if restore_hint and other else ""
        if comparison is None:
            return f"{name} is in use now; the one it replaced is kept as {other}{switch}"
        if self.kept == "old":
            worse = f"the new model is less accurate on the same {comparison.samples} ({comparison.scores()})"
            if other is None:
                return f"kept {name}: {worse}; the new one was not kept"
            return f"kept {name}: {worse}; the new one is kept as {other}{switch}"
        if comparison.old_problem:
            return f"saved {name} ({comparison.new_accuracy:.1%} on {comparison.samples}); the old file " \
                   f"could not be read and is kept as {other}"
        if other is None:
            return f"saved {name} ({comparison.new_accuracy:.1%} on {comparison.samples})"
        return (f"saved {name}: at least as accurate as the old one on the same {comparison.samples} "
                f"({comparison.scores()}); the old one is kept as {other}{switch}")


def install(model_path: str | os.PathLike, params: Parameters, summary: dict, comparison: Comparison,
            keep_worse: bool = True) -> Choice:
    """Save a newly trained model by the rule: replace the old one only if the new one is not worse.

    The replaced model is kept as <stem>.backup-<time>.npz; a worse new one as <stem>.new-<time>.npz
    (unless keep_worse is False, e.g. for a run that diverged). Raises OSError if a file cannot be written.
    """
    model_path = Path(model_path)
    stamp = _free_stamp(model_path)
    if comparison.new_is_worse:
        other = new_model_path(model_path, stamp) if keep_worse else None
        if other is not None:
            network.save_model(other, params, summary)
        return Choice(model_path, "old", other, comparison, stamp, _fingerprint(model_path))
    other = None
    if model_path.exists():
        other = backup_path(model_path, stamp)
        _copy(model_path, other)
    network.save_model(model_path, params, summary)
    return Choice(model_path, "new", other, comparison, stamp, _fingerprint(model_path))


def keep_new(choice: Choice) -> Choice:
    """Use the new model: it goes into model_path, the old one becomes <stem>.backup-<stamp>.npz."""
    if choice.kept == "new":
        return choice
    return _swap(choice, "new", backup_path(choice.model_path, choice.stamp))


def keep_old(choice: Choice) -> Choice:
    """Go back to the old model: it goes into model_path, the new one is kept as <stem>.new-<stamp>.npz."""
    if choice.kept == "old":
        return choice
    return _swap(choice, "old", new_model_path(choice.model_path, choice.stamp))


def undo(choice: Choice) -> Choice:
    """Undo keep_new or keep_old (or install's own choice): use the model that is not in use now."""
    return keep_old(choice) if choice.kept == "new" else keep_new(choice)


def _swap(choice: Choice, kept: str, outgoing_path: Path) -> Choice:
    """Exchange the model in use and the other one; both stay on disk whatever happens."""
    if choice.other_path is None:
        raise ModelFileError(f"there is no other model to switch to; {choice.model_path.name} stays as it is")
    if not choice.other_path.exists():
        raise ModelFileError(f"{choice.other_path} is gone; {choice.model_path.name} stays as it is")
    if _fingerprint(choice.model_path) != choice.fingerprint:
        raise ModelFileError(f"{choice.model_path} has changed since (another training?); nothing was switched")
    incoming = choice.other_path.read_bytes()
    outgoing = choice.model_path.read_bytes()
    atomic_write(outgoing_path, lambda file: file.write(outgoing))       # first keep the one going out
    atomic_write(choice.model_path, lambda file: file.write(incoming))
    if choice.other_path != outgoing_path:
        choice.other_path.unlink(missing_ok=True)                        # its bytes are in model_path now
    return replace(choice, kept=kept, other_path=outgoing_path, fingerprint=_fingerprint(choice.model_path))


def restore(source: str | os.PathLike, model_path: str | os.PathLike) -> Choice:
    """Make a copy of `source` (a backup, or a new model that was not used) the model in use.

    The model it replaces is kept as <stem>.backup-<time>.npz. Raises ModelFileError if `source`
    is not a readable model file.
    """
    source, model_path = Path(source), Path(model_path)
    if not source.is_file():
        kept = ", ".join(path.name for path in backups(model_path)[:3]) or "none"
        raise ModelFileError(f"{source}: no such model file to go back to (kept beside {model_path.name}: {kept})")
    network.load_model(source)                                 # refuses a damaged file with one line
    stamp = _free_stamp(model_path)
    other = None
    if model_path.exists():
        other = backup_path(model_path, stamp)
        _copy(model_path, other)
    _copy(source, model_path)
    return Choice(model_path, "new", other, None, stamp, _fingerprint(model_path))


def backup_path(model_path: Path, stamp: str) -> Path:
    return model_path.with_name(f"{model_path.stem}.backup-{stamp}{model_path.suffix or '.npz'}")


def new_model_path(model_path: Path, stamp: str) -> Path:
    return model_path.with_name(f"{model_path.stem}.new-{stamp}{model_path.suffix or '.npz'}")


def backups(model_path: str | os.PathLike) -> list[Path]:
    """Every model kept beside `model_path` (backups and unused new ones), newest first."""
    model_path = Path(model_path)
    suffix = model_path.suffix or ".npz"
    kept = [*model_path.parent.glob(f"{model_path.stem}.backup-*{suffix}"),
            *model_path.parent.glob(f"{model_path.stem}.new-*{suffix}")]
    return sorted(kept, key=lambda path: path.stat().st_mtime, reverse=True)


def _shown(path: Path) -> str:
    """A path as short as it can be typed from here: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _free_stamp(model_path: Path) -> str:
    """The time now, made unique among this model's backups (…-2, …-3 within the same second)."""
    stamp = time.strftime(TIME_STAMP)
    candidate, number = stamp, 1
    while backup_path(model_path, candidate).exists() or new_model_path(model_path, candidate).exists():
        number += 1
        candidate = f"{stamp}-{number}"
    return candidate


def _copy(source: Path, target: Path) -> None:
    contents = source.read_bytes()
    atomic_write(target, lambda file: file.write(contents))


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
