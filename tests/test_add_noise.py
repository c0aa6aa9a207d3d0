"""Tests for add_noise.py: the pure augmentation functions and the tagged copies in data.json."""
import tracemalloc

import numpy as np
import pytest

import add_noise
from add_noise import (
    add_augmented_copies,
    add_sparse_noise,
    affine_warp,
    augment,
    centres_of_mass,
    change_stroke_width,
    dilate,
    erode,
    make_copies,
    random_affine,
)
from mling import store
from mling.images import draw_stroke, to_network_input

STROKES = {  # digit-like polylines on a 200x200 canvas (x, y)
    0: [[(100 + 40 * np.cos(a), 100 + 60 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 30)]],
    1: [[(100, 35), (100, 165)]],
    4: [[(120, 165), (120, 40), (55, 125), (150, 125)]],
    7: [[(55, 45), (145, 45), (85, 165)]],
}


def digit(label: int) -> np.ndarray:
    ink = np.zeros((200, 200), dtype=np.float32)
    for stroke in STROKES[label]:
        draw_stroke(ink, stroke, radius=7)
    return to_network_input(ink)


@pytest.fixture(scope="module")
def digits():
    """(8, 28, 28) float32 test digits and their labels."""
    labels = [0, 1, 4, 7, 7, 4, 1, 0]
    return np.stack([digit(label) for label in labels]), np.array(labels)


def rng(seed=0):
    return np.random.default_rng(seed)


def principal_angle(images):
    """(n,) angle in degrees of each image's main axis (from second moments), 0 = vertical."""
    rows, cols = np.indices((28, 28))
    mass = images.sum(axis=(1, 2))
    centre = centres_of_mass(images)
    dr = rows[None] - centre[:, 0, None, None]
    dc = cols[None] - centre[:, 1, None, None]
    mrr = (images * dr * dr).sum(axis=(1, 2)) / mass
    mcc = (images * dc * dc).sum(axis=(1, 2)) / mass
    mrc = (images * dr * dc).sum(axis=(1, 2)) / mass
    return np.degrees(0.5 * np.arctan2(2 * mrc, mrr - mcc))


# --- the pure functions -----------------------------------------------------------------------
@pytest.mark.parametrize("function", [add_sparse_noise, random_affine, change_stroke_width, augment])
def test_same_seed_same_result_and_shapes_dtypes_range(function, digits):
    images, _ = digits
    before = images.copy()
    first = function(images, rng(3))
    assert np.array_equal(first, function(images, rng(3)))          # deterministic for a seed
    assert not np.array_equal(first, function(images, rng(4)))      # and the seed matters
    assert first.shape == images.shape and first.dtype == np.float32
    assert first.min() >= 0.0 and first.max() <= 1.0
    assert np.array_equal(images, before)                            # input untouched
    single = function(images[0], rng(3))                             # one (28, 28) image works too
    assert single.shape == (28, 28) and single.dtype == np.float32


@pytest.mark.parametrize("function", [add_sparse_noise, random_affine, change_stroke_width, augment])
def test_rejects_wrong_shapes(function):
    with pytest.raises(ValueError):
        function(np.zeros((5, 784)), rng())


def test_sparse_noise_nudges_a_few_pixels_within_strength():
    grey = np.full((200, 28, 28), 0.5, dtype=np.float32)               # room to move both ways
    noisy = add_sparse_noise(grey, rng(), fraction=0.02, strength=0.25)
    changed = noisy != grey
    assert 0.015 < changed.mean() < 0.025                              # about 2% of the pixels
    assert np.abs(noisy - grey).max() <= 0.25 + 1e-6
    assert (noisy[changed] > 0.5).any() and (noisy[changed] < 0.5).any()
    # On the 0..1 scale and clipped: never below 0 or above 1, even at the extremes.
    extremes = add_sparse_noise(np.tile([[0.0, 1.0]], (2, 28, 14)), rng(), fraction=1.0)
    assert extremes.min() == 0.0 and extremes.max() == 1.0
    assert np.array_equal(add_sparse_noise(grey, rng(), fraction=0.0), grey)


