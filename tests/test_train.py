"""Training: it learns, it reports every epoch, it stops when told, and it fails with clear words."""
import threading

import numpy as np
import pytest
from synthetic import make_synthetic_digits

import train
from mling import network, store

QUICK = train.TrainConfig(epochs=40, batch_size=32, learning_rate=0.01, patience=None)


@pytest.fixture(scope="module")
def digits():
    X, y = make_synthetic_digits(per_class=40, seed=0)
    X_val, y_val = make_synthetic_digits(per_class=20, seed=1)
    return X, y, X_val, y_val


def make_store(path, per_class=12, seed=0, copies=0):
    """A data.json with drawn samples (and `copies` augmented copies of each)."""
    X, y = make_synthetic_digits(per_class=per_class, seed=seed)
    data = store.DataStore.open(path)
    originals = data.add_many(X.reshape(-1, 28, 28), y, source="drawn")
    if copies:
        parents = [sample.id for sample in originals for _ in range(copies)]
        images = np.repeat(X.reshape(-1, 28, 28), copies, axis=0)
        data.add_many(images, np.repeat(y, copies), source="augmented", parents=parents)
    return data


def test_loss_falls_and_accuracy_reaches_95_percent(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, QUICK)
    losses = [stats.loss for stats in result.history]
    assert losses[-1] < 0.5 * losses[0]
    assert result.best.val_accuracy >= 0.95
    # the kept parameters really are that good on the validation set
    _, accuracy = train.evaluate(result.params, X_val, y_val)
    assert accuracy == pytest.approx(result.best.val_accuracy)


def test_every_epoch_is_reported_with_its_numbers(digits):
    X, y, X_val, y_val = digits
    seen = []
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=5, patience=None), on_epoch=seen.append)
    assert [stats.epoch for stats in seen] == [1, 2, 3, 4, 5] and seen == result.history
    for stats in seen:
        assert stats.loss > 0 and 0 <= stats.train_accuracy <= 1 and 0 <= stats.val_accuracy <= 1
        assert stats.learning_rate == pytest.approx(train.LEARNING_RATE) and stats.seconds >= 0
        assert stats.epochs == 5
    assert "loss" in train.format_epoch(seen[0]) and "lr" in train.format_epoch(seen[0])


def test_same_seed_same_model(digits):
    X, y, X_val, y_val = digits
    config = train.TrainConfig(epochs=3, patience=None)
    first = train.fit(X, y, X_val, y_val, config)
    second = train.fit(X, y, X_val, y_val, config)
    np.testing.assert_array_equal(first.params.flat, second.params.flat)
    third = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=3, patience=None, seed=1))
    assert not np.array_equal(first.params.flat, third.params.flat)


def test_stop_flag_ends_training_and_keeps_the_best(digits):
    X, y, X_val, y_val = digits
    stop = threading.Event()

    def stop_after_three(stats):
        if stats.epoch == 3:
            stop.set()
    result = train.fit(X, y, X_val, y_val, QUICK, on_epoch=stop_after_three, stop_event=stop)
    assert len(result.history) == 3 and result.interrupted
    assert "stopped by you" in result.message


def test_ctrl_c_keeps_the_best_model_and_the_file_is_saved(tmp_path):
    make_store(tmp_path / "data.json")

    def press_ctrl_c(stats):
        if stats.epoch == 4:
            raise KeyboardInterrupt
    result = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK, on_epoch=press_ctrl_c)
    assert result.interrupted and len(result.history) == 4
    params, summary = network.load_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(params.flat, result.params.flat)
    assert summary["best_epoch"] == result.best_epoch


def test_early_stopping_ends_a_run_that_stopped_improving(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=500, patience=5, learning_rate=0.01))
    assert result.stopped_early and len(result.history) < 500
    assert len(result.history) - result.best_epoch == 5


def test_learning_rate_decays_when_progress_stalls(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=80, patience=None, lr_patience=3, learning_rate=0.01))
    rates = [stats.learning_rate for stats in result.history]
    assert rates[0] == pytest.approx(0.01) and min(rates) < rates[0]
    assert all(later <= earlier for earlier, later in zip(rates, rates[1:]))


def test_nan_stops_training_keeps_last_good_weights_and_hints(digits, monkeypatch):
    X, y, X_val, y_val = digits
    real_epoch = train.train_epoch
    good_after_epoch_1 = []

    def poisoned(params, *args, **kwargs):
        if good_after_epoch_1:  # second epoch: the weights blow up
            params.flat[:5] = np.nan
            return float("nan"), 0.0
        result = real_epoch(params, *args, **kwargs)
        good_after_epoch_1.append(params.flat.copy())
        return result
    monkeypatch.setattr(train, "train_epoch", poisoned)
    result = train.fit(X, y, X_val, y_val, QUICK)
    assert result.diverged and len(result.history) == 1
    assert "--lr" in result.message and "\n" not in result.message
    np.testing.assert_array_equal(result.params.flat, good_after_epoch_1[0])


