"""The pairing rule's remaining promises, one at a time.

Each test pins a behaviour of ``cohort/pairing.py`` that ``test_pairing.py`` leaves open (found by
mutation testing, ``scripts/mutation``).
"""

from __future__ import annotations

import itertools
import random

import pytest

from councillor_hub.cohort.pairing import assign, suggest_pairs

from .test_pairing import loads, person


def test_one_accepted_pair_counts_as_one_councillor_when_balancing() -> None:
    # Mina already mentors C1; Omar offers the help everyone asks for. Balanced means 2 and 2, so
    # Mina still takes one of the three new councillors, however much they would rather have Omar.
    mina, omar = person(10, "mentor", "Mina"), person(11, "mentor", "Omar", "Short videos")
    councillors = [person(i, "councillor", f"C{i}", "Short videos") for i in range(1, 5)]
    fixed = {1: mina.id}
    suggestions = suggest_pairs(councillors, [mina, omar], fixed)
    assert loads(suggestions, fixed, [mina, omar]) == [2, 2]


def test_no_amount_of_matched_help_outweighs_balance() -> None:
    # One new councillor, asking for two kinds of help that only Mina offers; Mina already has one.
    mina = person(10, "mentor", "Mina", "Short videos", "Photos and alt text")
    omar = person(11, "mentor", "Omar")
    fixed = {1: mina.id}
    councillors = [person(1, "councillor", "C1"), person(2, "councillor", "C2", "Short videos", "Photos and alt text")]
    (suggestion,) = suggest_pairs(councillors, [mina, omar], fixed)
    assert (suggestion.councillor.name, suggestion.mentor.name, suggestion.matched) == ("C2", "Omar", ())


def test_more_councillors_than_places_is_refused() -> None:
    with pytest.raises(ValueError, match="^more rows than columns$"):
        assign([[1], [2]])


@pytest.mark.parametrize("seed", range(8))
def test_the_assignment_is_the_cheapest_when_every_column_is_needed(seed: int) -> None:
    # As many councillors as places: the case where every column takes part in the search.
    assert assign([[4, 9], [9, 9]]) == [0, 1]
    rng = random.Random(seed)
    size = rng.randint(2, 5)
    cost = [[rng.randint(0, 9) for _ in range(size)] for _ in range(size)]
    chosen = assign(cost)
    assert sorted(chosen) == list(range(size))
    best = min(sum(cost[r][c] for r, c in enumerate(p)) for p in itertools.permutations(range(size)))
    assert sum(cost[r][c] for r, c in enumerate(chosen)) == best
