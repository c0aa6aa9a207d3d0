"""Experiment cards: A and B share one held-out split that no variant touches, each variant makes the
change it promises, and the answer compares the numbers with the learner's prediction."""
import threading
from dataclasses import replace

import numpy as np
import pytest
from synthetic import make_synthetic_digits

import run
import train
from mling import experiments, store
from mling.experiments import CARDS, ExperimentError, compare_counts, run_card

QUICK_EPOCHS = 3


@pytest.fixture(scope="module")
def starter_store(tmp_path_factory):
    """A data.json like the shipped one, small: 30 synthetic starter digits of each digit."""
    X, y = make_synthetic_digits(per_class=30, seed=3)
    data = store.DataStore.open(tmp_path_factory.mktemp("starter") / "data.json")
    data.add_many(X.reshape(-1, 28, 28), y, source="starter")
    return data


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory):
    """Starter digits plus a learner's own drawings (and an augmented copy of each own drawing)."""
    data = store.DataStore.open(tmp_path_factory.mktemp("mixed") / "data.json")
    X, y = make_synthetic_digits(per_class=20, seed=4)
    data.add_many(X.reshape(-1, 28, 28), y, source="starter")
    X, y = make_synthetic_digits(per_class=6, seed=5)
    own = data.add_many(X.reshape(-1, 28, 28), y, source="drawn")
    data.add_many(X.reshape(-1, 28, 28) * 0.9, y, source="augmented", parents=[sample.id for sample in own])
    return data


def quick(key):
    return replace(CARDS[key], epochs=QUICK_EPOCHS)


class FitSpy:
    """Wraps train.fit and remembers what each training learned from and was checked on."""

    def __init__(self, monkeypatch):
        self.calls = []
        real_fit = train.fit

        def fit(X_train, y_train, X_val, y_val, config, **options):
            self.calls.append({"X_train": np.array(X_train), "y_train": np.array(y_train), "X_val": np.array(X_val),
                               "y_val": np.array(y_val), "config": config})
            return real_fit(X_train, y_train, X_val, y_val, config, **options)

        monkeypatch.setattr(train, "fit", fit)


def pixel_set(X):
    """Each image of X (n, 784) as its 784 bytes, as the store keeps them."""
    return {bytes(row) for row in np.frombuffer(store.images_to_bytes(X), np.uint8).reshape(len(X), 784)}


def held_out_arrays(data, ids):
    """The held-out drawings read straight from the store by id (not through the experiment code)."""
    by_id = {sample.id: sample for sample in data.samples}
    X = store.bytes_to_images(b"".join(by_id[i].pixels for i in ids), len(ids))
    return X, np.array([by_id[i].label for i in ids])


def test_every_built_in_card_can_run_on_a_starter_set(starter_store):
    runnable = [card for card in CARDS.values() if card.problem(starter_store) is None]
    assert len(runnable) >= 5
    assert {card.key for card in runnable} == set(CARDS) - {"only_my_drawings"}
    for card in CARDS.values():
        assert len(set(card.choices)) == 3 and "?" in card.question


@pytest.mark.parametrize("key", [key for key in CARDS if key != "only_my_drawings"])
def test_a_and_b_are_checked_on_the_same_untouched_held_out_drawings(starter_store, monkeypatch, key):
    spy = FitSpy(monkeypatch)
    result = run_card(quick(key), starter_store, None)
    assert len(spy.calls) == 2 and not result.stopped
    X_expected, y_expected = held_out_arrays(starter_store, result.held_out_ids)
    held_out_pixels = pixel_set(X_expected)
    for call in spy.calls:
        np.testing.assert_array_equal(call["X_val"], X_expected)          # same pictures, same labels, same order
        np.testing.assert_array_equal(call["y_val"], y_expected)
        assert not held_out_pixels & pixel_set(call["X_train"])           # never learned from
        assert call["config"].epochs == QUICK_EPOCHS and call["config"].patience is None
    # 15% of each digit's 30 drawings is held out
    assert np.bincount(y_expected, minlength=10).tolist() == [round(30 * train.VAL_SPLIT)] * 10
    for side in (result.a, result.b):
        assert side.confusion.sum(axis=1).tolist() == np.bincount(y_expected, minlength=10).tolist()
        assert len(side.history) == QUICK_EPOCHS
    np.testing.assert_array_equal(result.confusion_difference, result.b.confusion - result.a.confusion)
    assert result.outcome in result.card.choices and result.answer.endswith(".")


