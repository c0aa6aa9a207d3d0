"""Synthetic "writers" for tests: the same ten digit patterns in each person's own style, as store samples.

    samples = writer_samples({"Ana": UPRIGHT, "Ben": SLANTED, "Zed": ALIEN}, per_class=20)

UPRIGHT and SLANTED write the same shapes (Ben's lean to the right and are drawn bolder), so a
model that learned from one reads the other well. ALIEN draws every digit with other strokes
entirely, so a model that never saw Zed reads Zed's digits at about chance.
"""
import dataclasses

import numpy as np

from mling import store
from tests.synthetic import make_synthetic_digits

UPRIGHT = {}
SLANTED = {"slant": 0.15, "bold": True}
ALIEN = {"template_seed": 7}
CREATED = "2026-12-01T10:00:00Z"


@dataclasses.dataclass(frozen=True)
class _AuthoredSample(store.Sample):
    """A Sample with an author, for a store that does not have the field yet."""
    author: str | None = None


SAMPLE_HAS_AUTHOR = "author" in {f.name for f in dataclasses.fields(store.Sample)}


def make_sample(id_, pixels, label, source="drawn", created=CREATED, parent=None, author=None):
    """A store Sample that says who drew it (getattr(sample, "author") works before and after the field)."""
    kind = store.Sample if SAMPLE_HAS_AUTHOR else _AuthoredSample
    return kind(id=id_, pixels=pixels, label=int(label), source=source, created=created, parent=parent,
                author=author)


def styled_digits(per_class, seed, slant=0.0, bold=False, template_seed=0):
    """X (n, 784) float32 in [0, 1], y (n,): synthetic digits, leaned by `slant` px per row, bolder if `bold`."""
    X, y = make_synthetic_digits(per_class=per_class, seed=seed, template_seed=template_seed)
    images = X.reshape(-1, 28, 28)
    if slant:
        rows = np.arange(28)
        shifts = np.round(slant * (14 - rows)).astype(int)          # the top leans right
        columns = (np.arange(28)[None, :] - shifts[:, None]) % 28    # (28, 28) source column per pixel
        images = images[:, rows[:, None], columns]
    if bold:
        images = np.maximum(images, np.roll(images, 1, axis=2))
    return images.reshape(-1, 784).astype(np.float32), y


def writer_samples(styles, per_class=20, seed=0, source="drawn"):
    """Samples of every writer in `styles` ({name: style}), ids "<name>-0000", ..."""
    samples = []
    for number, (name, style) in enumerate(styles.items()):
        X, y = styled_digits(per_class, seed=seed + 100 * number, **style)
        pixels = store.images_to_bytes(X)
        samples += [make_sample(f"{name}-{i:04d}", pixels[i * 784:(i + 1) * 784], label, source=source, author=name)
                    for i, label in enumerate(y)]
    return samples


def unnamed_samples(per_class=20, seed=50, source="starter"):
    """Samples without an author (like the starter set), in the UPRIGHT style."""
    X, y = styled_digits(per_class, seed=seed)
    pixels = store.images_to_bytes(X)
    return [make_sample(f"{source}-{i:04d}", pixels[i * 784:(i + 1) * 784], label, source=source)
            for i, label in enumerate(y)]
