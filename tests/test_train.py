"""Training: it learns, steps exactly as the maths says, stops when told, and fails with clear words."""
import dataclasses
import threading

import numpy as np
import pytest
from synthetic import make_synthetic_digits

import add_noise
import train
from mling import network, optimizers, store

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


# --- it learns --------------------------------------------------------------------------------

def test_loss_falls_and_accuracy_reaches_95_percent(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, QUICK)
    losses = [stats.loss for stats in result.history]
    assert losses[-1] < 0.5 * losses[0]
    assert result.best.val_accuracy >= 0.95
    # the kept parameters really are that good on the validation set (scored here by hand)
    p = result.params
    h1 = np.maximum(X_val @ p["W1"] + p["b1"], 0)
    h2 = np.maximum(h1 @ p["W2"] + p["b2"], 0)
    assert ((h2 @ p["W3"] + p["b3"]).argmax(axis=1) == y_val).mean() == pytest.approx(result.best.val_accuracy)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_every_optimizer_learns_with_its_usual_settings(digits, optimizer):
    X, y, X_val, y_val = digits
    config = dataclasses.replace(QUICK, epochs=25, batch_size=32).with_optimizer(optimizer)
    result = train.fit(X, y, X_val, y_val, config)
    assert result.best.val_accuracy >= 0.9, (optimizer, result.message)


def test_pixel_bytes_train_like_the_floats_they_stand_for(digits):
    X, y, _, _ = digits
    pixels = np.rint(X * 255).astype(np.uint8)
    floats = pixels.astype(np.float64) / 255
    np.testing.assert_allclose(train.network_input(pixels, np.arange(5, 60)), floats[5:60], rtol=1e-7)
    np.testing.assert_array_equal(train.as_floats(pixels), store.bytes_to_images(pixels.tobytes(), len(pixels)))
    config = dataclasses.replace(QUICK, epochs=3)
    from_bytes = train.fit(pixels, y, config=config)
    from_floats = train.fit(floats.astype(np.float32), y, config=config)
    np.testing.assert_allclose(from_bytes.params.flat, from_floats.params.flat, atol=1e-4)
    assert [s.val_accuracy for s in from_bytes.history] == [s.val_accuracy for s in from_floats.history]


# --- one step is exactly the maths ----------------------------------------------------------

