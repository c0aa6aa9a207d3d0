"""Training in its own process, steered like the window steers it: pause, step, +1 epoch, speed,
reset, stop, close. The weights the job reports are compared with a train.Trainer stepped the
same way in this process (same data, same seed: the same numbers, bit for bit)."""
import dataclasses
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from synthetic import make_synthetic_digits

import train
from mling import background_training, network, store
from mling.background_training import (
    Batch,
    Done,
    Epoch,
    Failed,
    Notice,
    Restarted,
    Snapshot,
    Started,
    State,
    TrainingJob,
    TrainingRequest,
    Worker,
)
from mling.paths import REPOSITORY

CONFIG = train.TrainConfig(epochs=100_000, batch_size=32, learning_rate=0.01, patience=None)  # never ends by itself
SHORT = dataclasses.replace(CONFIG, epochs=2)
BOTH = pytest.mark.parametrize("prefer_process", [True, False], ids=["process", "thread"])


@pytest.fixture
def paths(tmp_path):
    """data.json with 300 synthetic drawings (260 train, 4 of each digit held out: 9 batches of 32 an epoch)."""
    X, y = make_synthetic_digits(per_class=30, seed=0)
    store.DataStore.open(tmp_path / "data.json").add_many(X.reshape(-1, 28, 28), y, source="drawn")
    return tmp_path / "data.json", tmp_path / "model.npz"


@pytest.fixture
def jobs():
    """Start jobs through this; every one is closed after the test, whatever happened."""
    started = []

    def start(*args, **kwargs) -> TrainingJob:
        job = TrainingJob(*args, **kwargs)
        started.append(job)
        job.start()
        return job

    yield start
    for job in started:
        job.close(timeout=20)


def collect(job, until, timeout=60.0):
    """Poll like a window (every 10 ms) until `until(messages)`; returns every message so far."""
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages += job.poll()
        if until(messages):
            return messages
        time.sleep(0.01)
    raise AssertionError(f"timed out; the last messages: {[type(m).__name__ for m in messages][-12:]}")


def paused_at(step=None, after=-1):
    """Until a State says the job waits (at `step`, or at any step after `after`)."""
    return lambda messages: any(isinstance(m, State) and m.state == "paused" and step in (None, m.step)
                                and m.step > after for m in messages)


def arrived(kind, count=1):
    return lambda messages: sum(isinstance(m, kind) for m in messages) >= count


def of(kind, messages):
    return [m for m in messages if isinstance(m, kind)]


def reference(paths, config=CONFIG) -> train.Trainer:
    """The same run built in this process, before the job can write any model."""
    return train.prepare_training(*paths, config).trainer


def stepped(trainer: train.Trainer, count: int) -> np.ndarray:
    with train.single_blas_thread():
        for _ in range(count):
            trainer.step()
    return trainer.params.flat


@BOTH
def test_pause_step_and_resume_run_exactly_the_batches_asked_for(paths, jobs, prefer_process):
    trainer = reference(paths)
    job = jobs(*paths, CONFIG, paused=True, prefer_process=prefer_process)
    messages = collect(job, paused_at(0))
    started = of(Started, messages)[0]
    assert (started.mode, started.batches_per_epoch, started.train_samples) == (job.mode, 9, 260)
    assert job.mode == ("process" if prefer_process else "thread")
    np.testing.assert_array_equal(of(Snapshot, messages)[-1].flat, trainer.params.flat)   # the start, step 0
    time.sleep(0.2)
    assert not of(Batch, job.poll())                         # paused: nothing is learned

    for _ in range(3):
        job.step()
    messages = collect(job, paused_at(3))
    assert [m.step for m in of(Batch, messages)] == [1, 2, 3]
    assert [m.step for m in of(Snapshot, messages)] == [1, 2, 3]           # the weights after every batch
    np.testing.assert_array_equal(of(Snapshot, messages)[-1].flat, stepped(trainer, 3))
    assert of(Batch, messages)[0].loss == pytest.approx(-math.log(1 / 10), rel=0.3)   # a fresh net guesses

    job.set_speed(40)                                       # slow motion: every batch is reported
    job.resume()
    messages = collect(job, arrived(Batch, 5))
    job.pause()
    messages += collect(job, paused_at(after=3))
    paused = [m for m in of(State, messages) if m.state == "paused"][-1]
    assert [m.step for m in of(Batch, messages)] == list(range(4, paused.step + 1))   # none skipped, none extra
    assert of(Snapshot, messages)[-1].step == paused.step == job.step_count
    np.testing.assert_array_equal(job.snapshot.flat, stepped(trainer, paused.step - 3))
    time.sleep(0.2)
    assert not of(Batch, job.poll())


