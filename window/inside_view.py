"""The "Inside the network" tab: the live network picture and the first layer's weight pictures.

It takes the place of the preview and training columns; the canvas stays on the left, so you can
draw and watch the neurons react. While training runs it shows the weights of the newest epoch
(train.EpochStats.params), so the lines and the 16 weight pictures change as the network learns.
Hover a neuron of hidden layer 1 and its weight picture is highlighted (and the other way round).
"""
from __future__ import annotations

import pygame

from window import colour_scale, theme
from window.buttons import looks_at, save_pictures
from window.network_view import NetworkView
from window.weight_tiles import WeightTiles

INTRO = "Draw on the left and watch the neurons light up: the brighter, the more active."
LINES_TEXT = "Lines: the strongest weights. Blue pushes up, orange pushes down."
TILES_TITLE = "Hidden layer 1: what each of its 16 neurons looks for"
TILES_TEXT = "Each picture is one neuron's 784 weights, laid out like the 28 × 28 input."


class InsideView:
    """Draws into `rect` (the two right-hand columns) from the state `views` keeps."""

    def __init__(self, rect: pygame.Rect, views) -> None:
        self.rect = pygame.Rect(rect)
        self.views = views
        x, y, width = self.rect.x, self.rect.y, self.rect.width
        self.save_button = save_pictures.create(pygame.Rect(self.rect.right - 144, y, 144, 32),
                                                views.save_pictures)
        self.looks_button = looks_at.create(pygame.Rect(self.rect.right - 144 - 10 - 236, y, 236, 32),
                                            views.toggle_looks_at)
        self.buttons = [self.save_button, self.looks_button]
        self.network = NetworkView(pygame.Rect(x, y + 80, width, 252))
        self.info_y = y + 336
        self.tiles_title_y = y + 364
        self.tiles = WeightTiles(pygame.Rect(x, y + 406, width, 122))
        self.legend_rect = pygame.Rect(x + 20, y + 540, width - 40, 16)

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
        image = self.views.current_image()
        self.network.show(params, image)
        self.tiles.show(params)
        hovered = self.network.hovered
        self.tiles.highlighted = hovered[1] if hovered is not None and hovered[0] == 1 else None
        if self.tiles.hovered is not None:
            self.network.hovered = (1, self.tiles.hovered)
        self.looks_button.label = looks_at.LABEL_ON if self.views.looks_at else looks_at.LABEL_OFF
        self.looks_button.active = self.views.looks_at

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        x, y = self.rect.x, self.rect.y
        theme.draw_text(surface, fonts, fonts.heading, "Inside the network", (x, y + 16), anchor="midleft")
        theme.draw_text(surface, fonts, fonts.small, INTRO, (x, y + 40), theme.MUTED_TEXT,
                        max_width=self.rect.width)
        theme.draw_text(surface, fonts, fonts.small, LINES_TEXT, (x, y + 58), theme.MUTED_TEXT,
                        max_width=self.rect.width)
        self.network.draw(surface, fonts)
        if self.views.looks_at and self.network.image is not None:
            self.views.overlay.draw(surface, self.network.input_rect)
        theme.draw_text(surface, fonts, fonts.small, self.info_text(), (x, self.info_y),
                        theme.TEXT if self.network.hovered else theme.MUTED_TEXT, max_width=self.rect.width)

        pygame.draw.line(surface, theme.PANEL_BORDER, (x, self.tiles_title_y - 6),
                         (self.rect.right, self.tiles_title_y - 6))
        theme.draw_text(surface, fonts, fonts.body_bold, TILES_TITLE, (x, self.tiles_title_y),
                        max_width=self.rect.width)
        theme.draw_text(surface, fonts, fonts.small, TILES_TEXT, (x, self.tiles_title_y + 22), theme.MUTED_TEXT,
                        max_width=self.rect.width)
        self.tiles.draw(surface, fonts)
        if self.tiles.params is not None:
            scale = self.tiles.scale
            colour_scale.draw_legend(surface, fonts, self.legend_rect, "orange: ink here holds it back",
                                     "blue: ink here makes it fire", (f"−{scale:.2g}", f"+{scale:.2g}"))
        for button in self.buttons:
            button.draw(surface, fonts)

    def info_text(self) -> str:
        """The line under the picture: the hovered neuron, else what is going on."""
        described = self.network.describe_hovered()
        if described:
            return described
        views = self.views
        if views.current_params() is None:
            return "No trained model yet: save drawings of every digit, then press T to train"
        if views.app.training and views.app.progress.history:
            return (f"Training: these are the weights after epoch {len(views.app.progress.history)} — "
                    f"watch them change")
        if self.network.image is None:
            return "Nothing drawn yet: draw a digit on the canvas"
        return "Hover a neuron to see its value · wrong guess? press W, then the right digit"
