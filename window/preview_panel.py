"""The 28x28 preview: exactly the numbers the network receives, shown big enough to see each pixel."""
from __future__ import annotations

import numpy as np
import pygame

from window import theme

GRID_COLOUR = (28, 30, 38)   # faint lines between the 28x28 pixels, so they read as pixels


class PreviewPanel:
    """Draws a (28, 28) image in [0, 1] scaled up with hard pixel edges, in the rect place() gives."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 28, 28)
        self._small = pygame.Surface((28, 28))
        self._big = pygame.Surface(self.rect.size)
        self._shown_image: np.ndarray | None = None

    def place(self, rect: pygame.Rect) -> None:
        if rect.size != self.rect.size:
            self._big = pygame.Surface(rect.size)
            self._shown_image = None
        self.rect = pygame.Rect(rect)

    def draw(self, surface: pygame.Surface, look: theme.Look, image: np.ndarray) -> None:
        if self._shown_image is None or not np.array_equal(image, self._shown_image):
            self._render(image)
        surface.blit(self._big, self.rect)
        pygame.draw.rect(surface, theme.PANEL_BORDER, self.rect.inflate(2, 2), width=1)

    def _render(self, image: np.ndarray) -> None:
        """Re-render only when the image changed (grey levels, nearest-neighbour scaling)."""
        self._shown_image = image.copy()
        grey = np.round(np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)         # (28, 28) rows, cols
        pygame.surfarray.blit_array(self._small, np.repeat(grey.T[:, :, None], 3, axis=2))
        pygame.transform.scale(self._small, self.rect.size, self._big)
        cell = self.rect.width / 28
        for i in range(1, 28):
            offset = round(i * cell)
            pygame.draw.line(self._big, GRID_COLOUR, (offset, 0), (offset, self.rect.height))
            pygame.draw.line(self._big, GRID_COLOUR, (0, offset), (self.rect.width, offset))
