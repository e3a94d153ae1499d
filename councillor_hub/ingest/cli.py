"""Subcommands for the learning-log ingester: ``ingest``, ``retire`` and ``feeds``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..commands import in_ci
from ..errors import ContentError
from ..feeds import load_registry
from ..project import Project
from .fetching import DEFAULT_MAX_BYTES, FetchOptions, user_agent_for
from .run import DEFAULT_MAX_WORKERS, DEFAULT_PER_HOST, run_ingest
from .store import AlreadyRunning, retire_post, run_lock

# Exit status of `councillor-hub ingest`, one line each. docs/learning-log-guide.md explains each
# for facilitators ("If the collector stops with an error"); a test keeps the two in step.
EXIT_OK = 0
EXIT_ALL_FAILED = 1
EXIT_BAD_REGISTRY = 2
EXIT_ALREADY_RUNNING = 3
EXIT_CANNOT_WRITE = 4
INGEST_EXIT_CODES = {
    EXIT_OK: "the run finished (some feeds may have failed or been held: see the table)",
    EXIT_ALL_FAILED: "every feed that was tried failed: usually the network is down",
    EXIT_BAD_REGISTRY: "feeds.yml, the project settings or the command's options have a mistake; nothing was fetched",
    EXIT_ALREADY_RUNNING: "another ingest run holds the lock; nothing was done",
    EXIT_CANNOT_WRITE: "the collector could not read or write its own files (disk full, permissions)",
}


def _project(args: argparse.Namespace) -> Project:
    return Project.load(getattr(args, "project", None))


def cmd_ingest(args: argparse.Namespace) -> int:
    try:
        project = _project(args)
    except ContentError as exc:
        print(exc.report(github=in_ci()), file=sys.stderr)
        return EXIT_BAD_REGISTRY
    root = project.root
    deadline = args.timeout
    options = FetchOptions(
        connect_timeout=min(10.0, deadline),
        read_timeout=min(20.0, deadline),
        deadline=deadline,
        max_bytes=args.max_bytes,
        user_agent=user_agent_for(project.site_url),
    )
    try:
        report = run_ingest(
            root,
            registry_path=args.registry,
            posts_dir=args.posts_dir,
            state_path=args.state,
            allow_hosts=args.allow_host,
            max_workers=args.max_workers,
            per_host=args.per_host,
            fetch_options=options,
        )
    except ContentError as exc:
        print(exc.report(github=in_ci()), file=sys.stderr)
        return EXIT_BAD_REGISTRY
    except AlreadyRunning as exc:
        print(f"councillor-hub ingest: {exc}", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    except OSError as exc:
        # Feeds' own trouble never gets here (it is in the table); this is the hub's disk.
        print(f"councillor-hub ingest: cannot write the learning log: {exc}", file=sys.stderr)
        return EXIT_CANNOT_WRITE
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if report.feeds:
        print(report.table())
    else:
        print("No feeds in the registry yet; see docs/learning-log-guide.md to add one.")
    if report.exit_code:
        print("Every feed that was tried failed; check the network and the reasons above.", file=sys.stderr)
        return EXIT_ALL_FAILED
    return EXIT_OK


def cmd_retire(args: argparse.Namespace) -> int:
    project = _project(args)
    root = project.root
    posts_dir = args.posts_dir or project.posts_dir
    try:
        with run_lock((args.state or project.state_path).parent):
            path = retire_post(posts_dir, args.post_id, args.reason)
    except (LookupError, AlreadyRunning) as exc:
        print(f"councillor-hub retire: {exc}", file=sys.stderr)
        return 1
    print(f"retired {path.relative_to(root) if path.is_relative_to(root) else path}; commit it to take the post down")
    return 0


def cmd_export_opml(args: argparse.Namespace) -> int:
    from .opml import export_opml

    project = _project(args)
    try:
        registry = load_registry(args.registry or project.registry_path, project)
    except ContentError as exc:
        print(exc.report(github=in_ci()), file=sys.stderr)
        return 2
    text = export_opml(registry)
    if args.file and str(args.file) != "-":
        from ..files import write_text_atomic

        write_text_atomic(args.file, text)
        print(f"wrote {len([f for f in registry.feeds if not f.retired])} feeds to {args.file}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_import_opml(args: argparse.Namespace) -> int:
    from .opml import import_opml

    project = _project(args)
    registry_path = args.registry or project.registry_path
    try:
        opml_text = args.file.read_text(encoding="utf-8")
        added = import_opml(
            registry_path, project, opml_text, licence=args.licence, consent=args.consent, tags=args.tag or None
        )
    except ContentError as exc:
        print(exc.report(github=in_ci()), file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"councillor-hub feeds import-opml: {exc}", file=sys.stderr)
        return 1
    if added:
        print(f"added {len(added)} feeds to {registry_path}: {', '.join(added)}")
    else:
        print("no new feeds: every feed in the file is already in the registry")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from .provenance import accept_held

    project = _project(args)
    posts_dir = args.posts_dir or project.posts_dir
    try:
        registry = load_registry(args.registry or project.registry_path, project)
    except ContentError as exc:
        print(exc.report(github=in_ci()), file=sys.stderr)
        return 2
    if registry.feed(args.feed_id) is None:
        print(f"councillor-hub feeds accept: no feed {args.feed_id!r} in the registry", file=sys.stderr)
        return 1
    try:
        moved, hosts = accept_held(posts_dir, args.state or project.state_path, args.feed_id)
    except (LookupError, AlreadyRunning) as exc:
        print(f"councillor-hub feeds accept: {exc}", file=sys.stderr)
        return 1
    if not moved and not hosts:
        print(f"no posts of {args.feed_id} are held for review; nothing to do")
        return 0
    trusted = f"; its posts from {', '.join(hosts)} are published from now on" if hosts else ""
    print(f"published {len(moved)} held posts of {args.feed_id}{trusted}. Commit the result.")
    return 0


def register_ingest_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ingest``, ``retire`` and ``feeds`` to the ``councillor-hub`` parser."""
    ingest = sub.add_parser(
        "ingest",
        help="fetch the facilitators' feeds and store new entries in the learning log",
        description="Fetch every feed in the registry and write new or edited entries as posts.",
        epilog="exit status:\n"
        + "\n".join(f"  {code}  {meaning}" for code, meaning in INGEST_EXIT_CODES.items())
        + "\nWhat each means and what to do: docs/learning-log-guide.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ingest.add_argument(
        "--registry", type=Path, default=None, help="the feeds registry (default: feeds.yml in the learning-log folder)"
    )
    ingest.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="a host that may be fetched even if it resolves to a private or local address (repeatable)",
    )
    ingest.add_argument(
        "--posts-dir",
        type=Path,
        default=None,
        help="where posts are written (default: posts/ in the learning-log folder)",
    )
    ingest.add_argument(
        "--state", type=Path, default=None, help="the state file (default: state.json in the learning-log folder)"
    )
    ingest.add_argument(
        "--max-workers",
        type=int,
        default=DEFAULT_MAX_WORKERS,
        metavar="N",
        help=f"feeds fetched at once (default {DEFAULT_MAX_WORKERS})",
    )
    ingest.add_argument(
        "--per-host",
        type=int,
        default=DEFAULT_PER_HOST,
        metavar="N",
        help=f"feeds fetched at once from one host name (default {DEFAULT_PER_HOST})",
    )
    ingest.add_argument(
        "--timeout", type=float, default=60.0, metavar="S", help="total time allowed per feed, in seconds (default 60)"
    )
    ingest.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="largest feed accepted after decompression"
    )
    ingest.set_defaults(func=cmd_ingest)

    retire = sub.add_parser(
        "retire",
        help="take a learning-log post off the site (the takedown action); its file stays as the record",
    )
    retire.add_argument("post_id", metavar="POST_ID", help="the post's id (16 hex characters, in its front matter)")
    retire.add_argument("--reason", required=True, help="why, for the record (e.g. 'author asked, 2026-01-05')")
    retire.add_argument("--posts-dir", type=Path, default=None, help=argparse.SUPPRESS)
    retire.add_argument("--state", type=Path, default=None, help=argparse.SUPPRESS)
    retire.set_defaults(func=cmd_retire)

    feeds = sub.add_parser("feeds", help="OPML import and export of the feeds registry")
    feeds_sub = feeds.add_subparsers(dest="feeds_command", required=True)
    export = feeds_sub.add_parser("export-opml", help="write the registry as OPML (to FILE, or standard output)")
    export.add_argument("file", type=Path, nargs="?", default=None, metavar="FILE")
    export.add_argument("--registry", type=Path, default=None)
    export.set_defaults(func=cmd_export_opml)
    imp = feeds_sub.add_parser(
        "import-opml", help="add the feeds in an OPML file to the registry (never removes or changes any)"
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--licence", required=True, help='licence for the imported feeds, e.g. "CC BY 4.0"')
    imp.add_argument("--consent", required=True, help="how and when the facilitators agreed")
    imp.add_argument("--tag", action="append", default=[], help="a tag for every imported feed (repeatable)")
    imp.add_argument("--registry", type=Path, default=None)
    imp.set_defaults(func=cmd_import_opml)
    accept = feeds_sub.add_parser(
        "accept",
        help="publish the posts of a feed held for review (its site changed) and trust its new site",
        description="A feed whose site changed has its new posts held in posts/held/ (see "
        "docs/learning-log-guide.md). Read them first; if the blog really moved, this publishes them.",
    )
    accept.add_argument("feed_id", metavar="FEED", help="the feed's id in feeds.yml")
    accept.add_argument("--registry", type=Path, default=None)
    accept.add_argument("--posts-dir", type=Path, default=None, help=argparse.SUPPRESS)
    accept.add_argument("--state", type=Path, default=None, help=argparse.SUPPRESS)
    accept.set_defaults(func=cmd_accept)
