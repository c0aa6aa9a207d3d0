"""The run log: every training adds one line next to the data; a damaged log is reported and left alone."""
import json
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from synthetic import make_synthetic_digits

import train
from mling import run_log, store
from mling.run_log import Run


def a_run(number, **changes):
    fields = dict(id=f"run{number}", date=f"2026-12-01T10:{number:02d}:00Z", data_file="data.json",
                  model_file="model_params.npz", kept=True, val_accuracy=0.9 + number / 1000, best_epoch=number,
                  epochs_run=number + 5, seconds=12.5, ending="finished", data_by_source={"starter": 8000},
                  settings={"learning_rate": 0.001, "hidden": [16, 16], "batch_size": 128})
    fields.update(changes)
    return Run(**fields)


@pytest.fixture
def utc(monkeypatch):
    """Local time is UTC, so the table's times can be written down."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_log_lives_next_to_the_data_file(tmp_path):
    assert run_log.log_path(tmp_path / "class" / "data.json") == tmp_path / "class" / "runs.jsonl"


def test_runs_are_added_one_line_each_and_read_newest_first(tmp_path):
    path = tmp_path / "runs.jsonl"
    for number in range(3):
        assert run_log.append(path, a_run(number)) is None
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["run0", "run1", "run2"]      # oldest first in the file
    assert json.loads(lines[0])["settings"]["hidden"] == [16, 16] and json.loads(lines[0])["version"] == 1
    log = run_log.read_runs(path)
    assert log.problem is None
    assert [run.id for run in log.runs] == ["run2", "run1", "run0"]
    assert log.runs[2] == a_run(0)
    assert not [name for name in (p.name for p in tmp_path.iterdir()) if name.endswith(".tmp")]


def test_a_missing_log_has_no_runs_and_no_problem(tmp_path):
    log = run_log.read_runs(tmp_path / "runs.jsonl")
    assert log.runs == [] and log.problem is None
    assert "no training runs" in run_log.format_table(log.runs)


def test_a_damaged_log_is_reported_in_one_line_and_never_written_over(tmp_path):
    path = tmp_path / "runs.jsonl"
    good = json.dumps({"id": "a1", "date": "2026-12-01T10:00:00Z", "val_accuracy": 0.5})
    damaged = (good + "\n" + '{"id": "a2", "date": "2026-12-01T1' + "\n" + '"just text"\n').encode()
    path.write_bytes(damaged)
    note = run_log.append(path, a_run(1))
    assert note is not None and "line 2" in note and "not logged" in note and "\n" not in note
    assert path.read_bytes() == damaged
    assert run_log.set_kept(path, "a1", False) is not None and path.read_bytes() == damaged
    log = run_log.read_runs(path)
    assert [run.id for run in log.runs] == ["a1"] and "line 2" in log.problem and "left as it is" in log.problem


def test_a_log_that_cannot_be_written_is_reported_not_raised(tmp_path):
    folder_in_the_way = tmp_path / "runs.jsonl"
    folder_in_the_way.mkdir()
    note = run_log.append(folder_in_the_way, a_run(1))
    assert note is not None and "training is not affected" in note
    assert "could not be read" in run_log.read_runs(folder_in_the_way).problem


def test_two_programs_logging_at_once_both_get_their_lines_in(tmp_path):
    path = tmp_path / "runs.jsonl"

    def log_many(first):
        for number in range(first, first + 15):
            assert run_log.append(path, a_run(number)) is None

    threads = [threading.Thread(target=log_many, args=(first,)) for first in (0, 15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(run.id for run in run_log.read_runs(path).runs) == sorted(f"run{n}" for n in range(30))


def test_choosing_the_other_model_later_changes_only_that_run(tmp_path):
    path = tmp_path / "runs.jsonl"
    for number in range(3):
        run_log.append(path, a_run(number))
    assert run_log.set_kept(path, "run1", False, "model_params.backup-20261201-101500.npz") is None
    runs = {run.id: run for run in run_log.read_runs(path).runs}
    assert runs["run1"].kept is False and runs["run1"].kept_as.endswith("101500.npz")
    assert runs["run0"] == a_run(0) and runs["run2"] == a_run(2)
    assert "no run 'nope'" in run_log.set_kept(path, "nope", True)


def test_old_or_hand_edited_lines_are_read_as_far_as_they_make_sense(tmp_path):
    path = tmp_path / "runs.jsonl"
    path.write_text('{"id": "x", "val_accuracy": "high", "epochs_run": 3.0, "kept": "yes", "data_by_source": 5}\n\n')
    (run,) = run_log.read_runs(path).runs
    assert run.id == "x" and run.val_accuracy is None and run.epochs_run == 3 and run.kept is None
    assert run.data_by_source == {} and run.settings == {}
    assert "x" not in run_log.format_table([run]).splitlines()[0]


def test_the_table_shows_the_newest_runs_with_their_numbers(utc):
    runs = [a_run(2, kept=False, kept_as="/tmp/model_params.new-20261201-101500.npz", ending="stopped by you",
                  data_by_source={"starter": 8000, "drawn": 45}, authors=3, seconds=75),
            a_run(1, val_accuracy=None, best_epoch=None, kept=None)]
    lines = run_log.format_table(runs).splitlines()
    assert lines[0].split() == ["when", "where", "val", "acc", "best/epochs", "time", "data", "settings", "kept"]
    assert lines[1].startswith("2026-12-01 10:02  terminal  90.2%")
    for text in ("2/7", "1 min 15 s", "starter 8,000 + drawn 45 (3 people)", "lr 0.001, hidden 16-16, batch 128",
                 "no (kept as model_params.new-20261201-101500.npz), stopped by you"):
        assert text in lines[1]
    assert " - " in lines[2] and lines[2].endswith("?")
    many = run_log.format_table([a_run(n % 60) for n in range(25)], limit=20).splitlines()
    assert len(many) == 1 + 20 + 1 and many[-1] == "... and 5 older runs"


def tiny_store(path, per_class=8):
    data = store.DataStore.open(path)
    X, y = make_synthetic_digits(per_class=per_class, seed=0)
    data.add_many(X[:60].reshape(-1, 28, 28), y[:60], source="starter")
    data.add_many(X[60:].reshape(-1, 28, 28), y[60:], source="drawn")
    return data


def test_a_real_training_is_logged_with_its_settings_data_and_result(tmp_path):
    data = tiny_store(tmp_path / "data.json")
    config = train.TrainConfig(epochs=2, patience=None, hidden=(8, 8))
    started = time.perf_counter()
    result = train.train_from_file(data.path, tmp_path / "model_params.npz", config)
    seconds = time.perf_counter() - started
    logged_by_training = len(run_log.read_runs(tmp_path / "runs.jsonl").runs)   # 1 once train_from_file logs itself
    assert run_log.record_training(data, tmp_path / "model_params.npz", config, result, seconds) is None
    runs = run_log.read_runs(tmp_path / "runs.jsonl").runs
    assert len(runs) == logged_by_training + 1
    run = runs[0]
    assert run.data_by_source == dict(Counter(sample.source for sample in data.samples)) == {"starter": 60, "drawn": 20}
    assert run.val_accuracy == pytest.approx(result.best.val_accuracy) and run.best_epoch == result.best_epoch
    assert run.epochs_run == 2 and run.ending == "finished" and run.kept is True and run.where == "terminal"
    assert run.seconds == pytest.approx(seconds, abs=0.01) and run.val_samples == len(result.val_ids)
    assert run.settings["hidden"] == [8, 8] and run.settings["epochs"] == 2
    assert Path(run.model_file) == tmp_path / "model_params.npz" and Path(run.data_file) == data.path
    assert run.date[:4].isdigit() and run.date.endswith("Z")


def test_logging_never_costs_the_user_their_training(tmp_path):
    data = tiny_store(tmp_path / "data.json")
    note = run_log.record_training(data, tmp_path / "model.npz", train.TrainConfig(), object(), 1.0)
    assert note is not None and "training is not affected" in note
    assert not (tmp_path / "runs.jsonl").exists()


def test_a_stopped_or_diverged_run_says_how_it_ended():
    config = train.TrainConfig()
    stopped = train.TrainResult(params=None, interrupted=True)
    assert run_log.ending_of(stopped) == "nothing learned"
    diverged = train.TrainResult(params=None, diverged=True)
    assert run_log.ending_of(diverged) == "diverged"

    class Store:
        path = Path("data.json")
        samples = []

    entry = run_log.entry_for_training(stopped, config, Store(), "model.npz", 0.5, where="window")
    assert entry.kept is False and entry.val_accuracy is None and entry.where == "window"
