"""Tests for the starter-set generator (starter/make_starter.py and starter/templates.py)."""
import numpy as np
import pytest

from mling import store
from starter import make_starter, templates
from starter.make_starter import generate, ink_fraction, stroke_width

PER_DIGIT = 4          # 40 drawings: enough to see every digit, fast enough for every run

# What real handwriting looks like after the MNIST-style conversion, measured on 5,000 real
# MNIST digits as MNIST stores them (`python -m starter.evaluate_real --stats --set mnist-5k`
# measures them after run.py's image-file conversion, which thins strokes a little):
#   ink fraction (share of the 784 pixels above 0.5): min 0.029, 0.1% 0.041, median 0.130,
#                                                      99.9% 0.293, max 0.306
#   stroke width (2 * area / outline, in 28x28 pixels): min 0.79, 0.1% 0.90, median 1.95,
#                                                      99.9% 4.43, max 5.43
# The generator redraws anything outside the 0.1%..99.9% range (make_starter.INK_FRACTION_RANGE,
# STROKE_WIDTH_RANGE); the medians of a starter set must be close to the real ones.
REAL_INK_RANGE, REAL_WIDTH_RANGE = (0.029, 0.306), (0.79, 5.43)
REAL_INK_MEDIAN, REAL_WIDTH_MEDIAN = 0.130, 1.95
MEDIAN_TOLERANCE = 0.25          # the set's medians lie within 25% of the real ones


@pytest.fixture(scope="module")
def starter_set():
    """(images (40, 28, 28), labels (40,)) made once for the module."""
    return generate(PER_DIGIT, seed=11)


def test_same_seed_gives_the_same_set(starter_set):
    again_images, again_labels = generate(PER_DIGIT, seed=11)
    np.testing.assert_array_equal(again_images, starter_set[0])
    np.testing.assert_array_equal(again_labels, starter_set[1])


def test_another_seed_gives_other_drawings(starter_set):
    other_images, _ = generate(PER_DIGIT, seed=12)
    assert not np.array_equal(other_images, starter_set[0])


def test_the_number_of_processes_does_not_change_the_set():
    one_images, one_labels = generate(2, seed=5, jobs=1)
    two_images, two_labels = generate(2, seed=5, jobs=2)
    np.testing.assert_array_equal(one_images, two_images)
    np.testing.assert_array_equal(one_labels, two_labels)


def test_balanced_over_the_ten_digits(starter_set):
    images, labels = starter_set
    assert images.shape == (10 * PER_DIGIT, 28, 28) and images.dtype == np.float32
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(labels, minlength=10), [PER_DIGIT] * 10)


def test_images_are_network_inputs(starter_set):
    images, _ = starter_set
    assert np.isfinite(images).all()
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert (images.max(axis=(1, 2)) > 0.9).all()            # every drawing has solid ink


def test_every_sample_passes_the_store(starter_set, tmp_path):
    images, labels = starter_set
    path = tmp_path / "data.json"
    store.DataStore.open(path).add_many(images, labels, "starter")
    reopened = store.DataStore.open(path)                    # validates every sample on read
    assert len(reopened) == len(labels)
    assert {sample.source for sample in reopened.samples} == {"starter"}
    X, y = reopened.arrays()
    np.testing.assert_array_equal(y, labels)
    np.testing.assert_allclose(X.reshape(images.shape), images, atol=0.5 / 255 + 1e-6)


def test_looks_like_real_handwriting(starter_set):
    images, _ = starter_set
    ink, width = ink_fraction(images), stroke_width(images)
    low, high = make_starter.INK_FRACTION_RANGE
    assert ink.min() >= low and ink.max() <= high, (ink.min(), ink.max())
    low, high = make_starter.STROKE_WIDTH_RANGE
    assert width.min() >= low and width.max() <= high, (width.min(), width.max())
    assert abs(np.median(ink) / REAL_INK_MEDIAN - 1) < MEDIAN_TOLERANCE
    assert abs(np.median(width) / REAL_WIDTH_MEDIAN - 1) < MEDIAN_TOLERANCE


