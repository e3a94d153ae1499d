"""The one list of help a councillor can ask for, which is also the list of mentors' skills.

It is the checklist a councillor ticks on sprint 1's digital-footprint planning sheet ("What
help would you like from your mentor or the group?"), so the words on the sheet, in sign-up
forms, in mentors' skills and in the skills directory are always the same. Change the options
in the YAML and every import and the pairing follow.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..models import Prompt, Sprint
from ..toolkit import Toolkit
from .spreadsheets import normalise
from .store import StoreError

# Where the list lives: sprint, worksheet, prompt.
HELP_PROMPT = ("sprint-1", "digital-footprint", "help-needed")


def _key(text: str) -> str:
    return normalise(text).strip(" .")


@dataclass(frozen=True)
class Vocabulary:
    options: tuple[str, ...]
    label: str  # the question as the planning sheet asks it
    where: str  # for messages: which file and prompt holds the list

    def match(self, text: str) -> str | None:
        """The option ``text`` names (ignoring case and spacing), or None."""
        key = _key(text)
        return next((o for o in self.options if _key(o) == key), None)

    def did_you_mean(self, text: str) -> str | None:
        keys = {_key(o): o for o in self.options}
        close = difflib.get_close_matches(_key(text), list(keys), n=1, cutoff=0.6)
        return keys[close[0]] if close else None

    def unknown_message(self, text: str) -> str:
        message = f"{text!r} is not one of the skills on the planning sheet"
        close = self.did_you_mean(text)
        if close:
            return message + f"; did you mean {close!r}?"
        return message + f" (the list is in {self.where}; run `councillor-hub cohort skills --list` to see it)"

    def parse(self, cell: str) -> tuple[list[str], list[str]]:
        """The options named in one spreadsheet cell, and any fragments that are not options.

        Microsoft Forms joins ticked answers with ``;`` (and ends with one); Google Forms joins them
        with ``, ``, so an option that itself holds a comma is rebuilt from its pieces.
        """
        found: list[str] = []
        unknown: list[str] = []
        for piece in re.split(r"[;\n|]", cell):
            if not piece.strip():
                continue
            whole = self.match(piece)
            if whole:
                found.append(whole)
                continue
            parts = [p.strip() for p in piece.split(",")]
            start = 0
            while start < len(parts):
                for end in range(len(parts), start, -1):
                    option = self.match(", ".join(parts[start:end]))
                    if option:
                        found.append(option)
                        start = end
                        break
                else:
                    if parts[start]:
                        unknown.append(parts[start])
                    start += 1
        return list(dict.fromkeys(found)), unknown


def load_vocabulary(kit: Toolkit) -> Vocabulary:
    """The help checklist from the content; a ``StoreError`` explains what to fix if it has gone."""
    sprint_id, worksheet_id, prompt_id = HELP_PROMPT
    entry = kit.get("sprint", sprint_id)
    where = f"{entry.source if entry else 'the sprint-1 lesson file'}, worksheet {worksheet_id}, prompt {prompt_id}"
    prompt: Prompt | None = None
    if entry is not None:
        sprint: Sprint = entry.item
        for worksheet in sprint.worksheets:
            if worksheet.id == worksheet_id:
                prompt = next((p for s in worksheet.sections for p in s.prompts if p.id == prompt_id), None)
    if prompt is None or prompt.kind != "checklist":
        raise StoreError(
            f"the list of help and skills comes from {where}, which must be a checklist; "
            "it is missing or has another kind, so mentors' skills cannot be checked"
        )
    return Vocabulary(tuple(prompt.options), prompt.label, where)


WORKSHEET_FORMAT = "councillor-hub-worksheet"


def help_from_planning_sheet(data: object, vocabulary: Vocabulary) -> list[str]:
    """The help ticked on a digital-footprint plan saved from the hub ("Save to a file").

    The file is the worksheet's own save format (docs/assets/hub/worksheet.js); the checklist's
    answers are under ``<section id>--<prompt id>``. Raises ``ValueError`` saying what is wrong.
    """
    sprint_id, worksheet_id, prompt_id = HELP_PROMPT
    if not isinstance(data, dict) or data.get("format") != WORKSHEET_FORMAT:
        raise ValueError("this is not a worksheet saved from the hub")
    if data.get("worksheet") != f"{sprint_id}-{worksheet_id}":
        raise ValueError(
            f"this is the {data.get('title') or data.get('worksheet')!r} worksheet, not the digital footprint plan"
        )
    answers = data.get("answers")
    ticked: object = []
    if isinstance(answers, dict):
        ticked = next((v for k, v in answers.items() if str(k).endswith(f"--{prompt_id}")), [])
    if not isinstance(ticked, list) or not all(isinstance(t, str) for t in ticked):
        raise ValueError("the help answers in it are damaged")
    found = []
    for option in ticked:
        match = vocabulary.match(option)
        if match is None:
            raise ValueError(vocabulary.unknown_message(option))
        found.append(match)
    return found
