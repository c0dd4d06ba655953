from parley.web.instructor import (  # noqa: F401  (add their views to the blueprint)
    cohort_deletion,
    roster,
)
from parley.web.instructor.routes import blueprint

__all__ = ["blueprint"]
