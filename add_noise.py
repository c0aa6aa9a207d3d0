"""Add augmented copies of every digit to data.json: more variety for the network to learn from.

Real handwriting varies: digits sit a little off-centre, lean, come out bigger or smaller, in a
thicker or thinner pen. Showing the network slightly moved, turned, scaled, slanted and
re-inked copies of your drawings teaches it that none of that changes the digit.

    python add_noise.py                       # 10 copies of each sample in data.json
    python add_noise.py --copies 5 --seed 1   # 5 copies each (0 to 100), the same ones every time
    python add_noise.py --copies 0            # remove all augmented copies again
    python add_noise.py --data other.json

Copies are tagged source="augmented" with parent = the id of the sample they were made from.
Running it again replaces the earlier copies (no copies of copies); your own drawings, imported
and starter samples are never changed.

The augmentation functions are pure: they take images (n, 28, 28) (or one (28, 28) image) and a
seeded np.random.Generator, and return new float32 images in [0, 1].

Memory: copies are made BATCH at a time and each batch is turned straight into the 784 bytes per
image that data.json keeps, so 8,000 samples x 10 copies never need a float array of all 80,000.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from mling import notes, store
from mling.paths import DATA_PATH
from mling.pixels import IMAGE_PIXELS, IMAGE_SIDE, bytes_to_images, images_to_bytes

# --- Defaults (each chosen to stay within how real handwriting varies) -------------------------
DEFAULT_DATA = DATA_PATH
DEFAULT_COPIES = 10          # augmented copies per sample; 0 removes them all
MAX_COPIES = 100             # more would mostly repeat the same variations, and data.json (and the
                             # memory to train on it) grows with every copy
DEFAULT_SEED = 0             # the same copies every run; pass another --seed for other copies
MAX_SHIFT = 1.5              # pixels, up/down and left/right (digits are centred to about a pixel)
MAX_ROTATION_DEGREES = 10.0  # people tilt their writing this much; 180 would turn a 6 into a 9
SCALE_RANGE = (0.9, 1.1)     # size relative to the original
MAX_SHEAR = 0.15             # slant: x moves by up to 0.15 px per pixel of height (about 9 degrees)
MAX_THICKER = 0.6            # pen width: blend up to 60% toward a 1-pixel thicker pen ...
MAX_THINNER = 0.3            # ... or up to 30% toward a thinner one (drawn strokes are thin already)
NOISE_FRACTION = 0.02        # sparse noise: about 16 of the 784 pixels get nudged ...
NOISE_STRENGTH = 0.25        # ... by up to +-0.25 (on the 0..1 scale), then clipped to [0, 1]
BATCH = 4096                 # copies augmented at once: bounds memory for big data files
WARP_BATCH = 512             # images warped at once inside a batch: the warp's temporary arrays
                             # take ~55 KB per image (225 MB for a whole batch, 28 MB for this many)



def _as_batch(images: np.ndarray) -> tuple[np.ndarray, bool]:
    """(28, 28) or (n, 28, 28) -> ((n, 28, 28) float32, whether a single image was given)."""
    images = np.asarray(images, dtype=np.float32)
    if images.shape == (IMAGE_SIDE, IMAGE_SIDE):
        return images[None], True
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise ValueError(f"images must have shape (28, 28) or (n, 28, 28), got {images.shape}")
    return images, False


# --- Sparse noise -----------------------------------------------------------------------------
def add_sparse_noise(images: np.ndarray, rng: np.random.Generator,
                     fraction: float = NOISE_FRACTION,
                     strength: float = NOISE_STRENGTH) -> np.ndarray:
    """The original MLing's noise: nudge a few random pixels up or down, clip to [0, 1].

    images: (n, 28, 28) or (28, 28). Each pixel is picked with probability `fraction` and moved
    by a uniform amount in [-strength, strength]. Returns a new float32 array, same shape.
    """
    batch, single = _as_batch(images)
    picked = rng.random(batch.shape) < fraction
    nudge = rng.uniform(-strength, strength, size=batch.shape).astype(np.float32)
    noisy = np.clip(batch + picked * nudge, 0.0, 1.0)
    return noisy[0] if single else noisy


# --- Affine warp: shift, rotate, scale, shear -------------------------------------------------
def centres_of_mass(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) -> (n, 2) centre of mass (row, col) of each image; (14, 14) for a blank one."""
    batch, _ = _as_batch(images)
    mass = batch.sum(axis=(1, 2))
    index = np.arange(IMAGE_SIDE, dtype=np.float32)
    rows = batch.sum(axis=2) @ index                           # sum over pixels of row * ink
    cols = batch.sum(axis=1) @ index
    safe = np.where(mass > 0, mass, 1.0)
    centre = np.stack([rows / safe, cols / safe], axis=1)
    centre[mass <= 0] = IMAGE_SIDE / 2
    return centre


