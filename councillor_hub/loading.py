"""Load every content file, apply the council's overlay, and check everything, all at once.

``load_toolkit`` either returns a complete, consistent ``Toolkit`` or raises ``ContentError``
carrying *every* problem in *every* file, each located as ``path:line:col: field: message``.
Every step loops over the table of kinds (``kinds.KINDS``): nothing here names a kind of content
except the few checks that belong to one (a sprint's timings, a programme's list of sprints).

Order: upstream files, the council's new items, unique ids, the overlay (overrides, then
hides), the hub's nation, then references, timings, place tokens and dates on the result.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ContentError, Problem
from .fields import TRANSLATABLE, FieldPath, iter_refs, iter_texts, map_texts
from .incremental import inputs_state
from .kinds import BY_NAME, KINDS, Source, kinds_in, source_model, sources
from .materials import handout_words, text_problem
from .models import MaterialUse, Sprint
from .overlay import Overlay, apply_overlay, hide_items
from .places import token_problems
from .project import Project, today
from .running_order import running_order_problems
from .toolkit import COUNCIL, UPSTREAM, Entry, Toolkit
from .validation import validate_document
from .yaml_source import YamlDocument, read_yaml

STALE_AFTER = dt.timedelta(days=365)
# No review or source check of this hub's content can be older than this: an earlier date is a
# typo (0026-11-23) or a placeholder (0001-01-01), not a date anyone checked anything (issue #15).
EARLIEST_DATE = dt.date(2000, 1, 1)


class _Loader:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.kit = Toolkit()
        self.problems: list[Problem] = []
        # Ids in files that failed validation: references to them are not reported as dangling,
        # so one broken file does not bury its real fault under a cascade of follow-on errors.
        self.failed_ids: set[str] = set()

    def read(self, path: Path) -> YamlDocument:
        try:
            # The name as listed in its folder, not where a symlink points (issue #15).
            display = path.absolute().relative_to(self.project.root.absolute()).as_posix()
        except ValueError:
            display = self.project.display(path)
        self.kit.files.append(path)
        # Content files must be ordinary files inside the project (issue #15): see read_yaml.
        doc = read_yaml(path, display, root=self.project.root)
        self.kit.docs[display] = doc
        return doc

    def load_source(self, base: Path, source: Source, origin: str) -> None:
        location = base / source.path
        if source.layout == "folder":
            for path in sorted(location.glob("*.yml")):
                if path.name not in source.exclude:
                    self._load_file(path, source, origin)
        elif location.exists() or location.is_symlink():
            # Not is_file(): a pipe, a device or a dangling symlink is reported by read_yaml as what
            # it is, not as "missing" (issue #15).
            if origin == COUNCIL and source.layout == "single":
                kind = kinds_in(source)[0]
                self.problems.append(
                    Problem(
                        self.project.display(location), 1, 1, "(file)",
                        f"a council cannot replace the {kind.name} file; change its fields under "
                        f"override: {kind.name}:… in council/overlay.yml",
                    )
                )  # fmt: skip
            else:
                self._load_file(location, source, origin)
        elif origin == UPSTREAM:
            self.problems.append(Problem(self.project.display(location), 1, 1, "(file)", "this file is missing"))

    def _load_file(self, path: Path, source: Source, origin: str) -> None:
        doc = self.read(path)
        model = source_model(source)
        item, problems = validate_document(doc, model)
        self.problems.extend(problems)
        if item is None:
            self.failed_ids |= _raw_ids(doc.data) if doc.data is not None else _ids_in_text(doc.text)
            return
        if source.layout == "listed":
            for kind in kinds_in(source):
                assert source.field is not None
                for index, element in enumerate(getattr(item, kind.source.field or "")):
                    self.add(Entry(kind, element, doc.display, (kind.source.field or "", index), origin))
        else:
            self.add(Entry(kinds_in(source)[0], item, doc.display, (), origin))

    def add(self, entry: Entry) -> None:
        existing = self.kit.get(entry.kind.name, entry.id)
        if existing is None:
            self.kit.entries[entry.kind.name].append(entry)
            return
        if entry.origin == COUNCIL and existing.origin == UPSTREAM:
            message = (
                f"{entry.id!r} is already an upstream {entry.kind.name} ({existing.source}); to change it, "
                f"override it in council/overlay.yml; to replace it, hide it there and give yours a new id"
            )
        else:
            message = f"the {entry.kind.name} id {entry.id!r} is already used in {existing.source}"
        self.problems.append(self.kit.locate(entry, ("id",), message))


def _raw_ids(data: Any) -> set[str]:
    """Every ``id`` value anywhere in unvalidated data."""
    found: set[str] = set()
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            found.add(data["id"])
        for value in data.values():
            found |= _raw_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= _raw_ids(value)
    return found


def _ids_in_text(text: str | None) -> set[str]:
    """Best-effort ids from a file that would not parse: lines like ``id: x`` or ``- id: x``.

    ``text`` is what read_yaml read; the file is never opened again (it may be a pipe, issue #15).
    """
    found = set()
    for line in (text or "").splitlines():
        key, sep, value = line.strip().removeprefix("- ").partition(":")
        if sep and key.strip() == "id" and value.strip():
            found.add(value.strip().strip("'\""))
    return found


# The toolkit last loaded for each project, under the state of every file it is made from and the
# day: mkdocs serve loads it on every save, and most saves are not to the toolkit (issue 14).
# Nothing changes a loaded toolkit (translations and places make copies).
_LOADED: dict[Path, tuple[Any, Toolkit]] = {}


def load_toolkit(project: Project, *, on: dt.date | None = None) -> Toolkit:
    """Load and check all content (upstream, then the council's overlay); raise ``ContentError`` on any fault."""
    day = on or today()
    folders = [project.toolkit_dir, *([project.overlay_toolkit_dir] if project.has_overlay else [])]
    key = (day, project.has_overlay, inputs_state(folders, [project.settings_file, project.overlay_file]))
    kept = _LOADED.get(project.root)
    if kept is not None and kept[0] == key:
        return kept[1]
    kit = _load_toolkit(project, day)
    _LOADED[project.root] = (key, kit)
    return kit


def _load_toolkit(project: Project, day: dt.date) -> Toolkit:
    loader = _Loader(project)
    for source in sources():
        loader.load_source(project.toolkit_dir, source, UPSTREAM)
    if project.has_overlay:
        for source in sources():
            loader.load_source(project.overlay_toolkit_dir, source, COUNCIL)
        if project.overlay_file.exists() or project.overlay_file.is_symlink():
            doc = loader.read(project.overlay_file)
            overlay, problems = validate_document(doc, Overlay)
            loader.problems.extend(problems)
            if overlay is not None:
                apply_overlay(loader.kit, overlay, doc, loader.problems)
    kit = loader.kit
    _keep_own_nation(project, kit, loader.problems)
    _sort(kit)
    _check_references(kit, loader)
    _check_programme(kit, loader.problems)
    _check_worksheets(kit, loader)
    _check_questionnaires(kit, loader.problems)
    _check_timings(kit, loader.problems)
    _check_running_orders(project, kit, loader.problems)
    _check_material_texts(kit, loader.problems)
    _check_tokens(kit, loader.problems)
    _check_dates(kit, day, loader.problems)
    if loader.problems:
        raise ContentError(loader.problems)
    kit.warnings = stale_warnings(kit, day)
    return kit


def _sort(kit: Toolkit) -> None:
    for kind in KINDS:
        if kind.sort is not None:
            key = kind.sort
            kit.entries[kind.name].sort(key=lambda e: key(e.item))


def _keep_own_nation(project: Project, kit: Toolkit, problems: list[Problem]) -> None:
    """A hub for one nation leaves out what is marked for other nations only (issue 13)."""
    nation = project.settings.nation
    if nation is None:
        return
    reason = f"marked for other nations only (council.yml sets nation: {nation})"
    hides: dict[str, str | None] = {
        e.ref: None
        for e in kit.all_entries()
        if getattr(e.item, "nations", None) and nation not in e.item.nations and e.kind.hideable
    }
    for entry in kit.all_entries():
        sections = getattr(entry.item, "sections", None)
        if entry.ref in hides or not isinstance(sections, list):
            continue
        kept = [s for s in sections if not getattr(s, "nations", None) or nation in s.nations]
        if len(kept) != len(sections):
            if kept:
                entries = kit.entries[entry.kind.name]
                entries[entries.index(entry)] = entry.with_item(entry.item.model_copy(update={"sections": kept}))
            else:
                hides[entry.ref] = None

    def invalid(entry: Entry, target: str, where: str, message: str) -> None:
        problems.append(
            kit.locate(entry, (), f"leaving out {target} ({reason}) leaves this invalid at {where}: {message}")
        )

    hide_items(kit, hides, dict.fromkeys(hides, reason), invalid)


def _dangling(kind: str, ref_id: str, known: dict[str, str]) -> str:
    """The message for a reference to an id that does not exist."""
    message = f"no {kind} has the id {ref_id!r}"
    close = difflib.get_close_matches(ref_id, list(known), n=1)
    return message + (f"; did you mean {close[0]!r}?" if close else "")


def _check_references(kit: Toolkit, loader: _Loader) -> None:
    ids = {k.name: kit.ids(k.name) for k in KINDS}
    for entry in kit.all_entries():
        for ref in iter_refs(entry.item):
            if ref.kind not in BY_NAME:
                close = difflib.get_close_matches(ref.kind, list(BY_NAME), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (kinds: {', '.join(BY_NAME)})"
                loader.problems.append(
                    kit.locate(entry, ref.path, f"there is no kind of item called {ref.kind!r}{hint}")
                )
            elif ref.id not in ids[ref.kind] and ref.id not in loader.failed_ids:
                if f"{ref.kind}:{ref.id}" in kit.hidden:
                    continue  # already dropped or replaced by the overlay, and reported as a note
                loader.problems.append(kit.locate(entry, ref.path, _dangling(ref.kind, ref.id, ids[ref.kind])))
            elif BY_NAME[ref.kind].page is None:
                loader.problems.append(kit.locate(entry, ref.path, f"{ref.kind} items have no page to link to"))


def _check_programme(kit: Toolkit, problems: list[Problem]) -> None:
    programme = kit.one_entry("programme")
    if programme is None:
        return
    for entry in kit.entries_of("sprint"):
        if entry.id not in programme.item.sprints:
            problems.append(
                kit.locate(entry, ("id",), f"sprint {entry.id!r} is not listed in {programme.source} under sprints")
            )


# A sprint's lists whose items need ids of their own, with what one item is called in messages
# (spelt out: cutting the plural's last letter gave "readines" and "evaluatio", issue #15).
_SPRINT_LISTS = {
    "worksheets": "worksheet",
    "between_sprint_tasks": "between-sprint task",
    "readiness": "readiness item",
    "evaluation": "evaluation measure",
    "sessions": "session",
}


def _check_worksheets(kit: Toolkit, loader: _Loader) -> None:
    for entry in kit.entries_of("sprint"):
        sprint: Sprint = entry.item
        worksheets = {w.id: entry.source for w in sprint.worksheets}
        for si, session in enumerate(sprint.sessions):
            for ai, activity in enumerate(session.activities):
                if activity.worksheet and activity.worksheet not in worksheets:
                    path = ("sessions", si, "activities", ai, "worksheet")
                    loader.problems.append(
                        kit.locate(entry, path, _dangling("worksheet", activity.worksheet, worksheets))
                    )
        for name, singular in _SPRINT_LISTS.items():
            seen: dict[str, int] = {}
            for index, part in enumerate(getattr(sprint, name)):
                if part.id in seen:
                    message = (
                        f"another {singular} in this sprint already has the id {part.id!r} "
                        f"({name}[{seen[part.id]}]); each {singular} needs its own id"
                    )
                    loader.problems.append(kit.locate(entry, (name, index, "id"), message))
                seen.setdefault(part.id, index)


def _check_questionnaires(kit: Toolkit, problems: list[Problem]) -> None:
    """Question ids are unique in their questionnaire (answers are paired by them), and a measure
    that names a questionnaire finds a section for its own sprint there."""
    for entry in kit.entries_of("questionnaire"):
        seen: dict[str, str] = {}
        for si, section in enumerate(entry.item.sections):
            for qi, question in enumerate(section.questions):
                if question.id in seen:
                    problems.append(
                        kit.locate(
                            entry,
                            ("sections", si, "questions", qi, "id"),
                            f"{question.id!r} is already a question in section {seen[question.id]!r}; "
                            "each question needs its own id",
                        )
                    )
                seen.setdefault(question.id, section.id)
    for entry in kit.entries_of("sprint"):
        for index, measure in enumerate(entry.item.evaluation):
            if measure.questionnaire is None:
                continue
            found = kit.get("questionnaire", measure.questionnaire)
            if found is None:
                continue  # reported as a dangling reference
            if not any(s.sprint == entry.id for s in found.item.sections):
                problems.append(
                    kit.locate(
                        entry,
                        ("evaluation", index, "questionnaire"),
                        f"the questionnaire {measure.questionnaire!r} has no section for {entry.id!r}; "
                        f"add one with sprint: {entry.id} in {found.source}",
                    )
                )


def _check_timings(kit: Toolkit, problems: list[Problem]) -> None:
    for entry in kit.entries_of("sprint"):
        for si, session in enumerate(entry.item.sessions):
            total = sum(a.minutes for a in session.activities)
            if total != session.minutes:
                problems.append(
                    kit.locate(
                        entry,
                        ("sessions", si, "minutes"),
                        f"the session is {session.minutes} minutes but its activities add up to {total}",
                    )
                )


def _check_running_orders(project: Project, kit: Toolkit, problems: list[Problem]) -> None:
    programme = kit.one("programme")
    for entry in kit.entries_of("sprint"):
        for path, message in running_order_problems(entry.item, project.settings.workshops, programme):
            problems.append(kit.locate(entry, path, message))


def _check_material_texts(kit: Toolkit, problems: list[Problem]) -> None:
    """Materials written as text that name something the hub provides (slides, cards, a form...)."""
    words = handout_words(BY_NAME)
    materials = {m.id: m.title for m in kit.items("material")}
    questionnaires = {e.id: e.title for e in kit.entries.get("questionnaire", [])}
    for entry in kit.entries_of("sprint"):
        sprint: Sprint = entry.item
        worksheets = [w.id for w in sprint.worksheets]
        lists: list[tuple[FieldPath, list[MaterialUse | str], str | None]] = []
        if sprint.running_order is not None:
            lists.append((("running_order", "materials"), sprint.running_order.materials, None))
        for si, session in enumerate(sprint.sessions):
            for ai, activity in enumerate(session.activities):
                lists.append((("sessions", si, "activities", ai, "materials"), activity.materials, activity.worksheet))
        for path, materials_list, worksheet in lists:
            for index, text in enumerate(materials_list):
                if isinstance(text, str):
                    message = text_problem(
                        text,
                        words,
                        materials,
                        worksheet=worksheet,
                        worksheets=worksheets,
                        questionnaires=questionnaires,
                    )
                    if message:
                        problems.append(kit.locate(entry, (*path, index), message))


def _check_tokens(kit: Toolkit, problems: list[Problem]) -> None:
    for entry in kit.all_entries():
        for path, text in iter_texts(entry.item):
            for message in token_problems(text):
                problems.append(kit.locate(entry, path, message))


def _dated_fields(entry: Entry) -> list[tuple[FieldPath, dt.date]]:
    found: list[tuple[FieldPath, dt.date]] = []
    reviewed = getattr(entry.item, "last_reviewed", None)
    if isinstance(reviewed, dt.date):
        found.append((("last_reviewed",), reviewed))
    for index, source in enumerate(getattr(entry.item, "sources", None) or []):
        found.append((("sources", index, "accessed"), source.accessed))
    return found


def likely_meant(day: dt.date, today_: dt.date) -> dt.date:
    """The date someone probably meant when they typed a future one (2062-11-30 for 2026-11-30)."""
    year = str(day.year)
    candidates = [str(today_.year), year[:2] + year[3] + year[2], str(today_.year - 1)]
    for candidate in candidates:
        try:
            guess = day.replace(year=int(candidate))
        except ValueError:
            continue
        if guess <= today_:
            return guess
    return today_


def _check_dates(kit: Toolkit, day: dt.date, problems: list[Problem]) -> None:
    for entry in kit.all_entries():
        for path, value in _dated_fields(entry):
            written = kit.as_written(entry, path)
            if isinstance(written, str) and written != value.isoformat():
                # pydantic also reads "0" (1970-01-01), "1672531200" and "2026-11-23T00:00" as dates;
                # a review date must say plainly which day it is (found by fuzzing, issue #15).
                problems.append(
                    kit.locate(entry, path, f"write dates as YYYY-MM-DD, for example 2026-11-23 (got {written[:40]!r})")
                )
            elif value < EARLIEST_DATE:
                problems.append(
                    kit.locate(
                        entry,
                        path,
                        f"{value.isoformat()} is before {EARLIEST_DATE.year}; check the year (dates are YYYY-MM-DD)",
                    )
                )
            elif value > day:
                problems.append(
                    kit.locate(
                        entry,
                        path,
                        f"{value.isoformat()} is in the future; did you mean {likely_meant(value, day).isoformat()}? "
                        "(dates are YYYY-MM-DD)",
                    )
                )


def stale_warnings(kit: Toolkit, day: dt.date) -> list[Problem]:
    """Items whose last review is more than a year old, located at their ``last_reviewed``.

    They are warnings: ``councillor-hub check`` lists them (and fails with ``--strict``), and
    ``mkdocs build --strict`` fails on them, so stale advice cannot be published unnoticed.
    """
    stale = []
    for entry in kit.all_entries():
        reviewed = getattr(entry.item, "last_reviewed", None)
        if isinstance(reviewed, dt.date) and day - reviewed > STALE_AFTER:
            stale.append(
                kit.locate(
                    entry,
                    ("last_reviewed",),
                    f"{entry.title!r} was last reviewed on {reviewed.isoformat()}, over 12 months ago; "
                    "check it is still accurate and update last_reviewed",
                )
            )
    return sorted(stale)


def fill_texts(kit: Toolkit, fn: Callable[[Entry, FieldPath, str], str], marker: Any = TRANSLATABLE) -> Toolkit:
    """A copy of ``kit`` with ``fn(entry, path, text)`` applied to every text field (``marker``) of every item."""
    out = Toolkit(
        entries={k.name: [] for k in KINDS},
        hidden=kit.hidden,
        warnings=kit.warnings,
        notes=kit.notes,
        files=kit.files,
        docs=kit.docs,
    )
    for name, entries in kit.entries.items():
        out.entries[name] = [e.with_item(map_texts(e.item, _bound(fn, e), marker=marker)) for e in entries]
    return out


def _bound(fn: Callable[[Entry, FieldPath, str], str], entry: Entry) -> Callable[[FieldPath, str], str]:
    return lambda path, text: fn(entry, path, text)