def test_each_variant_makes_the_change_its_card_promises(starter_store, monkeypatch):
    spy = FitSpy(monkeypatch)
    for key in ("half_the_sevens", "fewer_drawings", "wrong_labels", "augmented_copies", "smaller_hidden_layer",
                "bigger_learning_rate"):
        run_card(quick(key), starter_store, None)
    calls = {key: spy.calls[2 * i:2 * i + 2] for i, key in enumerate(
        ("half_the_sevens", "fewer_drawings", "wrong_labels", "augmented_copies", "smaller_hidden_layer",
         "bigger_learning_rate"))}
    a = calls["half_the_sevens"][0]
    n, sevens = len(a["y_train"]), int((a["y_train"] == 7).sum())
    assert n == 10 * (30 - round(30 * train.VAL_SPLIT)) and sevens == 30 - round(30 * train.VAL_SPLIT)

    b = calls["half_the_sevens"][1]["y_train"]
    assert (b == 7).sum() == sevens - round(sevens / 2)
    assert all((b == digit).sum() == (a["y_train"] == digit).sum() for digit in range(10) if digit != 7)

    assert len(calls["fewer_drawings"][1]["y_train"]) == round(n / 10)

    a_labels, b_labels = calls["wrong_labels"][0]["y_train"], calls["wrong_labels"][1]["y_train"]
    np.testing.assert_array_equal(calls["wrong_labels"][0]["X_train"], calls["wrong_labels"][1]["X_train"])
    assert (a_labels != b_labels).sum() == round(0.3 * n)                  # 3 in 10 wrong, none "wrong" by chance

    augmented = calls["augmented_copies"][1]
    assert len(augmented["y_train"]) == 4 * n
    np.testing.assert_array_equal(augmented["X_train"][:n], calls["augmented_copies"][0]["X_train"])
    assert not np.array_equal(augmented["X_train"][n:2 * n], augmented["X_train"][:n])   # copies differ

    assert calls["smaller_hidden_layer"][1]["config"].layer_sizes == (784, 4, 16, 10)
    assert calls["smaller_hidden_layer"][0]["config"].layer_sizes == (784, 16, 16, 10)
    assert calls["bigger_learning_rate"][1]["config"].learning_rate == 0.1
    assert calls["bigger_learning_rate"][0]["config"].learning_rate == train.LEARNING_RATE


def test_the_own_drawings_card_tests_on_your_held_out_drawings_only(mixed_store, starter_store, monkeypatch):
    assert "draw some first" in CARDS["only_my_drawings"].problem(starter_store)
    with pytest.raises(ExperimentError, match="your own drawings"):
        run_card(quick("only_my_drawings"), starter_store, None)
    spy = FitSpy(monkeypatch)
    result = run_card(quick("only_my_drawings"), mixed_store, "about the same")
    by_id = {sample.id: sample for sample in mixed_store.samples}
    assert {by_id[i].source for i in result.held_out_ids} == {"drawn"}
    assert len(result.held_out_ids) == 10 * round(6 * train.VAL_SPLIT)
    drawn = [s for s in mixed_store.samples if s.source == "drawn" and s.id not in result.held_out_ids]
    a, b = spy.calls
    assert len(b["y_train"]) == len(drawn)                                  # only your drawings, each once
    assert len(a["y_train"]) == 200 + train.OWN_DRAWING_WEIGHT * len(drawn)  # the starter set too, yours 3 times
    assert not pixel_set(held_out_arrays(mixed_store, result.held_out_ids)[0]) & pixel_set(a["X_train"])


