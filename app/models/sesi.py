"""Signing in and out: each account's session version, and the record of logins.

``sesi_pengguna.versi`` is the generation of an account's sessions: every browser session
and every token carries the version it was issued under, and a request whose version is not
the account's current one is refused. Raising it (logout, a new password, deactivation, a
change of roles) ends them all at once (app.security.sesi).

``catatan_masuk`` is the record of sign-ins, failures, lock-outs, sign-outs and password
changes, and of wrong current passwords on the password form (OWASP ASVS V7). It is also
what per-account lock-out counts, so the count is shared by every worker. Written by Core
statements, outside the audit hook: an event of an account, not a change of data.
"""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import N_

# What happened (msgids: the admin's list shows them translated).
MASUK = "masuk"
GAGAL = "gagal"
TERKUNCI = "terkunci"
KELUAR = "keluar"
GANTI_SANDI = "ganti_sandi"
RESET_SANDI = "reset_sandi"
SANDI_SALAH = "sandi_salah"
PERISTIWA = {
    MASUK: N_("Signed in"),
    GAGAL: N_("Failed sign-in"),
    TERKUNCI: N_("Locked out"),
    KELUAR: N_("Signed out"),
    GANTI_SANDI: N_("Changed own password"),
    RESET_SANDI: N_("Password reset by admin"),
    SANDI_SALAH: N_("Wrong current password on password change"),
}
# Through which door.
HALAMAN = "halaman"
API = "api"


class SesiPengguna(Model):
    __tablename__ = "sesi_pengguna"

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True
    )
    versi: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class CatatanMasuk(Model):
    __tablename__ = "catatan_masuk"
    __table_args__ = (
        # Lock-out counts one account's recent failures on every attempt: by the account,
        # or by the name typed when it names none.
        Index("ix_catatan_masuk_user_id_waktu", "user_id", "waktu"),
        Index("ix_catatan_masuk_username_waktu", "username", "waktu"),
        Index("ix_catatan_masuk_waktu", "waktu"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    waktu: Mapped[datetime] = mapped_column(DateTime, nullable=False)  # UTC
    # As typed (lower-cased): a failed attempt may name no account at all.
    username: Mapped[str] = mapped_column(String(256), nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("ab_user.id", ondelete="SET NULL")
    )
    peristiwa: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    kanal: Mapped[str] = mapped_column(String(10), nullable=False)
    ip: Mapped[str | None] = mapped_column(String(45))
    # Who did it when it was not the account's owner (an admin resetting a password).
    oleh: Mapped[str | None] = mapped_column(String(256))

    def __str__(self) -> str:
        return f"{self.username} {self.peristiwa} {self.waktu:%Y-%m-%d %H:%M}"


# Sign-in finds the account by its name case-insensitively (FAB's AUTH_USERNAME_CI): without
# an index of the lowered name PostgreSQL read every account, twice per sign-in.
Index("ix_ab_user_username_lower", func.lower(User.__table__.c.username))
