"""The run log: every training run, one line each, in runs.jsonl next to the data file.

After each training (in the terminal and in the window) one entry is added: when, where, the
settings, how many drawings of each source the data had, the validation accuracy, the best epoch,
how long it took, the model file and whether the new model was kept in it.

    note = run_log.record_training(data, model_path, config, result, seconds, where="terminal")
    log = run_log.read_runs(run_log.log_path(data.path))   # log.runs newest first, log.problem
    print(run_log.format_table(log.runs))

The file is JSON Lines: one JSON object per line, oldest first, readable by eye and by other
programs. An append re-reads the file and writes it whole through mling.files.atomic_write while
holding mling.files.locked, so two programs training at once both get their line in, and a crash
leaves the old log or the new one. A log with a damaged line is never written over: the run is
not logged and one line says so (the log is yours to fix or move away); training goes on.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mling import files, store

LOG_NAME = "runs.jsonl"     # kept in the data file's folder: data.json -> runs.jsonl beside it
LOG_VERSION = 1             # each line's "version"
TABLE_ROWS = 20             # format_table shows the newest this many runs
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"   # UTC, the same as the store's sample times


def log_path(data_path: str | os.PathLike) -> Path:
    """Where the run log of a data file lives: runs.jsonl in the same folder."""
    return Path(data_path).with_name(LOG_NAME)


@dataclass(frozen=True)
class Run:
    """One training run as the log keeps it. Missing values (older or hand-edited lines) are None."""
    id: str                             # short random id, for set_kept()
    date: str                           # when training ended, UTC: "2026-12-01T19:34:05Z"
    where: str = "terminal"             # "terminal" or "window"
    data_file: str = ""
    model_file: str | None = None
    kept: bool | None = None            # True: the new model is in model_file now
    kept_as: str | None = None          # where the new model is when it was not put in model_file
    val_accuracy: float | None = None   # of the kept epoch, on the held-out drawings
    best_epoch: int | None = None
    epochs_run: int = 0
    seconds: float | None = None
    ending: str = ""                    # "finished", "stopped early", "stopped by you", "diverged", "nothing learned"
    message: str = ""                   # training's own one-line summary
    data_by_source: dict[str, int] = field(default_factory=dict)   # the data file's samples per source
    authors: int = 0                    # how many people's names are on the drawings
    train_samples: int | None = None    # rows trained on (repeats and copies included)
    val_samples: int | None = None      # drawings held out
    settings: dict = field(default_factory=dict)   # the TrainConfig, field by field

    def to_json(self) -> dict:
        return {"version": LOG_VERSION, **dataclasses.asdict(self)}

    @classmethod
    def from_json(cls, entry: dict) -> Run:
        """A Run from one line's object, taking what it has and leaving the rest unknown."""
        def number(key: str, kind: type) -> float | int | None:
            value = entry.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                return None
            return kind(value)

        def text(key: str, default: str | None = "") -> str | None:
            value = entry.get(key)
            return value if isinstance(value, str) else default

        by_source = entry.get("data_by_source")
        kept = entry.get("kept")
        return cls(
            id=text("id"), date=text("date"), where=text("where", "terminal"), data_file=text("data_file"),
            model_file=text("model_file", None), kept=kept if isinstance(kept, bool) else None,
            kept_as=text("kept_as", None), val_accuracy=number("val_accuracy", float),
            best_epoch=number("best_epoch", int), epochs_run=number("epochs_run", int) or 0,
            seconds=number("seconds", float), ending=text("ending"), message=text("message"),
            data_by_source={str(k): int(v) for k, v in by_source.items() if isinstance(v, int)}
            if isinstance(by_source, dict) else {},
            authors=number("authors", int) or 0, train_samples=number("train_samples", int),
            val_samples=number("val_samples", int),
            settings=entry["settings"] if isinstance(entry.get("settings"), dict) else {})


@dataclass(frozen=True)
class RunLog:
    """What read_runs found: the runs it could read (newest first), and what was wrong, if anything."""
    runs: list[Run]
    problem: str | None = None          # one line, e.g. a damaged line; the file was left as it is


