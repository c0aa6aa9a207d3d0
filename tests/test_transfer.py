"""Tests for mling/transfer.py through `python store.py import/export`: IDX / PNG / MLing imports and
exports, and their error handling.

Every fixture is built here in tmp_path: no binary files are committed.
"""
import base64
import json
import os

import numpy as np
import pytest
from PIL import Image

from mling import files, store, store_cli, transfer
from mling.pixels import to_bytes


# --- helpers --------------------------------------------------------------------------------
def digit_like_bytes(rng, count, size=28):
    """(count, size, size) uint8 images that look like digits to the importers: a black border
    and a random patch of ink in the middle (random noise everywhere would look dark-on-light
    to the inversion rule half the time)."""
    pixels = np.zeros((count, size, size), dtype=np.uint8)
    margin = size // 5
    pixels[:, margin:-margin, margin:-margin] = rng.integers(
        0, 256, (count, size - 2 * margin, size - 2 * margin), dtype=np.uint8)
    return pixels


def balanced_labels(count):
    return (np.arange(count) % 10).astype(np.uint8)


def write_idx_pair(folder, pixels, labels, suffix=""):
    images_path = folder / f"train-images-idx3-ubyte{suffix}"
    labels_path = folder / f"train-labels-idx1-ubyte{suffix}"
    transfer.write_idx(images_path, pixels)
    transfer.write_idx(labels_path, labels)
    return images_path, labels_path


@pytest.fixture
def data_path(tmp_path):
    """A data.json holding a few drawn samples, so 'unchanged' means something."""
    path = tmp_path / "data.json"
    rng = np.random.default_rng(0)
    store.DataStore.open(path).add_many(digit_like_bytes(rng, 5) / 255, [1, 2, 3, 4, 5], source="drawn")
    return path


def stored(path, source="imported"):
    """(images (n, 28, 28) uint8, labels (n,)) of one source, as data.json holds them."""
    flat, labels = store.DataStore.open(path).arrays([source])
    return to_bytes(flat.reshape(-1, 28, 28)), labels


def sorted_by_content(pixels, labels):
    """Put samples in a canonical order so two sets can be compared whatever their order."""
    keys = [bytes([label]) + image.tobytes() for image, label in zip(pixels, labels)]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return pixels[order], labels[order]