@BOTH
def test_one_more_epoch_runs_exactly_to_the_end_of_an_epoch(paths, jobs, prefer_process):
    trainer = reference(paths)
    job = jobs(*paths, CONFIG, paused=True, prefer_process=prefer_process)
    collect(job, paused_at(0))
    for _ in range(3):
        job.step()
    collect(job, paused_at(3))
    job.one_more_epoch()                                    # from batch 3: the rest of epoch 1
    messages = collect(job, paused_at(9))
    assert [m.stats.epoch for m in of(Epoch, messages)] == [1]
    job.one_more_epoch()                                    # from between epochs: one whole epoch
    messages = collect(job, paused_at(18))
    assert [m.stats.epoch for m in of(Epoch, messages)] == [2]
    assert of(Epoch, messages)[0].stats.params is None      # weights come as Snapshots
    np.testing.assert_array_equal(job.snapshot.flat, stepped(trainer, 18))
    time.sleep(0.2)
    assert not of(Epoch, job.poll())


@pytest.mark.parametrize("learning_rate, better", [(0.01, True), (0.3, False)], ids=["learns", "too-big-steps"])
def test_one_more_epoch_after_the_run_ended_carries_on_with_it(paths, jobs, learning_rate, better):
    job = jobs(*paths, dataclasses.replace(SHORT, learning_rate=learning_rate))
    first = of(Done, collect(job, arrived(Done)))[0].result
    assert len(first.history) == 2 and not job.running and job.alive
    files = sorted(paths[1].parent.iterdir())
    job.one_more_epoch()
    messages = collect(job, arrived(Done))
    second = of(Done, messages)[0].result
    assert [m.stats.epoch for m in of(Epoch, messages)] == [3]
    assert [stats.epoch for stats in second.history] == [1, 2, 3] and second.steps == 27
    params, summary = network.load_model(paths[1])          # the rule decided again, on the same held-out set
    assert (second.best_epoch == 3) == better
    if better:
        np.testing.assert_array_equal(params.flat, second.params.flat)
        assert second.choice.kept == "new" and second.choice.other_path.exists()   # the first one, backed up
    else:                                                   # the same model: not saved again, no new backup
        assert "unchanged" in second.message and second.choice is None
        np.testing.assert_array_equal(params.flat, first.params.flat)
        assert sorted(path for path in paths[1].parent.iterdir() if path.suffix == ".npz") == \
            [path for path in files if path.suffix == ".npz"]
    assert list(summary["val_ids"]) == second.val_ids == first.val_ids


def test_reset_with_a_seed_gives_the_same_start_and_the_same_steps(paths, jobs):
    trainer = reference(paths)
    seeded = train.Trainer(trainer.X, trainer.y, trainer.X_val, trainer.y_val, dataclasses.replace(CONFIG, seed=7))
    start = seeded.params.flat.copy()                      # what train.py --seed 7 starts from
    job = jobs(*paths, CONFIG, paused=True)
    collect(job, paused_at(0))
    job.step()
    collect(job, paused_at(1))
    assert job.reset(7) == 7
    messages = collect(job, paused_at(0))
    assert of(Restarted, messages)[0].seed == 7 == job.seed
    np.testing.assert_array_equal(of(Snapshot, messages)[-1].flat, start)
    job.step()
    job.step()
    collect(job, paused_at(2))
    np.testing.assert_array_equal(job.snapshot.flat, stepped(seeded, 2))   # the shuffling follows the seed too
    job.reset(7)
    collect(job, paused_at(0))
    np.testing.assert_array_equal(job.snapshot.flat, start)
    job.reset(8)
    collect(job, paused_at(0))
    assert not np.array_equal(job.snapshot.flat, start)
    job.reset(7)
    job.one_more_epoch()
    collect(job, paused_at(9))
    job.stop()
    collect(job, arrived(Done))
    assert network.load_model(paths[1])[1]["seed"] == 7    # the model says which seed its weights came from


