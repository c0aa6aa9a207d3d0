"""Fool it: the least ink that makes the network read your drawing as another digit, and a game of it.

Pick a digit: mling/fooling.py follows the input gradient (where more or less ink raises that
digit's score most) a few pixels at a time until the network says that digit, and the change is
shown as a ghost over the drawing: blue where it adds ink, orange where it rubs ink out. Often a
handful of pixels is enough. Then it is the learner's turn: change the drawing on the canvas
until the network reads it as that digit, with as little ink as possible; flip_score compares
the two. Most of the network's change usually lands in the 4-pixel border, where no drawing it
learned from has ink (the canvas shrinks every drawing into the middle): its blind spot.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import fooling, images, network
from mling.pixels import IMAGE_SIDE
from window import colour_scale, paragraphs, theme
from window.buttons import insight as insight_buttons
from window.canvas import INK_SIDE
from window.insight import border_mask
from window.layout import Flex, columns, right_to_left, row_of, rows
from window.session import ModelLoaded
from window.status_line import INFO, SUCCESS
from window.tabs.tab import DrawingTab
from window.words import a_digit, count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 20                      # design pixels
HEADINGS = ("Fool the network", "Fool it")
INTRO = ("Pick a digit: the network shows the smallest change of ink that makes it read your drawing as that "
         "digit. Then try it yourself on the canvas, with as little ink as you can.")
LEGENDS = ((("blue: ink added", colour_scale.POSITIVE), ("orange: ink rubbed out", colour_scale.NEGATIVE)),
           (("blue: added", colour_scale.POSITIVE), ("orange: rubbed out", colour_scale.NEGATIVE)),
           (("+ blue", colour_scale.POSITIVE), ("− orange", colour_scale.NEGATIVE)))   # the longest that fits
SAMPLE_TEXTS = (    # as long as the result and the fact usually are: the pictures get the rest of the room
    "The network needs 4.9 pixels' worth of ink (8 pixels) to read 7 as 3: the coloured squares on the canvas. "
    "Draw (left button) or erase (right button) until it says 3.",
    "90% of the network's change is in the 4-pixel border, where your drawings have only 3% of their ink. It "
    "hardly ever saw ink there, so it never learned what ink there means.")
GHOST_ALPHA = 200            # how strongly the ghost covers the canvas (0..255)
BLIND_SPOT_SHARE = 0.2       # the border fact is told when at least this share of the network's ink lies there


def ghost_picture(image: np.ndarray, change: np.ndarray) -> np.ndarray:
    """(28, 28, 3) uint8: the drawing in grey, tinted blue where `change` adds ink and orange where it removes it."""
    grey = np.clip(np.asarray(image, np.float32), 0, 1)[..., None] * np.array(theme.INK, np.float32) * 0.55
    added = np.clip(change, 0, 1)[..., None]
    removed = np.clip(-change, 0, 1)[..., None]
    tinted = grey * (1 - added - removed) + added * np.array(colour_scale.POSITIVE, np.float32) \
        + removed * np.array(colour_scale.NEGATIVE, np.float32)
    return np.clip(np.rint(tinted), 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Frame:
    """Where images.to_network_input put a drawing: canvas row/col r0, c0 maps to network row/col top, left."""
    r0: int
    c0: int
    top: int
    left: int
    scale: float               # network pixels per canvas pixel


def frame_of(ink: np.ndarray) -> Frame | None:
    """The crop, scale and offset images.to_network_input uses for this canvas ink, worked out the
    same way (None: blank, or a drawing so small it would be enlarged rather than shrunk)."""
    ink = np.asarray(ink, dtype=np.float32)
    mask = ink > images.INK_THRESHOLD
    rows_inked = np.flatnonzero(mask.any(axis=1))
    if rows_inked.size == 0:
        return None
    cols_inked = np.flatnonzero(mask[rows_inked[0]:rows_inked[-1] + 1].any(axis=0))
    r0, r1, c0, c1 = int(rows_inked[0]), int(rows_inked[-1]) + 1, int(cols_inked[0]), int(cols_inked[-1]) + 1
    scale = images.BOX_SIZE / max(r1 - r0, c1 - c0)
    if scale > 1:
        return None
    size = (int(np.ceil((r1 - r0) * scale - 1e-6)), int(np.ceil((c1 - c0) * scale - 1e-6)))
    box = np.clip(_area_matrix(r1 - r0, 0, 0, scale, size[0]) @ ink[r0:r1, c0:c1]
                  @ _area_matrix(c1 - c0, 0, 0, scale, size[1]).T, 0.0, 1.0)
    mass = float(box.sum())
    if mass <= 0:
        return None
    com_row = round(float(box.sum(axis=1) @ np.arange(size[0])) / mass, images.CENTRE_DECIMALS)
    com_col = round(float(box.sum(axis=0) @ np.arange(size[1])) / mass, images.CENTRE_DECIMALS)
    top = int(np.clip(np.floor(images.CENTRE - com_row + 0.5), 0, IMAGE_SIDE - size[0]))
    left = int(np.clip(np.floor(images.CENTRE - com_col + 0.5), 0, IMAGE_SIDE - size[1]))
    return Frame(r0, c0, top, left, scale)


def _area_matrix(size_in: int, start: int, offset: int, scale: float, size_out: int = IMAGE_SIDE
                 ) -> np.ndarray:
    """(size_out, size_in): output pixel i averages the input pixels k whose [(k - start) * scale,
    (k - start + 1) * scale) overlaps [i - offset, i - offset + 1): images.to_network_input's
    area-averaging shrink, here over the whole canvas instead of the crop."""
    out = np.arange(size_out, dtype=np.float64)[:, None] - offset
    k = np.arange(size_in, dtype=np.float64)[None, :] - start
    overlap = np.minimum(out + 1, (k + 1) * scale) - np.maximum(out, k * scale)
    return np.clip(overlap, 0.0, None).astype(np.float32)


def in_frame(ink: np.ndarray, frame: Frame) -> np.ndarray:
    """(28, 28) what the network sees of `ink` placed as `frame` says, without cropping or centring again:
    ink added anywhere on the canvas lands where it was put, even in the border."""
    rows_matrix = _area_matrix(ink.shape[0], frame.r0, frame.top, frame.scale)
    cols_matrix = _area_matrix(ink.shape[1], frame.c0, frame.left, frame.scale)
    return np.clip(rows_matrix @ ink @ cols_matrix.T, 0.0, 1.0).astype(np.float32)


def ghost_rgba(change: np.ndarray) -> np.ndarray:
    """(28, 28, 4) uint8: blue where `change` adds ink, orange where it rubs it out, see-through elsewhere."""
    change = np.asarray(change, np.float32)
    colours = np.where((change >= 0)[..., None], np.array(colour_scale.POSITIVE, np.float32),
                       np.array(colour_scale.NEGATIVE, np.float32))
    alpha = np.clip(np.abs(change) * 2.0, 0.0, 1.0) * GHOST_ALPHA
    return np.concatenate([colours, alpha[..., None]], axis=2).astype(np.uint8)


def draw_ghost_on_canvas(surface: pygame.Surface, canvas_rect: pygame.Rect, frame: Frame, change: np.ndarray) -> None:
    """The network's change drawn over the canvas where its pixels come from (the frame tells where)."""
    per_ink_pixel = canvas_rect.width / INK_SIDE
    side = IMAGE_SIDE / frame.scale * per_ink_pixel               # the 28x28 picture, on screen
    x = canvas_rect.x + (frame.c0 - frame.left / frame.scale) * per_ink_pixel
    y = canvas_rect.y + (frame.r0 - frame.top / frame.scale) * per_ink_pixel
    small = pygame.Surface((IMAGE_SIDE, IMAGE_SIDE), pygame.SRCALPHA)
    rgba = ghost_rgba(change)
    pygame.surfarray.blit_array(small, rgba[..., :3].swapaxes(0, 1))
    alpha = pygame.surfarray.pixels_alpha(small)
    alpha[...] = rgba[..., 3].T
    del alpha                                                          # unlock the surface
    big = pygame.transform.scale(small, (max(1, round(side)), max(1, round(side))))
    clip = surface.get_clip()
    surface.set_clip(canvas_rect)
    surface.blit(big, (round(x), round(y)))
    # what the network sees of the canvas: ink outside this frame does not reach it
    pygame.draw.rect(surface, theme.MUTED_TEXT, (round(x), round(y), round(side), round(side)), width=1)
    surface.set_clip(clip)


