"""One Undo for the whole session: Ctrl+Z and every Undo button take back the newest change made
since the window opened (a save, a delete, a relabel), whichever tab made it and whichever tab is
shown, and never touch what was in data.json before. Driven through the real loop.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from window_driver import first_mistake, noisy_data, tab_key, write_random_model

from mling import store
from window.status_line import WARNING
from window.tabs.browser import BrowserTab
from window.tabs.draw import DrawTab
from window.tabs.inside import InsideTab
from window.tabs.mistakes import MistakesTab

CTRL_Z = dict(key=pygame.K_z, mod=pygame.KMOD_CTRL, unicode="z")
TAB_KEYS = {tab: tab_key(tab) for tab in (DrawTab, InsideTab, MistakesTab, BrowserTab)}


@pytest.fixture
def paths(tmp_path):
    """A data.json of drawings saved in an earlier session, and a model."""
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    noisy_data(data)
    write_random_model(model, seed=1)
    return data, model


def samples(path):
    return store.DataStore.open(path).samples


def go_to(driver, tab):
    driver.key(TAB_KEYS[tab])
    assert isinstance(driver.app.tab, tab)


def test_ctrl_z_at_startup_changes_nothing_on_any_tab(driver, paths):
    data_path, _ = paths
    before = data_path.read_bytes()
    app = driver.app
    for tab in (DrawTab, InsideTab, MistakesTab, BrowserTab, DrawTab):
        go_to(driver, tab)
        driver.key(**CTRL_Z)
        driver.frames(2)
        assert data_path.read_bytes() == before, tab
        assert app.status.status.kind == WARNING and "Nothing to undo" in app.status.text, tab
    driver.click(app.find_tab(DrawTab).panel.undo_button.rect.center)
    assert data_path.read_bytes() == before
    assert "Nothing to undo" in app.status.text
    assert app.canvas.is_blank()


def test_a_delete_in_the_browser_is_undone_from_the_draw_tab(driver, paths):
    data_path, _ = paths
    before = samples(data_path)
    app = driver.app
    go_to(driver, BrowserTab)
    grid = app.find_tab(BrowserTab).grid
    driver.click(grid.cell_rect(3).center)
    doomed = grid.selected_in_order()
    driver.key(pygame.K_DELETE)
    driver.frames(2)
    assert [s.id for s in samples(data_path)] == [s.id for s in before if s.id not in doomed]
    driver.key(pygame.K_ESCAPE)
    assert isinstance(app.tab, DrawTab) and app.running
    driver.key(**CTRL_Z)
    driver.frames(2)
    assert samples(data_path) == before                     # the deleted drawing is back, in its place
    restored = data_path.read_bytes()
    driver.key(**CTRL_Z)                                    # and nothing else is undone
    driver.frames(2)
    assert data_path.read_bytes() == restored
    assert "Nothing to undo" in app.status.text


def test_a_relabel_in_a_mistakes_square_is_undone_after_the_list_is_closed(driver, paths):
    data_path, _ = paths
    before = samples(data_path)
    app = driver.app
    go_to(driver, MistakesTab)
    report, _ = app.session.mistake_report()
    label, answer = first_mistake(report)
    driver.click(app.find_tab(MistakesTab).cell_rect(label, answer).center)
    dialog = app.session.dialog
    driver.click(dialog.grid.cell_rect(0).center)
    chosen = dialog.grid.shown_ids()[0]
    driver.key(getattr(pygame, f"K_{answer}"), unicode=str(answer))
    driver.frames(2)
    assert {s.id: s.label for s in samples(data_path)}[chosen] == answer
    driver.key(pygame.K_ESCAPE)                             # close the list; still on Mistakes
    assert app.session.dialog is None and isinstance(app.tab, MistakesTab)
    driver.key(**CTRL_Z)
    driver.frames(2)
    assert samples(data_path) == before                     # the old label is back; nothing deleted
    relabelled_back = data_path.read_bytes()
    driver.key(**CTRL_Z)
    driver.frames(2)
    assert data_path.read_bytes() == relabelled_back and "Nothing to undo" in app.status.text


def test_undo_walks_back_through_saves_deletes_and_relabels_across_tabs(driver, paths):
    data_path, _ = paths
    before = samples(data_path)
    app = driver.app
    driver.draw_seven()
    ink = app.canvas.ink.copy()
    driver.key(pygame.K_1, unicode="1")                     # a save (with the wrong digit)
    saved = samples(data_path)
    assert len(saved) == len(before) + 1
    go_to(driver, BrowserTab)
    grid = app.find_tab(BrowserTab).grid
    driver.click(grid.cell_rect(0).center)
    driver.key(pygame.K_DELETE)                             # a delete
    driver.frames(2)
    driver.click(grid.cell_rect(0).center)
    first_left = grid.selected_in_order()[0]
    driver.key(pygame.K_9, unicode="9")                     # a relabel
    driver.frames(2)
    assert {s.id: s.label for s in samples(data_path)}[first_left] == 9
    go_to(driver, InsideTab)

    driver.key(**CTRL_Z)                                    # 1: the relabel
    driver.frames(2)
    assert {s.id: s.label for s in samples(data_path)}[first_left] != 9
    assert len(samples(data_path)) == len(before)
    driver.key(**CTRL_Z)                                    # 2: the delete
    driver.frames(2)
    assert samples(data_path) == saved
    assert app.canvas.is_blank()
    driver.key(**CTRL_Z)                                    # 3: the save: the 7 is back on the canvas
    driver.frames(2)
    assert samples(data_path) == before
    np.testing.assert_array_equal(app.canvas.ink, ink)
    assert "back on the canvas" in app.status.text
    unchanged = data_path.read_bytes()
    driver.key(**CTRL_Z)                                    # 4: nothing of this session is left
    driver.frames(2)
    assert data_path.read_bytes() == unchanged and "Nothing to undo" in app.status.text


def test_undo_right_after_a_save_undoes_that_save_even_before_it_is_written(driver, paths):
    data_path, _ = paths
    before = samples(data_path)
    driver.draw_seven()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_4, mod=0, unicode="4", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, **CTRL_Z, scancode=0))
    driver.frame()
    driver.settle()
    driver.frames(2)
    assert samples(data_path) == before
    assert not driver.app.canvas.is_blank()


# --- strokes first ----------------------------------------------------------------------------------
def stroke(driver, points, button=1):
    x, y = driver.app.canvas.rect.topleft
    driver.drag([(x + px, y + py) for px, py in points], button=button)


def test_ctrl_z_takes_back_strokes_one_by_one_then_the_newest_save(driver, paths):
    data_path, _ = paths
    app = driver.app
    panel = app.tab.panel
    stroke(driver, [(60, 80), (300, 80)])                       # the bar of a 7
    stroke(driver, [(300, 80), (180, 330)])                     # its leg
    seven = app.canvas.ink.copy()
    driver.frames(1)
    assert panel.undo_button.enabled                            # not greyed out while drawing
    driver.key(pygame.K_1, unicode="1")                         # saved (with the wrong digit)
    saved = samples(data_path)
    stroke(driver, [(100, 100), (300, 300)])                    # a new drawing: two strokes and an erase
    one = app.canvas.ink.copy()
    stroke(driver, [(300, 100), (100, 300)])
    two = app.canvas.ink.copy()
    stroke(driver, [(200, 50), (200, 350)], button=3)
    assert not np.array_equal(app.canvas.ink, two)

    driver.key(**CTRL_Z)                                        # 1: the erase
    np.testing.assert_array_equal(app.canvas.ink, two)
    driver.key(**CTRL_Z)                                        # 2: the second stroke
    np.testing.assert_array_equal(app.canvas.ink, one)
    driver.key(**CTRL_Z)                                        # 3: the first stroke: the canvas is empty
    assert not app.canvas.ink.any() and samples(data_path) == saved
    driver.key(**CTRL_Z)                                        # 4: now the save: the 7 is back
    driver.frames(2)
    assert samples(data_path) == saved[:-1]
    np.testing.assert_array_equal(app.canvas.ink, seven)
    assert "back on the canvas" in app.status.text
    driver.key(pygame.K_c, unicode="c")                         # Clear...
    assert app.canvas.is_blank()
    driver.key(**CTRL_Z)                                        # ...is taken back too
    np.testing.assert_array_equal(app.canvas.ink, seven)


def test_on_all_drawings_ctrl_z_undoes_the_data_not_the_hidden_canvas(driver, paths):
    data_path, _ = paths
    app = driver.app
    before = samples(data_path)
    driver.draw_seven()
    driver.key(pygame.K_4, unicode="4")
    assert len(samples(data_path)) == len(before) + 1
    driver.draw_seven()                                          # a drawing waiting on the canvas
    ink = app.canvas.ink.copy()
    go_to(driver, BrowserTab)
    driver.key(**CTRL_Z)
    driver.frames(2)
    assert samples(data_path) == before and "Removed" in app.status.text
    np.testing.assert_array_equal(app.canvas.ink, ink)          # the drawing on the canvas is untouched
