"""Rich progress bars for long jobs, behind the pipeline's ``Reporter`` protocol."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class RichReporter:
    """One progress line per task; finished tasks keep a short note."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[note]}"),
            console=console,
            disable=not enabled,
            transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.stop()

    def begin(self, task: str, total: int | None = None) -> None:
        self.tasks[task] = self.progress.add_task(task, total=total, note="")

    def advance(self, task: str, amount: int = 1) -> None:
        self.progress.advance(self.tasks[task], amount)

    def end(self, task: str, note: str = "") -> None:
        task_id = self.tasks[task]
        done = self.progress.tasks[task_id].completed
        self.progress.update(task_id, total=max(done, 1), completed=max(done, 1), note=note)
