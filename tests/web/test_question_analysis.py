"""Question analysis names each question by what it asks (the scenario's first sentence and
the prompt), with its id kept small for authors."""

import pytest

from parley.cohorts.readiness import first_sentence
from tests.factories import (
    RIGHT_ANSWERS,
    assign_on_the_web,
    create_cohort_on_the_web,
    join_by_link,
    signed_in,
    submit_quiz,
    texts,
)


def test_question_analysis_shows_what_each_question_asks(quiz_app):
    trainer = signed_in(quiz_app, "trainer@example.com", name="Tess Trainer", role="instructor")
    cohort_id, link, _ = create_cohort_on_the_web(trainer)
    assign_on_the_web(trainer, cohort_id)
    ana = signed_in(quiz_app, "ana@example.com", name="Ana A")
    join_by_link(ana, link)
    submit_quiz(ana, RIGHT_ANSWERS)
    page = trainer.get(f"/instructor/cohorts/{cohort_id}/questions").text
    assert texts(page, "td.question-cell")[:3] == [
        # The author's prompt after the scenario's first sentence.
        "Priya's colleague insulted Tom's team. What should Priya do first? Question 1 · demo-best",
        # No prompt written: the question the quiz page asks for this kind.
        "Only price is left, and a new service tier could be offered. "
        "Which of these fit the situation? Choose all that apply. Question 2 · demo-all",
        "They changed the price after you signed the letter of intent. "
        "Should they commit to the agreement or walk away? If walking away, why? "
        "Question 3 · demo-commit",
    ]
    # The whole first sentence is in the page and its title, however narrow the column shows it.
    assert 'title="Priya&#39;s colleague insulted Tom&#39;s team."' in page
    assert texts(page, "td.question-cell code")[:2] == ["demo-best", "demo-all"]


@pytest.mark.parametrize(
    ("scenario_html", "sentence"),
    [
        (
            "<p>Priya's colleague insulted Tom's team. Tom ended the call.</p>",
            "Priya's colleague insulted Tom's team.",
        ),
        (
            "<p>Dr. Ana Ruiz runs a <em>clinic</em> &amp; a lab. She is busy.</p>",
            "Dr. Ana Ruiz runs a clinic & a lab.",
        ),
        ('<p>Tom said: "We are done here." He left.</p>', 'Tom said: "We are done here."'),
        ("<p>Is this the last offer? Nobody knows.</p>", "Is this the last offer?"),
        ("<p>No full stop at all</p>", "No full stop at all"),
        (
            "<p>Two lines\nof one sentence.</p>\n<p>A second paragraph.</p>",
            "Two lines of one sentence.",
        ),
    ],
)
def test_first_sentence_is_plain_text_on_one_line(scenario_html, sentence):
    assert first_sentence(scenario_html) == sentence
