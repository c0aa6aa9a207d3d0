"""Colours, fonts and sizes: the whole look of the window in one place, at any window size.

A calm dark theme: dark grey panels, near-white text, one blue accent for "the network's answer",
green for "saved", amber for "careful", red for "something is wrong".

The window can be any size from 800x600 to a 4K projector. One number, the zoom, says how big
everything is drawn: sizes in this file and in the layouts are design pixels (the window at its
first size, 1100x700, is zoom 1), and Look.px() turns them into screen pixels. Fonts are loaded
again at every zoom, so text stays crisp instead of being a stretched picture. Large-text mode
multiplies the zoom, so everything grows and each tab lays out the smaller design area it gets.
Fonts are loaded only after pygame.init() (see Look), so importing this module opens nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

# Window size when MLing opens: fits a 1280x800 laptop screen with room for the title bar and task bar.
WINDOW_SIZE = (1100, 700)
SMALLEST_WINDOW = (640, 480)         # the window cannot be made smaller than this
FRAMES_PER_SECOND = 60

# Zoom: how many screen pixels a design pixel is.
SMALLEST_ZOOM = 0.8                  # text never shrinks below this (800x600 would be 0.73)
LARGE_TEXT_ZOOM = 1.3                # large-text mode draws everything this much bigger
SMALLEST_DESIGN_AREA = (860, 600)    # every tab's layout fits this many design pixels (tests check)

# Colours (R, G, B).
BACKGROUND = (24, 26, 33)
PANEL = (33, 36, 45)
PANEL_BORDER = (56, 61, 75)
CANVAS_BACKGROUND = (10, 11, 14)     # the drawing surface: ink is bright on near-black, like MNIST
INK = (246, 246, 240)
TEXT = (232, 234, 240)
MUTED_TEXT = (158, 165, 182)
ACCENT = (96, 170, 255)              # the network's answer, the training curves
ACCENT_DARK = (46, 86, 140)
SUCCESS = (112, 204, 140)
WARNING = (240, 192, 96)
ERROR = (244, 118, 118)
VALIDATION = (250, 176, 90)          # the validation-accuracy curve, next to ACCENT for training
SELECTED = (255, 214, 102)           # selected drawings in the lists
BUTTON = (50, 55, 69)
BUTTON_HOVER = (66, 73, 92)
BUTTON_PRESSED = (38, 42, 54)
BUTTON_DISABLED = (40, 43, 52)
BUTTON_ACTIVE = (46, 86, 140)        # a toggle that is on, or the digit the app asks for
OVERLAY = (14, 15, 20, 230)          # help overlay and dialogs, drawn over everything

# Font sizes in design pixels. The body size stays readable at arm's length on a laptop.
SMALL_SIZE = 15
BODY_SIZE = 18
HEADING_SIZE = 20
LARGE_SIZE = 28

# Fonts tried in order; pygame falls back to its own bundled font when none is installed.
FONT_NAMES = "dejavusans,freesans,liberationsans,arial,helvetica,segoeui"

TEXT_CACHE_LIMIT = 600  # rendered strings kept; text that does not change is not re-rendered


def zoom_for(size: tuple[int, int], large_text: bool = False) -> float:
    """The zoom for a window of `size` screen pixels.

    As big as fits the design size (1100x700) into the window, never below SMALLEST_ZOOM, times
    LARGE_TEXT_ZOOM in large-text mode; but never so big that the design area left for the
    layout is smaller than SMALLEST_DESIGN_AREA (then something would not fit).
    """
    width, height = size
    fit = min(width / WINDOW_SIZE[0], height / WINDOW_SIZE[1])
    wanted = max(fit, SMALLEST_ZOOM) * (LARGE_TEXT_ZOOM if large_text else 1.0)
    return min(wanted, width / SMALLEST_DESIGN_AREA[0], height / SMALLEST_DESIGN_AREA[1])


@dataclass
class DrawnText:
    """One line of text drawn while the Look was recording (the layout tests read them)."""
    text: str
    rect: pygame.Rect


class Look:
    """Fonts at one zoom, design-to-screen sizes, and a cache of rendered text.

    Rendering a string costs about 0.1 ms, so each (font, text, colour) is rendered once. With
    `recording` on, every text drawn is remembered (`drawn`) and every text that had to be cut or
    dropped to fit (`cut`): tests/test_window_layout.py checks both at many window sizes.
    """

    def __init__(self, zoom: float = 1.0) -> None:
        self.zoom = float(zoom)
        self.small = _font(self.px(SMALL_SIZE))
        self.body = _font(self.px(BODY_SIZE))
        self.body_bold = _font(self.px(BODY_SIZE), bold=True)
        self.heading = _font(self.px(HEADING_SIZE), bold=True)
        self.large = _font(self.px(LARGE_SIZE), bold=True)
        self._cache: dict[tuple, pygame.Surface] = {}
        self.recording = False
        self.drawn: list[DrawnText] = []
        self.cut: list[str] = []
        # Every text of the frame being drawn, with its rect (the App clears it before each frame):
        # the tooltip explains the glossary words of the text under the mouse (window/tooltip.py).
        self.on_screen: list[tuple[str, pygame.Rect, pygame.font.Font]] = []

    def px(self, design_pixels: float) -> int:
        """Design pixels -> screen pixels at this zoom (at least 1 for anything not zero)."""
        if design_pixels == 0:
            return 0
        return max(1, round(design_pixels * self.zoom))

    def render(self, font: pygame.font.Font, text: str, colour: tuple[int, int, int]) -> pygame.Surface:
        """Render `text` once and reuse the surface on later frames."""
        key = (id(font), text, colour)
        surface = self._cache.get(key)
        if surface is None:
            if len(self._cache) >= TEXT_CACHE_LIMIT:
                self._cache.clear()
            surface = font.render(text, True, colour)
            self._cache[key] = surface
        return surface

    def note(self, text: str, rect: pygame.Rect, font: pygame.font.Font | None = None) -> None:
        """Remember a text drawn in `rect`; with its font, the rect is cut to the ink (no empty line gap)."""
        if not self.recording:
            return
        rect = pygame.Rect(rect)
        if font is not None and text.strip():
            glyphs = [glyph for glyph in font.metrics(text) if glyph is not None]
            if glyphs:
                ascent = font.get_ascent()
                top = rect.y + ascent - max(glyph[3] for glyph in glyphs)
                bottom = rect.y + ascent - min(glyph[2] for glyph in glyphs)
                rect = pygame.Rect(rect.x, top, rect.width, max(1, bottom - top))
        self.drawn.append(DrawnText(text, rect))

    def note_cut(self, text: str) -> None:
        if self.recording:
            self.cut.append(text)


_FONTS: dict[tuple[int, bool], pygame.font.Font] = {}


def _font(size: int, bold: bool = False) -> pygame.font.Font:
    """A font of `size` pixels, loaded once (resizing the window asks for the same sizes again)."""
    key = (size, bold)
    if key not in _FONTS:
        if len(_FONTS) > 120:          # a long resize drag: forget sizes no longer used
            _FONTS.clear()
        _FONTS[key] = pygame.font.SysFont(FONT_NAMES, size, bold=bold)
    return _FONTS[key]


def font_for_height(pixels: int, bold: bool = True) -> pygame.font.Font:
    """A font whose digits are about 3/4 of `pixels` tall (the big answer digit fills its box)."""
    return _font(max(6, int(pixels)), bold)


def forget_fonts() -> None:
    """Fonts belong to one pygame.init(); call after pygame.quit() (the tests start pygame often)."""
    _FONTS.clear()


def fit_text(font: pygame.font.Font, text: str, max_width: int) -> str:
    """Shorten `text` with an ellipsis so it fits in `max_width` pixels (long messages never overlap)."""
    if font.size(text)[0] <= max_width:
        return text
    while text and font.size(text + "…")[0] > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def first_that_fits(font: pygame.font.Font, texts: tuple[str, ...], max_width: int) -> str:
    """The first (longest) of `texts` that fits in `max_width` pixels, else the last (a short word)."""
    return next((text for text in texts if font.size(text)[0] <= max_width), texts[-1])


def wrap_text(font: pygame.font.Font, text: str, max_width: int) -> list[str]:
    """Split `text` into lines no wider than `max_width` pixels, breaking between words."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and font.size(candidate)[0] > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def draw_text(surface: pygame.Surface, look: Look, font: pygame.font.Font, text: str,
              position: tuple[int, int], colour=TEXT, max_width: int | None = None,
              anchor: str = "topleft") -> pygame.Rect:
    """Draw one line of text; `anchor` is a pygame.Rect attribute name such as "center"."""
    if max_width is not None:
        fitted = fit_text(font, text, max_width)
        if fitted != text:
            look.note_cut(text)
        text = fitted
    rendered = look.render(font, text, colour)
    rect = rendered.get_rect(**{anchor: position})
    surface.blit(rendered, rect)
    look.note(text, rect, font)
    look.on_screen.append((text, rect, font))
    return rect


