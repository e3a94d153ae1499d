"""What every ``councillor-hub`` subcommand shares, whichever module registers it.

Kept apart from ``cli`` (the table of contents) so that command modules never import it back.
"""

from __future__ import annotations

import argparse
import os
import sys

from .errors import ContentError
from .project import Project


def in_ci() -> bool:
    """Under GitHub Actions, problems are also printed as annotations on the pull request."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def load_project(args: argparse.Namespace) -> Project:
    """The project from ``--project`` (or the current folder); exits with the settings' problems."""
    try:
        return Project.load(args.project, upstream=getattr(args, "upstream", False))
    except ContentError as exc:
        print(exc.report(github=in_ci()), file=sys.stderr)
        raise SystemExit(1) from None
