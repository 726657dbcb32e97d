"""The SendSafely client from Python, against the emulator's SendSafely service."""

from __future__ import annotations

import pickle

import pytest

import sendsecure
from sendsecure.sendsafely import SendSafelyClient, SendSafelyUser


def test_the_user_is_read_with_signed_requests(sendsafely_emulator):
    with SendSafelyClient(sendsafely_emulator.url, "demo-api-key", "demo-api-secret", transfer_concurrency=2) as client:
        user = client.user()
        assert isinstance(user, SendSafelyUser)
        assert user.email == "demo@acme.example"
        assert user.id
        assert user.package_life >= 0
        client.cancel()  # nothing runs: nothing happens
        assert "demo-api-secret" not in repr(client)
    assert client.closed
    with pytest.raises(ValueError):
        client.user()


def test_a_wrong_secret_raises_auth_error_with_the_code_name_and_no_secret(sendsafely_emulator):
    client = SendSafelyClient(sendsafely_emulator.url, "demo-api-key", "not-the-secret-5772")
    with pytest.raises(sendsecure.AuthError) as raised:
        client.user()
    e = raised.value
    assert e.code == sendsecure.Result.ERR_AUTH
    assert e.api_code_name == "AUTHENTICATION_FAILED"
    assert e.api_code == 0
    assert e.http_status == 200
    assert e.body_json["response"] == "AUTHENTICATION_FAILED"
    assert "not-the-secret-5772" not in str(e) and "not-the-secret-5772" not in (e.body or "")
    assert "code AUTHENTICATION_FAILED" in str(e)
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is sendsecure.AuthError and again.api_code_name == "AUTHENTICATION_FAILED"
    client.close()


def test_bad_arguments_are_refused_before_sending(sendsafely_emulator):
    with pytest.raises(sendsecure.ArgumentError):
        SendSafelyClient("https://acme.example/portal", "k", "s")
    with pytest.raises(sendsecure.ArgumentError):
        SendSafelyClient(sendsafely_emulator.url, "", "s")
    with pytest.raises(ValueError):
        SendSafelyClient(sendsafely_emulator.url, "k", "s", transfer_concurrency=0)
    with pytest.raises(TypeError):
        SendSafelyClient(sendsafely_emulator.url, "k", "s", locale="fr")  # SendSecure's only
