"""The "not sure" check: its features and distances against plain loops, its threshold, its file
round trip, run.py's words, and the goal measured on non-digits drawn with the canvas brush."""
import numpy as np
import pytest
from shipped import shipped_path

import run
from mling import familiarity, network, non_digits, store
from mling.images import draw_stroke


@pytest.fixture(scope="module")
def starter_digits():
    """The shipped starter drawings, split three ways: reference, calibration, unseen test digits."""
    data = store.DataStore.open(shipped_path("data.json"))
    X, _ = data.arrays(sources=["starter"])
    assert len(X) >= 6000, "data.json should ship the starter set (python -m starter.make_starter)"
    X = X[np.random.default_rng(0).permutation(len(X))]
    return X[:4000], X[4000:5000], X[5000:6000]


@pytest.fixture(scope="module")
def check(starter_digits):
    reference, calibration, _ = starter_digits
    return familiarity.Familiarity.from_summary(familiarity.build_familiarity(reference, calibration))


def plain_features(image: np.ndarray) -> np.ndarray:
    """features() of one 28x28 image the long way: loops over pixels, no matrices."""
    small = np.zeros((14, 14))
    for r in range(14):
        for c in range(14):
            small[r, c] = image[2 * r:2 * r + 2, 2 * c:2 * c + 2].mean()
    sigma = familiarity.BLUR_SIGMA
    ink = np.zeros((14, 14))
    for r in range(14):
        for c in range(14):
            total, weights = 0.0, 0.0
            for i in range(14):
                for j in range(14):
                    if abs(i - r) <= 3 * sigma and abs(j - c) <= 3 * sigma:
                        w = np.exp(-(i - r) ** 2 / (2 * sigma ** 2)) * np.exp(-(j - c) ** 2 / (2 * sigma ** 2))
                        total += w * small[i, j]
                        weights += w
            ink[r, c] = total / weights        # the 2-D Gaussian factorises, so this is B @ small @ B.T
    across, down = np.zeros((14, 14)), np.zeros((14, 14))
    for r in range(14):
        for c in range(14):
            left, right = max(c - 1, 0), min(c + 1, 13)
            up, low = max(r - 1, 0), min(r + 1, 13)
            across[r, c] = (ink[r, right] - ink[r, left]) / (right - left)
            down[r, c] = (ink[low, c] - ink[up, c]) / (low - up)
    vector = np.concatenate([ink.ravel(), familiarity.EDGE_WEIGHT * across.ravel(),
                             familiarity.EDGE_WEIGHT * down.ravel()])
    return vector / np.linalg.norm(vector)


def test_features_equal_a_plain_loop(starter_digits):
    images = starter_digits[0][:3].reshape(-1, 28, 28)
    computed = familiarity.features(familiarity.half_size(images))
    assert computed.shape == (3, 588)
    for image, vector in zip(images, computed):
        np.testing.assert_allclose(vector, plain_features(image), atol=1e-5)


def test_nearest_distances_are_the_smallest_euclidean_distances():
    rng = np.random.default_rng(1)
    query, reference = rng.normal(size=(30, 588)), rng.normal(size=(70, 588))
    query /= np.linalg.norm(query, axis=1, keepdims=True)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    brute = np.array([min(np.linalg.norm(q - r) for r in reference) for q in query])
    computed = familiarity.nearest_distances(query.astype(np.float32), reference.astype(np.float32), batch=7)
    np.testing.assert_allclose(computed, brute, atol=1e-5)


def test_the_threshold_is_the_held_out_quantile_of_the_distances(starter_digits):
    reference, calibration = starter_digits[0][:300], starter_digits[1][:200]
    summary = familiarity.build_familiarity(reference, calibration, quantile=0.9)
    kept = summary[familiarity.SUMMARY_DRAWINGS].astype(np.float64) / 255
    assert len(kept) == 300                          # all of them: fewer than REFERENCE_SIZE
    kept_vectors = familiarity.features(kept)        # features() equals the plain loop (test above)
    query_vectors = familiarity.features(familiarity.half_size(calibration[:40]))
    distances = [min(np.linalg.norm(q - k) for k in kept_vectors) for q in query_vectors]
    check = familiarity.Familiarity.from_summary(summary)
    np.testing.assert_allclose(check.distances(calibration[:40]), distances, atol=1e-4)
    assert summary[familiarity.SUMMARY_THRESHOLD] == pytest.approx(np.quantile(check.distances(calibration), 0.9))
    assert check.is_unfamiliar(calibration).mean() == pytest.approx(0.1, abs=0.01)


