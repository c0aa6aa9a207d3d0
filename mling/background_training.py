"""Training you can control while you watch: in its own process, steered from the window.

    job = TrainingJob(data_path, model_path, config)     # config: train.TrainConfig
    job.start()                  # a separate process (a thread where no process can start)
    ...                          # once per frame:
    for message in job.poll():   # never waits
        ...                      # Started, State, Batch, Epoch, Snapshot, Done, Failed, Notice, Restarted
    job.pause(); job.step(); job.one_more_epoch(); job.resume()
    job.set_speed(2)             # slow motion: 2 batches a second; None: as fast as it goes
    job.reset(seed=7)            # new random weights (the same seed gives the same start)
    job.stop()                   # ends the run: the better model is kept (mling.model_files' rule)
    job.close()                  # on quitting: stops, keeps the better model, ends the process

The job runs the same steps as `python train.py`: train.prepare_training -> Trainer.step() ->
train.finish_training. Why a process: a training thread and the window share Python's interpreter
lock, so the window stutters and training slows down (the window dropped to 43 frames per second
and trained at half of train.py's speed); a process has its own lock and its own core. Measured by
benchmarks/bench_training_service.py on 2 cores: the process learns at 0.94-0.96 of train.py's
samples per second, 0.95 while a 60 FPS frame loop runs beside it (a thread: 0.6); it costs about
0.2 s more to start. The process is started with "spawn", never "fork": forking a program whose
pygame threads are running can hang.

After a run ends (early stopping, the epoch limit, Stop) the job stays, so "+1 epoch" can go on
with the same weights and optimizer (train.Trainer.carry_on); each end applies the better-model
rule again. The job ends with close(), when the window goes, or when its parent dies: a training
process whose window was killed stops, keeps the better model and exits by itself.
"""
from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import queue
import secrets
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import numpy as np

import train
from mling import model_files, network, store
from mling.network import Parameters

# --- settings ----------------------------------------------------------------------------------
FULL_SPEED_SNAPSHOTS_PER_SECOND = 10   # weights sent to the views when training runs free (13,002 numbers each
                                       # for 16-16: ~52 KB; more would only cost the window time)
EVERY_BATCH_UP_TO = 30                 # in slow motion up to this many batches a second, every batch sends
                                       # its weights, so the pictures change in step with the batches
LONGEST_WAIT_SECONDS = 0.25            # a waiting job looks at its stop flag at least this often
COMMAND_LOOK_SECONDS = 0.002           # at full speed, how often it looks for commands (each look is a system
                                       # call, ~3 us: once a batch would cost 1-3% of the training speed)
CLOSE_SECONDS = 15.0                   # close() waits this long for the better model to be saved
KILL_GRACE_SECONDS = 2.0               # then a process that is still there is ended (its file stays whole)
MESSAGE_PIPE_BYTES = 1 << 20           # room for ~20 snapshots while the window is busy (Linux; else the default)

# --- the job's states (job.state) ----------------------------------------------------------------
STARTING = "starting"     # reading data.json and building the training arrays
RUNNING = "running"       # learning, batch after batch (at the chosen speed)
PAUSED = "paused"         # waiting at a batch: Step, +1 epoch, Resume, Reset, Stop
DONE = "done"             # the run ended and its model was kept by the rule; +1 epoch or Resume go on
FAILED = "failed"         # it could not train (see the Failed message)
ENDED = "ended"           # the job is gone (closed) before any run ended


# --- messages from the job (what poll() returns) -----------------------------------------------

@dataclass(frozen=True)
class Started:
    """The training arrays are ready: what the run learns from and how it is laid out."""
    mode: str                   # "process" or "thread" (see Notice for why it fell back to a thread)
    layer_sizes: tuple[int, ...]
    epochs: int                 # the most epochs the settings allow (early stopping may end it sooner)
    batches_per_epoch: int
    train_samples: int          # rows trained on each epoch (repeats and in-memory copies included)
    val_samples: int            # held out to measure real progress
    copies_made: int            # augmented copies made in memory
    seed: int                   # the starting weights come from this seed
    notes: tuple[str, ...]      # one-line notes about data.json (repairs made while reading)
    prepare_seconds: float      # how long reading and preparing the data took


