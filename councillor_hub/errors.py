"""Content problems, collected and reported all at once with their locations."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One fault in a content file, located as precisely as the source allows.

    ``line`` and ``col`` are 1-based, like an editor's status bar.
    """

    path: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.field}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions annotation, shown inline on a pull request."""
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.col},title={self.field}::{message}"


class ContentError(Exception):
    """Raised when content has one or more problems; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self, *, github: bool = False) -> str:
        lines = [str(p) for p in self.problems]
        if github:
            lines += [p.github_annotation() for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found in the hub's content.")
        return "\n".join(lines)


def display_path(path: Path, root: Path | None) -> str:
    """A path as a council officer would type it: relative to the project when possible."""
    if root is not None:
        # As written first: a symlink is shown where it is, not where it points (issue #15).
        written = (Path(os.path.normpath(path.absolute())), Path(os.path.normpath(root.absolute())))
        for shown, base in (written, (path.resolve(), root.resolve())):
            try:
                return shown.relative_to(base).as_posix()
            except ValueError:
                continue
    return path.as_posix()
