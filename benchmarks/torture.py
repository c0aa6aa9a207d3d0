"""Attack MLing's files the way a classroom would, and count what goes wrong. Run by hand; prints counts.

    python -m benchmarks.torture                 # 500 kills, 4 writers x 1,250 adds, 100 bad files each (~10 min)
    python -m benchmarks.torture --quick         # 40 kills, 4 x 100 adds, 20 bad files each (~1 min)

1. Kills: two writers at a time on one data.json, picked at random from the store (a program adding
   drawings), the window's writer (window/dataset.Dataset in its own process, saving bursts),
   add_noise.py, an import (`python store.py import idx`) and train.py (which writes the model);
   one or both are killed (SIGKILL) at a random moment. After every round data.json must open,
   and every add that was confirmed (the program printed its id after add() returned) must be in it.
2. Concurrent writers: three programs adding one drawing at a time and the window's writer, all at
   once on one data.json: every confirmed add in the final file exactly once, nobody refused.
3. Malformed files, for each entry point that reads them: data files (DataStore.open, `python store.py`,
   every import, the window's Dataset) and model files (run.py, train.py --resume, the window's
   Predictor). A bad file must give one line (an error, or the window's message), never a traceback.

Then the counts that must all be 0: corrupt files, lost samples, duplicates, leftover temporary
files, refusals ("try again", a failed save, a non-zero exit that was not a kill) and tracebacks.
Model files are written by network.save_model and read by run.load_model (not the store's code):
their figures are printed apart.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import gzip
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from mling import files, store, store_cli, transfer
from mling.samples import is_valid_id

REPOSITORY = Path(__file__).resolve().parent.parent
KILLS = 500              # SIGKILLs in the kill phase
WRITER_ADDS = 1_250      # adds per writer in the concurrent phase (4 writers)
MALFORMED = 100          # malformed files per entry point
ROUNDS_PER_FOLDER = 30   # kill rounds before a fresh folder (data.json stays a realistic size)
WRITER_LIMIT = 150       # adds a writer of the kill phase makes if it is not killed first
KILL_AFTER = {"import": (0.1, 0.9), "train": (0.5, 3.0)}   # seconds before the kill (default below):
KILL_AFTER_DEFAULT = (0.2, 2.0)                             # imports are quick, training is slower
STARTER = 300            # samples a fresh data.json starts with
SEED = 0
ENVIRONMENT = {**os.environ, "PYTHONPATH": str(REPOSITORY), "PYGAME_HIDE_SUPPORT_PROMPT": "1",
               "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}

# ---- the writers (each a fresh Python program; confirmed ids go to stdout, one a line) ----------

ADDER = """
import os, sys
import numpy as np
from mling import store
path, limit = sys.argv[1], int(sys.argv[2])
data = store.DataStore.open(path)
rng = np.random.default_rng(int.from_bytes(os.urandom(8), "little"))
for index in range(limit):
    image = np.zeros(784, np.float32)
    image[:8] = rng.integers(1, 256, 8) / 255        # unique pixels: no two adds are the same drawing
    image[300:340] = 0.8
    print(data.add(image, index % 10).id, flush=True)
"""

WINDOW = """
import os, sys, time
import numpy as np
from window.dataset import Dataset, WAIT
path, limit = sys.argv[1], int(sys.argv[2])
dataset = Dataset(path)
rng = np.random.default_rng(int.from_bytes(os.urandom(8), "little"))
saved = 0
while saved < limit:
    for _ in range(min(int(rng.integers(1, 20)), limit - saved)):   # a burst of quick saves
        image = np.zeros((28, 28), np.float32)
        image[0, :8] = rng.integers(1, 256, 8) / 255
        image[10:18, 10:14] = 0.9
        dataset.save(image, saved % 10)
        saved += 1
    dataset.wait_until_saved()
    for done in dataset.poll():
        if done.action == WAIT:
            continue
        if done.failed:
            print("FAILED", done.status.text.replace(chr(10), " "), flush=True)
        elif done.sample is not None:
            print(done.sample.id, flush=True)
dataset.close(60)
for done in dataset.poll():
    if done.action != WAIT:
        print(done.sample.id if not done.failed else "FAILED " + done.status.text, flush=True)
