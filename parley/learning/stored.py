"""What an attempt stores of each question and its grade, so a review never needs the content."""

from __future__ import annotations

from typing import Any

from parley.grading import Question, QuestionResult, Response, RuleBook, kind_of


def question_snapshot(question: Question, book: RuleBook) -> dict[str, Any]:
    """What the learner saw of a question, enough to show a review without the content file."""
    kind = kind_of(question.kind)
    return {
        **kind.snapshot_extra(question, book),
        "id": question.id,
        "kind": question.kind,
        "objectives": list(question.objectives),
        "scenario_html": question.scenario_html,
        "prompt": question.prompt,
        "options": [{"id": o.strategy_id, "label": o.label} for o in question.options],
        "steps": [
            {
                "id": s.id,
                "situation_html": s.situation_html,
                "prompt": s.prompt,
                "options": [
                    {"id": o.strategy_id, "label": o.label, "next": o.next_step} for o in s.options
                ],
            }
            for s in question.steps
        ],
    }


def result_record(result: QuestionResult, lesson_titles: dict[str, str]) -> dict[str, Any]:
    """The graded result as stored, so later content edits never rewrite a review."""
    return {
        "summary": result.summary,
        "key": list(result.key),
        "verdicts": [
            {
                "option": v.strategy_id,
                "label": v.label,
                "chosen": v.chosen,
                "verdict": v.verdict,
                "rule": v.rule_id,
                "rule_title": v.rule_title,
                "reason": v.reason,
                "note": v.note,
                "step": v.step_id,
                "lesson": v.teaches.lesson_id,
                "anchor": v.teaches.anchor,
                "lesson_title": lesson_titles.get(v.teaches.lesson_id, v.teaches.lesson_id),
            }
            for v in result.verdicts
        ],
    }


def stored_answer(
    question: Question, response: Response, result: QuestionResult, lesson_titles: dict[str, str]
) -> dict[str, Any]:
    """The answer row's columns that come from the question, the response and its grade."""
    return {
        "response": kind_of(question.kind).stored_response(response),
        "confidence": response.confidence,
        "score": result.score,
        "correct": result.correct,
        "result": result_record(result, lesson_titles),
    }
