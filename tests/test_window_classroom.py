"""The Class tab through the real window loop: merge the class's files (authors, duplicates, a save
made meanwhile, Undo), each person's accuracy, and leave one writer out."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pygame
import pytest
from layout_checks import drawn, problems_at_both_ends
from synthetic import synthetic_images
from synthetic_writers import styled_digits
from window_driver import WindowDriver

from mling import network, store, writers
from window.tabs.browser import BrowserTab, describe_sample
from window.tabs.classroom import ClassTab
from window.tabs.draw import DrawTab

OWN, ANA, BEN = 10, 12, 12            # drawings per digit in data.json, ana.json, ben.json
BEN_COPIES_OF_ANA, BEN_COPIES_OF_OWN = 5, 3


@pytest.fixture
def paths(tmp_path):
    """data.json with ana.json and ben.json beside it; ben.json repeats some of the others' drawings."""
    data, model = tmp_path / "data.json", tmp_path / "model_params.npz"
    own_images, own_labels = synthetic_images(OWN, seed=1)
    store.DataStore.open(data).add_many(own_images, own_labels, source="drawn")
    ana_X, ana_y = styled_digits(ANA, seed=2)
    store.DataStore.open(tmp_path / "ana.json").add_many(ana_X.reshape(-1, 28, 28), ana_y, source="drawn")
    ben_X, ben_y = styled_digits(BEN, seed=3, slant=0.15, bold=True)
    ben_X = np.concatenate([ben_X.reshape(-1, 28, 28), ana_X[:BEN_COPIES_OF_ANA].reshape(-1, 28, 28),
                            own_images[:BEN_COPIES_OF_OWN]])
    ben_y = np.concatenate([ben_y, ana_y[:BEN_COPIES_OF_ANA], own_labels[:BEN_COPIES_OF_OWN]])
    store.DataStore.open(tmp_path / "ben.json").add_many(ben_X, ben_y, source="drawn")
    return data, model


def press(driver: WindowDriver, position) -> None:
    """A click that does not wait for the writer (driver.click would wait until it is done)."""
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=position, button=1))
    driver.frame()


def type_text(driver: WindowDriver, text: str) -> None:
    for character in text:
        key = pygame.key.key_code(character.lower()) if character.isalnum() else pygame.K_SPACE
        driver.key(key, unicode=character)


def file_row(tab: ClassTab, name: str):
    return next(file for file in tab.files if file.path.name == name)


def merge_both(driver: WindowDriver, ben_author: str | None = None) -> ClassTab:
    driver.show(ClassTab)
    tab = driver.tab(ClassTab)
    assert [file.path.name for file in tab.files] == ["ana.json", "ben.json"]   # data.json itself is not listed
    for name in ("ana.json", "ben.json"):
        driver.click(file_row(tab, name).tick.rect.center)
    if ben_author is not None:
        field = file_row(tab, "ben.json").author
        driver.click(field.rect.center)
        assert field.editing
        for _ in field.text:
            driver.key(pygame.K_BACKSPACE)
        type_text(driver, ben_author)
        driver.key(pygame.K_RETURN)
        assert not field.editing and field.text == ben_author
    return tab


def test_merging_two_files_tags_authors_skips_duplicates_and_keeps_a_save_made_meanwhile(driver, paths, monkeypatch):
    data, _ = paths
    session = driver.app.session
    before = [sample.id for sample in store.DataStore.open(data).samples]
    tab = merge_both(driver, "Betty T.")
    assert not session.training, "typing a T into the name box must not start training"

    slow_add_from = store.DataStore.add_from

    def add_from_slowly(self, samples):                 # a big merge: it takes a while to write
        time.sleep(0.5)
        return slow_add_from(self, samples)
    monkeypatch.setattr(store.DataStore, "add_from", add_from_slowly)
    press(driver, tab.merge_button.rect.center)
    assert session.dataset.busy                          # the merge is being written...
    driver.app.show_tab(driver.app.tabs.index(driver.tab(DrawTab)))
    driver.draw_seven()
    driver.key(pygame.K_7, unicode="7")                  # ...and a 7 is saved meanwhile
    driver.settle()

    merged = store.DataStore.open(data).samples
    authors = [sample.author for sample in merged]
    assert len(merged) == 10 * OWN + 10 * ANA + 10 * BEN + 1
    assert authors.count("ana") == 10 * ANA and authors.count("Betty T.") == 10 * BEN
    assert [sample.id for sample in merged[:len(before)]] == before
    assert merged[-1].label == 7 and merged[-1].author is None      # the 7 drawn here, after the merge
    assert any("Merged 2 files" in status.text and f"{BEN_COPIES_OF_ANA + BEN_COPIES_OF_OWN} drawings already here "
               "were skipped" in status.text for status in session.status.history)
    assert tab.outcome.skipped == BEN_COPIES_OF_ANA + BEN_COPIES_OF_OWN
    expected = np.full(10, OWN)
    expected[7] += 1
    assert session.own_counts().tolist() == expected.tolist()   # the counters: your drawings, not the class's
    assert "drawn by Betty T." in describe_sample(merged[-2]) and "drawn by you" in describe_sample(merged[-1])
    driver.show(BrowserTab)
    drawn_filter = driver.tab(BrowserTab).source_buttons["drawn"]
    assert drawn_filter.label == f"drawn {len(merged)}"           # not "drawn by you": the class drew most of them

    driver.app.show_tab(driver.app.tabs.index(tab))
    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL)         # the newest change first: the 7
    driver.key(pygame.K_z, mod=pygame.KMOD_CTRL)         # then the merge
    assert [sample.id for sample in store.DataStore.open(data).samples] == before
    assert "took the 240 merged drawings out" in session.status.text
    assert "Last merge taken back" in [item.text for item in drawn(driver).drawn]


