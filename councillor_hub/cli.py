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

from .commands import in_ci, load_project
from .errors import ContentError, Problem
from .project import Project


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def cmd_check(args: argparse.Namespace) -> int:
    """Settings, content, overlay, learning log, templates and schemas: every problem at once."""
    from .build import catalogue_paths
    from .i18n import make_languages
    from .learning_log import check_learning_log
    from .loading import load_toolkit
    from .pages import build_site
    from .rendering import Renderer, TemplateProblem
    from .schemas import stale_schemas

    project = load_project(args)
    try:
        kit = load_toolkit(project)
    except ContentError as exc:
        log_problems = check_learning_log(project)
        print(ContentError([*exc.problems, *log_problems]).report(github=in_ci()), file=sys.stderr)
        return 1
    status = 0
    for note in kit.notes:
        print(f"{note} (note)")
    for warning in kit.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
        if in_ci():
            print(_annotation(warning, "warning"), file=sys.stderr)
    if kit.warnings and args.strict:
        status = 1
    stale = stale_schemas(project.schemas_dir)
    if stale:
        print(
            f"{project.display(project.schemas_dir)}: out of date ({', '.join(stale)}); run: councillor-hub schemas",
            file=sys.stderr,
        )
        status = 1
    log_problems = check_learning_log(project)
    for problem in log_problems:
        print(problem, file=sys.stderr)
    if log_problems:
        status = 1
    if not log_problems:
        # Render every page in memory, so a template mistake is found here too, not only by the build.
        from .learning_log import load_learning_log

        try:
            languages = make_languages(project.languages, catalogue_paths(project))
            build_site(
                project, kit, load_learning_log(project), Renderer(project.template_dirs, root=project.root), languages
            )
        except TemplateProblem as exc:
            print(exc, file=sys.stderr)
            status = 1
    untranslated, broken = _check_translations(project, kit)
    if broken or (untranslated and args.strict):
        status = 1
    warned = len(kit.warnings) + untranslated
    if status == 0:
        notes = f"; {_plural(warned, 'warning')} above" if warned else ""
        print(f"OK: {len(kit.files)} content files checked, no problems{notes}.")
    elif warned and args.strict:
        print(f"{_plural(warned, 'warning')}, which --strict treats as problems.", file=sys.stderr)
    return status


def _check_translations(project: Project, kit: object) -> tuple[int, int]:
    """Every field missing or out of date in each of the hub's other languages, located.

    Returns how many are missing or out of date, and how many translation files are wrong.
    """
    from .i18n import SOURCE_LANGUAGE
    from .toolkit import Toolkit
    from .translations import load_translations, parity

    assert isinstance(kit, Toolkit)
    count = broken = 0
    for code in project.languages:
        if code == SOURCE_LANGUAGE:
            continue
        report = parity(kit, load_translations(project, code))
        broken += len(report.errors)
        for problem in report.errors:
            print(problem, file=sys.stderr)
        for problem in report.stale:
            print(f"{problem} (out of date)", file=sys.stderr)
        for problem in report.missing:
            print(f"{problem} (not yet translated)", file=sys.stderr)
        count += len(report.missing) + len(report.stale)
        print(
            f"{code}: {report.translated} of {report.total} content fields translated ({report.percent()}%); "
            f"{len(report.missing)} missing and {len(report.stale)} out of date are listed above. Pages show them "
            "in English with a notice. Export them for translators: councillor-hub translations export --lang "
            f"{code} -o {code}.po",
            file=sys.stderr,
        )
    return count, broken


def _annotation(problem: Problem, level: str) -> str:
    return problem.github_annotation().replace("::error ", f"::{level} ", 1)


def cmd_schemas(args: argparse.Namespace) -> int:
    from .schemas import write_schemas

    project = load_project(args)
    changed = write_schemas(project.schemas_dir)
    for path in changed:
        print(f"wrote {project.display(path)}")
    if not changed:
        print("schemas are up to date")
    return 0


WHERE = {
    "learning-log": lambda p: p.learning_log_dir,
    "posts": lambda p: p.posts_dir,
    "state": lambda p: p.state_path,
    "registry": lambda p: p.registry_path,
    "private": lambda p: p.private_dir,
    "overlay": lambda p: p.overlay_dir,
}


def cmd_where(args: argparse.Namespace) -> int:
    """Print a folder or file of the project, for scripts and workflows (never hard-code them)."""
    project = load_project(args)
    print(project.display(WHERE[args.what](project)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="councillor-hub", description="Councillor Hub content tools.")
    parser.add_argument("--project", type=Path, default=None, help="the hub's folder (default: found from here)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate all content and report every problem with its location")
    check.add_argument("--strict", action="store_true", help="fail on warnings too (as `mkdocs build --strict` does)")
    check.add_argument(
        "--upstream", action="store_true", help="check upstream's content only, ignoring council.yml and council/"
    )
    check.set_defaults(func=cmd_check)
    schemas = sub.add_parser("schemas", help="regenerate the JSON Schemas from the models")
    schemas.set_defaults(func=cmd_schemas)
    where = sub.add_parser("where", help="print where the project keeps something (for scripts and workflows)")
    where.add_argument("what", choices=sorted(WHERE))
    where.set_defaults(func=cmd_where)
    from .cohort.cli import register_cohort_commands
    from .council_setup import register_council_commands
    from .ingest.cli import register_ingest_commands
    from .offline import register_offline_commands
    from .pack_cli import register_pack_commands
    from .translations_cli import register_translation_commands

    register_council_commands(sub)
    register_ingest_commands(sub)
    register_offline_commands(sub)
    register_pack_commands(sub)
    register_translation_commands(sub)
    register_cohort_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


def entry_point() -> None:
    """The ``councillor-hub`` command. ``councillor-hub translations status | head`` just stops,
    with no traceback, when ``head`` has read enough (the Python documentation's recipe)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry_point()