"""

ADD_NOISE = "import sys, add_noise; sys.exit(add_noise.main(sys.argv[1:]))"
STORE_CLI = "import sys; from mling import store_cli; sys.exit(store_cli.main(sys.argv[1:]))"
TRAIN = "import sys, train; sys.exit(train.main(sys.argv[1:]))"


def start(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], cwd=REPOSITORY,
                            env=ENVIRONMENT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Tally(Counter):
    """The counts printed at the end."""

    def problem(self, kind: str, detail: str) -> None:
        self[kind] += 1
        if self[kind] <= 3:
            print(f"    {kind}: {detail[:300]}", flush=True)


def confirmed_ids(output: str) -> list[str]:
    """The complete lines a writer printed that are sample ids (a killed writer may end mid-line)."""
    return [line for line in output.split("\n")[:-1] if is_valid_id(line)]


def check_output(name: str, process: subprocess.Popen, killed: bool, out: str, err: str, tally: Tally) -> None:
    """Tracebacks, refusals and failed saves in what a writer printed."""
    if "Traceback" in err:
        tally.problem("tracebacks", f"{name}: {err.strip().splitlines()[-1]}")
    if "changed by another program" in err + out or "try again" in err + out:
        tally.problem("refusals", f"{name}: {(err + out).strip()[-200:]}")
    for line in out.splitlines()[:-1] if killed else out.splitlines():
        if line.startswith("FAILED"):
            tally.problem("refusals", f"{name}: {line}")
    if not killed and process.returncode != 0:
        tally.problem("refusals", f"{name} exited {process.returncode}: {err.strip()[-200:]}")


# ---- 1. kills --------------------------------------------------------------------------------

def new_folder(parent: Path, number: int, rng: np.random.Generator) -> Path:
    folder = parent / f"kills{number:03d}"
    folder.mkdir()
    ink = np.zeros((STARTER, 28, 28), np.float32)
    ink[:, 6:22, 6:22] = rng.random((STARTER, 16, 16)) > 0.7
    store.DataStore.open(folder / "data.json").add_many(ink, np.arange(STARTER) % 10, "starter")
    return folder


def import_pair(folder: Path, rng: np.random.Generator) -> tuple[Path, Path, set[bytes]]:
    """A fresh IDX pair of 40 new images, and their (label, pixels) keys."""
    ink = np.zeros((40, 28, 28), np.uint8)
    ink[:, 5:23, 5:23] = rng.integers(0, 256, (40, 18, 18))
    labels = (np.arange(40) % 10).astype(np.uint8)
    tag = rng.integers(1 << 30)
    images_path, labels_path = folder / f"in{tag}-images-idx3-ubyte", folder / f"in{tag}-labels-idx1-ubyte"
    transfer.write_idx(images_path, ink)
    transfer.write_idx(labels_path, labels)
    return images_path, labels_path, {bytes([label]) + image.tobytes() for image, label in zip(ink, labels)}


def kill_phase(parent: Path, kills: int, rng: np.random.Generator, tally: Tally) -> dict:
    kinds = ["store", "window", "add_noise", "import", "train"]
    by_kind, folder, confirmed, imported, rounds = Counter(), None, set(), set(), 0
    models = []
    started = time.monotonic()
    while tally["kills"] < kills:
        if rounds % ROUNDS_PER_FOLDER == 0:
            if folder is not None:
                check_folder(folder, confirmed, imported, tally)
            folder, confirmed, imported = new_folder(parent, rounds // ROUNDS_PER_FOLDER, rng), set(), set()
            models.append(folder / "model_params.npz")
        rounds += 1
        data = folder / "data.json"
        running = []
        for kind in rng.choice(kinds, size=2):
            if kind == "store":
                process = start(ADDER, data, WRITER_LIMIT)
            elif kind == "window":
                process = start(WINDOW, data, WRITER_LIMIT)
            elif kind == "add_noise":
                process = start(ADD_NOISE, "--data", data, "--copies", 1, "--seed", int(rng.integers(1000)))
            elif kind == "import":
                images_path, labels_path, keys = import_pair(folder, rng)
                process = start(STORE_CLI, "import", "idx", images_path, labels_path, "--data", data)
                process.keys = keys
            else:
                process = start(TRAIN, "--data", data, "--model", folder / "model_params.npz", "--epochs", 2,
                                "--patience", 0)
            process.kind = kind
            running.append(process)
        victims = running if rng.random() < 0.5 else [running[int(rng.integers(2))]]
        low, high = min(KILL_AFTER.get(process.kind, KILL_AFTER_DEFAULT) for process in victims)
        time.sleep(float(rng.uniform(low, high)))
        for process in running:
            killed = process in victims and process.poll() is None
            if killed:
                process.send_signal(signal.SIGKILL)
                tally["kills"] += 1
                by_kind[process.kind] += 1
            out, err = process.communicate(timeout=300)
            check_output(process.kind, process, killed, out, err, tally)
            if process.kind in ("store", "window"):
                confirmed.update(confirmed_ids(out))
            if process.kind == "import" and process.returncode == 0:
                imported |= process.keys
        try:
            now = store.DataStore.open(data)      # every round: the file opens, and nothing confirmed is lost
        except store.DataStoreError as error:
            tally.problem("corrupt files", str(error))
            continue
        missing = confirmed - {sample.id for sample in now.samples}
        if missing:
            tally.problem("lost samples", f"{len(missing)} confirmed adds missing after round {rounds}")
            tally["lost samples"] += len(missing) - 1
            confirmed -= missing
        if rounds % 25 == 0:
            print(f"  {tally['kills']} kills, {rounds} rounds, {time.monotonic() - started:.0f} s", flush=True)
    check_folder(folder, confirmed, imported, tally)
    return {"rounds": rounds, "by_kind": by_kind, "models": models, "seconds": time.monotonic() - started}


def check_folder(folder: Path, confirmed: set[str], imported: set[bytes], tally: Tally) -> None:
    """The end of a folder's rounds: the file, its samples, duplicates, and temporaries left."""
    try:
        data = store.DataStore.open(folder / "data.json")   # (opening removes temporaries of killed writers)
    except store.DataStoreError as error:
        tally.problem("corrupt files", str(error))
        return
    ids = [sample.id for sample in data.samples]
    tally["samples checked"] += len(ids)
    missing = confirmed - set(ids)
    if missing:
        tally.problem("lost samples", f"{folder.name}: {len(missing)} confirmed adds missing")
        tally["lost samples"] += len(missing) - 1
    keys = Counter(bytes([sample.label]) + sample.pixels for sample in data.samples if sample.source != "augmented")
    doubled = sum(count - 1 for count in keys.values() if count > 1)
    if doubled:
        tally.problem("duplicates", f"{folder.name}: {doubled} samples twice")
        tally["duplicates"] += doubled - 1
    lost_imports = imported - set(keys)
    if lost_imports:
        tally.problem("lost samples", f"{folder.name}: {len(lost_imports)} images of finished imports missing")
        tally["lost samples"] += len(lost_imports) - 1
    for name in os.listdir(folder):
        if name.endswith(".tmp") and "model_params" not in name:
            tally.problem("leftover temporary files", f"{folder.name}/{name}")
    tally["confirmed adds checked"] += len(confirmed)