def test_a_card_that_the_data_cannot_run_says_why(tmp_path):
    data = store.DataStore.open(tmp_path / "data.json")
    X, y = make_synthetic_digits(per_class=5, seed=0)
    keep = y != 7
    data.add_many(X[keep].reshape(-1, 28, 28), y[keep], source="starter")
    assert "digit 7" in CARDS["half_the_sevens"].problem(data)
    assert CARDS["fewer_drawings"].problem(data) is None
    with pytest.raises(ExperimentError, match="digit 7"):
        run_card(CARDS["half_the_sevens"], data, None)
    empty = store.DataStore.open(tmp_path / "empty.json")
    assert "only 0 drawings" in CARDS["fewer_drawings"].problem(empty)


def test_a_prediction_must_be_one_of_the_cards_choices(starter_store):
    with pytest.raises(ValueError, match="not one of"):
        run_card(quick("fewer_drawings"), starter_store, "it will be great")


def test_progress_goes_from_a_to_b_and_ends_at_one(starter_store):
    seen = []
    run_card(quick("fewer_drawings"), starter_store, None, on_progress=seen.append)
    assert [(p.part, p.epoch) for p in seen] == [("A", e) for e in range(QUICK_EPOCHS + 1)] + \
                                                [("B", e) for e in range(QUICK_EPOCHS + 1)]
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1
    assert seen[-1].stats is not None and seen[-1].text == f"B: epoch {QUICK_EPOCHS} of {QUICK_EPOCHS}"


def test_the_stop_flag_stops_a_run_part_way(starter_store):
    stop = threading.Event()

    def stop_in_a(progress):
        if progress.part == "A" and progress.epoch == 1:
            stop.set()

    result = run_card(quick("fewer_drawings"), starter_store, "fewer right", on_progress=stop_in_a, stop_event=stop)
    assert result.stopped and result.b is None and result.outcome is None
    assert len(result.a.history) == 1 and result.confusion_difference is None
    assert "nothing to compare" in result.answer

    stop = threading.Event()
    stop.set()
    assert run_card(quick("fewer_drawings"), starter_store, None, stop_event=stop).stopped


def test_a_big_training_set_is_sampled_down_and_the_card_says_so(starter_store, monkeypatch):
    monkeypatch.setattr(experiments, "MAX_TRAINING_DRAWINGS", 100)
    spy = FitSpy(monkeypatch)
    result = run_card(quick("smaller_hidden_layer"), starter_store, None)
    assert [len(call["y_train"]) for call in spy.calls] == [100, 100]
    assert f"100 of the {10 * (30 - round(30 * train.VAL_SPLIT))} training drawings" in result.notes[0]


@pytest.mark.parametrize("gained, lost, expected", [
    (10, 2, "more"),    # gap 8 > 2 * sqrt(12) = 6.9
    (7, 2, "same"),     # gap 5 <= 2 * sqrt(9) = 6: could be luck
    (3, 0, "same"),     # gap 3 <= 2 * sqrt(3) = 3.5
    (5, 0, "more"),     # gap 5 > 2 * sqrt(5) = 4.5
    (0, 9, "less"),
    (40, 30, "same"),   # gap 10 <= 2 * sqrt(70) = 16.7
])
def test_b_differs_only_when_the_paired_gap_is_bigger_than_luck(gained, lost, expected):
    both, neither = 50, 30
    a = np.array([False] * gained + [True] * lost + [True] * both + [False] * neither)
    b = np.array([True] * gained + [False] * lost + [True] * both + [False] * neither)
    assert compare_counts(a, b, smallest_change=3) == expected
    assert compare_counts(a, b, smallest_change=100) == "same"       # smaller than the card's smallest change


def evaluation(labels, guesses):
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels, guesses), 1)
    return run.Evaluation(int((labels == guesses).sum()), len(labels), np.full(10, np.nan),
                          np.bincount(labels, minlength=10), confusion, guesses)


