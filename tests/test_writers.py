"""A class's data together: accuracy per author on drawings the model did not learn from, and
leave-one-writer-out, which never lets the tested person's drawings into training."""
import threading

import numpy as np
import pytest
from synthetic_writers import ALIEN, SLANTED, UPRIGHT, make_sample, unnamed_samples, writer_samples

import train
from mling import model_card, network, store, writers
from mling.writers import WriterError, accuracy_by_author, leave_one_writer_out


@pytest.fixture(scope="module")
def class_samples():
    """Ana and Ben write the same shapes in different styles; Zed writes other shapes entirely."""
    return writer_samples({"Ana": UPRIGHT, "Ben": SLANTED, "Zed": ALIEN}, per_class=20) + unnamed_samples(20)


def arrays(samples):
    X = store.bytes_to_images(b"".join(sample.pixels for sample in samples), len(samples))
    return X, np.array([sample.label for sample in samples])


def right_answers(params, samples):
    X, y = arrays(samples)
    return int((network.forward(params, X)[-1].argmax(axis=1) == y).sum())


@pytest.fixture(scope="module")
def model_without_zed(class_samples):
    """A model trained on Ana's, Ben's and the unnamed drawings, holding out every fifth of each; it never saw Zed."""
    learners = [s for s in class_samples if getattr(s, "author", None) != "Zed"]
    held_out = learners[::5]
    held_ids = {s.id for s in held_out}
    training = [s for s in learners if s.id not in held_ids]
    X, y = arrays(training)
    X_val, y_val = arrays(held_out)
    config = train.TrainConfig(epochs=20, batch_size=32, learning_rate=0.01, patience=None)
    result = train.fit(X, y, X_val, y_val, config)
    positions = [i for i, s in enumerate(class_samples) if s.id in {t.id for t in training}]
    summary = {"val_ids": np.array(sorted(held_ids)), **model_card.training_counts(class_samples, positions)}
    return result.params, summary, held_ids


def test_authors_are_read_from_the_samples_and_copies_take_their_originals(class_samples):
    copy = make_sample("copy-1", class_samples[0].pixels, class_samples[0].label, source="augmented",
                       parent=class_samples[0].id)
    authors = writers.authors_of([*class_samples[:2], copy, class_samples[-1]])
    assert authors.tolist() == ["Ana", "Ana", "Ana", None]
    assert writers.writer_names(class_samples) == ["Ana", "Ben", "Zed"]


def test_each_author_is_scored_on_drawings_the_model_did_not_learn_from(class_samples, model_without_zed):
    params, summary, held_ids = model_without_zed
    scores = {score.author: score for score in accuracy_by_author(params, summary, class_samples)}
    assert list(scores) == ["Ana", "Ben", "Zed", None]
    for author in ("Ana", "Ben", None):
        theirs = [s for s in class_samples if getattr(s, "author", None) == author]
        held = [s for s in theirs if s.id in held_ids]
        score = scores[author]
        assert score.scored == "held out" and score.total == len(theirs) == 200
        assert score.drawings == len(held) == 40
        assert score.correct == right_answers(params, held)
    zed = scores["Zed"]
    assert zed.scored == "all" and zed.drawings == zed.total == 200                # never saw Zed: all of them
    assert zed.correct == right_answers(params, [s for s in class_samples if getattr(s, "author", None) == "Zed"])
    assert zed.accuracy < 0.3 < 0.7 < scores["Ana"].accuracy                       # other shapes: about chance
    assert zed.text == f"Zed: {zed.accuracy:.1%} right ({zed.correct} of 200 drawings, none seen while learning)"
    assert scores[None].text.startswith("drawings without a name: ")


def test_without_a_record_of_whom_it_learned_from_only_held_out_drawings_count(class_samples, model_without_zed):
    params, summary, _ = model_without_zed
    scores = {s.author: s for s in accuracy_by_author(params, {"val_ids": summary["val_ids"]}, class_samples)}
    assert scores["Ana"].drawings == 40
    assert scores["Zed"].scored == "held out" and scores["Zed"].drawings == 0      # it may have seen them all
    assert scores["Zed"].text == "Zed: no drawings it has not learned from (all 200 were for learning)"
    assert np.isnan(scores["Zed"].accuracy)


