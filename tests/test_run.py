"""Prediction: the numbers the window shows, the terminal commands, and their errors."""
import numpy as np
import pytest
from synthetic import make_synthetic_digits

import run
import train
from mling import network, store
from mling.images import draw_stroke, load_image_file, to_network_input


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained on the synthetic digits, saved to a file, plus a fresh validation set."""
    folder = tmp_path_factory.mktemp("model")
    X, y = make_synthetic_digits(per_class=40, seed=0)
    result = train.fit(X, y, config=train.TrainConfig(epochs=30, batch_size=32, learning_rate=0.01))
    network.save_model(folder / "model.npz", result.params)
    X_test, y_test = make_synthetic_digits(per_class=10, seed=7)
    return folder / "model.npz", X_test, y_test


def test_predict_returns_probabilities_and_every_layer(trained):
    path, X_test, _ = trained
    model = run.load_model(path)
    prediction = run.predict(model, X_test[0].reshape(28, 28))
    expected = network.forward(model.params, X_test[:1].copy())
    assert prediction.probabilities.shape == (10,)
    assert prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert prediction.digit == int(expected[-1].argmax())
    assert prediction.confidence == pytest.approx(float(expected[-1].max()))
    assert [a.shape for a in prediction.activations] == [(784,), (16,), (16,), (10,)]
    for shown, computed in zip(prediction.activations, expected):
        np.testing.assert_allclose(shown, computed[0], rtol=1e-6)


def test_predict_rejects_a_wrong_sized_image(trained):
    model = run.load_model(trained[0])
    with pytest.raises(ValueError, match="28x28"):
        run.predict(model, np.zeros((20, 20)))


def test_evaluate_counts_and_confusion_agree(trained):
    path, X_test, y_test = trained
    result = run.evaluate(run.load_model(path), X_test, y_test)
    assert result.total == 100 and result.confusion.sum() == 100
    assert result.correct == int(np.trace(result.confusion)) == int((result.predictions == y_test).sum())
    assert result.accuracy >= 0.9
    np.testing.assert_array_equal(result.per_digit_counts, np.bincount(y_test, minlength=10))
    report = run.format_evaluation(result)
    assert report.splitlines()[0] == f"accuracy: {result.accuracy:.1%} ({result.correct}/100)"


def test_per_digit_accuracy_is_right_over_drawn_and_nan_for_a_digit_never_drawn():
    confusion = np.zeros((10, 10), np.int64)
    confusion[3, 3], confusion[3, 8] = 3, 1       # four 3s, one read as an 8
    confusion[7, 7] = 2
    accuracy = run.per_digit_accuracy(confusion)
    assert accuracy[3] == 0.75 and accuracy[7] == 1.0
    assert np.isnan(np.delete(accuracy, [3, 7])).all()


def test_image_files_are_converted_like_drawings(trained, tmp_path, capsys):
    from PIL import Image
    path, X_test, _ = trained
    model = run.load_model(path)
    # a drawing saved as a dark-on-light picture: the way a photo of paper would look
    canvas = np.zeros((300, 240), np.float32)
    draw_stroke(canvas, [(60, 60), (180, 60), (110, 260)], 12)
    Image.fromarray((255 - canvas * 255).round().astype(np.uint8)).save(tmp_path / "digit.png")
    from_file = run.predict(model, load_image_file(tmp_path / "digit.png"))
    direct = run.predict(model, to_network_input(canvas))
    # the same picture, up to the one-pixel rounding of the centre-of-mass placement
    seen_from_file, seen_direct = from_file.activations[0].reshape(28, 28), direct.activations[0].reshape(28, 28)
    assert abs(seen_from_file.sum() - seen_direct.sum()) < 0.02 * seen_direct.sum()
    assert min(np.abs(np.roll(seen_from_file, (dy, dx), axis=(0, 1)) - seen_direct).max()
               for dy in (-1, 0, 1) for dx in (-1, 0, 1)) < 0.15
    assert run.main(["--model", str(path), str(tmp_path / "digit.png")]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"{tmp_path / 'digit.png'}: {from_file.digit} ({from_file.confidence:.0%})"


def test_evaluate_scores_the_held_out_samples_and_says_so(tmp_path, capsys):
    X, y = make_synthetic_digits(per_class=20, seed=2)
    data = store.DataStore.open(tmp_path / "data.json")
    data.add_many(X.reshape(-1, 28, 28), y, source="drawn")
    train.train_from_file(tmp_path / "data.json", tmp_path / "model.npz",
                          train.TrainConfig(epochs=3, batch_size=32, learning_rate=0.01))
    with np.load(tmp_path / "model.npz") as file:                   # read by hand, not by MLing's loader
        held_out = set(file["val_ids"].tolist())
    by_id = {sample.id: sample for sample in data.samples}
    expected = run.evaluate(run.load_model(tmp_path / "model.npz"),
                            np.stack([by_id[i].image.reshape(784) for i in sorted(held_out)]),
                            np.array([by_id[i].label for i in sorted(held_out)]))
    assert run.main(["--model", str(tmp_path / "model.npz"), "--evaluate", "--data", str(tmp_path / "data.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"scored the {len(held_out)} samples held out when this model was trained")
    assert lines[1] == f"accuracy: {expected.accuracy:.1%} ({expected.correct}/{len(held_out)})"
    assert run.main(["--model", str(tmp_path / "model.npz"), "--evaluate", "--all",
                     "--data", str(tmp_path / "data.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "scored all 200 samples, including any it trained on: not a test score"
    assert "/200)" in lines[1] and "confusion matrix" in "\n".join(lines)


def test_evaluate_says_when_the_model_does_not_record_its_held_out_samples(trained, tmp_path, capsys):
    path, X_test, y_test = trained                                   # saved without val_ids
    data = store.DataStore.open(tmp_path / "data.json")
    data.add_many(X_test.reshape(-1, 28, 28), y_test, source="drawn")
    assert run.main(["--model", str(path), "--evaluate", "--data", str(tmp_path / "data.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("this model does not record which samples it held out, so scored all 100 samples")
    assert out.count("\n  9:") == 2  # per-digit row and matrix row


def test_a_canvas_drawing_is_predicted_from_exactly_its_28x28_conversion(trained):
    model = run.load_model(trained[0])
    canvas = np.zeros((400, 400), np.float32)
    draw_stroke(canvas, [(100, 100), (300, 100), (200, 350)], 14)
    image = to_network_input(canvas)
    prediction = run.predict(model, image)
    np.testing.assert_array_equal(prediction.activations[0], image.reshape(-1))
    np.testing.assert_allclose(prediction.probabilities, network.predict_probabilities(model.params, image[None])[0],
                               rtol=1e-6)
    assert prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("args, message", [
    (["--model", "MISSING.npz", "x.png"], "no model file yet"),
    (["--model", "TEXT.npz", "--evaluate"], "is not an array"),
    (["--model", "HUGE.npz", "--evaluate"], "overflow"),
    ([], "give one or more image files"),
])
def test_run_main_errors(tmp_path, capsys, args, message):
    import zipfile
    with zipfile.ZipFile(tmp_path / "text.npz", "w") as archive:       # a zip that holds text, not arrays
        archive.writestr("W1", "hello")
    params = network.init_params()
    params.flat[...] = 1e30                                          # finite weights whose answers overflow
    network.save_model(tmp_path / "huge.npz", params)
    args = [a.replace("MISSING", str(tmp_path / "missing")).replace("TEXT", str(tmp_path / "text"))
            .replace("HUGE", str(tmp_path / "huge")) for a in args]
    assert run.main(args) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.strip().splitlines()[-1].startswith("error: ")


def test_unreadable_image_is_a_one_line_error(trained, tmp_path, capsys):
    (tmp_path / "broken.png").write_bytes(b"not a png")
    assert run.main(["--model", str(trained[0]), str(tmp_path / "broken.png")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "broken.png" in err and "\n" not in err


def test_explain_is_gradient_times_input_checked_by_finite_differences(trained):
    path, X_test, _ = trained
    model = run.load_model(path)
    image = X_test[4].astype(np.float64)
    prediction = run.predict(model, image.reshape(28, 28))
    contribution = run.explain(model, prediction)
    assert contribution.shape == (28, 28)
    assert not contribution[image.reshape(28, 28) == 0].any()          # no ink, no contribution

    def score(x):  # the digit's pre-softmax score, computed directly from the weights
        p = model.params
        h1 = np.maximum(x @ p["W1"] + p["b1"], 0)
        h2 = np.maximum(h1 @ p["W2"] + p["b2"], 0)
        return (h2 @ p["W3"] + p["b3"])[prediction.digit]
    rng = np.random.default_rng(0)
    for pixel in rng.choice(np.flatnonzero(image > 0.1), size=15, replace=False):
        bumped = image.copy()
        bumped[pixel] += 1e-3
        numeric = (score(bumped) - score(image)) / 1e-3
        assert contribution.reshape(-1)[pixel] == pytest.approx(numeric * image[pixel], rel=1e-2, abs=1e-4)


def test_a_blank_picture_is_reported_not_guessed(trained, tmp_path, capsys):
    from PIL import Image
    Image.fromarray(np.full((40, 40), 255, np.uint8)).save(tmp_path / "blank.png")
    assert run.main(["--model", str(trained[0]), str(tmp_path / "blank.png")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "blank" in captured.err and "blank.png" in captured.err
