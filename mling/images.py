"""Turn drawings and image files into the network's input: a (28, 28) float32 image.

The data path starts here:

    mouse strokes --draw_stroke--> canvas ink (H, W) --to_network_input--> (28, 28) image
    PNG/JPG file  --load_image_file------------------------------------->  (28, 28) image

Every image follows the MNIST convention, so drawings, imported files and the starter digits
look alike to the network: ink = 1 on a background of 0, the digit scaled so its longer side
fills a 20x20 box (aspect kept), and placed so its centre of mass sits at the centre of the
28x28 field.

Try it from a terminal (prints the 28x28 result as characters):

    python images.py my_digit.png

NumPy only, plus Pillow for reading image files; no pygame, so tests and scripts use it freely.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mling.pixels import IMAGE_SIDE

# --- Defaults -----------------------------------------------------------------------------
BOX_SIZE = 20              # the digit's longer side is scaled to fit this box (MNIST: 20)
CENTRE = 14.0              # centre of mass goes to (row 14, col 14), in pixel-index coordinates
INK_THRESHOLD = 0.05       # canvas values at or below this count as background (faint smudges)
CENTRE_DECIMALS = 3        # the centre of mass is rounded to 1/1000 pixel before the digit is placed
BRUSH_SOFTNESS = 0.3       # width of the brush's soft edge, as a fraction of its radius
FILE_MAX_SIDE = 512        # image files are box-downsampled to at most this many pixels a side first
FILE_NOISE_FLOOR = 0.2     # after contrast stretching, file pixels this faint become background


# --- Drawing --------------------------------------------------------------------------------
def _brush_profile(distance: np.ndarray, radius: float) -> np.ndarray:
    """How much ink the brush leaves at `distance` pixels from its centre line, in [0, 1].

    A solid core with a soft, anti-aliased edge: 1 inside radius - edge/2, 0 outside
    radius + edge/2, a smoothstep in between (0.5 exactly at `radius`).
    """
    edge = max(1.0, BRUSH_SOFTNESS * radius)
    t = np.clip((radius + edge / 2 - distance) / edge, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)   # smoothstep: no visible ring where the edge starts


def _stamp_segment(ink: np.ndarray, ax: float, ay: float, bx: float, by: float,
                   radius: float, value: float) -> tuple[int, int, int, int] | None:
    """Paint one straight piece a->b in place; return its clipped box (x0, y0, x1, y1) or None.

    Every pixel in the piece's bounding box gets its distance to the segment (projection onto
    the segment, clamped to its ends), so the brush is stamped continuously, not at points.

    The eraser (value 0) is the pen grown by its soft edge: its solid core covers everything the
    pen of the same radius can reach, so erasing along a stroke leaves no grey outline (the pen's
    edge is 0.5 at `radius`, far above INK_THRESHOLD, and the network would see it).
    """
    height, width = ink.shape
    edge = max(1.0, BRUSH_SOFTNESS * radius)
    grow = edge if value <= 0.0 else 0.0                        # the eraser reaches one edge further
    reach = radius + grow + edge / 2                            # where the profile reaches 0
    x0 = max(int(np.floor(min(ax, bx) - reach)), 0)
    x1 = min(int(np.ceil(max(ax, bx) + reach)) + 1, width)
    y0 = max(int(np.floor(min(ay, by) - reach)), 0)
    y1 = min(int(np.ceil(max(ay, by) + reach)) + 1, height)
    if x0 >= x1 or y0 >= y1:
        return None                                             # entirely off the canvas

    # Pixel centres are at integer coordinates: column x, row y.
    dx = np.arange(x0, x1, dtype=np.float32)[None, :] - np.float32(ax)   # (1, w)
    dy = np.arange(y0, y1, dtype=np.float32)[:, None] - np.float32(ay)   # (h, 1)
    ux, uy = np.float32(bx - ax), np.float32(by - ay)
    length2 = float(ux * ux + uy * uy)
    if length2 > 0.0:
        # t = where the pixel projects onto a->b, as a fraction of its length, kept in [0, 1]
        t = np.clip((dx * ux + dy * uy) / np.float32(length2), 0.0, 1.0)
        ex, ey = dx - t * ux, dy - t * uy
        distance = np.sqrt(ex * ex + ey * ey)
    else:
        distance = np.sqrt(dx * dx + dy * dy)                   # a click: a round dot
    profile = _brush_profile(distance - grow, radius)

    view = ink[y0:y1, x0:x1]
    if value >= 1.0:
        np.maximum(view, profile, out=view)
    elif value <= 0.0:
        np.minimum(view, 1.0 - profile, out=view)
    else:
        # Pull each pixel toward `value` as far as the brush covers it. A clip (not a blend)
        # makes overlapping pieces idempotent, so joints between pieces leave no darker dots.
        np.clip(view, value * profile, 1.0 - (1.0 - value) * profile, out=view)
    return x0, y0, x1, y1


def draw_stroke(ink: np.ndarray, points, radius: float,
                value: float = 1.0) -> tuple[int, int, int, int] | None:
    """Draw a soft round pen along the polyline `points` into `ink`, in place.

    ink: (H, W) float array in [0, 1] (the canvas; float32 is fastest), changed in place.
    points: [(x, y), ...] in canvas pixel coordinates (x = column, y = row); one point draws a dot.
    radius: brush radius in canvas pixels (the stroke is about 2 * radius wide).
    value: ink level the brush leaves; 1.0 draws, 0.0 erases (everything the pen of this radius
        would have reached along the same path: no outline is left).

    Each pixel takes max(ink, brush) for its distance to the nearest segment, so a stroke looks
    the same however fast the mouse moved: no gaps, no beads at the joints. Returns the changed
    rectangle (x, y, w, h) clipped to the canvas, or None if nothing on the canvas was touched.
    """
    if not isinstance(ink, np.ndarray) or ink.ndim != 2:
        raise ValueError(f"ink must be a 2-D (H, W) array, got {getattr(ink, 'shape', type(ink))}")
    if not np.isfinite(radius) or radius <= 0:
        raise ValueError(f"radius must be a positive number of pixels, got {radius!r}")
    value = float(np.clip(value, 0.0, 1.0))
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) == 0:
        return None
    if not np.isfinite(pts).all():
        raise ValueError("points must be finite (x, y) pairs")

    # Split long segments into pieces about two brush widths long, so each bounding box stays
    # small: a 400 px diagonal costs ~15 small boxes instead of one box of 160,000 pixels.
    piece = max(4.0 * radius, 8.0)
    starts, ends = (pts[:1], pts[:1]) if len(pts) == 1 else (pts[:-1], pts[1:])
    dirty = None
    for (ax, ay), (bx, by) in zip(starts.tolist(), ends.tolist()):
        count = max(1, int(np.ceil(np.hypot(bx - ax, by - ay) / piece)))
        for i in range(count):
            s, e = i / count, (i + 1) / count
            box = _stamp_segment(ink, ax + s * (bx - ax), ay + s * (by - ay),
                                 ax + e * (bx - ax), ay + e * (by - ay), radius, value)
            if box is not None:
                dirty = box if dirty is None else (min(dirty[0], box[0]), min(dirty[1], box[1]),
                                                   max(dirty[2], box[2]), max(dirty[3], box[3]))
    if dirty is None:
        return None
    x0, y0, x1, y1 = dirty
    return x0, y0, x1 - x0, y1 - y0


def is_blank(ink: np.ndarray) -> bool:
    """True if no pixel of `ink` (any shape) is above INK_THRESHOLD: nothing worth predicting."""
    ink = np.asarray(ink)
    return ink.size == 0 or not bool(np.nanmax(ink) > INK_THRESHOLD)


# --- Canvas -> 28x28 --------------------------------------------------------------------------
def _resize_matrix(size_in: int, scale: float) -> np.ndarray:
    """(size_out, size_in) matrix that resamples one axis by `scale`; apply as M @ x.

    Shrinking (scale <= 1) averages areas: input pixel k covers [k*scale, (k+1)*scale) in
    output units and each output pixel sums the parts that overlap it, so a thin stroke turns
    grey instead of vanishing. Growing (scale > 1) interpolates linearly between pixel centres.
    """
    size_out = max(1, int(np.ceil(size_in * scale - 1e-6)))
    out = np.arange(size_out, dtype=np.float64)[:, None]        # (size_out, 1)
    k = np.arange(size_in, dtype=np.float64)[None, :]           # (1, size_in)
    if scale <= 1.0:
        overlap = np.minimum(out + 1, (k + 1) * scale) - np.maximum(out, k * scale)
        weights = np.clip(overlap, 0.0, None)
    else:
        source = (out + 0.5) / scale - 0.5                      # output centre in input pixels
        weights = np.clip(1.0 - np.abs(source - k), 0.0, None)  # the "tent" of bilinear
        weights /= weights.sum(axis=1, keepdims=True)           # edges: reuse the edge pixel
    return weights.astype(np.float32)


def to_network_input(ink: np.ndarray) -> np.ndarray:
    """Canvas ink (H, W) in [0, 1], ink = 1 -> the network's (28, 28) float32 image (MNIST style).

    1. crop to the bounding box of the pixels above INK_THRESHOLD,
    2. scale so the longer side is BOX_SIZE (20) pixels, aspect kept (area averaging),
    3. paste into 28x28 so the centre of mass lands on (14, 14), rounded to whole pixels as
       MNIST did (but never pushing ink off the edge),
    4. clip to [0, 1]. A blank canvas gives all zeros.
    """
    ink = np.asarray(ink, dtype=np.float32)
    if ink.ndim != 2:
        raise ValueError(f"ink must be a 2-D (H, W) array, got shape {ink.shape}")
    result = np.zeros((IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    mask = ink > INK_THRESHOLD                                  # NaN compares False: background
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return result
    cols = np.flatnonzero(mask[rows[0]:rows[-1] + 1].any(axis=0))
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    crop = ink[r0:r1, c0:c1]          # a view: no copy of a large canvas (keeps this < 1 ms)

    # 2. one scale for both axes keeps the aspect; the longer side becomes BOX_SIZE.
    scale = BOX_SIZE / max(crop.shape)
    rows_matrix = _resize_matrix(crop.shape[0], scale)         # (box height, crop height)
    cols_matrix = _resize_matrix(crop.shape[1], scale)         # (box width, crop width)
    box = rows_matrix @ crop @ cols_matrix.T
    if not np.isfinite(box).all():                              # NaN/inf pixels count as no ink
        box = rows_matrix @ np.nan_to_num(crop, nan=0.0, posinf=1.0, neginf=0.0) @ cols_matrix.T
    box = np.clip(box, 0.0, 1.0)

    # 3. centre of mass (row, col) of the box, then a whole-pixel offset that moves it to CENTRE.
    mass = float(box.sum())
    if mass <= 0.0:
        return result
    # Rounded to CENTRE_DECIMALS first: a symmetric digit's centre lies exactly half-way between two
    # pixels, and float32 rounding noise would pick the side (differently per machine, and per browser).
    com_row = round(float(box.sum(axis=1) @ np.arange(box.shape[0])) / mass, CENTRE_DECIMALS)
    com_col = round(float(box.sum(axis=0) @ np.arange(box.shape[1])) / mass, CENTRE_DECIMALS)
    top = int(np.clip(np.floor(CENTRE - com_row + 0.5), 0, IMAGE_SIDE - box.shape[0]))
    left = int(np.clip(np.floor(CENTRE - com_col + 0.5), 0, IMAGE_SIDE - box.shape[1]))
    result[top:top + box.shape[0], left:left + box.shape[1]] = box
    return result


# --- Image files ------------------------------------------------------------------------------
def _read_pixels(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read an image file -> (luminance, alpha), both (H, W) float32 in [0, 1].

    Raises ValueError (one line) for anything Pillow cannot open.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as opened:
            opened.seek(0)                                      # first frame of a GIF/TIFF
            if opened.format == "JPEG":                         # big photos decode faster when
                opened.draft("RGB", (FILE_MAX_SIDE, FILE_MAX_SIDE))   # JPEG scales them down
            img = ImageOps.exif_transpose(opened)               # phone photos: upright
            img.load()
    except FileNotFoundError:
        raise ValueError(f"{path}: file not found; check the path") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a folder, not an image file") from None
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"{path}: cannot read it as an image ({reason}); "
                         f"use a PNG or JPG file") from None

    if img.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):    # 16/32-bit grey: keep depth
        img = img.convert("F")
    elif img.mode not in ("L", "LA", "RGB", "RGBA"):                 # palette, 1-bit, CMYK, ...
        img = img.convert("RGBA")
    if max(img.size) > FILE_MAX_SIDE:                           # big photos: shrink first
        resampling = getattr(Image, "Resampling", Image)         # Pillow < 9.1 has no enum
        img.thumbnail((FILE_MAX_SIDE, FILE_MAX_SIDE), resampling.BOX)

    if img.mode == "F":
        values = np.asarray(img, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        luminance = (values - low) / (high - low) if high > low else np.zeros_like(values)
        return luminance.astype(np.float32), np.ones(values.shape, dtype=np.float32)
    rgba = np.asarray(img.convert("RGBA"), dtype=np.float32) / 255.0
    # ITU-R 601 luma, the same weights Pillow's "L" mode uses.
    luminance = rgba[..., 0] * 0.299 + rgba[..., 1] * 0.587 + rgba[..., 2] * 0.114
    return luminance, rgba[..., 3]


def is_dark_on_light(luminance: np.ndarray) -> bool:
    """(H, W) in [0, 1]: True for dark strokes on a light page, to be inverted so that ink is bright.

    The border is mostly background: if it is brighter than the picture on average, the strokes
    are the dark part. Every picture MLing reads (load_image_file, imported PNG folders) uses this.
    """
    border = np.concatenate([luminance[0], luminance[-1], luminance[:, 0], luminance[:, -1]])
    return float(np.median(border)) > float(luminance.mean())


def _pixels_to_ink(luminance: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """(H, W) luminance and alpha in [0, 1] -> ink in [0, 1] with ink = 1 on background = 0.

    Transparent pixels are filled with the colour that contrasts with the opaque ones (black
    strokes on a transparent sheet become black on white). Dark-on-light pictures are inverted.
    Then the contrast is stretched: the background level (the border's median) goes to 0 and
    the typical stroke level to 1.
    """
    if alpha.min() < 1.0:
        weight = float(alpha.sum())
        opaque_mean = float((luminance * alpha).sum()) / weight if weight > 0 else 0.0
        fill = 1.0 if opaque_mean < 0.5 else 0.0
        luminance = alpha * luminance + (1.0 - alpha) * fill

    border = np.concatenate([luminance[0], luminance[-1], luminance[:, 0], luminance[:, -1]])
    background = float(np.median(border))
    if is_dark_on_light(luminance):
        luminance = 1.0 - luminance
        background = 1.0 - background

    peak = float(luminance.max())
    if peak - background < 0.05:                                # no visible contrast: blank
        return np.zeros_like(luminance)
    # Typical stroke level: the median of clearly-inked pixels, robust to a few bright specks.
    stroke = float(np.median(luminance[luminance > (background + peak) / 2]))
    ink = (luminance - background) / max(stroke - background, 1e-6)
    # Paper grain and JPEG ringing sit just above the background: lower everything by the
    # noise floor (and stretch back), a ramp rather than a cut-off, so nothing jumps.
    ink = (ink - FILE_NOISE_FLOOR) / (1.0 - FILE_NOISE_FLOOR)
    return np.clip(ink, 0.0, 1.0).astype(np.float32)


def load_image_file(path) -> np.ndarray:
    """A PNG/JPG (any size, colour or grey, transparent or not) -> (28, 28) float32 image.

    Light digits on dark and dark digits on light both work; see _pixels_to_ink.
    Raises ValueError with a one-line message if the file cannot be read.
    """
    luminance, alpha = _read_pixels(Path(path))
    return to_network_input(_pixels_to_ink(luminance, alpha))


def _as_text(image: np.ndarray) -> str:
    """(28, 28) image -> 28 lines of characters, darker characters for more ink."""
    shades = np.array(list(" .:-=+*#%@"))
    return "\n".join("".join(row) for row in shades[np.round(image * 9).astype(int)])


def main(argv: Sequence[str] | None = None) -> int:
    """Show what the network would see for each image file given on the command line."""
    import argparse

    parser = argparse.ArgumentParser(description="Show image files as the network's 28x28 input.")
    parser.add_argument("files", nargs="+", help="PNG or JPG files")
    args = parser.parse_args(argv)
    status = 0
    for name in args.files:
        try:
            image = load_image_file(name)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{name}:\n{_as_text(image)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
