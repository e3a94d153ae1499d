"""``councillor-hub cohort …``: running a cohort from the terminal, for a lead who knows spreadsheets.

Every command prints what it did as a table where that helps, and ends with a one-line
summary. Problems in a file are listed as ``file.csv:row:column: field: message`` and nothing
from that file is imported. Every command (except ``purge`` itself) warns when a cohort has
passed its retention period. See docs/programme-leads-guide.md for the whole flow.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ContentError, Problem
from ..project import Project, today
from ..toolkit import Toolkit
from . import protection
from .meetings import DEFAULT_DAYS, pair_statuses, parse_minutes, read_meeting_log, resolve
from .migrations import SchemaTooNew
from .pairing import mentor_loads, shared_help, suggest_pairs
from .people import check_email, check_name, find_people, not_found_message, parse_consent, read_people
from .readiness import Sent, check_for, check_returns, find_returns, read_return_file, readiness_of
from .spreadsheets import ImportProblems, clean_text, parse_date, read_table, write_csv
from .store import ROLES, Cohort, NewMeeting, Person, Role, Store, StoreError
from .surveys import read_answers, template_header
from .terminal import plural, safe, table
from .vocabulary import Vocabulary, help_from_planning_sheet, load_vocabulary

if TYPE_CHECKING:
    from ..models import Questionnaire

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


class CohortError(Exception):
    """A mistake the lead can put right; the message says how."""


@dataclass
class Session:
    """What every command needs: the project, the open store, today and (when asked) the content."""

    project: Project
    store: Store
    day: dt.date
    _kit: Toolkit | None = field(default=None, repr=False)

    @property
    def kit(self) -> Toolkit:
        if self._kit is None:
            from ..loading import load_toolkit

            try:
                # The programme's own dates may be set in the past or the future (COUNCILLOR_HUB_TODAY);
                # the content's review dates are `councillor-hub check`'s business, not the cohort's.
                self._kit = load_toolkit(self.project, on=dt.date.max)
            except ContentError as exc:
                raise CohortError(
                    "the hub's content has problems, so the programme's sprints and questions cannot be read:\n"
                    + exc.report()
                ) from None
        return self._kit

    @property
    def vocabulary(self) -> Vocabulary:
        return load_vocabulary(self.kit)

    def sprint_order(self) -> list[str]:
        return [e.id for e in self.kit.ordered_sprints()]

    def sprint_name(self, sprint_id: str) -> str:
        entry = self.kit.get("sprint", sprint_id)
        if entry is None:
            return sprint_id
        return entry.item.title if entry.item.kind == "masterclass" else f"Sprint {entry.item.number}"

    def cohort(self, name: str | None) -> Cohort:
        cohorts = self.store.cohorts()
        if name:
            found = self.store.cohort_named(name)
            if found is None:
                known = ", ".join(repr(c.name) for c in cohorts) or "none yet"
                raise CohortError(f"there is no cohort called {name!r} (cohorts: {known})")
            return found
        if not cohorts:
            raise CohortError(
                'there is no cohort yet; create one: councillor-hub cohort create "Spring 2027" --dates ...'
            )
        if len(cohorts) > 1:
            raise CohortError(
                "there is more than one cohort; say which with --cohort NAME ("
                + ", ".join(repr(c.name) for c in cohorts)
                + ")"
            )
        return cohorts[0]

    def person(self, cohort: Cohort, text: str, role: Role | None = None) -> Person:
        people = [p for p in self.store.people(cohort.id) if role is None or p.role == role]
        found = find_people(people, text)
        if len(found) == 1:
            return found[0]
        if found:
            raise CohortError(f"{len(found)} people are called {text!r}; use their email or #id")
        raise CohortError(not_found_message(people, text, role or "person") + f" in {cohort.name!r}")


Handler = Callable[[Session, argparse.Namespace], int]


def _run(handler: Handler, *, warn_retention: bool = True) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            project = Project.load(args.project)
        except ContentError as exc:
            print(exc.report(), file=sys.stderr)
            return 1
        try:
            store = Store.for_project(project)
        except (sqlite3.DatabaseError, SchemaTooNew, OSError) as exc:
            # A damaged file, one from a newer hub, or a folder that cannot be written: say which, plainly.
            print(f"councillor-hub cohort: cannot open the programme database: {exc}", file=sys.stderr)
            return 1
        try:
            session = Session(project, store, today())
            if warn_retention:
                months = project.settings.programme.retention_months
                expired = protection.expired_cohorts(store, months, session.day)
                if expired:
                    print(protection.retention_warning(expired, months), file=sys.stderr)
            return handler(session, args)
        except ImportProblems as exc:
            print(exc.report(), file=sys.stderr)
            return 1
        except (CohortError, StoreError) as exc:
            print(f"councillor-hub cohort: {exc}", file=sys.stderr)
            return 1
        finally:
            store.close()

    return run


def _date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _out_path(session: Session, path: Path) -> Path:
    """A file or folder for private output: never inside a folder the site build reads."""
    if session.project.is_published(path):
        raise CohortError(
            f"{path} is inside a folder the site is built from; programme records must stay out of it "
            f"(use {session.project.display(session.project.private_dir)}/)"
        )
    return path


# --- cohorts --------------------------------------------------------------------------------


def _sprint_dates(session: Session, dates: Sequence[dt.date]) -> dict[str, dt.date]:
    order = session.sprint_order()
    if len(dates) > len(order):
        raise CohortError(f"{len(dates)} dates given, but the programme has {len(order)} workshops: {', '.join(order)}")
    for earlier, later in zip(dates, dates[1:], strict=False):
        if later <= earlier:
            raise CohortError(
                f"the dates must be in order, one workshop after another ({later} is not after {earlier})"
            )
    return dict(zip(order, dates, strict=False))


def _dates_table(session: Session, cohort: Cohort) -> str:
    return table(
        ["Workshop", "Sprint id", "Date"],
        [(session.sprint_name(s), s, cohort.sprints[s].isoformat() if s in cohort.sprints else "(not set)")
         for s in session.sprint_order()],
    )  # fmt: skip


def cmd_create(session: Session, args: argparse.Namespace) -> int:
    name = clean_text(args.name)
    if not name:
        raise CohortError("the cohort needs a name, such as 'Spring 2027'")
    dates = _sprint_dates(session, args.dates)
    with session.store.transaction():
        cohort = session.store.create_cohort(name, dates, session.day)
    print(_dates_table(session, cohort))
    missing = [s for s in session.sprint_order() if s not in dates]
    rest = f"; set the rest later with: cohort dates --cohort {name!r} {missing[0]}=YYYY-MM-DD" if missing else ""
    print(f"Created cohort {name!r} with {plural(len(dates), 'workshop date')}{rest}.")
    return 0


def cmd_dates(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    changes: dict[str, dt.date] = {}
    for item in args.changes:
        sprint, _, value = item.partition("=")
        if sprint not in session.sprint_order():
            raise CohortError(f"{sprint!r} is not a workshop of the programme ({', '.join(session.sprint_order())})")
        try:
            changes[sprint] = parse_date(value)
        except ValueError as exc:
            raise CohortError(f"{item}: {exc}") from None
    if changes:
        merged = {**cohort.sprints, **changes}
        ordered = [merged[s] for s in session.sprint_order() if s in merged]
        if ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
            raise CohortError("the workshops' dates must be in the programme's order, each after the one before")
        with session.store.transaction():
            session.store.set_sprint_dates(cohort.id, changes)
        cohort = session.store.cohort_by_id(cohort.id)
    print(_dates_table(session, cohort))
    print(
        f"{cohort.name}: {plural(len(cohort.sprints), 'workshop date')} set"
        + (f", {len(changes)} changed." if changes else ".")
    )
    return 0


def cmd_cohorts(session: Session, args: argparse.Namespace) -> int:
    months = session.project.settings.programme.retention_months
    rows = []
    cohorts = session.store.cohorts()
    for c in cohorts:
        people = session.store.people(c.id)
        rows.append((
            c.name,
            min(c.sprints.values()).isoformat() if c.sprints else "",
            c.last_sprint_date.isoformat() if c.last_sprint_date else "",
            sum(p.role == "councillor" for p in people),
            sum(p.role == "mentor" for p in people),
            protection.retention_ends(c, months).isoformat(),
        ))  # fmt: skip
    print(table(["Cohort", "First workshop", "Last workshop", "Councillors", "Mentors", "Keep until"], rows))
    print(f"{plural(len(cohorts), 'cohort')} in {session.project.display(session.store.path)}.")
    return 0


# --- people ---------------------------------------------------------------------------------


def cmd_import_people(session: Session, args: argparse.Namespace) -> int:
    if args.role == "planning-sheet":
        return _import_planning_sheet(session, args)
    role: Role = "councillor" if args.role == "councillors" else "mentor"
    cohort = session.cohort(getattr(args, "cohort", None))
    path = Path(args.file)
    table_ = read_table(path, root=session.project.root)
    people, notes = read_people(table_, role, session.vocabulary, session.store.people(cohort.id))
    with session.store.transaction():
        added, updated = session.store.add_or_update_people(
            cohort.id, role, people, session.day, how=f"imported from {path.name}"
        )
    for note in notes:
        print(f"note: {note}")
    print(f"Imported {plural(len(people), role)} into {cohort.name!r}: {added} new, {updated} updated.")
    return 0


def _import_planning_sheet(session: Session, args: argparse.Namespace) -> int:
    """The help a councillor ticked on the digital-footprint plan they saved from the hub."""
    cohort = session.cohort(getattr(args, "cohort", None))
    if not args.councillor:
        raise CohortError("say whose planning sheet it is: --councillor NAME (the saved file has no name in it)")
    councillor = session.person(cohort, args.councillor, "councillor")
    path = Path(args.file)
    shown = session.project.display(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        help_wanted = help_from_planning_sheet(data, session.vocabulary)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportProblems(
            [Problem(shown, 1, 1, "(file)", f"cannot read it as a saved worksheet: {exc}")], shown
        ) from None
    except ValueError as exc:
        raise ImportProblems([Problem(shown, 1, 1, "help", str(exc))], shown) from None
    with session.store.transaction():
        session.store.set_skills(councillor.id, help_wanted)
    print(f"Help asked for by {councillor.name}, from their planning sheet: {'; '.join(help_wanted) or 'none ticked'}.")
    return 0


def _pairs(session: Session, cohort: Cohort) -> dict[int, Person]:
    people = {p.id: p for p in session.store.people(cohort.id)}
    return {
        pa.councillor_id: people[pa.mentor_id]
        for pa in session.store.pairings(cohort.id)
        if pa.status == "accepted" and pa.mentor_id in people
    }


def _consent_word(person: Person) -> str:
    if person.consent is None:
        return "not recorded"
    return "yes" if person.consent else "no"


def cmd_list(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    roles: tuple[Role, ...] = (
        ROLES if args.who == "all" else ("councillor",) if args.who == "councillors" else ("mentor",)
    )
    mentors = _pairs(session, cohort)
    people = [p for p in session.store.people(cohort.id) if p.role in roles]
    rows = [
        (f"#{p.id}", p.role, p.name, p.email, p.detail, "; ".join(p.skills), _consent_word(p),
         mentors[p.id].name if p.id in mentors else "")
        for p in people
    ]  # fmt: skip
    print(table(["Id", "Role", "Name", "Email", "Ward or team", "Help asked for or skills", "Consent", "Mentor"], rows))
    councillors = sum(p.role == "councillor" for p in people)
    print(f"{cohort.name}: {plural(councillors, 'councillor')} and {plural(len(people) - councillors, 'mentor')}.")
    return 0


def _skills_option(session: Session, text: str, option: str) -> tuple[str, ...]:
    found, unknown = session.vocabulary.parse(text)
    if unknown:
        raise CohortError(f"{option}: " + "; ".join(session.vocabulary.unknown_message(u) for u in unknown))
    return tuple(found)


def cmd_edit(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    person = session.person(cohort, args.person)
    changes: dict[str, str] = {}
    if args.name is not None:
        if (message := check_name(args.name)) is not None:
            raise CohortError(f"--name: {message}")
        changes["name"] = clean_text(args.name)
    if args.email is not None:
        if (message := check_email(args.email)) is not None:
            raise CohortError(f"--email: {message}")
        changes["email"] = args.email.strip().lower()
    detail = args.ward if args.ward is not None else args.team
    if detail is not None:
        changes["detail"] = clean_text(detail)
    skills_text = args.help_wanted if args.help_wanted is not None else args.skills
    with session.store.transaction():
        session.store.update_person(person.id, **changes)
        if skills_text is not None:
            session.store.set_skills(person.id, _skills_option(session, skills_text, "--skills"))
    updated = session.store.person(person.id)
    assert updated is not None
    row = (f"#{updated.id}", updated.role, updated.name, updated.email, updated.detail, "; ".join(updated.skills))
    print(table(["Id", "Role", "Name", "Email", "Ward or team", "Help asked for or skills"], [row]))
    what = [*changes, *(["skills"] if skills_text is not None else [])]
    print(f"Updated {updated.name}: {', '.join(what) if what else 'nothing changed'}.")
    return 0


def cmd_consent(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    person = session.person(cohort, args.person)
    try:
        given = parse_consent(args.answer)
    except ValueError as exc:
        raise CohortError(f"{exc}; write yes or no") from None
    if given is None:
        raise CohortError("write yes or no")
    with session.store.transaction():
        session.store.set_consent(person.id, given, session.day, args.how or "recorded by the programme lead")
    print(f"Recorded consent for {person.name}: {'yes' if given else 'no'}, on {session.day.isoformat()}.")
    return 0


def cmd_skills(session: Session, args: argparse.Namespace) -> int:
    vocabulary = session.vocabulary
    if args.list:
        print(table(["Skill"], [(o,) for o in vocabulary.options]))
        print(f"{plural(len(vocabulary.options), 'skill')} in the list, from {vocabulary.where}.")
        return 0
    cohort = session.cohort(getattr(args, "cohort", None))
    people = session.store.people(cohort.id)
    mentors = [p for p in people if p.role == "mentor"]
    councillors = [p for p in people if p.role == "councillor"]
    rows = []
    for option in vocabulary.options:
        offering = [m for m in mentors if option in m.skills]
        asking = sum(option in c.skills for c in councillors)
        rows.append((option, "; ".join(f"{m.name} <{m.email}>" for m in offering) or "(no mentor yet)", asking))
    print(table(["Skill", "Mentors who can help", "Councillors asking"], rows, width=90))
    if args.out:
        path = _out_path(session, Path(args.out))
        write_csv(path, ["skill", "mentors", "councillors_asking"], rows)
        print(f"note: wrote {path}; it names mentors, so share it with the cohort only")
    gaps = [r[0] for r in rows if r[1] == "(no mentor yet)"]
    print(
        f"Skills directory for {cohort.name!r}: {len(rows) - len(gaps)} of {len(rows)} skills have a mentor"
        + (f"; none yet for: {', '.join(gaps)}." if gaps else ".")
    )
    return 0


# --- pairs ----------------------------------------------------------------------------------


def _show_pairs(session: Session, cohort: Cohort) -> tuple[int, int]:
    people = {p.id: p for p in session.store.people(cohort.id)}
    pairings = session.store.pairings(cohort.id)
    rows = []
    for pa in sorted(pairings, key=lambda x: people[x.councillor_id].name.casefold()):
        c, m = people[pa.councillor_id], people[pa.mentor_id]
        status = f"accepted {pa.since.isoformat()}" if pa.status == "accepted" and pa.since else pa.status
        rows.append((c.name, m.name, status, "; ".join(shared_help(c, m)) or "-"))
    print(table(["Councillor", "Mentor", "Status", "Help matched"], rows))
    mentors = [p for p in people.values() if p.role == "mentor"]
    loads = mentor_loads({pa.councillor_id: pa.mentor_id for pa in pairings}, mentors)
    if mentors:
        print("Mentors' loads: " + ", ".join(f"{people[i].name} {n}" for i, n in loads.items()))
    unpaired = [
        p.name for p in people.values() if p.role == "councillor" and p.id not in {x.councillor_id for x in pairings}
    ]
    if unpaired:
        print("Not paired yet: " + ", ".join(safe(n) for n in unpaired))
    return sum(pa.status == "accepted" for pa in pairings), sum(pa.status == "suggested" for pa in pairings)


def cmd_pairs(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    accepted, suggested = _show_pairs(session, cohort)
    hint = "; accept them with: councillor-hub cohort pairs accept" if suggested else ""
    print(f"{cohort.name}: {plural(accepted, 'accepted pair')}, {plural(suggested, 'suggested pair')}{hint}.")
    return 0


def cmd_pairs_suggest(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    people = session.store.people(cohort.id)
    mentors = [p for p in people if p.role == "mentor"]
    councillors = [p for p in people if p.role == "councillor"]
    if not mentors:
        raise CohortError("there are no mentors in this cohort yet; import them first: cohort import mentors FILE")
    fixed = {pa.councillor_id: pa.mentor_id for pa in session.store.pairings(cohort.id) if pa.status == "accepted"}
    suggestions = suggest_pairs(councillors, mentors, fixed)
    with session.store.transaction():
        session.store.replace_suggestions(cohort.id, [(s.councillor.id, s.mentor.id) for s in suggestions])
    accepted, suggested = _show_pairs(session, cohort)
    matched = sum(bool(s.matched) for s in suggestions)
    print(
        f"Suggested {plural(suggested, 'pair')} ({matched} with help matched); {accepted} already accepted. "
        "Accept all with `cohort pairs accept`, or change one with `cohort pairs set COUNCILLOR MENTOR`."
    )
    return 0


def cmd_pairs_accept(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    with session.store.transaction():
        count = session.store.accept_suggestions(cohort.id, session.day)
    _show_pairs(session, cohort)
    if not count:
        print("No suggested pairs to accept; make some with `cohort pairs suggest`.")
        return 0
    print(f"Accepted {plural(count, 'pair')} from {session.day.isoformat()}.")
    return 0


def cmd_pairs_set(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    councillor = session.person(cohort, args.councillor, "councillor")
    mentor = session.person(cohort, args.mentor, "mentor")
    with session.store.transaction():
        session.store.set_pair(councillor.id, mentor.id, session.day)
    _show_pairs(session, cohort)
    print(f"Paired {councillor.name} with {mentor.name}.")
    return 0


def cmd_pairs_remove(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    councillor = session.person(cohort, args.councillor, "councillor")
    with session.store.transaction():
        removed = session.store.unset_pair(councillor.id)
    print(f"{councillor.name} {'is no longer paired' if removed else 'had no pair'}.")
    return 0


# --- meetings and status --------------------------------------------------------------------


def cmd_meeting(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    people = session.store.people(cohort.id)
    councillor, why = resolve(people, args.councillor, "councillor")
    if councillor is None:
        raise CohortError(why or "no such councillor")
    if args.mentor:
        mentor, why = resolve(people, args.mentor, "mentor")
        if mentor is None:
            raise CohortError(why or "no such mentor")
    else:
        pairs = _pairs(session, cohort)
        if councillor.id not in pairs:
            raise CohortError(f"{councillor.name} has no mentor yet; pair them first, or give --mentor")
        mentor = pairs[councillor.id]
    when = args.date or session.day
    if when > session.day:
        raise CohortError(f"{when.isoformat()} is after today; record meetings once they have happened")
    try:
        minutes = parse_minutes(args.minutes or "")
    except ValueError as exc:
        raise CohortError(f"--minutes: {exc}") from None
    with session.store.transaction():
        added = session.store.add_meetings(
            [NewMeeting(councillor.id, mentor.id, when, minutes, clean_text(args.note or ""))]
        )
    state = "Recorded" if added else "Already recorded"
    print(f"{state}: {councillor.name} met {mentor.name} on {when.isoformat()}.")
    return 0


def cmd_meetings(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    people = {p.id: p for p in session.store.people(cohort.id)}
    meetings = session.store.meetings(cohort.id)
    rows = [
        (m.date.isoformat(), people[m.councillor_id].name,
         people[m.mentor_id].name if m.mentor_id in people else "(mentor erased)", m.minutes or "")
        for m in meetings
    ]  # fmt: skip
    print(table(["Date", "Councillor", "Mentor", "Minutes"], rows))
    print(f"{cohort.name}: {plural(len(meetings), 'meeting')} recorded.")
    return 0


def cmd_meetings_import(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    table_ = read_table(Path(args.file), root=session.project.root)
    pairs = {c: m.id for c, m in _pairs(session, cohort).items()}
    meetings = read_meeting_log(
        table_, session.store.people(cohort.id), pairs, session.day, month_first=args.month_first
    )
    with session.store.transaction():
        added = session.store.add_meetings(meetings)
    for note in table_.notes:
        print(f"note: {note}")
    print(
        f"Imported {plural(len(meetings), 'meeting')} into {cohort.name!r}: "
        f"{added} new, {len(meetings) - added} already recorded."
    )
    return 0


def cmd_status(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    people = session.store.people(cohort.id)
    statuses = pair_statuses(
        cohort,
        people,
        session.store.pairings(cohort.id),
        session.store.meetings(cohort.id),
        session.day,
        days=args.days,
    )
    rows = []
    for s in statuses:
        reasons = []
        if s.gone_quiet:
            reasons.append(f"no meeting for {s.quiet_days} days")
        if s.not_met_since:
            reasons.append(
                f"not met since {session.sprint_name(s.not_met_since[0])} ({s.not_met_since[1].isoformat()})"
            )
        rows.append((
            "NUDGE" if s.flagged else "ok", s.councillor.name, s.mentor.name, s.meetings,
            s.last_meeting.isoformat() if s.last_meeting else "never", "; ".join(reasons),
        ))  # fmt: skip
    print(table(["", "Councillor", "Mentor", "Meetings", "Last met", "Why"], rows, width=70))
    paired = {s.councillor.id for s in statuses}
    unpaired = [p.name for p in people if p.role == "councillor" and p.id not in paired]
    if unpaired:
        print("Not paired yet: " + ", ".join(safe(n) for n in unpaired))
    upcoming = cohort.next_sprint(session.day)
    next_text = f"; next workshop: {session.sprint_name(upcoming[0])} on {upcoming[1].isoformat()}" if upcoming else ""
    flagged = sum(s.flagged for s in statuses)
    print(
        f"{flagged} of {plural(len(statuses), 'pair')} need a nudge on {session.day.isoformat()} "
        f"(no meeting for over {args.days} days, or none since the last workshop){next_text}."
    )
    return 0


# --- readiness ------------------------------------------------------------------------------


def cmd_readiness(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    if args.sprint and session.kit.get("sprint", args.sprint) is None:
        raise CohortError(f"{args.sprint!r} is not a workshop of the programme ({', '.join(session.sprint_order())})")
    sprint = check_for(session.kit, cohort, session.day, args.sprint)
    if sprint is None or not sprint.readiness:
        print("There is no readiness check to look at yet: the first one is on the masterclass page, after it.")
        print(f"{cohort.name}: no readiness check due.")
        return 0
    councillors = session.store.people(cohort.id, "councillor")
    rows = readiness_of(sprint, councillors, session.store.readiness(cohort.id))
    texts = {i.id: i.text for i in sprint.readiness}
    lines = []
    for r in rows:
        state = (
            "ready" if r.ready else "no return" if r.sent is None else f"{len(texts) - len(r.missing)} of {len(texts)}"
        )
        missing = "" if r.sent is None else "; ".join(texts[i].rstrip(".") for i in r.missing)
        lines.append((r.person.name, state, r.sent.isoformat() if r.sent else "", missing))
    print(table(["Councillor", "Ready?", "Sent", "Not done yet"], lines, width=100))
    returned = [r for r in rows if r.sent is not None]
    if returned:
        counts = [(texts[i], sum(i not in r.missing for r in returned)) for i in texts]
        print(table(["Item", f"Done (of {len(returned)} returns)"], counts, width=100))
    ready = sum(r.ready for r in rows)
    order = [e.item for e in session.kit.ordered_sprints()]
    position = next(i for i, s in enumerate(order) if s.id == sprint.id)
    upcoming = order[position + 1] if position + 1 < len(order) else None
    before = f" before {session.sprint_name(upcoming.id)}" if upcoming else ""
    when = f" on {cohort.sprints[upcoming.id].isoformat()}" if upcoming and upcoming.id in cohort.sprints else ""
    print(
        f"Readiness{before}{when} (the check on the {session.sprint_name(sprint.id)} page): {ready} ready, "
        f"{len(returned) - ready} not ready, {len(rows) - len(returned)} with no return, "
        f"of {plural(len(rows), 'councillor')}."
    )
    return 0


def cmd_readiness_import(session: Session, args: argparse.Namespace) -> int:
    cohort = session.cohort(getattr(args, "cohort", None))
    sent: list[Sent] = []
    problems: list[Problem] = []
    for name in args.files:
        if name == "-":
            sent += find_returns(sys.stdin.read(), "(pasted text)")
            continue
        found, trouble = read_return_file(Path(name), session.project.root)
        sent += found
        problems += trouble
    checked, more = check_returns(sent, session.kit, session.store.people(cohort.id, "councillor"), session.day)
    problems += more
    if not sent and not problems:
        problems.append(Problem("(pasted text)", 1, 1, "(text)", "no readiness return in the pasted text"))
    if problems:
        raise ImportProblems(problems, "the readiness returns")
    with session.store.transaction():
        saved = session.store.save_readiness([c.item for c in checked], session.day)
    print(table(["Councillor", "Sprint", "Sent", "Done"],
                [(c.person.name, c.item.sprint, c.item.sent.isoformat(), f"{len(c.item.done)} of {len(c.item.items)}")
                 for c in checked]))  # fmt: skip
    older = len(checked) - saved
    print(
        f"Imported {plural(saved, 'readiness return')} into {cohort.name!r}"
        + (f"; {older} older than one already held, so kept the newer." if older else ".")
    )
    return 0


# --- surveys and the report -----------------------------------------------------------------


def content_in(session: Session, code: str) -> Toolkit:
    """The hub's content in a language (its translations, English where there is none)."""
    from ..i18n import SOURCE_LANGUAGE
    from ..translations import load_translations, translate

    if code == SOURCE_LANGUAGE:
        return session.kit
    return translate(session.kit, load_translations(session.project, code))


