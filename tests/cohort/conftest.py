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


def load_fixture_cohort(store: Store, kit: Toolkit, *, today: str = "2027-02-20") -> int:
    """The fixture cohort put straight into ``store`` through the import functions (no CLI); returns its id.

    12 councillors (10 consenting), 4 mentors, every councillor paired, the meeting log, seven
    masterclass readiness returns, and confidence answers before (11 people) and after (10).
    """
    from councillor_hub.cohort.meetings import read_meeting_log
    from councillor_hub.cohort.pairing import suggest_pairs
    from councillor_hub.cohort.people import read_people
    from councillor_hub.cohort.readiness import check_returns, read_return_file
    from councillor_hub.cohort.spreadsheets import read_table
    from councillor_hub.cohort.surveys import read_answers
    from councillor_hub.cohort.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(kit)
    on = day(today)
    with store.transaction():
        sprints = dict(zip(("masterclass", "sprint-1", "sprint-2", "sprint-3"), map(day, DATES), strict=True))
        cohort = store.create_cohort("Spring 2027", sprints, day("2027-01-05"))
        for role, name in (("councillor", "councillors-microsoft-forms.csv"), ("mentor", "mentors-google-forms.csv")):
            people, _ = read_people(read_table(FIXTURES / name), role, vocabulary, store.people(cohort.id))  # type: ignore[arg-type]
            store.add_or_update_people(cohort.id, role, people, day("2027-01-05"))  # type: ignore[arg-type]
        people = store.people(cohort.id)
        suggestions = suggest_pairs(
            [p for p in people if p.role == "councillor"], [p for p in people if p.role == "mentor"]
        )
        for s in suggestions:
            store.set_pair(s.councillor.id, s.mentor.id, day("2027-01-12"))
        pairs = {s.councillor.id: s.mentor.id for s in suggestions}
        store.add_meetings(read_meeting_log(read_table(FIXTURES / "meetings-log.csv"), people, pairs, on))
        sent = []
        for path in sorted((FIXTURES / "readiness").iterdir()):
            sent += read_return_file(path)[0]
        checked, problems = check_returns(sent, kit, [p for p in people if p.role == "councillor"], on)
        assert problems == []
        store.save_readiness([c.item for c in checked], on)
        questionnaire = kit.get("questionnaire", "confidence")
        assert questionnaire is not None
        councillors = [p for p in people if p.role == "councillor"]
        for timing in ("before", "after"):
            name = f"confidence-{timing}-{'microsoft' if timing == 'before' else 'google'}-forms.csv"
            result = read_answers(read_table(FIXTURES / name), questionnaire.item, timing, councillors)  # type: ignore[arg-type]
            store.save_answers(result.answers, on)
    return cohort.id