def test_drawings_added_after_training_count_as_never_seen(class_samples, model_without_zed):
    params, summary, _ = model_without_zed
    late = [make_sample(f"late-{i}", s.pixels, s.label, created="2026-12-24T09:00:00Z", author="Ana")
            for i, s in enumerate(class_samples[:30])]
    samples = class_samples + late
    without_time = {s.author: s for s in accuracy_by_author(params, summary, samples)}
    with_time = {s.author: s for s in accuracy_by_author(params, {**summary, "data_until": "2026-12-02T00:00:00Z"},
                                                         samples)}
    assert without_time["Ana"].drawings == 40                                # the late ones might be trained on
    assert with_time["Ana"].drawings == 40 + 30 and with_time["Ana"].total == 230


def test_a_model_that_does_not_say_what_it_learned_from_is_scored_on_everything(class_samples, model_without_zed):
    params, _, _ = model_without_zed
    for score in accuracy_by_author(params, {}, class_samples):
        assert score.drawings == score.total == 200 and "may have learned" in score.scored
        assert "may have learned from some" in score.text


def test_leave_one_writer_out_reads_similar_handwriting_well_and_strange_handwriting_badly(class_samples):
    progress = []
    result = leave_one_writer_out(class_samples, on_progress=progress.append)
    by_writer = {w.writer: w for w in result.writers}
    assert list(by_writer) == ["Ana", "Ben", "Zed"] and not result.stopped
    assert by_writer["Ana"].accuracy > 0.6 and by_writer["Ben"].accuracy > 0.6
    assert by_writer["Zed"].accuracy < 0.3
    for w in result.writers:
        assert w.evaluation.total == 200 and w.evaluation.confusion.sum() == 200
        assert w.training_drawings == round(0.9 * 600)          # the two others and the unnamed, less 10% to check
        assert len(w.history) == writers.WRITER_EPOCHS
    assert result.drawings == 600
    assert result.overall_accuracy == pytest.approx(sum(w.evaluation.correct for w in result.writers) / 600)
    assert result.answer.startswith(f"Trained without each person's drawings, it read {result.overall_accuracy:.1%}")
    assert f"from {by_writer['Zed'].accuracy:.1%} for Zed to" in result.answer
    fractions = [p.fraction for p in progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1
    assert [p.part for p in progress if p.epoch == 0] == ["Ana", "Ben", "Zed"]


def test_the_tested_writers_drawings_never_reach_training(class_samples, monkeypatch):
    seen = []
    real_fit = train.fit

    def spy(X_train, y_train, X_val, y_val, config, **options):
        seen.append((np.array(X_train), np.array(X_val)))
        return real_fit(X_train, y_train, X_val, y_val, config, **options)

    monkeypatch.setattr(train, "fit", spy)
    result = leave_one_writer_out(class_samples, writers=["Ben"], with_unnamed=False)
    (X_train, X_val), = seen
    bens = {s.pixels for s in class_samples if getattr(s, "author", None) == "Ben"}
    trained = {bytes(row) for row in np.frombuffer(store.images_to_bytes(np.concatenate([X_train, X_val])),
                                                   np.uint8).reshape(-1, 784)}
    others = {s.pixels for s in class_samples if getattr(s, "author", None) in ("Ana", "Zed")}
    assert not bens & trained and trained == others                      # everyone else, and only them
    assert [w.writer for w in result.writers] == ["Ben"]
    assert result.answer.startswith("Trained without Ben's drawings, it read ")


def test_the_stop_flag_ends_leave_one_writer_out_after_the_current_batch(class_samples):
    stop = threading.Event()

    def stop_during_ben(progress):
        if progress.part == "Ben" and progress.epoch == 2:
            stop.set()

    result = leave_one_writer_out(class_samples, on_progress=stop_during_ben, stop_event=stop)
    assert result.stopped and [w.writer for w in result.writers] == ["Ana"]
    assert "stopped after 1 writer" in result.answer or result.answer.startswith("Trained without Ana")
    stop = threading.Event()
    stop.set()
    stopped = leave_one_writer_out(class_samples, stop_event=stop)
    assert stopped.stopped and not stopped.writers and "no answer yet" in stopped.answer


def test_leave_one_writer_out_says_what_is_missing(class_samples):
    unnamed = unnamed_samples(5)
    with pytest.raises(WriterError, match="merge the class's files first"):
        leave_one_writer_out(unnamed)
    with pytest.raises(WriterError, match="nobody called 'Eve' drew here; the names are: Ana, Ben, Zed"):
        leave_one_writer_out(class_samples, writers="Eve")
    only_ana = [s for s in class_samples if getattr(s, "author", None) == "Ana"]
    with pytest.raises(WriterError, match="nobody else to learn from"):
        leave_one_writer_out(only_ana)
    result = leave_one_writer_out(only_ana + unnamed)                    # the starter set is someone else enough
    assert [w.writer for w in result.writers] == ["Ana"]
