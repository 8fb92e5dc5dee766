"""NIP rules (DOMAIN.md, Master data): `YYYYMMDD YYYYMM G NNN` for PNS, 18 digits for PPPK."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.domain.errors import InvalidNip
from app.domain.nip import check_consistency, parse_nip

TODAY = date(2026, 6, 1)
VALID = "199001012015031001"  # born 1 Jan 1990, TMT CPNS March 2015, pria, urut 001


def refused(raw: str, jenis_asn: str = "pns") -> str:
    """The (English, untranslated) reason a NIP is refused."""
    with pytest.raises(InvalidNip) as caught:
        parse_nip(raw, jenis_asn, today=TODAY)
    assert caught.value.field == "nip"
    return str(caught.value)


def test_valid_pns_nip_parses_into_its_parts():
    nip = parse_nip(VALID, today=TODAY)
    assert nip.value == VALID
    assert nip.tanggal_lahir == date(1990, 1, 1)
    assert nip.tmt_cpns == date(2015, 3, 1)
    assert nip.jenis_kelamin == "1"
    assert nip.urut == 1


def test_nip_written_with_separating_spaces_is_accepted():
    assert parse_nip("19900101 201503 1 001", today=TODAY).value == VALID


@pytest.mark.parametrize("raw", ["19900101201503100", "1990010120150310011"])
def test_pns_nip_of_wrong_length_is_refused(raw):
    assert "18 digits long" in refused(raw)


@pytest.mark.parametrize("raw", ["19900101201503100A", "1990-01-01-2015031", "١٩٩٠٠١٠١٢٠١٥٠٣١٠٠١"])
def test_pns_nip_with_a_non_digit_is_refused(raw):
    assert "digits only" in refused(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "199013012015031001",  # month 13
        "199002302015031001",  # 30 February
        "189912312015031001",  # before 1900
        "202701012045031001",  # born after today
    ],
)
def test_pns_nip_with_an_invalid_birth_date_is_refused(raw):
    assert "birth date" in refused(raw)


@pytest.mark.parametrize("raw", ["199001012015001001", "199001012015131001"])
def test_pns_nip_with_an_invalid_tmt_month_is_refused(raw):
    assert "TMT CPNS (YYYYMM)" in refused(raw)


def test_pns_nip_with_tmt_before_the_age_of_18_is_refused():
    assert "age of 18" in refused("199005152008041001")  # April 2008: still 17


def test_pns_nip_with_tmt_in_the_month_of_the_18th_birthday_is_accepted():
    assert parse_nip("199005152008051001", today=TODAY).tmt_cpns == date(2008, 5, 1)


def test_pns_nip_with_tmt_after_next_year_is_refused():
    assert "future" in refused("199001012028011001")


def test_pns_nip_with_tmt_next_year_is_accepted():
    # a formation announced for next year already has its NIP
    assert parse_nip("199001012027121001", today=TODAY).tmt_cpns == date(2027, 12, 1)


@pytest.mark.parametrize("gender", ["0", "3", "9"])
def test_pns_nip_with_a_gender_digit_other_than_1_or_2_is_refused(gender):
    assert "gender" in refused(f"19900101201503{gender}001")


def test_pns_nip_with_sequence_000_is_refused():
    assert "001–999" in refused("199001012015031000")


@pytest.mark.parametrize("urut", ["001", "999"])
def test_pns_nip_sequence_bounds_are_accepted(urut):
    assert parse_nip(f"199001012015032{urut}", today=TODAY).urut == int(urut)


@pytest.mark.parametrize("jenis_asn", ["pppk", "pppk_paruh_waktu"])
@pytest.mark.parametrize("raw", ["000000000000000000", "999999999999999999", "202113302999990000"])
def test_pppk_accepts_any_18_digits(jenis_asn, raw):
    nip = parse_nip(raw, jenis_asn, today=TODAY)
    assert nip.value == raw
    assert nip.tanggal_lahir is None


@pytest.mark.parametrize("raw", ["12345678901234567", "1234567890123456789", "12345678901234567X"])
def test_pppk_refuses_anything_but_18_digits(raw):
    refused(raw, "pppk")


def test_cpns_nip_is_checked_like_a_pns_nip():
    refused("199001012015031000", "cpns")


def test_birth_date_and_gender_matching_the_nip_are_consistent():
    check_consistency(parse_nip(VALID, today=TODAY), date(1990, 1, 1), "1")


def test_birth_date_other_than_the_nip_is_inconsistent():
    with pytest.raises(InvalidNip) as caught:
        check_consistency(parse_nip(VALID, today=TODAY), date(1990, 1, 2), "1")
    assert caught.value.field == "tanggal_lahir"
    assert caught.value.params == {"nip_date": "1990-01-01"}


def test_gender_other_than_the_nip_is_inconsistent():
    with pytest.raises(InvalidNip) as caught:
        check_consistency(parse_nip(VALID, today=TODAY), date(1990, 1, 1), "2")
    assert caught.value.field == "jenis_kelamin"


def test_missing_birth_date_and_gender_are_not_inconsistent():
    check_consistency(parse_nip(VALID, today=TODAY), None, None)


def test_pppk_nip_has_nothing_to_be_inconsistent_with():
    check_consistency(parse_nip("000000000000000000", "pppk", today=TODAY), date(1990, 1, 1), "2")


@st.composite
def pns_nips(draw):  # noqa: ANN001, ANN201
    lahir = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(TODAY.year - 18, 12, 31)))
    earliest = date(lahir.year + 18, lahir.month, 1)
    tmt = draw(st.dates(min_value=earliest, max_value=date(TODAY.year + 1, 12, 31)))
    gender = draw(st.sampled_from("12"))
    urut = draw(st.integers(min_value=1, max_value=999))
    raw = f"{lahir:%Y%m%d}{tmt:%Y%m}{gender}{urut:03d}"
    return raw, lahir, date(tmt.year, tmt.month, 1), gender, urut


@given(pns_nips())
def test_any_valid_pns_nip_parses_back_to_its_parts(case):
    raw, lahir, tmt, gender, urut = case
    nip = parse_nip(raw, today=TODAY)
    assert (nip.value, nip.tanggal_lahir, nip.tmt_cpns, nip.jenis_kelamin, nip.urut) == (
        raw,
        lahir,
        tmt,
        gender,
        urut,
    )


@given(st.text(max_size=25), st.sampled_from(["pns", "cpns", "pppk", "pppk_paruh_waktu"]))
def test_any_string_that_is_not_18_digits_is_refused(raw, jenis_asn):
    # spaces are separators people type ("19900101 201503 1 001"); everything else counts
    compact = raw.strip().replace(" ", "")
    assume(not (len(compact) == 18 and compact.isascii() and compact.isdigit()))
    with pytest.raises(InvalidNip):
        parse_nip(raw, jenis_asn, today=TODAY)
