"""The password policy, in one place so that every account kind applies the same rule."""

from __future__ import annotations

from app.errors import Invalid


class WeakPassword(Invalid):
    code = "WEAK_PASSWORD"


def check_password(password: str, *, min_length: int, email: str | None = None) -> None:
    """Length is what resists guessing; the other checks refuse the obvious choices."""
    if len(password) < min_length:
        raise WeakPassword(f"Passwords need at least {min_length} characters", field="password")
    if len(set(password)) < 4:
        raise WeakPassword("The password repeats too few characters", field="password")
    if email and password.strip().lower() in {email.lower(), email.split("@")[0].lower()}:
        raise WeakPassword("The password must not be the email address", field="password")
