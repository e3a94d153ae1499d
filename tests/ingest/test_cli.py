"""The commands as a council runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from councillor_hub.cli import main
from councillor_hub.ingest.cli import EXIT_ALREADY_RUNNING, EXIT_CANNOT_WRITE, INGEST_EXIT_CODES
from councillor_hub.ingest.store import run_lock

from .conftest import Project, feed_entry, fixture_feed

REPO = Path(__file__).resolve().parents[2]


def cli(project: Project, *args: str) -> int:
    return main(["--project", str(project.root), *args])


def test_ingest_retire_and_opml(project: Project, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    httpserver.expect_request("/wp").respond_with_data(fixture_feed("wordpress.xml"), content_type="text/xml")
    project.write_registry(feed_entry("jo", httpserver.url_for("/wp")))
    assert cli(project, "ingest", "--allow-host", "localhost", "--timeout", "5", "--max-workers", "1") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == ["feed", "result", "new", "updated", "unchanged", "reason"]
    assert "jo" in out and "[1/1] jo: ok, 2 new" in err

    post = sorted(project.posts_dir.glob("*.md"))[0]
    post_id = post.read_text(encoding="utf-8").split("id: ", 1)[1].split("\n", 1)[0]
    assert cli(project, "retire", post_id, "--reason", "author asked") == 0
    assert "retired: true\nretired_reason: author asked\n" in post.read_text(encoding="utf-8")
    assert cli(project, "retire", "0000000000000000", "--reason", "x") == 1
    # The six characters at the end of a file name are enough to name a post.
    second = sorted(project.posts_dir.glob("*.md"))[1]
    assert cli(project, "retire", second.stem[-6:], "--reason", "by file name") == 0
    assert "retired_reason: by file name\n" in second.read_text(encoding="utf-8")
    assert cli(project, "retire", second.stem[-5:], "--reason", "too short") == 1

    opml = project.root / "out.opml"
    assert cli(project, "feeds", "export-opml", str(opml)) == 0
    assert "xmlUrl=" in opml.read_text(encoding="utf-8")
    opml.write_text(opml.read_text(encoding="utf-8").replace("/wp", "/other"), encoding="utf-8")
    assert cli(project, "feeds", "import-opml", str(opml), "--licence", "CC BY 4.0", "--consent", "email") == 0
    assert "url: " + httpserver.url_for("/other") in project.registry.read_text(encoding="utf-8")


def test_exit_codes(project: Project, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    project.registry.write_text("feeds: [1]\n", encoding="utf-8")
    assert cli(project, "ingest") == 2
    assert "feeds.yml:1:9: feeds[0]" in capsys.readouterr().err
    httpserver.expect_request("/down").respond_with_data("", status=500)
    project.write_registry(feed_entry("down", httpserver.url_for("/down")))
    assert cli(project, "ingest", "--allow-host", "localhost", "--timeout", "3") == 1
    project.write_registry()
    assert cli(project, "ingest") == 0


def test_script_runs_the_same_command(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/s").respond_with_data(fixture_feed("substack.xml"), content_type="text/xml")
    project.write_registry(feed_entry("alex", httpserver.url_for("/s")))
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "ingest.py"), "--allow-host", "localhost", "--timeout", "5"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(list(project.posts_dir.glob("*.md"))) == 1


GUIDE = REPO / "docs" / "learning-log-guide.md"


def documented_exit_codes() -> dict[int, str]:
    """Exit code → the guide's row for it, from the table under "### Exit codes"."""
    section = GUIDE.read_text(encoding="utf-8").split("### Exit codes", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    return {int(row.split("|")[1]): row for row in rows}


def test_every_exit_code_is_documented_and_only_those(capsys: pytest.CaptureFixture[str]) -> None:
    # The guide cannot drift from the command: issue #15 found exit status 3 documented nowhere.
    documented = documented_exit_codes()
    assert sorted(documented) == sorted(INGEST_EXIT_CODES)
    assert all(
        row.count("|") == 5 and all(cell.strip() for cell in row.split("|")[1:-1]) for row in documented.values()
    )
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    help_text = capsys.readouterr().out
    for code, meaning in INGEST_EXIT_CODES.items():
        assert f"\n  {code}  {meaning}\n" in help_text


def test_exit_codes_3_and_4(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_registry()
    with run_lock(project.log_dir):
        assert cli(project, "ingest") == EXIT_ALREADY_RUNNING == 3
    assert ".ingest.lock" in capsys.readouterr().err
    blocked = project.root / "not-a-folder"
    blocked.write_text("a file where the state's folder should be", encoding="utf-8")
    assert cli(project, "ingest", "--state", str(blocked / "state.json")) == EXIT_CANNOT_WRITE == 4
    assert "cannot write the learning log" in capsys.readouterr().err
