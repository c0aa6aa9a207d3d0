"""Old or new model? After a training run, in plain words, with undo.

mling.model_files' rule decides first: the new model replaces the old one only if it is at least
as accurate on the same held-out drawings (drawings neither of them learned from). When the rule
kept the old one, the window says so and asks: "Keep the new one, 94.8%" or "Keep the old one,
97.2%". Both models stay on disk whatever is chosen (the other one beside model_params.npz), so
every click can be undone; the run log (runs.jsonl) follows each choice (run_log.set_kept).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from mling import model_files, run_log
from mling.network import ModelFileError
from window import theme
from window.buttons import training
from window.layout import columns, rows
from window.status_line import ERROR, INFO, SUCCESS

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

WIDTH = 700                      # design pixels (smaller windows get a narrower box)


def percent(value: float, other: float | None) -> str:
    """94.8%, with one more digit when the two would look the same (97.17% against 97.25%)."""
    digits = 1 if other is None or f"{value:.1%}" != f"{other:.1%}" else 2
    return f"{value:.{digits}%}"


@dataclass
class ModelChoice:
    """Which of two models is in use after a run, and the choices made since (for Undo)."""
    choice: model_files.Choice
    run_id: str | None = None                       # the run's entry in runs.jsonl
    earlier: list[model_files.Choice] = field(default_factory=list)
    made: model_files.Choice | None = None          # the rule's own choice, before any click

    def __post_init__(self) -> None:
        self.made = self.made or self.choice

    @property
    def comparison(self) -> model_files.Comparison:
        return self.choice.comparison

    @property
    def can_choose(self) -> bool:
        """There is another model to switch to, and both were scored on the same drawings."""
        return (self.choice.other_path is not None and self.comparison is not None
                and self.comparison.old_accuracy is not None)

    def scores(self) -> tuple[str, str]:
        """("94.8%", "97.2%"): the new and the old model's accuracy, as the buttons show them."""
        new, old = self.comparison.new_accuracy, self.comparison.old_accuracy
        return percent(new, old), percent(old, new)

    def switch(self, which: str, data_path) -> str | None:
        """Put the `which` ("new" or "old") model in use; None, or one line saying why not."""
        if self.choice.kept == which:
            return None
        try:
            switched = model_files.keep_new(self.choice) if which == "new" else model_files.keep_old(self.choice)
        except (ModelFileError, OSError) as error:
            return f"Could not switch the models: {error}"
        self.earlier.append(self.choice)
        self.choice = switched
        return self._log(data_path)

    def undo(self, data_path) -> str | None:
        """Go back to the model in use before the last switch."""
        if not self.earlier:
            return None
        try:
            switched = model_files.undo(self.choice)
        except (ModelFileError, OSError) as error:
            return f"Could not switch the models: {error}"
        self.earlier.pop()
        self.choice = switched
        return self._log(data_path)

    def _log(self, data_path) -> str | None:
        """The run log follows: is this run's model the one in use, and where is it if not."""
        if self.run_id is None:
            return None
        kept = self.choice.kept == "new"
        note = run_log.set_kept(run_log.log_path(data_path), self.run_id, kept,
                                None if kept or self.choice.other_path is None else str(self.choice.other_path))
        return None if note is None else f"Switched the models, but {note}"

    def describe(self) -> str:
        """What is in use now, in one line for the status bar."""
        new, old = self.scores()
        name = self.choice.model_path.name
        other = self.choice.other_path.name if self.choice.other_path is not None else "beside it"
        if self.choice.kept == "new":
            return f"Using the new model ({new}) in {name}; the old one ({old}) is kept as {other}"
        return f"Using the old model ({old}) in {name}; the new one ({new}) is kept as {other}"


