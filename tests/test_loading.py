"""Loading and validating content: every kind of fault, reported together with its location."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from councillor_hub.errors import ContentError
from councillor_hub.kinds import KINDS
from councillor_hub.loading import load_toolkit
from councillor_hub.project import Project
from councillor_hub.toolkit import Toolkit

from .conftest import FIXTURES, REPO, make_project

MINI = FIXTURES / "mini"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "hub", MINI / "content")
    shutil.copytree(REPO / "content/toolkits/schemas", root / "content/toolkits/schemas")
    return root


def load(project: Path, on: dt.date | None = None) -> Toolkit:
    return load_toolkit(Project.load(project), on=on or dt.date(2026, 11, 30))


def problems(project: Path, on: dt.date | None = None) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(project, on)
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_the_fixture_is_valid(project: Path) -> None:
    kit = load(project)
    assert [p.id for p in kit.items("platform")] == ["example"]
    assert [p.id for p in kit.items("persona")] == ["sceptic", "cautious"]


def test_many_faults_in_one_file_are_all_reported_sorted(project: Path) -> None:
    platform = project / "content/toolkits/platforms/example.yml"
    edit(platform, "name: Example Network\n", "nmae: Example Network\n")  # typo + missing name
    edit(platform, "  effort: low\n", "  effort: NO\n")  # Norway problem on an enum
    edit(platform, "last_reviewed: 2026-11-23", "last_reviewed: 2024-02-30")
    edit(platform, "url: https://example.org/\n", "url: https://example.org/\nsummary: twice\n")
    edit(platform, "    accessed: 2026-11-23", "    accessed: 12:30")
    edit(platform, "good_practice:\n  - Reply", "good_practice: Reply")
    found = problems(project)
    p = "content/toolkits/platforms/example.yml"
    located = [(line.split(":")[1], line.split(":")[2]) for line in found]
    assert located == sorted(located, key=lambda lc: (int(lc[0]), int(lc[1])))
    text = "\n".join(found)
    # A duplicate key no longer hides the file's other faults (issue 13): all of them come at once.
    assert f"{p}:5:1: summary: duplicate key (first set on line 4); keep only one" in text
    assert f"{p}:1:1: name: required field is missing" in text
    assert f"{p}:2:1: nmae: unknown field 'nmae'; did you mean 'name'?" in text
    assert f"{p}:11:11: at_a_glance.effort: input should be 'low', 'medium' or 'high' (got 'NO')" in text
    assert f"{p}:44:16: good_practice: input should be a valid list" in text
    assert f"{p}:56:15: sources[0].accessed:" in text and "'12:30'" in text
    assert f"{p}:57:16: last_reviewed:" in text and "YYYY-MM-DD" in text and "'2024-02-30'" in text
    assert len(found) == 7


def test_dangling_references_suggest_the_right_id(project: Path) -> None:
    edit(project / "content/toolkits/personas/sceptic.yml", "ref: platform:example", "ref: platform:exampel")
    edit(project / "content/toolkits/tools.yml", "category: listening", "category: listen")
    edit(project / "content/toolkits/start.yml", "points: {sceptic: 2}", "points: {scepitc: 2}")
    edit(project / "content/toolkits/lessons/sprint-1.yml", "worksheet: network-map", "worksheet: network")
    found = "\n".join(problems(project))
    assert (
        "personas/sceptic.yml:12:10: pathway[1].ref: no platform has the id 'exampel'; did you mean 'example'?" in found
    )
    assert (
        "tools.yml:9:15: tools[0, example-alerts].category: no category has the id 'listen'; did you mean 'listening'?"
    ) in found
    assert (
        "start.yml:9:27: questions[0, feel].options[0, unsure].points.scepitc: no persona has the id 'scepitc'"
    ) in found
    assert "lessons/sprint-1.yml:" in found and "no worksheet has the id 'network'" in found


def test_session_timings_must_add_up(project: Path) -> None:
    edit(project / "content/toolkits/lessons/sprint-1.yml", "    minutes: 45\n", "    minutes: 50\n")
    (problem,) = problems(project)
    assert problem == (
        "content/toolkits/lessons/sprint-1.yml:12:14: sessions[0, sprint-1-mapping].minutes: "
        "the session is 50 minutes but its activities add up to 45"
    )


def test_do_this_first_is_at_most_five_steps(project: Path) -> None:
    guide = project / "content/toolkits/guides/first-steps.yml"
    edit(guide, "  - Pick one platform.\n", "".join(f"  - Step {n}.\n" for n in range(2, 7)))
    assert problems(project) == [
        "content/toolkits/guides/first-steps.yml:18:3: do_this_first: "
        "list should have at most 5 items after validation, not 6"
    ]


def test_duplicate_ids_across_files(project: Path) -> None:
    shutil.copy(project / "content/toolkits/personas/sceptic.yml", project / "content/toolkits/personas/zz.yml")
    found = problems(project)
    assert found == [
        "content/toolkits/personas/zz.yml:1:5: id: the persona id 'sceptic' is already used in "
        "content/toolkits/personas/sceptic.yml"
    ]


def test_bad_id_and_missing_file(project: Path) -> None:
    (project / "content/toolkits/start.yml").unlink()
    edit(project / "content/toolkits/guides/first-steps.yml", "id: first-steps", "id: First Steps")
    found = "\n".join(problems(project))
    assert "content/toolkits/start.yml:1:1: (file): this file is missing" in found
    assert "guides/first-steps.yml:1:5: id: an id is lower-case letters and digits joined by single hyphens" in found


def test_empty_and_non_mapping_files(project: Path) -> None:
    (project / "content/toolkits/guides/first-steps.yml").write_text("")
    (project / "content/toolkits/personas/cautious.yml").write_text("- a list\n")
    found = "\n".join(problems(project))
    assert "first-steps.yml:1:1: (file): expected a mapping of fields at the top level, found an empty file" in found
    assert "cautious.yml:1:1: (file): expected a mapping of fields at the top level, found a list" in found


def test_stale_items_give_warnings(project: Path) -> None:
    kit = load(project, dt.date(2028, 1, 1))
    warnings = [str(w) for w in kit.warnings]
    assert (
        "content/toolkits/platforms/example.yml:57:16: last_reviewed: 'Example Network' was last reviewed on "
        "2026-11-23, over 12 months ago; check it is still accurate and update last_reviewed"
    ) in warnings
    assert any(
        w.startswith("content/toolkits/tools.yml:20:20: tools[0, example-alerts].last_reviewed:") for w in warnings
    )
    fresh = load(project, dt.date(2027, 11, 23))
    assert fresh.warnings == []


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", *args], capture_output=True, text=True, cwd=project, timeout=120
    )


def test_check_strict_fails_on_stale_content(project: Path) -> None:
    platform = project / "content/toolkits/platforms/example.yml"
    edit(platform, "last_reviewed: 2026-11-23", "last_reviewed: 2020-01-15")
    relaxed = run_cli(project, "check")
    assert relaxed.returncode == 0
    assert "example.yml:57:16: last_reviewed: 'Example Network' was last reviewed on 2020-01-15" in relaxed.stderr
    assert "no problems; 1 warning above." in relaxed.stdout
    strict = run_cli(project, "check", "--strict")
    assert strict.returncode == 1
    assert "1 warning, which --strict treats as problems." in strict.stderr


def test_check_command_reports_every_problem_without_a_traceback(project: Path) -> None:
    edit(project / "content/toolkits/platforms/example.yml", "name: Example Network\n", "name: [unclosed\n")
    edit(project / "content/toolkits/guides/first-steps.yml", "audience: councillors", "audience: council")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("content/toolkits/guides/first-steps.yml:3:11: audience: input should be")
    assert lines[1].startswith("content/toolkits/platforms/example.yml:")
    assert lines[-1] == "2 problems found in the hub's content."


# --- Content files are ordinary files inside the project (issue #15, finding 11) -------------------
# A pull request can carry a symlink or (on a shared machine) a pipe named like a content file.
# These run the check in a child process with a memory cap and a timeout, so a regression fails
# the test instead of hanging it or eating the machine's memory.

FILE_LIMIT = 1_000_000  # the size cap this hub promises: 1 MB per content file


def run_guarded(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    def cap_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    return subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", *args],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
        preexec_fn=cap_memory,
    )


def refused(project: Path, name: str) -> str:
    """The one problem the check reports about ``name``, with no traceback."""
    result = run_guarded(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    return next(line for line in result.stderr.splitlines() if line.startswith(name))


def test_a_symlink_to_dev_zero_is_refused_without_reading_it(project: Path) -> None:
    (project / "content/toolkits/platforms/zero.yml").symlink_to("/dev/zero")
    assert refused(project, "content/toolkits/platforms/zero.yml") == (
        "content/toolkits/platforms/zero.yml:1:1: (file): is a symbolic link to a place outside the project; "
        "content files must be ordinary files inside the project (replace the link with the file itself)"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_pipe_named_like_a_content_file_is_refused_without_opening_it(project: Path) -> None:
    os.mkfifo(project / "content/toolkits/guides/x.yml")
    assert refused(project, "content/toolkits/guides/x.yml") == (
        "content/toolkits/guides/x.yml:1:1: (file): is not an ordinary file (it is a device, a pipe or a socket); "
        "content files must be ordinary files"
    )


def test_a_symlink_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yml"
    shutil.copy(project / "content/toolkits/personas/sceptic.yml", outside)
    edit(outside, "id: sceptic", "id: elsewhere")
    (project / "content/toolkits/personas/elsewhere.yml").symlink_to(outside)
    assert "is a symbolic link to a place outside the project" in refused(
        project, "content/toolkits/personas/elsewhere.yml:1:1: (file):"
    )


def test_a_symlink_inside_the_project_is_refused_too(project: Path) -> None:
    # Decided in issue #15: a reviewer sees only where a link points, never what it reads, and it
    # could point at private records; so every content file is an ordinary file, link or not.
    (project / "content/toolkits/guides/again.yml").symlink_to("first-steps.yml")
    found = problems(project)
    assert found == [
        "content/toolkits/guides/again.yml:1:1: (file): is a symbolic link (to content/toolkits/guides/"
        "first-steps.yml); content files must be ordinary files (replace the link with a copy of the file)"
    ]


def test_a_file_over_the_size_cap_is_refused_unread(project: Path) -> None:
    big = project / "content/toolkits/guides/big.yml"
    big.write_text("# padding\n" * (FILE_LIMIT // 10) + "#\n")
    assert big.stat().st_size == FILE_LIMIT + 2
    assert problems(project) == [
        f"content/toolkits/guides/big.yml:1:1: (file): is {FILE_LIMIT + 2:,} bytes, over the {FILE_LIMIT:,}-byte "
        "limit for one file; split it into smaller files"
    ]
    big.write_text("# padding\n" * (FILE_LIMIT // 10))  # exactly at the cap: read (and then found empty)
    assert problems(project) == [
        "content/toolkits/guides/big.yml:1:1: (file): expected a mapping of fields at the top level, "
        "found an empty file"
    ]


def test_every_refused_file_is_reported_with_the_other_faults(project: Path, tmp_path: Path) -> None:
    if hasattr(os, "mkfifo"):
        os.mkfifo(project / "content/toolkits/guides/x.yml")
    (project / "content/toolkits/platforms/zero.yml").symlink_to("/dev/zero")
    (tmp_path / "outside.yml").write_text("id: outside\n")
    (project / "content/toolkits/personas/outside.yml").symlink_to(tmp_path / "outside.yml")
    (project / "content/toolkits/guides/big.yml").write_text("#" * (FILE_LIMIT + 1))
    edit(project / "content/toolkits/guides/first-steps.yml", "audience: councillors", "audience: council")
    result = run_guarded(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    located = [line.split(": ")[0] for line in result.stderr.splitlines()[:-1]]
    assert located == sorted(located)
    expected = ["guides/big.yml:1:1", "guides/first-steps.yml:3:11", "personas/outside.yml:1:1", "zero.yml:1:1"]
    expected += ["guides/x.yml:1:1"] if hasattr(os, "mkfifo") else []
    for where in expected:
        assert any(where in line for line in located), where
    assert result.stderr.splitlines()[-1] == f"{len(expected)} problems found in the hub's content."


# --- Checks that had no test of their own (issue #15): each fails if its check is switched off ---


def test_a_tool_naming_an_unknown_platform_is_reported(project: Path) -> None:
    edit(project / "content/toolkits/tools.yml", "platforms: [example]", "platforms: [exampel]")
    assert problems(project) == [
        "content/toolkits/tools.yml:14:17: tools[0, example-alerts].platforms[0]: "
        "no platform has the id 'exampel'; did you mean 'example'?"
    ]


def test_a_sprint_the_programme_does_not_list_is_reported(project: Path) -> None:
    lessons = project / "content/toolkits/lessons"
    shutil.copy(lessons / "sprint-1.yml", lessons / "sprint-2.yml")
    edit(lessons / "sprint-2.yml", "id: sprint-1\nnumber: 1\n", "id: sprint-2\nnumber: 2\n")
    assert problems(project) == [
        "content/toolkits/lessons/sprint-2.yml:1:5: id: sprint 'sprint-2' is not listed in "
        "content/toolkits/lessons/programme.yml under sprints"
    ]


def test_activities_longer_than_their_session_are_reported(project: Path) -> None:
    # The other direction from test_session_timings_must_add_up: the activities overrun.
    edit(project / "content/toolkits/lessons/sprint-1.yml", "    minutes: 45\n", "    minutes: 40\n")
    assert problems(project) == [
        "content/toolkits/lessons/sprint-1.yml:12:14: sessions[0, sprint-1-mapping].minutes: "
        "the session is 40 minutes but its activities add up to 45"
    ]


@pytest.mark.parametrize(
    ("name", "singular"),
    [
        ("worksheets", "worksheet"),
        ("between_sprint_tasks", "between-sprint task"),
        ("readiness", "readiness item"),
        ("evaluation", "evaluation measure"),
        ("sessions", "session"),
    ],
)
def test_duplicate_ids_inside_a_sprint_are_reported_by_what_they_are(project: Path, name: str, singular: str) -> None:
    sprint = project / "content/toolkits/lessons/sprint-1.yml"
    data = yaml.safe_load(sprint.read_text())
    first = data[name][0]
    data[name].append(copy.deepcopy(first))  # a copy: the same object would be dumped as a YAML alias
    sprint.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    index = len(data[name]) - 1
    expected = (
        f"{name}[{index}, {first['id']}].id: another {singular} in this sprint already has the id "
        f"{first['id']!r} ({name}[0]); each {singular} needs its own id"
    )
    found = problems(project)
    assert any(line.endswith(expected) for line in found), found


def test_every_dated_kind_warns_when_its_review_is_stale(upstream_project: Project) -> None:
    """Loops over the table of kinds, so a kind added later is covered (guides included)."""
    dated = [k for k in KINDS if "last_reviewed" in k.model.model_fields]
    assert {"platform", "tool", "sprint", "guide", "persona"} <= {k.name for k in dated}
    kit = load_toolkit(upstream_project, on=dt.date(2026, 11, 30))
    reviewed = [e.item.last_reviewed for k in dated for e in kit.entries_of(k.name)]
    # A year and a day after the newest review date, every dated item of every kind is stale.
    later = load_toolkit(upstream_project, on=max(reviewed) + dt.timedelta(days=366))
    warned = {(w.path, w.line, w.col) for w in later.warnings if w.field.endswith("last_reviewed")}
    for kind in dated:
        entries = later.entries_of(kind.name)
        assert entries, f"upstream has no {kind.name} to test staleness with"
        for entry in entries:
            problem = later.locate(entry, ("last_reviewed",), "")
            assert (problem.path, problem.line, problem.col) in warned, f"{entry.ref} is stale but not warned"
    # Exactly a year after the oldest review date (when that is not before the newest), nothing is stale.
    if min(reviewed) + dt.timedelta(days=365) >= max(reviewed):
        assert load_toolkit(upstream_project, on=min(reviewed) + dt.timedelta(days=365)).warnings == []


def test_a_key_that_looks_like_a_union_member_is_still_reported_where_it_is(project: Path) -> None:
    # Found by the fuzz layer (issue #15): the key "i[" was dropped from the error's location as if
    # it were pydantic's name for a union member, and the check crashed with an IndexError.
    edit(project / "content/toolkits/platforms/example.yml", "id: example\n", "i[: example\n")
    prefix = "content/toolkits/platforms/example.yml:1:1: i[: unknown field 'i['; allowed fields are "
    assert any(line.startswith(prefix) for line in problems(project))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0", "write dates as YYYY-MM-DD, for example 2026-11-23 (got '0')"),
        ("1672531200", "write dates as YYYY-MM-DD, for example 2026-11-23 (got '1672531200')"),
        ("2026-11-23T00:00:00", "write dates as YYYY-MM-DD, for example 2026-11-23 (got '2026-11-23T00:00:00')"),
        ("0001-01-01", "0001-01-01 is before 2000; check the year (dates are YYYY-MM-DD)"),
    ],
)
def test_a_review_date_must_be_a_plain_plausible_day(project: Path, written: str, message: str) -> None:
    # Found by the fuzz layer (issue #15): pydantic read "0" as 1970-01-01 and a Unix time as a day,
    # and a year-1 date passed as merely "stale".
    edit(project / "content/toolkits/platforms/example.yml", "last_reviewed: 2026-11-23", f"last_reviewed: {written}")
    assert problems(project) == [f"content/toolkits/platforms/example.yml:57:16: last_reviewed: {message}"]


def test_a_councils_overlay_files_follow_the_same_rule(project: Path, tmp_path: Path) -> None:
    guides = project / "council/content/guides"
    guides.mkdir(parents=True)
    (guides / "zero.yml").symlink_to("/dev/zero")
    (project / "council/overlay.yml").symlink_to(tmp_path)  # a folder outside the project
    outside = (
        "(file): is a symbolic link to a place outside the project; "
        "content files must be ordinary files inside the project (replace the link with the file itself)"
    )
    assert refused(project, "council/content/guides/zero.yml") == f"council/content/guides/zero.yml:1:1: {outside}"
    assert refused(project, "council/overlay.yml") == f"council/overlay.yml:1:1: {outside}"


def test_the_settings_and_the_feeds_registry_follow_the_same_rule(project: Path, tmp_path: Path) -> None:
    """council.yml and feeds.yml are read through the same guard as content files."""
    outside = (
        "(file): is a symbolic link to a place outside the project; "
        "content files must be ordinary files inside the project (replace the link with the file itself)"
    )
    (project / "content/learning-log").mkdir(parents=True, exist_ok=True)
    (project / "content/learning-log/feeds.yml").symlink_to("/dev/zero")
    assert refused(project, "content/learning-log/feeds.yml") == f"content/learning-log/feeds.yml:1:1: {outside}"
    (project / "council.yml").symlink_to("/dev/zero")
    assert refused(project, "council.yml") == f"council.yml:1:1: {outside}"
