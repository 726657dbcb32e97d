"""Result codes and exceptions.

Every failing libsendsecure call raises a :class:`SendSecureError` (or a subclass chosen by its
result code) carrying the details of the thread's last error, read right after the call on the
same thread.

::

    SendSecureError                 .code .message .http_status .body .api_code .api_code_name
                                    .function
    +-- ArgumentError (ValueError)  NULL_ARGUMENT, INVALID_UTF8, INVALID_ARGUMENT, OUT_OF_RANGE
    +-- StateError                  INVALID_STATE (e.g. a reply sent twice)
    +-- AuthError                   AUTH: the credentials were refused (.api_code 101-106)
    +-- ApiError                    API: the service refused the request with its own code
    +-- CryptoError                 CRYPTO: data did not decrypt (wrong keycode, altered)
    +-- HttpError                   HTTP_STATUS: any other HTTP error answer (.http_status, .body)
    |   +-- NotFoundError           ... with status 404
    +-- ConnectError                CONNECT
    |   +-- TLSError                TLS: the TLS handshake failed (certificate, client certificate)
    +-- TimeoutError_               TIMEOUT
    +-- DecodeError                 DECODE: the answer did not follow the protocol
    +-- IOError_                    IO: a local file, or a stream / write callback, failed
    +-- AbortedError                ABORTED_BY_CALLBACK: a progress callback returned True
    +-- CancelledError              CANCELLED: Client.cancel() stopped the call
    +-- InternalError               PANIC, RUNTIME
"""

from __future__ import annotations

import enum
import json
from typing import Any, Dict, Optional, Type, Union


class Result(enum.IntEnum):
    """``ss_result``: the value returned by every fallible C function (names without ``SS_``)."""

    OK = 0
    ERR_NULL_ARGUMENT = 1
    ERR_INVALID_UTF8 = 2
    ERR_INVALID_ARGUMENT = 3
    ERR_INVALID_STATE = 4
    ERR_PANIC = 5
    ERR_RUNTIME = 6
    ERR_CONNECT = 7
    ERR_TIMEOUT = 8
    ERR_HTTP_STATUS = 9
    ERR_AUTH = 10
    ERR_DECODE = 11
    ERR_IO = 12
    ERR_ABORTED_BY_CALLBACK = 13
    ERR_OUT_OF_RANGE = 14
    ERR_CANCELLED = 15
    ERR_TLS = 16
    ERR_API = 17
    ERR_CRYPTO = 18


