"""Flask-Login's user loader: a session id is "<user id>:<session version>"."""

from parley.extensions import db
from parley.models import User


def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user
