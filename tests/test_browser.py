"""The "All drawings" tab (dataset browser), driven through the real loop with posted events.

Filters, thumbnails that are the samples' pixels, select / delete / relabel / undo checked in
data.json, the starter set removed in one confirmed step, the balance warning, and frame times
while scrolling through 10,000 samples.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from synthetic import synthetic_images
from window_driver import WindowDriver, tab_key, write_random_model

from mling import store
from window.sample_grid import SampleGrid
from window.tabs.browser import BrowserTab
from window.thumbnails import INK_PALETTE


def mixed_data(path):
    """10 drawn and 20 starter samples per digit, 5 imported, and a noisy copy of 30 starter samples."""
    data = store.DataStore.open(path)
    images, labels = synthetic_images(10, seed=0)
    data.add_many(images, labels, source="drawn")
    images, labels = synthetic_images(20, seed=1)
    starters = data.add_many(images, labels, source="starter")
    images, labels = synthetic_images(1, seed=2)
    data.add_many(images[:5], labels[:5], source="imported")
    data.add_many(np.stack([s.image for s in starters[:30]]), [s.label for s in starters[:30]],
                  source="augmented", parents=[s.id for s in starters[:30]])


@pytest.fixture
def paths(tmp_path):
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    mixed_data(data)
    write_random_model(model)
    return data, model


@pytest.fixture
def driver(paths):
    window = WindowDriver(*paths)
    window.key(tab_key(BrowserTab))
    assert isinstance(window.app.tab, BrowserTab)
    yield window
    window.close()


def samples(path):
    return store.DataStore.open(path).samples


def shown_samples(driver):
    grid = driver.app.find_tab(BrowserTab).grid
    return [grid.catalog.samples[i] for i in grid.order]


def test_every_sample_is_shown_and_the_filters_pick_digit_and_source(driver, paths):
    browser = driver.app.find_tab(BrowserTab)
    assert [s.id for s in shown_samples(driver)] == [s.id for s in samples(paths[0])]
    driver.click(browser.digit_buttons[1 + 3].rect.center)                 # digit 3
    shown = shown_samples(driver)
    assert shown and {s.label for s in shown} == {3}
    assert len(shown) == sum(s.label == 3 for s in samples(paths[0]))
    driver.click(browser.source_buttons["starter"].rect.center)            # hide the starter set
    assert [s.id for s in shown_samples(driver)] == [s.id for s in samples(paths[0])
                                                      if s.label == 3 and s.source != "starter"]
    driver.click(browser.digit_buttons[0].rect.center)                     # All digits again
    assert len(shown_samples(driver)) == sum(s.source != "starter" for s in samples(paths[0]))


def test_thumbnails_on_screen_are_the_samples_pixels(driver, paths):
    grid = driver.app.find_tab(BrowserTab).grid
    driver.frames(2)
    pixels = pygame.surfarray.array3d(driver.screen)
    for index in (3, grid.columns + 1):                                     # away from the label stamp corner
        rect = grid.cell_rect(index)
        shown = pixels[rect.x:rect.right:grid.zoom, rect.y:rect.bottom:grid.zoom].transpose(1, 0, 2)
        sample = shown_samples(driver)[index]
        expected = INK_PALETTE[np.frombuffer(sample.pixels, np.uint8).reshape(28, 28)]
        np.testing.assert_array_equal(shown[8:, 8:], expected[8:, 8:])


def test_select_then_delete_changes_data_json_and_undo_puts_them_back(driver, paths):
    grid = driver.app.find_tab(BrowserTab).grid
    before = samples(paths[0])
    driver.click(grid.cell_rect(2).center)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=grid.cell_rect(5).center, button=1,
                                         mod=pygame.KMOD_SHIFT))
    driver.frame()                                                          # Shift+click: 2, 3, 4, 5
    chosen = {before[i].id for i in range(2, 6)}
    assert grid.selected == chosen
    driver.key(pygame.K_DELETE)
    driver.frames(2)
    assert [s.id for s in samples(paths[0])] == [s.id for s in before if s.id not in chosen]
    assert "Deleted 4 drawings" in driver.app.status.history[-2].text + driver.app.status.text
    assert len(shown_samples(driver)) == len(before) - 4
    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL)
    driver.frames(2)
    assert samples(paths[0]) == before                                      # same samples, same places
    assert len(shown_samples(driver)) == len(before)


def test_a_digit_key_relabels_the_selected_and_undo_restores_the_labels(driver, paths):
    browser = driver.app.find_tab(BrowserTab)
    before = samples(paths[0])
    for index in (0, 1, 12):
        driver.click(browser.grid.cell_rect(index).center)
    chosen = {before[i].id for i in (0, 1, 12)}
    driver.key(pygame.K_8, unicode="8")
    driver.frames(2)
    after = samples(paths[0])
    assert [s.id for s in after] == [s.id for s in before]
    assert [s.label for s in after] == [8 if s.id in chosen else s.label for s in before]
    assert not browser.grid.selected
    driver.click(browser.actions.undo.rect.center)
    driver.frames(2)
    assert samples(paths[0]) == before


def test_the_starter_set_is_removed_in_one_confirmed_step_and_can_come_back(driver, paths):
    app = driver.app
    before = samples(paths[0])
    button = app.find_tab(BrowserTab).remove_starter_button
    driver.click(button.rect.center)
    assert app.session.dialog is not None and "200 starter drawings" in app.session.dialog.question
    driver.key(pygame.K_ESCAPE)                                               # "Keep them"
    assert app.session.dialog is None and samples(paths[0]) == before and app.running
    driver.click(button.rect.center)
    driver.key(pygame.K_RETURN)                                               # "Remove them"
    driver.frames(2)
    starters = {s.id for s in before if s.source == "starter"}
    left = samples(paths[0])
    assert not any(s.source == "starter" or s.parent in starters for s in left)   # and their copies
    assert [s.id for s in left] == [s.id for s in before if s.source != "starter" and s.parent not in starters]
    assert not button.enabled
    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL)
    driver.frames(2)
    assert samples(paths[0]) == before


def test_keys_meant_for_the_canvas_do_nothing_here(driver, paths):
    app = driver.app
    before = paths[0].read_bytes()
    driver.key(pygame.K_c, unicode="c")
    driver.key(pygame.K_5, unicode="5")                                       # nothing selected: no relabel
    assert "Select drawings first" in app.status.text
    driver.key(pygame.K_BACKSPACE)
    assert paths[0].read_bytes() == before
    driver.key(pygame.K_h, unicode="h")                                       # help still opens
    assert app.help.visible


def test_counts_per_digit_warn_when_badly_unbalanced(tmp_path):
    path = tmp_path / "data.json"
    images, labels = synthetic_images(30, seed=0)
    keep = (labels != 4) | (np.arange(len(labels)) % 30 < 3)                  # only 3 fours, 30 of the rest
    store.DataStore.open(path).add_many(images[keep], labels[keep], source="drawn")
    window = WindowDriver(path, tmp_path / "model.npz")
    try:
        window.key(tab_key(BrowserTab))
        from window.tabs.browser import balance_warning
        counts = window.app.find_tab(BrowserTab).catalog.counts(np.arange(int(keep.sum())))
        assert counts[4] == 3 and counts[7] == 30
        warning = balance_warning(counts)
        assert warning is not None and "only 3 fours" in warning
        assert balance_warning(np.full(10, 30)) is None
    finally:
        window.close()


def test_the_browser_opens_scrolls_and_reaches_the_end_of_10000_samples(tmp_path):
    # how fast (opening, frames while scrolling) is benchmarks/bench_browser.py: timings flake in CI
    path = tmp_path / "big.json"
    images, labels = synthetic_images(1000, seed=0)                          # 10,000 samples
    store.DataStore.open(path).add_many(images, labels, source="drawn")
    window = WindowDriver(path, tmp_path / "model.npz")
    try:
        window.key(tab_key(BrowserTab))
        grid = window.app.find_tab(BrowserTab).grid
        assert grid.count == 10_000
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=grid.rect.center, rel=(0, 0),
                                             buttons=(0, 0, 0)))
        for _ in range(120):                                                 # two seconds of wheel turning
            pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-2, flipped=False,
                                                 pos=grid.rect.center))
            window.frame()
        assert grid.scroll > 100 * grid.cell                                  # it really moved
        window.key(pygame.K_END)
        window.frames(30)
        assert grid.scroll == grid.max_scroll
        assert grid.index_at((grid.rect.x + 5, grid.rect.bottom - 20)) is not None
    finally:
        window.close()


def test_an_index_maps_to_the_thumbnail_under_the_mouse():
    grid = SampleGrid(pygame.Rect(0, 0, 400, 300), zoom=2, gap=6)
    from window.thumbnails import Catalog
    images, labels = synthetic_images(5, seed=0)
    data = [store.Sample(f"{i:08x}", bytes(np.rint(images[i] * 255).astype(np.uint8)), int(labels[i]), "drawn",
                         "2026-01-01T00:00:00Z") for i in range(len(labels))]
    catalog = Catalog(data)
    grid.show(catalog, np.arange(len(data)))
    assert grid.index_at(grid.cell_rect(0).center) == 0
    assert grid.index_at(grid.cell_rect(grid.columns + 2).center) == grid.columns + 2
    assert grid.index_at((grid.cell_rect(0).right + 2, 10)) is None                # the gap between two
    grid.scroll_to(grid.cell, glide=False)
    assert grid.index_at(grid.cell_rect(grid.columns).center) == grid.columns


def test_ctrl_a_then_a_digit_or_delete_asks_before_changing_many(driver, paths):
    """A few drawings change at once; more than CONFIRM_ABOVE only after Yes (Ctrl+A, 7 on 200 starter drawings)."""
    from window.sample_actions import CONFIRM_ABOVE
    app = driver.app
    before = samples(paths[0])
    grid = app.tab.grid
    for index in range(3):                                                   # a few: no question
        driver.click(grid.cell_rect(index).center)
    driver.key(pygame.K_5, unicode="5")
    driver.frames(2)
    assert app.session.dialog is None
    assert [s.label for s in samples(paths[0])][:3] == [5, 5, 5]
    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL)
    driver.frames(2)
    assert samples(paths[0]) == before

    driver.key(pygame.K_a, mod=pygame.KMOD_CTRL)                             # all of them
    assert len(grid.selected) == len(before) > CONFIRM_ABOVE
    driver.key(pygame.K_7, unicode="7")
    question = app.session.dialog
    assert question is not None and f"Relabel {len(before):,} drawings as 7?" == question.question
    driver.key(pygame.K_ESCAPE)                                              # keep them
    driver.frames(2)
    assert app.session.dialog is None and samples(paths[0]) == before and grid.selected
    driver.key(pygame.K_DELETE)
    assert app.session.dialog is not None and "Delete" in app.session.dialog.question
    driver.key(pygame.K_RETURN)                                              # yes: delete them all
    driver.frames(2)
    assert samples(paths[0]) == []
    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL)
    driver.frames(2)
    assert samples(paths[0]) == before
