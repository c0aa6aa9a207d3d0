"""Break it: damage the drawing on purpose (noise, rotation, shift, thickness, blur) and watch the guess.

Five sliders damage the canvas drawing as the network sees it (mling/damage.py, about a millisecond
for all five), and the guess under the damaged picture follows the slider while it is dragged.
Beside them, one curve per kind of damage: how many of the model's held-out drawings (the ones it
never learned from, run.Model.val_ids) it still reads right at each strength, measured in the
background (about half a second for 1,200 drawings) whenever the model changes. A dot on each curve
marks where its slider is. Save curves writes them as a PNG to figures/ next to data.json.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pygame

from mling import damage
from window import theme
from window.background import Background
from window.buttons import insight
from window.figures import figure_stamp
from window.layout import Flex, columns, right_to_left, rows
from window.prediction_panel import PredictionPanel
from window.preview_panel import PreviewPanel
from window.session import FiguresFailed, FiguresSaved, ModelLoaded
from window.slider import Slider
from window.status_line import ERROR, SUCCESS, WARNING
from window.tabs.tab import DrawingTab
from window.words import count

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

GAP, COLUMN_GAP = 8, 20                      # design pixels
HEADINGS = ("Break it: how much damage can it take?", "Break it")
INTRO = ("Damage your drawing with the sliders and watch the guess. The curves show how many of the drawings "
         "it never learned from it still gets right at each amount of damage.")
APPLY_ORDER = ("thickness", "blur", "rotation", "shift", "noise")    # the pen first, the noise on top
NAMES = {"noise": "Noise", "rotation": "Rotation", "shift": "Shift", "thickness": "Thickness", "blur": "Blur"}
STEPS = {"noise": 0.01, "rotation": 1.0, "shift": 0.5, "thickness": 0.25, "blur": 0.1}


def describe(kind: str, value: float) -> str:
    """A slider's value in words: "12% of pixels", "30° turned", "2 px right", "+1 px", "1.5 px"."""
    if kind == "noise":
        return f"{value:.0%} of pixels" if value else "none"
    if kind == "rotation":
        return f"{value:.0f}° turned" if value else "none"
    if kind == "shift":
        return f"{value:g} px right" if value else "none"
    if kind == "thickness":
        return "none" if value == 0 else (f"{value:+g} px" if value > 0 else f"{-value:g} px thinner")
    return f"{value:.1f} px" if value else "none"


def damage_image(image: np.ndarray, strengths: dict[str, float]) -> np.ndarray:
    """The (28, 28) image with every damage whose strength is not zero, in APPLY_ORDER."""
    by_name = {kind.name: kind for kind in damage.DAMAGES}
    damaged = np.asarray(image, dtype=np.float32)
    for name in APPLY_ORDER:
        if strengths.get(name, 0.0):
            damaged = by_name[name].apply(damaged, strengths[name])
    return damaged


