"""The Button every button module builds: a rect, a label, hotkeys, a tooltip and a callback.

A Button never knows what a click does; whoever creates it passes the callback. It fires when the
left mouse button is pressed and released over it, or when one of its hotkeys is pressed. It reads
everything from the event itself (event.pos, event.button, event.key, event.mod), so the headless
tests can drive it with posted events.
"""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window import theme

# A hotkey is written the way the help overlay shows it: "C", "Backspace", "Ctrl+Z", "F1", "Keypad 3".
# pygame.key.key_code() understands SDL's key names ("c", "backspace", "f1", "keypad 3", "return").
DISPLAY_NAMES = {"Escape": "Esc", "Return": "Enter", "Keypad Enter": "Enter"}  # what the keycaps say


def parse_hotkey(name: str) -> tuple[int, bool]:
    """"Ctrl+Z" -> (pygame.K_z, True). Raises ValueError for a name pygame does not know."""
    needs_ctrl = name.lower().startswith("ctrl+")
    key_name = name[5:] if needs_ctrl else name
    return pygame.key.key_code(key_name.lower()), needs_ctrl


def hotkey_matches(name: str, event: pygame.event.Event) -> bool:
    """True when the KEYDOWN `event` is the hotkey `name` (Ctrl must be held exactly when asked).

    A one-character hotkey ("7", "[", "C") matches the character typed when there is one, so it
    works on every keyboard layout (AZERTY: Shift + & types "1"; German: AltGr + 8 types "[").
    Named keys ("Backspace", "F1", "Ctrl+Z", "Keypad 3") match the key itself.
    """
    key, needs_ctrl = parse_hotkey(name)
    if bool(getattr(event, "mod", 0) & pygame.KMOD_CTRL) != needs_ctrl:
        return False
    typed = getattr(event, "unicode", "")
    if len(name) == 1 and typed.isprintable() and typed.strip():
        return typed.lower() == name.lower()
    return event.key == key


class Button:
    """A clickable rectangle with a label; `callback()` runs on click or hotkey."""

    def __init__(self, rect: pygame.Rect | tuple, label: str, callback: Callable[[], None],
                 hotkeys: tuple[str, ...] = (), tooltip: str = "",
                 font_name: str = "body_bold") -> None:
        self.rect = pygame.Rect(rect)
        self.label = label
        self.callback = callback
        self.hotkeys = hotkeys
        self.tooltip = tooltip
        self.font_name = font_name      # which Fonts attribute draws the label
        self.enabled = True             # drawn dimmed when False; the callback still explains why
        self.active = False             # drawn highlighted when True (a toggle that is on)
        self.flash = False              # drawn with a green border when True ("this just happened")
        self.hovered = False
        self.pressed = False
        self.subtitle = ""              # optional second line (the label buttons show their counts)

    def __repr__(self) -> str:
        return f"Button({self.label!r}, hotkeys={self.hotkeys}, rect={tuple(self.rect)})"

    def keys_text(self) -> str:
        """The hotkeys as the help and tooltips show them: "C or Backspace" (keypad twins left out)."""
        names = [DISPLAY_NAMES.get(name, name) for name in self.hotkeys if not name.startswith("Keypad")]
        return " or ".join(dict.fromkeys(names))    # dict.fromkeys: drop repeats, keep the order

    def tooltip_text(self) -> str:
        """The tooltip with its shortcut, e.g. "Wipe the canvas (C or Backspace)"."""
        keys = self.keys_text()
        return f"{self.tooltip} ({keys})" if keys else self.tooltip

    def click(self) -> None:
        """Run the action, exactly as a mouse click would."""
        self.callback()

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
        elif event.type == pygame.KEYDOWN:
            if any(hotkey_matches(name, event) for name in self.hotkeys):
                self.click()
                return True
        return False

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
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
        pygame.draw.rect(surface, colour, self.rect, border_radius=6)
        if self.flash:
            pygame.draw.rect(surface, theme.SUCCESS, self.rect, width=3, border_radius=6)
        else:
            border = theme.ACCENT if (self.active and self.enabled) else theme.PANEL_BORDER
            pygame.draw.rect(surface, border, self.rect, width=1, border_radius=6)

        text_colour = theme.TEXT if self.enabled else theme.MUTED_TEXT
        font = getattr(fonts, self.font_name)
        if self.subtitle:
            theme.draw_text(surface, fonts, font, self.label,
                            (self.rect.centerx, self.rect.centery - 2), text_colour,
                            max_width=self.rect.width - 6, anchor="midbottom")
            theme.draw_text(surface, fonts, fonts.small, self.subtitle,
                            (self.rect.centerx, self.rect.centery + 2), theme.MUTED_TEXT,
                            max_width=self.rect.width - 6, anchor="midtop")
        else:
            theme.draw_text(surface, fonts, font, self.label, self.rect.center, text_colour,
                            max_width=self.rect.width - 8, anchor="center")