def test_affine_warp_identity_shift_and_rotation(digits):
    images, _ = digits
    n = len(images)
    identity = np.tile(np.eye(2), (n, 1, 1))
    centre = np.full((n, 2), 13.5)
    assert np.array_equal(affine_warp(images, identity, centre, np.zeros((n, 2))), images)
    moved = affine_warp(images, identity, centre, np.tile([2.0, -3.0], (n, 1)))
    assert np.array_equal(moved[:, 2:, :-3], images[:, :-2, 3:])       # down 2, left 3
    assert not moved[:, :2].any() and not moved[:, :, -3:].any()       # zeros come in
    # A quarter turn about the middle of the grid lands exactly on pixels: same as np.rot90.
    quarter = np.tile([[0.0, -1.0], [1.0, 0.0]], (n, 1, 1))
    turned = affine_warp(images, quarter, centre, np.zeros((n, 2)))
    assert np.allclose(turned, np.rot90(images, axes=(1, 2)), atol=1e-6)


def test_random_affine_with_no_range_changes_nothing(digits):
    images, _ = digits
    same = random_affine(images, rng(), max_shift=0.0, max_rotation_degrees=0.0,
                         scale_range=(1.0, 1.0), max_shear=0.0)
    assert np.allclose(same, images, atol=1e-6)


def test_random_affine_keeps_centre_and_mass_without_shift(digits):
    images, labels = digits
    many = np.repeat(images, 50, axis=0)
    warped = random_affine(many, rng(), max_shift=0.0)
    moved = np.abs(centres_of_mass(warped) - centres_of_mass(many)).max(axis=1)
    clear_of_edge = np.repeat(labels != 7, 50)           # this 7's tail touches the bottom row,
    assert moved[clear_of_edge].max() < 0.1              # so growing it can cut a little off
    assert moved.max() < 1.0
    ratio = warped.sum(axis=(1, 2)) / many.sum(axis=(1, 2))
    low, high = add_noise.SCALE_RANGE                      # ink area grows with scale squared
    assert (ratio > 0.9 * low ** 2).all() and (ratio < 1.1 * high ** 2).all()


def test_random_affine_shifts_stay_within_range(digits):
    images, _ = digits
    many = np.repeat(images, 50, axis=0)
    moved = centres_of_mass(random_affine(many, rng())) - centres_of_mass(many)
    assert np.abs(moved).max() <= add_noise.MAX_SHIFT + 0.5
    assert np.abs(moved).max() > add_noise.MAX_SHIFT - 0.5         # and the range is used


def test_random_affine_never_turns_a_digit_over(digits):
    ones = np.repeat(digits[0][digits[1] == 1], 200, axis=0)         # a vertical bar: easy to measure
    turned = principal_angle(random_affine(ones, rng())) - principal_angle(ones)
    # Rotation (15 degrees) plus slant (atan 0.2 = 11 degrees) at most: nowhere near upside down.
    assert np.abs(turned).max() < 30
    assert np.abs(turned).max() > 10


def test_dilate_and_erode():
    dot = np.zeros((1, 28, 28), dtype=np.float32)
    dot[0, 10, 10] = 0.8
    grown = dilate(dot)
    assert np.array_equal(grown[0, 9:12, 9:12], np.full((3, 3), 0.8, dtype=np.float32))
    assert grown.sum() == pytest.approx(9 * 0.8)
    assert np.array_equal(erode(grown), dot)                          # erosion undoes it here
    assert not erode(dot).any()                                        # a lone pixel disappears
    edge = np.ones((1, 28, 28), dtype=np.float32)
    assert erode(edge)[0, 0].max() == 0.0 and erode(edge)[0, 1:-1, 1:-1].min() == 1.0