def plain_batch_step(params, X, y, learning_rate, clip_norm, optimizer_state, t,
                     beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1):
    """One Adam(W) step written out with NumPy from the formulas, in float64."""
    W = [params[f"W{k}"].astype(np.float64) for k in (1, 2, 3)]
    b = [params[f"b{k}"].astype(np.float64) for k in (1, 2, 3)]
    a0 = X.astype(np.float64)
    z1 = a0 @ W[0] + b[0]
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W[1] + b[1]
    a2 = np.maximum(z2, 0)
    z3 = a2 @ W[2] + b[2]
    p = np.exp(z3 - z3.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    d3 = (p - np.eye(10)[y]) / len(y)
    d2 = (d3 @ W[2].T) * (z2 > 0)
    d1 = (d2 @ W[1].T) * (z1 > 0)
    grads = [a0.T @ d1, d1.sum(0), a1.T @ d2, d2.sum(0), a2.T @ d3, d3.sum(0)]
    flat_g = np.concatenate([g.ravel() for g in grads])
    norm = np.sqrt((flat_g ** 2).sum())
    if norm > clip_norm:
        flat_g *= clip_norm / norm
    m, v = optimizer_state
    m[:] = beta1 * m + (1 - beta1) * flat_g
    v[:] = beta2 * v + (1 - beta2) * flat_g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    flat = params.flat.astype(np.float64)
    return flat - learning_rate * weight_decay * flat - learning_rate * m_hat / (np.sqrt(v_hat) + eps)


def test_each_step_is_one_adam_update_of_one_batch_over_many_steps(digits):
    X, y, X_val, y_val = digits
    config = dataclasses.replace(QUICK, batch_size=50, learning_rate=0.003, clip_norm=1.0)
    trainer = train.Trainer(X, y, X_val, y_val, config)
    state = (np.zeros(trainer.params.flat.size), np.zeros(trainer.params.flat.size))
    for t in range(1, 21):                                   # 20 steps: 2.5 epochs, clipping often on
        before = trainer.params.copy()
        trainer.step()
        start = ((t - 1) % trainer.batches_per_epoch) * 50
        rows = trainer.order[start:start + 50]
        expected = plain_batch_step(before, X[rows], y[rows], 0.003, 1.0, state, t)
        np.testing.assert_allclose(trainer.params.flat, expected, rtol=2e-4, atol=2e-6)
        trainer.params.flat[...] = expected                 # no float32 drift between the two
    assert trainer.steps == 20 and trainer.epoch == 2 and trainer.batch == 4


def test_step_runs_exactly_one_batch_and_the_epoch_ends_on_its_last(digits):
    X, y, X_val, y_val = digits
    trainer = train.Trainer(X, y, X_val, y_val, dataclasses.replace(QUICK, batch_size=64))
    assert trainer.batches_per_epoch == 7                                 # 400 samples / 64, rounded up
    seen = [trainer.step() for _ in range(7)]
    assert [s.batch for s in seen] == list(range(1, 8)) and [s.step for s in seen] == list(range(1, 8))
    assert [len(s.labels) for s in seen] == [64] * 6 + [16]
    assert all(s.epoch_stats is None for s in seen[:-1]) and seen[-1].epoch_stats.epoch == 1
    assert sorted(np.concatenate([s.labels for s in seen])) == sorted(y)   # each sample once per epoch
    assert trainer.history == [seen[-1].epoch_stats]
    for stats in seen:                                                     # the batch's own loss and accuracy
        picked = stats.probabilities[np.arange(len(stats.labels)), stats.labels]
        assert stats.loss == pytest.approx(-np.log(picked).mean(), rel=1e-5)
        assert stats.accuracy == pytest.approx((stats.probabilities.argmax(1) == stats.labels).mean())


def test_run_epoch_reports_every_batch_and_the_history_every_epoch(digits):
    X, y, X_val, y_val = digits
    batches, epochs = [], []
    result = train.fit(X, y, X_val, y_val, dataclasses.replace(QUICK, epochs=3, batch_size=100),
                       on_epoch=epochs.append, on_batch=batches.append)
    assert len(batches) == 12 and [b.step for b in batches] == list(range(1, 13))
    assert [e.epoch for e in epochs] == [1, 2, 3] and epochs == result.history and result.steps == 12
    # an epoch's loss is the mean of what its batches saw
    first = batches[:4]
    assert epochs[0].loss == pytest.approx(np.mean([b.loss for b in first]), rel=1e-5)
    assert epochs[0].train_accuracy == pytest.approx(np.mean([b.accuracy for b in first]))


def test_reset_gives_the_same_start_for_the_same_seed_and_repeats_the_run(digits):
    X, y, X_val, y_val = digits
    trainer = train.Trainer(X, y, X_val, y_val, QUICK)
    start = trainer.params.flat.copy()
    for _ in range(5):
        trainer.step()
    after_five = trainer.params.flat.copy()
    trainer.reset(seed=QUICK.seed)
    np.testing.assert_array_equal(trainer.params.flat, start)             # same seed, same start
    for _ in range(5):
        trainer.step()
    np.testing.assert_array_equal(trainer.params.flat, after_five)        # and the same run
    trainer.reset(seed=7)
    assert trainer.seed == 7 and trainer.steps == 0 and not trainer.history
    assert not np.array_equal(trainer.params.flat, start)
    other = train.Trainer(X[:100], y[:100], config=dataclasses.replace(QUICK, seed=7))
    np.testing.assert_array_equal(other.params.flat, trainer.params.flat)  # whatever the data


# --- optimizers against plain per-step references, over many steps --------------------------

def gradients_sequence(size=6, steps=30, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.array([1e-3, 1e-2, 0.1, 1.0, 10.0, 0.5])[:size]
    return [(rng.normal(size=size) * scales).astype(np.float32) for _ in range(steps)]


def test_adam_matches_the_paper_step_by_step_over_30_steps():
    # Kingma & Ba, Algorithm 1, one parameter at a time in plain Python floats, plus AdamW's decay
    lr, b1, b2, eps, decay = 0.01, 0.9, 0.999, 1e-8, 0.1
    start = [1.0, -2.0, 0.5, 0.0, 3.0, -0.25]
    ours = np.array(start, dtype=np.float32)
    adam = optimizers.Adam(len(start), weight_decay=decay)
    theta, m, v = list(start), [0.0] * 6, [0.0] * 6
    for t, g in enumerate(gradients_sequence(), start=1):
        adam.step(ours, g, lr)
        for i in range(6):
            m[i] = b1 * m[i] + (1 - b1) * float(g[i])
            v[i] = b2 * v[i] + (1 - b2) * float(g[i]) ** 2
            m_hat, v_hat = m[i] / (1 - b1 ** t), v[i] / (1 - b2 ** t)
            theta[i] = theta[i] - lr * (m_hat / (v_hat ** 0.5 + eps) + decay * theta[i])
        np.testing.assert_allclose(ours, theta, rtol=1e-5, atol=1e-6)
    # after 30 steps the steps are no longer lr * sign(g): the history matters
    assert not np.allclose(np.abs(np.array(theta) - start), 30 * lr, rtol=0.05)


def test_sgd_with_momentum_matches_a_plain_reference_over_30_steps():
    lr, mu, decay = 0.05, 0.9, 0.01
    start = [1.0, -2.0, 0.5, 0.0, 3.0, -0.25]
    ours = np.array(start, dtype=np.float32)
    momentum = optimizers.Momentum(len(start), momentum=mu, weight_decay=decay)
    theta, velocity = list(start), [0.0] * 6
    for g in gradients_sequence(seed=1):
        momentum.step(ours, g, lr)
        for i in range(6):
            velocity[i] = mu * velocity[i] + float(g[i])
            theta[i] = theta[i] - lr * decay * theta[i] - lr * velocity[i]
        np.testing.assert_allclose(ours, theta, rtol=1e-5, atol=1e-6)


def test_plain_sgd_matches_a_plain_reference_over_30_steps():
    lr, decay = 0.1, 0.001
    start = [1.0, -2.0, 0.5, 0.0, 3.0, -0.25]
    ours = np.array(start, dtype=np.float32)
    sgd = optimizers.SGD(len(start), weight_decay=decay)
    theta = list(start)
    for g in gradients_sequence(seed=2):
        sgd.step(ours, g, lr)
        theta = [w - lr * decay * w - lr * float(gi) for w, gi in zip(theta, g)]
        np.testing.assert_allclose(ours, theta, rtol=1e-5, atol=1e-6)


def test_weight_decay_shrinks_weights_when_there_is_no_gradient():
    for optimizer in (optimizers.SGD(2, weight_decay=0.5), optimizers.Momentum(2, weight_decay=0.5),
                      optimizers.Adam(2, weight_decay=0.5)):
        params = np.array([1.0, -2.0], dtype=np.float32)
        optimizer.step(params, np.zeros(2, np.float32), 0.1)
        np.testing.assert_allclose(params, [1.0 * 0.95, -2.0 * 0.95], rtol=1e-6)


# --- when it stops -------------------------------------------------------------------------

def test_same_seed_same_model_other_seed_other_model(digits):
    X, y, X_val, y_val = digits
    config = train.TrainConfig(epochs=3, patience=None)
    first = train.fit(X, y, X_val, y_val, config)
    second = train.fit(X, y, X_val, y_val, config)
    np.testing.assert_array_equal(first.params.flat, second.params.flat)
    third = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=3, patience=None, seed=1))
    assert not np.array_equal(first.params.flat, third.params.flat)