def questionnaire_versions(session: Session, questionnaire_id: str) -> list[Questionnaire]:
    """A questionnaire in every language the hub has words for, English first.

    An online form may be set up in Welsh: its column headings are then the Welsh statements and
    its answers the Welsh words of the scale, and they must match just the same.
    """
    codes = {p.stem for p in (session.project.theme_dir / "locale").glob("*.po")} | set(session.project.languages)
    versions = []
    for code in ["en", *sorted(codes - {"en"})]:
        entry = content_in(session, code).get("questionnaire", questionnaire_id)
        if entry is not None:
            versions.append(entry.item)
    return versions


def _questionnaire(session: Session, questionnaire_id: str) -> object:
    entry = session.kit.get("questionnaire", questionnaire_id)
    if entry is None:
        known = ", ".join(e.id for e in session.kit.entries_of("questionnaire")) or "none"
        raise CohortError(f"there is no questionnaire {questionnaire_id!r} (questionnaires: {known})")
    return entry.item


def cmd_survey_import(session: Session, args: argparse.Namespace) -> int:
    from ..models import Questionnaire

    cohort = session.cohort(getattr(args, "cohort", None))
    questionnaire = _questionnaire(session, args.questionnaire)
    assert isinstance(questionnaire, Questionnaire)
    if args.when not in questionnaire.uses:
        raise CohortError(f"the {questionnaire.title!r} is not asked {args.when}")
    table_ = read_table(Path(args.file), root=session.project.root)
    result = read_answers(
        table_,
        questionnaire,
        args.when,
        session.store.people(cohort.id, "councillor"),
        versions=questionnaire_versions(session, questionnaire.id),
    )
    with session.store.transaction():
        session.store.save_answers(result.answers, session.day)
    for note in result.notes:
        print(f"note: {note}")
    print(
        f"Imported {plural(len(result.answers), 'answer')} ({args.when}) from {plural(result.people, 'councillor')} "
        f"to {plural(result.questions, 'question')} of the {questionnaire.title!r} into {cohort.name!r}."
    )
    return 0


