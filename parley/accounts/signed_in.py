"""Flask-Login's user loader: a session id is "<user id>:<session version>"."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin
from sqlalchemy import bindparam, select

from parley.db import run_statement
from parley.extensions import db
from parley.models import User

_ACCOUNT = select(User.id, User.name, User.email, User.role, User.session_version).where(
    User.id == bindparam("user_id")
)


@dataclass(frozen=True, eq=False)
class SignedIn(UserMixin):
    """The signed-in account as read once per request; views that change it load the row."""

    id: int
    name: str
    email: str
    role: str
    session_version: int

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


def load_user(session_id: str) -> SignedIn | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    row = run_statement(db.session, _ACCOUNT, user_id=int(user_id)).first()
    if row is None or row.session_version != int(version):
        return None
    return SignedIn(*row)
