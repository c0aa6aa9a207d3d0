"""A button is one row of data (an Action: label, hotkeys, tooltip, what it does), and a Button draws it.

An Action is written once, in the module of window/buttons/ for what it acts on (drawing.py,
training.py, samples.py, navigation.py). A tab turns it into a Button with action.button(context):
the context is what the action works on (the Session, or the tab for a tab's own actions), and the
Button never knows what a click does. The help overlay lists the same rows, so a new button shows
up in the help by itself.

A Button fires when the left mouse button is pressed and released over it, or when one of its
hotkeys is pressed. It reads everything from the event itself (event.pos, event.button,
event.key, event.mod), so the headless tests can drive it with posted events.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pygame

from window import theme

# A hotkey is written the way the help overlay shows it: "C", "Backspace", "Ctrl+Z", "F1", "Keypad 3".
# pygame.key.key_code() understands SDL's key names ("c", "backspace", "f1", "keypad 3", "return").
DISPLAY_NAMES = {"Escape": "Esc", "Return": "Enter", "Keypad Enter": "Enter"}  # what the keycaps say


def parse_hotkey(name: str) -> tuple[int, bool, bool]:
    """"Ctrl+Z" -> (pygame.K_z, True, False); "Shift+Tab" -> (pygame.K_TAB, False, True).

    Raises ValueError for a name pygame does not know.
    """
    needs_ctrl = needs_shift = False
    key_name = name
    while True:
        if key_name.lower().startswith("ctrl+") and len(key_name) > 5:
            needs_ctrl, key_name = True, key_name[5:]
        elif key_name.lower().startswith("shift+") and len(key_name) > 6:
            needs_shift, key_name = True, key_name[6:]
        else:
            return pygame.key.key_code(key_name.lower()), needs_ctrl, needs_shift


def hotkey_matches(name: str, event: pygame.event.Event) -> bool:
    """True when the KEYDOWN `event` is the hotkey `name` (Ctrl must be held exactly when asked).

    A one-character hotkey ("7", "[", "C") matches the character typed when there is one, so it
    works on every keyboard layout (AZERTY: Shift + & types "1"; German: AltGr + 8 types "[").
    Named keys ("Backspace", "F1", "Ctrl+Z", "Keypad 3") match the key itself; "Shift+" in the
    name asks for Shift, and Tab without it is not Shift+Tab.
    """
    key, needs_ctrl, needs_shift = parse_hotkey(name)
    mod = getattr(event, "mod", 0)
    if bool(mod & pygame.KMOD_CTRL) != needs_ctrl:
        return False
    typed = getattr(event, "unicode", "")
    if len(name) == 1 and typed.isprintable() and typed.strip():
        return typed.lower() == name.lower()
    if needs_shift and not mod & pygame.KMOD_SHIFT:
        return False
    if key == pygame.K_TAB and not needs_shift and mod & pygame.KMOD_SHIFT:
        return False
    return event.key == key


def keys_text(hotkeys: tuple[str, ...]) -> str:
    """Hotkeys as the help and tooltips show them: "C or Backspace" (keypad twins left out)."""
    names = [DISPLAY_NAMES.get(name, name) for name in hotkeys if not name.startswith("Keypad")]
    return " or ".join(dict.fromkeys(names))    # dict.fromkeys: drop repeats, keep the order


@dataclass(frozen=True)
class Action:
    """One button as data. `do(context)` is what it does; the tab that shows it gives the context.

    help_keys: how the help overlay names the keys when the hotkeys alone do not say it ("0 – 9"
    for the ten digit buttons; "" leaves the row out of the help, e.g. digits 1 to 9);
    help_text: what the help says they do, when that is not "label: tooltip".
    """
    label: str
    hotkeys: tuple[str, ...]
    tooltip: str
    do: Callable[[Any], None]
    help_keys: str | None = None
    font_name: str = "body_bold"
    help_text: str | None = None

    def keys_text(self) -> str:
        return keys_text(self.hotkeys) if self.help_keys is None else self.help_keys

    def button(self, context: Any) -> Button:
        """A Button that runs this action on `context`; its rect is set when the tab lays itself out."""
        button = Button(pygame.Rect(0, 0, 0, 0), self.label, lambda: self.do(context), self.hotkeys,
                        self.tooltip, self.font_name, action=self)
        if self.help_text is not None:
            button.help_row = (self.keys_text(), self.help_text)
        return button


class Button:
    """A clickable rectangle with a label; `callback()` runs on click or hotkey."""

    def __init__(self, rect: pygame.Rect | tuple, label: str, callback: Callable[[], None],
                 hotkeys: tuple[str, ...] = (), tooltip: str = "",
                 font_name: str = "body_bold", action: Action | None = None) -> None:
        self.rect = pygame.Rect(rect)
        self.label = label
        self.callback = callback
        self.hotkeys = hotkeys
        self.tooltip = tooltip
        self.font_name = font_name      # which Look attribute draws the label
        self.action = action            # the row this button was made from (the help overlay reads it)
        self.enabled = True             # drawn dimmed when False; the callback still explains why
        self.active = False             # drawn highlighted when True (a toggle that is on)
        self.flash = False              # drawn with a green border when True ("this just happened")
        self.hovered = False
        self.pressed = False
        self.subtitle = ""              # optional second line (the save buttons show their counts)
        self.help_row: tuple[str, str] | None = None   # (keys, text) for the help instead of its own; ("", "") hides it

    def __repr__(self) -> str:
        return f"Button({self.label!r}, hotkeys={self.hotkeys}, rect={tuple(self.rect)})"

    def keys_text(self) -> str:
        return keys_text(self.hotkeys)

    def help_keys(self) -> str:
        """How the help overlay names this button's keys ("" leaves it out of the help)."""
        if self.help_row is not None:
            return self.help_row[0]
        return self.action.keys_text() if self.action is not None else self.keys_text()

    def tooltip_text(self) -> str:
        """The tooltip with its shortcut, e.g. "Wipe the canvas (C or Backspace)"."""
        keys = self.keys_text() or self.help_keys()
        return f"{self.tooltip} ({keys})" if keys else self.tooltip

    def click(self) -> None:
        """Run the action, exactly as a mouse click would."""
        self.callback()

    def forget_mouse(self) -> None:
        """The button is hidden: it is no longer under the mouse or held down."""
        self.hovered = self.pressed = False

    def handle_event(self, event: pygame.event.Event) -> bool:
        """React to one event; True when the button used it (so nobody else should)."""
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.rect.collidepoint(event.pos):
                self.pressed = True
                return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            was_pressed, self.pressed = self.pressed, False
            if was_pressed and self.rect.collidepoint(event.pos):
                self.click()
                return True
        elif event.type == pygame.KEYDOWN and any(hotkey_matches(name, event) for name in self.hotkeys):
            self.click()
            return True
        return False

    def label_fits(self, look: theme.Look) -> bool:
        """True if the label (and the subtitle, if any) fit inside the button."""
        font = getattr(look, self.font_name)
        room = self.rect.width - look.px(8)
        return font.size(self.label)[0] <= room and look.small.size(self.subtitle)[0] <= room

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        """Draw the button's box and label in its current state (hovered, pressed, on, dimmed)."""
        if not self.enabled:
            colour = theme.BUTTON_DISABLED
        elif self.pressed:
            colour = theme.BUTTON_PRESSED
        elif self.active:
            colour = theme.BUTTON_ACTIVE
        elif self.hovered:
            colour = theme.BUTTON_HOVER
        else:
            colour = theme.BUTTON
        radius = look.px(6)
        pygame.draw.rect(surface, colour, self.rect, border_radius=radius)
        if self.flash:
            pygame.draw.rect(surface, theme.SUCCESS, self.rect, width=look.px(3), border_radius=radius)
        else:
            border = theme.ACCENT if (self.active and self.enabled) else theme.PANEL_BORDER
            pygame.draw.rect(surface, border, self.rect, width=1, border_radius=radius)

        text_colour = theme.TEXT if self.enabled else theme.MUTED_TEXT
        font = getattr(look, self.font_name)
        room = self.rect.width - look.px(6)
        if self.subtitle:                 # two lines, together centred in the button
            top = self.rect.centery - (font.get_height() + look.small.get_height()) // 2
            label = theme.draw_text(surface, look, font, self.label, (self.rect.centerx, top), text_colour,
                                    max_width=room, anchor="midtop")
            theme.draw_text(surface, look, look.small, self.subtitle, (self.rect.centerx, label.bottom),
                            theme.MUTED_TEXT, max_width=room, anchor="midtop")
        else:
            theme.draw_text(surface, look, font, self.label, self.rect.center, text_colour,
                            max_width=room, anchor="center")
