"""Training settings, on top of the window: the network and how it learns, and augmentation with a live preview.

Left: hidden layer sizes, epochs, learning rate, batch size, optimizer, weight decay and the seed
of the starting weights (window/training_settings.py: SETTINGS). Right: augmentation on or off,
how many copies of each drawing, one slider per kind of change, and a preview: the drawing on the
canvas (or one from data.json when the canvas is empty) next to copies made by add_noise.augment
with exactly these strengths, so you see what the network will learn from. Defaults brings back
the recipe of the model the window started with. Every change goes straight into the session's
train_config and is used the next time Train starts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

import add_noise
from mling import store
from window import theme
from window.buttons import training
from window.layout import Flex, centred, columns, right_to_left, rows
from window.status_line import INFO
from window.training_settings import (
    AUGMENTATION,
    DEFAULT_COPIES,
    START_FROM,
    Picker,
    StrengthSliders,
    TrainingSettings,
    describe_recipe,
)

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

WIDTH, MOST_HEIGHT = 980, 720      # design pixels, or the window less a margin when that is smaller
PREVIEW_COPIES = 6                 # copies shown beside the drawing
TITLE = "Training settings"
LEFT_TITLE = ("The network and how it learns", "The network")
RIGHT_TITLE = ("Augmentation: changed copies of each drawing", "Augmentation")
OFF_TEXT = "Off: the network learns from the drawings as they are"
NOTE = "Changes are used the next time you press Train."
NOTE_TRAINING = "Training is running: it keeps its settings; changes are used the next time you press Train."


def example_image(session: Session) -> tuple[np.ndarray | None, str]:
    """The picture the preview copies: the canvas, or else the first drawing in data.json (28, 28)."""
    image = session.current_image()
    if image is not None:
        return image, "your drawing"
    data = session.dataset.store
    sample = next((s for s in data.samples if not s.is_copy), None) if data is not None else None
    if sample is None:
        return None, ""
    return store.bytes_to_images(sample.pixels, 1).reshape(28, 28), "a drawing from data.json"


def image_surface(image: np.ndarray, side: int) -> pygame.Surface:
    """A (28, 28) image in [0, 1] as a grey square of `side` pixels, hard pixel edges."""
    grey = np.round(np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)
    small = pygame.surfarray.make_surface(np.repeat(grey.T[:, :, None], 3, axis=2))
    return pygame.transform.scale(small, (side, side))


class AugmentPreview:
    """The drawing, then PREVIEW_COPIES copies as augmentation makes them (made again only on a change)."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.cells: list[pygame.Rect] = []
        self.copies: np.ndarray | None = None          # (PREVIEW_COPIES, 28, 28), for tests
        self._key = None
        self._surfaces: list[pygame.Surface] = []

    def place(self, rect: pygame.Rect, look: theme.Look) -> None:
        self.rect = pygame.Rect(rect)
        gap, big_gap = look.px(6), look.px(18)
        side = max(28, min(rect.height, (rect.width - big_gap - gap * (PREVIEW_COPIES - 1)) // (PREVIEW_COPIES + 1)))
        first = pygame.Rect(rect.x, rect.y, side, side)
        self.cells = [first] + [pygame.Rect(first.right + big_gap + i * (side + gap), rect.y, side, side)
                                for i in range(PREVIEW_COPIES)]
        self._key = None

    def show(self, image: np.ndarray | None, strengths: dict, seed: int, on: bool) -> None:
        """Make the copies again when the image, the strengths, the seed or on/off changed."""
        key = (None if image is None else image.tobytes(), tuple(sorted(strengths.items())), seed, on,
               self.cells[0].size if self.cells else None)
        if key == self._key:
            return
        self._key = key
        self._surfaces = []
        self.copies = None
        if image is None or not self.cells:
            return
        side = self.cells[0].width
        self._surfaces.append(image_surface(image, side))
        if on:
            self.copies = add_noise.augment(np.repeat(image[None], PREVIEW_COPIES, axis=0),
                                            np.random.default_rng(seed), strengths)
            self._surfaces += [image_surface(copy, side) for copy in self.copies]

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        for cell, picture in zip(self.cells, self._surfaces):
            surface.blit(picture, cell)
            pygame.draw.rect(surface, theme.PANEL_BORDER, cell.inflate(2, 2), width=1)
        if len(self._surfaces) > 1:          # an arrow from the drawing to its copies
            start, end = self.cells[0].right + look.px(3), self.cells[1].x - look.px(3)
            y = self.cells[0].centery
            pygame.draw.line(surface, theme.MUTED_TEXT, (start, y), (end, y), max(1, look.px(2)))
            pygame.draw.polygon(surface, theme.MUTED_TEXT, [(end, y), (end - look.px(5), y - look.px(4)),
                                                            (end - look.px(5), y + look.px(4))])


class SettingsDialog:
    """The settings of the next training run, with a preview of augmentation. Done (Enter or Esc) closes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.open = True
        self.network = TrainingSettings(session)
        self.start_from = Picker(START_FROM, session.start_from_model, self._start_from_changed)
        self.copies = TrainingSettings(session, AUGMENTATION)
        self.sliders = StrengthSliders(session)
        self.preview = AugmentPreview()
        self.preview_seed = 0
        self.remembered_copies = session.train_config.augment_copies or DEFAULT_COPIES
        self.done = training.SETTINGS_DONE.button(self)
        self.defaults = training.DEFAULTS.button(self)
        self.toggle = training.AUGMENT_TOGGLE.button(self)
        self.other_copies = training.OTHER_COPIES.button(self)
        self.own_buttons = [self.done, self.defaults, self.toggle, self.other_copies]
        self.buttons = [*self.own_buttons, *self.network.buttons, *self.start_from.buttons, *self.copies.buttons]
        self.window_rect = self.panel = pygame.Rect(0, 0, 0, 0)
        self.rects: dict[str, pygame.Rect] = {}
        self._shade: pygame.Surface | None = None

    # --- what the buttons do ---
    def close(self) -> None:
        self.open = False
        self.session.say(f"Settings for the next training: {describe_recipe(self.session.train_config)}")

    def bring_back_defaults(self) -> None:
        session = self.session
        session.set_train_config(session.start_recipe)
        session.start_from_model = False
        self.remembered_copies = session.train_config.augment_copies or DEFAULT_COPIES
        session.say(f"Back to the recipe that made the model you started with: {describe_recipe(session.start_recipe)}")

    def toggle_augmentation(self) -> None:
        session = self.session
        copies = session.train_config.augment_copies
        if copies:
            self.remembered_copies = copies
            session.change_setting("augment_copies", 0)
            session.say("Augmentation off: the network learns from the drawings as they are")
        else:
            session.change_setting("augment_copies", self.remembered_copies)
            session.say(f"Augmentation on: {self.remembered_copies} changed copies of each training drawing")

    def _start_from_changed(self, from_model: bool) -> None:
        self.session.start_from_model = from_model
        self.session.say("The next training goes on from the model in use (its own layers)" if from_model else
                         "The next training starts from random weights (the seed)", INFO)

    def make_other_copies(self) -> None:
        self.preview_seed += 1

    # --- layout ---
    def lay_out(self, window_rect: pygame.Rect, look: theme.Look) -> None:
        self.window_rect = pygame.Rect(window_rect)
        margin = look.px(12)
        pad = look.px(20)
        gap = look.px(5)
        row = look.px(30)
        line = look.body_bold.get_linesize()
        note_height = 2 * look.small.get_linesize()
        buttons_height = look.px(38)
        sliders_height = self.sliders.height(look, gap)
        left_height = line + 2 * gap + self.network.height(row, gap) + look.px(10) + row + look.px(16) + \
            3 * look.small.get_linesize()                         # the explanation of the setting under the mouse
        right_height = line + 2 * (row + gap) + sliders_height + gap + look.small.get_linesize() + look.px(64) + \
            3 * gap
        body_height = max(left_height, right_height)
        height = pad + look.heading.get_linesize() + look.px(12) + body_height + look.px(12) + note_height + \
            look.px(8) + buttons_height + pad
        self.panel = centred(self.window_rect, look.px(WIDTH), min(height, look.px(MOST_HEIGHT)), margin)
        inner = self.panel.inflate(-2 * pad, -2 * pad)
        title, body, note, bottom = rows(inner, [look.heading.get_linesize(), Flex(), note_height, buttons_height],
                                         look.px(10))
        left, right = columns(body, [Flex(1.0), Flex(1.12)], look.px(32))
        # left: the network and how it learns
        left_title, pickers, start_from = rows(left, [line, self.network.height(row, gap), row], gap)
        self.network.lay_out(pickers, look, row, gap)
        start_from.y += look.px(10)                               # apart: not part of the recipe
        self.start_from.lay_out(start_from, look)
        # right: augmentation
        right_title, toggle_row, copies_row, sliders, caption, preview = rows(
            right, [line, row, row, sliders_height, look.small.get_linesize(), Flex()], gap)
        toggle_width = look.body_bold.size(training.AUGMENT_OFF)[0] + look.px(24)
        self.toggle.rect = pygame.Rect(toggle_row.x, toggle_row.y, toggle_width, toggle_row.height)
        self.copies.lay_out(copies_row, look, row, gap)
        self.sliders.lay_out(sliders, look, gap)
        other_width = look.small.size(training.OTHER_COPIES.label)[0] + look.px(20)
        self.other_copies.rect = pygame.Rect(right.right - other_width, toggle_row.y, other_width, toggle_row.height)
        self.preview.place(preview, look)
        explain_top = start_from.bottom + look.px(16)
        explain = pygame.Rect(left.x, explain_top, left.width, max(1, left.bottom - explain_top))
        # the bottom: Defaults on the left, Done on the right
        widths = [max(look.body_bold.size(button.label)[0] + look.px(32), look.px(110))
                  for button in (self.done, self.defaults)]
        self.done.rect = right_to_left(bottom, widths[:1], 0)[0]
        self.defaults.rect = pygame.Rect(bottom.x, bottom.y, widths[1], bottom.height)
        self.rects = {"settings title": title, "settings left title": left_title,
                      "settings right title": right_title, "settings note": note, "preview caption": caption,
                      "explanation": explain,
                      "preview": self.preview.rect}
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [*self.rects.items(), *self.network.named_rects(), *self.start_from.named_rects(),
                 *self.copies.named_rects(),
                 *self.sliders.named_rects()]
        return named + [(f"button {button.label}", button.rect) for button in self.own_buttons]

    # --- events, update, draw ---
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Every event is the dialog's while it is open (nothing behind it reacts)."""
        for button in self.own_buttons:
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        if not self.sliders.handle_event(event):
            self.network.handle_event(event)
            self.start_from.handle_event(event)
            self.copies.handle_event(event)
        return True

    def update(self, dt: float, look: theme.Look) -> None:
        session = self.session
        self.network.update()
        if self.start_from.value != session.start_from_model:
            self.start_from.set_value(session.start_from_model)
        self.copies.update()
        on = session.train_config.augment_copies > 0
        self.sliders.update()
        for button in self.copies.buttons:
            button.enabled = on
        self.other_copies.enabled = on
        self.toggle.label = training.AUGMENT_ON if on else training.AUGMENT_OFF
        self.toggle.active = on
        self.defaults.enabled = session.train_config != session.start_recipe or session.start_from_model
        image, _ = example_image(session)
        self.preview.show(image, session.train_config.augment_strengths, self.preview_seed, on)

    def hovered_tip(self) -> str:
        """What the setting under the mouse does ("" when the mouse is on none)."""
        for picker in (*self.network.pickers, self.start_from, *self.copies.pickers):
            if picker.hovered:
                tip = picker.setting.tooltip
                return f"{picker.labels[0]}: {tip[:1].lower()}{tip[1:]}."
        for slider in self.sliders.sliders:
            if slider.hovered:
                return f"{slider.name}: {slider.tooltip}."
        return ""

    def explanation(self) -> str:
        return self.hovered_tip() or "Rest the mouse on a setting to see what it does."

    def caption(self) -> str:
        image, where = example_image(self.session)
        if image is None:
            return "Draw a digit on the canvas to see its copies here"
        if self.session.train_config.augment_copies == 0:
            return OFF_TEXT
        return f"{where[:1].upper()}{where[1:]} → copies made with these settings"

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, look, self.panel)
        rects = self.rects
        title = rects["settings title"]
        theme.draw_text(surface, look, look.heading, TITLE, title.midleft, anchor="midleft", max_width=title.width)
        for key, texts in (("settings left title", LEFT_TITLE), ("settings right title", RIGHT_TITLE)):
            rect = rects[key]
            theme.draw_text(surface, look, look.body_bold, theme.first_that_fits(look.body_bold, texts, rect.width),
                            rect.topleft, theme.ACCENT, max_width=rect.width)
        self.network.draw(surface, look)
        self.start_from.draw(surface, look)
        self.copies.draw(surface, look)
        self.sliders.draw(surface, look)
        caption = rects["preview caption"]
        text = self.caption()
        theme.draw_text(surface, look, look.small, text, caption.topleft, theme.MUTED_TEXT, max_width=caption.width)
        theme.draw_paragraph(surface, look, look.small, self.explanation(), rects["explanation"],
                             theme.TEXT if self.hovered_tip() else theme.MUTED_TEXT)
        self.preview.draw(surface, look)
        note = NOTE_TRAINING if self.session.training else NOTE
        recipe = f"Next training: {describe_recipe(self.session.train_config)}."
        theme.draw_paragraph(surface, look, look.small, f"{recipe} {note}", rects["settings note"], theme.MUTED_TEXT)
        for button in self.own_buttons:
            button.draw(surface, look)
