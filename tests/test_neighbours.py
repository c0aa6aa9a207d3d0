"""Why this guess: the nearest drawings are the nearest (checked by brute force), and "probably
mislabelled" finds drawings saved under a wrong label among the held-out samples only."""
import numpy as np
import pytest
from synthetic import make_synthetic_digits

import train
from mling import held_out, hidden_map, neighbours, network, store


def test_the_nearest_drawings_are_the_nearest_by_brute_force():
    rng = np.random.default_rng(0)
    reference, query = rng.normal(size=(200, 16)), rng.normal(size=(9, 16))
    indices, distances = neighbours.nearest_drawings(reference, query, k=5)
    for row, q in enumerate(query):
        every = np.array([np.linalg.norm(q - r) for r in reference])
        np.testing.assert_array_equal(indices[row], np.argsort(every)[:5])
        np.testing.assert_allclose(distances[row], np.sort(every)[:5], atol=1e-9)


def test_one_drawing_and_fewer_references_than_k():
    reference = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]])
    indices, distances = neighbours.nearest_drawings(reference, np.array([0.0, 0.0]), k=10)
    np.testing.assert_array_equal(indices, [[0, 2, 1]])
    np.testing.assert_allclose(distances, [[0.0, 1.0, 5.0]])
    with pytest.raises(ValueError, match="no training drawings"):
        neighbours.nearest_drawings(np.zeros((0, 2)), np.zeros(2))


def test_a_training_drawing_is_its_own_nearest_in_hidden_layer_2():
    params = network.init_params(rng=np.random.default_rng(1))
    X, _ = make_synthetic_digits(per_class=10, seed=0)
    reference = hidden_map.hidden_activations(params, X)
    indices, distances = neighbours.nearest_drawings(reference, hidden_map.hidden_activations(params, X[[4, 17]]), k=3)
    assert list(indices[:, 0]) == [4, 17] and np.allclose(distances[:, 0], 0.0, atol=1e-3)


@pytest.fixture(scope="module")
def store_with_wrong_labels(tmp_path_factory):
    """A trained model, and a data file whose held-out part has 5 drawings saved under a wrong label
    (the training part has 5 such drawings too, which must NOT be listed)."""
    X, y = make_synthetic_digits(per_class=40, seed=0)
    result = train.fit(X, y, config=train.TrainConfig(epochs=30, batch_size=32, learning_rate=0.01))
    X_new, y_new = make_synthetic_digits(per_class=10, seed=5)
    saved = y_new.copy()
    saved[:10] = (y_new[:10] + 3) % 10                 # 10 drawings under a wrong label
    data = store.DataStore.open(tmp_path_factory.mktemp("data") / "data.json")
    samples = data.add_many(X_new.reshape(-1, 28, 28), saved, source="drawn")
    val_ids = [s.id for s in samples[5:]]              # 5 wrong + 90 right held out; samples[:5] "trained on"
    return result.params, data, val_ids, [s.id for s in samples[5:10]], [s.id for s in samples[:5]]


def test_probably_mislabelled_finds_the_wrong_labels_among_the_held_out_drawings(store_with_wrong_labels):
    params, data, val_ids, wrong_held_out, wrong_in_training = store_with_wrong_labels
    suspects = neighbours.mislabelled_held_out(params, data, val_ids, count=5)
    assert {s.id for s in suspects} == set(wrong_held_out)
    assert not {s.id for s in suspects} & set(wrong_in_training)
    X, y, ids = held_out.held_out_arrays(data, val_ids)
    probabilities = network.predict_probabilities(params, X)
    for suspect in suspects:
        row = ids.index(suspect.id)
        assert suspect.label == y[row] and suspect.guess == probabilities[row].argmax() != y[row]
        assert suspect.loss == pytest.approx(-np.log(probabilities[row, y[row]]), rel=1e-5)
        assert suspect.confidence == pytest.approx(probabilities[row].max(), rel=1e-6)
    assert [s.loss for s in suspects] == sorted((s.loss for s in suspects), reverse=True)


def test_held_out_arrays_follow_the_ids_and_skip_deleted_samples(store_with_wrong_labels):
    _, data, val_ids, _, _ = store_with_wrong_labels
    wanted = [val_ids[3], "gone0000", val_ids[0]]
    X, y, ids = held_out.held_out_arrays(data, wanted)
    by_id = {s.id: s for s in data.samples}
    assert ids == [val_ids[3], val_ids[0]]
    np.testing.assert_array_equal(X, np.stack([by_id[i].image.reshape(-1) for i in ids]))
    np.testing.assert_array_equal(y, [by_id[i].label for i in ids])
