"""Logging in, clients, enterprise settings and profiles, and errors raised as exceptions."""

from __future__ import annotations

import pickle
import socket

import pytest

import sendsecure
from sendsecure import Result

from conftest import ACCOUNT, DEMO, UNKNOWN_GUID


def test_user_token(endpoint):
    with sendsecure.get_user_token(
        ACCOUNT, DEMO[0], DEMO[1], endpoint=endpoint, device_id="py-1", device_name="tests"
    ) as token:
        assert token.user_id == 1
        assert token.token  # the same account, user and device always get the same token
        with sendsecure.get_user_token(
            ACCOUNT, DEMO[0], DEMO[1], endpoint=endpoint, device_id="py-1", device_name="tests"
        ) as again:
            assert again.token == token.token
        with sendsecure.Client(token, ACCOUNT, endpoint) as client:
            assert client.user_id == 1  # taken from the token
            assert client.user_settings()["default_filter"]
        # a str token works too
        with sendsecure.Client(token.token, ACCOUNT, endpoint, user_id=token.user_id) as client:
            assert client.enterprise_settings().default_security_profile_id == 1
    assert token.closed
    with pytest.raises(ValueError, match="closed"):
        token.token


def test_wrong_password_raises_auth_error_with_api_code_102(endpoint):
    with pytest.raises(sendsecure.AuthError) as caught:
        sendsecure.get_user_token(ACCOUNT, DEMO[0], "wrong-password", endpoint=endpoint)
    e = caught.value
    assert isinstance(e, sendsecure.SendSecureError)
    assert e.code is Result.ERR_AUTH
    assert e.api_code == 102
    assert e.http_status == 401
    assert e.function == "ss_get_user_token"
    assert "invalid credentials" in e.message
    assert "wrong-password" not in str(e) and "wrong-password" not in (e.body or "")
    assert e.body_json["code"] == 102
    assert "ERR_AUTH" in str(e) and "code 102" in str(e)
    # picklable with its details (e.g. through multiprocessing)
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is sendsecure.AuthError and copy.api_code == 102 and copy.code is Result.ERR_AUTH


def test_one_time_password(endpoint):
    with pytest.raises(sendsecure.AuthError) as caught:
        sendsecure.get_user_token(ACCOUNT, "carol", "carol-password", endpoint=endpoint)
    assert caught.value.api_code == 106
    with sendsecure.get_user_token(
        ACCOUNT, "carol", "carol-password", endpoint=endpoint, one_time_password="123456"
    ) as token:
        assert token.user_id == 3


def test_unknown_account_is_an_error(endpoint):
    with pytest.raises(sendsecure.SendSecureError) as caught:
        sendsecure.get_user_token("no-such-account", DEMO[0], DEMO[1], endpoint=endpoint)
    assert caught.value.code in (Result.ERR_AUTH, Result.ERR_HTTP_STATUS)


def test_login_enterprise_settings_and_profiles(client):
    assert client.user_id == 1 and client.account == ACCOUNT
    settings = client.enterprise_settings()
    assert settings.default_security_profile_id == 1
    assert settings.max_file_size is None  # no limit
    assert settings.extension_filter_mode == "forbid"
    assert set(settings.extensions) == {"bat", "bin", "exe"}
    assert isinstance(settings.json, dict)

    profiles = client.security_profiles(DEMO[2])
    assert [p.id for p in profiles] == [1, 10, 20]
    assert profiles[0].name == "Default"
    assert profiles[0].json["reply_enabled"]["modifiable"] in (True, False)
    default = client.default_security_profile(DEMO[2])
    assert default.id == 1 and default.name == "Default"


def test_security_profiles_for_an_email_outside_the_account_are_refused(client):
    with pytest.raises(sendsecure.HttpError) as caught:
        client.security_profiles("someone@elsewhere.example")
    assert caught.value.http_status == 403
    assert not isinstance(caught.value, sendsecure.NotFoundError)


