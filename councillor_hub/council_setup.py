"""``councillor-hub new-council``: make a clone of the hub into one council's hub.

It writes ``council.yml`` and the ``council/`` overlay folder, and touches nothing else, so the
copy keeps pulling upstream's improvements without conflicts. Everything can be given as
options (for scripts and tests), and whatever is missing is asked for when run in a terminal.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError
from .files import write_text_atomic
from .project import OVERLAY_DIR, SETTINGS_FILE, Project, find_project_root
from .settings import CouncilSettings
from .validation import validate_document
from .yaml_source import YamlDocument, parse_yaml

NATIONS = ("england", "wales", "scotland", "northern-ireland")
PLACE_KINDS = ("wards", "towns", "villages", "neighbourhoods", "streets", "landmarks")

OVERLAY_TEMPLATE = """\
# yaml-language-server: $schema=../content/toolkits/schemas/overlay.schema.json
#
# Change upstream's content for {name} without editing upstream's files.
# README: "Run the hub for your council". `councillor-hub check` tells you about any mistake.
#
# hide:                        # leave items out of the hub, by kind:id
#   - platform:x
#   - ref: tool:hootsuite
#     replace_with: tool:buffer  # links to it point here instead
#     reason: We use Buffer.
#
# override:                    # change some fields of an upstream item; the rest stay upstream's
#   tool:canva:
#     cost_note: The council has Canva for Teams. Ask the communications team for a seat.

hide: []
override: {{}}
"""

FEEDS_TEMPLATE = """\
# yaml-language-server: $schema=../../content/toolkits/schemas/feeds.schema.json
#
# {name}'s learning log: facilitators' blogs whose posts are collected into this hub.
# Add a feed ONLY after its author has agreed in writing. See docs/learning-log-guide.md.
#
# feeds:
#   - id: jo-bloggs
#     name: Jo Bloggs
#     url: https://jobloggs.example.org/feed/
#     licence: CC BY 4.0
#     consent: Email from Jo Bloggs to the programme team, 2026-01-12

allow_hosts: []
tags: []
feeds: []
"""

README_TEMPLATE = """\
# {name}'s overlay

Everything that makes this hub {name}'s, apart from `council.yml`. Upstream never changes
this folder, so updates from upstream merge cleanly. What goes where:

- `overlay.yml`: hide upstream items, or change some of their fields, by kind and id.
- `content/`: your own items, laid out like `content/toolkits/` (for example
  `content/guides/who-to-contact.yml`, or `content/tools.yml` with your own tools).
- `docs/`: your own pages (Markdown). A page with the same name as an upstream page replaces it.
- `templates/`: a file named like one in `overrides/hub/` replaces that page template.
- `theme/`: overrides of the theme's templates (like `overrides/`), for example `main.html`.
- `assets/`: your logo and other files, published under `assets/council/`.
- `translations/<language>/`: translations of items, by kind and id.
- `learning-log/`: your learning log (`feeds.yml`; `councillor-hub ingest` writes posts here).

The README's section "Run the hub for your council" explains each one.
"""


def split_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def settings_from_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The council.yml data for the answers given, leaving out what was not answered."""
    data: dict[str, Any] = {}
    for key in ("name", "short_name", "area", "nation", "site_url", "repo_url"):
        if answers.get(key):
            data[key] = answers[key]
    if answers.get("logo"):
        data["logo"] = f"{OVERLAY_DIR}/assets/{Path(answers['logo']).name}"
        data["logo_alt"] = answers.get("name") or "Logo"
    colours = {k: answers[k] for k in ("primary", "accent") if answers.get(k)}
    if colours:
        data["colours"] = colours
    contact = {k: answers[f"contact_{k}"] for k in ("name", "email", "url") if answers.get(f"contact_{k}")}
    if contact:
        data["contact"] = contact
    places = {kind: split_list(answers.get(kind)) for kind in PLACE_KINDS if split_list(answers.get(kind))}
    if places:
        data["places"] = places
    if answers.get("notice_of_election") and answers.get("polling_day"):
        data["elections"] = [
            {
                "name": answers.get("election_name") or f"Elections on {answers['polling_day']}",
                "notice_of_election": answers["notice_of_election"],
                "polling_day": answers["polling_day"],
            }
        ]
    languages = split_list(answers.get("languages")) or ["en"]
    data["languages"] = languages
    return data


def render_settings(data: dict[str, Any]) -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return (
        "# yaml-language-server: $schema=content/toolkits/schemas/council.schema.json\n"
        "#\n"
        f"# {data.get('name', 'This council')}'s settings for the Councillor Hub. Every setting is explained in\n"
        '# the README\'s section "Run the hub for your council". Check changes with: councillor-hub check\n\n' + body
    )


def _validate(text: str) -> list[str]:
    doc = parse_yaml(text, YamlDocument(path=Path(SETTINGS_FILE), display=SETTINGS_FILE, data=None))
    _settings, problems = validate_document(doc, CouncilSettings)
    return [str(p) for p in problems]


QUESTIONS: tuple[tuple[str, str, Callable[[str], bool] | None], ...] = (
    ("name", "The council's name (for example: Cardiff Council)", None),
    ("short_name", "A short form of the name (for example: Cardiff)", None),
    ("area", "The area the council covers, as residents say it", None),
    ("nation", f"Which nation ({', '.join(NATIONS)})", lambda v: v in NATIONS),
    ("wards", "The wards or divisions, separated by commas", None),
    ("towns", "Towns, separated by commas (Enter to skip)", None),
    ("languages", "Languages, the default first (en, or en,cy for English and Welsh)", None),
    ("site_url", "The hub's web address, if you know it (Enter to skip)", None),
    ("repo_url", "The address of your copy of the repository (Enter to skip)", None),
)