def test_merging_the_same_files_again_adds_nothing(driver, paths):
    tab = merge_both(driver)
    driver.click(tab.merge_button.rect.center)
    count = len(store.DataStore.open(paths[0]).samples)
    driver.click(tab.merge_button.rect.center)
    assert len(store.DataStore.open(paths[0]).samples) == count
    assert "Nothing new to merge" in driver.app.status.text


def test_a_typed_path_and_a_file_that_is_no_data_file(driver, paths, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    X, y = styled_digits(2, seed=9)
    store.DataStore.open(elsewhere / "cara.json").add_many(X.reshape(-1, 28, 28), y, source="drawn")
    (tmp_path / "notes.json").write_text('{"shopping": ["milk"]}')
    driver.show(ClassTab)
    tab = driver.tab(ClassTab)
    driver.click(tab.path_field.rect.center)
    type_text(driver, "elsewhere")
    driver.key(pygame.K_SLASH, unicode="/")
    type_text(driver, "cara.json")
    driver.key(pygame.K_RETURN)                                        # Enter adds it, as Add does
    cara = file_row(tab, "cara.json")
    assert cara.ticked and cara.author.text == "cara"
    driver.click(tab.look_again_button.rect.center)
    assert "notes.json" in [file.path.name for file in tab.files] and file_row(tab, "cara.json").ticked
    driver.click(file_row(tab, "notes.json").tick.rect.center)
    driver.click(tab.merge_button.rect.center)
    assert "Nothing was merged" in driver.app.status.text and "notes.json" in driver.app.status.text
    assert len(store.DataStore.open(paths[0]).samples) == 10 * OWN          # all or nothing
    driver.click(file_row(tab, "notes.json").tick.rect.center)
    driver.click(tab.merge_button.rect.center)
    assert [sample.author for sample in store.DataStore.open(paths[0]).samples].count("cara") == 20


def held_out_accuracy(model_path: Path, data_path: Path, author: str) -> tuple[float, int]:
    """The share of `author`'s held-out drawings the saved model reads right, worked out here."""
    params, summary = network.load_model(model_path)
    held_out = set(np.ravel(summary["val_ids"]).astype(str))
    chosen = [sample for sample in store.DataStore.open(data_path).samples
              if sample.author == author and sample.id in held_out]
    X = np.frombuffer(b"".join(sample.pixels for sample in chosen), np.uint8).reshape(-1, 784) / 255.0
    right = network.predict_probabilities(params, X).argmax(axis=1) == [sample.label for sample in chosen]
    return float(right.mean()), len(chosen)


def test_each_persons_accuracy_and_leaving_one_writer_out(driver, paths):
    data, model = paths
    session = driver.app.session
    tab = merge_both(driver)
    driver.click(tab.merge_button.rect.center)
    session.change_setting("epochs", 8)
    driver.key(pygame.K_t, unicode="t")
    assert driver.until(lambda: not session.training, timeout=60)
    assert driver.until(lambda: tab.scores and tab.scoring is None, timeout=30)
    shown = [item.text for item in drawn(driver).drawn]
    for author in ("ana", "ben"):
        accuracy, held_out = held_out_accuracy(model, data, author)
        assert held_out > 0
        score = next(score for score in tab.scores if score.author == author)
        assert (score.drawings, score.scored) == (held_out, "held out")
        assert abs(score.accuracy - accuracy) < 1e-9
        assert f"{accuracy:.0%} of {held_out:,} held out" in shown

    assert tab.chosen_writer() == "Everyone"
    driver.click(tab.test_button.rect.center)
    assert tab.job is not None and tab.stop_button.enabled
    assert driver.until(lambda: tab.job is None, timeout=60)
    result = tab.left_out
    assert [writer.writer for writer in result.writers] == ["ana", "ben"]
    by_author = {author: sum(1 for sample in store.DataStore.open(data).samples if sample.author == author)
                 for author in ("ana", "ben")}
    shown = [item.text for item in drawn(driver).drawn]
    for writer in result.writers:
        assert writer.evaluation.total == by_author[writer.writer]      # tested on all of that person's drawings
        assert f"{writer.accuracy:.0%}" in shown
    assert result.answer.startswith("Trained without each person's drawings")
    driver.click(tab.after_button.rect.center)                         # one writer: ana
    assert tab.chosen_writer() == "ana"
    found = problems_at_both_ends(driver)                              # the filled tab fits, too
    assert not found, "\n".join(found)


def test_esc_stops_leaving_one_writer_out(driver, paths, monkeypatch):
    monkeypatch.setattr(writers, "WRITER_EPOCHS", 100_000)
    tab = merge_both(driver)
    driver.click(tab.merge_button.rect.center)
    driver.click(tab.test_button.rect.center)
    assert driver.until(lambda: tab.progress is not None and tab.progress.epoch > 0, timeout=30)
    driver.key(pygame.K_ESCAPE)
    assert driver.until(lambda: tab.job is None, timeout=30)
    assert driver.app.tab is tab and tab.left_out.stopped and not tab.left_out.writers
    assert "Stopped before the first writer finished" in driver.app.status.text
