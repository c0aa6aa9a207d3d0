"""A class's data together: several data.json files merged into one, each drawing tagged with who drew it.

    python store.py merge ada.json ben/data.json --data class.json        # authors "ada" and "ben"
    python store.py merge a.json b.json --author Ada --author "Ben K."    # one --author per file, in order

Each file's drawings ("drawn" samples) are tagged with the file's author: the --author given for
it, or else its name ("ada.json" -> "ada"; "ben/data.json" -> "ben", the name of its folder). A
drawing that names its author already (from an earlier merge) keeps it. Imported samples (and the
starter set, with --sources) were not drawn by the file's owner, so they get no author.

Samples the target holds already (the same label and pixels), or that an earlier file gave, are
skipped: merging the same files again adds nothing, and a set everybody has is taken once.
Augmented copies are never merged (their originals are in the other files): run add_noise.py on
the merged file. Everything goes in with one atomic write, under the target's lock, so the window
may stay open on it; the window can call merge_into() on its writer thread the same way.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mling import files, store
from mling.samples import MAX_AUTHOR_LENGTH, author_problem
from mling.transfer import DatasetError, open_existing_store

MERGE_SOURCES = ("drawn", "imported")   # what is taken from each file unless asked otherwise
AUTHOR_SOURCES = ("drawn",)             # the samples a file's author drew themselves
GENERIC_STEMS = ("data", "mling", "")   # names that say nothing about who made a file


@dataclass
class MergedFile:
    """What one file gave to a merge."""
    path: Path
    author: str
    offered: int = 0                    # its samples of the chosen sources
    added: int = 0                      # of those, new to the target
    left_out: int = 0                   # samples of other sources (augmented copies, ...)
    notes: list[str] = field(default_factory=list)   # repairs made while reading it

    @property
    def duplicates(self) -> int:
        return self.offered - self.added


def author_from_path(path: str | Path) -> str:
    """Who made a data file, from its name: "ada.json" -> "ada", "ben/data.json" -> "ben",
    "ben/mling/data.json" -> "ben" (the first name that is not MLing's own)."""
    path = Path(path).resolve()
    names = [path.stem, *(folder.name for folder in path.parents)]
    name = next((name for name in names if name.lower() not in GENERIC_STEMS), "")
    name = " ".join("".join(character if character.isprintable() else " " for character in name).split())
    return name[:MAX_AUTHOR_LENGTH].strip()


def merge_into(data_store: store.DataStore, inputs: Sequence[tuple[Path, str | None]],
               sources: Sequence[str] = MERGE_SOURCES) -> list[MergedFile]:
    """Merge the data files `inputs` ((path, author or None for "from its name"), ...) into the store.

    Every file is read and checked before anything is written; then one DataStore.add_from (one
    atomic write under the lock). Raises DatasetError / store.DataStoreError with one line.
    """
    sources = tuple(sources)
    if "augmented" in sources:
        raise DatasetError("augmented copies are not merged; merge the originals, then run add_noise.py")
    target = files.real_path(data_store.path)
    merged, offered, origin = [], [], {}
    for path, author in inputs:
        path = Path(path)
        if files.real_path(path) == target:
            raise DatasetError(f"{path}: is the file being merged into; give the other files, "
                               "or choose the target with --data")
        author = author if author is not None else author_from_path(path)
        problem = author_problem(author)
        if problem:
            raise DatasetError(f"{path}: cannot use {author!r} as who drew it ({problem}); "
                               "give a name with --author")
        other = open_existing_store(path)
        report = MergedFile(path, author, notes=list(other.notes))
        for sample in other.samples:
            if sample.source not in sources:
                report.left_out += 1
                continue
            if sample.source in AUTHOR_SOURCES and sample.author is None:
                sample = dataclasses.replace(sample, author=author)
            origin.setdefault(bytes([sample.label]) + sample.pixels, len(merged))
            offered.append(sample)
            report.offered += 1
        merged.append(report)
    for sample in data_store.add_from(offered):
        merged[origin[bytes([sample.label]) + sample.pixels]].added += 1
    return merged


def describe_merge(merged: list[MergedFile], data_store: store.DataStore) -> list[str]:
    """The lines a terminal prints after a merge."""
    added = sum(report.added for report in merged)
    lines = [f"Merged {len(merged)} file{'' if len(merged) == 1 else 's'} into {data_store.path}: "
             f"{added:,} new sample{'' if added == 1 else 's'}."]
    width = max(len(str(report.path)) for report in merged) if merged else 0
    for report in merged:
        extra = f", {report.left_out:,} of other sources left out" if report.left_out else ""
        lines.append(f"  {str(report.path):<{width}}  (author {report.author}): {report.added:,} added, "
                     f"{report.duplicates:,} already there{extra}")
    lines.append(f"{data_store.path.name} now holds {len(data_store):,} samples.")
    return lines