def made_up_result(card, prediction, a_guesses, b_guesses, labels):
    fitted = train.TrainResult(params=None, best_epoch=3)
    a = experiments.VariantRun(card.a, [], evaluation(labels, a_guesses), 100, 1.0, fitted)
    b = experiments.VariantRun(card.b, [], evaluation(labels, b_guesses), 50, 1.0, fitted)
    return experiments.ExperimentResult(card, prediction, a, b, [])


def test_the_answer_says_the_counts_and_compares_them_with_the_prediction():
    labels = np.repeat(np.arange(10), 20)                       # 200 held-out drawings
    a_guesses = labels.copy()
    a_guesses[:10] = (labels[:10] + 1) % 10                     # A: 190 right
    b_guesses = labels.copy()
    b_guesses[:60] = (labels[:60] + 1) % 10                     # B: 140 right
    card = CARDS["fewer_drawings"]
    result = made_up_result(card, "fewer right", a_guesses, b_guesses, labels)
    experiments.answer(result, labels)
    assert result.outcome == "fewer right"
    assert result.answer == ("B got 140 of the 200 held-out drawings right and A got 190: fewer right - "
                             "just as you predicted!")
    result = made_up_result(card, "more right", a_guesses, b_guesses, labels)
    experiments.answer(result, labels)
    assert result.answer.endswith('- you predicted "more right".')
    rows = {number.label: (number.a_text, number.b_text) for number in result.numbers}
    assert rows["held-out drawings read right"] == ("190 of 200 (95.0%)", "140 of 200 (70.0%)")
    assert rows["pictures it learned from"] == ("100", "50")


def test_a_mix_up_card_counts_both_directions_of_the_mix_up():
    labels = np.repeat(np.arange(10), 20)
    sevens, ones = np.flatnonzero(labels == 7), np.flatnonzero(labels == 1)
    a_guesses, b_guesses = labels.copy(), labels.copy()
    a_guesses[sevens[:1]] = 1                                    # A: one 7 read as 1
    b_guesses[sevens[:6]] = 1                                    # B: six 7s read as 1 ...
    b_guesses[ones[:4]] = 7                                      # ... and four 1s read as 7
    b_guesses[sevens[10:15]] = 2                                 # (7 read as 2 is not a 7-1 mix-up)
    card = CARDS["half_the_sevens"]
    result = made_up_result(card, "no clear change", a_guesses, b_guesses, labels)
    experiments.answer(result, labels)
    assert result.outcome == "confused more"
    assert result.answer.startswith("B mixed up 7 and 1 in 10 of the 200 held-out drawings and A in 1: confused more")
    rows = {number.label: (number.a_text, number.b_text) for number in result.numbers}
    assert rows["7 and 1 mixed up"] == ("1", "10")
    assert rows["7s read right"] == ("19 of 20 (95.0%)", "9 of 20 (45.0%)")
    result = made_up_result(card, None, a_guesses, a_guesses, labels)
    experiments.answer(result, labels)
    assert result.outcome == "no clear change" and "luck" in result.answer


def test_a_drawing_deleted_while_a_card_runs_changes_nothing_in_that_run(tmp_path, monkeypatch):
    data = store.DataStore.open(tmp_path / "data.json")
    X, y = make_synthetic_digits(per_class=10, seed=6)
    data.add_many(X.reshape(-1, 28, 28), y, source="starter")
    before = list(data.samples)
    spy = FitSpy(monkeypatch)

    def delete_one(progress):
        if progress.part == "A" and progress.epoch == 1:
            data.remove([data.samples[0].id])                      # the window saves meanwhile

    result = run_card(quick("fewer_drawings"), data, None, on_progress=delete_one)
    assert len(data.samples) == len(before) - 1 and not result.stopped
    by_id = {sample.id: sample for sample in before}
    held = store.bytes_to_images(b"".join(by_id[i].pixels for i in result.held_out_ids), len(result.held_out_ids))
    for call in spy.calls:
        np.testing.assert_array_equal(call["X_val"], held)
