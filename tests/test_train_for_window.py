"""What train.py promises the window (and the terminal): the held-out samples are recorded and reused,
the recipe travels with the model, a model never gets worse unasked, and quitting loses nothing.

The window's Mistakes tab lists the validation drawings the network got wrong, its Inside view shows
the weights after each epoch, and its keep/undo buttons call mling.model_files.
"""
import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from shipped import shipped_path
from synthetic import make_synthetic_digits

import train
from mling import model_files, network, store
from mling.paths import REPOSITORY

QUICK = train.TrainConfig(epochs=6, batch_size=32, learning_rate=0.01, patience=None)
GOOD = train.TrainConfig(epochs=25, batch_size=32, learning_rate=0.01)


def make_mixed_store(path):
    """Drawn samples with augmented copies, plus starter samples."""
    X, y = make_synthetic_digits(per_class=12, seed=0)
    data = store.DataStore.open(path)
    drawn = data.add_many(X.reshape(-1, 28, 28), y, source="drawn")
    data.add_many(np.repeat(X.reshape(-1, 28, 28), 2, axis=0), np.repeat(y, 2), source="augmented",
                  parents=[sample.id for sample in drawn for _ in range(2)])
    X_starter, y_starter = make_synthetic_digits(per_class=20, seed=5)
    data.add_many(X_starter.reshape(-1, 28, 28), y_starter, source="starter")
    return data


def file_val_ids(path):
    """The held-out ids as the model file stores them, read without MLing's loader."""
    with np.load(path) as file:
        return file["val_ids"].tolist()


def test_the_model_file_records_its_held_out_samples_and_the_split(tmp_path):
    data = make_mixed_store(tmp_path / "data.json")
    result = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK)
    ids = file_val_ids(tmp_path / "model.npz")
    assert ids == result.val_ids and len(set(ids)) == len(ids) == 50            # 15% of the 32 originals of each digit
    by_id = {sample.id: sample for sample in data.samples}
    assert {by_id[i].source for i in ids} == {"drawn", "starter"}                # originals only, never copies
    _, summary = network.load_model(tmp_path / "model.npz")
    assert (summary["val_split"], summary["seed"], summary["sources"]) == (0.15, 0, "all")
    assert summary["data_until"] == max(sample.created for sample in data.samples)
    assert summary["val_accuracy"] == pytest.approx(result.best.val_accuracy)


def test_a_new_training_holds_out_the_same_samples_and_splits_only_new_ones(tmp_path):
    data = make_mixed_store(tmp_path / "data.json")
    first = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", GOOD)
    assert train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz",
                                 dataclasses.replace(QUICK, seed=3)).val_ids == first.val_ids   # even another seed
    # drawings added after the model: some are held out (by the same rule), the old ones are not touched
    _, summary = network.load_model(tmp_path / "model.npz")
    X, y = make_synthetic_digits(per_class=4, seed=11)
    time.sleep(1.1)                                      # created times have whole seconds
    new = {s.id for s in data.add_many(X.reshape(-1, 28, 28), y, source="drawn")}
    third = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK)
    assert set(first.val_ids) < set(third.val_ids)
    assert set(third.val_ids) - set(first.val_ids) <= new and len(set(third.val_ids) - set(first.val_ids)) == 10


def test_the_recipe_travels_with_the_model(tmp_path):
    make_mixed_store(tmp_path / "data.json")
    config = dataclasses.replace(QUICK, hidden=(20, 8), optimizer="momentum", learning_rate=0.02, augment_copies=2,
                                 sources=("drawn",), weight_decay=0.01, batch_size=16, clip_norm=None)
    train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", config)
    params, summary = network.load_model(tmp_path / "model.npz")
    again = train.config_from_model(summary, params.layer_sizes)
    assert again == config
    assert train.config_from_model(summary, params.layer_sizes, epochs=3).epochs == 3
    assert train.config_from_model({}, (784, 64, 32, 10)) == dataclasses.replace(train.TrainConfig(), hidden=(64, 32))


