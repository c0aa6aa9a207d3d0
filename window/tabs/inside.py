"""Inside the network: the live network picture and the first layer's weight pictures.

The drawing column stays on the left, so you can draw and watch the neurons react. While training
runs it shows the weights of the newest epoch (train.EpochStats.params), so the lines and the
weight pictures change as the network learns. The picture follows the model's layer sizes (any
number of hidden layers, any width). Hover a neuron of hidden layer 1 and its weight picture is
highlighted (and the other way round). Hovering shows the numbers behind the pictures, from the
weights on screen: a neuron's sum z = w·x + b and ReLU(z), a connection's weight, an output's score
and probability, a weight picture's pixel (window/hover_cards.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from window import colour_scale, theme
from window.buttons import drawing, training
from window.layout import Flex, columns, right_to_left, rows
from window.network_view import NetworkView
from window.tabs.tab import DrawingTab
from window.weight_tiles import ZOOM, WeightTiles

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 24
INTRO = "Draw on the left: brighter neurons are more active. Blue lines push up, orange push down."
TILES_TITLE = "Hidden layer 1: what each of its {count} neurons looks for"
TILES_TEXT = "Each picture is one neuron's 784 weights, laid out like the 28 × 28 input."
HEADINGS = ("Inside the network", "")   # the tab bar says it too: left out when there is no room
LEGEND = (["blue: ink here", "makes it fire"], ["orange: ink here", "holds it back"])


class InsideTab(DrawingTab):
    title, short_title = "Inside the network", "Inside"
    tooltip = "Watch the neurons and weights while you draw and train"
    arrival = "Inside the network: draw on the left and watch it think. Esc goes back"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.save_button = training.SAVE_PICTURES.button(session)
        self.looks_button = drawing.LOOKS_AT.button(session)
        self.wrong_button = drawing.WRONG.button(session)
        self.network = NetworkView()
        self.tiles = WeightTiles()
        self.own_buttons = [self.save_button, self.looks_button]
        self.buttons = [*self.panel.buttons, *self.own_buttons]
        self.rects: dict[str, pygame.Rect] = {}

    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, column_gap = look.px(GAP), look.px(COLUMN_GAP)
        right = self.panel.lay_out_beside(area, look, 520, column_gap)
        line = look.small.get_linesize()
        legend_height = colour_scale.vertical_legend_height(look)
        intro_height = theme.paragraph_height(look.small, INTRO, right.width)
        text_height = theme.paragraph_height(look.small, f"{TILES_TEXT} Training: epoch 300, watch the pictures change",
                                             right.width)
        fixed = look.px(32) + intro_height + 2 * line + look.body_bold.get_linesize() + text_height + 6 * gap
        spare = max(0, right.height - fixed)
        zoom = max(ZOOM, round(ZOOM * look.zoom))                         # two pixels a weight at zoom 1
        two_rows = 2 * (28 * zoom + 3 * zoom) - 3 * zoom                 # 16 neurons: two rows of 8
        tiles_height = max(legend_height, min(two_rows, round(spare * 0.5)))
        top, intro, network, info, title, text, tiles_row = rows(
            right, [look.px(32), intro_height, Flex(), 2 * line, look.body_bold.get_linesize(), text_height,
                    tiles_height], gap)
        label_widths = [look.body_bold.size(text)[0] + look.px(24) for text in
                        (training.SAVE_PICTURES.label, drawing.LOOKS_AT_OFF)]
        self.save_button.rect, self.looks_button.rect = right_to_left(top, label_widths, look.px(10))
        heading = pygame.Rect(top.x, top.y, self.looks_button.rect.x - look.px(10) - top.x, top.height)
        self.network.place(network, look)
        legend_width = max(look.small.size(text)[0] for text in LEGEND[0] + LEGEND[1]) + look.px(8)
        tiles, legend = columns(tiles_row, [Flex(), legend_width], look.px(16))
        legend.height = legend_height
        self.tiles.place(tiles, look)
        self.rects = {"inside heading": heading, "intro": intro, "network": network, "info": info,
                      "tiles title": title, "tiles text": text, "tiles": tiles, "legend": legend}

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [*self.panel.named_rects(), *self.rects.items(),
                ("save pictures", self.save_button.rect), ("looks at", self.looks_button.rect)]

    # --- events ------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in (*self.own_buttons, self.wrong_button):      # W works here too (it has no button)
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        if event.type == pygame.MOUSEMOTION:
            self.network.handle_motion(event.pos)
            self.tiles.handle_motion(event.pos)
        return self.panel.handle_event(event)

    def hover_card(self):
        """The numbers behind the neuron, line or weight under the mouse, from the weights on screen now."""
        return self.tiles.card() or self.network.card()      # a weight picture lights its neuron too: the pixel first

    # --- update and draw ---------------------------------------------------------------------
    def update(self, dt: float) -> None:
        session = self.session
        self.panel.update()
        params = session.current_params()
        self.network.show(params, session.current_image())
        self.tiles.show(params)
        self.tiles.image = self.network.image
        hovered = self.network.hovered
        if self.tiles.hovered is not None:
            hovered = self.network.hovered = (1, self.tiles.hovered)
        self.tiles.highlighted = hovered[1] if hovered is not None and hovered[0] == 1 else None
        self.looks_button.label = drawing.LOOKS_AT_ON if session.looks_at else drawing.LOOKS_AT_OFF
        self.looks_button.active = session.looks_at

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects = self.rects
        self.panel.draw(surface, look)
        heading = rects["inside heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, HEADINGS, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        theme.draw_paragraph(surface, look, look.small, INTRO, rects["intro"], theme.MUTED_TEXT)
        self.network.draw(surface, look)
        if self.session.looks_at and self.network.image is not None:
            self.session.overlay.draw(surface, self.network.input_rect)
        theme.draw_paragraph(surface, look, look.small, self.info_text(), rects["info"],
                             theme.TEXT if self.network.hovered else theme.MUTED_TEXT)
        title = rects["tiles title"]
        line_y = title.y - look.px(4)
        pygame.draw.line(surface, theme.PANEL_BORDER, (title.x, line_y), (title.right, line_y))
        theme.draw_text(surface, look, look.body_bold, self.tiles_title(), title.topleft, max_width=title.width)
        theme.draw_paragraph(surface, look, look.small, self.tiles_text(), rects["tiles text"],
                             theme.ACCENT if self.session.training else theme.MUTED_TEXT)
        self.tiles.draw(surface, look)
        if self.tiles.params is not None:
            colour_scale.draw_vertical_legend(surface, look, rects["legend"], *LEGEND, self.tiles.scale)
        for button in self.own_buttons:
            button.draw(surface, look)

    def tiles_title(self) -> str:
        """What the weight pictures are, with how many there are (16 for 784-16-16-10)."""
        if self.network.output_layer == 1:                            # no hidden layer: W1 feeds the outputs
            return "Outputs: what each digit looks for"
        neurons = self.network.layer_sizes[1]
        return TILES_TITLE.format(count=neurons) if neurons != 1 else "Hidden layer 1: what its one neuron looks for"

    def tiles_text(self) -> str:
        """What the tiles are, and whether training is changing them."""
        session = self.session
        if session.training:
            epochs = len(session.progress.history)
            return (f"{TILES_TEXT} Training: epoch {epochs}, watch the pictures change" if epochs
                    else f"{TILES_TEXT} Training is starting…")
        return f"{TILES_TEXT} Press T to train and watch them change."

    def info_text(self) -> str:
        """The line under the picture: the hovered neuron, else what is going on."""
        described = self.network.describe_hovered()
        if described:
            return described
        if self.session.current_params() is None:
            return "No trained model yet: save drawings of every digit, then press T to train"
        if self.network.image is None:
            return "Nothing drawn yet: draw a digit on the canvas"
        return "Rest the mouse on a neuron, a line or a weight picture to see its numbers · wrong guess? press W"
