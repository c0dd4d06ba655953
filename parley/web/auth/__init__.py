from parley.web.auth import reset  # noqa: F401  (adds the password-reset views)
from parley.web.auth.routes import blueprint

__all__ = ["blueprint"]
