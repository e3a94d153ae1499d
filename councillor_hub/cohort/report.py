"""The private evaluation report: one self-contained HTML file, and CSV files of the same figures.

What a lead hands to a chief executive: a short summary, then confidence before and after (a
chart and a table per part of the questionnaire), response rates, mentor meetings and
readiness. It holds no names. Any figure about a group of fewer than five people is left out
(``MIN_GROUP``) and the report says so, so nobody can be picked out.

Only the records of councillors who agreed to their records being used for evaluation
(consent "yes") are counted; the report says how many were left out.

This module computes the figures; ``overrides/hub/cohort-report.html.j2`` says them in words
(translatable), and ``charts`` draws them.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Language
from ..models import Questionnaire, Sprint
from ..rendering import Renderer
from ..toolkit import Toolkit
from .charts import Chart, before_after_chart
from .meetings import DEFAULT_DAYS, pair_statuses
from .spreadsheets import write_csv
from .store import Cohort, Meeting, Pairing, Person, ReadinessReturn, Store, SurveyAnswer

MIN_GROUP = 5
TEMPLATE = "cohort-report.html.j2"


@dataclass(frozen=True)
class QuestionResult:
    id: str
    short: str
    text: str
    answered: int  # people who answered it at all (before, after or both)
    paired: int  # people who answered it before and after
    before: float | None  # averages; None when the group is too small to show
    after: float | None
    better: int | None
    same: int | None
    worse: int | None

    @property
    def shown(self) -> bool:
        return self.before is not None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class SectionResult:
    id: str
    heading: str
    questions: list[QuestionResult]
    chart: Chart | None

    @property
    def asked(self) -> bool:
        """Whether anyone has answered this part yet (a later workshop's part may not have been asked)."""
        return any(q.answered for q in self.questions)


@dataclass(frozen=True)
class ResponseRate:
    timing: str  # "before", "after" or "both"
    answered: int | None
    invited: int

    @property
    def shown(self) -> bool:
        return self.answered is not None

    @property
    def percent(self) -> int | None:
        return None if self.answered is None or not self.invited else round(100 * self.answered / self.invited)


@dataclass(frozen=True)
class QuestionnaireResult:
    questionnaire: Questionnaire
    sections: list[SectionResult]
    rates: list[ResponseRate]
    # Across every question shown: average before and after, and how many of them rose.
    overall_before: float | None
    overall_after: float | None
    questions_shown: int
    questions_rose: int


@dataclass(frozen=True)
class MeetingPeriod:
    after_sprint: str  # the workshop that starts the period
    next_sprint: str | None
    start: dt.date
    end: dt.date  # the next workshop's day, or the report's day
    pairs: int
    met: int | None  # pairs with at least one meeting in the period; None when too few pairs
    meetings: int | None
    median_minutes: float | None


@dataclass(frozen=True)
class StatusFigures:
    pairs: int
    flagged: int | None
    days: int


@dataclass(frozen=True)
class ItemCount:
    id: str
    text: str
    done: int


@dataclass(frozen=True)
class ReadinessResult:
    sprint: Sprint
    next_sprint: Sprint | None
    returns: int
    ready: int | None
    items: list[ItemCount]


@dataclass
class CohortReport:
    cohort: Cohort
    day: dt.date
    councillors: int
    mentors: int
    counted: int  # councillors whose records are used (consent yes)
    questionnaires: list[QuestionnaireResult] = field(default_factory=list)
    meetings: list[MeetingPeriod] = field(default_factory=list)
    status: StatusFigures | None = None
    readiness: list[ReadinessResult] = field(default_factory=list)
    suppressed: bool = False  # some group was too small to show
    min_group: int = MIN_GROUP

    @property
    def left_out(self) -> int:
        return self.councillors - self.counted


def _mean(values: Sequence[int]) -> float:
    return round(statistics.fmean(values), 1)


def question_results(
    questionnaire: Questionnaire, answers: Sequence[SurveyAnswer], counted: set[int]
) -> list[QuestionResult]:
    """Paired before/after figures for every question (people who answered both, and only them)."""
    by: dict[tuple[str, str], dict[int, int]] = {}
    for a in answers:
        if a.questionnaire == questionnaire.id and a.person_id in counted:
            by.setdefault((a.question, a.timing), {})[a.person_id] = a.value
    results = []
    for q in questionnaire.questions():
        before, after = by.get((q.id, "before"), {}), by.get((q.id, "after"), {})
        people = sorted(set(before) & set(after))
        answered = len(set(before) | set(after))
        if len(people) < MIN_GROUP:
            results.append(QuestionResult(q.id, q.short, q.text, answered, len(people), None, None, None, None, None))
            continue
        changes = [after[p] - before[p] for p in people]
        results.append(
            QuestionResult(
                q.id,
                q.short,
                q.text,
                answered,
                len(people),
                _mean([before[p] for p in people]),
                _mean([after[p] for p in people]),
                sum(c > 0 for c in changes),
                sum(c == 0 for c in changes),
                sum(c < 0 for c in changes),
            )
        )
    return results


def response_rates(
    questionnaire: Questionnaire, answers: Sequence[SurveyAnswer], counted: set[int]
) -> list[ResponseRate]:
    mine = [a for a in answers if a.questionnaire == questionnaire.id and a.person_id in counted]
    before = {a.person_id for a in mine if a.timing == "before"}
    after = {a.person_id for a in mine if a.timing == "after"}
    invited = len(counted)
    shown = invited >= MIN_GROUP
    return [
        ResponseRate(timing, len(people) if shown else None, invited)
        for timing, people in (("before", before), ("after", after), ("both", before & after))
    ]


def meeting_periods(
    cohort: Cohort,
    pairings: Sequence[Pairing],
    meetings: Sequence[Meeting],
    counted: set[int],
    day: dt.date,
) -> list[MeetingPeriod]:
    """Meetings between each pair of workshops that has begun (a meeting on a workshop's day is not counted)."""
    dates = sorted(cohort.sprints.items(), key=lambda item: item[1])
    periods = []
    for index, (sprint, start) in enumerate(dates):
        if start >= day:
            break
        following = dates[index + 1] if index + 1 < len(dates) else None
        end = min(following[1], day) if following else day
        pairs = [
            p for p in pairings if p.status == "accepted" and p.councillor_id in counted and (p.since or day) <= end
        ]
        ids = {p.councillor_id for p in pairs}
        upper = following[1] if following else None
        inside = [
            m
            for m in meetings
            if m.councillor_id in ids and start < m.date <= day and (upper is None or m.date < upper)
        ]
        if len(pairs) < MIN_GROUP:
            periods.append(MeetingPeriod(sprint, following[0] if following else None, start, end, len(pairs),
                                         None, None, None))  # fmt: skip
            continue
        minutes = [m.minutes for m in inside if m.minutes]
        periods.append(
            MeetingPeriod(
                sprint,
                following[0] if following else None,
                start,
                end,
                len(pairs),
                len({m.councillor_id for m in inside}),
                len(inside),
                statistics.median(minutes) if minutes else None,
            )
        )
    return periods


def readiness_results(
    kit: Toolkit, cohort: Cohort, returns: Sequence[ReadinessReturn], counted: set[int]
) -> list[ReadinessResult]:
    order = [e.item for e in kit.ordered_sprints()]
    results = []
    for index, sprint in enumerate(order):
        if not sprint.readiness or sprint.id not in cohort.sprints:
            continue
        theirs = [r for r in returns if r.sprint == sprint.id and r.person_id in counted]
        if not theirs:
            continue
        following = order[index + 1] if index + 1 < len(order) else None
        if len(theirs) < MIN_GROUP:
            results.append(ReadinessResult(sprint, following, len(theirs), None, []))
            continue
        ready = sum(all(i.id in r.done for i in sprint.readiness) for r in theirs)
        items = [ItemCount(i.id, i.text, sum(i.id in r.done for r in theirs)) for i in sprint.readiness]
        results.append(ReadinessResult(sprint, following, len(theirs), ready, items))
    return results


def build_report(
    store: Store, kit: Toolkit, cohort: Cohort, day: dt.date, lang: Language, *, days: int = DEFAULT_DAYS
) -> CohortReport:
    """Every figure of the report for ``cohort`` as of ``day``, with charts labelled in ``lang``."""
    people = store.people(cohort.id)
    councillors = [p for p in people if p.role == "councillor"]
    counted = {p.id for p in councillors if p.consent}
    report = CohortReport(cohort, day, len(councillors), sum(p.role == "mentor" for p in people), len(counted))
    answers = store.answers(cohort.id)
    for entry in kit.entries_of("questionnaire"):
        questionnaire: Questionnaire = entry.item
        if not any(a.questionnaire == questionnaire.id for a in answers):
            continue
        report.questionnaires.append(questionnaire_result(questionnaire, answers, counted, lang))
    pairings = store.pairings(cohort.id)
    meetings = store.meetings(cohort.id)
    report.meetings = meeting_periods(cohort, pairings, meetings, counted, day)
    counted_people: list[Person] = [p for p in people if p.role == "mentor" or p.id in counted]
    statuses = pair_statuses(cohort, counted_people, pairings, meetings, day, days=days)
    report.status = StatusFigures(
        len(statuses), sum(s.flagged for s in statuses) if len(statuses) >= MIN_GROUP else None, days
    )
    report.readiness = readiness_results(kit, cohort, store.readiness(cohort.id), counted)
    report.suppressed = (
        any(not q.shown for r in report.questionnaires for s in r.sections if s.asked for q in s.questions)
        or any(not rate.shown for r in report.questionnaires for rate in r.rates)
        or any(p.met is None for p in report.meetings)
        or (report.status.pairs > 0 and report.status.flagged is None)
        or any(r.ready is None for r in report.readiness)
    )
    return report


def questionnaire_result(
    questionnaire: Questionnaire, answers: Sequence[SurveyAnswer], counted: set[int], lang: Language
) -> QuestionnaireResult:
    _ = lang.gettext
    results = {r.id: r for r in question_results(questionnaire, answers, counted)}
    sections = []
    for section in questionnaire.sections:
        rows = [results[q.id] for q in section.questions]
        shown = [r for r in rows if r.shown]
        chart = None
        if shown:
            chart = before_after_chart(
                f"{questionnaire.id}-{section.id}",
                section.heading,
                lang.ngettext(
                    "Average answers before and after, for the {count} question with enough answers.",
                    "Average answers before and after, for the {count} questions with enough answers.",
                    len(shown),
                ).format(count=len(shown))
                + " "
                + "; ".join(
                    _("{question}: {before} before, {after} after").format(
                        question=r.short, before=f"{r.before:.1f}", after=f"{r.after:.1f}"
                    )
                    for r in shown
                ),
                [r.short for r in shown],
                [r.before or 0.0 for r in shown],
                [r.after or 0.0 for r in shown],
                points=questionnaire.scale.points,
                low=questionnaire.scale.low,
                high=questionnaire.scale.high,
                gettext=lang.gettext,
            )
        sections.append(SectionResult(section.id, section.heading, rows, chart))
    shown_all = [r for r in results.values() if r.shown]
    pairs_before = [r.before * r.paired for r in shown_all if r.before is not None]
    pairs_after = [r.after * r.paired for r in shown_all if r.after is not None]
    weight = sum(r.paired for r in shown_all)
    return QuestionnaireResult(
        questionnaire,
        sections,
        response_rates(questionnaire, answers, counted),
        round(sum(pairs_before) / weight, 1) if weight else None,
        round(sum(pairs_after) / weight, 1) if weight else None,
        len(shown_all),
        sum((r.change or 0) > 0 for r in shown_all),
    )


# --- writing it -----------------------------------------------------------------------------


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "cohort"


def render_report(report: CohortReport, kit: Toolkit, renderer: Renderer, lang: Language) -> str:
    sprints = {e.id: e.item for e in kit.entries_of("sprint")}
    return renderer.render(TEMPLATE, lang, report=report, sprints=sprints)


def write_report(report: CohortReport, html: str, folder: Path) -> list[Path]:
    """The report and its CSV files in ``folder``; returns the files written."""
    from ..files import write_text_atomic

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = []
    page = folder / "report.html"
    write_text_atomic(page, html)
    page.chmod(0o600)
    written.append(page)

    def number(value: float | None) -> object:
        return "" if value is None else value

    rows = []
    for result in report.questionnaires:
        for section in result.sections:
            for q in section.questions:
                change = None if q.change is None else round(q.change, 1)
                paired = q.paired if q.shown else f"fewer than {MIN_GROUP}"
                before_after = [number(q.before), number(q.after), number(change)]
                counts = [number(q.better), number(q.same), number(q.worse)]
                rows.append([result.questionnaire.id, section.id, q.id, q.text, paired, *before_after, *counts])
    header = ["questionnaire", "section", "question_id", "question", "people_answering_both", "average_before",
              "average_after", "change", "better", "same", "worse"]  # fmt: skip
    path = folder / "before-after.csv"
    write_csv(path, header, rows)
    written.append(path)

    path = folder / "response-rates.csv"
    write_csv(
        path,
        ["questionnaire", "timing", "councillors_counted", "answered", "percent"],
        [
            [r.questionnaire.id, rate.timing, rate.invited, number(rate.answered), number(rate.percent)]
            for r in report.questionnaires
            for rate in r.rates
        ],
    )
    written.append(path)

    path = folder / "meetings.csv"
    write_csv(
        path,
        ["after_workshop", "next_workshop", "from", "to", "pairs", "pairs_that_met", "meetings", "median_minutes"],
        [
            [p.after_sprint, p.next_sprint or "", p.start.isoformat(), p.end.isoformat(), p.pairs, number(p.met),
             number(p.meetings), number(p.median_minutes)]
            for p in report.meetings
        ],
    )  # fmt: skip
    written.append(path)

    readiness_rows: list[list[object]] = []
    for r in report.readiness:
        if r.ready is None:
            readiness_rows.append([r.sprint.id, "", f"fewer than {MIN_GROUP} returns", "", ""])
            continue
        readiness_rows.append([r.sprint.id, "(every item)", "ready for the next workshop", r.returns, r.ready])
        readiness_rows += [[r.sprint.id, i.id, i.text, r.returns, i.done] for i in r.items]
    path = folder / "readiness.csv"
    write_csv(path, ["sprint", "item_id", "item", "returns", "done"], readiness_rows)
    written.append(path)
    return written
