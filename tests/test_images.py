"""Tests for images.py: the brush, the canvas -> 28x28 conversion and image-file loading."""
import numpy as np
import pytest
from PIL import Image

from mling import images
from mling.images import draw_stroke, is_blank, load_image_file, to_network_input

CANVAS = 400
RADIUS = 14

# A few digit-like polylines in canvas coordinates (x, y); each inner list is one stroke.
SEVEN = [[(110, 90), (290, 90), (170, 330)]]
FOUR = [[(240, 330), (240, 80), (110, 250), (300, 250)]]
ONE = [[(200, 70), (200, 330)]]
ZERO = [[(200 + 80 * np.cos(a), 200 + 120 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 40)]]


def canvas(strokes, offset=(0, 0), scale=1.0, radius=RADIUS, size=CANVAS):
    """Draw `strokes` (scaled about the origin, then moved by `offset`) on a blank canvas."""
    ink = np.zeros((size, size), dtype=np.float32)
    for stroke in strokes:
        points = [(x * scale + offset[0], y * scale + offset[1]) for x, y in stroke]
        draw_stroke(ink, points, radius * scale)
    return ink


def centre_of_mass(image):
    rows, cols = np.indices(image.shape)
    mass = image.sum()
    return (rows * image).sum() / mass, (cols * image).sum() / mass


