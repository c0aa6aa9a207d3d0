"""The network's maths, checked numerically: gradients, one step by hand, and the model file."""

import re
import zipfile

import numpy as np
import pytest

from mling import files, network
from mling.network import ModelFileError, Parameters


def float64_copy(params: Parameters) -> Parameters:
    """The same network in float64, so finite differences are precise."""
    return params.astype(np.float64)


def mean_loss(params, X, y):
    return network.cross_entropy(network.forward(params, X.copy())[-1], y)


@pytest.mark.parametrize("layer_sizes", [(784, 16, 16, 10), (784, 7, 10), (784, 5, 4, 3, 10)])
def test_every_gradient_matches_finite_differences(layer_sizes):
    rng = np.random.default_rng(1)
    params = float64_copy(network.init_params(layer_sizes, rng))
    params.flat += rng.normal(0, 0.05, params.flat.shape)  # non-zero biases too
    X = rng.random((6, 784))
    y = rng.integers(0, 10, 6)
    grads = float64_copy(params.zeros_like())
    network.backward(params, network.forward(params, X.copy()), y, grads)
    epsilon = 1e-6
    for name in params:
        values = params[name]  # a view into the parameters: changing it changes the network
        # every bias and a sample of weights (all 12,544 of W1 would be slow and prove nothing more)
        picks = rng.choice(values.size, size=min(values.size, 40), replace=False)
        for index in (np.unravel_index(pick, values.shape) for pick in picks):
            original = values[index]
            values[index] = original + epsilon
            plus = mean_loss(params, X, y)
            values[index] = original - epsilon
            minus = mean_loss(params, X, y)
            values[index] = original
            numeric = (plus - minus) / (2 * epsilon)
            assert grads[name][index] == pytest.approx(numeric, rel=1e-4, abs=1e-7), (name, index)


def test_one_training_step_worked_by_hand():
    """A 2-input, 2-hidden, 2-output network, one sample: every number worked out on paper."""
    params = Parameters((2, 2, 2))
    params["W1"][...] = [[1.0, 0.5], [-1.0, 0.5]]     # row: input pixel, column: neuron
    params["b1"][...] = [0.0, -1.0]
    params["W2"][...] = [[1.0, 0.0], [0.0, 1.0]]
    params["b2"][...] = [0.0, 0.0]
    X = np.array([[2.0, 1.0]], dtype=np.float32)
    # z1 = [2 - 1 + 0, 1 + 0.5 - 1] = [1, 0.5]; h1 = relu(z1) = [1, 0.5]
    # z2 = h1 = [1, 0.5]; p = softmax = [e / (e + e^0.5), e^0.5 / (e + e^0.5)]
    activations = network.forward(params, X.copy())
    p0 = np.e / (np.e + np.exp(0.5))
    np.testing.assert_allclose(activations[1], [[1.0, 0.5]], rtol=1e-6)
    np.testing.assert_allclose(activations[2], [[p0, 1 - p0]], rtol=1e-6)
    # label 1: dz2 = p - onehot = [p0, (1 - p0) - 1] = [p0, -p0], with p0 = 0.6225
    grads = network.backward(params, activations, np.array([1]))
    np.testing.assert_allclose(grads["b2"], [p0, -p0], rtol=1e-6)
    # dW2 = h1.T @ dz2: row i is h1[i] times dz2
    np.testing.assert_allclose(grads["W2"], [[p0 * 1, -p0 * 1], [p0 * 0.5, -p0 * 0.5]], rtol=1e-6)
    # dh1 = dz2 @ W2.T = [p0, -p0] (W2 is the identity); both hidden neurons fired, so dz1 = dh1
    np.testing.assert_allclose(grads["b1"], [p0, -p0], rtol=1e-6)
    np.testing.assert_allclose(grads["W1"], [[2 * p0, -2 * p0], [1 * p0, -1 * p0]], rtol=1e-6)
    # a plain gradient-descent step with rate 0.1 moves W2[0, 0] from 1 to 1 - 0.1 * p0
    params.flat -= 0.1 * grads.flat
    assert params["W2"][0, 0] == pytest.approx(1 - 0.1 * p0, rel=1e-6)
    # and the loss for the right answer went down
    assert mean_loss(params, X, np.array([1])) < -np.log(1 - p0)


def test_dead_relu_passes_no_gradient():
    params = Parameters((2, 1, 2))
    params["W1"][...] = [[-1.0], [-1.0]]  # always negative input: the neuron never fires
    params["W2"][...] = [[1.0, 2.0]]
    grads = network.backward(params, network.forward(params, np.ones((3, 2), np.float32)), np.array([0, 1, 0]))
    assert not grads["W1"].any() and not grads["b1"].any()


