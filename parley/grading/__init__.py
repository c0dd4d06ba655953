"""The rule engine and grading: pure Python, imports neither Flask nor SQLAlchemy."""

from parley.grading.derive import DerivationError, Key
from parley.grading.kinds import KINDS, ResponseError, derive, grade, kind_of
from parley.grading.model import (
    CONFIDENCES,
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
    "kind_of",
]
