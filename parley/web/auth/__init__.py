# Each module imported here adds its views to the auth blueprint: account deletion, e-mail
# confirmation, reminder opt-out and unsubscribe, password reset.
from parley.web.auth import deletion, email, reminders, reset  # noqa: F401
from parley.web.auth.routes import blueprint

__all__ = ["blueprint"]