def cmd_survey_template(session: Session, args: argparse.Namespace) -> int:
    from ..models import Questionnaire

    questionnaire = _questionnaire(session, args.questionnaire)
    assert isinstance(questionnaire, Questionnaire)
    path = Path(args.file)
    header = template_header(questionnaire)
    write_csv(path, header, [])
    print(f"Wrote {path}: a header row for typing in paper answers ({plural(len(header) - 2, 'question')}).")
    return 0


def cmd_report(session: Session, args: argparse.Namespace) -> int:
    from ..build import catalogue_paths
    from ..i18n import make_languages
    from ..rendering import Renderer
    from .report import build_report, render_report, slug, write_report

    cohort = session.cohort(getattr(args, "cohort", None))
    code = args.lang or session.project.default_language
    # The report's words come from the hub's own catalogues, even for a language the site is not built in.
    settings = session.project.settings.model_copy(update={"languages": [code]})
    paths = catalogue_paths(dataclasses.replace(session.project, settings=settings))
    if code != "en" and not any(p.is_file() for p in paths.get(code, [])):
        raise CohortError(
            f"the hub has no translation into {code!r} yet ({', '.join(str(p) for p in paths.get(code, []))})"
        )
    (lang,) = make_languages([code], paths)
    kit = content_in(session, code)
    report = build_report(session.store, kit, cohort, session.day, lang, days=args.days)
    html = render_report(report, kit, Renderer(session.project.template_dirs, root=session.project.root), lang)
    folder = (
        _out_path(session, Path(args.out))
        if args.out
        else session.project.private_dir / "reports" / f"{slug(cohort.name)}-{session.day.isoformat()}"
    )
    written = write_report(report, html, folder)
    for path in written:
        print(f"wrote {path}")
    print(
        f"Report for {cohort.name!r} as of {session.day.isoformat()}: "
        f"open {written[0].resolve().as_uri()} in a browser."
    )
    return 0


