"""The map: its points are hidden layer 2 projected by PCA (checked against an SVD and the
weights by hand), a new drawing lands where it would as a point, and matching keeps it steady."""
import numpy as np
import pytest
from synthetic import make_synthetic_digits

from mling import hidden_map, network


@pytest.fixture(scope="module")
def setting():
    params = network.init_params(rng=np.random.default_rng(3))
    X, y = make_synthetic_digits(per_class=20, seed=0)
    return params, X, y


def hidden_layer_2_by_hand(params, X):
    h1 = np.maximum(X.astype(np.float64) @ params["W1"] + params["b1"], 0)
    return np.maximum(h1 @ params["W2"] + params["b2"], 0)


def test_the_points_are_hidden_layer_2_projected_on_its_two_principal_directions(setting):
    params, X, _ = setting
    points, projection = hidden_map.map_points(params, X)
    activations = hidden_layer_2_by_hand(params, X)
    centred = activations - activations.mean(axis=0)
    _, singular, Vt = np.linalg.svd(centred, full_matrices=False)
    expected = centred @ Vt[:2].T                                  # PCA by SVD, up to each axis's sign
    signs = np.sign((points * expected).sum(axis=0))
    np.testing.assert_allclose(points, expected * signs, rtol=1e-4, atol=1e-4)
    assert projection.shown == pytest.approx((singular[:2] ** 2).sum() / (singular ** 2).sum(), rel=1e-5)
    np.testing.assert_allclose(projection.axes.T @ projection.axes, np.eye(2), atol=1e-10)


def test_a_new_drawing_is_placed_where_its_point_would_be(setting):
    params, X, _ = setting
    points, projection = hidden_map.map_points(params, X)
    marker = projection.project(hidden_map.hidden_activations(params, X[7].reshape(28, 28)))
    np.testing.assert_allclose(marker[0], points[7], rtol=1e-5, atol=1e-5)


def test_matching_the_previous_points_recovers_a_turned_and_mirrored_map(setting):
    params, X, _ = setting
    activations = hidden_map.hidden_activations(params, X)
    points = hidden_map.fit_map(activations).project(activations)
    angle = np.radians(70)
    turn_and_mirror = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ np.diag([1, -1])
    previous = points @ turn_and_mirror
    matched = hidden_map.fit_map(activations, match=previous).project(activations)
    np.testing.assert_allclose(matched, previous, rtol=1e-6, atol=1e-6)


def test_matching_keeps_the_map_still_when_the_two_directions_swap():
    """Two directions of almost equal spread trade places after a small change (as in training):
    plain PCA turns the picture by 90 degrees; matched, the points hardly move."""
    rng = np.random.default_rng(0)
    columns, _ = np.linalg.qr(rng.normal(size=(500, 16)))            # uncorrelated, mean ~0 directions
    columns -= columns.mean(axis=0)
    spread = np.r_[3.0, 2.95, np.full(14, 0.2)] * np.sqrt(500)
    turn, _ = np.linalg.qr(rng.normal(size=(16, 16)))                # any orientation of the 16 units
    base = (columns * spread) @ turn
    later = (columns * spread * np.r_[0.97, 1.0, np.ones(14)]) @ turn   # the first direction shrinks a little
    before = hidden_map.fit_map(base).project(base)
    plain = hidden_map.fit_map(later).project(later)
    matched = hidden_map.fit_map(later, match=before).project(later)
    moved = lambda points: np.linalg.norm(points - before, axis=1).mean()   # noqa: E731
    assert moved(plain) > 2.0                 # the plain map swapped x and y
    assert moved(matched) < 0.2               # the matched one stayed put


def test_bad_input_is_a_clear_error(setting):
    params, X, _ = setting
    with pytest.raises(ValueError, match="at least 2 drawings"):
        hidden_map.fit_map(hidden_map.hidden_activations(params, X[:1]))
    with pytest.raises(ValueError, match="hidden layer, 1 to 2"):
        hidden_map.hidden_activations(params, X, layer=3)
    with pytest.raises(ValueError, match="previous \\(n, 2\\) points"):
        hidden_map.fit_map(hidden_map.hidden_activations(params, X), match=np.zeros((3, 2)))
