"""One learning step on one drawing: every number is the network's own, and the step helps."""
import numpy as np
import pytest
from synthetic import make_synthetic_digits

import train
from mling import learning_step, network, optimizers


@pytest.fixture(scope="module")
def setup():
    """A half-trained network (so gradients are neither huge nor zero) and one drawing it gets wrong-ish."""
    X, y = make_synthetic_digits(per_class=20, seed=0)
    params = train.fit(X, y, config=train.TrainConfig(epochs=2, batch_size=32, learning_rate=0.003)).params
    image, digit = X[7].reshape(28, 28), int(y[7])
    return params, image, digit


def test_every_stage_equals_network_forward_and_backward(setup):
    params, image, digit = setup
    step = learning_step.learning_step(params, image, digit, learning_rate=0.1)
    activations = network.forward(params, image.reshape(1, 784))
    # 1. forward: input, hidden layers, probabilities; the sums are z = a @ W + b, before ReLU
    np.testing.assert_array_equal(step.before.input, image.reshape(784))
    for shown, computed in zip(step.before.hidden, activations[1:-1]):
        np.testing.assert_array_equal(shown, computed[0])
    np.testing.assert_array_equal(step.before.probabilities, activations[-1][0])
    np.testing.assert_allclose(step.before.sums[0], image.reshape(784) @ params["W1"] + params["b1"], rtol=1e-6)
    np.testing.assert_allclose(np.maximum(step.before.sums[1], 0), step.before.hidden[1], rtol=1e-6)
    # 2. the loss: -log of the right digit's probability
    assert step.loss == pytest.approx(-np.log(activations[-1][0, digit]), rel=1e-6)
    # 3. backward: every gradient, and the first layer's as 28x28 pictures
    grads = network.backward(params, activations, np.array([digit]))
    np.testing.assert_array_equal(step.gradients.flat, grads.flat)
    np.testing.assert_array_equal(step.input_weight_gradients[5], grads["W1"][:, 5].reshape(28, 28))
    np.testing.assert_allclose(step.deltas[-1], step.before.probabilities - np.eye(10)[digit], rtol=1e-6)
    np.testing.assert_array_equal(step.deltas[-1] @ params["W3"].T * (step.before.hidden[1] > 0), step.deltas[1])
    # 4. the update: new = old - learning rate x gradient, for every number
    np.testing.assert_allclose(step.params_after.flat, params.flat - 0.1 * grads.flat, rtol=1e-6, atol=1e-7)
    for change in step.largest_changes:
        assert change.new == pytest.approx(change.old - 0.1 * change.gradient, rel=1e-5, abs=1e-7)
        assert change.old == params[change.name][change.index]
        assert change.new == step.params_after[change.name][change.index]
    moved = np.abs(step.params_after.flat - params.flat)
    assert abs(step.largest_changes[0].step) == pytest.approx(moved.max(), rel=1e-6)
    # 5. after: the same drawing through the updated network
    np.testing.assert_array_equal(step.after.probabilities,
                                  network.forward(step.params_after, image.reshape(1, 784))[-1][0])
    assert step.gain == pytest.approx(step.after.probabilities[digit] - step.before.probabilities[digit])


def test_one_step_makes_the_right_digit_more_likely_and_changes_nothing_it_was_given(setup):
    params, image, digit = setup
    before = params.flat.copy()
    for rate in (0.01, 0.1, 0.5):
        step = learning_step.learning_step(params, image, digit, learning_rate=rate)
        assert step.gain > 0 and step.loss_after < step.loss, rate
    np.testing.assert_array_equal(params.flat, before)


def test_a_second_and_a_tenth_step_keep_learning(setup):
    params, image, digit = setup
    steps = learning_step.learning_steps(params, image, digit, learning_rate=0.1, count=10)
    assert len(steps) == 10
    for earlier, later in zip(steps, steps[1:]):
        np.testing.assert_array_equal(later.params_before.flat, earlier.params_after.flat)
    right = [s.before.probabilities[digit] for s in steps] + [steps[-1].after.probabilities[digit]]
    assert all(b > a for a, b in zip(right, right[1:])) and right[-1] > 0.9


def test_with_adam_the_optimizer_decides_the_step(setup):
    params, image, digit = setup
    adam = optimizers.Adam(params.flat.size, weight_decay=0.0)
    steps = learning_step.learning_steps(params, image, digit, 0.01, count=3, optimizer=adam)
    reference = optimizers.Adam(params.flat.size, weight_decay=0.0)
    flat = params.flat.copy()
    for step in steps:
        reference.step(flat, step.gradients.flat, 0.01)
        np.testing.assert_array_equal(step.params_after.flat, flat)
    assert adam.t == 3 and steps[-1].after.probabilities[digit] > steps[0].before.probabilities[digit]


@pytest.mark.parametrize("image, digit, rate, message", [
    (np.zeros((20, 20)), 3, 0.1, "28x28"),
    (np.full((28, 28), np.nan), 3, 0.1, "28x28"),
    (np.zeros((28, 28)), 10, 0.1, "0 to 9"),
    (np.zeros((28, 28)), 3, 0.0, "positive"),
])
def test_bad_input_is_a_one_line_value_error(setup, image, digit, rate, message):
    with pytest.raises(ValueError, match=message):
        learning_step.learning_step(setup[0], image, digit, rate)
