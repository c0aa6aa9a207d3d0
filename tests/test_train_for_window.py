"""What train.py tells the window: which samples were held out, and the weights after each epoch.

The window's "Mistakes" tab lists the validation drawings the network got wrong, and its
"Inside the network" tab shows the weights changing while training runs.
"""
import numpy as np
from synthetic import make_synthetic_digits

import train
from mling import network, store

QUICK = train.TrainConfig(epochs=6, batch_size=32, learning_rate=0.01, patience=None)


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


def test_split_indices_are_the_positions_split_store_uses(tmp_path):
    data = make_mixed_store(tmp_path / "data.json")
    X, y = data.arrays()
    for options in ({}, {"sources": ("drawn",)}, {"own_weight": 1}):
        training, validation = train.split_indices(data, 0.2, np.random.default_rng(3), **options)
        X_train, y_train, X_val, y_val = train.split_store(data, 0.2, np.random.default_rng(3), **options)
        np.testing.assert_array_equal(X[training], X_train)
        np.testing.assert_array_equal(y[validation], y_val)
        assert not {data.samples[i].source for i in validation} & {"augmented"}


def test_train_from_file_names_the_validation_samples(tmp_path):
    data = make_mixed_store(tmp_path / "data.json")
    result = train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz", QUICK)
    _, validation = train.split_indices(data, QUICK.val_split, np.random.default_rng(QUICK.seed))
    assert result.val_ids == [data.samples[i].id for i in validation]
    assert len(set(result.val_ids)) == len(result.val_ids) > 0


def test_each_epoch_carries_a_copy_of_the_weights_and_only_the_newest_keeps_it(tmp_path):
    X, y = make_synthetic_digits(per_class=20, seed=0)
    seen = []
    result = train.fit(X, y, config=QUICK, on_epoch=lambda stats: seen.append(stats.params.flat.copy()))
    assert len(seen) == QUICK.epochs
    assert not np.array_equal(seen[0], seen[-1])                     # the weights changed between epochs
    assert all(stats.params is None for stats in result.history[:-1])
    last = result.history[-1].params
    assert isinstance(last, network.Parameters) and np.array_equal(last.flat, seen[-1])
