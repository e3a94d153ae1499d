"""'Where do I start?': a councillor answers by keyboard and is sent to a persona's pathway."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from councillor_hub.models import StartQuiz
from councillor_hub.toolkit import Toolkit

pytestmark = pytest.mark.browser


def expected_persona(quiz: StartQuiz, choices: list[int], order: list[str]) -> str:
    """The routing rule, stated independently of the page's script: most points, ties to the earlier persona."""
    scores = dict.fromkeys(order, 0)
    for question, choice in zip(quiz.questions, choices, strict=True):
        for persona, points in question.options[choice].points.items():
            scores[persona] += points
    return max(order, key=lambda persona: (scores[persona], -order.index(persona)))


def persona_order(page: Page) -> list[str]:
    return page.locator("[data-persona]").evaluate_all("els => els.map(e => e.dataset.persona)")


def answer_by_keyboard(page: Page, choices: list[int]) -> None:
    """Tab into each radio group and choose with Space or the arrow keys, as a keyboard user does."""
    page.locator("form[data-hub-quiz] input[type=radio]").first.focus()
    for number, choice in enumerate(choices):
        if number:
            page.keyboard.press("Tab")
        if choice == 0:
            page.keyboard.press("Space")
        for _ in range(choice):
            page.keyboard.press("ArrowDown")


def test_answering_by_keyboard_points_to_a_pathway_and_is_remembered(page: Page, kit: Toolkit) -> None:
    assert kit.one("quiz") is not None
    quiz = kit.one("quiz")
    page.goto("start/")
    order = persona_order(page)
    target = order[-1]
    # Steer towards the last persona on the page: it can only win on points, never on a tie.
    choices = [
        max(range(len(q.options)), key=lambda i, q=q: (q.options[i].points.get(target, 0), -i)) for q in quiz.questions
    ]
    expected = expected_persona(quiz, choices, order)
    name = next(p.name for p in kit.items("persona") if p.id == expected)

    answer_by_keyboard(page, choices)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show my starting point")).to_be_focused()
    page.keyboard.press("Enter")

    result = page.locator(".hub-quiz__result")
    expect(result).to_have_attribute("role", "status")
    expect(result).to_contain_text(f"Your starting point: {name}")
    link = result.get_by_role("link", name=name)
    expect(link).to_have_attribute("href", f"{expected}/")

    page.reload()
    expect(result).to_contain_text(f"Last time, your answers pointed to: {name}")
    checked = page.locator("form[data-hub-quiz] input:checked")
    expect(checked).to_have_count(len(quiz.questions))

    result.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(rf"/start/{expected}/$"))
    expect(page.locator("h1")).to_contain_text(name)


def test_missing_answers_are_named_and_focus_goes_to_the_first(page: Page, kit: Toolkit) -> None:
    assert kit.one("quiz") is not None
    page.goto("start/")
    answer_by_keyboard(page, [0])
    page.get_by_role("button", name="Show my starting point").click()
    count = len(kit.one("quiz").questions)
    missing = ", ".join(str(n) for n in range(2, count + 1))
    expect(page.locator(".hub-quiz__result")).to_contain_text(f"Still to answer: questions {missing}.")
    second = kit.one("quiz").questions[1]
    expect(page.locator(f"#q-{second.id} input").first).to_be_focused()


def test_start_again_forgets_the_result(page: Page, kit: Toolkit) -> None:
    assert kit.one("quiz") is not None
    page.goto("start/")
    answer_by_keyboard(page, [0] * len(kit.one("quiz").questions))
    page.get_by_role("button", name="Show my starting point").click()
    expect(page.locator(".hub-quiz__result")).to_contain_text("Your starting point:")
    page.get_by_role("button", name="Start again").click()
    expect(page.locator(".hub-quiz__result")).to_have_text("Your answers have been cleared.")
    page.reload()
    expect(page.locator("form[data-hub-quiz] input:checked")).to_have_count(0)
    expect(page.locator(".hub-quiz__result")).to_be_empty()


@pytest.mark.parametrize(
    ("answers", "order", "winner"),
    [
        ([{"a": 2}, {"b": 1}], ["a", "b"], "a"),
        ([{"a": 1}, {"b": 1}], ["b", "a"], "b"),  # a tie goes to the persona earlier on the page
        ([{"a": 1, "b": 1}, {"c": 3}], ["a", "b", "c"], "c"),
        ([{"unknown": 5}, {"b": 1}], ["a", "b"], "b"),  # points for a persona not on the page are ignored
    ],
)
def test_scoring_rule(page: Page, answers: list[dict[str, int]], order: list[str], winner: str) -> None:
    page.goto("start/")
    result = page.evaluate("([a, o]) => CouncillorHub.scoreQuiz(a, o).persona", [answers, order])
    assert result == winner
