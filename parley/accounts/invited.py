"""Accounts made for someone by a roster import: a learner with no password until they
choose one through their invitation link.

Such an account's password hash reads like any other ("<method>$<salt>$<hash>", the site's
hash method) but its salt starts with "invited." (Werkzeug's salts are letters and digits
only) and its hash is random bytes, the hash of no known password: check_password_hash works
as long for it as for a real one and answers False for every password, so logging in fails
with the usual message, in the usual time. Being random, it gives every invited account its
own reset-token fingerprint (accounts/reset.py); choosing a password replaces it, which voids
every invitation and reset link made before.
"""

from __future__ import annotations

import secrets

from parley.accounts.users import DEFAULT_HASH, normalise_email
from parley.models import User

NO_PASSWORD_SALT = "invited."


def no_password_hash(hash_method: str = DEFAULT_HASH) -> str:
    """A password hash no password matches, different for every account."""
    return f"{hash_method}${NO_PASSWORD_SALT}{secrets.token_hex(8)}${secrets.token_hex(32)}"


def has_password(user: User) -> bool:
    """Whether the account has ever chosen a password (an invited one has not, yet)."""
    parts = user.password_hash.split("$")
    return not (len(parts) == 3 and parts[1].startswith(NO_PASSWORD_SALT))


def invited_user(*, email: str, name: str, hash_method: str = DEFAULT_HASH) -> User:
    """A new learner account with no password yet, for the caller to add (many at once are
    flushed in one statement); the caller has checked the e-mail is free."""
    return User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=no_password_hash(hash_method),
        role="learner",
    )
