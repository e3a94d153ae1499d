"""Cohort tests: real SQLite files in tmp_path, real CSV exports under fixtures/, the real CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from councillor_hub.cli import main
from councillor_hub.cohort.store import Store
from councillor_hub.project import TODAY_VARIABLE, Project
from councillor_hub.toolkit import Toolkit

from ..conftest import make_project

FIXTURES = Path(__file__).parent / "fixtures"
# The fixture cohort's workshops: masterclass, sprint 1, sprint 2, sprint 3.
DATES = ("2027-01-12", "2027-02-02", "2027-03-02", "2027-04-13")


@pytest.fixture
def kit(upstream_kit: Toolkit) -> Toolkit:
    return upstream_kit


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "programme.sqlite3")
    yield opened
    opened.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def summary(self) -> str:
        """The one-line summary every command ends with."""
        return self.out.rstrip("\n").splitlines()[-1] if self.out.strip() else ""


Run = Callable[..., Result]


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    """A copy of the hub in its default layout (private records in private/)."""
    return make_project(tmp_path / "hub")


@pytest.fixture
def cohort_cli(hub: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``councillor-hub cohort ...`` in ``hub`` as of a given day."""

    def run(*args: str, today: str = "2027-01-05", stdin: str | None = None) -> Result:
        monkeypatch.setenv(TODAY_VARIABLE, today)
        if stdin is not None:
            import io

            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(["--project", str(hub), "cohort", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def fixture_cohort(cohort_cli: Run) -> Run:
    """The fixture cohort: 12 councillors (Microsoft Forms export), 4 mentors (Google Forms), paired."""
    assert cohort_cli("create", "Spring 2027", "--dates", *DATES).code == 0
    assert cohort_cli("import", "councillors", str(FIXTURES / "councillors-microsoft-forms.csv")).code == 0
    assert cohort_cli("import", "mentors", str(FIXTURES / "mentors-google-forms.csv")).code == 0
    assert cohort_cli("pairs", "suggest").code == 0
    assert cohort_cli("pairs", "accept").code == 0
    return cohort_cli


def open_store(hub: Path) -> Store:
    return Store.for_project(Project.load(hub))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
