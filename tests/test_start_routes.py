"""'Where do I start?' sends typical councillors where a facilitator would put them.

Each case below is a realistic set of answers for one kind of councillor. The scores are
computed exactly as docs/assets/hub/start-quiz.js does: add up each chosen answer's points per
persona; the highest total wins, and a tie goes to the persona listed first on the page
(personas in their `order`). We also require a clear winner, with no tie at the top, so the
result never depends on page order.
"""

from __future__ import annotations

import pytest

from councillor_hub.toolkit import Toolkit


@pytest.fixture(scope="module")
def toolkit(upstream_kit: Toolkit) -> Toolkit:
    return upstream_kit


def scores_for(kit: Toolkit, answers: dict[str, str]) -> dict[str, int]:
    """Each persona's total for these answers, as start-quiz.js adds them up."""
    quiz = kit.one("quiz")
    assert quiz is not None
    order = [p.id for p in kit.items("persona")]
    scores = dict.fromkeys(order, 0)
    questions = {q.id: q for q in quiz.questions}
    assert set(answers) == set(questions), "a case must answer every question, and only those"
    for question_id, option_id in answers.items():
        options = {o.id: o for o in questions[question_id].options}
        assert option_id in options, f"{question_id} has no answer {option_id!r}"
        for persona, points in options[option_id].points.items():
            if persona in scores:
                scores[persona] += points
    return scores


def winner(kit: Toolkit, scores: dict[str, int]) -> str | None:
    """start-quiz.js: the highest score above zero; on a tie, the persona earlier in the order."""
    best = None
    for persona in (p.id for p in kit.items("persona")):
        if scores[persona] > 0 and (best is None or scores[persona] > scores[best]):
            best = persona
    return best


CASES = {
    "long-serving sceptic": (
        "perpetual-sceptic",
        {
            "feel-about-posting": "not-convinced",
            "time-as-councillor": "longer",
            "phone-habits": "calls-and-email",
            "criticism-online": "leave-it",
            "most-helpful": "evidence",
            "colleagues-see-you": "hard-questions",
        },
    ),
    "cautious councillor in their second term": (
        "curious-but-cautious",
        {
            "feel-about-posting": "keen-but-worried",
            "time-as-councillor": "one-to-four-years",
            "phone-habits": "read-not-post",
            "criticism-online": "unsure-what-allowed",
            "most-helpful": "safe-start",
            "colleagues-see-you": "keen-to-learn",
        },
    ),
    "cautious, newly elected 60-year-old who wants to know the rules": (
        "curious-but-cautious",
        {
            "feel-about-posting": "keen-but-worried",
            "time-as-councillor": "under-a-year",
            "phone-habits": "read-not-post",
            "criticism-online": "unsure-what-allowed",
            "most-helpful": "know-the-rules",
            "colleagues-see-you": "newer-face",
        },
    ),
    "cautious, newly elected 60-year-old who mostly phones and emails": (
        "curious-but-cautious",
        {
            "feel-about-posting": "keen-but-worried",
            "time-as-councillor": "under-a-year",
            "phone-habits": "calls-and-email",
            "criticism-online": "unsure-what-allowed",
            "most-helpful": "safe-start",
            "colleagues-see-you": "newer-face",
        },
    ),
    "cautious, newly elected 60-year-old who stays out of online rows": (
        "curious-but-cautious",
        {
            "feel-about-posting": "keen-but-worried",
            "time-as-councillor": "under-a-year",
            "phone-habits": "calls-and-email",
            "criticism-online": "leave-it",
            "most-helpful": "know-the-rules",
            "colleagues-see-you": "newer-face",
        },
    ),
    "enthusiast who helps colleagues": (
        "enthusiast",
        {
            "feel-about-posting": "enjoy-it",
            "time-as-councillor": "one-to-four-years",
            "phone-habits": "post-weekly",
            "criticism-online": "reply-with-facts",
            "most-helpful": "reach-more",
            "colleagues-see-you": "go-to-helper",
        },
    ),
    "long-serving councillor who lives on their phone": (
        "enthusiast",
        {
            "feel-about-posting": "just-normal",
            "time-as-councillor": "longer",
            "phone-habits": "many-apps",
            "criticism-online": "reply-fast",
            "most-helpful": "reach-more",
            "colleagues-see-you": "go-to-helper",
        },
    ),
    "newly elected, online all day": (
        "next-generation",
        {
            "feel-about-posting": "just-normal",
            "time-as-councillor": "under-a-year",
            "phone-habits": "many-apps",
            "criticism-online": "reply-fast",
            "most-helpful": "know-the-rules",
            "colleagues-see-you": "newer-face",
        },
    ),
    "newly elected, online all day, who replies with facts": (
        "next-generation",
        {
            "feel-about-posting": "just-normal",
            "time-as-councillor": "under-a-year",
            "phone-habits": "many-apps",
            "criticism-online": "reply-with-facts",
            "most-helpful": "know-the-rules",
            "colleagues-see-you": "newer-face",
        },
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_typical_answers_lead_to_the_persona_a_facilitator_would_choose(toolkit: Toolkit, case: str) -> None:
    expected, answers = CASES[case]
    scores = scores_for(toolkit, answers)
    assert winner(toolkit, scores) == expected, scores
    top = sorted(scores.values(), reverse=True)
    assert top[0] > top[1], f"tie at the top: {scores}"


def test_being_newly_elected_alone_does_not_choose_a_route(toolkit: Toolkit) -> None:
    """The 'newness' answers favour cautious and next generation equally; habits decide."""
    assert toolkit.one("quiz") is not None
    newness = {("time-as-councillor", "under-a-year"), ("most-helpful", "know-the-rules"),
               ("colleagues-see-you", "newer-face")}  # fmt: skip
    for question in toolkit.one("quiz").questions:
        for option in question.options:
            if (question.id, option.id) in newness:
                assert option.points.get("next-generation", 0) == option.points.get("curious-but-cautious", 0), (
                    question.id,
                    option.id,
                )
