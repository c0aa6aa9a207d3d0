"""Fool the network: the overlay, added to the drawing, is read as the target; the gradient it
follows matches finite differences; it uses less ink than fading into the target digit; the score."""
import numpy as np
import pytest
from synthetic import make_synthetic_digits

import train
from mling import fooling, network


@pytest.fixture(scope="module")
def trained():
    X, y = make_synthetic_digits(per_class=40, seed=0)
    params = train.fit(X, y, config=train.TrainConfig(epochs=30, batch_size=32, learning_rate=0.01)).params
    X_new, y_new = make_synthetic_digits(per_class=2, seed=4)
    return params, X, y, X_new, y_new


def guess(params, image):
    return int(network.predict_probabilities(params, np.asarray(image).reshape(1, -1))[0].argmax())


def test_the_overlay_added_to_the_drawing_is_read_as_the_target(trained):
    params, _, _, X_new, y_new = trained
    for image, label in zip(X_new[:6], y_new[:6]):
        for target in {(label + 1) % 10, (label + 5) % 10}:
            attack = fooling.fool(params, image.reshape(28, 28), target)
            fooled = image.reshape(28, 28) + attack.overlay
            assert attack.reached and guess(params, fooled) == target != guess(params, image)
            assert fooled.min() >= 0 and fooled.max() <= 1 and attack.overlay.shape == (28, 28)
            assert attack.ink == pytest.approx(np.abs(attack.overlay).sum(), rel=1e-5)
            assert attack.length == pytest.approx(np.sqrt((attack.overlay.astype(np.float64) ** 2).sum()), rel=1e-5)
            assert attack.pixels == (np.abs(attack.overlay) > fooling.CHANGED).sum()
            assert attack.probabilities.argmax() == target


def test_the_gradient_it_follows_matches_finite_differences(trained):
    params, _, _, X_new, _ = trained
    precise = params.astype(np.float64)
    image = X_new[0].astype(np.float64)

    def log_probability(x, target=3):
        return float(np.log(network.forward(precise, x[None])[-1][0, target]))
    gradient = fooling.target_gradient(precise, image, 3)
    for pixel in np.random.default_rng(0).choice(784, size=20, replace=False):
        bumped = image.copy()
        bumped[pixel] += 1e-6
        numeric = (log_probability(bumped) - log_probability(image)) / 1e-6
        assert gradient[pixel] == pytest.approx(numeric, rel=1e-3, abs=1e-6)


def test_it_needs_less_ink_than_fading_into_a_drawing_of_the_target(trained):
    """An honest alternative: blend the drawing toward the average drawing of the target digit
    just until the network says the target. The gradient search should need far less ink."""
    params, X, y, X_new, y_new = trained
    ours, fading = [], []
    for image, label in zip(X_new[:8], y_new[:8]):
        target = (label + 3) % 10
        ours.append(fooling.fool(params, image, target).ink)
        average = X[y == target].mean(axis=0)
        blend = next(t for t in np.linspace(0, 1, 201) if guess(params, image + t * (average - image)) == target)
        fading.append(np.abs(blend * (average - image)).sum())
    assert np.median(ours) < 0.5 * np.median(fading)


def test_the_score_compares_the_learners_ink_with_the_networks(trained):
    params, _, _, X_new, y_new = trained
    image = X_new[1].reshape(28, 28)
    attack = fooling.fool(params, image, (y_new[1] + 2) % 10)
    same = fooling.flip_score(params, image, image + attack.overlay, attack)
    assert same.flipped and same.score == 100 and same.ink == pytest.approx(attack.ink, rel=1e-5)
    untouched = fooling.flip_score(params, image, image, attack)
    assert not untouched.flipped and untouched.score == 0 and untouched.guess == guess(params, image)
    extra = image + attack.overlay
    extra[0, :4] = np.minimum(extra[0, :4] + 0.5, 1)         # some needless ink in a corner
    wasteful = fooling.flip_score(params, image, extra, attack)
    assert wasteful.flipped and wasteful.ink == pytest.approx(attack.ink + 2.0, rel=1e-4)
    assert wasteful.score == round(100 * attack.ink / wasteful.ink) < 100


def test_a_digit_that_already_is_the_target_needs_no_ink(trained):
    params, _, _, X_new, _ = trained
    image = next(x for x in X_new if fooling._leads(params, x, guess(params, x)))   # clearly read already
    attack = fooling.fool(params, image, guess(params, image))
    assert attack.reached and attack.steps == 0 and attack.ink == 0
    assert fooling.flip_score(params, image, image, attack).score == 100


def test_bad_input_is_a_clear_error(trained):
    params = trained[0]
    with pytest.raises(ValueError, match="28x28"):
        fooling.fool(params, np.zeros((20, 20)), 3)
    with pytest.raises(ValueError, match="digit 0 to 9"):
        fooling.fool(params, np.zeros((28, 28)), 12)


def test_reach_keeps_the_change_near_the_strokes(trained):
    params, _, _, X_new, y_new = trained
    image = X_new[3].reshape(28, 28)
    attack = fooling.fool(params, image, (y_new[3] + 4) % 10, reach=2)
    ink = image > fooling.CHANGED
    near = np.zeros_like(ink)
    for row, col in np.argwhere(ink):                   # every pixel within 2 of some ink, by hand
        near[max(row - 2, 0):row + 3, max(col - 2, 0):col + 3] = True
    assert attack.reached and guess(params, image + attack.overlay) == attack.target
    assert not attack.overlay[~near].any()