def test_stop_flag_ends_training_within_one_batch_and_keeps_the_best(digits):
    X, y, X_val, y_val = digits
    stop = threading.Event()
    batches = []

    def stop_in_epoch_three(stats):
        batches.append(stats)
        if stats.epoch == 3 and stats.batch == 2:
            stop.set()
    result = train.fit(X, y, X_val, y_val, QUICK, stop_event=stop, on_batch=stop_in_epoch_three)
    assert len(batches) == 2 * 13 + 2 and result.steps == 28                 # 13 batches per epoch
    assert len(result.history) == 2 and result.interrupted and "stopped by you" in result.message
    assert result.best_epoch in (1, 2)


def test_early_stopping_ends_a_run_that_stopped_improving(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=500, patience=5, learning_rate=0.01))
    assert result.stopped_early and len(result.history) < 500
    assert len(result.history) - result.best_epoch == 5


def test_the_expected_end_is_the_best_epoch_plus_the_patience(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=60, patience=4, learning_rate=0.01))
    best = 0
    for stats in result.history:
        best = stats.epoch if stats.improved else best
        assert stats.expected_epochs == min(60, best + 4) and stats.epochs == 60
    assert result.history[-1].expected_epochs == len(result.history)       # the estimate was right at the end


def test_learning_rate_halves_when_progress_stalls(digits):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=80, patience=None, lr_patience=3,
                                                             learning_rate=0.01))
    rates = [stats.learning_rate for stats in result.history]
    assert rates[0] == pytest.approx(0.01) and min(rates) < rates[0]
    for earlier, later in zip(rates, rates[1:]):
        assert later in (pytest.approx(earlier), pytest.approx(earlier / 2), train.MIN_LEARNING_RATE)