@dataclass(frozen=True)
class State:
    """The job changed state (running, paused, done) or speed; `step` batches have been learned."""
    state: str
    step: int                   # batches since the start (or the last Reset)
    epoch: int                  # the epoch of the newest batch (1 = the first)
    batch: int                  # batches learned in that epoch (0 at the start)
    batches_per_second: float | None   # None: as fast as it goes


@dataclass(frozen=True)
class Batch:
    """One mini-batch, sent for every batch in slow motion and when stepping."""
    epoch: int                  # 1 = the first
    batch: int                  # 1 = the first of its epoch
    batches: int                # batches per epoch
    step: int                   # batches since the start (or the last Reset)
    loss: float                 # the batch's mean cross-entropy before its update
    accuracy: float             # share of the batch the network got right before its update
    learning_rate: float


@dataclass(frozen=True)
class Epoch:
    """One finished epoch (train.EpochStats; its params are None: weights come in Snapshots)."""
    stats: train.EpochStats


@dataclass(frozen=True)
class Snapshot:
    """The network's weights after `step` batches, for the weight pictures and the network view.

    Sent after every batch in slow motion and when stepping, at most FULL_SPEED_SNAPSHOTS_PER_SECOND
    at full speed, and whenever the job pauses, resets or ends a run.
    """
    step: int
    epoch: int
    batch: int
    layer_sizes: tuple[int, ...]
    flat: np.ndarray = field(repr=False)   # every weight and bias, float32, as network.Parameters.flat

    @property
    def params(self) -> Parameters:
        return Parameters(self.layer_sizes, self.flat)


@dataclass(frozen=True)
class Done:
    """A run ended and mling.model_files' rule decided which model is in the file (result.choice;
    None when nothing was saved: no epoch finished, or "+1 epoch" found no better one)."""
    result: train.TrainResult


@dataclass(frozen=True)
class Failed:
    """Training could not start or go on; `message` is one line that says what to do."""
    message: str


@dataclass(frozen=True)
class Notice:
    """Something worth one line in the status bar, e.g. that training fell back to a thread."""
    message: str


@dataclass(frozen=True)
class Restarted:
    """Reset: new random weights from `seed`; the charts start again (a Snapshot at step 0 follows)."""
    seed: int


@dataclass(frozen=True)
class _Ready:
    """The worker is up (the process imported everything); poll() keeps this one to itself."""
    pid: int


Message = Started | State | Batch | Epoch | Snapshot | Done | Failed | Notice | Restarted


@dataclass(frozen=True)
class TrainingRequest:
    """What the job trains: the same arguments as train.prepare_training, and how it starts."""
    data_path: Path
    model_path: Path
    config: train.TrainConfig
    resume: bool = False
    where: str = "window"                   # who trained, for the run log
    paused: bool = False                    # wait at step 0 (the first weights) for Step or Resume
    batches_per_second: float | None = None


def _pickle_parameters(params: Parameters) -> tuple:
    """Send Parameters as their layer sizes and flat vector: half the bytes, and the W and b views
    of the copy stay views of its flat vector (a plain pickle would copy each view on its own)."""
    return Parameters, (params.layer_sizes, params.flat)


ForkingPickler.register(Parameters, _pickle_parameters)   # multiprocessing's own pickler only


def describe_error(error: BaseException) -> str:
    """One line for the status bar: MLing's own errors say what to do; anything else says what broke."""
    if isinstance(error, (train.TrainingError, store.DataStoreError, network.ModelFileError)):
        text = str(error)
    elif isinstance(error, MemoryError):
        text = "ran out of memory; try a smaller batch size, fewer augmented copies or fewer samples"
    else:
        text = f"training failed unexpectedly ({type(error).__name__}: {error})"
    return " ".join(text.split())


def check_speed(batches_per_second: float | None) -> float | None:
    """None (as fast as it goes) or a positive number of batches a second; ValueError otherwise."""
    if batches_per_second is None:
        return None
    number = isinstance(batches_per_second, (int, float, np.number)) and not isinstance(batches_per_second, bool)
    if not (number and math.isfinite(batches_per_second) and batches_per_second > 0):
        raise ValueError("the speed must be a positive number of batches a second, or None "
                         f"(got {batches_per_second!r})")
    return float(batches_per_second)