def draw_paragraph(surface: pygame.Surface, look: Look, font: pygame.font.Font, text: str,
                   rect: pygame.Rect, colour=TEXT, centred: bool = False) -> int:
    """Draw `text` wrapped into `rect`, line under line; returns how many lines it took.

    Lines that do not fit in the rect's height are left out (and noted: the layout tests fail).
    """
    lines = wrap_text(font, text, rect.width)
    line_height = font.get_linesize()
    fits = max(1, rect.height // line_height)
    if len(lines) > fits:
        look.note_cut(text)
        lines = lines[:fits]
        lines[-1] = fit_text(font, lines[-1] + " …", rect.width)
    top = rect.y if not centred else rect.centery - line_height * len(lines) // 2
    for number, line in enumerate(lines):
        y = top + number * line_height
        if centred:
            draw_text(surface, look, font, line, (rect.centerx, y), colour, anchor="midtop")
        else:
            draw_text(surface, look, font, line, (rect.x, y), colour)
    return len(lines)


def paragraph_height(font: pygame.font.Font, text: str, width: int) -> int:
    """How tall `text` is when wrapped to `width` pixels."""
    return max(1, len(wrap_text(font, text, width))) * font.get_linesize()


def draw_panel(surface: pygame.Surface, look: Look, rect: pygame.Rect) -> None:
    """A rounded panel behind a group of controls."""
    radius = look.px(8)
    pygame.draw.rect(surface, PANEL, rect, border_radius=radius)
    pygame.draw.rect(surface, PANEL_BORDER, rect, width=1, border_radius=radius)
