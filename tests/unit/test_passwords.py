"""The password rule (app/security/passwords.py): at least 10 characters, letters and digits,
not on the common-password list, not the username."""

from __future__ import annotations

import pytest

from app.security.passwords import COMMON, IS_USERNAME, LETTERS_AND_DIGITS, TOO_SHORT, problems


@pytest.mark.parametrize(
    "password", ["Kinerja2026", "dumai 2026 aman", "dumai1234567890", "ÄÖÜäöü1234"]
)
def test_ten_characters_with_letters_and_digits_pass(password):
    assert problems(password, "admin") == []


def test_the_demo_password_is_too_short_for_a_form():
    assert problems("dumai2026", "admin") == [TOO_SHORT]


@pytest.mark.parametrize("password", ["hanyahurufsaja", "12345678901234", "!!!!!!!!!!!!"])
def test_letters_without_digits_or_digits_without_letters_fail(password):
    assert problems(password, "admin") == [LETTERS_AND_DIGITS]


def test_the_username_in_any_case_fails():
    assert problems("Operator2026", "operator2026") == [IS_USERNAME]


def test_every_broken_rule_is_named():
    assert problems("abc", "abc") == [TOO_SHORT, LETTERS_AND_DIGITS, COMMON, IS_USERNAME]


def test_a_long_password_on_the_common_list_fails():
    assert problems("1234567890a", "admin") == [COMMON]


def test_no_username_known_checks_the_rest():
    assert problems("Kinerja2026", None) == []