# --- the worker: runs in the training process (or thread) ---------------------------------------

class ParentGone(Exception):
    """The window that steered this job is gone: save what the rule keeps and end."""


class Worker:
    """The training loop that obeys commands: one batch at a time, at the chosen speed.

    `channel.receive(timeout)` returns the next command, a (name, value) tuple, or None after
    waiting up to `timeout` seconds; `channel.send(message)` sends one message to the parent. Both
    raise ParentGone when the parent has gone. `clock` is time.monotonic (tests pass their own).
    """

    def __init__(self, request: TrainingRequest, channel, clock: Callable[[], float] = time.monotonic,
                 mode: str = "process", before_start: Callable[[], None] | None = None):
        self.request, self.channel, self.clock, self.mode = request, channel, clock, mode
        self.before_start = before_start
        self.state = PAUSED if request.paused else RUNNING
        self.speed = request.batches_per_second
        self.stop_after_step: int | None = None     # Step: pause once this many batches are learned
        self.stop_after_epoch: int | None = None    # +1 epoch: pause once this many epochs are finished
        self.closing = False
        self.parent_gone = False
        self.last_batch_at = -math.inf
        self.last_snapshot_at = -math.inf
        self.last_snapshot_step = -1
        self.installed: tuple[int, int] | None = None   # (generation, best epoch) of the model the rule kept last
        self.last_done: train.TrainResult | None = None
        self.generation = 0                          # counts Resets: a model from before is another run
        self.run: train.TrainingRun | None = None

    @property
    def trainer(self) -> train.Trainer:
        return self.run.trainer

    def ask_to_close(self, *_) -> None:
        """Close at the next batch (also a SIGTERM's handler): the better model is kept first."""
        self.closing = True

    # --- the whole job ---

    def work(self) -> None:
        """Wait for "begin", prepare the data, then obey commands until closed. Never raises."""
        try:
            self._send(_Ready(os.getpid()))
            pending = self._wait_for_begin()
            if pending is None:
                return
            if self.before_start is not None:
                self.before_start()
            started = time.perf_counter()
            request = self.request
            self.run = train.prepare_training(request.data_path, request.model_path, request.config, request.resume,
                                              request.where)
            self._send_started(time.perf_counter() - started)
            with train.single_blas_thread():
                for command in pending:
                    self._obey(command)
                self._send_snapshot()
                self._send_state()
                self._loop()
        except Exception as error:   # MemoryError included: a bug must not leave the window waiting
            self._send(Failed(describe_error(error)))

    def _wait_for_begin(self) -> list[tuple] | None:
        """The commands that came before "begin" (to obey once the data is ready), or None to end."""
        pending = []
        while not self.closing:
            command = self._receive(LONGEST_WAIT_SECONDS)
            if command is None:
                continue
            if command[0] == "begin":
                return pending
            if command[0] == "close":
                return None
            pending.append(command)
        return None

    def _loop(self) -> None:
        next_look = -math.inf                # at full speed, commands are looked for every few batches
        while True:
            wait = self._wait_seconds()
            if wait > 0 or self.clock() >= next_look:
                command = self._receive(wait)
                while command is not None:
                    self._obey(command)
                    command = self._receive(0)
                next_look = self.clock() + COMMAND_LOOK_SECONDS
            if self.closing:
                self._finish_on_close()
                return
            if self.state == RUNNING and self._batch_is_due():
                self._learn_one_batch()

    def _wait_seconds(self) -> float:
        """How long to wait for a command before the next batch is due."""
        if self.state != RUNNING:
            return LONGEST_WAIT_SECONDS
        if self.speed is None or self._stepping:
            return 0.0
        return min(LONGEST_WAIT_SECONDS, max(0.0, self.last_batch_at + 1 / self.speed - self.clock()))

    def _batch_is_due(self) -> bool:
        return self.speed is None or self._stepping or self.clock() >= self.last_batch_at + 1 / self.speed

    @property
    def _stepping(self) -> bool:
        return self.stop_after_step is not None

    # --- commands ---

    def _obey(self, command: tuple) -> None:
        name, value = command
        if name == "close":
            self.closing = True
        elif name == "pause":
            self._pause()
        elif name == "resume":
            if self._may_go_on():
                self.stop_after_step = self.stop_after_epoch = None
                self._set_state(RUNNING)
        elif name == "step":
            if self._may_go_on():
                self.stop_after_step = (self.stop_after_step or self.trainer.steps) + 1
                self.stop_after_epoch = None
                self._set_state(RUNNING)
        elif name == "epoch":
            if self._may_go_on():
                self.stop_after_epoch = (self.stop_after_epoch or self.trainer.epoch) + 1
                self.stop_after_step = None
                self._set_state(RUNNING)
        elif name == "speed":
            self.speed = value
            self._send_state()
        elif name == "reset":
            self._reset(value)
        elif name == "stop":
            if self.state != DONE:
                self.trainer.stop()
                self._end_run()
        elif name != "begin":
            raise ValueError(f"unknown command {name!r}")

    def _may_go_on(self) -> bool:
        """After a run ended, Resume, Step and +1 epoch carry on with it; not after it diverged."""
        if self.state != DONE:
            return True
        self.trainer.carry_on()
        if self.trainer.finished:
            self._send(Notice("this run diverged and cannot go on; Reset starts again with new weights"))
            return False
        return True

    def _pause(self) -> None:
        self.stop_after_step = self.stop_after_epoch = None
        if self.state == RUNNING:
            self._send_snapshot()
            self._set_state(PAUSED)

    def _reset(self, seed: int) -> None:
        """New random weights from `seed`; the job waits at step 0 (the data and its split stay)."""
        self.trainer.reset(seed)
        self.generation += 1
        self.stop_after_step = self.stop_after_epoch = None
        self.last_snapshot_step = -1
        self._send(Restarted(seed))
        self._send_snapshot()
        self.state = PAUSED
        self._send_state()

    # --- learning ---

    def _learn_one_batch(self) -> None:
        self.last_batch_at = self.clock()
        stats = self.trainer.step()
        slow = self.speed is not None or self._stepping
        if slow:
            self._send(Batch(stats.epoch, stats.batch, stats.batches, stats.step, stats.loss, stats.accuracy,
                             stats.learning_rate))
        every_batch = self._stepping or (self.speed is not None and self.speed <= EVERY_BATCH_UP_TO)
        if every_batch or self.clock() - self.last_snapshot_at >= 1 / FULL_SPEED_SNAPSHOTS_PER_SECOND:
            self._send_snapshot()
        if stats.epoch_stats is not None:
            self._send(Epoch(replace(stats.epoch_stats, params=None)))
        if self.trainer.finished:
            self._end_run()
        elif self._goal_reached():
            self._pause()

    def _goal_reached(self) -> bool:
        """Step's batch or +1 epoch's epoch is done."""
        if self._stepping:
            return self.trainer.steps >= self.stop_after_step
        return self.stop_after_epoch is not None and self.trainer.epoch >= self.stop_after_epoch

    def _end_run(self) -> None:
        """The run ended: the rule keeps the better model, the parent gets the result."""
        self.stop_after_step = self.stop_after_epoch = None
        self._send_snapshot()
        result = self._finish()
        self._send(Done(result))
        self._set_state(DONE)

    def _finish_on_close(self) -> None:
        """Closing: a run in progress ends as Stop ends it (nothing to keep before the first batch)."""
        if self.state != DONE and self.trainer.steps > 0:
            self.trainer.stop()
            self._end_run()

    def _finish(self) -> train.TrainResult:
        """train.finish_training, once per generation and best epoch: "+1 epoch" that found nothing
        better leaves the model file as it is (result.choice None), instead of saving the same
        model again beside a backup of itself."""
        trainer, run = self.trainer, self.run
        if self.installed == (self.generation, trainer.best_epoch) and self.last_done is not None:
            result = trainer.result()
            result.val_ids = self.last_done.val_ids
            result.message += f"; no better epoch, so {run.model_path.name} is unchanged"
            return result
        if self.installed is not None:            # this job saved a model since the run began: compare with it
            run.saved = model_files.read_saved_model(run.model_path)
        result = train.finish_training(run)
        if result.choice is not None:
            self.installed = (self.generation, trainer.best_epoch)
            self.last_done = result
        return result

    # --- talking to the parent ---

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self._send_state()

    def _position(self) -> tuple[int, int]:
        """(epoch, batch) of the newest batch, as the window shows them: "epoch 3, batch 7 of 40"."""
        trainer = self.trainer
        if trainer.batch == 0 and trainer.epoch > 0:
            return trainer.epoch, trainer.batches_per_epoch
        return trainer.epoch + 1, trainer.batch

    def _send_state(self) -> None:
        self._send(State(self.state, self.trainer.steps, *self._position(), self.speed))

    def _send_snapshot(self) -> None:
        trainer = self.trainer
        if trainer.steps == self.last_snapshot_step:
            return
        self.last_snapshot_at, self.last_snapshot_step = self.clock(), trainer.steps
        self._send(Snapshot(trainer.steps, *self._position(), trainer.params.layer_sizes, trainer.params.flat.copy()))

    def _send_started(self, seconds: float) -> None:
        run, trainer = self.run, self.run.trainer
        self._send(Started(self.mode, trainer.params.layer_sizes, run.config.epochs, trainer.batches_per_epoch,
                           len(run.arrays.y_train), len(run.arrays.y_val), run.arrays.copies_made, trainer.seed,
                           tuple(run.notes), seconds))

    def _send(self, message) -> None:
        if self.parent_gone:
            return
        try:
            self.channel.send(message)
        except ParentGone:
            self.parent_gone = self.closing = True

    def _receive(self, timeout: float) -> tuple | None:
        if self.parent_gone:
            return None
        try:
            return self.channel.receive(timeout)
        except ParentGone:
            self.parent_gone = self.closing = True
            return None