def test_nan_stops_training_keeps_last_good_weights_and_hints(digits, monkeypatch):
    X, y, X_val, y_val = digits
    trainer = train.Trainer(X, y, X_val, y_val, QUICK)
    trainer.run_epoch()
    good = trainer.params.flat.copy()
    trainer.step()
    trainer.params.flat[:5] = np.nan                           # the weights blow up mid-epoch
    stats = trainer.run_epoch()
    assert trainer.ending == "diverged" and stats.epoch == 2
    result = trainer.result()
    assert result.diverged and "learning rate" in result.message and "\n" not in result.message
    np.testing.assert_array_equal(trainer.params.flat, good)    # back to the epoch's start
    assert result.best_epoch == 1


@pytest.mark.parametrize("fresh", [True, False])
def test_a_far_too_large_learning_rate_is_stopped_as_diverged(digits, fresh):
    X, y, X_val, y_val = digits
    start = None if fresh else train.fit(X, y, X_val, y_val, dataclasses.replace(QUICK, epochs=15)).params
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(learning_rate=9, clip_norm=None, patience=None,
                                                             batch_size=32), params=start)
    assert result.diverged and len(result.history) <= 10
    assert "try 0.9" in result.message


@pytest.mark.parametrize("config", [dict(learning_rate=1e-5), dict(optimizer="sgd", learning_rate=0.001)])
def test_a_too_small_learning_rate_is_slow_not_diverged(digits, config):
    X, y, X_val, y_val = digits
    result = train.fit(X, y, X_val, y_val, train.TrainConfig(epochs=40, patience=None, **config))
    assert not result.diverged and len(result.history) == 40


def test_gradient_clipping_limits_each_step(digits):
    X, y, _, _ = digits
    for clip_norm, expected_largest in ((0.01, 0.01), (None, None)):
        trainer = train.Trainer(X, y, config=dataclasses.replace(QUICK, optimizer="sgd", learning_rate=1.0,
                                                                 weight_decay=0.0, clip_norm=clip_norm))
        before = trainer.params.flat.copy()
        trainer.step()
        length = np.linalg.norm(trainer.params.flat - before)    # sgd, lr 1: the step is the gradient
        if expected_largest is None:
            assert length > 0.05
        else:
            assert length == pytest.approx(expected_largest, rel=1e-4)


# --- bad settings, in words for whoever calls ---------------------------------------------

