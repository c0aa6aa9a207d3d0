"""The held-out drawings of a model: the samples training kept aside to measure it honestly.

train.py records their ids in the model (val_ids); everything that asks "how does this model do
on drawings it never learned from" (the damage curves, "probably mislabelled", the not-sure
check's measurement) picks them from the store with held_out_arrays().
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from mling import store
from mling.pixels import IMAGE_PIXELS


def held_out_arrays(data: store.DataStore, val_ids: Iterable[str]
                    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The samples with these ids, in that order: X (n, 784) float32, y (n,) int64, their ids.

    Ids no longer in the store (deleted since training) are left out, so the three always match.
    """
    by_id = {sample.id: sample for sample in data.samples}
    picked = [by_id[str(sample_id)] for sample_id in val_ids if str(sample_id) in by_id]
    X = store.bytes_to_images(b"".join(sample.pixels for sample in picked), len(picked))
    y = np.array([sample.label for sample in picked], dtype=np.int64)
    return X.reshape(len(picked), IMAGE_PIXELS), y, [sample.id for sample in picked]