class ScriptedChannel:
    """The worker's channel with a pretend clock: waiting `timeout` moves the clock on by it, and
    each look at the clock by 0.1 ms (the work between looks).

    `script` is a list of (condition on the messages sent so far, command): each command is given
    once its condition holds, in order.
    """

    def __init__(self, script):
        self.script, self.now, self.messages, self.sent_at, self.waits = list(script), 0.0, [], [], []
        self.given_at: dict[str, int] = {}      # command -> how many waits had happened when it was given

    def clock(self) -> float:
        self.now += 1e-4
        return self.now

    def receive(self, timeout):
        if self.script and self.script[0][0](self.messages):
            command = self.script.pop(0)[1]
            self.given_at[command[0] + str(command[1])] = len(self.waits)
            return command
        self.waits.append(timeout)
        self.now += timeout
        return None

    def send(self, message):
        self.messages.append(message)
        self.sent_at.append(self.now)


def test_the_speed_sets_the_time_between_batches(paths):
    always = lambda messages: True  # noqa: E731
    channel = ScriptedChannel([(always, ("begin", None)), (always, ("speed", 4.0)), (always, ("resume", None)),
                               (arrived(Batch, 6), ("speed", 0.5)), (arrived(Batch, 9), ("speed", None)),
                               (arrived(Epoch, 3), ("close", None))])
    Worker(TrainingRequest(*paths, CONFIG, paused=True), channel, clock=channel.clock).work()
    assert not of(Failed, channel.messages) and of(Done, channel.messages)
    times = [at for at, message in zip(channel.sent_at, channel.messages) if isinstance(message, Batch)]
    gaps = np.diff(times)
    np.testing.assert_allclose(gaps[:5], 0.25, atol=1e-3)   # 4 batches a second
    np.testing.assert_allclose(gaps[5:], 2.0, atol=1e-3)    # 0.5 a second (then no Batch messages at full speed)
    assert len(times) == 9
    full_speed = channel.waits[channel.given_at["speedNone"]:channel.given_at["closeNone"]]
    assert full_speed and set(full_speed) == {0.0}          # as fast as it goes: it never waits
    assert max(channel.waits) <= background_training.LONGEST_WAIT_SECONDS   # commands are never kept waiting


def test_slow_motion_is_no_faster_than_asked_and_sends_the_weights_of_every_batch(paths, jobs):
    job = jobs(*paths, CONFIG, batches_per_second=20)
    collect(job, arrived(Batch))
    began = time.monotonic()
    messages = collect(job, lambda messages: time.monotonic() - began > 0.6)
    batches = of(Batch, messages)
    assert 1 <= len(batches) <= 20 * (time.monotonic() - began) + 2
    steps = [m.step for m in batches]
    assert steps == list(range(steps[0], steps[0] + len(steps)))
    assert set(steps[:-1]) <= {m.step for m in of(Snapshot, messages)}     # the newest may be on its way


def test_full_speed_sends_epochs_and_a_few_snapshots_a_second(paths, jobs):
    job = jobs(*paths, CONFIG)
    collect(job, arrived(Epoch))
    began = time.monotonic()
    messages = collect(job, lambda messages: time.monotonic() - began > 0.6)
    assert len(of(Epoch, messages)) > 10 and not of(Batch, messages)
    assert 1 <= len(of(Snapshot, messages)) <= 10 * (time.monotonic() - began) + 2


def test_stop_saves_a_new_model_through_the_rule(paths, jobs):
    job = jobs(*paths, CONFIG)
    collect(job, arrived(Epoch, 2))
    job.stop()
    result = of(Done, collect(job, arrived(Done)))[0].result
    assert result.interrupted and result.choice.kept == "new" and not job.running
    params, summary = network.load_model(paths[1])
    np.testing.assert_array_equal(params.flat, result.params.flat)
    assert np.shares_memory(result.params["W1"], result.params.flat)       # still views after the pipe
    held_out = {sample.id for sample in store.DataStore.open(paths[0]).samples} & set(summary["val_ids"])
    assert len(held_out) == len(result.val_ids) == 40


def test_stop_keeps_a_better_saved_model(paths, jobs):
    train.train_from_file(*paths, dataclasses.replace(CONFIG, epochs=15))
    before = paths[1].read_bytes()
    job = jobs(*paths, dataclasses.replace(CONFIG, learning_rate=1e-5))    # learns next to nothing
    collect(job, arrived(Epoch))
    job.stop()
    result = of(Done, collect(job, arrived(Done)))[0].result
    assert result.choice.kept == "old" and paths[1].read_bytes() == before
    assert result.choice.comparison.new_accuracy < result.choice.comparison.old_accuracy
    np.testing.assert_array_equal(network.load_model(result.choice.other_path)[0].flat, result.params.flat)


