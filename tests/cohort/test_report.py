"""The private report built from fixture data: paired figures, groups under five left out, reproducible charts."""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest

from councillor_hub.cohort.charts import before_after_chart
from councillor_hub.cohort.report import MIN_GROUP, build_report, render_report, write_report
from councillor_hub.cohort.store import Store
from councillor_hub.i18n import ENGLISH
from councillor_hub.rendering import Renderer
from councillor_hub.toolkit import Toolkit

from ..conftest import REPO
from .conftest import FIXTURES, day, load_fixture_cohort

RENDERER = Renderer([REPO / "overrides" / "hub"], root=REPO)
QUESTIONS = ["setting-up", "privacy", "posting", "photos-alt-text", "handling-rudeness"]
# In the fixture, Jo said no to evaluation and Kit was never asked: their answers are not counted.
NOT_COUNTED = {"jo.specimen@council.example", "kit.trial@council.example"}


def answers(name: str) -> dict[str, list[int]]:
    """email -> the five masterclass answers, read straight from a fixture export (the last row wins)."""
    rows = list(csv.reader(io.StringIO((FIXTURES / name).read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1:]
    email = next(i for i, h in enumerate(header) if h.lower() in ("email", "email address"))
    first = next(i for i, h in enumerate(header) if "set up a social media account" in h)
    found = {}
    for row in body:
        found[row[email]] = [int(v.split(" ")[0]) for v in row[first : first + 5]]
    return found


def expected_pairs() -> dict[str, tuple[list[int], list[int]]]:
    before = answers("confidence-before-microsoft-forms.csv")
    after = answers("confidence-after-google-forms.csv")
    return {e: (before[e], after[e]) for e in before.keys() & after.keys() if e not in NOT_COUNTED}


@pytest.fixture
def built(store: Store, upstream_kit: Toolkit) -> tuple[Store, int]:
    return store, load_fixture_cohort(store, upstream_kit)


def test_before_and_after_figures_pair_the_same_people(built: tuple[Store, int], upstream_kit: Toolkit) -> None:
    store, cohort_id = built
    report = build_report(store, upstream_kit, store.cohort_by_id(cohort_id), day("2027-02-20"), ENGLISH)
    assert (report.councillors, report.mentors, report.counted, report.left_out) == (12, 4, 10, 2)
    (result,) = report.questionnaires
    masterclass = result.sections[0]
    pairs = expected_pairs()
    assert len(pairs) == 9
    for index, question in enumerate(masterclass.questions):
        assert question.id == QUESTIONS[index]
        before = [b[index] for b, _ in pairs.values()]
        after = [a[index] for _, a in pairs.values()]
        assert question.paired == 9
        assert question.before == round(statistics.fmean(before), 1)
        assert question.after == round(statistics.fmean(after), 1)
        assert (question.better, question.same, question.worse) == (
            sum(a > b for b, a in zip(before, after, strict=True)),
            sum(a == b for b, a in zip(before, after, strict=True)),
            sum(a < b for b, a in zip(before, after, strict=True)),
        )
    assert masterclass.chart is not None
    assert [s.asked for s in result.sections] == [True, False, False, False]
    rates = {r.timing: (r.answered, r.invited, r.percent) for r in result.rates}
    assert rates == {"before": (10, 10, 100), "after": (9, 10, 90), "both": (9, 10, 90)}
    assert result.questions_shown == 5 and result.questions_rose == 5


def test_meeting_and_readiness_figures(built: tuple[Store, int], upstream_kit: Toolkit) -> None:
    store, cohort_id = built
    report = build_report(store, upstream_kit, store.cohort_by_id(cohort_id), day("2027-02-20"), ENGLISH)
    first, second = report.meetings
    # Counted pairs: the 10 councillors who agreed (not Jo or Kit). Between the masterclass and
    # sprint 1 all ten met once; after sprint 1 (up to 20 February), six of them.
    assert (first.after_sprint, first.next_sprint, first.pairs, first.met, first.meetings) == (
        "masterclass", "sprint-1", 10, 10, 10,
    )  # fmt: skip
    assert (second.after_sprint, second.next_sprint, second.pairs, second.met) == ("sprint-1", "sprint-2", 10, 6)
    assert report.status is not None and (report.status.pairs, report.status.flagged) == (10, 4)
    (readiness,) = report.readiness
    assert (readiness.sprint.id, readiness.returns, readiness.ready) == ("masterclass", 7, 4)
    assert {i.id: i.done for i in readiness.items}["ready-mentor"] == 5


def test_the_report_and_its_csv_files(built: tuple[Store, int], upstream_kit: Toolkit, tmp_path: Path) -> None:
    store, cohort_id = built
    report = build_report(store, upstream_kit, store.cohort_by_id(cohort_id), day("2027-02-20"), ENGLISH)
    html = render_report(report, upstream_kit, RENDERER, ENGLISH)
    written = write_report(report, html, tmp_path / "report")
    assert [p.name for p in written] == [
        "report.html",
        "before-after.csv",
        "response-rates.csv",
        "meetings.csv",
        "readiness.csv",
    ]
    assert "<h1>Programme report: Spring 2027</h1>" in html
    assert "Figures as of 20 February 2027." in html
    assert "12 councillors took part in the programme. 4 officer mentors supported them." in html
    assert "Confidence questionnaire: the average answer went from" in html
    assert "Not asked yet: Your digital footprint and your network (sprint 1);" in html
    assert "On 20 February 2027, 4 of the 10 mentor pairs needed a nudge" in html
    # Self-contained and private: no scripts, nothing fetched, no names or emails of anyone.
    assert "<script" not in html and not re.search(r'(?:src|href)="(?!#)', html)
    people = [p for p in store.people(cohort_id)]
    for person in people:
        assert person.name not in html and person.email not in html
    rows = list(csv.reader(io.StringIO((tmp_path / "report" / "before-after.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:6] == [
        "questionnaire",
        "section",
        "question_id",
        "question",
        "people_answering_both",
        "average_before",
    ]
    setting_up = "I can set up a social media account for my councillor role safely."
    assert rows[1][:5] == ["confidence", "masterclass", "setting-up", setting_up, "9"]
    assert rows[6][4] == f"fewer than {MIN_GROUP}" and rows[6][5:] == ["", "", "", "", "", ""]


def test_charts_are_accessible_svg_with_a_table_beside_them(built: tuple[Store, int], upstream_kit: Toolkit) -> None:
    store, cohort_id = built
    report = build_report(store, upstream_kit, store.cohort_by_id(cohort_id), day("2027-02-20"), ENGLISH)
    html = render_report(report, upstream_kit, RENDERER, ENGLISH)
    (svg,) = re.findall(r"<svg [^>]*>", html)
    assert 'role="img"' in svg and 'aria-labelledby="confidence-masterclass-title"' in svg
    assert 'aria-describedby="confidence-masterclass-desc"' in svg
    assert '<title id="confidence-masterclass-title">Using social media safely (masterclass)</title>' in html
    assert re.search(
        r'<desc id="confidence-masterclass-desc">Average answers before and after, for the 5 questions', html
    )
    assert "<text" in html, "chart words stay text (svg.fonttype none), so they can be read and translated"
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == [], "every id on the page is unique"
    assert "<metadata>" not in html and "Date" not in svg


def test_the_same_data_gives_the_same_report_byte_for_byte(built: tuple[Store, int], upstream_kit: Toolkit) -> None:
    store, cohort_id = built
    cohort = store.cohort_by_id(cohort_id)
    first = render_report(
        build_report(store, upstream_kit, cohort, day("2027-02-20"), ENGLISH), upstream_kit, RENDERER, ENGLISH
    )
    second = render_report(
        build_report(store, upstream_kit, cohort, day("2027-02-20"), ENGLISH), upstream_kit, RENDERER, ENGLISH
    )
    assert first == second


def test_each_chart_has_its_own_ids() -> None:
    one = before_after_chart("a", "A", "d", ["x"], [1.0], [2.0], points=5, low="l", high="h", gettext=str)
    two = before_after_chart("b", "B", "d", ["x"], [1.0], [2.0], points=5, low="l", high="h", gettext=str)
    assert set(re.findall(r'id="([^"]+)"', one.body)).isdisjoint(re.findall(r'id="([^"]+)"', two.body))
    assert one.view_box.startswith("0 0 ") and one.width.endswith("pt")


def test_groups_smaller_than_five_are_left_out_and_the_report_says_so(store: Store, upstream_kit: Toolkit) -> None:
    cohort_id = load_fixture_cohort(store, upstream_kit)
    keep = {"ann.example@council.example", "bilal.sample@council.example", "carys.test@council.example",
            "dev.placeholder@council.example"}  # fmt: skip
    with store.transaction():
        for person in store.people(cohort_id, "councillor"):
            if person.email not in keep:
                store.set_consent(person.id, False, day("2027-02-01"), "withdrew")
    report = build_report(store, upstream_kit, store.cohort_by_id(cohort_id), day("2027-02-20"), ENGLISH)
    assert report.counted == 4 and report.suppressed
    assert all(q.before is None and q.after is None for s in report.questionnaires[0].sections for q in s.questions)
    assert all(r.answered is None for r in report.questionnaires[0].rates)
    assert all(p.met is None for p in report.meetings)
    assert report.status is not None and report.status.flagged is None
    assert report.readiness[0].ready is None and report.readiness[0].items == []
    html = render_report(report, upstream_kit, RENDERER, ENGLISH)
    assert "<svg" not in html
    assert "fewer than 5 councillors answered any question both before and after" in html
    assert "Some figures are left out because they are about fewer than 5 people." in html
    assert "There are fewer than 5 mentor pairs" in html
    assert not re.search(r'<td class="number">\d\.\d</td>', html), "no average is shown for a small group"
