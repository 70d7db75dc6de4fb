"""Checksum validators: ID numbers, bank cards and credit codes."""

import pytest

from engine.deid import checks, deidentify


@pytest.mark.parametrize("number", ["11010519491231002X", "370902198803152115", "37132319991201252X"])
def test_valid_id_numbers(number):
    assert checks.is_id_card(number)


@pytest.mark.parametrize("number", [
    "370920198506127340",  # wrong check digit (an 18-digit project number)
    "370902198713321237",  # month 13
    "370920185515671156",  # right check digit, impossible birth date
    "990902198803152115",  # no such province
    "37090219880315211",   # too short
])
def test_invalid_id_numbers(number):
    assert not checks.is_id_card(number)


def test_id_of_person_born_before_their_county_code_existed():
    # stdnum's ric.is_valid rejects this one (泰山区 370902 dates from 1985); it is a valid ID.
    assert checks.is_id_card("370902194905081612")


def test_bank_cards_by_luhn():
    assert checks.is_bank_card("6217008604692844124")
    assert not checks.is_bank_card("6217008604692844125")
    assert not checks.is_bank_card("621700860469")


def test_credit_codes():
    assert checks.is_individual_business_code("92370902PGQDLQQ1AR")
    assert not checks.is_individual_business_code("91370911QMM1HDPEFJ")  # legal person
    assert not checks.is_individual_business_code("92370902PGQDLQQ1AB")  # bad check character


def test_project_number_with_wrong_check_digit_is_not_redacted():
    text = "项目编号：370920198506127340，身份证号：370902198803152115。"
    found = deidentify(text).findings
    assert [f.text for f in found] == ["370902198803152115"]