def test_closing_while_training_leaves_the_better_model_in_the_file(paths):
    job = TrainingJob(*paths, CONFIG)
    job.start()
    collect(job, arrived(Epoch, 3))
    assert job.close() and not job.alive
    result = of(Done, job.poll())[0].result                 # the result is kept for the last poll()
    assert result.interrupted and len(result.history) >= 3
    np.testing.assert_array_equal(network.load_model(paths[1])[0].flat, result.params.flat)


def test_closing_while_paused_and_closing_again(paths):
    job = TrainingJob(*paths, CONFIG, paused=True)
    job.start()
    collect(job, paused_at(0))
    job.one_more_epoch()
    collect(job, paused_at(9))
    assert job.close() and job.close()
    assert of(Done, job.poll())[0].result.best_epoch == 1 and paths[1].exists()


@BOTH
@pytest.mark.parametrize("wait", [False, True], ids=["while-starting", "at-step-0"])
def test_closing_before_anything_was_learned_writes_nothing(paths, prefer_process, wait):
    job = TrainingJob(*paths, CONFIG, paused=True, prefer_process=prefer_process)
    job.start()
    if wait:
        collect(job, paused_at(0))
    assert job.close()
    assert not paths[1].exists() and job.state == "ended" and not job.alive
    left = job.poll()
    assert not of(Failed, left) and not of(Notice, left) and not of(Done, left)   # no alarm, no thread instead
    assert job.mode == ("process" if prefer_process else "thread")


WINDOW_SCRIPT = """
import os, signal, time
import train
from mling.background_training import Epoch, TrainingJob
if __name__ == "__main__":
    job = TrainingJob({data!r}, {model!r}, train.TrainConfig(epochs=100000, batch_size=32,
                      learning_rate=0.01, patience=None))
    job.start()
    while not any(isinstance(message, Epoch) for message in job.poll()):
        time.sleep(0.01)
    print(job.pid, flush=True)
"""


def run_window_script(paths, tmp_path, ending: str, stdout, stderr=subprocess.STDOUT) -> subprocess.CompletedProcess:
    """A stand-in for the window in its own process: start training, wait for an epoch, then `ending`."""
    script = tmp_path / "window.py"
    script.write_text(WINDOW_SCRIPT.format(data=str(paths[0]), model=str(paths[1])) + ending)
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run([sys.executable, str(script)], stdout=stdout, stderr=stderr, text=True,
                          env=environment, timeout=60)


def test_a_killed_window_does_not_leave_its_training_behind(paths, tmp_path):
    output = tmp_path / "window.txt"
    with output.open("w") as file:      # a file, not a pipe: the training process inherits it
        window = run_window_script(paths, tmp_path, "    os.kill(os.getpid(), signal.SIGKILL)\n", file)
    assert window.returncode == -signal.SIGKILL, output.read_text()
    child = int(output.read_text().split()[-1])
    deadline = time.monotonic() + 30
    while still_running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    if still_running(child):
        os.kill(child, signal.SIGKILL)
        pytest.fail("the training process was still running 30 s after its window was killed")
    params, summary = network.load_model(paths[1])           # it kept the better model before it went
    assert params.layer_sizes == (784, 16, 16, 10) and len(summary["val_ids"]) == 40


def test_a_window_that_quits_without_closing_still_keeps_the_better_model(paths, tmp_path):
    window = run_window_script(paths, tmp_path, "", subprocess.PIPE, subprocess.PIPE)   # no job.close()
    assert window.returncode == 0, window.stderr
    assert not still_running(int(window.stdout.split()[-1]))
    assert network.load_model(paths[1])[0].layer_sizes == (784, 16, 16, 10)