# --- the two ways to run a worker: a process (the usual one) or a thread (the fallback) ----------

class _PipeChannel:
    """The worker's side in the training process: commands in, messages out, through two pipes.

    Only the parent holds the other ends, so the parent's death shows here as end-of-file.
    """

    def __init__(self, commands, messages):
        self.commands, self.messages = commands, messages

    def receive(self, timeout: float) -> tuple | None:
        try:
            if not self.commands.poll(timeout):
                return None
            return self.commands.recv()
        except (EOFError, OSError):
            raise ParentGone from None

    def send(self, message) -> None:
        try:
            self.messages.send(message)
        except OSError:             # BrokenPipeError: nobody reads any more
            raise ParentGone from None


def _process_main(request: TrainingRequest, commands, messages) -> None:
    """The training process: Ctrl-C is the window's to handle; a SIGTERM closes like close()."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker = Worker(request, _PipeChannel(commands, messages), mode="process")
    signal.signal(signal.SIGTERM, worker.ask_to_close)
    worker.work()


class _QueueChannel:
    """The worker's side in a thread: two queue.Queues (nothing is pickled)."""

    def __init__(self, commands: queue.Queue, messages: queue.Queue):
        self.commands, self.messages = commands, messages

    def receive(self, timeout: float) -> tuple | None:
        try:
            return self.commands.get(timeout=timeout) if timeout > 0 else self.commands.get_nowait()
        except queue.Empty:
            return None

    def send(self, message) -> None:
        self.messages.put(message)


