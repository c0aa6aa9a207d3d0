"""Several MLing programs changing one data.json at once, as real processes: every confirmed change
is in the final file exactly once, nobody is refused, and nothing is left behind."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from mling import store, transfer

REPOSITORY = Path(__file__).resolve().parent.parent
ENVIRONMENT = {**os.environ, "PYTHONPATH": str(REPOSITORY), "PYGAME_HIDE_SUPPORT_PROMPT": "1",
               "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}

ADDER = """
import sys
import numpy as np
from mling import store
path, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = store.DataStore.open(path)
for index in range(count):
    image = np.zeros(784, np.float32)
    image[:3] = (writer + 1) / 255, (index // 255 + 1) / 255, (index % 255 + 1) / 255   # unique pixels
    sample = data.add(image, index % 10)
    print(sample.id, flush=True)          # confirmed: add() returned, the sample is on disk
"""


def start(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], cwd=REPOSITORY,
                            env=ENVIRONMENT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def leftovers(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if name.endswith(".tmp")]


def test_three_programs_adding_at_once_lose_nothing(tmp_path):
    path = tmp_path / "data.json"
    writers = [start(ADDER, path, writer, 40) for writer in range(3)]
    results = [finish(writer) for writer in writers]
    assert [code for code, _, _ in results] == [0, 0, 0], [err for _, _, err in results]
    confirmed = [line for _, out, _ in results for line in out.split()]
    ids = [sample.id for sample in store.DataStore.open(path).samples]
    assert len(confirmed) == 120 and sorted(ids) == sorted(confirmed)      # each exactly once
    assert leftovers(tmp_path) == []


def test_add_noise_and_an_import_succeed_while_another_program_keeps_saving(tmp_path):
    path = tmp_path / "data.json"
    rng = np.random.default_rng(0)
    ink = np.zeros((30, 28, 28), np.uint8)
    ink[:, 6:22, 6:22] = rng.integers(0, 256, (30, 16, 16))
    store.DataStore.open(path).add_many(ink[:10] / 255, np.arange(10), "drawn")
    transfer.write_idx(tmp_path / "images-idx3-ubyte", ink[10:])
    transfer.write_idx(tmp_path / "labels-idx1-ubyte", (np.arange(20) % 10).astype(np.uint8))
    window = start(ADDER, path, 9, 60)
    noise = start("import sys, add_noise; sys.exit(add_noise.main(sys.argv[1:]))", "--data", path, "--copies", 2)
    importer = start("import sys; from mling import store_cli; sys.exit(store_cli.main(sys.argv[1:]))",
                     "import", "idx", tmp_path / "images-idx3-ubyte", tmp_path / "labels-idx1-ubyte", "--data", path)
    (window_code, window_out, _), (noise_code, _, noise_err), (import_code, import_out, import_err) = \
        finish(window), finish(noise), finish(importer)
    assert (window_code, noise_code, import_code) == (0, 0, 0), (noise_err, import_err)
    assert "changed by another program" not in noise_err + import_err
    samples = store.DataStore.open(path).samples
    assert set(window_out.split()) <= {sample.id for sample in samples}
    assert sum(sample.source == "imported" for sample in samples) == 20 and "Imported 20 samples" in import_out
    copies = [sample for sample in samples if sample.source == "augmented"]
    assert len(copies) >= 2 * 10 and {sample.parent for sample in copies} <= {sample.id for sample in samples}
    assert leftovers(tmp_path) == []


def test_four_imports_started_together_all_succeed_and_add_each_image_once(tmp_path):
    path = tmp_path / "data.json"
    folders = []
    for number in range(4):
        folder = tmp_path / f"idx{number}"
        folder.mkdir()
        ink = np.zeros((25, 28, 28), np.uint8)
        ink[:, 6:22, 6:22] = np.random.default_rng(number).integers(0, 256, (25, 16, 16))
        transfer.write_idx(folder / "images-idx3-ubyte", ink)
        transfer.write_idx(folder / "labels-idx1-ubyte", (np.arange(25) % 10).astype(np.uint8))
        folders.append(folder)
    folders.append(folders[0])   # the same files twice: their images once
    importers = [start("import sys; from mling import store_cli; sys.exit(store_cli.main(sys.argv[1:]))",
                       "import", "idx", folder / "images-idx3-ubyte", folder / "labels-idx1-ubyte", "--data", path)
                 for folder in folders]
    results = [finish(importer) for importer in importers]
    assert [code for code, _, _ in results] == [0] * 5, [err for _, _, err in results]
    samples = store.DataStore.open(path).samples
    assert len(samples) == 100 and len({sample.pixels for sample in samples}) == 100
    assert leftovers(tmp_path) == []


def test_the_window_writer_and_a_terminal_program_at_once(tmp_path):
    """window/dataset.Dataset in its own process saves a burst while a terminal program adds."""
    path = tmp_path / "data.json"
    window = start("""
        import sys, numpy as np
        from window.dataset import Dataset, WAIT
        dataset = Dataset(sys.argv[1])
        for index in range(50):
            image = np.zeros((28, 28), np.float32)
            image[0, :3] = 0.2, (index + 1) / 255, 0.3
            dataset.save(image, index % 10)
        assert dataset.close(60)
        for done in dataset.poll():
            if done.action != WAIT:
                assert not done.failed, done.status.text
                print(done.sample.id, flush=True)
    """, path)
    terminal = start(ADDER, path, 5, 50)
    (window_code, window_out, window_err), (terminal_code, terminal_out, _) = finish(window), finish(terminal)
    assert (window_code, terminal_code) == (0, 0), window_err
    confirmed = window_out.split() + terminal_out.split()
    assert len(confirmed) == 100
    assert sorted(sample.id for sample in store.DataStore.open(path).samples) == sorted(confirmed)