@pytest.mark.parametrize("changes, setting, words", [
    (dict(epochs=0), "epochs", "number of epochs"),
    (dict(batch_size=0), "batch_size", "batch size"),
    (dict(learning_rate=-1.0), "learning_rate", "learning rate must be a small positive number"),
    (dict(learning_rate=float("nan")), "learning_rate", "learning rate"),
    (dict(optimizer="rmsprop"), "optimizer", "sgd, momentum, adam"),
    (dict(val_split=1.0), "val_split", "held out"),
    (dict(patience=0), "patience", "patience"),
    (dict(weight_decay=-0.1), "weight_decay", "weight decay"),
    (dict(hidden=(16, 0)), "hidden", "hidden layers"),
    (dict(hidden=(100_000,)), "hidden", "from 1 to 4096"),
    (dict(augment_copies=101), "augment_copies", "0 to 100"),
    (dict(sources=("nonsense",)), "sources", "sources must be among"),
])
def test_impossible_settings_name_the_setting_in_plain_words(changes, setting, words):
    with pytest.raises(train.TrainingError, match=words) as caught:
        dataclasses.replace(train.TrainConfig(), **changes).check()
    assert caught.value.setting == setting
    assert "--" not in str(caught.value)                  # the window calls this too: no command-line flags


@pytest.mark.parametrize("y, message", [
    (np.array([], dtype=np.int64), "has no samples"),
    (np.full(20, 4), "only has the digit 4"),
])
def test_unusable_labels_are_one_line_errors(y, message):
    X = np.zeros((len(y), 784), np.float32)
    with pytest.raises(train.TrainingError, match=message):
        train.fit(X, y, config=train.TrainConfig(epochs=1))


def test_too_few_samples_says_how_many_are_needed():
    with pytest.raises(train.TrainingError, match="has only 3 samples; draw at least 12"):
        train.check_training_data(np.array([1, 2, 3]), "data.json", min_samples=12)


def test_too_few_samples_counts_every_sample_not_just_the_training_part(tmp_path):
    data = store.DataStore.open(tmp_path / "data.json")
    X, y = make_synthetic_digits(per_class=1, seed=0)
    data.add_many(X[:3].reshape(-1, 28, 28), y[:3], source="drawn")
    with pytest.raises(train.TrainingError, match="has only 3 samples; draw at least 10"):
        train.train_from_file(tmp_path / "data.json", tmp_path / "m.npz", QUICK)
    data.add_many(X[3:10].reshape(-1, 28, 28), y[3:10], source="drawn")           # exactly 10: enough
    assert train.train_from_file(tmp_path / "data.json", tmp_path / "m.npz", QUICK).best is not None


def test_only_drawn_on_a_file_without_drawings_says_what_it_has(tmp_path):
    data = store.DataStore.open(tmp_path / "data.json")
    X, y = make_synthetic_digits(per_class=3, seed=0)
    data.add_many(X.reshape(-1, 28, 28), y, source="starter")
    with pytest.raises(train.TrainingError, match="has no drawn samples \\(it has 30 starter\\)") as caught:
        train.train_from_file(tmp_path / "data.json", tmp_path / "m.npz",
                              dataclasses.replace(QUICK, sources=("drawn",)))
    assert caught.value.setting == "sources"


# --- the split -------------------------------------------------------------------------------

def test_validation_split_is_stratified_and_copies_follow_their_original(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=20, copies=2)
    training, validation = train.split_indices(data, 0.2, np.random.default_rng(0))
    samples = data.samples
    assert np.bincount([samples[i].label for i in validation], minlength=10).tolist() == [4] * 10
    assert len(training) == (200 - 40) * 3                                   # originals and their copies
    held_out = {samples[i].id for i in validation}
    assert not any(samples[i].id in held_out or samples[i].parent in held_out for i in training)
    assert all(samples[i].source == "drawn" for i in validation)


def test_own_drawings_count_more_when_mixed_with_starter_samples(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=10)                      # 100 drawn
    X_starter, y_starter = make_synthetic_digits(per_class=30, seed=5)
    data.add_many(X_starter.reshape(-1, 28, 28), y_starter, source="starter")    # 300 starter
    training, validation = train.split_indices(data, 0.2, np.random.default_rng(0), own_weight=3)
    sources = [data.samples[i].source for i in training]
    drawn_in_val = sum(data.samples[i].source == "drawn" for i in validation)
    assert len(validation) == 80                                                 # 20% of all 400 originals
    assert sources.count("drawn") == (100 - drawn_in_val) * 3                    # each drawing three times
    assert sources.count("starter") == 300 - (80 - drawn_in_val)                 # each starter sample once
    alone = make_store(tmp_path / "alone.json", per_class=10)                    # alone: not repeated
    assert len(train.split_indices(alone, 0.2, np.random.default_rng(0), own_weight=3)[0]) == 80