def test_stroke_width_thicker_and_thinner(digits):
    images, _ = digits
    thicker = change_stroke_width(images, rng(), max_thicker=0.6, max_thinner=0.0)
    thinner = change_stroke_width(images, rng(), max_thicker=0.0, max_thinner=0.3)
    mass = images.sum(axis=(1, 2))
    assert (thicker.sum(axis=(1, 2)) >= mass - 1e-3).all()
    assert (thinner.sum(axis=(1, 2)) <= mass + 1e-3).all()
    assert (thinner.sum(axis=(1, 2)) > 0.4 * mass).all()              # strokes never vanish
    # Thinner keeps the darkest ink as dark as before: the pen is thinner, not greyer.
    assert np.allclose(thinner.max(axis=(1, 2)), images.max(axis=(1, 2)), atol=1e-5)


def test_augment_keeps_ink_mass_centre_and_shape_roughly(digits):
    images, _ = digits
    many = np.repeat(images, 40, axis=0)
    out = augment(many, rng())
    ratio = out.sum(axis=(1, 2)) / many.sum(axis=(1, 2))
    assert (ratio > 0.4).all() and (ratio < 2.5).all() and 0.8 < ratio.mean() < 1.4
    moved = np.hypot(*(centres_of_mass(out) - centres_of_mass(many)).T)
    assert moved.max() < add_noise.MAX_SHIFT * np.sqrt(2) + 1.0
    # Still the same digit: each copy is more like its original than like the average other digit.
    flat, originals = out.reshape(len(out), -1), many.reshape(len(many), -1)
    own = (flat * originals).sum(axis=1) / np.linalg.norm(originals, axis=1)
    assert np.median(own / np.linalg.norm(flat, axis=1)) > 0.5


def repeated_then_augmented(images: np.ndarray, copies: int, generator: np.random.Generator,
                            batch: int) -> np.ndarray:
    """The reference: every image repeated `copies` times, augmented `batch` rows at a time."""
    repeated = np.repeat(images, copies, axis=0)
    return np.concatenate([augment(repeated[start:start + batch], generator)
                           for start in range(0, len(repeated), batch)])


def test_make_copies_layout(digits):
    images, _ = digits
    copies = make_copies(images[:3], 4, rng(1))
    assert copies.shape == (12, 28, 28) and copies.dtype == np.float32
    assert np.array_equal(copies, make_copies(images[:3], 4, rng(1)))
    assert make_copies(images[:3], 0, rng()).shape == (0, 28, 28)
    # Copy k of image i sits at row i * 4 + k: the same as augmenting the repeated images.
    assert np.array_equal(copies, repeated_then_augmented(images[:3], 4, rng(1), add_noise.BATCH))


def test_make_copies_in_blocks_is_still_deterministic(digits, monkeypatch):
    images, _ = digits
    monkeypatch.setattr(add_noise, "BATCH", 5)                  # 24 copies in 5 blocks
    copies = make_copies(images, 3, rng(2))
    assert copies.shape == (24, 28, 28)
    assert np.array_equal(copies, repeated_then_augmented(images, 3, rng(2), 5))
    assert (copies.reshape(24, -1).max(axis=1) > 0.5).all()     # every block was filled


# --- copies in a data file --------------------------------------------------------------------
@pytest.fixture
def data_file(tmp_path, digits):
    """data.json with 5 drawn, 2 starter and 1 imported sample."""
    images, labels = digits
    path = tmp_path / "data.json"
    data = store.DataStore.open(path)
    data.add_many(images[:5], labels[:5], source="drawn")
    data.add_many(images[5:7], labels[5:7], source="starter")
    data.add_many(images[7:], labels[7:], source="imported")
    return path


def originals_of(data):
    return [(s.id, s.pixels, s.label, s.source, s.created) for s in data.samples
            if s.source != "augmented"]