def model_leftovers(models: list[Path], tally: Tally) -> dict:
    """Model files after the kills: does each load, and which temporaries are left beside it."""
    from run import load_model
    result = Counter()
    for path in models:
        left = [name for name in os.listdir(path.parent) if name.endswith(".tmp") and "model_params" in name]
        result["temporaries left"] += len(left)
        files.remove_stale_temporaries(path)      # what the next write (or a load that cleans up) does
        result["temporaries left after cleaning"] += sum(name.endswith(".tmp") and "model_params" in name
                                                         for name in os.listdir(path.parent))
        if path.exists():
            try:
                load_model(path)
                result["loaded"] += 1
            except Exception as error:  # noqa: BLE001 - counted: a model file killed training left broken
                result["corrupt"] += 1
                print(f"    corrupt model {path}: {type(error).__name__}: {error}")
    return result


# ---- 2. concurrent writers ------------------------------------------------------------------

def concurrent_phase(parent: Path, adds: int, tally: Tally) -> dict:
    folder = parent / "concurrent"
    folder.mkdir()
    data = folder / "data.json"
    started = time.monotonic()
    writers = [start(ADDER, data, adds) for _ in range(3)] + [start(WINDOW, data, adds)]
    confirmed = []
    for number, process in enumerate(writers):
        out, err = process.communicate(timeout=3600)
        check_output("window" if number == 3 else "store", process, False, out, err, tally)
        confirmed += confirmed_ids(out)
    seconds = time.monotonic() - started
    ids = [sample.id for sample in store.DataStore.open(data).samples]
    counted = Counter(ids)
    lost = [sample_id for sample_id in confirmed if sample_id not in counted]
    if lost:
        tally.problem("lost samples", f"concurrent: {len(lost)} of {len(confirmed)} confirmed adds missing")
        tally["lost samples"] += len(lost) - 1
    if len(counted) != len(ids):
        tally.problem("duplicates", f"concurrent: {len(ids) - len(counted)} ids twice")
    for name in os.listdir(folder):
        if name.endswith(".tmp"):
            tally.problem("leftover temporary files", f"concurrent/{name}")
    return {"writers": len(writers), "confirmed": len(confirmed), "in file": len(ids), "seconds": seconds}