# --- making an entry ------------------------------------------------------------------------

def entry_for_training(result, config, data: store.DataStore, model_path: str | os.PathLike, seconds: float,
                       where: str = "terminal", train_samples: int | None = None) -> Run:
    """The log entry for one finished training: a train.TrainResult and its train.TrainConfig.

    Whether the model was kept comes from result.choice (mling.model_files) when training has one;
    without it a run that learned anything was saved into model_path.
    """
    best = result.best
    choice = getattr(result, "choice", None)
    if choice is not None:
        kept = choice.kept == "new"
        other = getattr(choice, "other_path", None)
        kept_as = None if kept or other is None else str(other)
    else:
        kept, kept_as = best is not None, None
    val_ids = getattr(result, "val_ids", None)
    return Run(
        id=secrets.token_hex(4), date=time.strftime(TIME_FORMAT, time.gmtime()), where=where,
        data_file=str(data.path), model_file=str(model_path), kept=kept, kept_as=kept_as,
        val_accuracy=_finite_or_none(best.val_accuracy) if best is not None else None,
        best_epoch=result.best_epoch if best is not None else None, epochs_run=len(result.history),
        seconds=round(float(seconds), 2), ending=ending_of(result), message=getattr(result, "message", ""),
        data_by_source=dict(Counter(sample.source for sample in data.samples)),
        authors=len({author for sample in data.samples if (author := getattr(sample, "author", None))}),
        train_samples=train_samples, val_samples=len(val_ids) if val_ids else None,
        settings=json.loads(json.dumps(dataclasses.asdict(config), default=str)))


def ending_of(result) -> str:
    """How a training run ended, in two or three words."""
    if result.diverged:
        return "diverged"
    if result.best is None:
        return "nothing learned"
    if result.interrupted:
        return "stopped by you"
    return "stopped early" if result.stopped_early else "finished"


def _finite_or_none(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


# --- reading and writing the file -----------------------------------------------------------

def record_training(data: store.DataStore, model_path: str | os.PathLike, config, result, seconds: float,
                    where: str = "terminal", train_samples: int | None = None) -> str | None:
    """Add this training run to the log next to the data file. Never raises for the log's sake.

    Returns None when it was logged, or one line saying why it was not (to show, not to stop for).
    """
    try:
        return append(log_path(data.path), entry_for_training(result, config, data, model_path, seconds, where,
                                                              train_samples))
    except Exception as error:  # a log entry must never cost the user their training
        return f"the run log was not updated ({type(error).__name__}: {error}); training is not affected"


def append(path: str | os.PathLike, run: Run) -> str | None:
    """Add one run at the end of the log at `path` (made if missing). None, or why it was not added."""
    line = json.dumps(run.to_json(), ensure_ascii=False, allow_nan=False).encode("utf-8") + b"\n"
    return _change(Path(path), lambda old, runs: old + line)


def set_kept(path: str | os.PathLike, run_id: str, kept: bool, kept_as: str | None = None) -> str | None:
    """Change whether a logged run's model is the one in use (the user chose the other model after all).

    None when it was changed, or one line saying why not.
    """
    def change(old: bytes, runs: list[tuple[int, dict]]) -> bytes:
        lines = old.splitlines(keepends=True)
        for number, entry in runs:
            if entry.get("id") == run_id:
                entry.update(kept=kept, kept_as=kept_as)
                lines[number - 1] = json.dumps(entry, ensure_ascii=False, allow_nan=False).encode("utf-8") + b"\n"
                return b"".join(lines)
        raise LookupError(f"{path}: has no run {run_id!r}; nothing was changed")
    return _change(Path(path), change)


def read_runs(path: str | os.PathLike) -> RunLog:
    """Every run in the log at `path`, newest first. A missing log has no runs and no problem."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return RunLog([])
    except OSError as error:
        return RunLog([], f"{path}: could not be read ({error.strerror or error})")
    entries, problem = _parse(content, path)
    return RunLog([Run.from_json(entry) for _, entry in reversed(entries)], problem)


def _parse(content: bytes, path: Path) -> tuple[list[tuple[int, dict]], str | None]:
    """(line number, object) for every good line, and one line about the first damaged one (or None)."""
    entries, problem = [], None
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            problem = problem or (f"{path}: line {number} is not a run entry (damaged?); the log was left as it "
                                  "is - fix that line, or move the file away to start a new log")
            continue
        entries.append((number, entry))
    return entries, problem


def _change(path: Path, change) -> str | None:
    """Under the log's lock: read it, refuse if damaged, write change(old bytes, entries) atomically."""
    try:
        with files.locked(path):
            try:
                old = path.read_bytes()
            except FileNotFoundError:
                old = b""
            entries, problem = _parse(old, path)
            if problem is not None:
                return problem.replace("the log was left as it is", "this run was not logged")
            if old and not old.endswith(b"\n"):
                old += b"\n"
            try:
                new = change(old, entries)
            except LookupError as error:
                return str(error)
            files.atomic_write(path, lambda file: file.write(new))
    except OSError as error:
        return f"{path}: the run log could not be written ({error.strerror or error}); training is not affected"
    return None


# --- the table for the terminal -------------------------------------------------------------

def format_table(runs: list[Run], limit: int = TABLE_ROWS) -> str:
    """The newest `limit` runs as a plain-text table, newest first (times in local time)."""
    if not runs:
        return "no training runs logged yet (train once: python train.py)"
    header = ("when", "where", "val acc", "best/epochs", "time", "data", "settings", "kept")
    rows = [header] + [_row(run) for run in runs[:limit]]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in rows]
    if len(runs) > limit:
        lines.append(f"... and {len(runs) - limit} older run{'s' if len(runs) - limit > 1 else ''}")
    return "\n".join(line.rstrip() for line in lines)


