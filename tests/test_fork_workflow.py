"""A council's fork, end to end: the README followed step by step, upstream changes merged
without conflict, and the project's own test suite passing on the fork.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, make_project, mkdocs_build
from .fork import write_overlay

# The inner test run (on a fork) must not start these again.
INNER = "COUNCILLOR_HUB_INNER_RUN"
pytestmark = pytest.mark.skipif(os.environ.get(INNER) == "1", reason="already inside a fork's test run")
SECTION = "## Run the hub for your council"
# Steps of the README that set up a machine or talk to a remote; the test's project is already
# a copy of the repository with the test environment's packages installed.
NOT_HERE = ("git clone", "cd ", "scripts/setup-env", "git remote", "git pull", "scripts/test", "scripts/serve")


def readme_steps() -> list[tuple[str, str]]:
    """The README section's code blocks, in order: ("bash", command) or ("yaml", text)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    steps = []
    for lang, body in re.findall(r"```(bash|yaml)\n(.*?)```", text[start:end], flags=re.S):
        if lang == "bash":
            for command in body.replace("\\\n", " ").splitlines():
                if command.strip() and not command.strip().startswith(NOT_HERE):
                    steps.append(("bash", " ".join(command.split())))
        else:
            steps.append(("yaml", body))
    return steps


def run_cli(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    assert command.startswith(".venv/bin/councillor-hub "), command
    import shlex

    args = shlex.split(command.removeprefix(".venv/bin/councillor-hub "))
    return subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", *args],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_readme_steps_make_a_council_hub(tmp_path: Path) -> None:
    project = make_project(tmp_path / "hub")
    (project / "council-logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    steps = readme_steps()
    assert [kind for kind, _ in steps].count("yaml") >= 3 and any("new-council" in s for _, s in steps)
    for kind, step in steps:
        if kind == "yaml":
            first, _, body = step.partition("\n")
            target = project / first.removeprefix("# ").strip()
            assert first.startswith("# council/"), "every example names the overlay file it belongs in"
            target.parent.mkdir(parents=True, exist_ok=True)
            header = target.read_text(encoding="utf-8").splitlines()[0] + "\n" if target.exists() else ""
            target.write_text(header + body, encoding="utf-8")
        else:
            result = run_cli(project, step)
            assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
    site = tmp_path / "site"
    result = mkdocs_build(project, site, env={"COUNCILLOR_HUB_TODAY": "2027-04-01"})
    assert result.returncode == 0, result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Cardiff Councillor Hub</title>" in home
    assert 'src="assets/council/council-logo.svg"' in home and "--md-primary-fg-color:#0b4a6f" in home
    assert "Cardiff Council elections, 6 May 2027" in home
    tools = (site / "tools/index.html").read_text(encoding="utf-8")
    assert "Cardiff Council has Canva for Teams" in tools and 'id="tool-cardiff-digital-champions"' in tools
    assert 'id="tool-hootsuite"' not in tools
    assert "Hidden" not in (site / "platforms/index.html").read_text(encoding="utf-8")
    assert 'href="x/"' not in (site / "platforms/index.html").read_text(encoding="utf-8")
    assert "Adamsdown" in (site / "platforms/facebook/index.html").read_text(encoding="utf-8")
    where = run_cli(project, ".venv/bin/councillor-hub where registry")
    assert where.stdout.strip() == "council/learning-log/feeds.yml"
    touched = {p.relative_to(project).parts[0] for p in project.rglob("*") if p.is_file() and _is_new(project, p)}
    assert touched <= {"council.yml", "council", "council-logo.svg"}, f"only the settings and overlay: {touched}"


def _is_new(project: Path, path: Path) -> bool:
    relative = path.relative_to(project)
    original = REPO / relative
    return not original.exists() or original.read_bytes() != path.read_bytes()


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_upstream_changes_merge_into_a_fork_without_conflict(tmp_path: Path) -> None:
    upstream = make_project(tmp_path / "upstream")
    assert git(upstream, "init", "-q", "-b", "main").returncode == 0
    git(upstream, "add", "-A")
    assert git(upstream, "commit", "-q", "-m", "upstream").returncode == 0
    fork = tmp_path / "fork"
    assert git(tmp_path, "clone", "-q", str(upstream), str(fork)).returncode == 0
    write_overlay(fork)
    git(fork, "add", "-A")
    assert git(fork, "commit", "-q", "-m", "Cardiff's settings and overlay").returncode == 0
    # Upstream improves a platform, the tools and a template, after the fork was made.
    edit(upstream / "content/toolkits/platforms/facebook.yml", "summary: >-\n  ", "summary: >-\n  Updated upstream. ")
    tools = upstream / "content/toolkits/tools.yml"
    edit(
        tools,
        "    cost_note: Free with any Google account.",
        "    cost_note: Free with any Google account (checked again).",
    )
    edit(
        upstream / "overrides/hub/platform.md.j2",
        '## {{ _("Good practice") }}',
        '## {{ _("Good practice") }}\n\n<!-- upstream template change -->',
    )
    git(upstream, "add", "-A")
    assert git(upstream, "commit", "-q", "-m", "upstream improvements").returncode == 0
    merged = git(fork, "pull", "-q", "--no-rebase", "origin", "main")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "CONFLICT" not in merged.stdout + merged.stderr
    assert git(fork, "status", "--porcelain").stdout == ""
    site = tmp_path / "site"
    result = mkdocs_build(fork, site)
    assert result.returncode == 0, result.stderr
    facebook = (site / "platforms/facebook/index.html").read_text(encoding="utf-8")
    assert "Updated upstream." in facebook and "<!-- upstream template change -->" in facebook
    assert "Most Cardiff households, across every age group." in facebook, "the fork's override still applies"
    assert "(checked again)" in (site / "tools/index.html").read_text(encoding="utf-8")


def test_the_project_test_suite_passes_on_a_fork(tmp_path: Path) -> None:
    """The whole suite, run inside a copy of the repository with every overlay feature in use."""
    fork = tmp_path / "fork"
    # The whole repository as a fork has it (what git tracks), without upstream's own overlay if any.
    shutil.copytree(
        REPO,
        fork,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "site", ".cache", "__pycache__", ".pytest_cache", ".mypy_cache",
            ".ruff_cache", "*.egg-info", "private", "council", "council.yml",
        ),
    )  # fmt: skip
    if (REPO / "node_modules").is_dir():
        (fork / "node_modules").symlink_to(REPO / "node_modules")
    write_overlay(fork)
    env = {**os.environ, INNER: "1", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"],
        cwd=fork,
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in summary and "failed" not in summary