def test_train_only_on_own_drawings_and_their_copies(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=10, copies=2)            # 100 drawn + 200 copies
    X_starter, y_starter = make_synthetic_digits(per_class=30, seed=5)
    data.add_many(X_starter.reshape(-1, 28, 28), y_starter, source="starter")
    training, validation = train.split_indices(data, 0.2, np.random.default_rng(0), sources=("drawn",))
    assert len(validation) == 20 and len(training) == 80 * 3                     # originals and copies
    assert {data.samples[i].source for i in np.concatenate([training, validation])} == {"drawn", "augmented"}


def set_created(data, ids, when):
    """Give these samples another creation time (through the store's own remove and restore)."""
    chosen = [sample for sample in data.samples if sample.id in set(ids)]
    data.remove(ids)
    data.restore([dataclasses.replace(sample, created=when) for sample in chosen])


def test_a_saved_models_held_out_samples_are_held_out_again_and_only_new_ones_are_split(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=20)                     # 200 "old" drawings
    set_created(data, [s.id for s in data.samples], "2026-01-01T10:00:00Z")
    _, old_validation = train.split_indices(data, 0.2, np.random.default_rng(0))
    old_ids = {data.samples[i].id for i in old_validation}
    X_new, y_new = make_synthetic_digits(per_class=10, seed=9)
    new = data.add_many(X_new.reshape(-1, 28, 28), y_new, source="drawn")       # 100 added later
    training, validation = train.split_indices(data, 0.2, np.random.default_rng(5), held_out=old_ids,
                                               known_until="2026-01-01T10:00:00Z")
    validation_ids = {data.samples[i].id for i in validation}
    assert old_ids <= validation_ids                                             # the same ones again
    new_held_out = validation_ids - old_ids
    assert new_held_out <= {s.id for s in new} and len(new_held_out) == 20       # 20% of each new digit
    assert np.bincount([s.label for s in new if s.id in new_held_out], minlength=10).tolist() == [2] * 10
    old_training = {s.id for s in data.samples if s.created == "2026-01-01T10:00:00Z"} - old_ids
    assert old_training <= {data.samples[i].id for i in training}               # still trained on, not held out


# --- augmentation in memory --------------------------------------------------------------------

def test_in_memory_copies_are_made_for_training_drawings_only_as_bytes(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=10)
    config = dataclasses.replace(QUICK, augment_copies=3, val_split=0.2)
    arrays = train.training_data(data, config)
    held_out = len(arrays.y_val)
    assert held_out == 20 and arrays.copies_made == 80 * 3
    assert arrays.X_train.dtype == np.uint8 and len(arrays.X_train) == 80 * 4
    originals = arrays.X_train[:80].astype(np.float32) / 255
    copies = arrays.X_train[80:].astype(np.float32).reshape(80, 3, 784) / 255
    np.testing.assert_array_equal(arrays.y_train[80:].reshape(80, 3), np.repeat(arrays.y_train[:80, None], 3, 1))
    # each copy still looks like its digit: the nearest original has its label
    distance = np.linalg.norm(copies[:, :, None, :] - originals[None, None, :, :], axis=-1)   # (80, 3, 80)
    assert (arrays.y_train[:80][distance.argmin(axis=2)] == arrays.y_train[80:].reshape(80, 3)).mean() > 0.9
    assert not np.array_equal(copies[:, 0], originals)
    # and they are the copies add_noise.py makes of these drawings with the same seed
    expected = add_noise.make_copies(originals.reshape(-1, 28, 28), 3, np.random.default_rng(config.augment_seed))
    np.testing.assert_array_equal(arrays.X_train[80:], np.rint(expected.reshape(240, 784) * 255).astype(np.uint8))
    again = train.training_data(data, config)                                    # the same seed, the same copies
    np.testing.assert_array_equal(again.X_train, arrays.X_train)