# --- data protection ------------------------------------------------------------------------


def cmd_forget(session: Session, args: argparse.Namespace) -> int:
    erased = protection.forget_person(session.store, args.person)
    for person, counts in erased:
        cohort = session.store.cohort_by_id(person.cohort_id)
        what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        print(f"erased {person.role} {person.name} <{person.email}> from {cohort.name!r}: {what}")
    print(f"Erased {plural(len(erased), 'record')} of {erased[0][0].name} from the programme store, in every cohort.")
    return 0


def cmd_export(session: Session, args: argparse.Namespace) -> int:
    from ..files import write_text_atomic
    from .report import slug

    data = protection.export_person(session.store, args.person, session.day)
    path = (
        _out_path(session, Path(args.out))
        if args.out
        else session.project.private_dir / "exports" / f"{slug(data['about'])}-{session.day.isoformat()}.json"
    )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    path.chmod(0o600)
    print(f"Wrote everything held about {data['about']} ({plural(len(data['records']), 'cohort record')}) to {path}.")
    return 0


def cmd_purge(session: Session, args: argparse.Namespace) -> int:
    months = session.project.settings.programme.retention_months
    if args.dry_run:
        expired = protection.expired_cohorts(session.store, months, session.day)
        for item in expired:
            print(f"would erase {item.cohort.name!r} (kept until {item.ended.isoformat()})")
        print(
            f"{plural(len(expired), 'cohort')} past the retention period of {months} months; nothing erased (dry run)."
        )
        return 0
    erased = protection.purge(session.store, months, session.day)
    for item, counts in erased:
        what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        print(f"erased {item.cohort.name!r} (kept until {item.ended.isoformat()}): {what}")
    print(
        f"Erased {plural(len(erased), 'cohort')} past the retention period of {months} months after the last workshop."
    )
    return 0


