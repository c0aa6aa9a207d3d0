"""The better-model rule: a model is never replaced by a worse one without the user's say, and a
replaced one is always kept. The window calls these same functions for its keep/undo buttons."""
import numpy as np
import pytest
from synthetic import make_synthetic_digits

import train
from mling import model_files, network, store
from mling.network import ModelFileError


@pytest.fixture(scope="module")
def scored():
    """A good and a bad model for the synthetic digits, and samples to score them on."""
    X, y = make_synthetic_digits(per_class=10, seed=3)
    good = train.fit(*make_synthetic_digits(per_class=30, seed=4),
                     config=train.TrainConfig(epochs=15, batch_size=32, learning_rate=0.01)).params
    bad = network.Parameters(network.LAYER_SIZES)
    bad["b3"][3] = 5.0                                           # no weights, a bias for 3: always says 3
    assert model_files.accuracy(good, X, y) > 0.9 and model_files.accuracy(bad, X, y) == pytest.approx(0.1)
    return good, bad, X, y


def comparison(new, old, X, y):
    return model_files.compare(new, old, X, y, tuple(f"id{i}" for i in range(len(y))))


def test_a_better_model_replaces_the_old_one_which_is_kept_as_a_backup(tmp_path, scored):
    good, bad, X, y = scored
    path = tmp_path / "model_params.npz"
    network.save_model(path, bad)
    old_bytes = path.read_bytes()
    choice = model_files.install(path, good, {"val_accuracy": 0.95}, comparison(good, bad, X, y))
    assert choice.kept == "new" and choice.other_path.name.startswith("model_params.backup-")
    assert choice.other_path.read_bytes() == old_bytes                      # the old one, byte for byte
    np.testing.assert_array_equal(network.load_model(path)[0].flat, good.flat)
    assert "saved model_params.npz" in choice.describe() and "\n" not in choice.describe()


def test_a_worse_model_does_not_replace_the_old_one_and_is_kept_beside_it(tmp_path, scored):
    good, bad, X, y = scored
    path = tmp_path / "model_params.npz"
    network.save_model(path, good)
    old_bytes = path.read_bytes()
    result = comparison(bad, good, X, y)
    assert result.new_is_worse and result.new_accuracy == pytest.approx(0.1)
    choice = model_files.install(path, bad, {}, result)
    assert path.read_bytes() == old_bytes                                   # untouched
    assert choice.kept == "old" and choice.other_path.name.startswith("model_params.new-")
    np.testing.assert_array_equal(network.load_model(choice.other_path)[0].flat, bad.flat)
    line = choice.describe(restore_hint="python train.py --restore")
    assert "less accurate" in line and "10.0% against" in line and "--restore" in line and "\n" not in line


def test_a_worse_model_from_a_run_that_diverged_is_not_kept(tmp_path, scored):
    good, bad, X, y = scored
    path = tmp_path / "model_params.npz"
    network.save_model(path, good)
    choice = model_files.install(path, bad, {}, comparison(bad, good, X, y), keep_worse=False)
    assert choice.kept == "old" and choice.other_path is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model_params.npz"]


def test_the_first_model_is_simply_saved_and_an_unreadable_old_file_is_kept(tmp_path, scored):
    good, _, X, y = scored
    path = tmp_path / "model_params.npz"
    first = model_files.install(path, good, {}, comparison(good, None, X, y))
    assert first.kept == "new" and first.other_path is None and path.exists()
    path.write_bytes(b"damaged")
    saved = model_files.read_saved_model(path)
    assert saved.params is None and "not a readable model file" in saved.problem
    result = model_files.compare(good, saved.params, X, y, old_problem=saved.problem)
    choice = model_files.install(path, good, {}, result)
    assert choice.kept == "new" and choice.other_path.read_bytes() == b"damaged"
    assert "could not be read" in choice.describe()