def test_gradient_clipping_is_on_by_default_and_can_be_turned_off(digits, monkeypatch):
    X, y, X_val, y_val = digits
    limits = []
    real_clip = network.clip_by_global_norm
    monkeypatch.setattr(network, "clip_by_global_norm", lambda grads, max_norm: (limits.append(max_norm),
                                                                                 real_clip(grads, max_norm))[1])
    train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=1))
    assert set(limits) == {network.GRADIENT_CLIP_NORM}
    limits.clear()
    train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=1, clip_norm=None))
    assert set(limits) == {None}


def test_hidden_sizes_are_data(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=2, hidden=(32, 8, 12)))
    assert result.params.layer_sizes == (784, 32, 8, 12, 10)


@pytest.mark.parametrize("labels, message", [
    ([], "no samples"),
    ([4] * 30, "only has the digit 4"),
])
def test_unusable_data_gets_a_clear_error(labels, message):
    y = np.array(labels, dtype=np.int64)
    X = np.zeros((len(y), 784), np.float32)
    with pytest.raises(train.TrainingError, match=message):
        train.fit(X, y, config=train.TrainConfig(epochs=1))


def test_too_few_samples_counts_every_sample_not_just_the_training_part(tmp_path):
    data = store.DataStore.open(tmp_path / "data.json")
    X, y = make_synthetic_digits(per_class=1, seed=0)
    data.add_many(X[:3].reshape(-1, 28, 28), y[:3], source="drawn")
    with pytest.raises(train.TrainingError, match="has only 3 samples; draw at least 10"):
        train.train_from_file(tmp_path / "data.json", tmp_path / "m.npz", QUICK)
    data.add_many(X[3:10].reshape(-1, 28, 28), y[3:10], source="drawn")           # exactly 10: enough
    assert train.train_from_file(tmp_path / "data.json", tmp_path / "m.npz", QUICK).best is not None


def test_validation_split_is_stratified_and_copies_follow_their_original(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=20, copies=2)
    X_train, y_train, X_val, y_val = train.split_store(data, 0.2, np.random.default_rng(0))
    assert np.bincount(y_val, minlength=10).tolist() == [4] * 10            # 20% of every digit
    assert len(y_train) == (200 - 40) * 3                                    # originals and their copies
    # no validation image (or a copy of one: our copies here are exact) is in the training set
    train_rows = {row.tobytes() for row in X_train}
    assert not any(row.tobytes() in train_rows for row in X_val)


def test_train_from_file_saves_a_model_that_describes_itself(tmp_path):
    make_store(tmp_path / "data.json")
    result = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK)
    params, summary = network.load_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(params.flat, result.params.flat)
    assert summary["val_accuracy"] == pytest.approx(result.best.val_accuracy)
    assert summary["epochs_run"] == len(result.history)


def test_resume_with_another_architecture_says_what_to_do(tmp_path):
    make_store(tmp_path / "data.json")
    network.save_model(tmp_path / "model.npz", network.init_params((784, 32, 16, 10)))
    with pytest.raises(train.TrainingError, match="--hidden 32 16"):
        train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK, resume=True)


