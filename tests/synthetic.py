"""Synthetic test data: a small digit-like dataset (ten blurry stroke patterns, jittered and noisy)
images the window learns in seconds (a bar per digit), and a random model of an unusual shape
for the export tests."""
import numpy as np

from mling import network

ODD_LAYER_SIZES = (784, 20, 12, 10)   # not the default: exports must read the sizes from the model


def make_synthetic_digits(per_class: int = 60, seed: int = 0, template_seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Returns X (n, 784) float32 in [0, 1] and y (n,) int64, classes balanced and shuffled.

    Each class is a fixed (by template_seed) random set of strokes; samples shift it by up to 2 pixels and add
    pixel noise, so the classes overlap a little and the network has something to learn.
    """
    template_rng = np.random.default_rng(template_seed)  # the same ten patterns for every seed
    rng = np.random.default_rng(seed)
    templates = np.zeros((10, 28, 28), dtype=np.float32)
    for digit in range(10):
        for _ in range(3):  # three short straight strokes per class
            (r0, c0), (r1, c1) = template_rng.integers(6, 22, size=(2, 2))
            for t in np.linspace(0, 1, 30):
                r, c = int(round(r0 + t * (r1 - r0))), int(round(c0 + t * (c1 - c0)))
                templates[digit, r - 1:r + 2, c - 1:c + 2] = 1.0
    labels = np.repeat(np.arange(10), per_class)
    images = templates[labels]
    shifts = rng.integers(-2, 3, size=(len(labels), 2))
    images = np.stack([np.roll(image, tuple(shift), axis=(0, 1)) for image, shift in zip(images, shifts)])
    images = np.clip(images + rng.normal(0, 0.15, images.shape), 0, 1).astype(np.float32)
    order = rng.permutation(len(labels))
    return images.reshape(len(labels), 784)[order], labels[order].astype(np.int64)


def synthetic_images(per_digit: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Easy, learnable 28x28 images: digit d is a bright bar in row band d, plus light noise.

    Returns images (n, 28, 28) float32 in [0, 1] and labels (n,) int64.
    """
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), per_digit)
    images = rng.uniform(0.0, 0.15, size=(len(labels), 28, 28)).astype(np.float32)
    for index, digit in enumerate(labels):
        top = 3 + 2 * digit
        images[index, top:top + 3, 4:24] = 1.0
    return images, labels


def random_params(seed: int = 0) -> network.Parameters:
    """He-initialised weights with random biases too, so a bias read in the wrong order shows."""
    rng = np.random.default_rng(seed)
    params = network.init_params(ODD_LAYER_SIZES, rng)
    for k in range(1, params.layer_count + 1):
        params[f"b{k}"][...] = rng.normal(0.0, 0.5, size=params[f"b{k}"].shape)
    return params