def test_softmax_is_stable_for_huge_scores():
    probabilities = network.softmax(np.array([[1000.0, 0.0, -1000.0]], dtype=np.float32))
    assert np.isfinite(probabilities).all()
    np.testing.assert_allclose(probabilities, [[1.0, 0.0, 0.0]], atol=1e-6)
    assert network.cross_entropy(probabilities, np.array([2])) == pytest.approx(-np.log(network.PROBABILITY_FLOOR))


def test_clip_by_global_norm_scales_all_gradients_together():
    grads = Parameters((2, 1, 2))
    grads.flat[...] = 3.0  # 7 numbers, norm 3 * sqrt(7)
    before = grads.flat.copy()
    norm = network.clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(3 * np.sqrt(7), rel=1e-6)
    assert np.linalg.norm(grads.flat) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(grads.flat / np.linalg.norm(grads.flat), before / np.linalg.norm(before), rtol=1e-5)
    small = Parameters((2, 1, 2))
    small.flat[...] = 0.1
    network.clip_by_global_norm(small, 1.0)
    np.testing.assert_allclose(small.flat, 0.1)


def test_he_initialisation_has_the_right_spread_and_is_seeded():
    params = network.init_params(network.LAYER_SIZES, np.random.default_rng(3))
    assert params["W1"].shape == (784, 16) and params["W3"].shape == (16, 10)
    assert params["W1"].std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)
    assert not params["b1"].any()
    again = network.init_params(network.LAYER_SIZES, np.random.default_rng(3))
    np.testing.assert_array_equal(params.flat, again.flat)
    assert params.flat.dtype == np.float32


def test_model_round_trip_keeps_weights_sizes_summary_and_held_out_ids(tmp_path):
    params = network.init_params((784, 32, 16, 10), np.random.default_rng(0))
    path = tmp_path / "model_params.npz"
    network.save_model(path, params, {"val_accuracy": 0.93, "epochs_run": 12, "optimizer": "adam",
                                      "val_ids": ["3f9a0c12", "0000beef"]})
    loaded, summary = network.load_model(path)
    assert loaded.layer_sizes == (784, 32, 16, 10)
    np.testing.assert_array_equal(loaded.flat, params.flat)
    assert summary["val_accuracy"] == pytest.approx(0.93) and summary["epochs_run"] == 12
    assert summary["optimizer"] == "adam" and summary["val_ids"] == ("3f9a0c12", "0000beef")
    with np.load(path) as file:                     # on disk: the original keys and orientation
        assert file["W1"].shape == (32, 784) and file["val_ids"].tolist() == ["3f9a0c12", "0000beef"]
        np.testing.assert_array_equal(file["W2"], params["W2"].T)
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_original_mling_model_file_loads(tmp_path):
    """The original saved exactly W1 (16, 784), b1 (16,), W2, b2, W3 (10, 16), b3 in float64."""
    rng = np.random.default_rng(5)
    original = {"W1": rng.normal(size=(16, 784)), "b1": rng.normal(size=16), "W2": rng.normal(size=(16, 16)),
                "b2": rng.normal(size=16), "W3": rng.normal(size=(10, 16)), "b3": rng.normal(size=10)}
    path = tmp_path / "model_params.npz"
    np.savez(path, **original)
    params, summary = network.load_model(path)
    assert params.layer_sizes == (784, 16, 16, 10) and summary == {}
    for name, value in original.items():   # the file's W is (outputs, inputs); ours is (inputs, outputs)
        np.testing.assert_allclose(params[name], value.T if name.startswith("W") else value, rtol=1e-6)


def test_an_interrupted_model_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model_params.npz"
    network.save_model(path, network.init_params(rng=np.random.default_rng(0)))
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(files.os, "replace", fail)
    with pytest.raises(OSError):
        network.save_model(path, network.init_params(rng=np.random.default_rng(1)))
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_saving_writes_through_a_symlink_and_keeps_the_permissions(tmp_path):
    target = tmp_path / "models" / "real.npz"
    target.parent.mkdir()
    network.save_model(target, network.init_params(rng=np.random.default_rng(0)))
    target.chmod(0o600)
    link = tmp_path / "model_params.npz"
    link.symlink_to(target)
    params = network.init_params(rng=np.random.default_rng(1))
    network.save_model(link, params)
    assert link.is_symlink() and target.stat().st_mode & 0o777 == 0o600
    np.testing.assert_array_equal(network.load_model(target)[0].flat, params.flat)


def good_arrays(rng=None):
    rng = rng or np.random.default_rng(0)
    return {"W1": rng.normal(size=(16, 784)), "b1": np.zeros(16), "W2": rng.normal(size=(16, 16)),
            "b2": np.zeros(16), "W3": rng.normal(size=(10, 16)), "b3": np.zeros(10)}


def zip_holding_text(path):
    """A .npz-named zip whose members are text files, not arrays."""
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("W1", "b1", "W2", "b2", "W3", "b3"):
            archive.writestr(name, "this is text")


