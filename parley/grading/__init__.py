"""The rule engine and grading: pure Python, imports neither Flask nor SQLAlchemy."""

from parley.grading.derive import DerivationError, Key, derive
from parley.grading.kinds import GRADERS, ResponseError
from parley.grading.model import (
    CONFIDENCES,
    KINDS,
    Condition,
    Fact,
    LessonRef,
    Option,
    OptionVerdict,
    Question,
    QuestionResult,
    Response,
    Rule,
    RuleBook,
    Sequence,
    Step,
    Strategy,
)


def grade(book: RuleBook, question: Question, response: Response) -> QuestionResult:
    """Grade one response; raise ResponseError if it does not fit the question."""
    key = derive(book, question)
    return GRADERS[question.kind](book, question, key, response)


__all__ = [
    "CONFIDENCES",
    "KINDS",
    "Condition",
    "DerivationError",
    "Fact",
    "Key",
    "LessonRef",
    "Option",
    "OptionVerdict",
    "Question",
    "QuestionResult",
    "Response",
    "ResponseError",
    "Rule",
    "RuleBook",
    "Sequence",
    "Step",
    "Strategy",
    "derive",
    "grade",
]
