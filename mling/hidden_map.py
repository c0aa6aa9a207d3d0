"""The map: every drawing placed on a 2-D picture of how the network sees it (PCA of hidden layer 2).

Hidden layer 2 describes each drawing with 16 numbers: the network's own summary of it, just
before it decides. Sixteen numbers cannot be drawn, so the map keeps the two directions in which
those summaries differ most (principal component analysis, PCA) and places each drawing by how
far it lies along them. Drawings the network finds alike land close together; once it has
learned, each digit gathers in its own patch, and a drawing in the wrong patch is one it confuses.

    activations = hidden_activations(params, X_train)        # (n, 16)
    projection = fit_map(activations)                         # the two directions
    points = projection.project(activations)                  # (n, 2): where each drawing goes
    marker = projection.project(hidden_activations(params, canvas_image))   # the live drawing

While training, fit again each epoch and pass the last points as `match`, so the picture turns
to follow the previous one instead of flipping or spinning when the directions change.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mling import network

MAP_LAYER = 2           # activations index: [X, h1, h2, probabilities] -> hidden layer 2
BATCH = 8192            # drawings run through the network at once (bounds memory for 60,000)


def hidden_activations(params: network.Parameters, X: np.ndarray, layer: int = MAP_LAYER) -> np.ndarray:
    """The activations of hidden layer `layer` for X (n, 784) or one (28, 28) image: (n, units) float32."""
    X = np.asarray(X, dtype=network.DTYPE).reshape(-1, params.layer_sizes[0])
    if not 1 <= layer < params.layer_count:
        raise ValueError(f"layer must be a hidden layer, 1 to {params.layer_count - 1}, got {layer}")
    parts = [network.forward(params, X[start:start + BATCH])[layer] for start in range(0, len(X), BATCH)]
    return np.concatenate(parts) if parts else np.zeros((0, params.layer_sizes[layer]), network.DTYPE)


@dataclass
class MapProjection:
    """Two directions in the space of hidden activations, and the centre they start from."""
    mean: np.ndarray        # (units,) the average activation: the middle of the map
    axes: np.ndarray        # (units, 2) two orthonormal directions: map x and map y
    shown: float            # share of the drawings' spread (variance) that the two directions show

    def project(self, activations: np.ndarray) -> np.ndarray:
        """(n, units) activations (or one (units,) row) -> (n, 2) map positions: (a - mean) @ axes."""
        activations = np.asarray(activations, dtype=np.float64).reshape(-1, len(self.mean))
        return (activations - self.mean) @ self.axes


def fit_map(activations: np.ndarray, match: np.ndarray | None = None) -> MapProjection:
    """PCA of (n, units) activations: the two directions of largest spread.

    match: (n, 2) the previous map's points of the same n drawings (e.g. last epoch's). The new
    plane is then turned, or mirrored, to lie as close as possible to those points (orthogonal
    Procrustes), so nothing flips or spins between epochs. Without it, the first direction is
    the map's x axis, and each direction points the way its largest component is positive.
    """
    A = np.asarray(activations, dtype=np.float64)
    if A.ndim != 2 or len(A) < 2:
        raise ValueError(f"the map needs activations of at least 2 drawings as (n, units), got shape {A.shape}")
    mean = A.mean(axis=0)
    centred = A - mean
    covariance = centred.T @ centred / (len(A) - 1)                 # (units, units)
    variances, vectors = np.linalg.eigh(covariance)                 # ascending order
    order = np.argsort(variances)[::-1][:2]
    axes = vectors[:, order]                                        # (units, 2)
    total = float(variances.clip(min=0).sum())
    shown = float(variances[order].clip(min=0).sum() / total) if total > 0 else 0.0
    if match is None:
        biggest = np.abs(axes).argmax(axis=0)
        axes = axes * np.sign(axes[biggest, [0, 1]])                # the largest loading of each is positive
    else:
        match = np.asarray(match, dtype=np.float64)
        if match.shape != (len(A), 2):
            raise ValueError(f"match must be the previous (n, 2) points of the same {len(A)} drawings, "
                             f"got shape {match.shape}")
        # The turn R (2x2, R.T @ R = I) that brings the new points P closest to the old ones Q:
        # minimise |P R - Q|, solved by the SVD of P.T @ Q = U S Vt as R = U @ Vt.
        U, _, Vt = np.linalg.svd((centred @ axes).T @ (match - match.mean(axis=0)))
        axes = axes @ (U @ Vt)
    return MapProjection(mean, axes, shown)


def map_points(params: network.Parameters, X: np.ndarray, match: np.ndarray | None = None
               ) -> tuple[np.ndarray, MapProjection]:
    """Fit the map on X (n, 784) (the training drawings) and place them: ((n, 2) points, projection)."""
    activations = hidden_activations(params, X)
    projection = fit_map(activations, match)
    return projection.project(activations), projection
