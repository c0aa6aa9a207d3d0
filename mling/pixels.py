"""Pixels as floats (what the network reads) and as bytes (what data.json and image files keep).

One rule both ways: byte = round(value * 255) with the value clipped to [0, 1], value = byte / 255.
A stored picture is then at most 1/510 off the drawing, far below what the network can notice,
and every byte comes back exactly.
"""
from __future__ import annotations

import numpy as np

IMAGE_SIDE = 28                      # the network sees 28 x 28 pixels, as in MNIST
IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE   # 784 inputs
BLOCK = 4096                         # images converted at once: no second full-size array in memory


def to_bytes(images: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] (any shape) -> uint8 of the same shape, 255 = ink, rounded to the nearest."""
    return np.rint(np.clip(images, 0.0, 1.0) * 255).astype(np.uint8)


def images_to_bytes(images: np.ndarray) -> bytes:
    """(n, 784) floats in [0, 1] -> n * 784 bytes, row by row (the store's own format)."""
    out = bytearray()
    for start in range(0, len(images), BLOCK):   # in blocks, so 60,000 images need no big temporary
        out += to_bytes(images[start:start + BLOCK]).tobytes()
    return bytes(out)


def bytes_to_images(data: bytes, count: int) -> np.ndarray:
    """count * 784 bytes -> (count, 784) float32 in [0, 1]: the network's input X."""
    images = np.frombuffer(data, dtype=np.uint8).reshape(count, IMAGE_PIXELS).astype(np.float32)
    images /= 255
    return images
