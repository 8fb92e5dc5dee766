"""NIP: Nomor Induk Pegawai, 18 digits ``YYYYMMDD YYYYMM G NNN`` (BKN).

birth date · TMT CPNS (year, month) · gender (1 pria, 2 wanita) · sequence 001–999.
PPPK carry an 18-digit NI PPPK whose inner structure is not fixed: only length and digits
are checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.enums import N_
from app.domain.errors import InvalidNip

NIP_LENGTH = 18
MINIMUM_AGE_AT_CPNS = 18
PPPK_TYPES = {"pppk", "pppk_paruh_waktu"}


@dataclass(frozen=True)
class Nip:
    value: str
    tanggal_lahir: date | None = None
    tmt_cpns: date | None = None  # first day of the TMT month
    jenis_kelamin: str | None = None  # "1" pria, "2" wanita
    urut: int | None = None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_nip(raw: str, jenis_asn: str = "pns", today: date | None = None) -> Nip:
    """Validate a NIP and return its parts; raise InvalidNip with the reason."""
    value = (raw or "").strip().replace(" ", "")
    if not value.isdigit() or not value.isascii():
        raise InvalidNip(N_("NIP may contain digits only."), field="nip")
    if len(value) != NIP_LENGTH:
        raise InvalidNip(
            N_("NIP must be %(expected)d digits long, not %(actual)d."),
            field="nip",
            expected=NIP_LENGTH,
            actual=len(value),
        )
    if jenis_asn in PPPK_TYPES:
        return Nip(value)

    today = today or date.today()
    lahir = _date_or_none(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    if lahir is None or lahir.year < 1900 or lahir > today:
        raise InvalidNip(
            N_("Digits 1–8 of the NIP are not a valid birth date (YYYYMMDD)."), field="nip"
        )
    tmt = _date_or_none(int(value[8:12]), int(value[12:14]), 1)
    if tmt is None:
        raise InvalidNip(
            N_("Digits 9–14 of the NIP are not a valid TMT CPNS (YYYYMM)."), field="nip"
        )
    if tmt < date(lahir.year + MINIMUM_AGE_AT_CPNS, lahir.month, 1):
        raise InvalidNip(
            N_("TMT CPNS in the NIP is before the age of %(age)d."),
            field="nip",
            age=MINIMUM_AGE_AT_CPNS,
        )
    if tmt > date(today.year + 1, 12, 31):
        raise InvalidNip(N_("TMT CPNS in the NIP lies in the future."), field="nip")
    gender = value[14]
    if gender not in ("1", "2"):
        raise InvalidNip(
            N_("Digit 15 of the NIP (gender) must be 1 (male) or 2 (female)."), field="nip"
        )
    urut = int(value[15:18])
    if urut == 0:
        raise InvalidNip(
            N_("The last 3 digits of the NIP (sequence) must be 001–999."), field="nip"
        )
    return Nip(value, lahir, tmt, gender, urut)


def check_consistency(nip: Nip, tanggal_lahir: date | None, jenis_kelamin: str | None) -> None:
    """The birth date and gender typed in must agree with those encoded in the NIP."""
    if nip.tanggal_lahir and tanggal_lahir and nip.tanggal_lahir != tanggal_lahir:
        raise InvalidNip(
            N_("Birth date does not match the NIP (%(nip_date)s)."),
            field="tanggal_lahir",
            nip_date=nip.tanggal_lahir.isoformat(),
        )
    if nip.jenis_kelamin and jenis_kelamin and nip.jenis_kelamin != jenis_kelamin:
        raise InvalidNip(N_("Gender does not match digit 15 of the NIP."), field="jenis_kelamin")