def test_unknown_guid_raises_not_found_with_status_404(client):
    with pytest.raises(sendsecure.NotFoundError) as caught:
        client.safebox_info(UNKNOWN_GUID)
    e = caught.value
    assert isinstance(e, sendsecure.HttpError)
    assert e.code is Result.ERR_HTTP_STATUS
    assert e.http_status == 404
    assert e.function == "ss_get_safebox_info"
    assert e.body_json == {"message": "The requested URL cannot be found."}
    for call in (
        client.participants,
        client.messages,
        client.event_history,
        client.close_safebox,
        client.security_options,
    ):
        with pytest.raises(sendsecure.NotFoundError):
            call(UNKNOWN_GUID)


def test_argument_errors(client):
    with pytest.raises(sendsecure.ArgumentError) as caught:
        client.safebox_info("")  # refused before anything is sent
    assert isinstance(caught.value, ValueError)
    assert caught.value.code is Result.ERR_INVALID_ARGUMENT and caught.value.http_status == 0
    with pytest.raises(sendsecure.ArgumentError):
        client.safebox_info(UNKNOWN_GUID, sections="no_such_section")
    with pytest.raises(ValueError, match="NUL"):
        client.safebox_info("abc\0def")
    with pytest.raises(TypeError):
        client.safebox_info(12345)
    with pytest.raises(sendsecure.ArgumentError):
        client.add_time(UNKNOWN_GUID, 0, "days")
    with pytest.raises(ValueError):
        sendsecure.Client("token", ACCOUNT, "http://127.0.0.1:1", connect_timeout=0)


def test_http_errors_carry_the_server_body(client, emulator):
    emulator.add_fault(kind="respond", path="/api/v2/enterprises", status=418, body={"error": "teapot"}, count=0)
    with sendsecure.Client(client_token(emulator), ACCOUNT, emulator.url, max_retries=0) as c:
        with pytest.raises(sendsecure.HttpError) as caught:
            c.enterprise_settings()
    assert caught.value.http_status == 418
    assert caught.value.body_json == {"error": "teapot"}


def client_token(emulator) -> str:
    with sendsecure.get_user_token(ACCOUNT, DEMO[0], DEMO[1], endpoint=emulator.url) as token:
        return token.token


def test_connection_refused_raises_connect_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    with sendsecure.Client("USER|x", ACCOUNT, f"http://127.0.0.1:{port}", max_retries=0, connect_timeout=2) as c:
        with pytest.raises(sendsecure.ConnectError) as caught:
            c.enterprise_settings()
    assert caught.value.code is Result.ERR_CONNECT and caught.value.http_status == 0


def test_tls_failure_raises_tls_error(emulator):
    # https to the plain-http emulator: its answer is not TLS, the handshake fails.
    https = emulator.url.replace("http://", "https://")
    with sendsecure.Client("USER|x", ACCOUNT, https, retry_base_delay=0.01) as c:
        with pytest.raises(sendsecure.TLSError) as caught:
            c.enterprise_settings()
    error = caught.value
    assert error.code is Result.ERR_TLS and error.http_status == 0
    assert isinstance(error, sendsecure.ConnectError), "a TLSError is a ConnectError too"
    assert "TLS" in error.message and "attempts" not in error.message, "not retried"
    with pytest.raises(sendsecure.TLSError):
        sendsecure.get_user_token(ACCOUNT, DEMO[0], DEMO[1], endpoint=https)


def test_slow_server_raises_timeout_error(emulator):
    emulator.add_fault(kind="delay", path="/api/v2/enterprises", delay_ms=3000, count=0)
    with sendsecure.Client(client_token(emulator), ACCOUNT, emulator.url, request_timeout=0.3, max_retries=0) as c:
        with pytest.raises(sendsecure.TimeoutError_) as caught:
            c.enterprise_settings()
    assert caught.value.code is Result.ERR_TIMEOUT


def test_insecure_http_to_another_host_is_refused():
    with pytest.raises(sendsecure.ArgumentError):
        sendsecure.Client("USER|x", ACCOUNT, "http://example.com")
    with sendsecure.Client("USER|x", ACCOUNT, "http://example.com", allow_insecure_http=True):
        pass


def test_closed_client(endpoint):
    client = sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint)
    assert not client.closed
    client.close()
    client.close()  # again: nothing
    assert client.closed
    with pytest.raises(ValueError, match="closed"):
        client.enterprise_settings()
    assert "closed" in repr(client)
