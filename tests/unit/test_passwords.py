"""The password policy and Argon2id hashing (no app, no database: the standard parameters apply)."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from workflow.accounts.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    check_password_policy,
    common_passwords,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from workflow.core.errors import DomainError


@pytest.mark.parametrize("password", [
    "peerflow-demo",  # the demo accounts' password
    "8 chars!",
    "correct horse battery staple " * 7,  # a 203-character passphrase
    "x" * MAX_LENGTH,
    "contraseña segura de la misión",
])
def test_acceptable_passwords(password: str) -> None:
    assert password_problem(password) is None


@pytest.mark.parametrize("password", ["", "seven77", "x" * (MAX_LENGTH + 1)])
def test_too_short_or_too_long_says_the_range(password: str) -> None:
    assert password_problem(password) == f"Use a password of {MIN_LENGTH} to {MAX_LENGTH} characters; a long " \
                                         "passphrase is best."


@pytest.mark.parametrize("password", ["password", "PASSWORD1", "iloveyou", "Qwertyuiop", "12345678", " sunshine "])
def test_the_most_common_passwords_are_refused_whatever_their_case(password: str) -> None:
    assert "most common" in password_problem(password)


def test_the_common_list_is_the_vendored_one() -> None:
    listed = common_passwords()
    assert 8000 < len(listed) < 20000
    assert all(len(entry) >= MIN_LENGTH for entry in listed)  # shorter ones are refused by length anyway


def test_the_policy_raises_a_domain_error_on_the_named_field() -> None:
    with pytest.raises(DomainError) as refused:
        check_password_policy("password1", field="new_password")
    assert refused.value.field == "new_password"


def test_hashes_are_argon2id_with_the_standard_parameters() -> None:
    stored = hash_password("peerflow-demo")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(stored, "peerflow-demo")
    assert not verify_password(stored, "peerflow-demo ")
    assert not needs_rehash(stored)
    assert hash_password("peerflow-demo") != stored  # salted


def test_werkzeug_hashes_still_verify_and_ask_to_be_rehashed() -> None:
    for method in ("scrypt", "pbkdf2:sha256:1000"):
        stored = generate_password_hash("an older password", method=method)
        assert verify_password(stored, "an older password")
        assert not verify_password(stored, "another one")
        assert needs_rehash(stored)


def test_an_argon2_hash_with_other_parameters_asks_to_be_rehashed() -> None:
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("peerflow-demo")
    assert verify_password(cheap, "peerflow-demo")
    assert needs_rehash(cheap)


def test_a_password_longer_than_the_limit_never_matches() -> None:
    stored = hash_password("x" * MAX_LENGTH)
    assert verify_password(stored, "x" * MAX_LENGTH)
    assert not verify_password(stored, "x" * (MAX_LENGTH + 1))


def test_an_unreadable_hash_does_not_match() -> None:
    assert not verify_password("$argon2id$broken", "anything at all")
    assert not verify_password("", "anything at all")