def test_copies_are_tagged_and_linked_to_their_parents(data_file):
    data = store.DataStore.open(data_file)
    added = add_augmented_copies(data, 3, rng())
    assert len(added) == 24 and len(data) == 32
    by_id = {s.id: s for s in data.samples}
    for sample in added:
        assert sample.source == "augmented"
        parent = by_id[sample.parent]
        assert parent.source != "augmented" and parent.label == sample.label
    assert sorted(s.parent for s in added) == sorted(
        [s.id for s in data.samples if s.source != "augmented"] * 3)
    # The file says the same after reopening it.
    again = store.DataStore.open(data_file)
    assert [(s.id, s.parent, s.pixels) for s in again.samples] == \
           [(s.id, s.parent, s.pixels) for s in data.samples]


def test_running_again_replaces_copies_and_never_touches_originals(data_file):
    data = store.DataStore.open(data_file)
    originals = originals_of(data)
    first = add_augmented_copies(data, 3, rng(1))
    second = add_augmented_copies(data, 3, rng(2))
    assert len(data) == 8 + 24                                          # replaced, not piled up
    ids = {s.id for s in data.samples}
    assert not {s.id for s in first} & ids and {s.id for s in second} <= ids
    assert all(s.parent in {o[0] for o in originals} for s in second)   # no copies of copies
    assert originals_of(store.DataStore.open(data_file)) == originals   # byte-for-byte, same order
    add_augmented_copies(data, 0, rng())
    assert originals_of(data) == originals and len(data) == 8