def test_the_shipped_model_records_its_held_out_drawings_and_its_recipe():
    params, summary = network.load_model(shipped_path("model_params.npz"))
    data = store.DataStore.open(shipped_path("data.json"))
    by_id = {sample.id: sample for sample in data.samples}
    held_out = [by_id[sample_id] for sample_id in summary["val_ids"]]             # all still in data.json
    assert np.bincount([s.label for s in held_out], minlength=10).tolist() == [
        round(count * 0.15) for count in data.counts()]                          # 15% of every digit
    X = store.bytes_to_images(b"".join(s.pixels for s in held_out), len(held_out))
    accuracy = (network.predict_probabilities(params, X).argmax(1) == [s.label for s in held_out]).mean()
    assert accuracy == pytest.approx(summary["val_accuracy"])                    # 97.25%: the number it claims
    recipe = train.config_from_model(summary, params.layer_sizes)
    assert recipe.augment_copies == 20 and recipe.hidden == (16, 16) and recipe.optimizer == "adam"


def test_a_worse_training_keeps_the_model_and_says_so(tmp_path):
    make_mixed_store(tmp_path / "data.json")
    good = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", GOOD)
    before = (tmp_path / "model.npz").read_bytes()
    worse = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz",
                                  dataclasses.replace(QUICK, epochs=1, learning_rate=0.0003))
    assert worse.choice.kept == "old" and (tmp_path / "model.npz").read_bytes() == before
    assert worse.choice.comparison.old_accuracy == pytest.approx(good.best.val_accuracy)
    assert worse.choice.comparison.sample_ids == tuple(good.val_ids)            # the same held-out samples
    assert network.load_model(worse.choice.other_path)[0].layer_sizes == (784, 16, 16, 10)
    choice = model_files.keep_new(worse.choice)                                  # the user's say
    np.testing.assert_array_equal(network.load_model(tmp_path / "model.npz")[0].flat, worse.params.flat)
    assert choice.other_path.read_bytes() == before


def test_train_py_restore_goes_back_to_a_kept_model(tmp_path, capsys):
    make_mixed_store(tmp_path / "data.json")
    train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", GOOD)
    good = (tmp_path / "model.npz").read_bytes()
    worse = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", dataclasses.replace(QUICK, epochs=1))
    assert train.main(["--model", str(tmp_path / "model.npz"), "--restore", str(worse.choice.other_path)]) == 0
    line = capsys.readouterr().out.strip()
    assert "model.npz is in use now" in line and "\n" not in line
    np.testing.assert_array_equal(network.load_model(tmp_path / "model.npz")[0].flat, worse.params.flat)
    backups = [p for p in model_files.backups(tmp_path / "model.npz") if p.name.startswith("model.backup-")]
    assert [p.read_bytes() for p in backups] == [good]                           # the one it replaced is kept
    assert train.main(["--model", str(tmp_path / "model.npz"), "--restore", str(tmp_path / "nothing.npz")]) == 1
    assert "no such model file to go back to (kept beside model.npz: model." in capsys.readouterr().err


def test_stopping_mid_training_never_saves_a_worse_model(tmp_path):
    make_mixed_store(tmp_path / "data.json")
    train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", GOOD)
    before = (tmp_path / "model.npz").read_bytes()
    stop = threading.Event()

    def quit_after_one_batch(stats):
        stop.set()
    result = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK, stop_event=stop,
                                   on_batch=quit_after_one_batch)
    assert result.interrupted and result.steps == 1 and result.best is None       # nothing to compare
    assert (tmp_path / "model.npz").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".npz") == ["model.npz"]


def test_each_epoch_carries_a_copy_of_the_weights_and_only_the_newest_keeps_it(tmp_path):
    X, y = make_synthetic_digits(per_class=20, seed=0)
    seen = []
    result = train.fit(X, y, config=QUICK, on_epoch=lambda stats: seen.append(stats.params.flat.copy()))
    assert len(seen) == QUICK.epochs
    assert not np.array_equal(seen[0], seen[-1])                     # the weights changed between epochs
    assert all(stats.params is None for stats in result.history[:-1])
    last = result.history[-1].params
    assert isinstance(last, network.Parameters) and np.array_equal(last.flat, seen[-1])


