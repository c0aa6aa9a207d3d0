"""Map: every drawing as a dot, placed by what the network thinks of it; your drawing moves on it.

The network's hidden layer 2 describes each drawing with 16 numbers; the map shows the two
directions in which those numbers differ most (window/map_view.py). Drawings it finds alike sit
close together, so once it has learned, each digit gathers in its own patch; a dot in another
digit's patch is a drawing it confuses. The drawing on the canvas is the white ring, moving while
it is drawn. Click a dot to see its drawing. While training runs, the map follows the newest
weights and the digits pull apart epoch by epoch. Under the map: why this guess (the training
drawings nearest to yours in the network's view, window/prediction_panel.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import network, store
from window import theme
from window.buttons import insight
from window.explain_dialog import why_it_always_guesses
from window.insight import last_hidden_layer
from window.layout import Flex, columns, right_to_left, rows
from window.map_view import DIGIT_COLOURS, LiveMap, MapView
from window.prediction_panel import WhyStrip
from window.predictor import NOT_SURE_SHORT
from window.tabs.tab import DrawingTab
from window.thumbnails import SOURCE_NAMES
from window.words import a_digit, count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 24                      # design pixels
HEADINGS = ("Map of what the network learned", "Map of what it learned", "Map")
LEGEND = ("Each dot is one drawing, placed by what the network thinks of it: drawings it finds alike sit close "
          "together. The white ring is your drawing.")
YOUR_DRAWING = "your drawing"
REFIT_SECONDS = 0.25                         # while training, the map follows new weights 4 times a second
CARD_ZOOM = 3                                # the clicked drawing: 3 screen pixels a pixel at zoom 1


def explain_guessing(session: Session) -> None:
    """Open the whole explanation of why a network that must pick one of ten answers picks one anyway."""
    session.open_dialog(why_it_always_guesses())
    session.say("Why it always names a digit: Esc or Enter closes the explanation")


class MapTab(DrawingTab):
    title, short_title = "Map", "Map"
    tooltip = "Every drawing as a dot, placed by what the network thinks of it"
    arrival = "Map: each dot is one drawing; click one to see it. Draw and watch your drawing move. Esc goes back"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.why_button = insight.WHY_GUESS.button(self)
        self.live = LiveMap(session.insight)
        self.view = MapView()
        self.why = WhyStrip(session, self.pick)
        self.buttons = [*self.panel.buttons, self.why_button]
        self.rects: dict[str, pygame.Rect] = {}
        self.card_zoom = CARD_ZOOM
        self._marker_key = None
        self._card: tuple | None = None          # (index, the clicked drawing's Surface)
        self._fitted_at = -1.0

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, column_gap = look.px(GAP), look.px(COLUMN_GAP)
        right = self.panel.lay_out_beside(area, look, 500, column_gap)
        line = look.small.get_linesize()
        legend_height = theme.paragraph_height(look.small, LEGEND, right.width)
        why_height = WhyStrip.height_for(look, right.width)
        top, legend, key, body, why = rows(right, [look.px(32), legend_height, line, Flex(), why_height], gap)
        width = look.body_bold.size(self.why_button.label)[0] + look.px(24)
        (self.why_button.rect,) = right_to_left(top, [width], 0)
        heading = pygame.Rect(top.x, top.y, self.why_button.rect.x - look.px(10) - top.x, top.height)
        side_width = max(look.px(150), min(look.px(260), round(right.width * 0.3)))
        map_column, side_column = columns(body, [Flex(), side_width], look.px(16))
        map_rect, info = rows(map_column, [Flex(), 2 * line], look.px(6))
        self.view.place(map_rect, look)
        bold = look.body_bold.get_linesize()
        self.card_zoom = max(1, min(round(CARD_ZOOM * look.zoom), (side_column.width - look.px(8)) // 28,
                                    max(1, (side_column.height - 2 * bold - 7 * line - 4 * gap) // 28)))
        guess_title, guess, card_title, picture, card = rows(
            side_column, [bold, 3 * line, bold, 28 * self.card_zoom, Flex()], gap // 2)
        picture.width = 28 * self.card_zoom
        self.why.place(why, look)
        self.rects = {"map heading": heading, "legend": legend, "key": key, "map": map_rect, "map info": info,
                      "guess title": guess_title, "guess": guess, "card title": card_title, "card picture": picture,
                      "card": card}
        self._card = None

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [*self.panel.named_rects(), *self.rects.items(), *self.why.named_rects(),
                ("why always", self.why_button.rect)]

    # --- actions -------------------------------------------------------------------------------
    def pick(self, index: int | None) -> None:
        """Show drawing `index` (of session.insight.drawings()) in the card beside the map."""
        self.view.selected = index
        self._card = None
        drawings = self.session.insight.drawings()
        if index is not None and drawings is not None:
            source = SOURCE_NAMES.get(store.SOURCES[int(drawings.sources[index])], "")
            self.session.say(f"This dot is {a_digit(int(drawings.labels[index]))} ({source}). "
                             f"Dots near it are drawings the network finds alike")

    def explain_guessing(self) -> None:
        explain_guessing(self.session)

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if self.why_button.handle_event(event) and event.type != pygame.MOUSEMOTION:
            return True
        if self.why.handle_event(event):
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.rects["guess"].collidepoint(event.pos) \
                and getattr(self.session.prediction, "unfamiliar", None):
            explain_guessing(self.session)                      # "not sure" beside the map says why, too
            return True
        look = self.look
        if event.type == pygame.MOUSEMOTION and look is not None:
            self.view.hovered = self.view.point_at(event.pos, look)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.view.rect.collidepoint(event.pos):
            self.pick(self.view.point_at(event.pos, look))
            return True
        return self.panel.handle_event(event)

    def hidden(self) -> None:
        super().hidden()
        self.why.forget_mouse()
        self.view.hovered = None

    # --- update and draw -----------------------------------------------------------------------
    def update(self, dt: float) -> None:
        session = self.session
        self.panel.update()
        params = session.current_params()
        due = not session.training or session.time - self._fitted_at >= REFIT_SECONDS
        if (due or self.live.params is None) and self.live.update(params):
            self._fitted_at = session.time
            self._marker_key = None
            self._card = None
        self.view.show(self.live)
        image = session.current_image()
        key = (image, self.live.version)
        if self._marker_key is None or key[0] is not self._marker_key[0] or key[1] != self._marker_key[1]:
            self._marker_key = key
            self.view.follow(None if image is None else self.live.place_of(image), session.canvas.drawing)
        self.why.update()
        self.view.nearest = self.why.nearest if self.live.drawings is session.insight.drawings() \
            else np.zeros(0, dtype=np.int64)

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects = self.rects
        self.panel.draw(surface, look)
        heading = rects["map heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, HEADINGS, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        self.why_button.draw(surface, look)
        theme.draw_paragraph(surface, look, look.small, LEGEND, rects["legend"], theme.MUTED_TEXT)
        self._draw_key(surface, look, rects["key"])
        self.view.draw(surface, look, self.empty_text())
        theme.draw_paragraph(surface, look, look.small, self.info_text(), rects["map info"],
                             theme.ACCENT if self.session.training else theme.MUTED_TEXT)
        self._draw_guess(surface, look)
        self._draw_card(surface, look)
        self.why.draw(surface, look, self.session.prediction)

    def _draw_key(self, surface: pygame.Surface, look: theme.Look, rect: pygame.Rect) -> None:
        """The ten colours with their digits, then the white ring: your drawing."""
        square = look.small.get_height() * 2 // 3
        x = rect.x
        for digit in range(10):
            pygame.draw.rect(surface, DIGIT_COLOURS[digit], (x, rect.centery - square // 2, square, square))
            x = theme.draw_text(surface, look, look.small, str(digit), (x + square + look.px(3), rect.centery),
                                theme.TEXT, anchor="midleft").right + look.px(10)
        ring = look.small.get_height() // 3
        if x + 2 * ring + look.px(6) + look.small.size(YOUR_DRAWING)[0] <= rect.right:
            pygame.draw.circle(surface, theme.INK, (x + ring, rect.centery), ring, width=max(2, look.px(2)))
            theme.draw_text(surface, look, look.small, YOUR_DRAWING, (x + 2 * ring + look.px(6), rect.centery),
                            theme.TEXT, anchor="midleft")

    def _draw_guess(self, surface: pygame.Surface, look: theme.Look) -> None:
        """Beside the map: what the network says about the drawing on the canvas."""
        rects = self.rects
        theme.draw_text(surface, look, look.body_bold, theme.first_that_fits(
            look.body_bold, ("Your drawing", "Yours"), rects["guess title"].width), rects["guess title"].topleft,
                        max_width=rects["guess title"].width)
        prediction = self.session.prediction
        colour = theme.TEXT
        if prediction is None:
            text, colour = ("Draw a digit on the canvas: the white ring shows where it lands" if
                            self.session.canvas.is_blank() else self.session.predictor.hint or
                            "Press Run (Enter) to ask the network"), theme.MUTED_TEXT
        elif getattr(prediction, "unfamiliar", None):
            text, colour = (f"Not sure, best guess {prediction.digit}: it looks unlike your digits. "
                            f"{NOT_SURE_SHORT}."), theme.WARNING
        else:
            text = f"The network says {prediction.digit} ({prediction.confidence:.0%} sure)"
        self._paragraph(surface, look, text, rects["guess"], colour)

    def _paragraph(self, surface, look, text: str, rect: pygame.Rect, colour) -> None:
        """`text` in the small font, or a shorter version (up to the first full stop) if it does not fit."""
        for candidate in (text, text.split(". ")[0] + ".", text.split(":")[0]):
            if theme.paragraph_height(look.small, candidate, rect.width) <= rect.height:
                theme.draw_paragraph(surface, look, look.small, candidate, rect, colour)
                return
        theme.draw_paragraph(surface, look, look.small, text, rect, colour)

    def _draw_card(self, surface: pygame.Surface, look: theme.Look) -> None:
        """The clicked dot's drawing: the picture, its label, where it came from, what the network says."""
        rects = self.rects
        index = self.view.selected
        drawings = self.live.drawings
        title = theme.first_that_fits(look.body_bold, ("The dot you clicked", "The clicked dot", "Clicked"),
                                      rects["card title"].width)
        theme.draw_text(surface, look, look.body_bold, title, rects["card title"].topleft,
                        max_width=rects["card title"].width)
        picture = rects["card picture"]
        if index is None or drawings is None or index >= len(drawings):
            pygame.draw.rect(surface, theme.PANEL, picture)
            self._paragraph(surface, look, "Click a dot on the map to see its drawing here", rects["card"],
                            theme.MUTED_TEXT)
            return
        if self._card is None or self._card[0] != index:
            grey = np.round(drawings.X[index].reshape(28, 28) * 255).astype(np.uint8)
            small = pygame.Surface((28, 28))
            pygame.surfarray.blit_array(small, np.repeat(grey.T[:, :, None], 3, axis=2))
            self._card = (index, pygame.transform.scale(small, picture.size))
        surface.blit(self._card[1], picture)
        pygame.draw.rect(surface, DIGIT_COLOURS[int(drawings.labels[index]) % 10], picture.inflate(4, 4), width=2)
        label = int(drawings.labels[index])
        source = SOURCE_NAMES.get(store.SOURCES[int(drawings.sources[index])], "")
        held = self.session.insight.held_out()
        learned = (("held back for testing", "held back", "for testing") if len(held) == len(drawings) and held[index]
                   else ("the network learned from it", "it learned from it", "learned from"))
        lines = [((f"Labelled {label} ({source})", f"Labelled {label}", f"{label}"), theme.TEXT)]
        if self.live.params is not None:
            probabilities = network.predict_probabilities(self.live.params, drawings.X[index][None])[0]
            said = int(probabilities.argmax())
            lines.append(((f"The network says {said} ({probabilities[said]:.0%})", f"It says {said} "
                           f"({probabilities[said]:.0%})", f"It says {said}"),
                          theme.SUCCESS if said == label else theme.WARNING))
        lines.append((learned, theme.MUTED_TEXT))
        card, y = rects["card"], rects["card"].y
        for texts, colour in lines:
            if y + look.small.get_linesize() > card.bottom:
                break
            y = theme.draw_text(surface, look, look.small, theme.first_that_fits(look.small, texts, card.width),
                                (card.x, y), colour, max_width=card.width).y + look.small.get_linesize()

    def empty_text(self) -> str:
        """What the map says when it has nothing to show."""
        session = self.session
        if session.dataset.store is None:
            return f"{session.data_path.name} cannot be read, so there is nothing to place on the map"
        drawings = session.insight.drawings()
        if drawings is None or len(drawings) < 2:
            return "Save a few drawings first: each one becomes a dot on the map"
        params = session.current_params()
        if params is not None and last_hidden_layer(params) is None:
            return "This network has no hidden layer, so there is nothing to map: train one with hidden layers"
        return "No trained model yet: press T to train, and watch the digits pull apart"

    def info_text(self) -> str:
        """Under the map: the dot under the mouse, else what is going on."""
        session = self.session
        drawings = self.live.drawings
        if self.view.hovered is not None and drawings is not None:
            index = self.view.hovered
            source = SOURCE_NAMES.get(store.SOURCES[int(drawings.sources[index])], "")
            return f"{a_digit(int(drawings.labels[index])).capitalize()} ({source}): click to see it"
        described = self.why.describe_hovered()
        if described:
            return described
        if session.training:
            epochs = len(session.progress.history)
            return (f"Training: epoch {epochs}. Watch the digits pull apart as it learns" if epochs
                    else "Training is starting… the map follows the network as it learns")
        if drawings is not None and drawings.total > len(drawings):
            return f"{len(drawings):,} of your {count(drawings.total, 'drawing')} are shown. Click a dot to see it"
        if self.live.projection is not None:
            return "Click a dot to see its drawing. Mixed-up dots? Train more, or look for wrong labels there"
        return ""