# ---- 3. malformed files --------------------------------------------------------------------

def good_data_text(rng: np.random.Generator, count: int = 30) -> str:
    samples = []
    for index in range(count):
        pixels = bytes(rng.integers(0, 256, 784, dtype=np.uint8))
        samples.append({"id": f"{index:08x}", "label": index % 10, "source": "drawn",
                        "created": "2026-11-26T21:04:05Z", "parent": None,
                        "image": base64.b64encode(pixels).decode()})
    return json.dumps({"format": "mling-data", "version": 2, "image_encoding": store.IMAGE_ENCODING,
                       "samples": samples}, indent=None).replace('}, {"id"', '},\n{"id"')


def malformed_data_files(folder: Path, count: int, rng: random.Random, nprng: np.random.Generator) -> list[Path]:
    """`count` broken data files: cut short, bytes flipped, fields of wrong types or values, not JSON..."""
    good = good_data_text(nprng)
    raw = good.encode()
    ugly_values = [None, True, -1, 12, 3.5, "7", "", "../../x", "/etc/passwd", "x" * 100, [], {}, 1e308,
                   10 ** 400, "\u2603", "AAAA", "a\nb"]
    makers = [
        lambda: raw[:rng.randrange(len(raw))],                                             # cut short
        lambda: bytes(b ^ (1 << rng.randrange(8)) if rng.random() < 0.001 else b for b in raw),  # bits flipped
        lambda: raw.replace(b'"label": ', b'"label": ' + rng.choice([b"-", b"1", b"99", b'"', b"[", b"1e999"]), 1),
        lambda: _field_changed(good, rng.choice(["id", "label", "source", "created", "parent", "image", "author"]),
                               rng.choice(ugly_values), rng),
        lambda: _field_changed(good, rng.choice(["format", "version", "image_encoding", "samples"]),
                               rng.choice(ugly_values), rng, header=True),
        lambda: b"[" * rng.randrange(1, 200_000),
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5000))),           # random bytes
        lambda: b"\xef\xbb\xbf" + raw if rng.random() < 0.5 else b"\xff\xfe" + raw,          # BOMs
        lambda: json.dumps({"data": [{"input": [rng.choice(ugly_values)] * rng.choice([783, 784, 785]),
                                      "output": rng.choice(ugly_values + [3])}]}).encode(),  # original format
        lambda: json.dumps({"data": [{"input": [rng.uniform(-5, 5)] * 784, "output": 3}] * 3}).encode(),
        lambda: raw.replace(b'"id": "00000001"', b'"id": "00000000"'),                       # the same id twice
        lambda: b"",
        lambda: gzip.compress(raw),
    ]
    paths = []
    for index in range(count):
        path = folder / f"bad{index:04d}.json"
        path.write_bytes(makers[index % len(makers)]())
        paths.append(path)
    return paths


def _field_changed(text: str, key: str, value, rng: random.Random, header: bool = False) -> bytes:
    data = json.loads(text)
    target = data if header else rng.choice(data["samples"])
    if rng.random() < 0.2:
        target.pop(key, None)
    else:
        target[key] = value
    return json.dumps(data, default=str).encode()


