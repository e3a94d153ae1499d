"""The whole flow of docs/programme-leads-guide.md through the real `councillor-hub cohort` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import DATES, FIXTURES, Run, open_store


def test_the_leads_guide_from_sign_up_to_report(fixture_cohort: Run, hub: Path) -> None:
    run = fixture_cohort
    listed = run("pairs")
    assert listed.summary == "Spring 2027: 12 accepted pairs, 0 suggested pairs."
    assert "Mentors' loads: Mina Officer 3, Nia Officer 3, Omar Officer 3, Pat Officer 3" in listed.out

    result = run("meetings", "import", str(FIXTURES / "meetings-log.csv"), today="2027-02-20")
    assert result.code == 0, result.err
    assert result.summary == "Imported 16 meetings into 'Spring 2027': 16 new, 0 already recorded."
    again = run("meetings", "import", str(FIXTURES / "meetings-log.csv"), today="2027-02-20")
    assert again.summary.endswith("0 new, 16 already recorded.")

    status = run("status", today="2027-02-20")
    nudges = [line for line in status.out.splitlines() if line.startswith("NUDGE")]
    assert len(nudges) == 6
    assert any(
        line.split()[1:3] == ["Kit", "Trial"] and "not met since Sprint 1 (2027-02-02)" in line for line in nudges
    )
    assert status.summary == (
        "6 of 12 pairs need a nudge on 2027-02-20 (no meeting for over 21 days, or none since the last workshop); "
        "next workshop: Sprint 2 on 2027-03-02."
    )
    assert run("status", "--days", "60", today="2027-02-20").summary.startswith("6 of 12 pairs"), "rule 2 still holds"

    returns = sorted(str(p) for p in (FIXTURES / "readiness").glob("*.json"))
    result = run("readiness", "import", *returns, str(FIXTURES / "readiness" / "pasted-emails.txt"), today="2027-01-30")
    assert result.code == 0, result.err
    assert result.summary == "Imported 7 readiness returns into 'Spring 2027'."
    readiness = run("readiness", today="2027-01-30")
    assert re.search(
        r"Carys Test\s+4 of 9\s+2027-01-28\s+I have posted at least one photo with alt text;", readiness.out
    )
    assert re.search(r"Hari Stub\s+no return", readiness.out)
    assert readiness.summary == (
        "Readiness before Sprint 1 on 2027-02-02 (the check on the Skills masterclass: get started safely page): "
        "4 ready, 3 not ready, 5 with no return, of 12 councillors."
    )

    before = run("survey", "import", str(FIXTURES / "confidence-before-microsoft-forms.csv"), "--when", "before")
    assert before.summary == (
        "Imported 55 answers (before) from 11 councillors to 5 questions of the 'Confidence questionnaire' "
        "into 'Spring 2027'."
    )
    after = run("survey", "import", str(FIXTURES / "confidence-after-google-forms.csv"), "--when", "after")
    assert after.code == 0 and "note: row 4 replaces row 3: both are Bilal Sample's answers" in after.out

    report = run("report", today="2027-02-20")
    assert report.code == 0, report.err
    folder = hub / "private" / "reports" / "spring-2027-2027-02-20"
    assert (
        report.summary
        == f"Report for 'Spring 2027' as of 2027-02-20: open {(folder / 'report.html').as_uri()} in a browser."
    )
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "the average answer went from 1.7 before to 3.6 after, out of 5." in html
    assert sorted(p.name for p in folder.iterdir()) == [
        "before-after.csv", "meetings.csv", "readiness.csv", "report.html", "response-rates.csv",
    ]  # fmt: skip


def test_pairs_can_be_suggested_changed_and_removed_one_by_one(cohort_cli: Run) -> None:
    cohort_cli("create", "Spring 2027", "--dates", *DATES)
    cohort_cli("import", "councillors", str(FIXTURES / "councillors-microsoft-forms.csv"))
    cohort_cli("import", "mentors", str(FIXTURES / "mentors-google-forms.csv"))
    suggested = cohort_cli("pairs", "suggest")
    assert suggested.summary.startswith("Suggested 12 pairs (11 with help matched); 0 already accepted.")
    changed = cohort_cli("pairs", "set", "Kit Trial", "pat.officer@council.example")
    assert changed.summary == "Paired Kit Trial with Pat Officer."
    accepted = cohort_cli("pairs", "accept", today="2027-01-06")
    assert accepted.summary == "Accepted 11 pairs from 2027-01-06."
    assert re.search(r"Kit Trial\s+Pat Officer\s+accepted 2027-01-05", accepted.out)
    assert cohort_cli("pairs", "remove", "Kit Trial").summary == "Kit Trial is no longer paired."
    resuggested = cohort_cli("pairs", "suggest")
    assert resuggested.summary.startswith("Suggested 1 pair (0 with help matched); 11 already accepted.")
    assert (
        cohort_cli("pairs", "set", "Kit Trial", "Nobody")
        .err.strip()
        .endswith("no mentor called 'Nobody' in 'Spring 2027'")
    )


def test_one_meeting_at_a_time(fixture_cohort: Run, hub: Path) -> None:
    result = fixture_cohort("meeting", "Ann Example", "--minutes", "45", "--date", "20/01/2027", today="2027-01-25")
    assert result.summary == "Recorded: Ann Example met Mina Officer on 2027-01-20."
    assert fixture_cohort("meeting", "Ann Example", "--date", "2027-01-20", today="2027-01-25").summary.startswith(
        "Already recorded"
    )
    assert "is after today" in fixture_cohort("meeting", "Ann Example", "--date", "2027-02-20", today="2027-01-25").err
    listed = fixture_cohort("meetings", today="2027-01-25")
    assert re.search(r"2027-01-20\s+Ann Example\s+Mina Officer\s+45", listed.out)
    assert listed.summary == "Spring 2027: 1 meeting recorded."


def test_pasted_emails_can_be_read_from_the_terminal(fixture_cohort: Run) -> None:
    text = (FIXTURES / "readiness" / "pasted-emails.txt").read_text(encoding="utf-8")
    result = fixture_cohort("readiness", "import", "-", stdin=text, today="2027-01-30")
    assert result.summary == "Imported 3 readiness returns into 'Spring 2027'."
    result = fixture_cohort("readiness", "import", "-", stdin="Hi, I am ready!\n", today="2027-01-30")
    assert result.code == 1 and "(pasted text):1:1: (text): no readiness return in the pasted text" in result.err


def test_a_return_from_someone_not_in_the_cohort_stops_the_import(
    fixture_cohort: Run, hub: Path, tmp_path: Path
) -> None:
    data = json.loads((FIXTURES / "readiness" / "readiness-masterclass-ann-example.json").read_text())
    bad = tmp_path / "readiness-anne.json"
    bad.write_text(json.dumps(data | {"name": "Anne Exampel"}), encoding="utf-8")
    good = FIXTURES / "readiness" / "readiness-masterclass-bilal-sample.json"
    result = fixture_cohort("readiness", "import", str(good), str(bad), today="2027-01-30")
    assert result.code == 1
    assert f"{bad}:1:1: name: no councillor called 'Anne Exampel'; did you mean 'Ann Example'?" in result.err
    assert "nothing was imported" in result.err
    with open_store(hub) as store:
        assert store.readiness(store.cohorts()[0].id) == []


def test_two_cohorts_need_a_name(cohort_cli: Run) -> None:
    assert cohort_cli("create", "Autumn 2026", "--dates", "2026-09-15").code == 0
    assert cohort_cli("create", "Spring 2027", "--dates", *DATES).code == 0
    result = cohort_cli("list")
    assert result.code == 1
    assert "there is more than one cohort; say which with --cohort NAME ('Autumn 2026', 'Spring 2027')" in result.err
    assert cohort_cli("list", "--cohort", "spring 2027").summary == "Spring 2027: 0 councillors and 0 mentors."
    assert cohort_cli("pairs", "--cohort", "Spring 2027").code == 0
    assert cohort_cli("create", "Spring 2027").err.strip().endswith("there is already a cohort called 'Spring 2027'")
    dates = cohort_cli("dates", "--cohort", "Autumn 2026", "sprint-1=06/10/2026")
    assert dates.summary == "Autumn 2026: 2 workshop dates set, 1 changed."
    wrong = cohort_cli("dates", "--cohort", "Autumn 2026", "sprint-2=01/09/2026")
    assert wrong.code == 1 and "must be in the programme's order" in wrong.err
    assert "the dates must be in order" in cohort_cli("create", "X", "--dates", "2027-02-01", "2027-01-01").err
    cohorts = cohort_cli("cohorts")
    assert re.search(r"Autumn 2026\s+2026-09-15\s+2026-10-06\s+0\s+0\s+2028-10-06", cohorts.out)


def test_every_command_warns_when_a_cohort_is_past_its_retention_period(cohort_cli: Run, hub: Path) -> None:
    (hub / "council.yml").write_text("programme:\n  retention_months: 12\n", encoding="utf-8")
    cohort_cli("create", "Autumn 2026", "--dates", "2026-09-15", "2026-10-06", today="2026-09-01")
    cohort_cli("import", "councillors", str(FIXTURES / "councillors-microsoft-forms.csv"), "--cohort", "Autumn 2026",
               today="2026-09-02")  # fmt: skip
    assert "warning" not in cohort_cli("cohorts", today="2027-10-06").err
    late = cohort_cli("cohorts", today="2027-10-07")
    assert late.err.startswith(
        "warning: 1 cohort is past the retention period of 12 months after the last workshop: "
        "'Autumn 2026' (kept until 2027-10-06). Run `councillor-hub cohort purge` to erase it."
    )
    dry = cohort_cli("purge", "--dry-run", today="2027-10-07")
    assert dry.err == "" and dry.summary.endswith("nothing erased (dry run).")
    purged = cohort_cli("purge", today="2027-10-07")
    assert purged.summary == "Erased 1 cohort past the retention period of 12 months after the last workshop."
    assert "12 people" in purged.out
    assert cohort_cli("cohorts", today="2027-10-07").summary.startswith("0 cohorts")


def test_export_and_forget_a_person(fixture_cohort: Run, hub: Path) -> None:
    exported = fixture_cohort("export", "ann.example@council.example")
    path = hub / "private" / "exports" / "ann-example-council-example-2027-01-05.json"
    assert exported.summary == f"Wrote everything held about ann.example@council.example (1 cohort record) to {path}."
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["records"][0]["person"][0]["name"] == "Ann Example"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    forgotten = fixture_cohort("forget", "ann.example@council.example")
    assert forgotten.out.startswith("erased councillor Ann Example <ann.example@council.example> from 'Spring 2027': ")
    assert "1 people, 2 skills or help requests, 1 pairings, 1 consent records" in forgotten.out
    assert forgotten.summary == "Erased 1 record of Ann Example from the programme store, in every cohort."
    assert "nobody in the programme store matches" in fixture_cohort("export", "ann.example@council.example").err


def test_private_output_is_refused_inside_the_published_folders(fixture_cohort: Run, hub: Path) -> None:
    for folder in ("docs/reports", "content/report", "site"):
        result = fixture_cohort("report", "--out", str(hub / folder))
        assert result.code == 1 and "is inside a folder the site is built from" in result.err
    assert not (hub / "docs" / "reports").exists()
    result = fixture_cohort("export", "Ann Example", "--out", str(hub / "docs" / "ann.json"))
    assert result.code == 1 and not (hub / "docs" / "ann.json").exists()


def test_a_report_in_welsh_uses_the_hubs_catalogue(fixture_cohort: Run, hub: Path) -> None:
    (hub / "overrides" / "locale" / "cy.po").unlink(missing_ok=True)  # a hub with no Welsh words yet
    assert "no translation into 'cy'" in fixture_cohort("report", "--lang", "cy").err
    locale = hub / "overrides" / "locale"
    locale.mkdir(parents=True, exist_ok=True)
    (locale / "cy.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);\\n"\n\n'
        'msgid "Summary"\nmsgstr "Crynodeb"\n\n'
        'msgid "Programme report: %(name)s"\nmsgstr "Adroddiad y rhaglen: %(name)s"\n',
        encoding="utf-8",
    )
    for when, name in (
        ("before", "confidence-before-microsoft-forms.csv"),
        ("after", "confidence-after-google-forms.csv"),
    ):
        assert fixture_cohort("survey", "import", str(FIXTURES / name), "--when", when).code == 0
    result = fixture_cohort("report", "--lang", "cy", "--out", str(hub / "private" / "cy"), today="2027-02-20")
    assert result.code == 0, result.err
    html = (hub / "private" / "cy" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="cy">' in html and ">Crynodeb</h2>" in html
    assert "Holiadur hyder" in html and "Confidence questionnaire" not in html, "the content is in Welsh too"
    assert "<h1>Adroddiad y rhaglen: Spring 2027</h1>" in html
    assert "20 Chwefror 2027" in html, "dates in Welsh, from Babel"


def test_survey_template_and_unknown_questionnaire(fixture_cohort: Run, tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    result = fixture_cohort("survey", "template", str(path))
    assert result.summary == f"Wrote {path}: a header row for typing in paper answers (13 questions)."
    assert path.read_text(encoding="utf-8-sig").startswith("Email,Name,I can set up a social media account")
    wrong = fixture_cohort("survey", "import", str(path), "--when", "before", "--questionnaire", "nope")
    assert "there is no questionnaire 'nope' (questionnaires: confidence)" in wrong.err


def test_a_damaged_database_is_reported_not_overwritten(cohort_cli: Run, hub: Path) -> None:
    database = hub / "private" / "programme.sqlite3"
    database.parent.mkdir()
    database.write_bytes(b"this is not a database, it is a spreadsheet someone renamed\n" * 100)
    result = cohort_cli("cohorts")
    assert result.code == 1
    assert result.err.startswith("councillor-hub cohort: cannot open the programme database: file is not a database")
    assert database.read_bytes().startswith(b"this is not a database")


def test_a_form_set_up_in_welsh_imports_like_the_english_one(fixture_cohort: Run, hub: Path, tmp_path: Path) -> None:
    """Issue 10 and 11: a council that runs its online form in Welsh gets the same answers in."""
    from councillor_hub.yaml_source import read_yaml

    fields = read_yaml(hub / "content/toolkits/translations/cy/questionnaire/confidence.yml").data["fields"]
    text = (FIXTURES / "confidence-before-microsoft-forms.csv").read_text(encoding="utf-8-sig")
    for key, field in fields.items():
        if key.endswith(".text") and "].questions[" in key:
            text = text.replace(field["source"], field["text"])
    text = text.replace("1 - Not at all confident", fields["scale.low"]["text"])
    welsh = tmp_path / "hyder-cyn.csv"
    welsh.write_text("\ufeff" + text, encoding="utf-8")
    assert "I can write and post a short update about my ward." not in text, "the headings really are Welsh"
    result = fixture_cohort("survey", "import", str(welsh), "--when", "before")
    assert result.code == 0, result.err
    assert result.summary == (
        "Imported 55 answers (before) from 11 councillors to 5 questions of the 'Confidence questionnaire' "
        "into 'Spring 2027'."
    )