class SendSecureError(Exception):
    """A libsendsecure call failed.

    Attributes:
        code: the ``ss_result`` (a :class:`Result`, or a plain int for a code newer than this
            binding).
        message: ``ss_last_error_message``: what failed and why (never the token or password).
        http_status: the HTTP status of a server refusal, else 0.
        body: the server's error body, verbatim (usually JSON), else None.
        api_code: SendSecure's code of a refused login (101 invalid permalink, 102 invalid
            credentials, 103-105 missing parameter, 106 one-time password needed), else 0.
        function: the C function that failed, e.g. ``"ss_get_safebox_info"``.
        api_code_name: the service's code as text: SendSafely's ``response``
            (``"AUTHENTICATION_FAILED"``, ``"UNKNOWN_PACKAGE"``...), SendSecure's number in
            decimal; "" when the service did not refuse.
    """

    def __init__(
        self,
        message: str,
        code: Union[Result, int] = Result.ERR_INVALID_ARGUMENT,
        http_status: int = 0,
        body: Optional[str] = None,
        api_code: int = 0,
        function: str = "",
        api_code_name: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.body = body
        self.api_code = api_code
        self.function = function
        self.api_code_name = api_code_name

    def __str__(self) -> str:
        name = self.code.name if isinstance(self.code, Result) else str(self.code)
        text = f"{self.function}: " if self.function else ""
        text += f"{self.message} [{name}"
        if self.http_status:
            text += f", HTTP {self.http_status}"
        if self.api_code_name:
            text += f", code {self.api_code_name}"
        elif self.api_code:
            text += f", code {self.api_code}"
        return text + "]"

    def __reduce__(self):  # picklable (e.g. across multiprocessing), attributes included
        return (
            _rebuild,
            (
                type(self),
                self.message,
                int(self.code),
                self.http_status,
                self.body,
                self.api_code,
                self.function,
                self.api_code_name,
            ),
        )

    @property
    def body_json(self) -> Optional[Any]:
        """The server's error body parsed as JSON, or None when there is none or it is not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def _rebuild(cls, message, code, http_status, body, api_code, function, api_code_name=""):
    try:
        code = Result(code)
    except ValueError:
        pass
    return cls(message, code, http_status, body, api_code, function, api_code_name)


class ArgumentError(SendSecureError, ValueError):
    """An argument was refused before anything was sent (empty, not UTF-8, out of range, or a
    SendSecure client-side check such as "Participants cannot be empty")."""


class StateError(SendSecureError):
    """The call does not fit the object's state (e.g. a reply sent twice, commit before
    initialize), or a blocking call was made from inside a callback."""


class AuthError(SendSecureError):
    """The service refused the credentials: SendSecure's portal refused the login (see
    :attr:`api_code`), SendSafely refused the API key, secret or signature."""


class ApiError(SendSecureError):
    """The service refused the request with its own error code in a successful HTTP answer
    (SendSafely's ``response``, e.g. ``UNKNOWN_PACKAGE``); the body is in :attr:`body`."""


class CryptoError(SendSecureError):
    """Data did not decrypt: a wrong keycode or key, or a segment altered or without an
    integrity check. Nothing of it was written out."""


class HttpError(SendSecureError):
    """The server answered with an HTTP error status; see :attr:`http_status` and :attr:`body`."""


class NotFoundError(HttpError):
    """The server answered 404 (unknown SafeBox, document, participant, favorite, account...)."""


class ConnectError(SendSecureError):
    """The server could not be reached, or the connection broke (see also :class:`TLSError`)."""


class TLSError(ConnectError):
    """The TLS handshake failed (``ERR_TLS``): the server's certificate did not verify (signed by
    an authority not trusted: give it as ``ca_file``; another host's name; expired), the server
    refused the client certificate or requires one, or no TLS version in common. Never retried.
    A :class:`ConnectError`, so that code catching connection failures catches it too."""


class TimeoutError_(SendSecureError):  # noqa: N801 - the builtin TimeoutError is an OSError
    """A time limit was reached (``connect_timeout`` / ``request_timeout`` of the client)."""


class DecodeError(SendSecureError):
    """The server's answer did not follow the protocol (malformed or unexpected JSON)."""


class IOError_(SendSecureError):  # noqa: N801 - the builtin IOError is OSError
    """A local file could not be read or written, or a stream or write callback failed."""


class AbortedError(SendSecureError):
    """A progress callback returned True and the call stopped."""


class CancelledError(SendSecureError):
    """:meth:`Client.cancel` stopped the call from another thread (or from a callback)."""


class InternalError(SendSecureError):
    """An internal error was caught in libsendsecure (a bug), or its threads could not start."""


_BY_CODE: Dict[int, Type[SendSecureError]] = {
    Result.ERR_NULL_ARGUMENT: ArgumentError,
    Result.ERR_INVALID_UTF8: ArgumentError,
    Result.ERR_INVALID_ARGUMENT: ArgumentError,
    Result.ERR_OUT_OF_RANGE: ArgumentError,
    Result.ERR_INVALID_STATE: StateError,
    Result.ERR_PANIC: InternalError,
    Result.ERR_RUNTIME: InternalError,
    Result.ERR_CONNECT: ConnectError,
    Result.ERR_TLS: TLSError,
    Result.ERR_TIMEOUT: TimeoutError_,
    Result.ERR_HTTP_STATUS: HttpError,
    Result.ERR_AUTH: AuthError,
    Result.ERR_API: ApiError,
    Result.ERR_CRYPTO: CryptoError,
    Result.ERR_DECODE: DecodeError,
    Result.ERR_IO: IOError_,
    Result.ERR_ABORTED_BY_CALLBACK: AbortedError,
    Result.ERR_CANCELLED: CancelledError,
}


def error_class(code: int, http_status: int = 0) -> Type[SendSecureError]:
    """The exception class for a result code (and HTTP status)."""
    if code == Result.ERR_HTTP_STATUS and http_status == 404:
        return NotFoundError
    return _BY_CODE.get(code, SendSecureError)
