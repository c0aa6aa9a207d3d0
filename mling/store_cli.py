"""`python store.py`: check data.json, import into it, export from it, merge a class's files into it.

    python store.py                                   # check data.json and count its samples
    python store.py --data other.json
    python store.py import idx train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz [--limit N --balance]
    python store.py import folder my_digits/          # PNG/JPG files in sub-folders named 0 ... 9
    python store.py import mling old/data.json        # the original MLing format or a newer MLing file
    python store.py export png exported/              # exported/0/*.png ... exported/9/*.png
    python store.py export idx exported/mling --gzip  # exported/mling-images-idx3-ubyte.gz + labels
    python store.py merge ada.json ben.json           # a class's drawings together, tagged by author

Every command takes --data FILE (default: data.json next to store.py). Imports, exports and
merges take --sources LIST. Changes wait for any other MLing program saving the same file (and
say so), then add to its newest version. Bad input: one `error: ...` line and exit status 1.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mling import merge, notes, store, transfer
from mling.paths import DATA_PATH

COMMANDS = ("import", "export", "merge")


def describe_store(data_store: store.DataStore) -> list[str]:
    """A readable summary of a data file: how many samples, of which source, digit and author."""
    count = len(data_store)
    lines = [f"{data_store.path}: {count:,} sample{'' if count == 1 else 's'}, every one readable"
             if count else f"{data_store.path}: no samples yet"]
    if not count:
        return lines
    by_source = Counter(sample.source for sample in data_store.samples)
    lines.append("  by source  " + ", ".join(f"{by_source[source]:,} {source}" for source in store.SOURCES
                                             if by_source[source]))
    lines.append("  by digit   " + transfer.describe_counts(data_store.counts()))
    by_author = Counter(sample.author for sample in data_store.samples if sample.author is not None)
    if by_author:
        lines.append("  by author  " + ", ".join(f"{author} {number:,}" for author, number in by_author.most_common()))
    return lines


# ---- the commands: each opens the file, does one thing, prints what it did ----

def run_check(args) -> None:
    if not Path(args.data).exists():
        raise transfer.DatasetError(f"{args.data}: not found; give the path of a data file with --data FILE")
    data_store = store.DataStore.open(args.data)
    notes.print_notes(data_store.notes)
    print("\n".join(describe_store(data_store)))


def open_target(path: Path) -> store.DataStore:
    """The data file an import or merge adds to (missing: a new one); a broken one stops us first."""
    if Path(path).is_dir():
        raise transfer.DatasetError(f"{path}: is a folder, not a data file; give the data file with --data "
                                    f"(e.g. --data {Path(path) / 'data.json'})")
    data_store = store.DataStore.open(path, on_wait=notes.say_waiting(path))
    notes.print_notes(data_store.notes)
    return data_store


def run_import(args) -> None:
    data_store = open_target(args.data)
    if args.kind == "idx":
        report = transfer.import_idx(data_store, args.images, args.labels, args.limit, args.balance, args.seed)
    elif args.kind == "folder":
        report = transfer.import_folder(data_store, args.folder, args.limit, args.balance, args.seed)
    else:
        report = transfer.import_mling(data_store, args.other, args.sources, args.limit, args.balance, args.seed)
    notes.print_notes(report.notes)
    if report.skipped and args.kind == "folder":
        print(f"Skipping {report.skipped:,} files in {args.folder} that are not PNG or JPG.")
    elif report.skipped:
        print(f"Skipping {report.skipped:,} samples in {args.other} not tagged "
              f"{' or '.join(args.sources)} (choose others with --sources).")
    print("\n".join(transfer.describe_import(report, data_store)))


def run_export(args) -> None:
    data_store = transfer.open_existing_store(args.data)
    notes.print_notes(data_store.notes)
    if args.kind == "png":
        labels = transfer.export_png(data_store, args.out_dir, args.sources)
        print(f"Exported {len(labels):,} samples to {args.out_dir}/0 ... {args.out_dir}/9 "
              "(28x28 grayscale PNG, white ink on black).")
    else:
        images_path, labels_path, labels = transfer.export_idx(data_store, args.prefix, args.sources, args.gzip,
                                                               args.overwrite)
        print(f"Exported {len(labels):,} samples to {images_path} and {labels_path}.")
    print(f"  per digit  {transfer.describe_counts(np.bincount(labels, minlength=10))}")


def run_merge(args) -> None:
    if args.author and len(args.author) != len(args.files):
        raise transfer.DatasetError(f"got {len(args.files)} files but {len(args.author)} --author names; "
                                    "give one --author per file, in the same order, or none")
    authors = args.author or [None] * len(args.files)
    data_store = open_target(args.data)
    merged = merge.merge_into(data_store, list(zip(args.files, authors)), args.sources)
    for report in merged:
        notes.print_notes(report.notes)
    print("\n".join(merge.describe_merge(merged, data_store)))


# ---- the command line ----

def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def source_list(text: str) -> tuple[str, ...]:
    """'drawn,imported' -> ('drawn', 'imported'), each checked against store.SOURCES."""
    sources = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [source for source in sources if source not in store.SOURCES]
    if unknown or not sources:
        raise argparse.ArgumentTypeError(f"unknown source {unknown[0] if unknown else text!r}; "
                                         f"choose from {','.join(store.SOURCES)}")
    return sources


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="store.py", description="Check an MLing data file, import into it, export from it, merge into it.",
        epilog="Run 'python store.py import idx -h' (or import folder, import mling, export png, export idx, "
               "merge) for each command's options.")
    parser.add_argument("--data", type=Path, default=DATA_PATH, metavar="FILE",
                        help="the MLing data file (default: data.json next to store.py)")
    parser.set_defaults(run=run_check)
    commands = parser.add_subparsers(dest="command", metavar="{import,export,merge}")

    data_option = argparse.ArgumentParser(add_help=False)
    data_option.add_argument("--data", type=Path, default=argparse.SUPPRESS, metavar="FILE",
                             help="the MLing data file (default: data.json next to store.py)")
    import_options = argparse.ArgumentParser(add_help=False, parents=[data_option])
    import_options.add_argument("--limit", type=positive_int, metavar="N",
                                help="import at most N samples, picked at random (see --seed)")
    import_options.add_argument("--balance", action="store_true",
                                help="the same number of every digit: N/10 each with --limit, "
                                     "otherwise as many as the rarest digit has")
    import_options.add_argument("--seed", type=int, default=transfer.SEED,
                                help=f"which samples --limit and --balance pick (default {transfer.SEED})")

    importer = commands.add_parser("import", help="add samples to data.json, tagged 'imported'")
    kinds = importer.add_subparsers(dest="kind", required=True)
    idx = kinds.add_parser("idx", parents=[import_options],
                           help="an MNIST-format pair: *-images-idx3-ubyte[.gz] *-labels-idx1-ubyte[.gz]")
    idx.add_argument("images", type=Path, help="the images file, e.g. train-images-idx3-ubyte.gz")
    idx.add_argument("labels", type=Path, help="the labels file, e.g. train-labels-idx1-ubyte.gz")
    folder = kinds.add_parser("folder", parents=[import_options], help="PNG/JPG files in sub-folders named 0-9")
    folder.add_argument("folder", type=Path, help="the folder holding the sub-folders 0 ... 9")
    mling = kinds.add_parser("mling", parents=[import_options],
                             help="another MLing data file (the original format or a newer one)")
    mling.add_argument("other", type=Path, metavar="OTHER_DATA", help="the other data.json")
    mling.add_argument("--sources", type=source_list, default=transfer.MLING_IMPORT_SOURCES, metavar="LIST",
                       help=f"which of its samples to take (default {','.join(transfer.MLING_IMPORT_SOURCES)}; "
                            "the original format's samples count as drawn)")
    importer.set_defaults(run=run_import)

    exporter = commands.add_parser("export", help="write data.json's samples for other tools")
    kinds = exporter.add_subparsers(dest="kind", required=True)
    export_options = argparse.ArgumentParser(add_help=False, parents=[data_option])
    export_options.add_argument("--sources", type=source_list, default=transfer.EXPORT_SOURCES, metavar="LIST",
                                help=f"which samples to export, comma-separated from {','.join(store.SOURCES)} "
                                     f"(default {','.join(transfer.EXPORT_SOURCES)})")
    png = kinds.add_parser("png", parents=[export_options], help="28x28 PNG files in OUT_DIR/0 ... OUT_DIR/9")
    png.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="a new (or empty) folder")
    idx = kinds.add_parser("idx", parents=[export_options],
                           help="PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte")
    idx.add_argument("prefix", type=Path, metavar="OUT_PREFIX", help="e.g. exported/mling")
    idx.add_argument("--gzip", action="store_true", help="compress both files (.gz), like MNIST's downloads")
    idx.add_argument("--overwrite", action="store_true", help="replace files from an earlier export")
    exporter.set_defaults(run=run_export)

    merger = commands.add_parser("merge", parents=[data_option],
                                 help="merge other data files into data.json, each drawing tagged with its author",
                                 description=merge.__doc__.split("\n\n")[0])
    merger.add_argument("files", type=Path, nargs="+", metavar="FILE", help="the data files to merge in")
    merger.add_argument("--author", action="append", metavar="NAME",
                        help="who drew the drawings of each file, one per file in order "
                             "(default: each file's name, or its folder's for data.json)")
    merger.add_argument("--sources", type=source_list, default=merge.MERGE_SOURCES, metavar="LIST",
                        help=f"which samples to take (default {','.join(merge.MERGE_SOURCES)}; "
                             "augmented copies never: make them again with add_noise.py)")
    merger.set_defaults(run=run_merge)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        if argv[0].endswith(".json") or os.path.exists(argv[0]):      # a file: checking it needs --data
            print(f"error: to check {argv[0]}, give it with --data: python store.py --data {argv[0]}",
                  file=sys.stderr)
        else:
            print(f"error: unknown command {argv[0]!r}; the commands are {', '.join(COMMANDS)}, and "
                  f"python store.py with none checks data.json (python store.py -h shows them all)", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (transfer.DatasetError, store.DataStoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:  # the store's own checks of what it was given
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `python store.py | head -1`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # no second error at exit
        return 1
    except OSError as error:  # e.g. no permission to write the export folder, or the disk is full
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    return 0