def test_with_few_held_out_drawings_each_training_drawing_is_compared_with_the_others(starter_digits):
    reference = starter_digits[0][:150]
    summary = familiarity.build_familiarity(reference, X_val=starter_digits[1][:5], quantile=0.8)
    vectors = familiarity.features(summary[familiarity.SUMMARY_DRAWINGS] / 255.0)
    to_others = [min(np.linalg.norm(v - w) for j, w in enumerate(vectors) if j != i) for i, v in enumerate(vectors)]
    assert summary[familiarity.SUMMARY_THRESHOLD] == pytest.approx(np.quantile(to_others, 0.8), abs=1e-5)


def test_the_reference_is_at_most_reference_size_training_drawings(starter_digits):
    summary = familiarity.build_familiarity(starter_digits[0][:500], reference_size=120)
    drawings = summary[familiarity.SUMMARY_DRAWINGS]
    assert drawings.shape == (120, 14, 14) and drawings.dtype == np.uint8
    every = np.round(familiarity.half_size(starter_digits[0][:500]) * 255).astype(np.uint8)
    assert all((every == drawing).all(axis=(1, 2)).any() for drawing in drawings)   # real training drawings


def test_non_digits_are_flagged_and_unseen_real_digits_are_not(check, starter_digits):
    drawings, kinds = non_digits.draw_all_kinds(per_kind=20, seed=0)
    flagged = check.is_unfamiliar(drawings)
    shares = {kind: flagged[kinds == kind].mean() for kind in non_digits.ALL_KINDS}
    assert np.mean(list(shares.values())) >= 0.6, shares
    for kind in ("cross", "star", "spiral", "hash", "dots", "noise"):
        assert shares[kind] >= 0.6, (kind, shares)
    unseen = starter_digits[2]
    assert check.is_unfamiliar(unseen).mean() <= 0.05


def test_the_check_survives_the_model_file(check, starter_digits, tmp_path):
    path = tmp_path / "model.npz"
    network.save_model(path, network.init_params(), {"val_accuracy": 0.5, **check.to_summary()})
    _, summary = network.load_model(path)
    loaded = familiarity.Familiarity.from_summary(summary)
    assert loaded.threshold == check.threshold and loaded.quantile == check.quantile
    X = starter_digits[2][:50]
    np.testing.assert_allclose(loaded.distances(X), check.distances(X), atol=1e-6)


def test_old_models_have_no_check_and_damaged_entries_say_so():
    assert familiarity.Familiarity.from_summary({"val_accuracy": 0.9}) is None
    with pytest.raises(ValueError, match="familiar_drawings .* expected uint8"):
        familiarity.Familiarity.from_summary({familiarity.SUMMARY_DRAWINGS: np.zeros((3, 28, 28)),
                                              familiarity.SUMMARY_THRESHOLD: 0.5})
    with pytest.raises(ValueError, match="not a positive number"):
        familiarity.Familiarity.from_summary({familiarity.SUMMARY_DRAWINGS: np.zeros((3, 14, 14), np.uint8),
                                              familiarity.SUMMARY_THRESHOLD: float("nan")})


def test_run_adds_not_sure_to_the_line_of_a_non_digit(check, starter_digits, tmp_path, capsys):
    from PIL import Image
    model_path = tmp_path / "model.npz"
    network.save_model(model_path, network.init_params(), check.to_summary())
    star = np.zeros((300, 300), np.float32)                       # a five-pointed star in one stroke
    angles = -np.pi / 2 + np.arange(6) * 4 * np.pi / 5
    draw_stroke(star, np.stack([150 + 120 * np.cos(angles), 150 + 120 * np.sin(angles)], axis=1), 8)
    Image.fromarray((255 - star * 255).astype(np.uint8)).save(tmp_path / "star.png")
    digit = np.kron(starter_digits[0][0].reshape(28, 28), np.ones((10, 10)))   # a reference drawing, 280x280
    Image.fromarray((255 - digit * 255).round().astype(np.uint8)).save(tmp_path / "digit.png")
    assert run.main(["--model", str(model_path), str(tmp_path / "star.png"), str(tmp_path / "digit.png")]) == 0
    star_line, digit_line = capsys.readouterr().out.strip().splitlines()
    assert star_line.startswith(f"{tmp_path / 'star.png'}: ")
    assert star_line.endswith(") not sure: this looks unlike your digits")
    assert digit_line.startswith(f"{tmp_path / 'digit.png'}: ") and digit_line.endswith("%)")