def still_running(pid: int) -> bool:
    """Is the process there and not a zombie (a container's first process may never reap it)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def one_line(message: str) -> bool:
    return bool(message) and "\n" not in message and "Traceback" not in message


def test_errors_arrive_as_one_line_messages(paths, jobs, tmp_path):
    missing = jobs(tmp_path / "missing.json", paths[1], CONFIG)
    damaged_data = tmp_path / "damaged.json"
    damaged_data.write_text("{not json")
    damaged = jobs(damaged_data, paths[1], CONFIG)
    damaged_model = tmp_path / "damaged.npz"
    damaged_model.write_bytes(b"not a model")
    resumed = jobs(paths[0], damaged_model, CONFIG, resume=True)
    too_fast = jobs(*paths, dataclasses.replace(CONFIG, learning_rate=50.0))
    expected = {missing: "missing.json: no data file", damaged: "damaged.json: is not an MLing data file",
                resumed: "damaged.npz", too_fast: "the learning rate must be a small positive number"}
    for job, start in expected.items():
        failure = of(Failed, collect(job, arrived(Failed)))[0]
        assert start in failure.message and one_line(failure.message)
        assert job.state == "failed" and not job.running
    assert not paths[1].exists()


@BOTH
def test_data_is_read_only_after_before_start(paths, jobs, prefer_process):
    saved = []
    job = jobs(*paths, CONFIG, paused=True, prefer_process=prefer_process,
               before_start=lambda: (time.sleep(0.3), saved.append(time.monotonic())))
    collect(job, arrived(Started))
    assert len(saved) == 1 and time.monotonic() > saved[0]


@BOTH
def test_a_failing_before_start_is_one_failure(paths, jobs, prefer_process):
    def broken():
        raise OSError("the disk went away")

    job = jobs(*paths, CONFIG, before_start=broken, prefer_process=prefer_process)
    failure = of(Failed, collect(job, arrived(Failed)))[0]
    assert failure.message == "training failed unexpectedly (OSError: the disk went away)"
    later = collect(job, lambda messages: not job.alive, timeout=20)    # the worker ends: no second alarm
    assert not of(Failed, later + job.poll()) and job.state == "failed" and not job.running


@pytest.mark.parametrize("error, expected", [
    (ValueError("boom"), "training failed unexpectedly (ValueError: boom)"),
    (MemoryError(), "ran out of memory; try a smaller batch size"),
])
def test_a_failure_while_learning_is_a_message_too(paths, jobs, monkeypatch, error, expected):
    def broken_step(self):
        raise error

    monkeypatch.setattr(train.Trainer, "step", broken_step)     # the thread shares this process's train module
    job = jobs(*paths, CONFIG, prefer_process=False)
    failure = of(Failed, collect(job, arrived(Failed)))[0]
    assert failure.message.startswith(expected) and one_line(failure.message)
    assert job.join(5) and not job.running


def test_a_job_that_cannot_start_a_process_trains_in_a_thread_and_says_so(paths, jobs, monkeypatch):
    def no_processes(self):
        raise OSError("no processes here")

    monkeypatch.setattr("multiprocessing.context.SpawnProcess.start", no_processes)
    job = jobs(*paths, SHORT, paused=True)
    job.one_more_epoch()
    messages = collect(job, paused_at(9))
    assert job.mode == "thread" and "no processes here" in job.fallback_reason
    assert "no processes here" in of(Notice, messages)[0].message and of(Started, messages)[0].mode == "thread"


def exit_at_once(request, commands, messages):
    """A training process that dies before it is up (e.g. the program cannot be imported again)."""
    os._exit(3)


def test_a_process_that_dies_before_it_is_up_falls_back_to_a_thread(paths, jobs, monkeypatch):
    monkeypatch.setattr(background_training, "_process_main", exit_at_once)
    job = jobs(*paths, SHORT, paused=True)
    job.step()                                              # given to the process, then to the thread
    messages = collect(job, paused_at(1))
    assert job.mode == "thread" and "exit code 3" in of(Notice, messages)[0].message
    assert [m.step for m in of(Batch, messages)] == [1]


def test_a_process_that_dies_while_training_says_so(paths, jobs):
    job = jobs(*paths, CONFIG)
    collect(job, arrived(Epoch))
    os.kill(job.pid, signal.SIGKILL)
    failure = of(Failed, collect(job, arrived(Failed)))[0]
    assert "stopped unexpectedly (exit code -9)" in failure.message and "model.npz is as it was" in failure.message
    assert not paths[1].exists() and job.state == "failed"


def test_a_bad_speed_is_refused_with_a_plain_message(paths):
    job = TrainingJob(*paths, CONFIG)
    for speed in (0, -1, math.inf, math.nan, "fast", True):
        with pytest.raises(ValueError, match="positive number of batches a second"):
            job.set_speed(speed)
    job.set_speed(np.float64(2.5))
    job.set_speed(None)