class _ProcessTransport:
    """The parent's side of a training process.

    A reader thread moves each message from the pipe into a queue as it arrives, so receive()
    never waits for a message the process is still writing (a snapshot is bigger than one write).
    """

    mode = "process"

    def __init__(self, request: TrainingRequest):
        context = multiprocessing.get_context("spawn")
        command_reader, self.commands = context.Pipe(duplex=False)
        self.messages, message_writer = context.Pipe(duplex=False)
        _widen_pipe(message_writer)
        self.process = context.Process(target=_process_main, args=(request, command_reader, message_writer),
                                       name="mling-training", daemon=True)
        self._child_ends = (command_reader, message_writer)
        self.lock = threading.Lock()             # commands may come from two threads (see before_start)
        self.inbox: queue.Queue = queue.Queue()
        self.reader = threading.Thread(target=self._read_messages, name="mling-training-messages", daemon=True)

    def start(self) -> None:
        try:
            self.process.start()
        finally:                                 # the child has its own copies now: its death shows as end-of-file
            for end in self._child_ends:
                end.close()
        self.reader.start()

    def _read_messages(self) -> None:
        try:
            while True:
                self.inbox.put(self.messages.recv())
        except (EOFError, OSError):              # the process has ended and everything is read
            pass

    def send(self, command: tuple) -> None:
        with self.lock, contextlib.suppress(OSError):   # a finished process takes no more commands
            self.commands.send(command)

    def receive(self, timeout: float = 0.0) -> list:
        """Every message that has arrived, waiting up to `timeout` for the first."""
        return _drain(self.inbox, timeout)

    def receive_last(self) -> list:
        """After the process ended: everything it sent (the reader stops at the end of the pipe)."""
        self.reader.join(KILL_GRACE_SECONDS)
        return _drain(self.inbox, 0.0)

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def join(self, timeout: float) -> None:
        self.process.join(timeout)

    def end(self) -> None:
        """Ask the process to close (SIGTERM), and kill it if it does not."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(KILL_GRACE_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(KILL_GRACE_SECONDS)

    @property
    def exit_code(self) -> int | None:
        return self.process.exitcode

    def close(self) -> None:
        """After the process ended: let go of the pipes."""
        self.commands.close()
        self.reader.join(KILL_GRACE_SECONDS)
        if not self.reader.is_alive():
            self.messages.close()


def _drain(messages: queue.Queue, timeout: float) -> list:
    """Everything in the queue, waiting up to `timeout` for the first."""
    arrived = []
    try:
        arrived.append(messages.get(timeout=timeout) if timeout > 0 else messages.get_nowait())
        while True:
            arrived.append(messages.get_nowait())
    except queue.Empty:
        return arrived


def _widen_pipe(connection) -> None:
    """Give the message pipe MESSAGE_PIPE_BYTES of room (Linux), so the training process rarely
    waits for a busy window to read a snapshot. Elsewhere the system's default stays."""
    fcntl = None
    with contextlib.suppress(ImportError):
        import fcntl
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError, ValueError):
            fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, MESSAGE_PIPE_BYTES)


