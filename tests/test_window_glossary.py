"""Words a 13-year-old knows: every word a beginner may not know is explained when the mouse rests on a text
that has it, and on the help's Words page (H, then W).
"""
from __future__ import annotations

import pygame
import pytest
from layout_checks import drawn, text_problems
from window_driver import tab_key, write_random_model, write_synthetic_data

from window import glossary, tooltip
from window.help_overlay import WORDS
from window.tabs.learn import LearnTab
from window.walkthrough import BLAME

WORDS_A_BEGINNER_MAY_NOT_KNOW = ("epoch", "learning rate", "batch", "validation", "loss", "accuracy", "confidence",
                                 "weight", "bias", "activation", "gradient")


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    write_synthetic_data(data, per_digit=3)
    write_random_model(model, seed=1)
    return data, model


def test_each_word_has_a_short_plain_explanation():
    for word in WORDS_A_BEGINNER_MAY_NOT_KNOW:
        text = glossary.explain(word)
        sentences = [part for part in text.replace("!", ".").split(". ") if part]
        assert 1 <= len(sentences) <= 3, word
        assert all(len(sentence.split()) <= 26 for sentence in sentences), (word, text)   # short sentences
    assert set(WORDS_A_BEGINNER_MAY_NOT_KNOW) <= set(glossary.GLOSSARY)


@pytest.mark.parametrize("text,expected", [
    ("Epochs (at most)", ["epoch"]), ("Batch size", ["batch"]), ("Learning rate", ["learning rate"]),
    ("Data: 97% validation accuracy", ["validation", "accuracy"]), ("Loss", ["loss"]),
    ("weights and biases", ["weight", "bias"]), ("Weight decay", ["weight decay"]), ("the gradients", ["gradient"]),
    ("Confidence", ["confidence"]), ("Activation", ["activation"]), ("weighted lossless", []),
])
def test_the_words_are_found_in_any_label(text, expected):
    assert glossary.terms_in(text) == expected


def hover_text_containing(driver, word: str):
    """Rest the mouse on `word` in a text on screen: the tooltip's words, or None if no text has it."""
    app = driver.app
    driver.frames(1)
    for text, rect, font in app._texts_on_screen:
        for term, start, end in glossary.term_spans(text):
            if term != word:
                continue
            position = (rect.x + (font.size(text[:start])[0] + font.size(text[:end])[0]) // 2, rect.centery)
            if any(button.rect.collidepoint(position) and button.tooltip for button in app.tab.buttons):
                continue                                         # a button's own tooltip comes first there
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0)))
            assert driver.until(lambda: app.tooltip.showing is not None, timeout=5), text
            return app.tooltip.content()
    return None


def test_resting_the_mouse_on_a_word_explains_it_wherever_it_appears(driver, paths, monkeypatch):
    monkeypatch.setattr(tooltip, "DELAY_SECONDS", 0.05)          # the same rest, shorter: eight words to try
    app = driver.app
    driver.draw_seven()
    driver.key(pygame.K_RETURN)                               # a guess, with its confidence
    explained = set()
    screens = [lambda: None, lambda: driver.key(tab_key(LearnTab)), lambda: driver.key(pygame.K_3, unicode="3"),
               lambda: setattr(app.tab.walk, "page", BLAME)]
    for show in screens:
        show()
        for word in WORDS_A_BEGINNER_MAY_NOT_KNOW:
            content = hover_text_containing(driver, word)
            if content is None:
                continue
            title, lines = content
            assert glossary.explain(word) in " ".join([title, *lines]), word
            explained.add(word)
    assert {"epoch", "learning rate", "batch", "loss", "accuracy", "validation", "confidence", "gradient"} <= explained


def test_a_button_with_such_a_word_explains_it_too(driver, paths):
    """The Learning rate stepper's + button: its own tooltip, then what a learning rate is."""
    app = driver.app
    plus = app.find_tab(LearnTab).rate.plus
    driver.key(tab_key(LearnTab))
    driver.draw_seven()
    driver.key(pygame.K_3, unicode="3")
    for _ in range(4):                                          # to stage 4, the update, where the stepper is
        driver.key(pygame.K_RIGHT)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=plus.rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    assert driver.until(lambda: app.tooltip.showing is plus, timeout=5)
    title, lines = app.tooltip.content()
    assert title == plus.tooltip_text()
    assert any(glossary.explain("learning rate") in line for line in lines)


@pytest.mark.parametrize("size,large", [((800, 600), False), ((800, 600), True), ((1100, 700), False),
                                        ((3840, 2160), True)])
def test_the_help_has_a_words_page_that_fits(driver, paths, size, large):
    app = driver.app
    if large:
        app.toggle_large_text()
    driver.resize(size)
    driver.key(pygame.K_h, unicode="h")
    assert app.help.visible
    driver.key(pygame.K_w, unicode="w")                          # W inside the help: the Words page
    assert app.help.visible and app.help.page == WORDS
    look = drawn(driver, app.help)
    texts = [item.text for item in look.drawn]
    for term, _ in glossary.rows():
        assert f"{term}:" in texts
    assert not text_problems(look, pygame.Rect((0, 0), size)), text_problems(look, pygame.Rect((0, 0), size))
    driver.key(pygame.K_s, unicode="s")                          # S: back to the shortcuts
    assert app.help.visible and app.help.page != WORDS
    driver.key(pygame.K_3, unicode="3")                          # any other key closes it
    assert not app.help.visible
