"""SendSafely: a thread-safe client whose every request is signed with the API key and secret.

    from sendsecure.sendsafely import SendSafelyClient

    with SendSafelyClient("https://acme.sendsafely.com", api_key, api_secret) as client:
        print(client.user().email)

A refused key, secret or signature raises :class:`~sendsecure.AuthError` with
``api_code_name == "AUTHENTICATION_FAILED"``; any other refusal of the service raises
:class:`~sendsecure.ApiError` with the code's name (``"UNKNOWN_PACKAGE"``, ...) and the server's
JSON in ``body``.
"""

from __future__ import annotations

from ctypes import byref, c_void_p
from dataclasses import dataclass
from typing import Any

from . import _ffi
from ._core import check, took
from ._sendsafely_receive import (  # noqa: F401  RECEIVE: the receive side and its types
    DownloadedPackage,
    PackageFile,
    PackagePage,
    PackageSummary,
    ReceivedPackage,
    ReceiveMixin,
)
from ._service_client import ServiceClient
from .client import _options

enc = _ffi.enc
dec = _ffi.dec


@dataclass(frozen=True)
class SendSafelyUser:
    """The user an API key belongs to."""

    id: str
    email: str
    first_name: str
    last_name: str
    package_life: int  # days; 0 when the server does not say


def _user(p: int) -> SendSafelyUser:
    lib = _ffi.lib()
    return SendSafelyUser(
        id=dec(lib.ss_sendsafely_user_id(p)) or "",
        email=dec(lib.ss_sendsafely_user_email(p)) or "",
        first_name=dec(lib.ss_sendsafely_user_first_name(p)) or "",
        last_name=dec(lib.ss_sendsafely_user_last_name(p)) or "",
        package_life=int(lib.ss_sendsafely_user_package_life(p)),
    )


# The options of ss_client_options that SendSafely reads.
OPTIONS = (
    "connect_timeout",
    "request_timeout",
    "stall_timeout",
    "max_retries",
    "retry_base_delay",
    "retry_max_delay",
    "ca_file",
    "client_cert_file",
    "client_key_file",
    "allow_insecure_http",
    "transfer_concurrency",
    "crypto_threads",
)


class SendSafelyClient(ReceiveMixin, ServiceClient):
    """A SendSafely client (``ss_sendsafely_client``). Thread-safe; freed by :meth:`close`, at
    the end of a ``with`` block, or when garbage collected. Receiving packages (open_link,
    download_file, download_package, read_message, list_packages, ...): see
    :mod:`sendsecure._sendsafely_receive`.

    Args:
        host: the portal's origin, e.g. "https://acme.sendsafely.com" (no path).
        api_key, api_secret: the user's API credentials; the secret is never sent, logged or put
            in an error, and the library's copy is wiped when the client is freed.
        connect_timeout, request_timeout, stall_timeout, max_retries, retry_base_delay,
        retry_max_delay, ca_file, client_cert_file, client_key_file, allow_insecure_http: as
            for :class:`~sendsecure.Client`.
        transfer_concurrency: segments uploaded or downloaded at the same time (default 4).
        crypto_threads: segments encrypted or decrypted at the same time (default: one per core).
    """

    def __init__(self, host: str, api_key: str, api_secret: str, **options: Any) -> None:
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise TypeError(f"SendSafelyClient got unexpected options: {', '.join(unknown)}")
        options = _options(**options)
        out = c_void_p()
        rc = _ffi.lib().ss_sendsafely_client_new(
            enc(host, "host"),
            enc(api_key, "api_key"),
            enc(api_secret, "api_secret"),
            byref(options.options),
            byref(out),
        )
        check(rc, "ss_sendsafely_client_new")
        self._adopt(took(out, "ss_sendsafely_client_new"), "ss_sendsafely_client_free", "ss_sendsafely_client_cancel")
        self.host = host

    def __repr__(self) -> str:
        return f"<SendSafelyClient host={self.host!r}{' closed' if self.closed else ''}>"

    def user(self) -> SendSafelyUser:
        """The user the API key belongs to: also the check of the credentials."""
        return self._call_read("ss_sendsafely_get_user", "ss_sendsafely_user_free", _user)