def test_the_accepted_range_lies_inside_real_handwriting():
    assert REAL_INK_RANGE[0] <= make_starter.INK_FRACTION_RANGE[0] < REAL_INK_MEDIAN
    assert REAL_INK_MEDIAN < make_starter.INK_FRACTION_RANGE[1] <= REAL_INK_RANGE[1]
    assert REAL_WIDTH_RANGE[0] <= make_starter.STROKE_WIDTH_RANGE[0] < REAL_WIDTH_MEDIAN
    assert REAL_WIDTH_MEDIAN < make_starter.STROKE_WIDTH_RANGE[1] <= REAL_WIDTH_RANGE[1]


def test_drawings_outside_the_real_range_are_redrawn():
    speck = np.zeros((28, 28), dtype=np.float32)
    speck[14, 14] = 1.0                                       # one pixel: far too little ink
    blob = np.ones((28, 28), dtype=np.float32)                # all ink
    assert not make_starter.looks_real(speck) and not make_starter.looks_real(blob)
    rng = np.random.default_rng(3)
    assert all(make_starter.looks_real(make_starter.draw_digit(digit, rng)) for digit in range(10))


def test_measures_on_known_shapes():
    """ink_fraction and stroke_width on a bar of known size: 20 long, 3 wide."""
    bar = np.zeros((1, 28, 28), dtype=np.float32)
    bar[0, 4:24, 12:15] = 1.0
    assert ink_fraction(bar)[0] == pytest.approx(60 / 784)
    assert stroke_width(bar)[0] == pytest.approx(2 * 60 / (2 * 20 + 2 * 3))   # ~2.6, close to 3


def test_every_form_of_every_digit_can_be_drawn():
    rng = np.random.default_rng(0)
    for digit, forms in templates.DIGIT_FORMS.items():
        assert forms, digit
        for name, weight, template in forms:
            assert weight > 0, (digit, name)
            strokes = templates.vary_strokes(template(rng), rng, templates.WIDTH_RANGE.get(digit))
            assert strokes and all(s.ndim == 2 and s.shape[1] == 2 and np.isfinite(s).all()
                                   for s in strokes), (digit, name)
            mouse, radius = make_starter.to_canvas_strokes(strokes, rng)
            points = np.concatenate(mouse)
            # the whole drawing, pen width included, stays on the canvas
            assert points.min() - radius >= 0 and points.max() + radius <= make_starter.CANVAS_SIZE


def test_main_replaces_starter_samples_and_keeps_the_users(tmp_path, capsys):
    path = tmp_path / "data.json"
    mine = store.DataStore.open(path)
    mine.add(np.eye(28, dtype=np.float32), 1, source="drawn")
    assert make_starter.main(["--per-digit", "2", "--seed", "3", "--out", str(path), "--jobs", "1"]) == 0
    assert make_starter.main(["--per-digit", "3", "--seed", "3", "--out", str(path), "--jobs", "2"]) == 0
    data = store.DataStore.open(path)
    sources = [sample.source for sample in data.samples]
    assert sources.count("starter") == 30 and sources.count("drawn") == 1
    np.testing.assert_array_equal(data.counts(["starter"]), [3] * 10)
    assert "30 starter digits" in capsys.readouterr().out