class RobustnessTab(DrawingTab):
    title, short_title = "Break it", "Break"
    tooltip = "Damage the drawing (noise, turn, shift, pen, blur) and see when the network stops reading it"
    arrival = "Break it: drag the sliders to damage your drawing and watch the guess. Esc goes back"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.strengths = {kind.name: 0.0 for kind in damage.DAMAGES}
        self.sliders = [Slider(NAMES[kind.name], min(kind.strengths), max(kind.strengths), STEPS[kind.name], 0.0,
                               lambda value, name=kind.name: describe(name, value),
                               lambda value, name=kind.name: self.set_strength(name, value),
                               tooltip=kind.unit) for kind in damage.DAMAGES]
        self.reset_button = insight.RESET_DAMAGE.button(self)
        self.save_button = insight.SAVE_CURVES.button(self)
        self.buttons = [*self.panel.buttons, self.reset_button, self.save_button]
        self.preview = PreviewPanel()
        self.prediction_panel = PredictionPanel()
        self.rects: dict[str, pygame.Rect] = {}
        self.chart_rects: list[pygame.Rect] = []
        self.curves: list[damage.Curve] | None = None
        self.curves_for = None                   # the model the curves were measured for
        self.curves_problem = ""
        self.measuring = Background("damage-curves")
        self.saving = Background("damage-figure")
        self.damaged: np.ndarray | None = None
        self.prediction = None
        self._damage_key = None

    @property
    def animating(self) -> bool:
        return super().animating or self.measuring.busy

    # --- layout --------------------------------------------------------------------------------
    def lay_out(self, area: pygame.Rect, look: theme.Look) -> None:
        super().lay_out(area, look)
        gap, column_gap = look.px(GAP), look.px(COLUMN_GAP)
        right = self.panel.lay_out_beside(area, look, 500, column_gap)
        intro_height = theme.paragraph_height(look.small, INTRO, right.width)
        top, intro, body = rows(right, [look.px(32), intro_height, Flex()], gap)
        widths = [look.body_bold.size(button.label)[0] + look.px(24)
                  for button in (self.save_button, self.reset_button)]
        self.save_button.rect, self.reset_button.rect = right_to_left(top, widths, look.px(10))
        heading = pygame.Rect(top.x, top.y, self.reset_button.rect.x - look.px(10) - top.x, top.height)
        controls_width = max(look.px(200), min(look.px(300), round(body.width * 0.42)))
        controls, curves = columns(body, [controls_width, Flex()], column_gap)
        slider_height = Slider.height(look)
        line = look.small.get_linesize()
        answer_height = max(look.px(56), min(look.px(76), body.height // 7))
        bars_height = max(look.px(44), min(look.px(70), body.height // 8))
        small_gap = look.px(4)
        *slider_rects, rest = rows(controls, [*[slider_height] * len(self.sliders), Flex()], small_gap)
        for slider, rect in zip(self.sliders, slider_rects):
            slider.lay_out(rect, look)
        caption_height = line
        if rest.height - line - answer_height - bars_height - 3 * small_gap < 3 * 28:
            bars_height = max(look.px(36), rest.height - line - answer_height - 3 * small_gap - 3 * 28)
            if rest.height - line - answer_height - bars_height - 3 * small_gap < 3 * 28:
                caption_height = 0                           # no room for the caption: the picture says it
        caption, picture, answer, bars = rows(rest, [caption_height, Flex(), answer_height, bars_height], small_gap)
        preview_side = max(28, min(picture.width, picture.height) // 28 * 28)
        preview = pygame.Rect(0, 0, preview_side, preview_side)
        preview.center = picture.center
        self.preview.place(preview)
        self.prediction_panel.place(answer, bars)
        curves_title, chart_area = rows(curves, [look.body_bold.get_linesize() + line, Flex()], look.px(4))
        self.chart_rects = rows(chart_area, [Flex()] * len(damage.DAMAGES), look.px(6))
        self.rects = {"break heading": heading, "intro": intro, "damaged caption": caption, "damaged": preview,
                      "answer": answer, "bars": bars, "curves title": curves_title}
        if not caption.height:
            del self.rects["damaged caption"]

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [*self.panel.named_rects(), *self.rects.items(), ("no damage", self.reset_button.rect),
                 ("save curves", self.save_button.rect)]
        named += [(f"slider {slider.name}", slider.rect) for slider in self.sliders]
        return named + [(f"curve {kind.name}", rect) for kind, rect in zip(damage.DAMAGES, self.chart_rects)]

    # --- actions -------------------------------------------------------------------------------
    def set_strength(self, name: str, value: float) -> None:
        self.strengths[name] = float(value)

    def reset(self) -> None:
        for slider in self.sliders:
            slider.value = slider.snap(0.0)
        self.strengths = {name: 0.0 for name in self.strengths}
        self.session.say("No damage: the drawing is as you drew it")

    def save_curves(self) -> None:
        """Write the damage curves as a PNG in the figures folder, in the background."""
        session = self.session
        if self.saving.busy:
            session.say("Still saving the last picture…")
            return
        if not self.curves:
            session.say("Nothing to save yet: the curves need a trained model (T) and a moment to measure",
                        WARNING)
            return
        folder = session.figures_folder
        path = folder / f"{figure_stamp()}-damage-curves.png"
        curves = list(self.curves)

        def work():
            folder.mkdir(parents=True, exist_ok=True)
            damage.save_damage_figure(curves, path)
            return path
        self.saving.start(work)
        session.say("Saving the damage curves in the background…")

    def start_measuring(self) -> None:
        """Measure the curves for the loaded model on its held-out drawings, in the background."""
        session = self.session
        model = session.predictor.model
        self.curves_for, self.curves = model, None
        if model is None:
            self.curves_problem = "No trained model yet: press T to train, then the curves appear here"
            return
        catalog = session.catalog()
        ids, _ = session.held_out_ids()
        positions = catalog.positions_of(ids) if catalog is not None else np.zeros(0, np.int64)
        if not len(positions):
            self.curves_problem = "No held-out drawings to test on: save more drawings of every digit and train"
            return
        X = catalog.images(positions).reshape(len(positions), 784).astype(np.float32) / 255.0
        y = catalog.labels[positions].copy()
        params = model.params.copy()
        self.curves_problem = f"Measuring on {count(len(y), 'drawing')} it never learned from…"
        self.measuring.start(lambda: damage.damage_curves(params, X, y), tag=model)

    # --- events --------------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        for button in (self.reset_button, self.save_button):
            if button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                return True
        for slider in self.sliders:
            if slider.handle_event(event):
                return True
        if self.prediction_panel.handle_event(event, self.session):
            return True
        return self.panel.handle_event(event)

    def notice(self, event) -> None:
        super().notice(event)
        if isinstance(event, ModelLoaded):
            self.curves_for = None                   # measured again for the new model when shown

    def shown(self) -> None:
        if self.curves_for is not self.session.predictor.model or (self.curves is None and not self.measuring.busy):
            self.start_measuring()

    def hidden(self) -> None:
        super().hidden()
        for slider in self.sliders:
            slider.forget_mouse()

    # --- update and draw -----------------------------------------------------------------------
    def update(self, dt: float) -> None:
        session = self.session
        self.panel.update()
        self.reset_button.enabled = any(self.strengths.values())
        self.save_button.enabled = bool(self.curves) and not self.saving.busy
        finished = self.measuring.poll()
        if finished is not None and finished.tag is self.curves_for:
            if finished.error:
                self.curves_problem = f"Could not measure the curves: {finished.error}"
            else:
                self.curves, self.curves_problem = finished.result, ""
        if self.curves_for is not session.predictor.model and not self.measuring.busy:
            self.start_measuring()
        saved = self.saving.poll()
        if saved is not None:
            if saved.error:
                session.say(f"Could not save the damage curves in {session.figures_folder}: {saved.error}", ERROR)
                session.announce(FiguresFailed(saved.error))
            else:
                session.say(f"Saved the damage curves in the figures folder next to {session.data_path.name}: "
                            f"{saved.result.name}", SUCCESS)
                session.announce(FiguresSaved([saved.result]))
        image = session.current_image()
        key = (image, session.predictor.model, tuple(self.strengths.values()))
        old = self._damage_key
        if old is None or key[0] is not old[0] or key[1] is not old[1] or key[2] != old[2]:
            self._damage_key = key
            self.damaged = None if image is None else damage_image(image, self.strengths)
            self.prediction = None if self.damaged is None else session.predictor.predict(self.damaged)

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        rects = self.rects
        self.panel.draw(surface, look)
        heading = rects["break heading"]
        theme.draw_text(surface, look, look.heading, theme.first_that_fits(look.heading, HEADINGS, heading.width),
                        heading.midleft, anchor="midleft", max_width=heading.width)
        self.reset_button.draw(surface, look)
        self.save_button.draw(surface, look)
        theme.draw_paragraph(surface, look, look.small, INTRO, rects["intro"], theme.MUTED_TEXT)
        for slider in self.sliders:
            slider.draw(surface, look)
        caption = rects.get("damaged caption")
        if caption is not None:
            theme.draw_text(surface, look, look.small, theme.first_that_fits(
                look.small, ("What the network sees, damaged", "Damaged", ""), caption.width), caption.midtop,
                theme.MUTED_TEXT, anchor="midtop")
        self.preview.draw(surface, look, self.damaged if self.damaged is not None else np.zeros((28, 28), np.float32))
        hint = ("Draw a digit, then drag a slider" if self.session.canvas.is_blank()
                else self.session.predictor.hint or "Press Run (Enter) to ask the network")
        self.prediction_panel.draw(surface, look, self.prediction, hint)
        self._draw_curves(surface, look)

    def _draw_curves(self, surface: pygame.Surface, look: theme.Look) -> None:
        title = self.rects["curves title"]
        said = theme.draw_text(surface, look, look.body_bold, "Right on its test drawings", title.topleft,
                               max_width=title.width)
        curves = self.curves
        if curves:
            drawings = count(curves[0].count, 'drawing')
            details = (f"{drawings} it never learned from, by amount of damage", f"{drawings} it never learned from",
                       f"{drawings} held back", "held back")
        else:
            details = (self.curves_problem, "Measuring…" if self.measuring.busy else "", "")
        theme.draw_text(surface, look, look.small, theme.first_that_fits(look.small, details, title.width),
                        (title.x, said.bottom), theme.MUTED_TEXT if curves else theme.WARNING, max_width=title.width)
        for number, (kind, rect) in enumerate(zip(damage.DAMAGES, self.chart_rects)):
            curve = curves[number] if curves else None
            draw_damage_chart(surface, look, rect, NAMES[kind.name], curve, self.strengths[kind.name],
                              lambda value, name=kind.name: axis_label(name, value))


def draw_damage_chart(surface: pygame.Surface, look: theme.Look, rect: pygame.Rect, name: str,
                      curve: damage.Curve | None, value: float, label: Callable[[float], str]) -> None:
    """One kind of damage: its name and the accuracy at the slider's value on the left, the curve on the right."""
    theme.draw_panel(surface, look, rect)
    pad = look.px(6)
    line = look.small.get_linesize()
    label_width = max(look.body_bold.size("Thickness")[0], look.small.size("100% right")[0]) + look.px(8)
    name_rect = theme.draw_text(surface, look, look.body_bold, name, (rect.x + pad, rect.y + pad))
    accuracy = None
    if curve is not None and curve.count:
        accuracy = float(np.interp(value, curve.strengths, curve.accuracies))
        colour = theme.SUCCESS if accuracy >= 0.8 else (theme.WARNING if accuracy >= 0.5 else theme.ERROR)
        if name_rect.bottom + line <= rect.bottom - pad:
            theme.draw_text(surface, look, look.small, f"{accuracy:.0%} right", (rect.x + pad, name_rect.bottom),
                            colour)
    axis_width = look.small.size("100%")[0] + look.px(4)
    plot = pygame.Rect(rect.x + pad + label_width + axis_width, rect.y + pad + line // 2,
                       rect.right - pad - look.px(4) - (rect.x + pad + label_width + axis_width), 0)
    plot.height = max(1, rect.bottom - pad - line - plot.y)
    if plot.width < look.px(40) or plot.height < look.px(12):
        return
    for share, text in ((0.0, "0%"), (1.0, "100%")):
        y = round(plot.bottom - share * plot.height)
        pygame.draw.line(surface, theme.PANEL_BORDER, (plot.x, y), (plot.right, y))
        theme.draw_text(surface, look, look.small, text, (plot.x - look.px(4), y), theme.MUTED_TEXT,
                        anchor="midright")
    if curve is None or not curve.count:
        return
    low, high = float(curve.strengths.min()), float(curve.strengths.max())

    def x_of(strength: float) -> float:
        return plot.x + (strength - low) / (high - low) * plot.width if high > low else plot.x

    theme.draw_text(surface, look, look.small, label(low), (plot.x, plot.bottom), theme.MUTED_TEXT)
    theme.draw_text(surface, look, look.small, label(high), (plot.right, plot.bottom), theme.MUTED_TEXT,
                    anchor="topright")
    points = [(x_of(s), plot.bottom - a * plot.height) for s, a in zip(curve.strengths, curve.accuracies)
              if math.isfinite(a)]
    if len(points) >= 2:
        pygame.draw.lines(surface, theme.ACCENT, False, points, max(2, look.px(2)))
    x = x_of(min(max(value, low), high))
    pygame.draw.line(surface, theme.WARNING, (x, plot.top), (x, plot.bottom), 1)
    if accuracy is not None:
        pygame.draw.circle(surface, theme.WARNING, (x, plot.bottom - accuracy * plot.height), look.px(4))


def axis_label(kind: str, value: float) -> str:
    """The ends of a curve's x axis: "0%" and "50%" of the pixels, "90°", "8 px"."""
    if kind == "noise":
        return f"{value:.0%}"
    if kind == "rotation":
        return f"{value:g}°"
    if value == 0:
        return "0"
    return f"{value:+g} px" if kind == "thickness" else f"{value:g} px"
