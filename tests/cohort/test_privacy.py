"""No programme record reaches the published site or a commit, in the default layout and a custom one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import mkdocs_build
from .conftest import FIXTURES, Run, open_store

pytestmark = pytest.mark.build


def everything_personal(hub: Path) -> set[str]:
    with open_store(hub) as store:
        people = store.people()
    assert len(people) == 16
    return {p.name for p in people} | {p.email for p in people} | {p.email.split("@")[0] for p in people}


def git(hub: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=hub, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_no_name_or_email_reaches_the_built_site_or_git(fixture_cohort: Run, hub: Path, tmp_path: Path) -> None:
    run = fixture_cohort
    assert run("meetings", "import", str(FIXTURES / "meetings-log.csv"), today="2027-02-20").code == 0
    assert (
        run("survey", "import", str(FIXTURES / "confidence-before-microsoft-forms.csv"), "--when", "before").code == 0
    )
    assert run("report", today="2027-02-20").code == 0
    assert run("export", "ann.example@council.example").code == 0
    assert run("skills", "--out", str(hub / "private" / "skills.csv")).code == 0
    shutil.copy2(Path(__file__).resolve().parents[2] / ".gitignore", hub / ".gitignore")
    secrets = everything_personal(hub)

    site = tmp_path / "site"
    result = mkdocs_build(hub, site)
    assert result.returncode == 0, result.stderr
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 50
    leaks = {}
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace").casefold()
        found = sorted(s for s in secrets if s.casefold() in text)
        if found:
            leaks[path.relative_to(site).as_posix()] = found
    assert leaks == {}, "programme records reached the published site"
    assert not any(p.suffix in (".sqlite3", ".csv") or p.name == "report.html" for p in files)

    assert git(hub, "init", "-q").returncode == 0
    database = hub / "private" / "programme.sqlite3"
    ignored = git(hub, "check-ignore", "-v", str(database))
    assert ignored.returncode == 0, "the database must be git-ignored"
    git(hub, "add", "-A")
    staged = git(hub, "diff", "--cached", "--name-only").stdout.splitlines()
    assert staged and not [name for name in staged if name.startswith("private/")]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_councils_own_private_folder_ignores_itself(cohort_cli: Run, hub: Path) -> None:
    (hub / "council.yml").write_text("programme:\n  private_dir: programme-records\n", encoding="utf-8")
    assert cohort_cli("create", "Spring 2027").code == 0
    assert cohort_cli("import", "councillors", str(FIXTURES / "councillors-microsoft-forms.csv")).code == 0
    database = hub / "programme-records" / "programme.sqlite3"
    assert database.is_file() and not (hub / "private").exists()
    assert git(hub, "init", "-q").returncode == 0
    assert git(hub, "check-ignore", str(database)).returncode == 0, "not in .gitignore, but the folder ignores itself"


def test_the_settings_refuse_a_private_folder_the_site_is_built_from(cohort_cli: Run, hub: Path) -> None:
    for folder in ("docs/private", "content/records", "council/records", "../outside"):
        (hub / "council.yml").write_text(f"programme:\n  private_dir: {folder}\n", encoding="utf-8")
        result = cohort_cli("cohorts")
        assert result.code == 1
        assert "programme.private_dir: " in result.err and "must stay out of the published site" in result.err
    assert not (hub / "docs" / "private").exists()
