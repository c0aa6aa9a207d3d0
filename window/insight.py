"""What the network learned, as numbers the Map, "why this guess" and Fool it share (no pygame here).

Insight keeps, for the drawings of data.json (the learner's own, imported and the starter set;
noisy copies left out, at most MAP_LIMIT of them), their pixels, hidden layer 2 for them under
the weights asked for (mling/hidden_map.py), and which of them the model held back for testing.
Each is made again only when data.json or the weights change:

    drawings = session.insight.drawings()           # Drawings: positions, ids, labels, X (n, 784)
    hidden = session.insight.activations(params)    # (n, 16), about 4 ms for 8,000 drawings
    nearest = session.insight.nearest(params, image)   # the training drawings most like `image`
"""
from __future__ import annotations

import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mling import hidden_map, neighbours, network, store

if TYPE_CHECKING:                # for the type hints only
    from window.session import Session

MAP_LIMIT = 10_000       # drawings on the map at most (the same ones every time: picked by their id)
BORDER = 4               # pixels at each edge of 28x28 that the canvas conversion leaves empty
SOURCE_CODES = {source: code for code, source in enumerate(store.SOURCES)}   # as window/thumbnails.py
KEPT_WEIGHTS = 3         # weights whose hidden activations are kept (the model's, training's newest, ...)


@dataclass
class Drawings:
    """The drawings the map shows and the neighbours come from, in data.json order."""
    positions: np.ndarray    # (n,) positions in the session's Catalog (and in data.json)
    ids: list[str]
    labels: np.ndarray       # (n,) int64
    sources: np.ndarray      # (n,) int8 source codes (window.thumbnails.SOURCE_CODES)
    X: np.ndarray            # (n, 784) float32 in [0, 1]: what the network sees
    total: int               # own drawings in data.json (more than n when there are over MAP_LIMIT)

    def __len__(self) -> int:
        return len(self.ids)


def pick_drawings(ids: list[str], limit: int = MAP_LIMIT) -> np.ndarray:
    """Indices of at most `limit` of `ids`, in their order: those whose id hashes lowest (CRC-32).

    The same drawing is picked every time, and saving a new one swaps at most one in or out, so
    the map does not reshuffle; a random sample drawn again after each save would.
    """
    if len(ids) <= limit:
        return np.arange(len(ids))
    hashes = np.fromiter((zlib.crc32(sample_id.encode()) for sample_id in ids), np.int64, len(ids))
    return np.sort(np.argpartition(hashes, limit - 1)[:limit])


def last_hidden_layer(params: network.Parameters) -> int | None:
    """The hidden layer the network decides from (2 for 784-16-16-10; the last one of any network),
    as an index of network.forward's list; None for a network without a hidden layer."""
    return params.layer_count - 1 if params.layer_count >= 2 else None


def hidden(params: network.Parameters, X: np.ndarray) -> np.ndarray:
    """The last hidden layer's activations for X (n, 784) or one (28, 28) image: (n, units)."""
    return hidden_map.hidden_activations(params, X, last_hidden_layer(params))


def border_mask(border: int = BORDER) -> np.ndarray:
    """(784,) bool: the pixels within `border` of the edge of the 28x28 picture."""
    inner = np.zeros((28, 28), dtype=bool)
    inner[border:28 - border, border:28 - border] = True
    return ~inner.reshape(-1)


class Insight:
    """The shared numbers, made again only after data.json or the weights changed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._drawings: Drawings | None = None
        self._drawings_key = None
        self._hidden: OrderedDict[int, tuple[network.Parameters, Drawings, np.ndarray]] = OrderedDict()
        self._held_out_key, self._held_out = None, np.zeros(0, dtype=bool)
        self._border_key, self._border_share = None, 0.0

    def drawings(self) -> Drawings | None:
        """The map's drawings, or None when data.json cannot be read."""
        catalog = self.session.catalog()
        if catalog is None:
            return None
        if self._drawings_key is not catalog:
            own = np.flatnonzero(np.isin(catalog.sources, [SOURCE_CODES[source] for source in store.OWN_SOURCES]))
            positions = own[pick_drawings([catalog.ids[i] for i in own])]
            X = catalog.images(positions).reshape(len(positions), 784).astype(np.float32) / 255.0
            self._drawings = Drawings(positions, [catalog.ids[i] for i in positions], catalog.labels[positions],
                                      catalog.sources[positions], X, len(own))
            self._drawings_key = catalog
        return self._drawings

    def activations(self, params: network.Parameters) -> np.ndarray:
        """Hidden layer 2 of every map drawing under `params`: (n, units)."""
        drawings = self.drawings()
        if drawings is None:
            return np.zeros((0, params.layer_sizes[last_hidden_layer(params)]), np.float32)
        kept = self._hidden.get(id(params))
        if kept is not None and kept[0] is params and kept[1] is drawings:
            self._hidden.move_to_end(id(params))
            return kept[2]
        activations = hidden(params, drawings.X)
        self._hidden[id(params)] = (params, drawings, activations)
        while len(self._hidden) > KEPT_WEIGHTS:
            self._hidden.popitem(last=False)
        return activations

    def held_out(self) -> np.ndarray:
        """(n,) bool: which map drawings the loaded model held back for testing (never learned from)."""
        drawings = self.drawings()
        if drawings is None:
            return np.zeros(0, dtype=bool)
        ids, _ = self.session.held_out_ids()
        key = (drawings, id(ids))
        if key != self._held_out_key:
            held = set(ids)
            self._held_out = np.fromiter((sample_id in held for sample_id in drawings.ids), bool, len(drawings))
            self._held_out_key = key
        return self._held_out

    def nearest(self, params: network.Parameters, image: np.ndarray, k: int = neighbours.NEAREST) -> np.ndarray:
        """Indices (into drawings()) of the k training drawings nearest to `image` in hidden layer 2,
        nearest first: the drawings the network finds most like it. Held-out drawings are left out."""
        drawings = self.drawings()
        if drawings is None or not len(drawings) or last_hidden_layer(params) is None:
            return np.zeros(0, dtype=np.int64)
        learned = np.flatnonzero(~self.held_out())
        if not len(learned):
            return np.zeros(0, dtype=np.int64)
        reference = self.activations(params)[learned]
        query = hidden(params, image)
        indices, _ = neighbours.nearest_drawings(reference, query, k)
        return learned[indices[0]]

    def ink_in_border(self) -> float:
        """The share of all the ink of the map's drawings that lies in the 4-pixel border (about 3% for
        the starter set: the canvas shrinks every drawing into the middle 20x20 before centring it)."""
        drawings = self.drawings()
        if drawings is None or not len(drawings):
            return 0.0
        if self._border_key is not drawings:
            total = float(drawings.X.sum())
            self._border_share = float(drawings.X[:, border_mask()].sum()) / total if total > 0 else 0.0
            self._border_key = drawings
        return self._border_share