def share_in_border(change: np.ndarray) -> float:
    """How much of a change of ink (its sum of |change|) lies in the 4-pixel border of 28x28."""
    size = np.abs(np.asarray(change, np.float64)).reshape(-1)
    total = size.sum()
    return float(size[border_mask()].sum() / total) if total > 0 else 0.0


class FoolTab(DrawingTab):
    title, short_title = "Fool it", "Fool"
    tooltip = "Find the least ink that makes the network read your drawing as another digit"
    arrival = "Fool it: draw a digit, then pick the digit to turn it into. Esc goes back"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.target_buttons = [row.button(self) for row in insight_buttons.FOOL_TARGETS]
        self.back_button = insight_buttons.BACK_TO_START.button(self)
        self.buttons = [*self.panel.buttons, *self.target_buttons, self.back_button]
        self.rects: dict[str, pygame.Rect] = {}
        self.target: int | None = None
        self.original: np.ndarray | None = None      # (28, 28) what the network saw when the digit was picked
        self.original_ink: np.ndarray | None = None  # the canvas then, for Back to the start
        self.original_guess: int | None = None
        self.frame: Frame | None = None              # where the drawing was placed then: it stays there
        self.attempt: np.ndarray | None = None       # (28, 28) the drawing now, in that frame
        self.attack: fooling.Attack | None = None
        self.score: fooling.FlipScore | None = None
        self._attack_for = None                      # the weights the attack was found with
        self._score_key = None
        self._attempt_version, self._attempt_time = -1, -1.0
        self._said = None                            # the last result told in the status line
        self._pictures: dict[str, tuple] = {}

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, column_gap = look.px(GAP), look.px(COLUMN_GAP)
        right = self.panel.lay_out_beside(area, look, 500, column_gap)
        line = look.small.get_linesize()
        intro_height = theme.paragraph_height(look.small, INTRO, right.width)
        top, intro, targets_row, body = rows(right, [look.px(32), intro_height, look.px(44), Flex()], gap)
        width = look.body_bold.size(self.back_button.label)[0] + look.px(24)
        (self.back_button.rect,) = right_to_left(top, [width], 0)
        heading = pygame.Rect(top.x, top.y, self.back_button.rect.x - look.px(10) - top.x, top.height)
        label_width = look.body.size("Make it a:")[0] + look.px(10)
        targets_label, targets = columns(targets_row, [label_width, Flex()], 0)
        for button, rect in zip(self.target_buttons, row_of(targets, 10, look.px(5))):
            button.rect = rect
        text_width = body.width - look.px(20)
        wanted = sum(look.px(12) + look.body_bold.get_linesize() + look.px(2)
                     + max(4 * line, theme.paragraph_height(look.small, sample, text_width))
                     for sample in SAMPLE_TEXTS) + gap
        room = max(body.height - wanted, min(3 * 28, body.height * 2 // 5)) - gap - 2 * line
        picture_side = max(28 * 2, min((body.width - column_gap) // 2, room) // 14 * 14)
        pictures, text = rows(body, [line + picture_side + line, Flex()], gap)
        ghost_column, yours_column = columns(pictures, [Flex(), Flex()], column_gap)
        rects = {"fool heading": heading, "intro": intro, "targets label": targets_label}
        for name, column in (("ghost", ghost_column), ("yours", yours_column)):
            caption, picture, legend = rows(column, [line, picture_side, line])
            square = pygame.Rect(0, 0, picture_side, picture_side)
            square.midtop = picture.midtop
            rects.update({f"{name} caption": caption, f"{name} picture": square, f"{name} legend": legend})
        rects["texts"] = text               # the result and the fact share it (split as they need, when drawn)
        self.rects = rects
        self._pictures = {}

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [*self.panel.named_rects(), *self.rects.items(), ("back to the start", self.back_button.rect)]
        return named + [(f"target {number}", button.rect) for number, button in enumerate(self.target_buttons)]

    # --- actions -------------------------------------------------------------------------------
    def params(self) -> network.Parameters | None:
        model = self.session.predictor.model
        return None if model is None else model.params

    def choose_target(self, digit: int) -> None:
        """The drawing on the canvas now is the one to change; find the network's least change to `digit`."""
        session = self.session
        params = self.params()
        if params is None:
            session.say("Fooling needs a trained network: press T to train first")
            return
        if session.canvas.is_blank():
            session.say("Draw a digit on the canvas first, then pick the digit to turn it into")
            return
        self.target = digit
        self.original_ink = session.canvas.ink.copy()
        self.frame = frame_of(self.original_ink)
        self.original = (session.canvas.network_input().copy() if self.frame is None
                         else in_frame(self.original_ink, self.frame))
        self.attempt, self._attempt_version, self._said = self.original, session.canvas.version, None
        self.original_guess = int(network.predict_probabilities(params, self.original.reshape(1, -1))[0].argmax())
        self._find_attack(params)
        if self.original_guess == digit:
            session.say(f"It already reads your drawing as {digit}: pick another digit to fool it")
        elif self.attack.reached:
            session.say(f"The network's change to {a_digit(digit)}: {self.attack.pixels} pixels, "
                        f"{self.attack.ink:.1f} pixels' worth of ink. Now you: change the drawing until it says "
                        f"{digit}")
        else:
            session.say(f"The network found no small change to {a_digit(digit)}; try another digit")

    def _find_attack(self, params: network.Parameters) -> None:
        self.attack = fooling.fool(params, self.original, self.target)
        self._attack_for = params
        self._score_key = None
        self._pictures = {}

    def back_to_start(self) -> None:
        """Put the drawing back as it was when the digit was picked (its strokes since are gone: a fresh start)."""
        session = self.session
        if self.original_ink is None:
            session.say("Nothing to go back to: pick a digit first")
            return
        session.canvas.restore(self.original_ink)
        session.predict(announce=False)
        session.say("The drawing is back as it was when you picked the digit")

    def forget(self) -> None:
        """The canvas was cleared or saved: the game starts again with the next drawing."""
        self.target = self.original = self.original_ink = self.original_guess = None
        self.attack = self.score = self.frame = self.attempt = None
        self._pictures = {}

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in (*self.target_buttons, self.back_button):
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        return self.panel.handle_event(event)

    def notice(self, event) -> None:
        super().notice(event)
        if isinstance(event, ModelLoaded) and self.original is not None and self.params() is not None:
            self.original_guess = int(network.predict_probabilities(self.params(), self.original.reshape(1, -1))
                                      [0].argmax())
            self._find_attack(self.params())

    # --- update and draw -----------------------------------------------------------------------
    def update(self, dt: float) -> None:
        session = self.session
        self.panel.update()
        if self.original is not None and session.canvas.is_blank() and not session.canvas.drawing:
            self.forget()
        params = self.params()
        for digit, button in enumerate(self.target_buttons):
            button.enabled = params is not None and not session.canvas.is_blank()
            button.active = digit == self.target
        self.back_button.enabled = self.original_ink is not None
        if self.attack is None or params is None:
            self.score = None
            return
        self._follow_canvas()
        key = (self.attempt, params)
        if self._score_key is None or any(a is not b for a, b in zip(key, self._score_key)):
            self._score_key = key
            self.score = None if self.attempt is None else fooling.flip_score(params, self.original, self.attempt,
                                                                              self.attack)
        if self.score is not None and not session.canvas.drawing and self.score.ink > 0:
            told = (self.score.flipped, self.score.guess, round(self.score.ink, 1))
            if told != self._said:                   # after each stroke the status line says how it went
                self._said = told
                title, colour, _ = self.result_text()
                session.say(f"{title}. You changed {self.score.ink:.1f} pixels' worth of ink, the network "
                            f"{self.score.network_ink:.1f}", SUCCESS if self.score.flipped else INFO)

    def _follow_canvas(self) -> None:
        """The drawing now as the network would see it in the frame of the original (10 times a second
        while a stroke goes on: the conversion takes a millisecond or two)."""
        canvas, now = self.session.canvas, self.session.time
        if canvas.version == self._attempt_version or (canvas.drawing and now - self._attempt_time < 0.1):
            return
        self._attempt_version, self._attempt_time = canvas.version, now
        if canvas.is_blank():
            self.attempt = None
        elif self.frame is None:
            self.attempt = canvas.network_input().copy()
        else:
            self.attempt = in_frame(canvas.ink, self.frame)

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects = self.rects
        self.panel.draw(surface, look)
        if self.attack is not None and self.frame is not None:
            draw_ghost_on_canvas(surface, self.session.canvas.rect, self.frame, self.attack.overlay)
        heading = rects["fool heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, HEADINGS, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        self.back_button.draw(surface, look)
        theme.draw_paragraph(surface, look, look.small, INTRO, rects["intro"], theme.MUTED_TEXT)
        label = rects["targets label"]
        theme.draw_text(surface, look, look.body, "Make it a:", label.midleft, anchor="midleft")
        for button in self.target_buttons:
            button.draw(surface, look)
        self._draw_pictures(surface, look)
        self._draw_texts(surface, look)

    def _picture(self, name: str, pixels: np.ndarray, rect: pygame.Rect) -> pygame.Surface:
        """A (28, 28, 3) picture enlarged to `rect`, made once per change."""
        key = (pixels.tobytes(), rect.size)
        kept = self._pictures.get(name)
        if kept is None or kept[0] != key:
            small = pygame.Surface((28, 28))
            pygame.surfarray.blit_array(small, pixels.swapaxes(0, 1))
            kept = (key, pygame.transform.scale(small, rect.size))
            self._pictures[name] = kept
        return kept[1]

    def _draw_pictures(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects = self.rects
        attack, target = self.attack, self.target
        image = self.attempt if self.attempt is not None else self.session.current_image()
        titles = {"ghost": (f"The network's change to {target}", f"Its change to {target}", "Its change")
                  if target is not None else ("The network's change", "Its change"),
                  "yours": ("Your change so far", "Yours")}
        for name in ("ghost", "yours"):
            caption = rects[f"{name} caption"]
            theme.draw_text(surface, look, look.small, theme.first_that_fits(look.small, titles[name], caption.width),
                            caption.midtop, theme.TEXT, anchor="midtop")
            picture = rects[f"{name} picture"]
            if name == "ghost":
                shown = None if attack is None else ghost_picture(self.original, attack.overlay)
            elif image is not None:
                before = self.original if self.original is not None else image
                shown = ghost_picture(before, image - before)
            else:
                shown = None
            if shown is None:
                pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, picture)
            else:
                surface.blit(self._picture(name, shown, picture), picture)
            pygame.draw.rect(surface, theme.PANEL_BORDER, picture.inflate(2, 2), width=1)
            legend = rects[f"{name} legend"]
            parts = next((parts for parts in LEGENDS
                          if look.small.size("  ".join(text for text, _ in parts))[0] <= legend.width), ())
            x = legend.centerx - look.small.size("  ".join(text for text, _ in parts))[0] // 2
            for text, colour in parts:
                x = theme.draw_text(surface, look, look.small, text, (x, legend.y), colour).right \
                    + look.small.size("  ")[0]

    def _draw_texts(self, surface: pygame.Surface, look: theme.Look) -> None:
        """The result box and the "did you know" box, each as tall as its text needs when there is room,
        else shared by need (their texts then drop their last sentences)."""
        area = self.rects["texts"]
        gap = look.px(GAP)
        title, colour, text = self.result_text()
        boxes = [(title, colour, text), ("Did you know?", theme.WARNING, self.fact_text())]
        boxes = [box for box in boxes if box[2]]
        needs = [look.px(12) + look.body_bold.get_linesize() + look.px(2)
                 + theme.paragraph_height(look.small, box[2], area.width - look.px(20)) for box in boxes]
        room = area.height - gap * (len(boxes) - 1)
        heights = needs if sum(needs) <= room else [room * need // sum(needs) for need in needs]
        y = area.y
        for (title, colour, text), height in zip(boxes, heights):
            box = pygame.Rect(area.x, y, area.width, height)
            theme.draw_panel(surface, look, box)
            inner = box.inflate(-look.px(20), -look.px(12))
            said = theme.draw_text(surface, look, look.body_bold, title, inner.topleft, colour, max_width=inner.width)
            paragraphs.draw_fitting(surface, look, look.small, text,
                                    pygame.Rect(inner.x, said.bottom + look.px(2), inner.width,
                                                inner.bottom - said.bottom - look.px(2)), theme.TEXT)
            y = box.bottom + gap

    def result_text(self) -> tuple[str, tuple, str]:
        """(title, its colour, one or two sentences) for the result box."""
        session = self.session
        if self.params() is None:
            return "No trained network yet", theme.MUTED_TEXT, "Press T to train first: fooling needs a network."
        if session.canvas.is_blank():
            return "Draw a digit", theme.MUTED_TEXT, "Draw on the canvas, then pick the digit to turn it into."
        if self.attack is None:
            guess = session.prediction.digit if session.prediction is not None else None
            first = f"It reads your drawing as {guess}. " if guess is not None else ""
            return "Pick a digit", theme.MUTED_TEXT, f"{first}Pick another digit above to fool it into."
        attack, target = self.attack, self.target
        if self.original_guess == target:
            return ("Nothing to fool", theme.MUTED_TEXT,
                    f"It already reads your drawing as {target}. Pick another digit.")
        network_part = (f"The network needs {attack.ink:.1f} pixels' worth of ink ({count(attack.pixels, 'pixel')}) "
                        f"to read {self.original_guess} as {target}: the coloured squares on the canvas."
                        if attack.reached else
                        f"The network found no small change from {self.original_guess} to {target}.")
        score = self.score
        if score is None or score.ink == 0:
            return (f"Your turn: make it a {target}", theme.ACCENT,
                    f"{network_part} Draw (left button) or erase (right button) until it says {target}. "
                    f"While you try, your drawing stays where it is: ink counts where you put it.")
        if score.flipped:
            return (f"Fooled it! Score {score.score}", theme.SUCCESS,
                    f"It reads {target} now. You changed {score.ink:.1f} pixels' worth, the network "
                    f"{score.network_ink:.1f}: 100 would be as little as the network. Less ink scores more.")
        return (f"Not yet: it still says {score.guess}", theme.WARNING,
                f"You changed {score.ink:.1f} pixels' worth so far. {network_part}")

    def fact_text(self) -> str:
        """The border blind spot, measured on this drawing's change and on the learner's drawings."""
        attack = self.attack
        if attack is None or not attack.reached or attack.ink == 0:
            return ""
        in_border = share_in_border(attack.overlay)
        theirs = self.session.insight.ink_in_border()
        if in_border >= BLIND_SPOT_SHARE and in_border > 2 * theirs:
            return (f"{in_border:.0%} of the network's change is in the 4-pixel border, where your drawings have "
                    f"only {theirs:.0%} of their ink. It hardly ever saw ink there, so it never learned what ink "
                    f"there means, and a few dots change its mind. Try a dot far from your digit.")
        return (f"It needed only {count(attack.pixels, 'pixel')} of 784. The network never learned what "
                f"{a_digit(attack.target)} is, only which pixels tend to be inked for one.")
