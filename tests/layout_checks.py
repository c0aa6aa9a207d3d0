"""What every layout test checks: the texts a frame drew, and whether they are cut, outside the
window or on top of each other; and whether every button's label fits its button."""
from __future__ import annotations

import pygame
from window_driver import WindowDriver

from window import theme
from window.layout import problems

SIZES = [(800, 600), (1024, 768), (1100, 700), (1280, 800), (1366, 768), (1280, 1024), (1920, 1080),
         (2560, 1080), (2560, 1440), (3840, 2160)]


def drawn(driver: WindowDriver, part=None) -> theme.Look:
    """One frame drawn with the Look recording every text; with `part` (a dialog, the help) only
    the texts of that part, drawn over the frame, are recorded."""
    look = driver.app.look
    if part is not None:
        driver.app.draw(driver.screen)
    look.recording, look.drawn, look.cut = True, [], []
    try:
        (part or driver.app).draw(driver.screen, *([look] if part is not None else []))
    finally:
        look.recording = False
    return look


def text_problems(look: theme.Look, window: pygame.Rect) -> list[str]:
    """Texts cut to fit, outside the window, or overlapping another text."""
    found = [f"cut to fit: {text!r}" for text in look.cut]
    texts = look.drawn
    for index, item in enumerate(texts):
        if not window.contains(item.rect):
            found.append(f"outside the window: {item.text!r} {tuple(item.rect)}")
        for other in texts[index + 1:]:
            if item.rect.colliderect(other.rect):
                found.append(f"{item.text!r} {tuple(item.rect)} overlaps {other.text!r} {tuple(other.rect)}")
    return found


def label_problems(driver: WindowDriver) -> list[str]:
    app = driver.app
    buttons = [*app.tab_bar.visible_buttons, *app.top_buttons, *app.tab.buttons]
    return [f"label does not fit: {button}" for button in buttons
            if button.rect.width and not button.label_fits(app.look)]


def texts(driver: WindowDriver) -> list[str]:
    """Every text one frame of the window draws."""
    return [item.text for item in drawn(driver).drawn]


def problems_at_both_ends(driver: WindowDriver) -> list[str]:
    """The window's layout problems at 800x600 in large text and at 1920x1080 in normal text
    (a filled tab must fit both); it is left at the second."""
    found = []
    for size, large in (((800, 600), True), ((1920, 1080), False)):
        if driver.app.large_text != large:
            driver.app.toggle_large_text()
        driver.resize(size)
        bounds = pygame.Rect((0, 0), size)
        found += problems(driver.app.named_rects(), bounds) + text_problems(drawn(driver), bounds)
        found += label_problems(driver)
    return found
