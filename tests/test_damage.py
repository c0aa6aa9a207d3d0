"""The robustness lab: each damage against a picture worked out by hand, the curves measured on
the held-out drawings (not the training ones), and the figure written safely."""
import numpy as np
import pytest
from synthetic import make_synthetic_digits

import train
from mling import damage, held_out, network, store


def three_blocks() -> np.ndarray:
    """A lopsided shape whose centre of mass is exactly (13.5, 13.5), the centre np.rot90 turns about:
    a 2x4 block on top (8 pixels at (9.5, 13.5)) and two 2x2 blocks below ((17.5, 9.5), (17.5, 17.5))."""
    image = np.zeros((28, 28), np.float32)
    image[9:11, 12:16] = 1
    image[17:19, 9:11] = 1
    image[17:19, 17:19] = 1
    return image


def test_rotation_turns_clockwise_about_the_centre_of_mass():
    image = three_blocks()
    np.testing.assert_allclose(damage.rotation(image, 90), np.rot90(image, k=-1), atol=1e-5)   # k=-1: clockwise
    np.testing.assert_allclose(damage.rotation(image, 180), np.rot90(image, k=2), atol=1e-5)
    np.testing.assert_allclose(damage.rotation(image, 0), image, atol=1e-6)


def test_shift_moves_the_ink_right_by_whole_pixels_and_drops_what_leaves():
    image = three_blocks()
    expected = np.zeros_like(image)
    expected[:, 3:] = image[:, :-3]
    np.testing.assert_allclose(damage.shift(image, 3), expected, atol=1e-6)
    edge = np.zeros((28, 28), np.float32)
    edge[10:12, 25:28] = 1
    assert damage.shift(edge, 2)[10:12].sum() == pytest.approx(2.0)      # two of the three columns left


def test_thickness_adds_rings_of_pixels_and_thinning_keeps_the_core():
    dot = np.zeros((28, 28), np.float32)
    dot[14, 14] = 1
    three = np.zeros_like(dot)
    three[13:16, 13:16] = 1
    five = np.zeros_like(dot)
    five[12:17, 12:17] = 1
    np.testing.assert_array_equal(damage.thickness(dot, 1), three)
    np.testing.assert_array_equal(damage.thickness(dot, 2), five)
    np.testing.assert_allclose(damage.thickness(dot, 0.5), dot + 0.5 * (three - dot))
    line = np.zeros_like(dot)
    line[13:16, 5:23] = 1                                                # 3 pixels thick
    thinned = damage.thickness(line, -1)
    np.testing.assert_array_equal(thinned[14, 6:22], 1.0)                # the core stays at full ink
    assert thinned[13].sum() == 0 and thinned[15].sum() == 0             # the outer rows are gone


def test_blur_spreads_a_dot_into_the_gaussian():
    dot = np.zeros((28, 28), np.float32)
    dot[14, 14] = 1
    sigma = 1.5
    offsets = np.arange(-14, 14)
    bell = np.exp(-offsets**2 / (2 * sigma**2)) * (np.abs(offsets) <= 4 * sigma)
    expected = np.outer(bell, bell) / bell.sum() ** 2                    # separable 2-D Gaussian, ink kept
    np.testing.assert_allclose(damage.blur(dot, sigma), expected, atol=1e-6)
    np.testing.assert_array_equal(damage.blur(dot, 0), dot)


def test_noise_changes_the_share_asked_for_and_grows_without_re_rolling():
    grey = np.full((28, 28), 0.5, np.float32)
    light, strong = damage.noise(grey, 0.1), damage.noise(grey, 0.3)
    assert 0.06 < (light != grey).mean() < 0.14 and 0.25 < (strong != grey).mean() < 0.35
    assert np.all(strong[light != grey] != 0.5)                          # what 0.1 changed, 0.3 changes too
    np.testing.assert_array_equal(damage.noise(grey, 0.3), strong)       # the same every time
    np.testing.assert_array_equal(damage.noise(grey, 0.0), grey)
    assert strong.min() >= 0 and strong.max() <= 1


def test_one_drawing_and_a_batch_give_the_same_damage():
    X, _ = make_synthetic_digits(per_class=1, seed=0)
    batch = X.reshape(-1, 28, 28)
    for kind in damage.DAMAGES:
        if kind.name == "noise":
            continue                        # a batch draws its noise for all drawings at once
        strength = kind.strengths[len(kind.strengths) // 2]
        np.testing.assert_allclose(kind.apply(batch[3], strength), kind.apply(batch, strength)[3], atol=1e-6)
        assert kind.apply(X, strength).shape == (10, 28, 28)            # (n, 784) rows work too


def test_bad_strengths_are_clear_errors():
    with pytest.raises(ValueError, match="share of the pixels, 0 to 1"):
        damage.noise(np.zeros((28, 28)), 2.0)
    with pytest.raises(ValueError, match="0 or more pixels"):
        damage.blur(np.zeros((28, 28)), -1)
    with pytest.raises(ValueError, match="must have shape"):
        damage.shift(np.zeros((20, 20)), 1)


@pytest.fixture(scope="module")
def model_and_store(tmp_path_factory):
    """A trained model and a data file whose training part is labelled all wrong: a curve measured
    on the training part would start near 0%, on the held-out part near the model's accuracy."""
    X, y = make_synthetic_digits(per_class=40, seed=0)
    params = train.fit(X, y, config=train.TrainConfig(epochs=30, batch_size=32, learning_rate=0.01)).params
    X_held, y_held = make_synthetic_digits(per_class=10, seed=3)
    data = store.DataStore.open(tmp_path_factory.mktemp("data") / "data.json")
    data.add_many(X.reshape(-1, 28, 28), (y + 1) % 10, source="drawn")
    val_ids = [s.id for s in data.add_many(X_held.reshape(-1, 28, 28), y_held, source="drawn")]
    return params, data, val_ids


def test_the_curves_are_measured_on_the_held_out_drawings(model_and_store):
    params, data, val_ids = model_and_store
    curves = damage.held_out_damage_curves(params, data, val_ids)
    X_held, y_held, _ = held_out.held_out_arrays(data, val_ids)
    undamaged = (network.predict_probabilities(params, X_held).argmax(axis=1) == y_held).mean()
    assert undamaged > 0.8
    for curve in curves:
        assert curve.count == 100
        zero = list(curve.strengths).index(0)
        assert curve.accuracies[zero] == pytest.approx(undamaged)        # not the mislabelled training part
    noise = next(c for c in curves if c.damage.name == "noise")
    assert noise.accuracies[-1] < noise.accuracies[0]
    with pytest.raises(ValueError, match="no held-out drawings"):
        damage.held_out_damage_curves(params, data, ["gone0000"])


def test_the_figure_is_a_png_written_atomically(model_and_store, tmp_path):
    params, data, val_ids = model_and_store
    curves = damage.held_out_damage_curves(params, data, val_ids, damages=damage.DAMAGES[:2])
    path = tmp_path / "robustness.png"
    damage.save_damage_figure(curves, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["robustness.png"]   # no temporary file left