@pytest.mark.parametrize("damage, message", [
    ("missing", "no model file yet"),
    ("garbage", "not a readable model file"),
    ("zip_of_text", "is not an array"),
    ("npy", "not a readable model file"),
    ("folder", "is a folder"),
    ("wrong_shape", "W2 has shape (16, 8)"),
    ("missing_key", "b3 is missing"),
    ("nan", "NaN"),
    ("wrong_outputs", "expected 784 and 10"),
    ("billion", "from 1 to 4096"),
    ("too_many_weights", "more than the 20,000,000 allowed"),
    ("huge_weights", "overflow"),
    ("beyond_float32", "infinite"),
    ("booleans", "not numbers"),
    ("complex", "not numbers"),
    ("newer_format", "format version 99"),
])
def test_bad_model_files_give_one_line_errors(tmp_path, damage, message):
    path = tmp_path / "model_params.npz"
    good = good_arrays()
    sizes = {"layer_sizes": np.array([784, 16, 16, 10])}
    if damage == "garbage":
        path.write_bytes(b"this is not a zip file")
    elif damage == "zip_of_text":
        zip_holding_text(path)
    elif damage == "npy":
        np.save(path.with_suffix(".npy"), np.zeros(3))
        path.with_suffix(".npy").rename(path)
    elif damage == "folder":
        path.mkdir()
    elif damage == "wrong_shape":
        np.savez(path, **{**good, "W2": np.zeros((16, 8)), **sizes})
    elif damage == "missing_key":
        np.savez(path, **{k: v for k, v in good.items() if k != "b3"})
    elif damage == "nan":
        good["W1"][3, 3] = np.nan
        np.savez(path, **good)
    elif damage == "wrong_outputs":
        np.savez(path, **{**good, "W3": np.zeros((5, 16)), "b3": np.zeros(5)})
    elif damage == "billion":
        np.savez(path, **{**good, "layer_sizes": np.array([784, 1_000_000_000, 16, 10])})
    elif damage == "too_many_weights":
        np.savez(path, **{**good, "layer_sizes": np.array([784, 4096, 4096, 4096, 10])})
    elif damage == "huge_weights":
        np.savez(path, **{name: np.full_like(value, 1e30) for name, value in good.items()})
    elif damage == "beyond_float32":
        np.savez(path, **{**good, "W2": np.full((16, 16), 1e300)})
    elif damage == "booleans":
        np.savez(path, **{**good, "W1": good["W1"] > 0})
    elif damage == "complex":
        np.savez(path, **{**good, "b1": np.zeros(16, complex)})
    elif damage == "newer_format":
        np.savez(path, **good, **sizes, format_version=np.array(99))
    with pytest.raises(ModelFileError, match=re.escape(message)) as caught:
        network.load_model(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


@pytest.mark.parametrize("contents, message", [
    ({"W1": np.zeros(784)}, "2-D"),
    ({"W1": np.zeros((16, 784)), "layer_sizes": np.array([784, -16, 10])}, "positive whole numbers"),
    ({"W1": np.zeros((16, 784)), "layer_sizes": np.array(["a", "b"])}, "positive whole numbers"),
    ({"W1": np.full((10, 784), "x"), "b1": np.zeros(10)}, "not numbers"),
    ({"W10": np.zeros((10, 784))}, "has no weights W1"),
])
def test_malformed_model_arrays_give_model_file_errors(tmp_path, contents, message):
    path = tmp_path / "model_params.npz"
    np.savez(path, **contents)
    with pytest.raises(ModelFileError, match=message):
        network.load_model(path)


def test_a_damaged_summary_is_left_out_and_the_weights_still_load(tmp_path):
    path = tmp_path / "model_params.npz"
    np.savez(path, **good_arrays(), summary_val_accuracy=np.array("high"), summary_loss=np.array(np.nan),
             summary_train_accuracy=np.array(5.0), summary_words=np.array(["a", "b"]), summary_epochs_run=np.array(7),
             summary_bad_table=np.array([1.0, np.inf]), summary_table=np.arange(6, dtype=np.uint8).reshape(2, 3),
             val_ids=np.arange(5))
    params, summary = network.load_model(path)
    assert sorted(summary) == ["epochs_run", "table"]      # nothing the window could trip over, no val_ids
    assert summary["epochs_run"] == 7 and summary["table"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert params.layer_sizes == network.LAYER_SIZES


def test_the_probe_catches_overflow_that_finite_weights_hide():
    params = network.init_params(rng=np.random.default_rng(0))
    assert network.gives_finite_outputs(params)
    params.flat[...] = 1e30                    # finite, but 784 pixels x 1e30 x 16 x 1e30 overflows float32
    assert params.is_finite() and not network.gives_finite_outputs(params)