def ask_missing(answers: dict[str, Any], ask: Callable[[str], str]) -> None:
    for key, question, valid in QUESTIONS:
        while not answers.get(key):
            value = ask(f"{question}: ").strip()
            if not value and key not in ("name",):
                break
            if valid is None or valid(value):
                answers[key] = value
            else:
                print(f"  Please answer one of: {', '.join(NATIONS)}", file=sys.stderr)


def scaffold(root: Path, answers: dict[str, Any], *, force: bool = False) -> list[Path]:
    """Write council.yml and council/ for ``answers``; returns the files written."""
    settings_path = root / SETTINGS_FILE
    if settings_path.exists() and not force:
        existing = Project.load(root).settings
        if existing.name:
            raise FileExistsError(
                f"{SETTINGS_FILE} already sets up {existing.name}; edit it, or run again with --force to replace it"
            )
    text = render_settings(settings_from_answers(answers))
    logo = Path(answers["logo"]) if answers.get("logo") else None
    if logo is not None and not logo.is_file():
        raise FileNotFoundError(f"there is no logo file {logo}")
    overlay = root / OVERLAY_DIR
    written = []
    if logo is not None:
        (overlay / "assets").mkdir(parents=True, exist_ok=True)
        shutil.copy2(logo, overlay / "assets" / logo.name)
        written.append(overlay / "assets" / logo.name)
    problems = _validate(text)
    if problems:
        raise ValueError("the answers do not make valid settings:\n" + "\n".join(problems))
    name = answers.get("name") or "The council"
    files = {
        settings_path: text,
        overlay / "overlay.yml": OVERLAY_TEMPLATE.format(name=name),
        overlay / "learning-log" / "feeds.yml": FEEDS_TEMPLATE.format(name=name),
        overlay / "README.md": README_TEMPLATE.format(name=name),
    }
    for path, content in files.items():
        if path.exists() and path != settings_path and not force:
            continue
        write_text_atomic(path, content)
        written.append(path)
    for folder in ("content", "docs", "templates", "translations"):
        keep = overlay / folder / ".gitkeep"
        if not keep.parent.exists():
            keep.parent.mkdir(parents=True)
            keep.write_text("", encoding="utf-8")
            written.append(keep)
    # Re-read everything the way the build will, so a mistake shows now, not at the first build.
    Project.load(root)
    return written


def cmd_new_council(args: argparse.Namespace) -> int:
    root = find_project_root(args.project)
    answers = {k: v for k, v in vars(args).items() if k not in ("func", "project", "command", "force") and v}
    if args.places and not answers.get("wards"):
        answers["wards"] = args.places
    interactive = sys.stdin.isatty() and not args.yes
    if interactive:
        ask_missing(answers, input)
    if not answers.get("name"):
        print("councillor-hub new-council: give the council's name with --name", file=sys.stderr)
        return 2
    try:
        written = scaffold(root, answers, force=args.force)
    except (FileExistsError, FileNotFoundError, ValueError) as exc:
        print(f"councillor-hub new-council: {exc}", file=sys.stderr)
        return 1
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(root).as_posix()}")
    print(
        f"\n{answers['name']}'s hub is set up. Next:\n"
        "  1. .venv/bin/councillor-hub check      (finds any mistake, with its line)\n"
        "  2. scripts/serve                        (look at it at http://127.0.0.1:8000/councillor-hub/)\n"
        "  3. git add council.yml council && git commit -m 'Set up our council'\n"
        'The README\'s section "Run the hub for your council" covers hiding items, your own pages,\n'
        "feeds, pre-election dates and publishing."
    )
    return 0


def register_council_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = sub.add_parser(
        "new-council",
        help="set up this copy of the hub for a council (writes council.yml and council/ only)",
        description="Writes council.yml and the council/ overlay folder. Give answers as options, or run it "
        "in a terminal to be asked for whatever is missing.",
    )
    new.add_argument("--name", help="the council's name, e.g. 'Cardiff Council'")
    new.add_argument("--short-name", dest="short_name", help="a short form, e.g. Cardiff")
    new.add_argument("--area", help="the area the council covers")
    new.add_argument("--nation", choices=NATIONS)
    new.add_argument("--places", help="the wards, separated by commas (same as --wards)")
    for kind in PLACE_KINDS:
        new.add_argument(f"--{kind}", help=f"{kind}, separated by commas")
    new.add_argument("--languages", help="languages, the default first: en, or en,cy")
    new.add_argument("--site-url", dest="site_url", help="where the hub will be published")
    new.add_argument("--repo-url", dest="repo_url", help="your copy of the repository (for edit links)")
    new.add_argument("--logo", help="an SVG or PNG file; it is copied into council/assets/")
    new.add_argument("--primary", help="the main colour, #rrggbb (needs 4.5:1 contrast with white)")
    new.add_argument("--accent", help="the second colour, #rrggbb")
    new.add_argument("--contact-name", dest="contact_name")
    new.add_argument("--contact-email", dest="contact_email")
    new.add_argument("--contact-url", dest="contact_url")
    new.add_argument("--election-name", dest="election_name")
    new.add_argument("--notice-of-election", dest="notice_of_election", help="YYYY-MM-DD")
    new.add_argument("--polling-day", dest="polling_day", help="YYYY-MM-DD")
    new.add_argument("--yes", action="store_true", help="never ask; use only the options given")
    new.add_argument("--force", action="store_true", help="replace existing settings")
    new.set_defaults(func=cmd_new_council)
