"""Suggesting councillor–mentor pairs: balanced loads first, then the most help matched.

The rule a lead can check by eye: every mentor ends up with the same number of councillors,
give or take one (pairs the lead has already accepted count towards a mentor's load and are
never moved). Within that, the suggestion matches as much of the help each councillor asked
for with a mentor who offers it as any balanced pairing can.

It is an assignment problem: each councillor takes one "place" with a mentor, and a mentor's
k-th place costs more than their (k-1)-th, so the cheapest assignment spreads councillors
evenly. Skills matched lower the cost, but by less than one step of load, so they decide only
between equally balanced pairings. Solved exactly with the Hungarian algorithm (cohorts are
tens of people, so plain Python is instant).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .store import Person


@dataclass(frozen=True)
class Suggestion:
    councillor: Person
    mentor: Person
    matched: tuple[str, ...]  # the help asked for that this mentor offers


def shared_help(councillor: Person, mentor: Person) -> tuple[str, ...]:
    offered = set(mentor.skills)
    return tuple(s for s in councillor.skills if s in offered)


def suggest_pairs(
    councillors: Sequence[Person], mentors: Sequence[Person], fixed: dict[int, int] | None = None
) -> list[Suggestion]:
    """A mentor for every councillor not in ``fixed`` (councillor id -> mentor id, already accepted)."""
    fixed = fixed or {}
    if not mentors:
        return []
    mentors = sorted(mentors, key=lambda m: (m.name.casefold(), m.id))
    open_ = sorted((c for c in councillors if c.id not in fixed), key=lambda c: (c.name.casefold(), c.id))
    if not open_:
        return []
    load = {m.id: sum(1 for mentor_id in fixed.values() if mentor_id == m.id) for m in mentors}
    most_skills = max((len(c.skills) for c in open_), default=0)
    # One step of load must outweigh every possible skills match put together.
    step = len(open_) * most_skills + 1
    places: list[tuple[Person, int]] = [(m, load[m.id] + k) for m in mentors for k in range(1, len(open_) + 1)]
    cost = [[step * place - len(shared_help(c, m)) for m, place in places] for c in open_]
    chosen = assign(cost)
    return [
        Suggestion(c, places[column][0], shared_help(c, places[column][0]))
        for c, column in zip(open_, chosen, strict=True)
    ]


def assign(cost: Sequence[Sequence[float]]) -> list[int]:
    """The column for each row that makes the total cost least (Hungarian algorithm; rows <= columns)."""
    rows = len(cost)
    if rows == 0:
        return []
    columns = len(cost[0])
    if rows > columns:
        raise ValueError("more rows than columns")
    u = [0.0] * (rows + 1)
    v = [0.0] * (columns + 1)
    owner = [0] * (columns + 1)  # owner[j]: the row (1-based) holding column j; 0 for none
    way = [0] * (columns + 1)
    for row in range(1, rows + 1):
        owner[0] = row
        j0 = 0
        least = [math.inf] * (columns + 1)
        used = [False] * (columns + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = math.inf
            j1 = 0
            for j in range(1, columns + 1):
                if used[j]:
                    continue
                reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if reduced < least[j]:
                    least[j] = reduced
                    way[j] = j0
                if least[j] < delta:
                    delta = least[j]
                    j1 = j
            for j in range(columns + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    result = [0] * rows
    for j in range(1, columns + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result


def mentor_loads(pairs: dict[int, int], mentors: Sequence[Person]) -> dict[int, int]:
    """How many councillors each mentor has (every mentor listed, even with none)."""
    loads = {m.id: 0 for m in mentors}
    for mentor_id in pairs.values():
        if mentor_id in loads:
            loads[mentor_id] += 1
    return loads
