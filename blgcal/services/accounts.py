"""Accounts: create, authenticate, change passwords, end sessions, reset links."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from blgcal.domain.permissions import Role
from blgcal.models import User, UserBody

MIN_PASSWORD = 12
RESET_SALT = "blgcal-password-reset"
DEVICE_SALT = "blgcal-device"
# Checked against when the email is unknown, so both answers cost the same.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about an account that cannot be honoured; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """The address normalised, or :class:`AccountError` saying what is wrong with it.

    One rule for the admin form and the CLI. Syntax only: intranet names
    (``ops@intranet``) and special-use domains (``.test``) are accepted, since
    staff accounts live on such relays and nothing is delivered to check.
    """
    email = normalise_email(email)
    if len(email) > 254:
        raise AccountError(f"{email[:40]!r}... is longer than 254 characters")
    try:
        validate_email(email, check_deliverability=False, globally_deliverable=False,
                       test_environment=True)
    except EmailNotValidError as exc:
        raise AccountError(f"{email!r} is not an email address: {exc}") from None
    return email


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")


def create_user(session: Session, email: str, *, role: Role, bodies: Collection[str] = (),
                now: datetime, password: str | None = None, name: str = "",
                hash_method: str = "scrypt") -> User:
    """Add an account; editors need at least one body.

    :param hash_method: werkzeug's hashing method; tests pass a cheap one.
    """
    email = check_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"an account for {email} exists already")
    if role is Role.EDITOR and not bodies:
        raise AccountError("an editor needs at least one body (--body SLUG)")
    user = User(email=email, name=name, role=role, active=True, created_dt=now,
                session_token=secrets.token_hex(16),
                body_rows=[UserBody(body_slug=slug) for slug in sorted(set(bodies))])
    if password is not None:
        check_password_rules(password)
        user.password_hash = generate_password_hash(password, method=hash_method)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this email and password, or None (same cost either way)."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    matches = check_password_hash(stored, password)
    if user is None or not user.password_hash or not matches or not user.active:
        return None
    return user


def user_by_session_id(session: Session, alternative_id: str) -> User | None:
    """Flask-Login's loader: ``<id>:<session token>``; a replaced token ends the session."""
    user_id, _, token = alternative_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or not token:
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session of *user* (sign-out everywhere)."""
    user.session_token = secrets.token_hex(16)


def set_password(user: User, password: str) -> None:
    """Store a new password hash and end the account's other sessions."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    end_sessions(user)


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user)


def set_role(user: User, role: Role, bodies: Collection[str]) -> None:
    if role is Role.EDITOR and not bodies:
        raise AccountError("an editor needs at least one body")
    user.role = role
    user.body_rows = [UserBody(body_slug=slug) for slug in sorted(set(bodies))]


def reset_token(user: User, secret_key: str) -> str:
    """A signed token that sets this user's password once: any password change,
    sign-out or deactivation changes the session token and so voids it."""
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT).dumps(
        [user.id, user.session_token])


def user_for_reset(session: Session, token: str, secret_key: str, *,
                   max_age_seconds: int) -> User | None:
    try:
        user_id, session_token = URLSafeTimedSerializer(secret_key, salt=RESET_SALT).loads(
            token, max_age=max_age_seconds)
    except (BadSignature, ValueError, TypeError):
        return None
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or not isinstance(session_token, str):
        return None
    return user if secrets.compare_digest(user.session_token, session_token) else None


def device_token(user: User, secret_key: str) -> str:
    """A signed token naming a browser *user* signed in from: their id and a fresh nonce.

    Signed with the password hash in the salt, so a new password voids every
    device token issued before it.
    """
    return _device_serializer(user, secret_key).dumps([user.id, secrets.token_urlsafe(16)])


def device_nonce(user: User, token: str, secret_key: str, *, max_age_seconds: int) -> str | None:
    """The nonce of *token* if it is an unexpired device token of *user* (active), else None."""
    if not user.active or not user.password_hash:
        return None
    try:
        user_id, nonce = _device_serializer(user, secret_key).loads(token, max_age=max_age_seconds)
    except (BadSignature, ValueError, TypeError):
        return None
    return nonce if user_id == user.id and isinstance(nonce, str) else None


def _device_serializer(user: User, secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"{DEVICE_SALT}:{user.password_hash}")


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(func.lower(User.email))))


def by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))