def rejected(capsys, argv, path, before, *words):
    """Run the command, expect exit 1, one 'error:' line naming the problem, data.json untouched."""
    assert store_cli.main([str(arg) for arg in argv] + ["--data", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err
    for word in words:
        assert word in err, err
    assert path.read_bytes() == before
    return err


# --- IDX --------------------------------------------------------------------------------------
@pytest.mark.parametrize("first, told", [
    ("check", "unknown command 'check'; the commands are import, export, merge, and python store.py with none "
              "checks data.json"),
    ("class.json", "to check class.json, give it with --data: python store.py --data class.json")])
def test_a_word_that_is_not_a_command_gets_a_one_line_hint(first, told, capsys):
    assert store_cli.main([first]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: {told}") and error.count("\n") == 1


def test_parse_idx_reads_header_and_big_endian_values():
    raw = bytes([0, 0, 0x0B, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + np.arange(6, dtype=">i2").tobytes()
    array = transfer.parse_idx(raw)
    assert array.shape == (2, 3) and array.tolist() == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_import_then_export_round_trip(tmp_path, data_path, suffix):
    rng = np.random.default_rng(1)
    pixels, labels = digit_like_bytes(rng, 50), balanced_labels(50)
    images_path, labels_path = write_idx_pair(tmp_path, pixels, labels, suffix)
    if suffix:
        assert images_path.read_bytes()[:2] == b"\x1f\x8b"  # really gzip-compressed

    assert store_cli.main(["import", "idx", str(images_path), str(labels_path), "--data", str(data_path)]) == 0
    got_pixels, got_labels = stored(data_path)
    np.testing.assert_array_equal(got_pixels, pixels)   # 28x28 IDX: exact, in file order
    np.testing.assert_array_equal(got_labels, labels)
    assert len(store.DataStore.open(data_path)) == 55   # the 5 drawn samples are still there

    prefix = tmp_path / "out" / "again"
    assert store_cli.main(["export", "idx", str(prefix), "--sources", "imported", "--data", str(data_path)]
                         + (["--gzip"] if suffix else [])) == 0
    np.testing.assert_array_equal(transfer.read_idx_images(f"{prefix}-images-idx3-ubyte{suffix}"), pixels)
    np.testing.assert_array_equal(transfer.read_idx_labels(f"{prefix}-labels-idx1-ubyte{suffix}"), labels)
    assert (transfer.read_idx(images_path) == transfer.read_idx(f"{prefix}-images-idx3-ubyte{suffix}")).all()


def test_export_then_import_gives_the_same_images_and_labels(tmp_path, data_path):
    """Float images in the store -> IDX -> a new store: the same within 1/255."""
    exported = tmp_path / "mling"
    assert store_cli.main(["export", "idx", str(exported), "--data", str(data_path)]) == 0
    copy = tmp_path / "copy.json"
    assert store_cli.main(["import", "idx", f"{exported}-images-idx3-ubyte",
                          f"{exported}-labels-idx1-ubyte", "--data", str(copy)]) == 0
    original = store.DataStore.open(data_path).arrays()
    again = store.DataStore.open(copy).arrays()
    assert np.abs(original[0] - again[0]).max() <= 1 / 255 + 1e-6
    np.testing.assert_array_equal(original[1], again[1])


def test_idx_of_another_size_goes_through_the_drawing_conversion(tmp_path, data_path):
    rng = np.random.default_rng(2)
    pixels = digit_like_bytes(rng, 10, size=40)
    images_path, labels_path = write_idx_pair(tmp_path, pixels, balanced_labels(10))
    assert store_cli.main(["import", "idx", str(images_path), str(labels_path), "--data", str(data_path)]) == 0
    got_pixels, _ = stored(data_path)
    expected = np.stack([transfer.images.to_network_input(image / 255) for image in pixels])
    assert got_pixels.shape == (10, 28, 28)
    assert np.abs(got_pixels / 255 - expected).max() <= 1 / 255 + 1e-6


def test_truncated_idx_is_rejected_and_nothing_written(tmp_path, data_path, capsys):
    images_path, labels_path = write_idx_pair(tmp_path, digit_like_bytes(np.random.default_rng(3), 20),
                                              balanced_labels(20))
    images_path.write_bytes(images_path.read_bytes()[:-100])
    before = data_path.read_bytes()
    rejected(capsys, ["import", "idx", images_path, labels_path], data_path, before,
             str(images_path), "truncated")


def test_truncated_gzip_is_rejected(tmp_path, data_path, capsys):
    images_path, labels_path = write_idx_pair(tmp_path, digit_like_bytes(np.random.default_rng(3), 20),
                                              balanced_labels(20), ".gz")
    images_path.write_bytes(images_path.read_bytes()[:-30])
    rejected(capsys, ["import", "idx", images_path, labels_path], data_path, data_path.read_bytes(),
             str(images_path), "gzip")


def test_wrong_magic_number_is_rejected(tmp_path, data_path, capsys):
    not_idx = tmp_path / "train-images-idx3-ubyte"
    not_idx.write_bytes(b"PK\x03\x04 this is a zip file, not IDX")
    labels_path = tmp_path / "labels"
    transfer.write_idx(labels_path, balanced_labels(3))
    rejected(capsys, ["import", "idx", not_idx, labels_path], data_path, data_path.read_bytes(),
             str(not_idx), "magic number")


def test_swapped_images_and_labels_files_get_a_hint(tmp_path, data_path, capsys):
    images_path, labels_path = write_idx_pair(tmp_path, digit_like_bytes(np.random.default_rng(4), 10),
                                              balanced_labels(10))
    rejected(capsys, ["import", "idx", labels_path, images_path], data_path, data_path.read_bytes(),
             str(labels_path), "labels file")


def test_mismatched_image_and_label_counts_are_rejected(tmp_path, data_path, capsys):
    images_path = tmp_path / "train-images-idx3-ubyte"
    labels_path = tmp_path / "t10k-labels-idx1-ubyte"
    transfer.write_idx(images_path, digit_like_bytes(np.random.default_rng(5), 30))
    transfer.write_idx(labels_path, balanced_labels(20))
    rejected(capsys, ["import", "idx", images_path, labels_path], data_path, data_path.read_bytes(),
             str(images_path), "30 images", "20 labels")


def test_labels_outside_0_to_9_are_rejected(tmp_path, data_path, capsys):
    labels = balanced_labels(20)
    labels[7] = 25  # e.g. EMNIST letters
    images_path, labels_path = write_idx_pair(tmp_path, digit_like_bytes(np.random.default_rng(6), 20), labels)
    rejected(capsys, ["import", "idx", images_path, labels_path], data_path, data_path.read_bytes(),
             str(labels_path), "label 25", "index 7")


def test_missing_file_is_rejected(tmp_path, data_path, capsys):
    rejected(capsys, ["import", "idx", tmp_path / "nope-images", tmp_path / "nope-labels"], data_path,
             data_path.read_bytes(), "nope-images")


# --- --limit and --balance ---------------------------------------------------------------------
@pytest.fixture
def unbalanced_idx(tmp_path):
    """100 samples sorted by digit: 28 zeros, 20 ones, ... and only 4 nines."""
    labels = np.repeat(np.arange(10), [28, 20, 10, 8, 6, 6, 6, 6, 6, 4]).astype(np.uint8)
    return write_idx_pair(tmp_path, digit_like_bytes(np.random.default_rng(7), len(labels)), labels)


def test_limit_keeps_n_samples(unbalanced_idx, data_path):
    argv = ["import", "idx", *map(str, unbalanced_idx), "--data", str(data_path), "--limit", "30"]
    assert store_cli.main(argv) == 0
    _, labels = stored(data_path)
    assert len(labels) == 30
    assert len(set(labels.tolist())) > 2  # picked at random, not the first 30 (all zeros and ones)


def test_limit_with_balance_keeps_at_most_n_over_10_per_digit(unbalanced_idx, data_path):
    argv = ["import", "idx", *map(str, unbalanced_idx), "--data", str(data_path), "--limit", "50", "--balance"]
    assert store_cli.main(argv) == 0
    _, labels = stored(data_path)
    assert np.bincount(labels, minlength=10).tolist() == [5, 5, 5, 5, 5, 5, 5, 5, 5, 4]


def test_balance_alone_keeps_as_many_per_digit_as_the_rarest(unbalanced_idx, data_path):
    argv = ["import", "idx", *map(str, unbalanced_idx), "--data", str(data_path), "--balance"]
    assert store_cli.main(argv) == 0
    _, labels = stored(data_path)
    assert np.bincount(labels, minlength=10).tolist() == [4] * 10


def test_limit_is_reproducible_with_a_seed():
    labels = np.arange(1000) % 10
    first = transfer.choose_samples(labels, 100, False, np.random.default_rng(3))
    again = transfer.choose_samples(labels, 100, False, np.random.default_rng(3))
    np.testing.assert_array_equal(first, again)
    assert (np.diff(first) > 0).all()  # kept in file order


def test_importing_the_same_files_twice_adds_nothing_new(tmp_path, data_path, capsys):
    paths = write_idx_pair(tmp_path, digit_like_bytes(np.random.default_rng(8), 20), balanced_labels(20))
    argv = ["import", "idx", *map(str, paths), "--data", str(data_path)]
    assert store_cli.main(argv) == 0
    assert store_cli.main(argv) == 0
    assert "already" in capsys.readouterr().out
    assert len(stored(data_path)[1]) == 20


# --- PNG folders -------------------------------------------------------------------------------
def test_png_export_then_import_round_trip(tmp_path, data_path):
    rng = np.random.default_rng(9)
    pixels, labels = digit_like_bytes(rng, 30), balanced_labels(30)
    store.DataStore.open(data_path).add_many(pixels / 255, labels, source="imported")

    out_dir = tmp_path / "exported"
    assert store_cli.main(["export", "png", str(out_dir), "--data", str(data_path), "--sources", "imported"]) == 0
    files = sorted(out_dir.glob("*/*.png"))
    assert len(files) == 30
    with Image.open(files[0]) as picture:
        assert picture.size == (28, 28) and picture.mode == "L"

    copy = tmp_path / "copy.json"
    assert store_cli.main(["import", "folder", str(out_dir), "--data", str(copy)]) == 0
    got = sorted_by_content(*stored(copy))
    want = sorted_by_content(pixels, labels)
    np.testing.assert_array_equal(got[1], want[1])
    assert np.abs(got[0].astype(int) - want[0].astype(int)).max() <= 1


def test_folder_import_reads_other_sizes_and_dark_on_light(tmp_path, data_path):
    folder = tmp_path / "digits"
    (folder / "7").mkdir(parents=True)
    page = np.full((90, 60), 255, dtype=np.uint8)
    page[20:70, 25:35] = 0                          # a dark bar on white paper, like a pen "1"
    Image.fromarray(page).save(folder / "7" / "photo.jpg")
    light = np.full((28, 28), 255, dtype=np.uint8)
    light[8:20, 12:16] = 0
    Image.fromarray(light).save(folder / "7" / "small.png")
    (folder / "7" / "notes.txt").write_text("not an image: skipped")
    assert store_cli.main(["import", "folder", str(folder), "--data", str(data_path)]) == 0
    pixels, labels = stored(data_path)
    assert labels.tolist() == [7, 7]
    for image in pixels:
        assert image[0].max() == 0 and image.max() >= 250   # white ink on black, border empty


def write_png_folder(folder, rng, per_digit=2):
    for digit in range(10):
        (folder / str(digit)).mkdir(parents=True)
        for index, image in enumerate(digit_like_bytes(rng, per_digit)):
            Image.fromarray(image).save(folder / str(digit) / f"{index}.png")


def test_unreadable_image_is_rejected_and_nothing_written(tmp_path, data_path, capsys):
    folder = tmp_path / "digits"
    write_png_folder(folder, np.random.default_rng(10))
    broken = folder / "3" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n but then nothing sensible")
    rejected(capsys, ["import", "folder", folder], data_path, data_path.read_bytes(), str(broken))


def test_truncated_png_is_rejected(tmp_path, data_path, capsys):
    folder = tmp_path / "digits"
    write_png_folder(folder, np.random.default_rng(11))
    cut = folder / "5" / "1.png"
    cut.write_bytes(cut.read_bytes()[:60])
    rejected(capsys, ["import", "folder", folder], data_path, data_path.read_bytes(), str(cut))


@pytest.mark.parametrize("name", ["seven", "10", "07"])
def test_wrong_folder_names_are_rejected(tmp_path, data_path, capsys, name):
    folder = tmp_path / "digits"
    write_png_folder(folder, np.random.default_rng(12))
    (folder / name).mkdir()
    rejected(capsys, ["import", "folder", folder], data_path, data_path.read_bytes(), name, "0-9")


def test_folder_without_digit_folders_is_rejected(tmp_path, data_path, capsys):
    folder = tmp_path / "flat"
    folder.mkdir()
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(folder / "a.png")
    rejected(capsys, ["import", "folder", folder], data_path, data_path.read_bytes(), "a.png", "0-9")


def test_folder_import_with_limit_and_balance(tmp_path, data_path):
    folder = tmp_path / "digits"
    write_png_folder(folder, np.random.default_rng(13), per_digit=5)
    assert store_cli.main(["import", "folder", str(folder), "--data", str(data_path),
                          "--limit", "20", "--balance"]) == 0
    assert np.bincount(stored(data_path)[1], minlength=10).tolist() == [2] * 10


def test_png_export_refuses_a_folder_that_is_not_empty(tmp_path, data_path, capsys):
    out_dir = tmp_path / "exported"
    out_dir.mkdir()
    (out_dir / "keep.txt").write_text("mine")
    assert store_cli.main(["export", "png", str(out_dir), "--data", str(data_path)]) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert [path.name for path in out_dir.iterdir()] == ["keep.txt"]


def test_idx_export_refuses_to_overwrite_without_asking(tmp_path, data_path, capsys):
    prefix = tmp_path / "mling"
    argv = ["export", "idx", str(prefix), "--data", str(data_path)]
    assert store_cli.main(argv) == 0
    assert store_cli.main(argv) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert store_cli.main(argv + ["--overwrite"]) == 0


# --- MLing files --------------------------------------------------------------------------------
def test_original_mling_format_is_imported(tmp_path, data_path):
    rng = np.random.default_rng(14)
    images = digit_like_bytes(rng, 6) / 255
    labels = [0, 1, 2, 3, 8, 9]
    old = tmp_path / "old" / "data.json"
    old.parent.mkdir()
    old.write_text(json.dumps({"data": [{"input": image.ravel().tolist(), "output": label}
                                        for image, label in zip(images, labels)]}))
    old_bytes = old.read_bytes()
    assert store_cli.main(["import", "mling", str(old), "--data", str(data_path)]) == 0
    pixels, got_labels = stored(data_path)
    assert got_labels.tolist() == labels
    assert np.abs(pixels / 255 - images).max() <= 1 / 255 + 1e-6
    assert old.read_bytes() == old_bytes   # the other file is only read


def test_newer_mling_file_skips_augmented_copies_by_default(tmp_path, data_path):
    other = tmp_path / "other.json"
    other_store = store.DataStore.open(other)
    rng = np.random.default_rng(15)
    drawn = other_store.add_many(digit_like_bytes(rng, 3) / 255, [4, 5, 6], source="drawn")
    other_store.add_many(digit_like_bytes(rng, 3) / 255, [4, 5, 6], source="augmented",
                         parents=[sample.id for sample in drawn])
    assert store_cli.main(["import", "mling", str(other), "--data", str(data_path)]) == 0
    assert stored(data_path)[1].tolist() == [4, 5, 6]


def test_broken_mling_file_is_rejected(tmp_path, data_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"data": [{"input": [0.5, 0.5], "output": 3}')
    err = rejected(capsys, ["import", "mling", broken], data_path, data_path.read_bytes(), "broken.json")
    assert len(err) < 400


def test_importing_a_file_into_itself_is_rejected(data_path, capsys):
    rejected(capsys, ["import", "mling", data_path], data_path, data_path.read_bytes(), "itself")


def test_original_format_values_outside_0_to_1_are_clipped_with_a_note(tmp_path, data_path, capsys):
    image = np.zeros(784)
    image[300:310] = 1.7
    image[0] = -0.2
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"data": [{"input": image.tolist(), "output": 4}]}))
    assert store_cli.main(["import", "mling", str(old), "--data", str(data_path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("note: ") and "clipped" in err and err.count("\n") == 1
    pixels, labels = stored(data_path)
    assert labels.tolist() == [4] and pixels.max() == 255 and pixels.min() == 0


# --- export file names -----------------------------------------------------------------------------
@pytest.mark.parametrize("bad_id", ["../../x", "/tmp/evil", "..", "a/b", "C:\\x"])
def test_an_id_that_is_a_path_never_writes_outside_the_export_folder(tmp_path, bad_id, capsys):
    """data.json edited by hand so that an id is a path: it is refused when read, nothing is written."""
    data_path = tmp_path / "deep" / "data.json"
    data_path.parent.mkdir()
    image = base64.b64encode(bytes(300) + bytes([200]) * 184 + bytes(300)).decode()
    data_path.write_text(json.dumps({"format": "mling-data", "version": 2, "image_encoding": store.IMAGE_ENCODING,
                                     "samples": [{"id": bad_id, "label": 3, "source": "drawn", "created": "now",
                                                  "image": image}]}))
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))
    assert store_cli.main(["export", "png", str(tmp_path / "deep" / "out"), "--data", str(data_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sample 0 has id" in err and "fix or delete that sample" in err
    assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*")) == before


def test_png_file_names_stay_in_their_folder_and_apart():
    names = transfer.png_file_names(["abc", "ABC", "con", "Nul", "x_1-2", "abc"], np.array([1, 1, 1, 2, 2, 2]))
    assert names == ["abc.png", "ABC-2.png", "_con.png", "_Nul.png", "x_1-2.png", "abc.png"]
    with pytest.raises(transfer.DatasetError, match="cannot be a file name"):
        transfer.png_file_names(["../x"], np.array([1]))


def test_an_export_killed_midway_leaves_a_folder_the_next_export_removes(tmp_path, data_path):
    out = tmp_path / "exported"
    name = files.temporary_path(out).name.replace(f".{os.getpid()}.", ".999999999.")   # a writer that is gone
    left = out.with_name(name)
    (left / "3").mkdir(parents=True)
    (left / "3" / "half.png").write_bytes(b"\x89PNG")
    assert store_cli.main(["export", "png", str(out), "--data", str(data_path)]) == 0
    assert not left.exists() and sorted(os.listdir(tmp_path)) == [".data.json.mling-lock", "data.json", "exported"]


# --- several imports at once ----------------------------------------------------------------------
def test_an_import_waits_for_a_writer_and_adds_on_top_of_its_change(tmp_path, data_path, capsys, monkeypatch):
    """Another program saves while the import reads its files: the import's samples go on top."""
    pixels = digit_like_bytes(np.random.default_rng(30), 10)
    images_path, labels_path = write_idx_pair(tmp_path, pixels, balanced_labels(10))
    real_read = transfer.read_idx_labels

    def read_while_the_window_saves(path):
        store.DataStore.open(data_path).add(digit_like_bytes(np.random.default_rng(31), 1)[0] / 255, 7)
        return real_read(path)

    monkeypatch.setattr(transfer, "read_idx_labels", read_while_the_window_saves)
    assert store_cli.main(["import", "idx", str(images_path), str(labels_path), "--data", str(data_path)]) == 0
    data = store.DataStore.open(data_path)
    assert [s.source for s in data.samples] == ["drawn"] * 6 + ["imported"] * 10
    assert data.samples[5].label == 7


def test_the_same_images_twice_in_one_import_are_added_once(tmp_path, data_path, capsys):
    pixels = digit_like_bytes(np.random.default_rng(32), 5)
    images_path, labels_path = write_idx_pair(tmp_path, np.concatenate([pixels, pixels]),
                                              np.concatenate([balanced_labels(5), balanced_labels(5)]))
    assert store_cli.main(["import", "idx", str(images_path), str(labels_path), "--data", str(data_path)]) == 0
    assert len(stored(data_path)[1]) == 5
    assert "Skipped 5 samples already in data.json" in capsys.readouterr().out


# --- the command line ----------------------------------------------------------------------------
def test_balance_with_a_limit_below_10_is_rejected(unbalanced_idx, data_path, capsys):
    rejected(capsys, ["import", "idx", *unbalanced_idx, "--limit", "5", "--balance"], data_path,
             data_path.read_bytes(), "--limit 10")


def test_a_folder_of_digit_folders_one_level_too_high_gets_a_hint(tmp_path, data_path, capsys):
    write_png_folder(tmp_path / "mnist_png" / "training", np.random.default_rng(16))
    (tmp_path / "mnist_png" / "__MACOSX").mkdir()  # left by unzipping on a Mac: ignored
    rejected(capsys, ["import", "folder", tmp_path / "mnist_png"], data_path, data_path.read_bytes(),
             "training", "on its own")


def test_export_without_a_data_file_is_an_error(tmp_path, capsys):
    assert store_cli.main(["export", "png", str(tmp_path / "out"), "--data", str(tmp_path / "none.json")]) == 1
    assert "none.json" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unknown_source_is_a_usage_error(data_path, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        store_cli.main(["export", "png", str(tmp_path / "out"), "--sources", "scribbled"])
    assert exit_info.value.code == 2
    assert "scribbled" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["-h"], ["import", "idx", "-h"], ["import", "folder", "-h"],
                                  ["import", "mling", "-h"], ["export", "png", "-h"], ["export", "idx", "-h"]])
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        store_cli.main(argv)
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_export_leaves_augmented_copies_out_unless_asked(tmp_path, data_path):
    data_store = store.DataStore.open(data_path)
    parents = [sample.id for sample in data_store.samples]
    data_store.add_many(digit_like_bytes(np.random.default_rng(17), 5) / 255, [1, 2, 3, 4, 5],
                        source="augmented", parents=parents)
    assert store_cli.main(["export", "idx", str(tmp_path / "a"), "--data", str(data_path)]) == 0
    assert len(transfer.read_idx_labels(tmp_path / "a-labels-idx1-ubyte")) == 5
    assert store_cli.main(["export", "idx", str(tmp_path / "b"), "--data", str(data_path),
                          "--sources", "drawn,augmented"]) == 0
    assert len(transfer.read_idx_labels(tmp_path / "b-labels-idx1-ubyte")) == 10


# --- folders where files belong, and exports that fail halfway -----------------------------------
def test_importing_a_folder_as_an_mling_file_says_it_is_a_folder(tmp_path, data_path, capsys):
    folder = tmp_path / "old_mling"
    folder.mkdir()
    err = rejected(capsys, ["import", "mling", folder], data_path, data_path.read_bytes(),
                   str(folder), "is a folder")
    assert "no such file" not in err


def test_exporting_from_a_folder_says_it_is_a_folder(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    assert store_cli.main(["export", "idx", str(tmp_path / "out"), "--data", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "is a folder" in err and "no such file" not in err and err.count("\n") == 1


def failing_on_call(function, failing_call):
    """A stand-in for `function` that raises "disk full" on its `failing_call`-th call."""
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        if len(calls) == failing_call:
            raise OSError(28, "No space left on device")
        return function(*args, **kwargs)
    return fake


# The labels file's own fsync is the third (after the images file's and its folder's); its replace the second.
@pytest.mark.parametrize("patched, failing_call", [("fsync", 3), ("replace", 2)])
def test_idx_export_failing_on_the_second_file_leaves_neither(tmp_path, data_path, capsys, monkeypatch, patched,
                                                              failing_call):
    """Writing the labels fails after the images were written: no lone images file is left behind
    (it would make the next export ask for --overwrite), and no temporary files either."""
    out = tmp_path / "out"
    monkeypatch.setattr(files.os, patched, failing_on_call(getattr(files.os, patched), failing_call))
    assert store_cli.main(["export", "idx", str(out / "mling"), "--gzip", "--data", str(data_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "No space left" in err and err.count("\n") == 1
    assert sorted(path.name for path in out.iterdir()) == []
    monkeypatch.undo()
    assert store_cli.main(["export", "idx", str(out / "mling"), "--gzip", "--data", str(data_path)]) == 0


# --- blank images ---------------------------------------------------------------------------------
def test_folder_import_skips_blank_images_and_counts_them(tmp_path, data_path, capsys):
    folder = tmp_path / "fold"
    write_png_folder(folder, np.random.default_rng(18), per_digit=1)
    Image.new("L", (28, 28), 255).save(folder / "3" / "white.png")      # a white page: no digit
    Image.new("L", (28, 28), 0).save(folder / "3" / "black.png")        # nothing drawn
    Image.new("RGB", (50, 40), (255, 255, 255)).save(folder / "3" / "photo.png")
    assert store_cli.main(["import", "folder", str(folder), "--data", str(data_path)]) == 0
    out = capsys.readouterr().out
    assert "skipped 3 blank images" in out.lower() and "Imported 10 samples" in out
    pixels, labels = stored(data_path)
    assert labels.tolist() == list(range(10))
    assert (pixels.reshape(10, -1).max(axis=1) > pixels.reshape(10, -1).min(axis=1)).all()


def test_idx_import_skips_blank_images_and_counts_them(tmp_path, data_path, capsys):
    pixels, labels = digit_like_bytes(np.random.default_rng(19), 12), balanced_labels(12)
    pixels[3] = 0
    pixels[7] = 255
    paths = write_idx_pair(tmp_path, pixels, labels)
    assert store_cli.main(["import", "idx", *map(str, paths), "--data", str(data_path)]) == 0
    assert "skipped 2 blank images" in capsys.readouterr().out.lower()
    got_pixels, got_labels = stored(data_path)
    keep = np.ones(12, bool)
    keep[[3, 7]] = False
    np.testing.assert_array_equal(got_pixels, pixels[keep])
    np.testing.assert_array_equal(got_labels, labels[keep])


def test_mling_import_skips_blank_images(tmp_path, data_path, capsys):
    old = tmp_path / "old.json"
    inputs = [np.zeros(784), digit_like_bytes(np.random.default_rng(20), 1).ravel() / 255]
    old.write_text(json.dumps({"data": [{"input": image.tolist(), "output": label}
                                        for image, label in zip(inputs, [6, 8])]}))
    assert store_cli.main(["import", "mling", str(old), "--data", str(data_path)]) == 0
    assert "skipped 1 blank image " in capsys.readouterr().out.lower()
    assert stored(data_path)[1].tolist() == [8]


def test_only_blank_images_is_an_error_and_nothing_is_written(tmp_path, data_path, capsys):
    paths = write_idx_pair(tmp_path, np.zeros((4, 28, 28), np.uint8), balanced_labels(4))
    rejected(capsys, ["import", "idx", *paths], data_path, data_path.read_bytes(), "blank", "4")