def malformed_idx_pairs(folder: Path, count: int, rng: random.Random) -> list[tuple[Path, Path]]:
    good_images = bytes([0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 28, 0, 0, 0, 28]) + bytes(range(256)) * 12 + bytes(64)
    good_labels = bytes([0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4])
    makers = [
        lambda: (good_images[:rng.randrange(len(good_images))], good_labels),
        lambda: (good_images, good_labels[:rng.randrange(len(good_labels))]),
        lambda: (bytes([0, 0, rng.choice([8, 9, 11, 12, 13, 14, 99]), rng.randrange(256)]) + good_images[4:],
                 good_labels),
        lambda: (bytes([0, 0, 8, 3]) + bytes([255, 255, 255, 255]) * 3 + good_images[16:], good_labels),  # huge
        lambda: (good_images, bytes([0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, rng.randrange(10, 256)])),     # label > 9
        lambda: (good_labels, good_images),                                                          # swapped
        lambda: (gzip.compress(good_images)[:rng.randrange(10, 60)], good_labels),                   # gzip cut
        lambda: (bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000))), good_labels),
        lambda: (good_images, bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5])),                      # 5 labels
        lambda: (bytes([0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 28]), good_labels),            # no pixels
    ]
    pairs = []
    for index in range(count):
        images, labels = makers[index % len(makers)]()
        pair = (folder / f"bad{index:04d}-images", folder / f"bad{index:04d}-labels")
        pair[0].write_bytes(images)
        pair[1].write_bytes(labels)
        pairs.append(pair)
    return pairs


def malformed_image_folders(folder: Path, count: int, rng: random.Random) -> list[Path]:
    from PIL import Image
    png = io.BytesIO()
    Image.fromarray(np.full((28, 28), 40, np.uint8)).save(png, format="PNG")
    good = png.getvalue()
    makers = [
        lambda: good[:rng.randrange(8, len(good))],
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(0, 2000))),
        lambda: b"",
        lambda: good[:16] + (100_000).to_bytes(4, "big") * 2 + good[24:],        # a header promising 10^10 pixels
        lambda: b"GIF89a" + bytes(rng.randrange(256) for _ in range(100)),
        lambda: good.replace(b"IDAT", b"IDAX"),
    ]
    folders = []
    for index in range(count):
        root = folder / f"badfolder{index:04d}"
        digit = root / str(index % 10)
        digit.mkdir(parents=True)
        (digit / f"x{index}.png").write_bytes(makers[index % len(makers)]())
        if index % 7 == 0:
            (root / rng.choice(["seven", "10", "07"])).mkdir()
        folders.append(root)
    return folders


def malformed_model_files(folder: Path, count: int, rng: random.Random) -> list[Path]:
    good = io.BytesIO()
    np.savez(good, W1=np.zeros((16, 784)), b1=np.zeros(16), W2=np.zeros((16, 16)), b2=np.zeros(16),
             W3=np.zeros((10, 16)), b3=np.zeros(10), layer_sizes=np.array([784, 16, 16, 10]),
             format_version=np.array(2))
    raw = good.getvalue()

    def npz(**arrays) -> bytes:
        out = io.BytesIO()
        np.savez(out, **arrays)
        return out.getvalue()

    def zip_of_text() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("W1.npy", "hello, not an array")
        return out.getvalue()

    makers = [
        lambda: raw[:rng.randrange(len(raw))],
        lambda: bytes(b ^ (1 << rng.randrange(8)) if rng.random() < 0.002 else b for b in raw),
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(0, 4000))),
        zip_of_text,
        lambda: npz(W1=np.zeros((16, 784)), b1=np.zeros(16), layer_sizes=np.array([784, 10 ** 9, 10])),
        lambda: npz(W1=np.full((16, 784), 1e30), b1=np.zeros(16), W2=np.zeros((10, 16)), b2=np.zeros(10)),
        lambda: npz(W1=np.full((16, 784), np.nan), b1=np.zeros(16), W2=np.zeros((10, 16)), b2=np.zeros(10)),
        lambda: npz(W1=np.zeros((16, 700)), b1=np.zeros(16), W2=np.zeros((10, 16)), b2=np.zeros(10)),
        lambda: npz(W1=np.array(["a"] * 4), b1=np.zeros(16)),
        lambda: npz(W1=np.zeros((16, 784)), b1=np.zeros(16), W2=np.zeros((10, 17)), b2=np.zeros(10)),
        lambda: npz(W1=np.zeros((16, 784), dtype=np.complex64), b1=np.zeros(16), W2=np.zeros((10, 16)),
                    b2=np.zeros(10)),
        lambda: npz(W1=np.zeros((16, 784)), b1=np.zeros(16), W2=np.zeros((10, 16)), b2=np.zeros(10),
                    layer_sizes=np.array(["x"])),
        lambda: b"",
    ]
    paths = []
    for index in range(count):
        path = folder / f"bad{index:04d}.npz"
        path.write_bytes(makers[index % len(makers)]())
        paths.append(path)
    return paths


