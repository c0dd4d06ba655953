"""Fill a quiz in the browser with the rule book's answers (or a wrong one), like a learner."""

from __future__ import annotations

from parley.grading import derive


def _option_input(page, name: str, value: str):
    return page.locator(f'input[name="{name}"][value="{value}"]')


def answer_quiz(page, quiz, book, wrong: int = 0, keyboard: bool = False) -> None:
    """Answer every question on the open quiz page (the first `wrong` best-move ones wrongly)."""
    made_wrong = 0
    for question in quiz.questions:
        key = derive(book, question)
        name = f"q-{question.id}"
        if question.kind == "best":
            choice = key.answer[0]
            if made_wrong < wrong:
                choice = next(o.strategy_id for o in question.options if o.strategy_id != choice)
                made_wrong += 1
            _choose(page, _option_input(page, name, choice), keyboard)
        elif question.kind == "all-that-apply":
            for strategy_id in key.answer:
                _choose(page, _option_input(page, name, strategy_id), keyboard)
        elif question.kind == "commit-or-walk":
            _choose(page, _option_input(page, f"{name}-decision", key.answer[0]), keyboard)
            if key.answer[0] == "walk":
                _choose(page, _option_input(page, f"{name}-reason", key.answer[1]), keyboard)
        elif question.kind == "order":
            for position, strategy_id in enumerate(key.answer, start=1):
                page.select_option(f"#{name}-{strategy_id}", str(position))
        else:
            step = question.steps[0]
            for choice in key.answer:
                _choose(page, _option_input(page, f"{name}-{step.id}", choice), keyboard)
                option = next(o for o in step.options if o.strategy_id == choice)
                if option.next_step is None:
                    break
                page.locator(f'button[name="advance"][value="{question.id}"]').click()
                step = question.step(option.next_step)
    page.get_by_role("button", name="Submit answers").click()


def _choose(page, locator, keyboard: bool) -> None:
    if keyboard:
        locator.focus()
        locator.press("Space")
    else:
        locator.check()