def test_drawings_with_copies_in_data_json_get_no_more_in_memory(tmp_path):
    data = make_store(tmp_path / "data.json", per_class=10, copies=2)
    arrays = train.training_data(data, dataclasses.replace(QUICK, augment_copies=5, val_split=0.2))
    assert arrays.copies_made == 0 and len(arrays.X_train) == 80 * 3


# --- the terminal ----------------------------------------------------------------------------

def test_main_trains_prints_every_epoch_and_plots(tmp_path, capsys):
    make_store(tmp_path / "data.json")
    code = train.main(["--data", str(tmp_path / "data.json"), "--model", str(tmp_path / "m.npz"),
                       "--epochs", "3", "--patience", "0", "--plot", str(tmp_path / "curves.png")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("loss") == 3 and "epoch 3/3" in out and "val" in out and "lr" in out
    assert "saved m.npz" in out
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_terminal_flags_reach_the_config(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(train, "train_from_file", lambda data, model, config, *rest: seen.append(config) or
                        train.TrainResult(params=network.init_params()))
    base = ["--data", str(tmp_path / "d.json")]
    train.main([*base, "--clip-norm", "2.5", "--augment", "20", "--hidden", "32", "16"])
    train.main([*base, "--no-clip", "--optimizer", "sgd", "--only", "drawn"])
    train.main([*base, "--optimizer", "momentum", "--lr", "0.02"])
    assert seen[0].clip_norm == 2.5 and seen[0].augment_copies == 20 and seen[0].layer_sizes == (784, 32, 16, 10)
    assert seen[1].clip_norm is None and seen[1].sources == ("drawn",)
    assert (seen[1].learning_rate, seen[1].weight_decay) == train.USUAL_SETTINGS["sgd"]   # its own usual rate
    assert seen[2].learning_rate == 0.02 and seen[2].optimizer == "momentum"


@pytest.mark.parametrize("setup, message", [
    ("missing", "no data file"),
    ("corrupt", "data.json"),
    ("single", "only has the digit"),
    ("bad_lr", "--lr: the learning rate must be"),
    ("no_drawings", "--only: "),
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
    elif setup == "no_drawings":
        store.DataStore.open(path).add_many(np.zeros((12, 28, 28), np.float32) + 0.5, [3, 4] * 6, source="starter")
        args += ["--only", "drawn"]
    code = train.main(args)
    err = capsys.readouterr().err.strip()
    assert code != 0 and err.startswith("error:") and message in err and "\n" not in err
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize("option, value, message", [
    ("--model", "missing_folder/m.npz", "does not exist"),
    ("--model", ".", "is a folder"),
    ("--plot", "missing_folder/curves.png", "does not exist"),
    ("--plot", "curves.jpg", "needs a .png"),
    ("--patience", "-3", "--patience: the patience must be at least 1"),
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


def test_resume_with_another_architecture_says_what_to_do(tmp_path):
    make_store(tmp_path / "data.json")
    network.save_model(tmp_path / "model.npz", network.init_params((784, 32, 16, 10)))
    with pytest.raises(train.TrainingError, match="hidden layers 32 16") as caught:
        train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK, resume=True)
    assert caught.value.setting == "hidden"


def test_store_notes_are_printed_as_plain_warning_lines(tmp_path, capfd):
    rows = make_synthetic_digits(per_class=2, seed=0)
    items = [{"input": (row * 1.5).tolist(), "output": int(label)} for row, label in zip(*rows)]   # values > 1
    (tmp_path / "data.json").write_text(__import__("json").dumps({"data": items}))
    assert train.main(["--data", str(tmp_path / "data.json"), "--model", str(tmp_path / "m.npz"),
                       "--epochs", "1"]) == 0
    err = capfd.readouterr().err
    assert "warning: " in err and "clipped" in err
    assert "Warning:" not in err and "warnings.warn" not in err        # not Python's raw warning format
