"""Conventions shared by every `communs <service> <verb>` command.

- `--json` prints one JSON document on stdout and nothing else, so scripts can pipe it;
- human output and progress bars go to stderr through rich;
- errors exit non-zero with a message that names the file, line or field at fault.
"""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

EXIT_OK = 0
EXIT_INPUT_ERROR = 1  # bad file, bad argument: the user can fix it
EXIT_NOT_FOUND = 2

stderr = Console(stderr=True)


class CommandError(Exception):
    """An error the user can act on; `exit_code` tells scripts what kind it is."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT_ERROR):
        super().__init__(message)
        self.exit_code = exit_code


def print_json(payload: Any) -> None:
    """Write `payload` as JSON to stdout (UTF-8, no ASCII escaping of French text)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def fail(message: str, exit_code: int = EXIT_INPUT_ERROR) -> None:
    """Print an error on stderr and leave with `exit_code`."""
    # soft_wrap: a path or a message is never cut at the console's width (scripts read these lines).
    stderr.print(f"[bold red]Erreur :[/] {message}", highlight=False, soft_wrap=True)
    raise SystemExit(exit_code)


@contextmanager
def progress_bar(description: str, total: int | None = None, *, enabled: bool = True) -> Iterator[Any]:
    """A rich progress bar on stderr; yields `advance(n=1, *, total=None)`. Disabled with --json.

    A service that only learns the total once it has read its input calls `advance(0, total=N)`.
    """
    if not enabled:
        yield lambda n=1, *, total=None: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=False,
    ) as progress:
        task_id = progress.add_task(description, total=total)

        def advance(n: int = 1, *, total: int | None = None) -> None:
            if total is not None:
                progress.update(task_id, total=total)
            progress.advance(task_id, n)

        yield advance