def ink_box(image, threshold=0.0):
    """(height, width) of the bounding box of pixels above `threshold`."""
    rows = np.flatnonzero((image > threshold).any(axis=1))
    cols = np.flatnonzero((image > threshold).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


# --- draw_stroke ------------------------------------------------------------------------------
def test_click_draws_a_round_dot_centred_on_the_point():
    ink = np.zeros((100, 100), dtype=np.float32)
    rect = draw_stroke(ink, [(40, 60)], radius=10)
    assert ink[60, 40] == 1.0
    assert ink[60, 40 + 7] == 1.0 and ink[60 - 7, 40] == 1.0           # solid core
    assert ink[60, 40 + 14] == 0.0 and ink[60 + 10, 40 + 10] == 0.0    # round, not square
    assert np.allclose(ink[60 - 15:60 + 16, 40 - 15:40 + 16],
                       ink[60 - 15:60 + 16, 40 - 15:40 + 16][::-1, ::-1])   # symmetric
    x, y, w, h = rect
    inked_rows, inked_cols = np.nonzero(ink)
    assert x <= inked_cols.min() and inked_cols.max() < x + w
    assert y <= inked_rows.min() and inked_rows.max() < y + h


@pytest.mark.parametrize("end", [(390, 200), (390, 390), (215, 395), (5, 380)])
def test_fast_long_segment_leaves_no_gaps(end):
    ink = np.zeros((CANVAS, CANVAS), dtype=np.float32)
    start = (10, 10) if end != (5, 380) else (395, 20)
    draw_stroke(ink, [start, end], radius=12)
    # Every pixel on the line between the two points is fully inked ...
    for t in np.linspace(0, 1, 2000):
        x = start[0] + t * (end[0] - start[0])
        y = start[1] + t * (end[1] - start[1])
        assert ink[int(round(y)), int(round(x))] == 1.0
    # ... and so is everything within the core, across the stroke's whole width.
    direction = np.subtract(end, start) / np.hypot(*np.subtract(end, start))
    normal = np.array([-direction[1], direction[0]])
    for t in np.linspace(0.05, 0.95, 200):
        for across in (-7, -3, 0, 3, 7):
            x, y = np.add(start, t * np.subtract(end, start)) + across * normal
            assert ink[int(round(y)), int(round(x))] == 1.0


def test_stroke_looks_the_same_however_fast_the_mouse_moved():
    slow = np.zeros((CANVAS, CANVAS), dtype=np.float32)
    fast = np.zeros((CANVAS, CANVAS), dtype=np.float32)
    path = [(30 + t, 50 + 0.8 * t) for t in range(0, 301)]           # one point per pixel
    draw_stroke(slow, path, radius=13)
    draw_stroke(fast, [path[0], path[-1]], radius=13)                # one jump
    assert np.abs(slow - fast).max() < 1e-5
    # Many separate calls (one per mouse event) give the same as one call with the polyline.
    pieces = np.zeros_like(slow)
    for a, b in zip(path[::10], path[10::10]):
        draw_stroke(pieces, [a, b], radius=13)
    assert np.abs(pieces - fast).max() < 1e-5


def test_corners_have_no_beads_or_dents():
    ink = np.zeros((200, 200), dtype=np.float32)
    draw_stroke(ink, [(20, 100), (100, 100), (100, 20)], radius=8)
    # At the joint the soft edge is exactly the one-segment profile: nothing darker than 1,
    # and the outer corner is rounded like a dot drawn there.
    assert ink.max() == 1.0
    dot = np.zeros_like(ink)
    draw_stroke(dot, [(100, 100)], radius=8)
    assert (ink >= dot - 1e-6).all()


def test_soft_edge_and_values_stay_in_range():
    ink = np.zeros((60, 60), dtype=np.float32)
    draw_stroke(ink, [(10, 30), (50, 30)], radius=6)
    column = ink[:, 30]
    assert 0.0 < column[30 + 6] < 1.0                  # anti-aliased edge, half ink at the radius
    assert abs(column[30 + 6] - 0.5) < 0.05
    assert np.all(np.diff(column[30:]) <= 0)           # fades outwards monotonically
    assert ink.min() >= 0.0 and ink.max() <= 1.0 and ink.dtype == np.float32


def test_erase_removes_ink_and_leaves_the_rest():
    ink = np.zeros((CANVAS, CANVAS), dtype=np.float32)
    draw_stroke(ink, [(50, 100), (350, 100)], radius=12)
    draw_stroke(ink, [(50, 300), (350, 300)], radius=12)
    before = ink.copy()
    rect = draw_stroke(ink, [(200, 20), (200, 180)], radius=20, value=0.0)
    assert ink[100, 190:211].max() == 0.0                     # a gap cut through the top line
    assert np.array_equal(ink[200:], before[200:])            # bottom line untouched
    assert (ink <= before).all()                              # erasing never adds ink
    x, y, w, h = rect
    changed_rows, changed_cols = np.nonzero(ink != before)
    assert x <= changed_cols.min() and changed_cols.max() < x + w
    assert y <= changed_rows.min() and changed_rows.max() < y + h
    # Erasing everything gives a blank canvas again.
    draw_stroke(ink, [(0, 0), (CANVAS, CANVAS)], radius=CANVAS, value=0.0)
    assert is_blank(ink) and ink.max() == 0.0


def test_grey_value_pulls_towards_that_level():
    ink = np.zeros((50, 50), dtype=np.float32)
    ink[:, 25:] = 1.0
    draw_stroke(ink, [(5, 25), (45, 25)], radius=5, value=0.5)
    assert ink[25, 10] == pytest.approx(0.5) and ink[25, 40] == pytest.approx(0.5)
    assert ink[0, 10] == 0.0 and ink[0, 40] == 1.0


def test_off_canvas_and_empty_strokes():
    ink = np.zeros((50, 50), dtype=np.float32)
    assert draw_stroke(ink, [], radius=5) is None
    assert draw_stroke(ink, [(-100, -100), (-80, -200)], radius=5) is None
    assert not ink.any()
    rect = draw_stroke(ink, [(-10, 25), (60, 25)], radius=5)          # crosses the canvas
    assert rect[0] == 0 and rect[2] == 50                              # clipped to the canvas
    assert ink[25].min() == 1.0


def test_accepts_numpy_points_and_float64_canvas():
    ink = np.zeros((40, 40))
    draw_stroke(ink, np.array([[5.5, 5.5], [30.2, 20.7]]), radius=3)
    assert ink[6, 6] == 1.0 and ink.dtype == np.float64


@pytest.mark.parametrize("bad", [
    dict(ink=np.zeros(10), points=[(1, 1)], radius=2),
    dict(ink=np.zeros((10, 10)), points=[(1, 1)], radius=0),
    dict(ink=np.zeros((10, 10)), points=[(1, 1)], radius=float("nan")),
    dict(ink=np.zeros((10, 10)), points=[(1, float("inf"))], radius=2),
])
def test_draw_stroke_rejects_bad_arguments(bad):
    with pytest.raises(ValueError):
        draw_stroke(**bad)


def test_is_blank():
    ink = np.zeros((30, 30), dtype=np.float32)
    assert is_blank(ink)
    ink[3, 3] = images.INK_THRESHOLD / 2                 # a faint smudge is still blank
    assert is_blank(ink)
    ink[4, 4] = 0.5
    assert not is_blank(ink)
    assert is_blank(np.zeros((0, 0)))


# --- to_network_input -------------------------------------------------------------------------
@pytest.mark.parametrize("strokes", [SEVEN, FOUR, ONE, ZERO])
def test_output_follows_the_mnist_convention(strokes):
    image = to_network_input(canvas(strokes))
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0 and image.max() > 0.9
    height, width = ink_box(image)
    assert max(height, width) == 20 and min(height, width) <= 20       # longer side fills 20
    row, col = centre_of_mass(image)
    # Whole-pixel placement, as in MNIST: at most half a pixel off (float noise on a tie).
    assert abs(row - images.CENTRE) <= 0.5 + 1e-5 and abs(col - images.CENTRE) <= 0.5 + 1e-5


def test_aspect_ratio_is_kept():
    ink = np.zeros((400, 400), dtype=np.float32)
    ink[50:250, 100:150] = 1.0                                          # 200 tall, 50 wide
    image = to_network_input(ink)
    assert ink_box(image) == (20, 5)
    assert np.allclose(image[image > 0], 1.0)                           # exact 10x box average


def test_blank_gives_zeros():
    assert not to_network_input(np.zeros((400, 400), dtype=np.float32)).any()
    faint = np.full((400, 400), images.INK_THRESHOLD * 0.9, dtype=np.float32)
    result = to_network_input(faint)
    assert result.dtype == np.float32 and result.shape == (28, 28) and not result.any()


def test_shifting_the_drawing_does_not_change_the_output():
    reference = to_network_input(canvas(SEVEN))
    for offset in [(-60, 40), (35, -20), (80, 40)]:                 # all still on the canvas
        assert np.array_equal(to_network_input(canvas(SEVEN, offset=offset)), reference)


def best_aligned_difference(a, b):
    """Mean |a - b| after the best whole-pixel shift of b by -1, 0 or 1 in each direction.

    Placement rounds the centre of mass to whole pixels (as MNIST did), so two drawings that
    differ only in size may land one pixel apart when their centres sit near a half pixel.
    """
    return min(np.abs(a - np.roll(b, (dy, dx), axis=(0, 1))).mean()
               for dy in (-1, 0, 1) for dx in (-1, 0, 1))


@pytest.mark.parametrize("strokes", [SEVEN, FOUR, ZERO])
def test_drawing_size_barely_matters(strokes):
    big = to_network_input(canvas(strokes))
    for scale in (0.3, 0.5, 0.75):
        small = to_network_input(canvas(strokes, offset=(40, 30), scale=scale))
        assert best_aligned_difference(small, big) < 0.02
        assert abs(small.sum() - big.sum()) < 0.05 * big.sum()


def test_thin_strokes_survive_downscaling():
    ink = np.zeros((400, 400), dtype=np.float32)
    ink[40:360, 200] = 1.0                                # a 1-pixel-wide line, 320 long
    ink[40, 120:281] = 1.0                                # and a 1-pixel bar across the top
    image = to_network_input(ink)
    assert image[:, 14].sum() > 0 and image.sum() == pytest.approx(ink.sum() * (20 / 320) ** 2,
                                                                    rel=0.01)


@pytest.mark.parametrize("shape", [(1, 1), (3, 2), (5, 12), (28, 28)])
def test_tiny_inputs_are_scaled_up(shape):
    ink = np.zeros((shape[0] + 4, shape[1] + 4), dtype=np.float32)
    ink[2:-2, 2:-2] = 1.0
    image = to_network_input(ink)
    height, width = ink_box(image)
    assert max(height, width) == 20
    assert image.max() == pytest.approx(1.0)


def test_network_input_is_stable_when_applied_twice():
    once = to_network_input(canvas(FOUR))
    twice = to_network_input(once)
    assert np.abs(twice - once).mean() < 0.03


def test_input_canvas_is_not_modified_and_any_float_dtype_works():
    ink = canvas(SEVEN).astype(np.float64)
    copy = ink.copy()
    result = to_network_input(ink)
    assert np.array_equal(ink, copy)
    assert result.dtype == np.float32
    assert np.allclose(result, to_network_input(ink.astype(np.float32)), atol=1e-5)


def test_ink_at_the_edge_is_never_cut_off():
    # An "L" whose mass sits in one corner: the centre of mass cannot reach (14, 14) without
    # pushing ink out of the field, so the box stays inside and all ink is kept.
    ink = np.zeros((100, 100), dtype=np.float32)
    ink[0:100, 0:3] = 1.0
    ink[97:100, 0:100] = 1.0
    image = to_network_input(ink)
    assert ink_box(image) == (20, 20)
    assert image[0].sum() > 0 or image[:, 0].sum() > 0 or image[-1].sum() > 0


def test_nan_pixels_count_as_background():
    ink = canvas(SEVEN)
    spoiled = ink.copy()
    spoiled[200, 200] = np.nan
    result = to_network_input(spoiled)
    assert np.isfinite(result).all() and np.abs(result - to_network_input(ink)).max() < 0.01


def test_to_network_input_rejects_wrong_shape():
    with pytest.raises(ValueError):
        to_network_input(np.zeros((3, 4, 5)))


# --- load_image_file --------------------------------------------------------------------------
def save_grey(path, ink, dark_on_light=False, mode="L"):
    """Save canvas ink (1 = ink) as an 8-bit image file, optionally as dark strokes on white."""
    values = 1.0 - ink if dark_on_light else ink
    Image.fromarray(np.round(values * 255).astype(np.uint8), mode="L").convert(mode).save(path)
    return path


def test_dark_on_light_file_gives_the_same_as_light_on_dark(tmp_path):
    ink = canvas(FOUR)
    light_on_dark = load_image_file(save_grey(tmp_path / "a.png", ink))
    dark_on_light = load_image_file(save_grey(tmp_path / "b.png", ink, dark_on_light=True))
    assert np.allclose(light_on_dark, dark_on_light, atol=1e-5)
    # Close to the canvas itself: only the faint soft edge is trimmed by the noise floor.
    assert best_aligned_difference(light_on_dark, to_network_input(ink)) < 0.01
    assert light_on_dark.shape == (28, 28) and light_on_dark.dtype == np.float32


def test_colour_jpeg_on_paper_coloured_background(tmp_path):
    ink = canvas(SEVEN)
    rng = np.random.default_rng(0)
    paper = np.array([0.93, 0.9, 0.8])                       # cream paper, blue pen, some grain
    pen = np.array([0.1, 0.15, 0.5])
    rgb = paper + ink[..., None] * (pen - paper) + rng.normal(0, 0.02, (CANVAS, CANVAS, 1))
    path = tmp_path / "photo.jpg"
    Image.fromarray(np.clip(np.round(rgb * 255), 0, 255).astype(np.uint8)).save(path, quality=85)
    image = load_image_file(path)
    expected = to_network_input(ink)
    assert best_aligned_difference(image, expected) < 0.02


def test_transparent_png_with_black_strokes(tmp_path):
    ink = canvas(ZERO)
    rgba = np.zeros((CANVAS, CANVAS, 4), dtype=np.uint8)           # black, alpha = ink
    rgba[..., 3] = np.round(ink * 255).astype(np.uint8)
    path = tmp_path / "transparent.png"
    Image.fromarray(rgba, mode="RGBA").save(path)
    assert best_aligned_difference(load_image_file(path), to_network_input(ink)) < 0.01


def test_white_strokes_on_transparent_background(tmp_path):
    ink = canvas(ONE)
    rgba = np.full((CANVAS, CANVAS, 4), 255, dtype=np.uint8)
    rgba[..., 3] = np.round(ink * 255).astype(np.uint8)
    path = tmp_path / "white.png"
    Image.fromarray(rgba, mode="RGBA").save(path)
    assert best_aligned_difference(load_image_file(path), to_network_input(ink)) < 0.01


def test_big_and_small_files_agree(tmp_path):
    big_ink = canvas(SEVEN, scale=3.0, size=1200)
    small_ink = canvas(SEVEN, scale=0.14, size=56)
    big = load_image_file(save_grey(tmp_path / "big.png", big_ink, dark_on_light=True))
    small = load_image_file(save_grey(tmp_path / "small.png", small_ink))
    assert np.corrcoef(big.ravel(), small.ravel())[0, 1] > 0.85


def test_other_pixel_formats(tmp_path):
    ink = canvas(FOUR)
    expected = load_image_file(save_grey(tmp_path / "grey.png", ink))
    for mode in ("RGB", "P", "LA", "1"):
        image = load_image_file(save_grey(tmp_path / f"{mode}.png", ink, mode=mode))
        assert np.corrcoef(image.ravel(), expected.ravel())[0, 1] > 0.95, mode
    sixteen = Image.fromarray(np.round(ink * 65535).astype(np.uint16))
    sixteen.save(tmp_path / "16bit.png")
    assert np.abs(load_image_file(tmp_path / "16bit.png") - expected).max() < 0.02


def test_blank_image_file_gives_zeros(tmp_path):
    path = tmp_path / "white.png"
    Image.new("L", (64, 48), 255).save(path)
    assert not load_image_file(path).any()


@pytest.mark.parametrize("content", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n broken"])
def test_unreadable_file_is_a_one_line_value_error(tmp_path, content):
    path = tmp_path / "digit.png"
    path.write_bytes(content)
    with pytest.raises(ValueError) as error:
        load_image_file(path)
    message = str(error.value)
    assert "digit.png" in message and "\n" not in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        load_image_file(tmp_path / "nope.png")
    with pytest.raises(ValueError, match="folder"):
        load_image_file(tmp_path)


def test_main_prints_the_image_and_reports_bad_files(tmp_path, capsys):
    good = save_grey(tmp_path / "good.png", canvas(ONE))
    bad = tmp_path / "bad.png"
    bad.write_text("nope")
    assert images.main([str(good)]) == 0
    assert capsys.readouterr().out.count("\n") >= 28
    assert images.main([str(good), str(bad)]) == 1
    assert capsys.readouterr().err.startswith("error: ")
