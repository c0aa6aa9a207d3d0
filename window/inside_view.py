"""The "Inside the network" tab: the live network picture and the first layer's weight pictures.

It takes the place of the preview and training columns; the canvas stays on the left, so you can
draw and watch the neurons react. While training runs it shows the weights of the newest epoch
(train.EpochStats.params), so the lines and the weight pictures change as the network learns.
The picture follows the model's layer sizes (any number of hidden layers, any width).
Hover a neuron of hidden layer 1 and its weight picture is highlighted (and the other way round).
"""
from __future__ import annotations

import pygame

from window import colour_scale, theme
from window.buttons import looks_at, save_pictures
from window.network_view import NetworkView
from window.weight_tiles import COLUMNS, GAP, ZOOM, WeightTiles

INTRO = "Draw on the left: brighter neurons are more active. Blue lines push up, orange push down."
TILES_TITLE = "Hidden layer 1: what each of its {count} neurons looks for"
TILES_TEXT = "Each picture is one neuron's 784 weights, laid out like the 28 × 28 input."


class InsideView:
    """Draws into `rect` (columns 2-3 above the save row) and `extra_rect` (column 3 below it)."""

    def __init__(self, rect: pygame.Rect, extra_rect: pygame.Rect, views) -> None:
        self.rect, self.extra_rect = pygame.Rect(rect), pygame.Rect(extra_rect)
        self.views = views
        x, y, width = self.rect.x, self.rect.y, self.rect.width
        self.save_button = save_pictures.create(pygame.Rect(self.rect.right - 144, y, 144, 32),
                                                views.save_pictures)
        self.looks_button = looks_at.create(pygame.Rect(self.rect.right - 144 - 10 - 236, y, 236, 32),
                                            views.toggle_looks_at)
        self.buttons = [self.save_button, self.looks_button]
        self.network = NetworkView(pygame.Rect(x, y + 58, width, 244))
        self.info_y = y + 306
        self.tiles_title_y = y + 334
        tiles_width = COLUMNS * (28 * ZOOM + GAP) - GAP
        self.tiles = WeightTiles(pygame.Rect(x, y + 358, tiles_width, 122))
        self.legend_rect = pygame.Rect(x + tiles_width + 16, y + 356, width - tiles_width - 16, 126)

    # --- events ------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in self.buttons:
            if button.handle_event(event):
                return True
        if event.type == pygame.MOUSEMOTION:
            self.network.handle_motion(event.pos)
            self.tiles.handle_motion(event.pos)
        return False

    # --- update and draw ---------------------------------------------------------------------
    def update(self, dt: float) -> None:
        params = self.views.current_params()
        self.network.show(params, self.views.current_image())
        self.tiles.show(params)
        hovered = self.network.hovered
        if self.tiles.hovered is not None:
            hovered = self.network.hovered = (1, self.tiles.hovered)
        self.tiles.highlighted = hovered[1] if hovered is not None and hovered[0] == 1 else None
        self.looks_button.label = looks_at.LABEL_ON if self.views.looks_at else looks_at.LABEL_OFF
        self.looks_button.active = self.views.looks_at

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        x, y = self.rect.x, self.rect.y
        theme.draw_text(surface, fonts, fonts.heading, "Inside the network", (x, y + 16), anchor="midleft")
        theme.draw_text(surface, fonts, fonts.small, INTRO, (x, y + 38), theme.MUTED_TEXT, max_width=self.rect.width)
        self.network.draw(surface, fonts)
        if self.views.looks_at and self.network.image is not None:
            self.views.overlay.draw(surface, self.network.input_rect)
        theme.draw_text(surface, fonts, fonts.small, self.info_text(), (x, self.info_y),
                        theme.TEXT if self.network.hovered else theme.MUTED_TEXT, max_width=self.rect.width)

        pygame.draw.line(surface, theme.PANEL_BORDER, (x, self.tiles_title_y - 4), (self.rect.right, self.tiles_title_y - 4))
        theme.draw_text(surface, fonts, fonts.body_bold, self.tiles_title(), (x, self.tiles_title_y),
                        max_width=self.rect.width)
        self.tiles.draw(surface, fonts)
        if self.tiles.params is not None:
            colour_scale.draw_vertical_legend(surface, fonts, self.legend_rect, ["blue: ink here", "makes it fire"],
                                              ["orange: ink here", "holds it back"], self.tiles.scale)
        for button in self.buttons:
            button.draw(surface, fonts)
        self._draw_extra(surface, fonts)

    def _draw_extra(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        """Column 3 under the tiles: what the tiles are, and whether training is changing them."""
        box = self.extra_rect.inflate(0, -8)
        theme.draw_panel(surface, box)
        lines = theme.wrap_text(fonts.small, TILES_TEXT, box.width - 20)
        app = self.views.app
        if app.training:
            epochs = len(app.progress.history)
            lines.append(f"Training: epoch {epochs} — watch the pictures change" if epochs
                         else "Training is starting…")
            colour = theme.ACCENT
        else:
            lines.append("Press T to train and watch them change")
            colour = theme.MUTED_TEXT
        for number, line in enumerate(lines[:4]):
            theme.draw_text(surface, fonts, fonts.small, line, (box.x + 10, box.y + 8 + 19 * number),
                            colour if number == len(lines) - 1 else theme.MUTED_TEXT)

    def tiles_title(self) -> str:
        """What the weight pictures are, with how many there are (16 for 784-16-16-10)."""
        network = self.network
        if network.output_layer == 1:                            # no hidden layer: W1 feeds the outputs
            return "Outputs: what each digit looks for"
        return TILES_TITLE.format(count=network.layer_sizes[1])

    def info_text(self) -> str:
        """The line under the picture: the hovered neuron, else what is going on."""
        described = self.network.describe_hovered()
        if described:
            return described
        views = self.views
        if views.current_params() is None:
            return "No trained model yet: save drawings of every digit, then press T to train"
        if self.network.image is None:
            return "Nothing drawn yet: draw a digit on the canvas"
        return "Hover a neuron to see its value · wrong guess? press W, then the right digit"