def sample_bilinear(images: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Read each image at fractional positions, blending the 4 nearest pixels (bilinear).

    images: (n, 28, 28); rows, cols: (n, H, W) positions to read. Outside the image is 0.
    Returns (n, H, W) float32.
    """
    n = len(images)
    side = IMAGE_SIDE + 4
    padded = np.zeros((n, side, side), dtype=np.float32)        # 2 pixels of 0 all round
    padded[:, 2:-2, 2:-2] = images
    # Far outside is clipped to the zero border (-1 or 28), whose neighbours are zero too.
    rows = np.clip(rows, -1.0, float(IMAGE_SIDE)).astype(np.float32, copy=False)
    cols = np.clip(cols, -1.0, float(IMAGE_SIDE)).astype(np.float32, copy=False)
    row0, col0 = np.floor(rows), np.floor(cols)
    fy, fx = rows - row0, cols - col0
    # Index of each top-left neighbour in the flattened batch of padded images.
    first = (np.arange(n, dtype=np.int64) * side * side + 2 * side + 2)[:, None, None]
    top_left = row0.astype(np.int64) * side + col0.astype(np.int64) + first
    flat = padded.ravel()
    # value = (1-fy)(1-fx) v00 + (1-fy) fx v01 + fy (1-fx) v10 + fy fx v11
    top = flat.take(top_left) * (1 - fx) + flat.take(top_left + 1) * fx
    bottom = flat.take(top_left + side) * (1 - fx) + flat.take(top_left + side + 1) * fx
    return top * (1 - fy) + bottom * fy


def affine_warp(images: np.ndarray, matrices: np.ndarray, centres: np.ndarray,
                shifts: np.ndarray) -> np.ndarray:
    """Move every pixel p of image i to  matrices[i] @ (p - centres[i]) + centres[i] + shifts[i].

    images: (n, 28, 28); matrices: (n, 2, 2) acting on (row, col); centres, shifts: (n, 2) in
    (row, col). Done backwards, as usual for warps: each output pixel asks where it came from
    (the inverse matrix) and reads the input there with bilinear interpolation, so no holes.
    """
    batch, single = _as_batch(images)
    inverse = np.linalg.inv(np.asarray(matrices, dtype=np.float64)).astype(np.float32)  # (n, 2, 2)
    centres = np.asarray(centres, dtype=np.float32)
    shifts = np.asarray(shifts, dtype=np.float32)
    warped = np.empty_like(batch)
    for start in range(0, len(batch), WARP_BATCH):  # image by image the same, in less memory
        part = slice(start, start + WARP_BATCH)
        warped[part] = _warp(batch[part], inverse[part], centres[part], shifts[part])
    return warped[0] if single else warped


def _warp(batch: np.ndarray, inverse: np.ndarray, centres: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """affine_warp's work for (n, 28, 28) images, given the inverse matrices (n, 2, 2)."""
    grid_rows, grid_cols = np.indices((IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)           # (28, 28) each
    # Output position relative to where the centre went: (n, 28, 28) each.
    dr = grid_rows[None] - (centres[:, 0] + shifts[:, 0])[:, None, None]
    dc = grid_cols[None] - (centres[:, 1] + shifts[:, 1])[:, None, None]
    source_rows = inverse[:, 0, 0, None, None] * dr + inverse[:, 0, 1, None, None] * dc
    source_cols = inverse[:, 1, 0, None, None] * dr + inverse[:, 1, 1, None, None] * dc
    source_rows += centres[:, 0, None, None]
    source_cols += centres[:, 1, None, None]
    return np.clip(sample_bilinear(batch, source_rows, source_cols), 0.0, 1.0)


def random_affine(images: np.ndarray, rng: np.random.Generator,
                  max_shift: float = MAX_SHIFT,
                  max_rotation_degrees: float = MAX_ROTATION_DEGREES,
                  scale_range: tuple[float, float] = SCALE_RANGE,
                  max_shear: float = MAX_SHEAR) -> np.ndarray:
    """Shift, rotate, scale and slant each image by its own small random amount.

    images: (n, 28, 28) or (28, 28). Rotation, scaling and slant happen about each digit's
    centre of mass, so it stays where it was except for the shift. Returns new float32 images.
    """
    batch, single = _as_batch(images)
    n = len(batch)
    angle = np.radians(rng.uniform(-max_rotation_degrees, max_rotation_degrees, n))
    scale = rng.uniform(scale_range[0], scale_range[1], n)
    shear = rng.uniform(-max_shear, max_shear, n)
    shifts = rng.uniform(-max_shift, max_shift, (n, 2))
    # In (row, col) coordinates, with rows pointing down:
    #   rotate by angle:   [[cos, -sin], [sin, cos]] (a positive angle turns the digit clockwise)
    #   slant by shear:    [[1, 0], [shear, 1]]      (col += shear * row: lower pixels move right)
    #   scale:             scale * identity
    cos, sin = np.cos(angle), np.sin(angle)
    rotate = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)    # (n, 2, 2)
    slant = np.zeros((n, 2, 2))
    slant[:, 0, 0] = slant[:, 1, 1] = 1.0
    slant[:, 1, 0] = shear
    matrices = rotate @ slant * scale[:, None, None]
    warped = affine_warp(batch, matrices, centres_of_mass(batch), shifts)
    return warped[0] if single else warped


# --- Stroke width -----------------------------------------------------------------------------
def _neighbourhood(images: np.ndarray, combine) -> np.ndarray:
    """Combine (np.maximum or np.minimum) each pixel with its 8 neighbours; outside counts as 0."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    out = padded[:, 1:-1, 1:-1].copy()
    for dr in (0, 1, 2):
        for dc in (0, 1, 2):
            combine(out, padded[:, dr:dr + IMAGE_SIDE, dc:dc + IMAGE_SIDE], out=out)
    return out


def dilate(images: np.ndarray) -> np.ndarray:
    """Grey dilation with a 3x3 square: each pixel becomes its neighbourhood's max (thicker ink)."""
    return _neighbourhood(_as_batch(images)[0], np.maximum)


def erode(images: np.ndarray) -> np.ndarray:
    """Grey erosion with a 3x3 square: each pixel becomes its neighbourhood's min (thinner ink)."""
    return _neighbourhood(_as_batch(images)[0], np.minimum)


def change_stroke_width(images: np.ndarray, rng: np.random.Generator,
                        max_thicker: float = MAX_THICKER,
                        max_thinner: float = MAX_THINNER) -> np.ndarray:
    """Make each digit's pen a bit thicker or thinner, by a random amount.

    images: (n, 28, 28) or (28, 28). Each image gets an amount a in [-max_thinner, max_thicker]:
    a > 0 blends toward the dilated image (thicker), a < 0 toward the eroded one (thinner).
    A full erosion could wipe out a thin stroke, so it is only a blend; eroding also dims the
    middle of a thin stroke, so a thinned image is brightened back to its original peak ink:
    the soft edges fade, the core stays dark, and the pen looks thinner rather than greyer.
    """
    batch, single = _as_batch(images)
    amount = rng.uniform(-max_thinner, max_thicker, len(batch)).astype(np.float32)[:, None, None]
    target = np.where(amount > 0, dilate(batch), erode(batch))
    changed = batch + np.abs(amount) * (target - batch)
    peak_before = batch.max(axis=(1, 2), keepdims=True)
    peak_after = changed.max(axis=(1, 2), keepdims=True)
    thinned = (amount < 0) & (peak_after > 0)
    changed *= np.where(thinned, peak_before / np.where(peak_after > 0, peak_after, 1.0), 1.0)
    changed = np.clip(changed, 0.0, 1.0)
    return changed[0] if single else changed


# --- All together -----------------------------------------------------------------------------
STRENGTHS = ("move", "turn", "size", "slant", "pen", "noise")   # the kinds of change augment() makes


def augment(images: np.ndarray, rng: np.random.Generator, strengths: Mapping[str, float] | None = None) -> np.ndarray:
    """One new variant of each image: random affine, then pen width, then sparse noise.

    images: (n, 28, 28) or (28, 28) float in [0, 1]. Returns new float32 images, same shape;
    the input is never changed. Noise comes last so noisy pixels are not thickened or moved.
    `strengths` scales each kind of change in STRENGTHS: {"turn": 2.0} turns up to twice as far
    as MAX_ROTATION_DEGREES, 0 leaves that change out; a kind not given keeps its default (1).
    The same seed draws the same random numbers at any strength.
    """
    strength = {name: 1.0 for name in STRENGTHS} | dict(strengths or {})
    size = strength["size"]
    warped = random_affine(images, rng, MAX_SHIFT * strength["move"], MAX_ROTATION_DEGREES * strength["turn"],
                           (1 + (SCALE_RANGE[0] - 1) * size, 1 + (SCALE_RANGE[1] - 1) * size),
                           MAX_SHEAR * strength["slant"])
    thicker = change_stroke_width(warped, rng, MAX_THICKER * strength["pen"], MAX_THINNER * strength["pen"])
    return add_sparse_noise(thicker, rng, NOISE_FRACTION, NOISE_STRENGTH * strength["noise"])


def copy_batches(count: int, copies: int, originals: Callable[[int, int], np.ndarray],
                 rng: np.random.Generator, strengths: Mapping[str, float] | None = None) -> Iterator[np.ndarray]:
    """`copies` augmented variants of each of `count` originals, BATCH variants at a time.

    originals(first, stop) gives images first .. stop-1 as (k, 28, 28) floats, so only the ones a
    batch needs are ever in memory. Variant k of image i is row i*copies + k of all the batches
    together: the same rows, in the same batches, as augmenting np.repeat(images, copies) BATCH
    rows at a time, so a seed makes the same copies however much memory that would have taken.
    `strengths`: as for augment().
    """
    total = count * copies
    for start in range(0, total, BATCH):
        stop = min(start + BATCH, total)
        first, last = start // copies, (stop - 1) // copies + 1      # the originals these rows copy
        repeated = np.repeat(originals(first, last), copies, axis=0)  # at most BATCH + 2 * copies rows
        yield augment(repeated[start - first * copies:stop - first * copies], rng, strengths)


def make_copies(images: np.ndarray, copies: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 28, 28) -> (n * copies, 28, 28): `copies` augmented variants of each image, in memory.

    For training on copies without writing them to data.json. The variants of image i are rows
    i*copies .. i*copies + copies - 1 (see copy_batches): the same copies add_noise.py would store.
    """
    batch, _ = _as_batch(images)
    out = np.empty((len(batch) * copies, IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    start = 0
    for variants in copy_batches(len(batch), copies, lambda first, stop: batch[first:stop], rng):
        out[start:start + len(variants)] = variants
        start += len(variants)
    return out


def make_copy_pixels(originals: Sequence[store.Sample], copies: int, rng: np.random.Generator,
                     strengths: Mapping[str, float] | None = None) -> bytearray:
    """`copies` augmented variants of each sample, as the store keeps pixels: n * copies * 784 bytes.

    The copies of make_copies, rounded to bytes one batch at a time, so memory holds the bytes
    of all copies (784 per copy) but the floats of one batch only. `strengths`: as for augment().
    """
    def images(first: int, stop: int) -> np.ndarray:
        pixels = b"".join(sample.pixels for sample in originals[first:stop])
        return bytes_to_images(pixels, stop - first).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)

    out = bytearray(len(originals) * copies * IMAGE_PIXELS)
    start = 0
    for variants in copy_batches(len(originals), copies, images, rng, strengths):
        pixels = images_to_bytes(variants.reshape(len(variants), IMAGE_PIXELS))
        out[start:start + len(pixels)] = pixels
        start += len(pixels)
    return out


def check_copies(copies: int) -> int:
    """`copies` if it is a whole number 0..MAX_COPIES; ValueError with a one-line message otherwise."""
    if isinstance(copies, bool) or not isinstance(copies, (int, np.integer)) or not 0 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be a whole number from 0 to {MAX_COPIES}, got {copies!r}")
    return int(copies)


def add_augmented_copies(data_store: store.DataStore, copies: int,
                         rng: np.random.Generator) -> list[store.Sample]:
    """Replace all augmented samples in `data_store` with `copies` new ones of each original.

    Originals are every sample that is not itself augmented (store.OWN_SOURCES); they are read,
    never changed. One atomic save, under data.json's lock: if another program changed the file
    while the copies were made, copies of deleted originals are left out and relabelled ones
    follow their original's new label. Returns the new samples (each .parent is the id of its
    original). copies = 0 just removes the earlier augmented samples; at most MAX_COPIES.
    """
    copies = check_copies(copies)
    originals = [sample for sample in data_store.samples if sample.source in store.OWN_SOURCES]
    labels = np.repeat([s.label for s in originals], copies).astype(np.int64)
    parents = [s.id for s in originals for _ in range(copies)]
    # The pixels go straight in (no name keeps them), so the store can free them once it has made
    # the samples, before it writes the file.
    return data_store.replace_source("augmented", make_copy_pixels(originals, copies, rng), labels, parents,
                                     follow_parents=True)


# --- Terminal ---------------------------------------------------------------------------------
def copies_option(text: str) -> int:
    """--copies N: a whole number 0..MAX_COPIES, or argparse's one-line usage error."""
    try:
        return check_copies(int(text))
    except ValueError:  # not a whole number, or outside 0..MAX_COPIES
        message = f"must be a whole number from 0 to {MAX_COPIES}, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, add the copies, print a one-line summary (or a one-line error)."""
    parser = argparse.ArgumentParser(
        description="Add augmented copies (shifted, turned, scaled, slanted, re-inked, noisy) "
                    "of every sample in a data file, replacing earlier copies.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="PATH",
                        help="data file (default: data.json next to this script)")
    parser.add_argument("--copies", type=copies_option, default=DEFAULT_COPIES, metavar="N",
                        help=f"copies per sample, 0 to {MAX_COPIES}; 0 removes them all "
                             f"(default: {DEFAULT_COPIES})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                        help=f"random seed: the same seed makes the same copies (default: {DEFAULT_SEED})")
    args = parser.parse_args(argv)

    path: Path = args.data
    if path.is_dir():
        print(f"error: {path} is a folder, not a data file: pass --data {path / 'data.json'}",
              file=sys.stderr)
        return 1
    if not path.exists():
        print(f"error: {path} not found: draw and save some digits first, "
              f"or pass --data PATH to an MLing data file", file=sys.stderr)
        return 1
    try:
        data_store = store.DataStore.open(path, on_wait=notes.say_waiting(path))
        notes.print_notes(data_store.notes)
        before = len(data_store.samples)
        earlier = sum(sample.source == "augmented" for sample in data_store.samples)
        originals = before - earlier
        if originals == 0 and args.copies > 0:
            print(f"error: {path} has no samples to copy: draw some digits first",
                  file=sys.stderr)
            return 1
        added = add_augmented_copies(data_store, args.copies, np.random.default_rng(args.seed))
    except (store.DataStoreError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except MemoryError:  # the copies themselves must fit in memory (about 2 KB each), then in data.json
        print(f"error: not enough memory for {args.copies} copies of each of {originals} samples; "
              f"try fewer --copies (nothing was written)", file=sys.stderr)
        return 1

    now = f"{path.name} now holds {len(data_store)} samples."
    if args.copies == 0:
        print(f"Removed {earlier} augmented copies; {now}")
    else:
        replaced = f", replacing {earlier} earlier ones" if earlier else ""
        copies = "copy" if args.copies == 1 else "copies"
        print(f"Added {args.copies} augmented {copies} of each of {originals} samples "
              f"({len(added)} in all{replaced}); {now}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