def test_main_adds_copies_and_prints_one_line(data_file, capsys):
    assert add_noise.main(["--data", str(data_file), "--copies", "2", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert out == ("Added 2 augmented copies of each of 8 samples (16 in all); "
                   "data.json now holds 24 samples.\n")
    pixels = [s.pixels for s in store.DataStore.open(data_file).samples]
    assert add_noise.main(["--data", str(data_file), "--copies", "2", "--seed", "5"]) == 0
    assert "replacing 16 earlier ones" in capsys.readouterr().out
    assert [s.pixels for s in store.DataStore.open(data_file).samples] == pixels  # same seed
    assert add_noise.main(["--data", str(data_file), "--copies", "0"]) == 0
    assert capsys.readouterr().out == "Removed 16 augmented copies; data.json now holds 8 samples.\n"


def test_main_missing_file_writes_nothing(tmp_path, capsys):
    missing = tmp_path / "data.json"
    assert add_noise.main(["--data", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not found" in err and err.count("\n") == 1
    assert not missing.exists()
    assert add_noise.main(["--data", str(tmp_path)]) == 1                 # a folder, not a file
    assert "is a folder" in capsys.readouterr().err


def test_main_unreadable_file_is_left_alone(tmp_path, capsys):
    broken = tmp_path / "data.json"
    broken.write_text('{"format": "mling-data", "samples": [')
    assert add_noise.main(["--data", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert broken.read_text() == '{"format": "mling-data", "samples": ['


def test_main_empty_file_and_bad_copies(tmp_path, capsys):
    empty = tmp_path / "data.json"
    store.DataStore.open(empty).add_many(np.zeros((0, 28, 28)), [], "drawn")   # a file with no samples
    contents = empty.read_bytes()
    assert add_noise.main(["--data", str(empty)]) == 1
    assert "no samples" in capsys.readouterr().err
    assert empty.read_bytes() == contents
    with pytest.raises(SystemExit) as exit_info:
        add_noise.main(["--data", str(empty), "--copies", "-1"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("copies", ["101", "100000", "-1", "2.5", "ten"])
def test_main_refuses_copies_outside_0_to_100_in_one_line(data_file, capsys, copies):
    before = data_file.read_bytes()
    with pytest.raises(SystemExit) as exit_info:
        add_noise.main(["--data", str(data_file), "--copies", copies])
    assert exit_info.value.code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("usage:")]
    assert len(errors) == 1 and "--copies" in errors[0] and "0 to 100" in errors[0] and copies in errors[0]
    assert data_file.read_bytes() == before


def test_add_augmented_copies_refuses_more_than_100(data_file):
    data = store.DataStore.open(data_file)
    for copies in (101, -1, 2.0, True):
        with pytest.raises(ValueError, match="0 to 100"):
            add_augmented_copies(data, copies, rng())
    assert len(store.DataStore.open(data_file)) == 8
    assert len(add_augmented_copies(data, np.int64(100), rng())) == 800


def test_copies_are_made_a_batch_at_a_time_straight_into_bytes(data_file, monkeypatch):
    """Memory: no float array of all the copies. Each batch of at most BATCH images is augmented,
    and the store is handed bytes (784 per copy) - the same bytes as rounding the float copies."""
    data = store.DataStore.open(data_file)
    originals = [s for s in data.samples if s.source != "augmented"]
    monkeypatch.setattr(add_noise, "BATCH", 5)
    sizes, given = [], []
    real_augment, real_replace = add_noise.augment, data.replace_source
    monkeypatch.setattr(add_noise, "augment",
                        lambda images, r, *rest: sizes.append(len(images)) or real_augment(images, r, *rest))
    monkeypatch.setattr(data, "replace_source",
                        lambda *args, **kwargs: given.append(args[1]) or real_replace(*args, **kwargs))
    added = add_augmented_copies(data, 3, rng(4))
    assert sizes == [5, 5, 5, 5, 4] and isinstance(given[0], (bytes, bytearray))
    floats = repeated_then_augmented(np.stack([s.image for s in originals]), 3, rng(4), 5)
    assert [s.pixels for s in added] == [store.images_to_bytes(image.reshape(1, 784)) for image in floats]


def test_memory_grows_by_the_bytes_of_the_copies_not_by_float_arrays(tmp_path, digits, monkeypatch):
    """8,000 samples x 10 copies once peaked at ~800 MB: two float32 arrays of every copy (6 KB
    each) on top of what the store keeps. Now only the batch being augmented is floats."""
    monkeypatch.setattr(add_noise, "BATCH", 64)  # the batch's own memory the same for both runs
    images, labels = digits

    def peak(copies):
        data = store.DataStore.open(tmp_path / f"data{copies}.json")
        data.add_many(np.tile(images, (10, 1, 1)), np.tile(labels, 10), source="drawn")  # 80 samples
        tracemalloc.start()
        try:
            add_augmented_copies(data, copies, rng())
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    per_copy = (peak(12) - peak(2)) / (80 * 10)
    assert per_copy < 3000, f"{per_copy:.0f} bytes of memory per copy"


def test_main_out_of_memory_is_one_line_and_writes_nothing(data_file, capsys, monkeypatch):
    def no_memory(*args):
        raise MemoryError
    monkeypatch.setattr(add_noise, "make_copy_pixels", no_memory)
    before = data_file.read_bytes()
    assert add_noise.main(["--data", str(data_file), "--copies", "100"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: not enough memory") and "--copies" in err and err.count("\n") == 1
    assert data_file.read_bytes() == before


def test_copies_follow_changes_made_while_they_were_made(data_file, monkeypatch):
    """The window deletes one drawing and relabels another while add_noise.py makes the copies:
    the copies of the deleted one are left out, those of the relabelled one take its new label,
    and a drawing saved meanwhile stays (it gets copies on the next run)."""
    data = store.DataStore.open(data_file)
    deleted, relabelled = data.samples[0], data.samples[1]
    real_make = add_noise.make_copy_pixels

    def make_while_the_window_edits(originals, copies, generator):
        pixels = real_make(originals, copies, generator)
        window = store.DataStore.open(data_file)
        window.remove([deleted.id])
        window.relabel([relabelled.id], 9)
        window.add(np.zeros((28, 28)) + 0.5, 4)
        return pixels

    monkeypatch.setattr(add_noise, "make_copy_pixels", make_while_the_window_edits)
    added = add_augmented_copies(data, 2, rng())
    reopened = store.DataStore.open(data_file)
    assert reopened.samples == data.samples
    assert deleted.id not in {s.parent for s in added} and len(added) == 2 * 7
    assert [s.label for s in added if s.parent == relabelled.id] == [9, 9]
    assert sum(s.source == "drawn" for s in reopened.samples) == 5 - 1 + 1