def one_line_outcome(call) -> str:
    """'ok', 'one line' (exit 1/2 and a single error line) or 'traceback' for a call of a main()."""
    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = call()
    except SystemExit as stop:
        code = stop.code
    except BaseException:  # noqa: BLE001 - this is what the test counts
        return "traceback: " + traceback.format_exc().strip().splitlines()[-1]
    lines = [line for line in err.getvalue().splitlines() if not line.startswith(("note: ", "usage:"))]
    if code == 0:
        return "ok" if "nan" not in out.getvalue().lower() else "exit 0 with nan"
    if len(lines) == 1 and lines[0].startswith("error: "):
        return "one line"
    return f"exit {code} with {len(lines)} lines: {' | '.join(lines)[:200]}"


def malformed_phase(parent: Path, count: int, rng: random.Random, nprng: np.random.Generator,
                    tally: Tally) -> dict:
    import run
    import train
    from window.dataset import Dataset
    from window.predictor import Predictor

    folder = parent / "malformed"
    folder.mkdir()
    data_files = malformed_data_files(folder, count, rng, nprng)
    target = folder / "target.json"
    store.DataStore.open(target).add_many(np.zeros((0, 28, 28)), [], "drawn")
    small = folder / "small.json"
    small.write_text(good_data_text(nprng, 200))
    digit_png = folder / "digit.png"
    from PIL import Image
    ink = np.zeros((28, 28), np.uint8)
    ink[6:22, 12:16] = 255
    Image.fromarray(ink).save(digit_png)

    def datastore_open(path):
        try:
            store.DataStore.open(path)
        except store.DataStoreError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        return 0

    def window_dataset(path):
        dataset = Dataset(path)
        if dataset.error is not None:
            print(f"error: {dataset.error}", file=sys.stderr)   # what the window shows, in one line
            return 1
        return 0

    def predictor(path):
        status = Predictor(path).load()
        if status.kind != "success":
            print(f"error: {status.text}", file=sys.stderr)
            return 1
        return 0

    entry_points = {
        "data: DataStore.open": [lambda p=p: datastore_open(p) for p in data_files],
        "data: python store.py --data": [lambda p=p: store_cli.main(["--data", str(p)]) for p in data_files],
        "data: window Dataset": [lambda p=p: window_dataset(p) for p in data_files],
        "data: import mling": [lambda p=p: store_cli.main(["import", "mling", str(p), "--data", str(target)])
                               for p in data_files],
        "data: merge": [lambda p=p: store_cli.main(["merge", str(p), "--data", str(target)]) for p in data_files],
        "data: import idx": [lambda a=a, b=b: store_cli.main(["import", "idx", str(a), str(b), "--data", str(target)])
                             for a, b in malformed_idx_pairs(folder, count, rng)],
        "data: import folder": [lambda p=p: store_cli.main(["import", "folder", str(p), "--data", str(target)])
                                for p in malformed_image_folders(folder, count, rng)],
    }
    models = malformed_model_files(folder, count, rng)
    model_points = {
        "model: run.py": [lambda p=p: run.main([str(digit_png), "--model", str(p)]) for p in models],
        "model: train.py --resume": [lambda p=p: train.main(["--resume", "--model", str(p), "--data", str(small),
                                                             "--epochs", "1"]) for p in models],
        "model: window Predictor": [lambda p=p: predictor(p) for p in models],
    }
    results = {}
    for name, calls in {**entry_points, **model_points}.items():
        outcomes = Counter()
        for call in calls:
            outcome = one_line_outcome(call)
            kind = outcome if outcome in ("ok", "one line") else outcome.split(":")[0]
            outcomes[kind] += 1
            if outcome not in ("ok", "one line") and name.startswith("data"):
                tally.problem("tracebacks" if outcome.startswith("traceback") else "refusals", f"{name}: {outcome}")
            elif outcome not in ("ok", "one line") and outcomes[kind] <= 2:
                print(f"    {name}: {outcome}")
        results[name] = outcomes
        print(f"  {name:28s} {len(calls):4d} files: " + ", ".join(f"{n} {k}" for k, n in outcomes.items()),
              flush=True)
    leftover = [name for name in os.listdir(folder) if name.endswith(".tmp")]
    for name in leftover:
        tally.problem("leftover temporary files", f"malformed/{name}")
    return results