# --- the parser -----------------------------------------------------------------------------


def register_cohort_commands(sub: Subparsers) -> None:
    cohort = sub.add_parser(
        "cohort",
        help="run a cohort: people, mentor pairs, meetings, readiness, surveys and the report (private records)",
        description="Programme records are personal data, kept in a private, git-ignored folder. "
        "See docs/programme-leads-guide.md.",
    )
    commands = cohort.add_subparsers(dest="cohort_command", required=True, metavar="COMMAND")
    which = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an action's parser must not reset a --cohort given before the action.
    which.add_argument(
        "--cohort", default=argparse.SUPPRESS, help="the cohort's name (needed only when there is more than one)"
    )

    def add(
        name: str, handler: Handler, help_: str, parent: Subparsers = commands, *, retention: bool = True
    ) -> argparse.ArgumentParser:
        parser = parent.add_parser(name, help=help_, description=help_, parents=[which])
        parser.set_defaults(func=_run(handler, warn_retention=retention))
        return parser

    p = add("create", cmd_create, "create a cohort with its workshop dates")
    p.add_argument("name", help='for example "Spring 2027"')
    p.add_argument("--dates", nargs="+", type=_date_arg, default=[], metavar="DATE",
                   help="the workshops' dates in programme order (masterclass, sprint 1, ...)")  # fmt: skip
    p = add("dates", cmd_dates, "show or change the workshops' dates")
    p.add_argument("changes", nargs="*", metavar="SPRINT=DATE", help="for example sprint-2=2027-03-31")
    add("cohorts", cmd_cohorts, "list the cohorts in the store")

    p = add(
        "import",
        cmd_import_people,
        "import councillors or mentors from a sign-up form's CSV export, or the help a councillor ticked "
        "on a digital-footprint plan saved from the hub",
    )
    p.add_argument("role", choices=["councillors", "mentors", "planning-sheet"])
    p.add_argument("file")
    p.add_argument("--councillor", help="planning-sheet: whose sheet it is (email, #id or name)")
    p = add("list", cmd_list, "list the people in a cohort")
    p.add_argument("who", nargs="?", choices=["all", "councillors", "mentors"], default="all")
    p = add("edit", cmd_edit, "change a person's details, help asked for or skills")
    p.add_argument("person", help="email, #id or name")
    p.add_argument("--name")
    p.add_argument("--email")
    p.add_argument("--ward")
    p.add_argument("--team")
    p.add_argument("--help-wanted", help='a councillor\'s help, from the skills list, joined with ";"')
    p.add_argument("--skills", help='a mentor\'s skills, from the skills list, joined with ";"')
    p = add("consent", cmd_consent, "record whether a person agreed to their records being used for evaluation")
    p.add_argument("person", help="email, #id or name")
    p.add_argument("answer", help="yes or no")
    p.add_argument("--how", help="how it was given, for example 'sign-up form' or 'paper form'")
    p = add("skills", cmd_skills, "the cohort's skills directory: which mentor can help with what")
    p.add_argument("--list", action="store_true", help="show only the list of skills")
    p.add_argument("--out", help="also write the directory as a CSV file, to share with the cohort")

    p = add("pairs", cmd_pairs, "show mentor pairs; suggest, accept or change them")
    pairs = p.add_subparsers(dest="pairs_command", metavar="ACTION")
    add("suggest", cmd_pairs_suggest, "suggest pairs from help asked for and mentors' skills, balancing loads", pairs)
    add("accept", cmd_pairs_accept, "accept every suggested pair", pairs)
    q = add("set", cmd_pairs_set, "pair one councillor with a mentor (or change their mentor)", pairs)
    q.add_argument("councillor")
    q.add_argument("mentor")
    q = add("remove", cmd_pairs_remove, "take a councillor out of their pair", pairs)
    q.add_argument("councillor")

    p = add("meeting", cmd_meeting, "record one mentor meeting")
    p.add_argument("councillor", help="email, #id or name")
    p.add_argument("--mentor", help="default: the councillor's mentor")
    p.add_argument("--date", type=_date_arg, help="default: today")
    p.add_argument("--minutes")
    p.add_argument("--note")
    p = add("meetings", cmd_meetings, "list meetings, or import a meeting log")
    meetings = p.add_subparsers(dest="meetings_command", metavar="ACTION")
    q = add(
        "import",
        cmd_meetings_import,
        "import a meeting log (CSV: Councillor, Date, and Mentor, Minutes if known)",
        meetings,
    )
    q.add_argument("file")
    q.add_argument("--month-first", action="store_true", help="dates are written month first (2/10/2027)")
    p = add("status", cmd_status, "flag pairs that have stopped meeting")
    p.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"flag after this many days with no meeting (default {DEFAULT_DAYS})",
    )

    p = add("readiness", cmd_readiness, "who is ready for the next workshop, and on which items")
    p.add_argument("--sprint", help="the sprint whose readiness check to show (default: the one due next)")
    readiness = p.add_subparsers(dest="readiness_command", metavar="ACTION")
    q = add("import", cmd_readiness_import, "import readiness returns (files, or - to paste emails)", readiness)
    q.add_argument("files", nargs="+", metavar="FILE")

    p = add("survey", cmd_survey_import, "import questionnaire answers (Microsoft Forms or Google Forms CSV)")
    survey = p.add_subparsers(dest="survey_command", metavar="ACTION", required=True)
    q = add("import", cmd_survey_import, "import a questionnaire's answers", survey)
    q.add_argument("file")
    q.add_argument("--when", choices=["before", "after"], required=True)
    q.add_argument("--questionnaire", default="confidence")
    q = add("template", cmd_survey_template, "write a CSV header for typing in paper answers", survey)
    q.add_argument("file")
    q.add_argument("--questionnaire", default="confidence")

    p = add("report", cmd_report, "write the private evaluation report (HTML and CSV)")
    p.add_argument("--out", help="a folder for the report (default: in the private folder)")
    p.add_argument("--lang", help="the report's language, for example cy (default: the hub's first language)")
    p.add_argument("--days", type=int, default=DEFAULT_DAYS)

    p = add("forget", cmd_forget, "erase a person from the programme store, everywhere")
    p.add_argument("person", help="email, #id or name")
    p = add("export", cmd_export, "write everything held about a person as JSON (subject access request)")
    p.add_argument("person", help="email, #id or name")
    p.add_argument("--out")
    p = add("purge", cmd_purge, "erase cohorts past the retention period in council.yml", retention=False)
    p.add_argument("--dry-run", action="store_true", help="only list what would be erased")