class ModelChoiceDialog:
    """Keep the new model or the old one, with both accuracies on its buttons, Undo and Done."""

    def __init__(self, session: Session, state: ModelChoice) -> None:
        self.session = session
        self.state = state
        self.open = True
        self.new_button = training.KEEP_NEW.button(self)
        self.old_button = training.KEEP_OLD.button(self)
        self.undo_button = training.UNDO_CHOICE.button(self)
        self.done_button = training.CHOICE_DONE.button(self)
        self.buttons = [self.new_button, self.old_button, self.undo_button, self.done_button]
        self.problem = ""
        self.window_rect = self.panel = pygame.Rect(0, 0, 0, 0)
        self.rects: dict[str, pygame.Rect] = {}
        self._shade: pygame.Surface | None = None
        self._label_buttons()

    def _label_buttons(self) -> None:
        new, old = self.state.scores()
        self.new_button.label, self.old_button.label = f"Keep the new one, {new}", f"Keep the old one, {old}"
        for button, which in ((self.new_button, "new"), (self.old_button, "old")):
            in_use = self.state.choice.kept == which
            button.active = in_use
            button.subtitle = "in use now" if in_use else "click to use it"
        self.undo_button.enabled = bool(self.state.earlier)

    # --- what the buttons do ---
    def keep(self, which: str) -> None:
        self._after(self.state.switch(which, self.session.data_path))

    def undo(self) -> None:
        self._after(self.state.undo(self.session.data_path))

    def _after(self, problem: str | None) -> None:
        self.problem = problem or ""
        self._label_buttons()
        loaded = self.session.reload_model()               # predictions and every tab use it from now on
        if loaded.kind not in (SUCCESS, INFO):
            self.session.status.show(loaded)
            return
        self.session.say(problem or self.state.describe(), ERROR if problem else SUCCESS)

    def close(self) -> None:
        self.open = False

    # --- words ---
    def title(self) -> str:
        comparison = self.state.comparison
        return "The new model is less accurate" if comparison.new_is_worse else "The new model is at least as good"

    def explanation(self) -> str:
        state, comparison = self.state, self.state.comparison
        new, old = state.scores()
        drawings = f"{comparison.count:,} drawing{'' if comparison.count == 1 else 's'}"
        test = (f"Both were tested on the same {drawings} that neither of them learned from: the new one got "
                f"{new} right, the old one {old}.")
        if comparison.old_may_have_seen:
            test += " The old one may have learned from some of them."
        if state.choice.kept == "old":
            now = "The old one is in use; the new one is saved beside it, so you can still choose it."
        else:
            now = "The new one is in use; the old one is saved beside it, so you can go back to it."
        return f"{test} {now}"

    # --- layout, events, draw ---
    def lay_out(self, window_rect: pygame.Rect, look: theme.Look) -> None:
        self.window_rect = pygame.Rect(window_rect)
        width = min(look.px(WIDTH), window_rect.width - look.px(40))
        pad = look.px(24)
        text_width = width - 2 * pad
        longest = "The old one is in use; the new one is saved beside it, so you can still choose it."
        text_height = theme.paragraph_height(look.body, self.explanation().replace(
            "The new one is in use; the old one is saved beside it, so you can go back to it.", longest), text_width)
        choice_height = look.px(58)
        heights = [look.heading.get_linesize(), text_height, choice_height, look.small.get_linesize(), look.px(38)]
        height = 2 * pad + sum(heights) + 4 * look.px(14)
        self.panel = pygame.Rect(0, 0, width, min(height, window_rect.height - look.px(20)))
        self.panel.center = self.window_rect.center
        title, text, choices, problem, bottom = rows(self.panel.inflate(-2 * pad, -2 * pad), heights, look.px(14))
        self.new_button.rect, self.old_button.rect = columns(choices, [text_width // 2 - look.px(8)] * 2, look.px(16))
        widths = [max(look.body_bold.size(button.label)[0] + look.px(32), look.px(110))
                  for button in (self.undo_button, self.done_button)]
        self.undo_button.rect = pygame.Rect(bottom.x, bottom.y, widths[0], bottom.height)
        self.done_button.rect = pygame.Rect(bottom.right - widths[1], bottom.y, widths[1], bottom.height)
        self.rects = {"choice title": title, "choice text": text, "choice problem": problem}
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [*self.rects.items(), *((f"button {button.label}", button.rect) for button in self.buttons)]

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Every event is the dialog's while it is open (nothing behind it reacts)."""
        for button in self.buttons:
            if button.enabled and button.handle_event(event) and event.type != pygame.MOUSEMOTION:
                break
        return True

    def update(self, dt: float, look: theme.Look) -> None:
        pass

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, look, self.panel)
        rects = self.rects
        title = rects["choice title"]
        colour = theme.WARNING if self.state.comparison.new_is_worse else theme.SUCCESS
        theme.draw_text(surface, look, look.heading, self.title(), title.topleft, colour, max_width=title.width)
        theme.draw_paragraph(surface, look, look.body, self.explanation(), rects["choice text"])
        if self.problem:
            theme.draw_text(surface, look, look.small, self.problem, rects["choice problem"].topleft, theme.ERROR,
                            max_width=rects["choice problem"].width)
        for button in self.buttons:
            button.draw(surface, look)