def test_main_rejects_a_bad_count(tmp_path, capsys):
    assert make_starter.main(["--per-digit", "0", "--out", str(tmp_path / "d.json")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert not (tmp_path / "d.json").exists()


def test_optdigits_blocks_are_converted_like_a_drawing():
    from starter.evaluate_real import optdigits_to_network_input

    blocks = np.zeros((1, 8, 8), dtype=np.float32)
    blocks[0, 1:7, 3:5] = 16.0                                # a thick upright bar, like a 1
    image = optdigits_to_network_input(blocks)
    assert image.shape == (1, 28, 28) and image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    rows = np.flatnonzero(image[0].max(axis=1) > 0.05)
    assert rows[-1] - rows[0] + 1 == 20                       # the longer side fills the 20 px box
    assert abs(ink_centre_column(image[0]) - 14.0) <= 1.0


def ink_centre_column(image):
    return float((image.sum(axis=0) * np.arange(28)).sum() / image.sum())


def test_evaluate_real_says_what_is_wrong_in_one_line(tmp_path, capsys):
    from starter import evaluate_real

    assert evaluate_real.main(["--model", str(tmp_path / "missing.npz"), "--set", "mnist-5k"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and error.count("\n") == 1


def test_real_sets_go_through_the_same_conversion_as_an_image_file(tmp_path):
    from PIL import Image

    from mling import images
    from starter.evaluate_real import as_image_file

    grey = np.zeros((28, 28), dtype=np.uint8)
    grey[5:23, 12:15] = 255                                   # a bright upright bar ...
    grey[5:8, 9:12] = 128                                     # ... with a grey flag, on black
    Image.fromarray(grey, mode="L").save(tmp_path / "digit.png")
    from_file = images.load_image_file(tmp_path / "digit.png")
    np.testing.assert_allclose(as_image_file(grey / 255.0), from_file, atol=1e-6)


def test_mnist_csv_files_are_read_in_either_column_order(tmp_path):
    from starter.evaluate_real import read_mnist_csv

    pixels = np.zeros((2, 784), dtype=int)
    pixels[0, 0], pixels[1, 783] = 255, 51                     # first pixel of one, last of the other
    label_last = "\n".join(",".join(map(str, [*row, label])) for row, label in zip(pixels, (7, 2)))
    (tmp_path / "last.csv").write_text(label_last + "\n")
    header = "label," + ",".join(f"p{i}" for i in range(784))
    label_first = "\n".join(",".join(map(str, [label, *row])) for row, label in zip(pixels, (7, 2)))
    (tmp_path / "first.csv").write_text(header + "\n" + label_first + "\n")
    for name, first, has_header in (("last.csv", False, False), ("first.csv", True, True)):
        grey, labels = read_mnist_csv(tmp_path / name, label_first=first, header=has_header)
        assert grey.shape == (2, 28, 28) and labels.tolist() == [7, 2]
        assert grey[0, 0, 0] == 1.0 and grey[1, 27, 27] == pytest.approx(0.2)
        assert grey.sum() == pytest.approx(1.2)


def test_drawing_files_take_their_label_from_the_file_name(tmp_path, monkeypatch):
    from PIL import Image

    from starter import evaluate_real

    folder = tmp_path / "samples" / "images" / "digits"
    folder.mkdir(parents=True)
    bar = np.full((32, 32), 255, dtype=np.uint8)
    bar[4:28, 15:18] = 0                                      # black ink on white, as a paint program saves
    for name in ("Digit_1_Sample01.png", "Digit_7_Sample02.png"):
        Image.fromarray(bar, mode="L").save(folder / name)
    monkeypatch.setattr(evaluate_real, "package_folder", lambda package, fix: tmp_path)
    batch, labels = evaluate_real.load_drawings()
    assert labels.tolist() == [1, 7] and batch.shape == (2, 28, 28)
    assert batch.max() == pytest.approx(1.0) and batch[:, 0, :].max() == 0.0   # ink is bright, centred


def test_dev_sets_are_the_default_and_test_sets_must_be_asked_for():
    from starter.evaluate_real import DEV_SETS, TEST_SETS, chosen_sets

    assert chosen_sets(None) == list(DEV_SETS)
    assert chosen_sets(["test"]) == list(TEST_SETS)
    assert chosen_sets(["mnist-5k", "dev", "drawings"]) == ["mnist-5k", "mnist-train", "drawings"]
    assert not set(DEV_SETS) & set(TEST_SETS)


def test_tune_holds_out_the_same_drawings_as_train_py(tmp_path):
    import train
    from starter import tune

    rng = np.random.default_rng(4)
    labels = rng.integers(0, 10, size=60)
    data = store.DataStore.open(tmp_path / "data.json")
    data.add_many(rng.random((60, 28, 28), dtype=np.float32), labels, "starter")
    _, validation = train.split_indices(data, 0.15, np.random.default_rng(7))
    np.testing.assert_array_equal(np.flatnonzero(tune.validation_mask(labels, 0.15, 7)), np.sort(validation))


def test_soft_targets_sharpen_nothing_at_temperature_one_and_flatten_above():
    from starter.tune import soft_targets

    probabilities = np.array([[0.7, 0.2, 0.1] + [0.0] * 7], dtype=np.float32)
    np.testing.assert_allclose(soft_targets(probabilities, 1.0)[0, :3], [0.7, 0.2, 0.1], atol=1e-5)
    soft = soft_targets(probabilities, 2.0)[0]
    expected = np.sqrt([0.7, 0.2, 0.1])                       # p ** (1 / 2), renormalised
    np.testing.assert_allclose(soft[:3], expected / expected.sum(), atol=1e-3)  # zeros floored at 1e-7
    assert soft.sum() == pytest.approx(1.0)