def test_main_trains_prints_every_epoch_and_plots(tmp_path, capsys):
    make_store(tmp_path / "data.json")
    code = train.main(["--data", str(tmp_path / "data.json"), "--model", str(tmp_path / "m.npz"),
                       "--epochs", "3", "--patience", "0", "--plot", str(tmp_path / "curves.png")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("loss") == 3 and "epoch 3/3" in out and "val" in out and "lr" in out
    assert (tmp_path / "m.npz").exists()
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("setup, message", [
    ("missing", "no data file"),
    ("corrupt", "data.json"),
    ("single", "only has the digit"),
    ("bad_lr", "--lr must be"),
])
def test_main_errors_are_one_line_with_non_zero_exit(tmp_path, capsys, setup, message):
    path = tmp_path / "data.json"
    args = ["--data", str(path), "--model", str(tmp_path / "m.npz"), "--epochs", "2"]
    if setup == "corrupt":
        path.write_text('{"format": "mling-data", "version": 2, "samples": [')
    elif setup == "single":
        data = store.DataStore.open(path)
        data.add_many(np.zeros((12, 28, 28), np.float32) + 0.5, [3] * 12, source="drawn")
    elif setup == "bad_lr":
        make_store(path)
        args += ["--lr", "-1"]
    code = train.main(args)
    err = capsys.readouterr().err.strip()
    assert code != 0 and err.startswith("error:") and message in err and "\n" not in err
    assert not (tmp_path / "m.npz").exists()


def test_adam_first_step_moves_each_weight_by_the_learning_rate_against_its_gradient():
    # After bias correction, Adam's first step is lr * g / (|g| + eps): lr against the sign of g.
    params = np.array([1.0, -2.0, 0.5], dtype=np.float32)
    grads = np.array([0.3, -40.0, 0.0], dtype=np.float32)
    train.Adam(3, weight_decay=0.0).step(params, grads, 0.01)
    np.testing.assert_allclose(params, [1.0 - 0.01, -2.0 + 0.01, 0.5], rtol=1e-5)


def test_weight_decay_shrinks_weights_when_there_is_no_gradient():
    params = np.array([1.0, -2.0], dtype=np.float32)
    train.Adam(2, weight_decay=0.5).step(params, np.zeros(2, np.float32), 0.1)
    np.testing.assert_allclose(params, [1.0 * 0.95, -2.0 * 0.95], rtol=1e-6)


def test_own_drawings_count_more_when_mixed_with_starter_samples(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=10)                      # 100 drawn
    X_starter, y_starter = make_synthetic_digits(per_class=30, seed=5)
    data.add_many(X_starter.reshape(-1, 28, 28), y_starter, source="starter")    # 300 starter
    X_train, _, X_val, _ = train.split_store(data, 0.2, np.random.default_rng(0), own_weight=3)
    assert len(X_val) == 80                                                     # 20% of all 400 originals
    drawn_rows = {row.tobytes() for row in data.arrays("drawn")[0]}
    drawn_in_val = sum(row.tobytes() in drawn_rows for row in X_val)
    drawn_in_training = sum(row.tobytes() in drawn_rows for row in X_train)
    starter_in_training = len(X_train) - drawn_in_training
    assert drawn_in_training == (100 - drawn_in_val) * 3                         # each drawing three times
    assert starter_in_training == 300 - (80 - drawn_in_val)                      # each starter sample once
    # on its own, a drawn-only store is not repeated
    alone = make_store(tmp_path / "alone.json", per_class=10)
    assert len(train.split_store(alone, 0.2, np.random.default_rng(0), own_weight=3)[0]) == 80


def test_train_only_on_own_drawings_and_their_copies(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=10, copies=2)            # 100 drawn + 200 copies
    X_starter, y_starter = make_synthetic_digits(per_class=30, seed=5)
    data.add_many(X_starter.reshape(-1, 28, 28), y_starter, source="starter")
    X_train, _, X_val, _ = train.split_store(data, 0.2, np.random.default_rng(0), sources=("drawn",))
    assert len(X_val) == 20 and len(X_train) == 80 * 3                          # originals and copies
    starter_rows = {row.tobytes() for row in data.arrays("starter")[0]}
    assert not any(row.tobytes() in starter_rows for row in np.concatenate([X_train, X_val]))


def test_clip_norm_is_configurable_from_the_terminal(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(train, "train_from_file", lambda data, model, config, *rest: seen.append(config) or
                        train.TrainResult(params=network.init_params()))
    train.main(["--data", str(tmp_path / "d.json"), "--clip-norm", "2.5"])
    train.main(["--data", str(tmp_path / "d.json"), "--no-clip"])
    assert seen[0].clip_norm == 2.5 and seen[1].clip_norm is None


@pytest.mark.parametrize("option, value, message", [
    ("--model", "missing_folder/m.npz", "does not exist"),
    ("--model", ".", "is a folder"),
    ("--plot", "missing_folder/curves.png", "does not exist"),
    ("--plot", "curves.jpg", "needs a .png"),
    ("--patience", "-3", "--patience must be 1 or more"),
])
def test_bad_output_paths_and_settings_fail_before_any_training(tmp_path, capsys, option, value, message):
    make_store(tmp_path / "data.json")
    value = str(tmp_path / value) if option != "--patience" else value
    args = ["--data", str(tmp_path / "data.json"), "--model", str(tmp_path / "m.npz"), "--epochs", "2", option, value]
    assert train.main(args) != 0
    captured = capsys.readouterr()
    assert "epoch 1" not in captured.out                       # failed before training, not after
    assert message in captured.err and captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_resume_without_a_model_says_it_starts_fresh(tmp_path, capsys):
    make_store(tmp_path / "data.json")
    assert train.main(["--data", str(tmp_path / "data.json"), "--model", str(tmp_path / "m.npz"),
                       "--epochs", "1", "--resume"]) == 0
    assert "starting fresh" in capsys.readouterr().out
