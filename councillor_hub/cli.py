"""The ``councillor-hub`` command.

Subcommands are registered by the module that owns them (``register_*`` functions), so this
file stays a table of contents.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ContentError
from .loading import load_toolkit
from .schemas import stale_schemas, write_schemas


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``mkdocs.yml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise SystemExit("councillor-hub: no mkdocs.yml here or in any parent folder; run it inside the hub")


def _in_ci() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def cmd_check(args: argparse.Namespace) -> int:
    root = find_project_root(args.project)
    content = root / "content" / "toolkits"
    status = 0
    try:
        kit = load_toolkit(content, project_root=root)
    except ContentError as exc:
        print(exc.report(github=_in_ci()), file=sys.stderr)
        return 1
    for warning in kit.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    if kit.warnings and args.strict:
        status = 1
    stale = stale_schemas(content / "schemas")
    if stale:
        print(
            f"content/toolkits/schemas: out of date ({', '.join(stale)}); run: councillor-hub schemas",
            file=sys.stderr,
        )
        status = 1
    from .learning_log import check_learning_log

    log_problems = check_learning_log(root)
    for problem in log_problems:
        print(problem, file=sys.stderr)
    if log_problems:
        status = 1
    warned = len(kit.warnings)
    if status == 0:
        notes = f"; {warned} warning{'s' if warned != 1 else ''} above" if warned else ""
        print(f"OK: {len(kit.files)} content files checked, no problems{notes}.")
    elif warned and args.strict:
        print(f"{warned} warning{'s' if warned != 1 else ''}, which --strict treats as problems.", file=sys.stderr)
    return status


def cmd_schemas(args: argparse.Namespace) -> int:
    root = find_project_root(args.project)
    changed = write_schemas(root / "content" / "toolkits" / "schemas")
    for path in changed:
        print(f"wrote {path.relative_to(root)}")
    if not changed:
        print("schemas are up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="councillor-hub", description="Councillor Hub content tools.")
    parser.add_argument("--project", type=Path, default=None, help="the hub's folder (default: found from here)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate all content and report every problem with its location")
    check.add_argument("--strict", action="store_true", help="fail on warnings too (as `mkdocs build --strict` does)")
    check.set_defaults(func=cmd_check)
    schemas = sub.add_parser("schemas", help="regenerate the JSON Schemas from the models")
    schemas.set_defaults(func=cmd_schemas)
    from .ingest.cli import register_ingest_commands

    register_ingest_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