def test_pause_step_and_resume_run_exactly_the_batches_asked_for(tmp_path):
    X, y = make_synthetic_digits(per_class=20, seed=0)                      # 200 samples, batch 32: 7 per epoch
    trainer = train.Trainer(X, y, config=QUICK)
    trainer.step()                                                         # Step: one batch
    paused = trainer.params.flat.copy()
    assert trainer.steps == 1 and np.array_equal(trainer.params.flat, paused)   # paused: nothing moves
    stats = trainer.run_epoch()                                            # +1 epoch: to the end of this one
    assert stats.epoch == 1 and trainer.steps == 7
    trainer.run_epoch()
    assert trainer.steps == 14 and [s.epoch for s in trainer.history] == [1, 2]
    trainer.stop()                                                         # Stop ...
    assert trainer.finished and trainer.result().interrupted
    trainer.carry_on()                                                     # ... then +1 epoch after all
    trainer.run_epoch()
    assert trainer.steps == 21 and len(trainer.history) == 3 and not trainer.finished


# --- the terminal, as real processes --------------------------------------------------------

def run_train(*args, **options):
    return subprocess.run([sys.executable, "train.py", *args], cwd=REPOSITORY, capture_output=True, text=True,
                          timeout=120, **options)


@pytest.fixture
def trained_store(tmp_path):
    make_mixed_store(tmp_path / "data.json")
    train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", GOOD)
    return tmp_path / "data.json", tmp_path / "model.npz"


def test_resume_with_a_huge_learning_rate_stops_diverged_and_keeps_the_model(trained_store):
    data_path, model_path = trained_store
    before = model_path.read_bytes()
    done = run_train("--data", str(data_path), "--model", str(model_path), "--resume", "--lr", "9", "--no-clip")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "diverged" in done.stdout and "--lr 0.9" in done.stdout and "Traceback" not in done.stderr
    assert "kept model.npz" in done.stdout
    assert model_path.read_bytes() == before
    assert sorted(p.name for p in model_path.parent.glob("*.npz")) == ["model.npz"]   # the wreck is not kept


def test_sigterm_mid_training_stops_cleanly_and_never_saves_a_worse_model(trained_store):
    data_path, model_path = trained_store
    before = model_path.read_bytes()
    process = subprocess.Popen([sys.executable, "train.py", "--data", str(data_path), "--model", str(model_path),
                                "--epochs", "300", "--patience", "0", "--lr", "0.0001", "--batch-size", "8"],
                               cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().split()[:2] == ["epoch", "1/300"]      # training is under way
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 143 and "Traceback" not in err, err
    assert "stopped by you" in out and "kept model.npz" in out
    assert model_path.read_bytes() == before


@pytest.mark.skipif(os.name == "nt", reason="uses a POSIX shell pipe")
@pytest.mark.parametrize("script, args", [("train.py", ["--epochs", "3"]), ("run.py", ["--evaluate"])])
def test_a_closed_pipe_ends_quietly(trained_store, script, args):
    data_path, model_path = trained_store
    command = [sys.executable, script, "--data", str(data_path), "--model", str(model_path), *args]
    done = subprocess.run(f"{' '.join(map(str, command))} | head -1; exit ${{PIPESTATUS[0]}}", shell=True,
                          executable="/bin/bash", cwd=REPOSITORY, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert len(done.stdout.splitlines()) == 1 and done.returncode == 0
    assert Path(model_path).exists()


def test_the_window_can_step_a_run_itself_and_finish_it_by_the_rule(tmp_path):
    make_mixed_store(tmp_path / "data.json")
    run = train.prepare_training(tmp_path / "data.json", tmp_path / "model.npz", QUICK)
    with train.single_blas_thread():
        first = [run.trainer.step() for _ in range(3)]                # Step, Step, Step
        run.trainer.run_epoch()                                       # +1 epoch
        run.trainer.run_epoch()
    run.trainer.stop()                                                # Stop
    result = train.finish_training(run)
    assert [s.step for s in first] == [1, 2, 3] and len(result.history) == 2 and result.interrupted
    assert result.choice.kept == "new" and (tmp_path / "model.npz").exists()     # the first model: saved
    np.testing.assert_array_equal(network.load_model(tmp_path / "model.npz")[0].flat, result.params.flat)
    assert file_val_ids(tmp_path / "model.npz") == result.val_ids