class _ThreadTransport:
    """A worker in a daemon thread of this process: the fallback when no process can start."""

    mode = "thread"

    def __init__(self, request: TrainingRequest, before_start: Callable[[], None] | None = None):
        self.commands: queue.Queue = queue.Queue()
        self.messages: queue.Queue = queue.Queue()
        self.worker = Worker(request, _QueueChannel(self.commands, self.messages), mode="thread",
                             before_start=before_start)
        # daemon: a thread that never ends must not keep the program open; every file is written
        # atomically, so a program ending mid-save leaves the old file whole
        self.thread = threading.Thread(target=self.worker.work, name="mling-training", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def send(self, command: tuple) -> None:
        self.commands.put(command)

    def receive(self, timeout: float = 0.0) -> list:
        return _drain(self.messages, timeout)

    def receive_last(self) -> list:
        return _drain(self.messages, 0.0)

    @property
    def alive(self) -> bool:
        return self.thread.is_alive()

    def join(self, timeout: float) -> None:
        self.thread.join(timeout)

    def end(self) -> None:
        """A thread cannot be ended from outside; it is a daemon, so it ends with the program."""

    exit_code = None

    def close(self) -> None:
        pass


# --- the parent's side: what the window holds --------------------------------------------------

class TrainingJob:
    """One training run steered from the window; poll() once per frame for its messages.

    `paused`: wait at step 0 for Step or Resume. `batches_per_second`: start in slow motion.
    `before_start()` runs before data.json is read (the window waits there for its pending saves).
    `prefer_process=False` trains in a thread of this process (tests; the fallback anyway).
    Commands given before start() are sent when it starts.
    """

    def __init__(self, data_path: str | os.PathLike, model_path: str | os.PathLike, config: train.TrainConfig,
                 resume: bool = False, *, paused: bool = False, batches_per_second: float | None = None,
                 before_start: Callable[[], None] | None = None, where: str = "window",
                 prefer_process: bool = True):
        self.request = TrainingRequest(Path(data_path), Path(model_path), config, resume, where, paused,
                                       check_speed(batches_per_second))
        self.before_start = before_start
        self.prefer_process = prefer_process
        self.state = STARTING
        self.batches_per_second = self.request.batches_per_second
        self.step_count = 0                       # batches learned, as the newest State or Snapshot says
        self.seed = config.seed
        self.snapshot: Snapshot | None = None     # the newest weights
        self.result: train.TrainResult | None = None   # the newest run's result (Done)
        self.fallback_reason: str | None = None   # why it trains in a thread, if it does
        self.started_at = math.nan                # time.perf_counter() at start()
        self.ready_seconds = math.nan             # start() -> the worker is up (a process: imports done)
        self.started_seconds = math.nan           # start() -> the data is ready (Started)
        self._transport: _ProcessTransport | _ThreadTransport | None = None
        self._early_commands: list[tuple] | None = []   # before the worker is up: sent again on a fallback
        self._inbox: deque = deque()              # messages read but not yet returned by poll()
        self._closing = self._closed = False
        self._start_failure: str | None = None     # before_start() raised (in the helper thread)

    # --- starting ---

    def start(self) -> None:
        """Start the training process; where none can start, a thread (a Notice says so)."""
        self.started_at = time.perf_counter()
        if not self.prefer_process:
            self._start_thread(None)
            return
        try:
            transport = _ProcessTransport(self.request)
            transport.start()
        except Exception as error:            # no process here (a sandbox, a frozen app): a thread will do
            self._start_thread(f"{type(error).__name__}: {error}")
            return
        self._transport = transport
        for command in self._early_commands:
            transport.send(command)
        self._begin_when_ready()

    def _start_thread(self, reason: str | None) -> None:
        self._transport = _ThreadTransport(self.request, self.before_start)
        self._transport.start()
        for command in [("begin", None), *self._early_commands]:
            self._transport.send(command)
        self._early_commands = None
        if reason is not None:
            self.fallback_reason = reason
            self._inbox.append(Notice("training runs inside the window, which may be less smooth while it "
                                      f"trains: a separate training process could not start ({reason})"))

    def _begin_when_ready(self) -> None:
        """Let the process read data.json: after before_start() (in a helper thread: start() never waits)."""
        if self.before_start is None:
            self._transport.send(("begin", None))
            return
        transport = self._transport

        def begin() -> None:
            try:
                self.before_start()
            except Exception as error:
                self._start_failure = describe_error(error)     # poll() reports it
                transport.send(("close", None))
            else:
                transport.send(("begin", None))

        threading.Thread(target=begin, name="mling-training-start", daemon=True).start()

    # --- commands: each takes effect at the next batch ---

    def pause(self) -> None:
        """Wait at the current batch (a Snapshot shows exactly the weights it waits with)."""
        self._command("pause")

    def resume(self) -> None:
        """Go on at the chosen speed until the run ends (after it ended: carry on with it)."""
        self._command("resume")

    def step(self) -> None:
        """Learn exactly one more mini-batch, then wait (each call adds one)."""
        self._command("step")

    def one_more_epoch(self) -> None:
        """Learn to the end of the current epoch (a whole one from a pause between epochs, or after
        the run ended), then wait; each call adds one epoch."""
        self._command("epoch")

    def set_speed(self, batches_per_second: float | None) -> None:
        """None: as fast as it goes; a number: at most that many batches a second (slow motion)."""
        self._command("speed", check_speed(batches_per_second))

    def reset(self, seed: int | None = None) -> int:
        """New random weights from `seed` (a new random seed when None), waiting at step 0; returns the seed.

        The run so far is dropped without saving (the model file stays as it is).
        """
        seed = secrets.randbelow(1_000_000) if seed is None else int(seed)
        self._command("reset", seed)
        return seed

    def stop(self) -> None:
        """End the run now: the better of the new and the saved model is kept (a Done message)."""
        self._command("stop")

    def _command(self, name: str, value=None) -> None:
        if self._closed:
            return
        if self._early_commands is not None:
            self._early_commands.append((name, value))
        if self._transport is not None:
            self._transport.send((name, value))

    # --- reading ---

    @property
    def mode(self) -> str | None:
        """ "process" or "thread" (None before start())."""
        return None if self._transport is None else self._transport.mode

    @property
    def pid(self) -> int | None:
        """The training process's id (None in a thread)."""
        return self._transport.process.pid if isinstance(self._transport, _ProcessTransport) else None

    @property
    def running(self) -> bool:
        """Is a run going on (starting, learning or paused)? False once it is done, failed or closed."""
        return self.state in (STARTING, RUNNING, PAUSED)

    @property
    def alive(self) -> bool:
        """Does the worker still take commands (also after a run is done: +1 epoch, Reset)?"""
        return self._transport is not None and not self._closed and self._transport.alive

    def poll(self) -> list[Message]:
        """Every message since the last call, oldest first. Never waits."""
        self._pump(0.0)
        arrived = []
        while self._inbox:
            arrived.append(self._inbox.popleft())
        return arrived

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the run to end (Done or Failed) or the job to go; True if it
        did. The messages that arrive meanwhile are kept for poll()."""
        deadline = time.perf_counter() + timeout
        while self.running and self._transport is not None and not self._closed:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            self._pump(min(left, 0.05))
        return not self.running

    def close(self, timeout: float = CLOSE_SECONDS) -> bool:
        """End the job: a run in progress stops and the rule keeps the better model, then the worker ends.

        Waits up to `timeout` seconds; True if everything ended in time. A process that does not is
        ended (its model file stays whole: the old one, or the new one). The messages that arrive
        (the Done with the result) are kept for poll().
        """
        if self._transport is None or self._closed:
            self._closed = True
            return True
        self._pump(0.0)
        self._closing = True                     # from here on the worker's end is no surprise
        if self.state == STARTING and self.mode == "process":
            self._transport.end()                # it has only been reading: nothing to keep
        else:
            self._transport.send(("close", None))
        deadline = time.perf_counter() + timeout
        while self._transport.alive and time.perf_counter() < deadline:
            self._pump(min(0.05, max(0.0, deadline - time.perf_counter())))
        self._transport.join(0.5)
        ended = not self._transport.alive
        if not ended:
            self._transport.end()
        for message in self._transport.receive_last():
            self._take(message)
        self._closed = True
        self._transport.close()
        if self.running:
            self.state = ENDED
        return ended

    def _pump(self, timeout: float) -> None:
        """Read what the worker sent into the inbox (waiting up to `timeout` for the first message),
        keeping track of the state; notice a worker that went without a word."""
        if self._transport is None or self._closed:
            return
        if self._start_failure is not None:
            self._take(Failed(self._start_failure))
            self._start_failure = None
        for message in self._transport.receive(timeout):
            self._take(message)
        if self.running and not self._closing and not self._transport.alive:
            for message in self._transport.receive_last():   # what it sent just before it went
                self._take(message)
            if self.running:
                self._worker_died()

    def _take(self, message) -> None:
        if isinstance(message, _Ready):
            self.ready_seconds = time.perf_counter() - self.started_at
            return
        if isinstance(message, Started):
            self.started_seconds = time.perf_counter() - self.started_at
            self.seed = message.seed
            self._early_commands = None
        elif isinstance(message, State):
            self.state, self.step_count = message.state, message.step
            self.batches_per_second = message.batches_per_second
        elif isinstance(message, Snapshot):
            self.snapshot, self.step_count = message, message.step
        elif isinstance(message, Restarted):
            self.seed = message.seed
        elif isinstance(message, Done):
            self.result, self.state = message.result, DONE
        elif isinstance(message, Failed):
            self.state = FAILED
        self._inbox.append(message)

    def _worker_died(self) -> None:
        """A process that never came up: train in a thread instead. One that died later: say so."""
        code = self._transport.exit_code
        if self.mode == "process" and math.isnan(self.ready_seconds):
            self._transport.close()
            self._start_thread(f"it ended with exit code {code} before it was up")
            return
        self.state = FAILED
        self._inbox.append(Failed(f"the training process stopped unexpectedly (exit code {code}); "
                                  f"{self.request.model_path.name} is as it was before this run"))

    def __repr__(self) -> str:
        return f"TrainingJob({self.mode or 'not started'}, {self.state}, step {self.step_count})"