# ---- the run --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kill, crowd and feed bad files to MLing; count the damage.")
    parser.add_argument("--quick", action="store_true", help="40 kills, 4 x 100 adds, 20 bad files each")
    parser.add_argument("--kills", type=int, help=f"SIGKILLs (default {KILLS})")
    parser.add_argument("--adds", type=int, help=f"adds per concurrent writer (default {WRITER_ADDS})")
    parser.add_argument("--malformed", type=int, help=f"bad files per entry point (default {MALFORMED})")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    if os.name == "nt":
        print("error: the kill phase sends SIGKILL; run this on Linux or macOS", file=sys.stderr)
        return 2
    os.environ.update(PYGAME_HIDE_SUPPORT_PROMPT="1", SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    kills = args.kills if args.kills is not None else (40 if args.quick else KILLS)
    adds = args.adds if args.adds is not None else (100 if args.quick else WRITER_ADDS)
    malformed = args.malformed if args.malformed is not None else (20 if args.quick else MALFORMED)
    nprng, rng, tally = np.random.default_rng(args.seed), random.Random(args.seed), Tally()
    with contextlib.ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            parent = args.keep
        else:
            parent = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = time.monotonic()
        print(f"1. kills: {kills} SIGKILLs, two writers at a time", flush=True)
        killed = kill_phase(parent, kills, nprng, tally)
        models = model_leftovers(killed["models"], tally)
        print(f"  {tally['kills']} kills in {killed['rounds']} rounds ({killed['seconds']:.0f} s): "
              + ", ".join(f"{kind} {n}" for kind, n in sorted(killed["by_kind"].items())))
        print(f"  checked {tally['confirmed adds checked']:,} confirmed adds in {tally['samples checked']:,} samples")
        print(f"\n2. concurrent writers: 3 programs adding and the window's writer, {adds:,} adds each", flush=True)
        crowd = concurrent_phase(parent, adds, tally)
        print(f"  {crowd['confirmed']:,} confirmed adds, {crowd['in file']:,} samples in the file, "
              f"{crowd['seconds']:.0f} s")
        print(f"\n3. malformed files: {malformed} per entry point", flush=True)
        malformed_results = malformed_phase(parent, malformed, rng, nprng, tally)
        model_tracebacks = sum(outcomes.get("traceback", 0) for name, outcomes in malformed_results.items()
                               if name.startswith("model"))
        print(f"\nmust be 0 (data files, written and read by the store): {time.monotonic() - started:.0f} s")
        for kind in ("corrupt files", "lost samples", "duplicates", "leftover temporary files", "refusals",
                     "tracebacks"):
            print(f"  {kind:26s} {tally[kind]}")
        print("model files (network.save_model / run.load_model):")
        print(f"  after the kills: {models['loaded']} loaded, {models['corrupt']} corrupt, "
              f"{models['temporaries left']} temporaries left ({models['temporaries left after cleaning']} "
              f"after files.remove_stale_temporaries)")
        print(f"  malformed model files: {model_tracebacks} tracebacks, "
              f"{sum(o.get('exit 0 with nan', 0) for o in malformed_results.values())} exit 0 with nan")
    bad = sum(tally[kind] for kind in ("corrupt files", "lost samples", "duplicates", "leftover temporary files",
                                       "refusals", "tracebacks"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
