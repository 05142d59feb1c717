"""People who sign in, and the bodies an editor keeps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blgcal.domain.permissions import Principal, Role
from blgcal.models.base import Base, UTCDateTime


class UserBody(Base):
    __tablename__ = "user_body"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         primary_key=True)
    body_slug: Mapped[str] = mapped_column(ForeignKey("body.slug"), primary_key=True)


class User(Base):
    """An account. ``session_token`` is Flask-Login's alternative id: replacing
    it ends every session the account has (sign-out, new password, deactivation)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[Role] = mapped_column(Enum(
        Role, name="user_role", native_enum=False, length=16, create_constraint=True,
        values_callable=lambda members: [m.value for m in members]))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_token: Mapped[str] = mapped_column(String(64))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    body_rows: Mapped[list[UserBody]] = relationship(cascade="all, delete-orphan",
                                                     lazy="selectin")

    @property
    def bodies(self) -> frozenset[str]:
        return frozenset(row.body_slug for row in self.body_rows)

    @property
    def principal(self) -> Principal:
        return Principal(self.role, self.bodies)

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"
