"""The model card: what a model file says about itself, in plain sentences, and never an error."""
import json
import time

import numpy as np
import pytest
from synthetic_writers import make_sample

from mling import model_card, network
from mling.model_card import card_sections, card_text, short_card, training_counts

# The summary of the model shipped in model_params.npz (written out by hand, as network.load_model returns it).
SHIPPED_SUMMARY = {"epochs_run": 64, "best_epoch": 44, "val_accuracy": 0.9725, "train_accuracy": 0.9586484593837535,
                   "loss": 0.143, "train_samples": 142800, "val_samples": 1200, "batch_size": 128,
                   "learning_rate": 0.001, "seed": 0, "saved_at": "2026-11-26T22:34:42Z"}


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def sections(params, summary):
    return {heading: " ".join(sentences) for heading, sentences in card_sections(params, summary)}


def test_the_shipped_models_card_says_what_it_is_in_plain_words(utc):
    params = network.init_params((784, 16, 16, 10))
    card = sections(params, SHIPPED_SUMMARY)
    assert list(card) == ["What it is", "What it learned from", "How well it reads new drawings", "How it was trained",
                          "When"]
    assert "28 x 28 = 784 pixels" in card["What it is"]
    assert "2 hidden layers (16 and 16 neurons) into 10 scores" in card["What it is"]
    assert f"{784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10:,} numbers" in card["What it is"]    # 13,002
    assert "142,800 pictures" in card["What it learned from"]
    assert "Tested on 1,200 drawings it never saw" in card["How well it reads new drawings"]
    assert "97.2% of them right: about 97 out of every 100" in card["How well it reads new drawings"]
    assert "64 times (64 epochs)" in card["How it was trained"] and "after epoch 44" in card["How it was trained"]
    assert "learning rate 0.001, 128 drawings per learning step, random seed 0" in card["How it was trained"]
    assert card["When"] == "Trained on 26 November 2026 at 22:34."
    assert short_card(params, SHIPPED_SUMMARY) == "784-16-16-10 network, 97.2% right on 1,200 new drawings, " \
                                                  "trained 26 Nov 2026"
    text = card_text(params, SHIPPED_SUMMARY)
    assert text.splitlines()[0] == "What it is" and text.splitlines()[1].startswith("  A small neural network")


def test_a_model_file_that_says_nothing_still_gets_a_card():
    params = network.init_params((784, 32, 10))
    card = sections(params, {})
    assert "1 hidden layer of 32 neurons" in card["What it is"]
    assert "does not say how it was trained" in card["How it was made"]
    assert short_card(params, {}) == "784-32-10 network"


def test_odd_values_are_left_out_not_shown_or_raised():
    params = network.init_params((784, 16, 16, 10))
    summary = {"val_accuracy": float("nan"), "val_samples": "many", "epochs_run": -3, "saved_at": "yesterday",
               "trained_by_source": "{not json", "trained_by_author": json.dumps(["Ana"]), "learning_rate": True,
               "optimizer": 5}
    card = sections(params, summary)
    assert list(card) == ["What it is", "How it was made"]
    assert short_card(params, summary) == "784-16-16-10 network"


def test_a_newer_summary_names_the_sources_the_people_the_copies_and_the_settings():
    params = network.init_params((784, 16, 16, 10))
    summary = {**SHIPPED_SUMMARY, "optimizer": "sgd", "augmented_in_memory": 13600, "sources": "drawn,imported",
               "trained_by_source": json.dumps({"drawn": 600, "imported": 200}),
               "trained_by_author": json.dumps({"Ana": 300, "Ben": 200, "Cleo": 100, "Dev": 0}),
               "val_ids": np.array(["a", "b"])}
    card = sections(params, summary)
    learned = card["What it learned from"]
    assert "It learned from 800 drawings: 600 made in MLing and 200 imported from other files." in learned
    assert "They were drawn by 3 people: Ana (300), Ben (200) and Cleo (100)." in learned
    assert "13,600 copies of them" in learned
    assert "only from drawings made in MLing or imported from other files" in learned
    assert "plain gradient descent (SGD)" in card["How it was trained"]


def test_many_authors_are_cut_short():
    params = network.init_params((784, 16, 16, 10))
    authors = {f"Learner {n}": 10 + n for n in range(8)}
    learned = sections(params, {"trained_by_author": json.dumps(authors)})["What it learned from"]
    assert "drawn by 8 people:" in learned and "and 3 others." in learned and "Learner 7 (17)" in learned


def test_training_counts_counts_each_original_drawing_once():
    pixels = bytes(784)
    samples = [make_sample("s1", pixels, 1, source="starter"), make_sample("s2", pixels, 2, source="starter"),
               make_sample("a1", pixels, 3, author="Ana"), make_sample("a2", pixels, 4, author="Ana"),
               make_sample("b1", pixels, 5, author="Ben"),
               make_sample("c1", pixels, 3, source="augmented", parent="a1"),
               make_sample("c2", pixels, 5, source="augmented", parent="b1"),
               make_sample("x1", pixels, 6, author="Held Out")]
    positions = np.array([0, 1, 2, 2, 2, 3, 5, 5, 6, 4])   # a1 three times (own weight), copies of a1 and b1
    counts = training_counts(samples, positions)
    assert json.loads(counts["trained_by_source"]) == {"starter": 2, "drawn": 3}
    assert json.loads(counts["trained_by_author"]) == {"Ana": 2, "Ben": 1}


def test_the_counts_survive_a_model_file_and_show_on_its_card(tmp_path):
    pixels = bytes(784)
    samples = [make_sample(f"a{i}", pixels, i, author="Ana") for i in range(3)] + \
              [make_sample(f"b{i}", pixels, i, author="Ben") for i in range(2)]
    params = network.init_params((784, 16, 16, 10))
    path = tmp_path / "model_params.npz"
    network.save_model(path, params, {**SHIPPED_SUMMARY, **training_counts(samples, np.arange(5))})
    loaded, summary = network.load_model(path)
    learned = sections(loaded, summary)["What it learned from"]
    assert "It learned from 5 drawings made in MLing." in learned
    assert "They were drawn by 2 people: Ana (3) and Ben (2)." in learned


def test_source_words_cover_every_source_of_the_store():
    from mling import store
    assert set(model_card.SOURCE_WORDS) == set(store.SOURCES)
