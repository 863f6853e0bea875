"""Store directory layout and the atomic swap of a new build.

    <store>/current -> builds/<stamp>      the store being served
    <store>/builds/<stamp>/                 finished builds (the previous one is kept)
    <store>/builds/<stamp>.partial/         a build in progress

A build writes into a ``.partial`` directory, is renamed when complete, and
becomes current through ``os.replace`` of a symlink, which is atomic on POSIX:
a reader sees either the old store or the new one, and an interrupted or failed
build leaves ``current`` untouched.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

PARTIAL = ".partial"
KEEP_BUILDS = 2


@dataclass(frozen=True, slots=True)
class StoreDir:
    root: Path

    @property
    def builds(self) -> Path:
        return self.root / "builds"

    @property
    def current_link(self) -> Path:
        return self.root / "current"

    def current(self) -> Path | None:
        """The directory of the store being served, or None if nothing was built."""
        link = self.current_link
        if not link.is_symlink():
            return None
        target = link.resolve()
        return target if target.is_dir() else None

    def new_build(self) -> Path:
        """A fresh ``.partial`` directory; stale partial builds are removed first."""
        self.builds.mkdir(parents=True, exist_ok=True)
        for stale in self.builds.glob("*" + PARTIAL):
            shutil.rmtree(stale, ignore_errors=True)
        # Sortable by name in build order (pruning keeps the last two by name), even for
        # several builds within one second: the sub-second part is zero-padded nanoseconds.
        now = time.time_ns()
        second = time.strftime("%Y%m%dT%H%M%S", time.localtime(now // 10**9))
        stamp = f"{second}.{now % 10**9:09d}-{os.getpid()}"
        path = self.builds / (stamp + PARTIAL)
        path.mkdir()
        return path

    def commit(self, partial: Path) -> Path:
        """Finish a build: rename it and atomically point ``current`` at it."""
        final = partial.with_name(partial.name.removesuffix(PARTIAL))
        partial.rename(final)
        tmp_link = self.root / f".current-{os.getpid()}"
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        tmp_link.symlink_to(final.relative_to(self.root))
        os.replace(tmp_link, self.current_link)
        self._prune(keep=final)
        return final

    def abandon(self, partial: Path) -> None:
        shutil.rmtree(partial, ignore_errors=True)

    def _prune(self, keep: Path) -> None:
        # Keep the previous build too: a server started before this swap may
        # still have it open, and it is the rollback target.
        finished = sorted(p for p in self.builds.iterdir() if p.is_dir() and not p.name.endswith(PARTIAL))
        for old in finished[:-KEEP_BUILDS]:
            if old != keep:
                shutil.rmtree(old, ignore_errors=True)
