"""Where to send someone after login without opening a redirect to other sites."""

from urllib.parse import urlsplit


def is_safe_local_path(target: str | None) -> bool:
    """Accept only a path on this site, like /courses/x?y=1."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