def _row(run: Run) -> tuple[str, ...]:
    accuracy = "-" if run.val_accuracy is None else f"{run.val_accuracy:.1%}"
    epochs = f"{run.best_epoch if run.best_epoch is not None else '-'}/{run.epochs_run}"
    took = "-" if run.seconds is None else _duration(run.seconds)
    data = " + ".join(f"{source} {count:,}" for source, count in sorted(run.data_by_source.items(),
                                                                       key=lambda item: -item[1])) or "-"
    if run.authors:
        data += f" ({run.authors} {'person' if run.authors == 1 else 'people'})"
    kept = {True: "yes", False: "no", None: "?"}[run.kept]
    if run.kept is False and run.kept_as:
        kept += f" (kept as {Path(run.kept_as).name})"
    if run.ending and run.ending != "finished":
        kept += f", {run.ending}"
    return (_local_time(run.date), run.where, accuracy, epochs, took, data, settings_text(run.settings), kept)


def settings_text(settings: dict) -> str:
    """The settings that matter most, short: "adam lr 0.001, hidden 16-16, batch 128"."""
    parts = []
    if isinstance(settings.get("optimizer"), str):
        parts.append(settings["optimizer"])
    if isinstance(settings.get("learning_rate"), (int, float)):
        parts.append(f"lr {settings['learning_rate']:g}")
    if isinstance(settings.get("hidden"), list):
        parts.append("hidden " + "-".join(str(size) for size in settings["hidden"]))
    if isinstance(settings.get("batch_size"), int):
        parts.append(f"batch {settings['batch_size']}")
    if settings.get("augment_copies"):
        parts.append(f"{settings['augment_copies']} copies")
    if isinstance(settings.get("sources"), list):
        parts.append("only " + ",".join(settings["sources"]))
    return ", ".join(parts) or "-"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s"


def _local_time(date: str) -> str:
    """ "2026-12-01T19:34:05Z" -> "2026-12-01 20:34" in this computer's time zone (as it is if unreadable)."""
    with contextlib.suppress(ValueError):
        moment = datetime.strptime(date, TIME_FORMAT).replace(tzinfo=timezone.utc)
        return moment.astimezone().strftime("%Y-%m-%d %H:%M")
    return date or "?"