def test_keep_new_keep_old_and_undo_switch_without_losing_either(tmp_path, scored):
    good, bad, X, y = scored
    path = tmp_path / "model_params.npz"
    network.save_model(path, good)
    good_bytes = path.read_bytes()
    choice = model_files.install(path, bad, {}, comparison(bad, good, X, y))     # worse: old kept
    bad_bytes = choice.other_path.read_bytes()

    chose_new = model_files.keep_new(choice)                                       # the user's say
    assert chose_new.kept == "new" and path.read_bytes() == bad_bytes
    assert chose_new.other_path.name.startswith("model_params.backup-")
    assert chose_new.other_path.read_bytes() == good_bytes
    assert not choice.other_path.exists()                                          # its bytes are in use now

    back = model_files.undo(chose_new)
    assert back.kept == "old" and path.read_bytes() == good_bytes and back.other_path.read_bytes() == bad_bytes
    assert model_files.keep_old(back) == back                                      # already so: nothing changes
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["model_params.new", "model_params.npz"]
    assert model_files.backups(path) == [back.other_path]


def test_a_switch_refuses_when_the_file_changed_meanwhile(tmp_path, scored):
    good, bad, X, y = scored
    path = tmp_path / "model_params.npz"
    network.save_model(path, good)
    choice = model_files.install(path, bad, {}, comparison(bad, good, X, y))
    network.save_model(path, network.init_params(rng=np.random.default_rng(9)))    # another training
    changed = path.read_bytes()
    with pytest.raises(ModelFileError, match="has changed since"):
        model_files.keep_new(choice)
    assert path.read_bytes() == changed and choice.other_path.exists()


def test_restore_makes_a_backup_the_model_in_use_and_keeps_the_replaced_one(tmp_path, scored):
    good, bad, X, y = scored
    path = tmp_path / "model_params.npz"
    network.save_model(path, bad)
    choice = model_files.install(path, good, {}, comparison(good, bad, X, y))      # better: bad -> backup
    good_bytes = path.read_bytes()
    restored = model_files.restore(choice.other_path, path)
    np.testing.assert_array_equal(network.load_model(path)[0].flat, bad.flat)
    assert restored.other_path.read_bytes() == good_bytes
    (tmp_path / "junk.npz").write_bytes(b"junk")
    with pytest.raises(ModelFileError, match="not a readable model file"):
        model_files.restore(tmp_path / "junk.npz", path)
    np.testing.assert_array_equal(network.load_model(path)[0].flat, bad.flat)     # unchanged


def test_only_samples_the_old_model_never_trained_on_are_compared(tmp_path, scored):
    good, bad, _, _ = scored
    X, y = make_synthetic_digits(per_class=4, seed=8)
    data = store.DataStore.open(tmp_path / "data.json")
    samples = data.add_many(X.reshape(-1, 28, 28), y, source="drawn")
    created = samples[0].created
    held_out = [s.id for s in samples[:10]]
    summary = {"val_ids": tuple(held_out), "data_until": created}
    assert model_files.never_trained_on(data.samples, summary).tolist() == list(range(10))
    later = "9999-01-01T00:00:00Z"
    assert model_files.never_trained_on(data.samples, {**summary, "data_until": later}).tolist() == list(range(10))
    assert len(model_files.never_trained_on(data.samples, {**summary, "data_until": "2000-01-01T00:00:00Z"})) == 40
    assert model_files.never_trained_on(data.samples, {}) is None

    saved = model_files.SavedModel(tmp_path / "m.npz", bad, summary)
    result = model_files.compare_on_unseen(good, saved, data, np.arange(20))       # the new model held out 20
    assert result.sample_ids == tuple(held_out) and not result.old_may_have_seen  # the 10 neither trained on
    unknown = model_files.SavedModel(tmp_path / "m.npz", bad, {})                   # an old file: no val_ids
    result = model_files.compare_on_unseen(good, unknown, data, np.arange(20))
    assert result.count == 20 and result.old_may_have_seen
    assert "may have trained on some of them" in result.scores()
