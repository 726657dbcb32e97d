"""Logging in and the thread-safe ``Client``, with SafeBox pages and iterators."""

from __future__ import annotations

import ctypes
import io
import json
import os
import socket
import threading
from ctypes import byref, c_void_p
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from . import _ffi, _read
from ._core import (
    PROGRESS_TRAMPOLINE,
    WRITE_TRAMPOLINE,
    CallScope,
    Owned,
    Temp,
    check,
    iterate,
    took,
)
from .errors import ArgumentError, Result
from .models import (
    ConsentGroup,
    Document,
    EnterpriseSettings,
    Event,
    Favorite,
    Message,
    Participant,
    Progress,
    RecipientMatch,
    SafeboxInfo,
    SafeboxResponse,
    SecurityProfile,
)
from ._service_client import ServiceClient
from .safebox import Reply, Safebox, _to_contact_method

enc = _ffi.enc
ProgressCallback = Optional[Callable[[Progress], Any]]

SECTIONS = ("participants", "messages", "security_options", "download_activity", "event_history")


# Python option -> (ss_client_options field, kind). Times are in seconds.
_OPTION_FIELDS = {
    "user_id": ("user_id", "int"),
    "connect_timeout": ("connect_timeout_ms", "positive seconds"),
    "request_timeout": ("request_timeout_ms", "seconds"),
    "stall_timeout": ("stall_timeout_ms", "seconds"),
    "max_retries": ("max_retries", "count"),
    "retry_base_delay": ("retry_base_delay_ms", "seconds"),
    "retry_max_delay": ("retry_max_delay_ms", "seconds"),
    "upload_concurrency": ("upload_concurrency", "positive count"),
    "locale": ("locale", "str"),
    "ca_file": ("ca_file", "str"),
    "client_cert_file": ("client_cert_file", "str"),
    "client_key_file": ("client_key_file", "str"),
    "allow_insecure_http": ("allow_insecure_http", "bool"),
    "transfer_concurrency": ("transfer_concurrency", "positive count"),
    "crypto_threads": ("crypto_threads", "positive count"),
}
LOGIN_OPTIONS = (
    "connect_timeout",
    "request_timeout",
    "ca_file",
    "client_cert_file",
    "client_key_file",
    "allow_insecure_http",
)


def _options(**values: Any) -> _ffi.OptionsBuffer:
    """An ``ss_client_options`` with the library's defaults and the values given (None: the
    default). Times are in seconds; 0 means "no limit" where the C field allows it.

    A value for a field that the loaded library does not know (its ``struct_size`` does not
    cover it) raises ArgumentError rather than being silently ignored.
    """
    buffer = _ffi.OptionsBuffer()
    _ffi.lib().ss_client_options_init(byref(buffer.options))
    o = buffer.options
    size = o.struct_size
    if size > ctypes.sizeof(buffer):
        raise _ffi.LibraryNotFoundError("ss_client_options of this libsendsecure is larger than this binding allows")
    for name, value in values.items():
        if value is None:
            continue
        field_name, kind = _OPTION_FIELDS[name]
        descriptor = getattr(_ffi.ClientOptions, field_name)
        if descriptor.offset + descriptor.size > size:
            raise ArgumentError(
                f"option {name} needs a newer libsendsecure than the one loaded", Result.ERR_INVALID_ARGUMENT
            )
        if kind == "str":
            value = enc(value, name)  # the structure keeps the bytes alive
        elif kind == "bool":
            value = bool(value)
        elif kind == "int":
            value = int(value)
        elif kind.endswith("seconds"):
            if value < 0 or (kind.startswith("positive") and value == 0):
                raise ValueError(
                    f"{name} must be {'positive' if kind.startswith('positive') else 'positive, or 0 for no limit'}"
                )
            value = 0 if value == 0 else max(1, round(value * 1000))
        elif kind.endswith("count"):
            value = int(value)
            if value < (1 if kind.startswith("positive") else 0):
                raise ValueError(f"{name} must be at least {1 if kind.startswith('positive') else 0}")
        setattr(o, field_name, value)
    return buffer


def _guid(safebox: Any) -> bytes:
    """A GUID from a str, a SafeboxInfo, a SafeboxResponse or a (submitted) Safebox."""
    if isinstance(safebox, Safebox):
        value = safebox.guid
    else:
        value = getattr(safebox, "guid", safebox)
    if not isinstance(value, str):
        raise TypeError("expected a SafeBox GUID (str) or an object with a .guid")
    return enc(value, "guid") or b""


def _document_id(document: Union[str, Document]) -> bytes:
    return enc(document.id if isinstance(document, Document) else document, "document id") or b""


def _sections(sections: Union[None, str, Iterable[str]]) -> Optional[bytes]:
    if sections is None:
        return None
    if not isinstance(sections, str):
        sections = ",".join(sections)
    return enc(sections, "sections")


def _statuses(status: Union[None, str, Iterable[str]]) -> Optional[bytes]:
    if status is None:
        return None
    if not isinstance(status, str):
        status = ",".join(status)
    return enc(status, "status")


def _writer(target: Any) -> Callable[[bytes], None]:
    write = getattr(target, "write", None)
    if callable(write):

        def write_all(data: bytes) -> None:
            view = memoryview(data)
            while view:
                count = write(view)
                if count is None:
                    raise BlockingIOError("the download target is not ready (non-blocking)")
                view = view[count:]

        return write_all
    if callable(target):
        return target
    raise TypeError("the download target must be a binary file object (with .write) or a callable taking bytes")


# --- login -----------------------------------------------------------------------------------


class UserToken(Owned):
    """The result of a login (``ss_user_token``): an API token and the user's id.

    Pass it to :class:`Client` (the token is handed from C to C, never copied into Python).
    The library wipes the token from memory when this object is closed or collected.
    """

    _free_name = "ss_user_token_free"
    _kind = "user token"

    def __init__(self, address: int) -> None:
        self._own(address)
        self.user_id = int(_ffi.lib().ss_user_token_user_id(address))

    def _token_pointer(self) -> ctypes.c_char_p:
        address = _ffi.lib().ss_user_token_token(self._ptr)
        return ctypes.cast(c_void_p(address), ctypes.c_char_p)

    @property
    def token(self) -> str:
        """The API token as a str. Avoid it when you can: a Python str cannot be wiped."""
        value = self._token_pointer().value
        return (value or b"").decode("utf-8")

    def __repr__(self) -> str:
        return f"<UserToken user_id={self.user_id}{' closed' if self.closed else ''}>"


def _default_device() -> tuple:
    host = socket.gethostname() or "localhost"
    return f"sendsecure-python-{host}", host


def get_user_token(
    account: str,
    username: str,
    password: str,
    *,
    endpoint: Optional[str] = None,
    device_id: Optional[str] = None,
    device_name: Optional[str] = None,
    application_type: Optional[str] = None,
    one_time_password: Optional[str] = None,
    connect_timeout: Optional[float] = None,
    request_timeout: Optional[float] = None,
    ca_file: Optional[str] = None,
    client_cert_file: Optional[str] = None,
    client_key_file: Optional[str] = None,
    allow_insecure_http: Optional[bool] = None,
) -> UserToken:
    """Logs in (``ss_get_user_token``) and returns a :class:`UserToken`.

    ``endpoint`` is the portal URL (None: https://portal.xmedius.com). ``device_id`` and
    ``device_name`` default to names derived from this host; the same account, user and device
    always get the same token. ``application_type`` defaults to "libsendsecure". The other
    options are those of :class:`Client`. The password is only passed to the library (which
    wipes its copy); the Python str cannot be wiped.

    Raises :class:`AuthError` when the portal refuses (``.api_code``: 101 invalid permalink, 102
    invalid credentials, 103-105 missing parameter, 106 one-time password needed), or
    :class:`HttpError`, :class:`ConnectError`, :class:`TimeoutError_`, :class:`DecodeError`.
    """
    default_id, default_name = _default_device()
    options = _options(
        connect_timeout=connect_timeout,
        request_timeout=request_timeout,
        ca_file=ca_file,
        client_cert_file=client_cert_file,
        client_key_file=client_key_file,
        allow_insecure_http=allow_insecure_http,
    )
    out = c_void_p()
    rc = _ffi.lib().ss_get_user_token(
        enc(account, "account"),
        enc(username, "username"),
        enc(password, "password"),
        enc(device_id or default_id, "device_id"),
        enc(device_name or default_name, "device_name"),
        enc(application_type, "application_type"),
        enc(endpoint, "endpoint"),
        enc(one_time_password, "one_time_password"),
        byref(options.options),
        byref(out),
    )
    check(rc, "ss_get_user_token")
    return UserToken(took(out, "ss_get_user_token"))


# --- the client ------------------------------------------------------------------------------


class Client(ServiceClient):
    """A SendSecure client (``ss_client``): one API token, one connection pool.

    Thread-safe: share one Client between threads; calls block (without holding the GIL), and
    callbacks run on the thread that made the call. Freed by :meth:`close`, at the end of a
    ``with`` block, or when garbage collected.

    Args:
        token: a :class:`UserToken` (its ``user_id`` is used when ``user_id`` is not given) or
            the API token as a str.
        account: the enterprise account (permalink), e.g. "acme".
        endpoint: the portal URL; None for https://portal.xmedius.com.
        user_id: the user's id, needed by user-level calls (favorites, user settings).
        connect_timeout: seconds (library default 30).
        request_timeout: seconds for a whole API call, its retries and their waits included,
            uploads and downloads excepted (default 120; 0: no limit).
        stall_timeout: seconds an upload or download may go without moving a byte before it
            fails (default 60; 0: no limit).
        max_retries: how many times a failed request is sent again (default 3; 0: never):
            connection failures always, idempotent calls also after a broken connection or a
            429/502/503/504, transfers after a stall. A commit is checked before it is sent
            again, so a SafeBox is never created twice.
        retry_base_delay, retry_max_delay: seconds before the first retry (default 0.25,
            doubling with jitter) and the longest wait between attempts (default 30).
        locale: language of the server's messages (default "en").
        ca_file: a PEM file of extra certificate authorities to trust.
        client_cert_file, client_key_file: PEM client certificate (and its key, when not in
            the same file) for mutual TLS.
        allow_insecure_http: allow plain http:// to hosts other than loopback (default False:
            refused, the token and documents would travel unencrypted).
        upload_concurrency: attachments uploaded at the same time by one call (default 8).

    Options left None keep the library's defaults. An option the loaded library does not know
    raises :class:`ArgumentError`.
    """

    def __init__(
        self,
        token: Union[UserToken, str],
        account: str,
        endpoint: Optional[str] = None,
        *,
        user_id: Optional[int] = None,
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        stall_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        retry_max_delay: Optional[float] = None,
        locale: Optional[str] = None,
        ca_file: Optional[str] = None,
        client_cert_file: Optional[str] = None,
        client_key_file: Optional[str] = None,
        allow_insecure_http: Optional[bool] = None,
        upload_concurrency: Optional[int] = None,
    ) -> None:
        if isinstance(token, UserToken):
            if user_id is None:
                user_id = token.user_id
            api_token: Any = token._token_pointer()
        else:
            api_token = enc(token, "token")
        options = _options(
            user_id=user_id,
            connect_timeout=connect_timeout,
            request_timeout=request_timeout,
            stall_timeout=stall_timeout,
            max_retries=max_retries,
            retry_base_delay=retry_base_delay,
            retry_max_delay=retry_max_delay,
            locale=locale,
            ca_file=ca_file,
            client_cert_file=client_cert_file,
            client_key_file=client_key_file,
            allow_insecure_http=allow_insecure_http,
            upload_concurrency=upload_concurrency,
        )
        out = c_void_p()
        rc = _ffi.lib().ss_client_new(
            api_token, enc(account, "account"), enc(endpoint, "endpoint"), byref(options.options), byref(out)
        )
        check(rc, "ss_client_new")
        self._adopt(took(out, "ss_client_new"), "ss_client_free", "ss_client_cancel")
        self.account = account
        self.endpoint = endpoint
        self.user_id = user_id

    @classmethod
    def login(
        cls,
        account: str,
        username: str,
        password: str,
        endpoint: Optional[str] = None,
        *,
        device_id: Optional[str] = None,
        device_name: Optional[str] = None,
        application_type: Optional[str] = None,
        one_time_password: Optional[str] = None,
        **client_options: Any,
    ) -> "Client":
        """Logs in with :func:`get_user_token` and returns a client for that user (with its
        ``user_id``); the token handle is freed at once. ``client_options`` are those of
        :class:`Client` (the timeouts, TLS files and ``allow_insecure_http`` apply to the login
        too)."""
        login_options = {k: client_options[k] for k in LOGIN_OPTIONS if k in client_options}
        with get_user_token(
            account,
            username,
            password,
            endpoint=endpoint,
            device_id=device_id,
            device_name=device_name,
            application_type=application_type,
            one_time_password=one_time_password,
            **login_options,
        ) as token:
            return cls(token, account, endpoint, **client_options)

    def __repr__(self) -> str:
        return f"<Client account={self.account!r} endpoint={self.endpoint!r}{' closed' if self.closed else ''}>"

    # -- enterprise and user --

    def enterprise_settings(self) -> EnterpriseSettings:
        """The enterprise account's settings."""
        return self._call_read("ss_get_enterprise_settings", "ss_enterprise_settings_free", _read.enterprise_settings)

    def security_profiles(self, user_email: str) -> List[SecurityProfile]:
        """The security profiles ``user_email`` may use."""
        return self._call_list(
            "ss_get_security_profiles",
            "ss_security_profile_list",
            _read.security_profile,
            enc(user_email, "user_email"),
        )

    def default_security_profile(self, user_email: str) -> SecurityProfile:
        """The enterprise's default security profile for ``user_email`` (ArgumentError when none)."""
        return self._call_read(
            "ss_get_default_security_profile",
            "ss_security_profile_free",
            _read.security_profile,
            enc(user_email, "user_email"),
        )

    def user_settings(self) -> Dict[str, Any]:
        """The user's settings (needs ``user_id``)."""
        return json.loads(self._call_string("ss_get_user_settings") or "null")

    # -- creating SafeBoxes --

    def submit_safebox(self, safebox: Safebox, progress: ProgressCallback = None) -> SafeboxResponse:
        """Creates the SafeBox in one call: initializes it, uploads its attachments, uses the
        default security profile when none is set, and commits.

        ``progress`` is called on this thread with a :class:`Progress` before each attachment
        and after every 256 KiB block; returning ``True`` stops the call
        (:class:`AbortedError`), and an exception it raises stops the call and is re-raised
        here. A failed submit can be repeated: what was uploaded is not sent again.
        """
        with (
            self._use() as client,
            safebox._lock,
            CallScope(progress) as scope,
            Temp("ss_safebox_response_free") as out,
        ):
            rc = _ffi.lib().ss_submit_safebox(client, safebox._ptr, PROGRESS_TRAMPOLINE, c_void_p(scope.key), out.ref)
            scope.finish(rc, "ss_submit_safebox", safebox._streams)
            return _read.safebox_response(took(out.out, "ss_submit_safebox"))

    def initialize_safebox(self, safebox: Safebox) -> str:
        """Step 1 of 3 (``submit_safebox`` does all three): reserves the GUID; returns it."""
        with safebox._lock:
            self._call("ss_initialize_safebox", safebox._ptr)
            return safebox.guid or ""

    def upload_attachments(self, safebox: Safebox, progress: ProgressCallback = None) -> None:
        """Step 2 of 3: uploads the attachments not uploaded yet (progress as for submit)."""
        with self._use() as client, safebox._lock, CallScope(progress) as scope:
            rc = _ffi.lib().ss_upload_attachments(client, safebox._ptr, PROGRESS_TRAMPOLINE, c_void_p(scope.key))
            scope.finish(rc, "ss_upload_attachments", safebox._streams)

    def commit_safebox(self, safebox: Safebox) -> SafeboxResponse:
        """Step 3 of 3: commits an initialized SafeBox whose attachments are uploaded."""
        with safebox._lock:
            return self._call_read(
                "ss_commit_safebox", "ss_safebox_response_free", _read.safebox_response, safebox._ptr
            )

    # -- listing and reading SafeBoxes --

    def safebox_page(
        self,
        status: Union[None, str, Iterable[str]] = None,
        search: Optional[str] = None,
        per_page: int = 0,
        page: int = 1,
    ) -> "SafeboxPage":
        """One page of the user's SafeBoxes, newest first (see :meth:`safeboxes` for the
        filters; ``page`` is 1-based, ``per_page`` 0 for the server's default of 100)."""
        out = c_void_p()
        with self._use() as client:
            rc = _ffi.lib().ss_get_safeboxes(
                client, _statuses(status), enc(search, "search"), per_page, page, byref(out)
            )
            check(rc, "ss_get_safeboxes")
        return SafeboxPage(self, took(out, "ss_get_safeboxes"))

    def safeboxes(
        self, status: Union[None, str, Iterable[str]] = None, search: Optional[str] = None, per_page: int = 0
    ) -> "SafeboxIterator":
        """Iterates over every SafeBox of the user matching the filters, fetching pages as
        needed; yields :class:`SafeboxInfo` summaries (no sections).

        ``status``: None for all, or some of "in_progress", "closed", "content_deleted",
        "unread" (a str, comma-separated, or a list). ``search``: text searched in subjects,
        participants and messages.
        """
        out = c_void_p()
        with self._use() as client:
            rc = _ffi.lib().ss_safebox_iter_new(client, _statuses(status), enc(search, "search"), per_page, byref(out))
            check(rc, "ss_safebox_iter_new")
        return SafeboxIterator(took(out, "ss_safebox_iter_new"))

    def safebox_info(self, safebox: Any, sections: Union[None, str, Iterable[str]] = None) -> SafeboxInfo:
        """One SafeBox with the sections asked for: None for all of them, or some of
        "participants", "messages", "security_options", "download_activity", "event_history".
        An unknown GUID raises :class:`NotFoundError`."""
        return self._call_read(
            "ss_get_safebox_info", "ss_safebox_info_free", _read.safebox_info, _guid(safebox), _sections(sections)
        )

    def participants(self, safebox: Any) -> List[Participant]:
        """The participants of a SafeBox: its guests and its owner."""
        return self._call_list("ss_get_safebox_participants", "ss_participant_list", _read.participant, _guid(safebox))

    def messages(self, safebox: Any) -> List[Message]:
        """The messages of a SafeBox, oldest first, with their documents."""
        return self._call_list("ss_get_safebox_messages", "ss_message_list", _read.message, _guid(safebox))

    def event_history(self, safebox: Any) -> List[Event]:
        """The event history of a SafeBox, oldest first."""
        return self._call_list("ss_get_safebox_event_history", "ss_event_list", _read.event, _guid(safebox))

    def security_options(self, safebox: Any) -> Dict[str, Any]:
        """A SafeBox's security options, as the server sent them."""
        return json.loads(self._call_string("ss_get_safebox_security_options", _guid(safebox)) or "null")

    def download_activity(self, safebox: Any) -> Dict[str, Any]:
        """Who downloaded which document of a SafeBox, as the server sent it."""
        return json.loads(self._call_string("ss_get_safebox_download_activity", _guid(safebox)) or "null")

    # -- replies --

    def send_reply(self, safebox: Any, reply: Reply, progress: ProgressCallback = None) -> None:
        """Sends a :class:`Reply`: uploads its attachments (progress as for
        :meth:`submit_safebox`), then posts the message, at most once (a reply with
        attachments whose answer was lost is found by its documents). A failed send can be
        repeated (its uploaded attachments are not sent again)."""
        guid = _guid(safebox)
        with self._use() as client, reply._lock, CallScope(progress) as scope:
            rc = _ffi.lib().ss_send_reply(client, guid, reply._ptr, PROGRESS_TRAMPOLINE, c_void_p(scope.key))
            scope.finish(rc, "ss_send_reply", reply._streams)

    def reply(
        self,
        safebox: Any,
        message: Optional[str] = None,
        attachments: Iterable[Any] = (),
        *,
        consent: Optional[bool] = None,
        progress: ProgressCallback = None,
    ) -> None:
        """Builds a :class:`Reply` and sends it (see :meth:`send_reply`)."""
        with Reply(message, attachments, consent) as reply:
            self.send_reply(safebox, reply, progress)

    # -- documents --

    def document_url(self, safebox: Any, document: Union[str, Document], user_email: str) -> str:
        """A download URL of a document for the participant ``user_email`` (a capability:
        anyone holding it can download the document)."""
        return (
            self._call_string(
                "ss_get_document_url", _guid(safebox), _document_id(document), enc(user_email, "user_email")
            )
            or ""
        )

    def download_document(
        self,
        safebox: Any,
        document: Union[str, Document],
        user_email: str,
        path: Union[str, "os.PathLike[str]"],
        progress: ProgressCallback = None,
    ) -> str:
        """Downloads a document into the file ``path`` (replaced), streamed, and returns the
        path. It is written to a new file of an unpredictable name in its directory
        (``<name>.<random>.part``) and renamed when complete: ``path`` is whole or absent.
        ``progress`` gets :class:`Progress` reports (``bytes_total`` the size, 0 when unknown);
        returning True stops the download (:class:`AbortedError`)."""
        path = os.fspath(path)
        with self._use() as client, CallScope(progress) as scope:
            rc = _ffi.lib().ss_download_document(
                client,
                _guid(safebox),
                _document_id(document),
                enc(user_email, "user_email"),
                enc(path, "path"),
                PROGRESS_TRAMPOLINE,
                c_void_p(scope.key),
            )
            scope.finish(rc, "ss_download_document")
        return path

    def download_document_to(
        self,
        safebox: Any,
        document: Union[str, Document],
        user_email: str,
        target: Any,
        progress: ProgressCallback = None,
    ) -> None:
        """Downloads a document into a binary file object (``.write``) or a callable taking
        ``bytes``, in blocks of at most 256 KiB on this thread. An exception raised by the target
        stops the download and is re-raised here; a failed call may have written part of it."""
        write = _writer(target)
        with self._use() as client, CallScope(progress, write=write) as scope:
            rc = _ffi.lib().ss_download_document_to(
                client,
                _guid(safebox),
                _document_id(document),
                enc(user_email, "user_email"),
                WRITE_TRAMPOLINE,
                c_void_p(scope.key),
                PROGRESS_TRAMPOLINE,
                c_void_p(scope.key),
            )
            scope.finish(rc, "ss_download_document_to")

    def read_document(
        self, safebox: Any, document: Union[str, Document], user_email: str, progress: ProgressCallback = None
    ) -> bytes:
        """A document's content in memory (prefer :meth:`download_document` for large ones)."""
        buffer = io.BytesIO()
        self.download_document_to(safebox, document, user_email, buffer, progress)
        return buffer.getvalue()

    def audit_record_url(self, safebox: Any) -> str:
        """The URL of a SafeBox's audit record (a PDF of its events)."""
        return self._call_string("ss_get_audit_record_url", _guid(safebox)) or ""

    def download_audit_record(
        self, safebox: Any, path: Union[str, "os.PathLike[str]"], progress: ProgressCallback = None
    ) -> str:
        """Downloads a SafeBox's audit record PDF into ``path``, like :meth:`download_document`."""
        path = os.fspath(path)
        with self._use() as client, CallScope(progress) as scope:
            rc = _ffi.lib().ss_download_audit_record(
                client, _guid(safebox), enc(path, "path"), PROGRESS_TRAMPOLINE, c_void_p(scope.key)
            )
            scope.finish(rc, "ss_download_audit_record")
        return path

    def download_audit_record_to(self, safebox: Any, target: Any, progress: ProgressCallback = None) -> None:
        """Downloads a SafeBox's audit record PDF into a file object or callable, like
        :meth:`download_document_to`."""
        write = _writer(target)
        with self._use() as client, CallScope(progress, write=write) as scope:
            rc = _ffi.lib().ss_download_audit_record_to(
                client, _guid(safebox), WRITE_TRAMPOLINE, c_void_p(scope.key), PROGRESS_TRAMPOLINE, c_void_p(scope.key)
            )
            scope.finish(rc, "ss_download_audit_record_to")

    # -- acting on a SafeBox --

    def add_time(self, safebox: Any, value: int, unit: str) -> Optional[str]:
        """Extends a SafeBox's life by ``value`` "hours", "days", "weeks" or "months"; returns
        the new expiration date (ISO 8601)."""
        return self._call_string("ss_add_time", _guid(safebox), int(value), enc(unit, "unit"))

    def close_safebox(self, safebox: Any) -> None:
        """Closes an open SafeBox (when its security options allow it)."""
        self._call("ss_close_safebox", _guid(safebox))

    def delete_safebox_content(self, safebox: Any) -> None:
        """Deletes the documents of a closed SafeBox (when its security options allow it)."""
        self._call("ss_delete_safebox_content", _guid(safebox))

    def mark_as_read(self, safebox: Any) -> None:
        self._call("ss_mark_as_read", _guid(safebox))

    def mark_as_unread(self, safebox: Any) -> None:
        self._call("ss_mark_as_unread", _guid(safebox))

    def mark_message_read(self, safebox: Any, message: Union[int, Message]) -> None:
        self._call("ss_mark_message_read", _guid(safebox), message.id if isinstance(message, Message) else int(message))

    def mark_message_unread(self, safebox: Any, message: Union[int, Message]) -> None:
        self._call(
            "ss_mark_message_unread", _guid(safebox), message.id if isinstance(message, Message) else int(message)
        )

    def archive_safebox(self, safebox: Any, user_email: str) -> None:
        self._call("ss_archive_safebox", _guid(safebox), enc(user_email, "user_email"))

    def unarchive_safebox(self, safebox: Any, user_email: str) -> None:
        self._call("ss_unarchive_safebox", _guid(safebox), enc(user_email, "user_email"))

    def follow_safebox(self, safebox: Any) -> None:
        self._call("ss_follow_safebox", _guid(safebox))

    def unfollow_safebox(self, safebox: Any) -> None:
        self._call("ss_unfollow_safebox", _guid(safebox))

    # -- participants, favorites, search, consent --

    def create_participant(
        self,
        safebox: Any,
        email: str,
        *,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        company_name: Optional[str] = None,
        locked: Optional[bool] = None,
        privileged: Optional[bool] = None,
        contact_methods: Sequence[Any] = (),
    ) -> Participant:
        """Adds a guest to an existing SafeBox."""
        with _ContactEdit(
            texts=dict(email=email, first_name=first_name, last_name=last_name, company_name=company_name),
            flags=dict(locked=locked, privileged=privileged),
            add_methods=contact_methods,
        ) as edit:
            return self._call_read(
                "ss_create_participant", "ss_participant_free", _read.participant, _guid(safebox), edit.ptr
            )

    def update_participant(
        self,
        safebox: Any,
        participant_id: str,
        *,
        email: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        company_name: Optional[str] = None,
        locked: Optional[bool] = None,
        privileged: Optional[bool] = None,
        add_contact_methods: Sequence[Any] = (),
        remove_contact_method_ids: Sequence[int] = (),
    ) -> Participant:
        """Changes a guest: the fields given (None leaves a field as it is), phone numbers
        added and removed (by :attr:`ContactMethod.id`)."""
        with _ContactEdit(
            texts=dict(email=email, first_name=first_name, last_name=last_name, company_name=company_name),
            flags=dict(locked=locked, privileged=privileged),
            add_methods=add_contact_methods,
            remove_ids=remove_contact_method_ids,
        ) as edit:
            return self._call_read(
                "ss_update_participant",
                "ss_participant_free",
                _read.participant,
                _guid(safebox),
                enc(participant_id, "participant_id"),
                edit.ptr,
            )

    def delete_participant_contact_methods(self, safebox: Any, participant_id: str, ids: Sequence[int]) -> Participant:
        """Removes phone numbers of a guest (by :attr:`ContactMethod.id`)."""
        array = (ctypes.c_int64 * len(ids))(*ids)
        return self._call_read(
            "ss_delete_participant_contact_methods",
            "ss_participant_free",
            _read.participant,
            _guid(safebox),
            enc(participant_id, "participant_id"),
            array,
            len(ids),
        )

    def favorites(self) -> List[Favorite]:
        """The user's favorites (needs ``user_id``)."""
        return self._call_list("ss_get_favorites", "ss_favorite_list", _read.favorite)

    def create_favorite(
        self,
        email: str,
        *,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        company_name: Optional[str] = None,
        order_number: Optional[int] = None,
        always_promote: Optional[bool] = None,
        contact_methods: Sequence[Any] = (),
    ) -> Favorite:
        """Adds a favorite (needs ``user_id``); ``always_promote``: made a privileged participant
        whenever it is added to a SafeBox."""
        with _ContactEdit(
            texts=dict(email=email, first_name=first_name, last_name=last_name, company_name=company_name),
            flags=dict(always_promote=always_promote),
            order_number=order_number,
            add_methods=contact_methods,
        ) as edit:
            return self._call_read("ss_create_favorite", "ss_favorite_free", _read.favorite, edit.ptr)

    def update_favorite(
        self,
        favorite_id: int,
        *,
        email: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        company_name: Optional[str] = None,
        order_number: Optional[int] = None,
        always_promote: Optional[bool] = None,
        add_contact_methods: Sequence[Any] = (),
        remove_contact_method_ids: Sequence[int] = (),
    ) -> Favorite:
        """Changes a favorite, like :meth:`update_participant` (needs ``user_id``)."""
        with _ContactEdit(
            texts=dict(email=email, first_name=first_name, last_name=last_name, company_name=company_name),
            flags=dict(always_promote=always_promote),
            order_number=order_number,
            add_methods=add_contact_methods,
            remove_ids=remove_contact_method_ids,
        ) as edit:
            return self._call_read("ss_update_favorite", "ss_favorite_free", _read.favorite, int(favorite_id), edit.ptr)

    def delete_favorite_contact_methods(self, favorite_id: int, ids: Sequence[int]) -> Favorite:
        array = (ctypes.c_int64 * len(ids))(*ids)
        return self._call_read(
            "ss_delete_favorite_contact_methods", "ss_favorite_free", _read.favorite, int(favorite_id), array, len(ids)
        )

    def delete_favorite(self, favorite_id: int) -> None:
        self._call("ss_delete_favorite", int(favorite_id))

    def search_recipient(self, term: str) -> List[RecipientMatch]:
        """The user's favorites and the enterprise's users whose name or e-mail contains ``term``."""
        return self._call_list(
            "ss_search_recipient", "ss_recipient_match_list", _read.recipient_match, enc(term, "term")
        )

    def consent_group_messages(self, consent_group_id: int) -> ConsentGroup:
        """The consent texts of a consent group, per locale."""
        return self._call_read(
            "ss_get_consent_group_messages", "ss_consent_group_free", _read.consent_group, int(consent_group_id)
        )


class _ContactEdit:
    """A temporary ``ss_contact_edit`` with the fields given (None: not set): ``texts`` and
    ``flags`` by the name of their ``ss_contact_edit_set_*`` setter."""

    def __init__(
        self,
        *,
        texts: Dict[str, Optional[str]],
        flags: Dict[str, Optional[bool]],
        order_number: Optional[int] = None,
        add_methods: Sequence[Any] = (),
        remove_ids: Sequence[int] = (),
    ) -> None:
        self.values = (texts, flags, order_number, add_methods, remove_ids)
        self.ptr: Optional[int] = None

    def __enter__(self) -> "_ContactEdit":
        lib = _ffi.lib()
        out = c_void_p()
        check(lib.ss_contact_edit_new(byref(out)), "ss_contact_edit_new")
        self.ptr = out.value
        try:
            texts, flags, order_number, add_methods, remove_ids = self.values
            for name, value in texts.items():
                if value is not None:
                    check(
                        getattr(lib, f"ss_contact_edit_set_{name}")(self.ptr, enc(value, name)),
                        f"ss_contact_edit_set_{name}",
                    )
            for name, flag in flags.items():
                if flag is not None:
                    setter = f"ss_contact_edit_set_{name}"
                    check(getattr(lib, setter)(self.ptr, bool(flag)), setter)
            if order_number is not None:
                check(
                    lib.ss_contact_edit_set_order_number(self.ptr, int(order_number)),
                    "ss_contact_edit_set_order_number",
                )
            for item in add_methods:
                destination, kind = _to_contact_method(item)
                check(
                    lib.ss_contact_edit_add_contact_method(self.ptr, enc(destination), int(kind)),
                    "ss_contact_edit_add_contact_method",
                )
            for method_id in remove_ids:
                check(
                    lib.ss_contact_edit_remove_contact_method(self.ptr, int(method_id)),
                    "ss_contact_edit_remove_contact_method",
                )
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.ptr:
            _ffi.lib().ss_contact_edit_free(self.ptr)
            self.ptr = None


# --- pages and iterator ----------------------------------------------------------------------


class SafeboxPage(Owned):
    """One page of the SafeBox list (``ss_safebox_page``): ``items`` (SafeboxInfo summaries,
    also by iterating the page), ``total`` (matching SafeBoxes in all pages), ``has_next``, and
    :meth:`next_page`. Holds its C page only to fetch the next one: close it (or use ``with``)
    when done, or let it be collected."""

    _free_name = "ss_safebox_page_free"
    _kind = "SafeBox page"

    def __init__(self, client: Client, address: int) -> None:
        self._own(address)
        lib = _ffi.lib()
        self._client = client
        self.total = int(lib.ss_safebox_page_total(address))
        self.has_next = bool(lib.ss_safebox_page_has_next(address))
        self.items = tuple(
            _read.safebox_info(p)
            for p in iterate(lib.ss_safebox_page_count(address), lambda i: lib.ss_safebox_page_at(address, i))
        )

    def next_page(self) -> Optional["SafeboxPage"]:
        """The page after this one (same filters and size), or None after the last one."""
        if not self.has_next:
            return None
        out = c_void_p()
        with self._client._use() as client:
            rc = _ffi.lib().ss_get_next_safebox_page(client, self._ptr, byref(out))
            check(rc, "ss_get_next_safebox_page")
        return SafeboxPage(self._client, out.value) if out.value else None

    def __iter__(self) -> Iterator[SafeboxInfo]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"<SafeboxPage {len(self.items)} of {self.total}{', more' if self.has_next else ''}>"


class SafeboxIterator(Owned):
    """Every SafeBox of a filtered list (``ss_safebox_iter``), page after page, as
    :class:`SafeboxInfo` summaries. Freed when exhausted, by :meth:`close` / ``with``, or when
    collected; it may outlive its Client. One thread at a time."""

    _free_name = "ss_safebox_iter_free"
    _kind = "SafeBox iterator"

    def __init__(self, address: int) -> None:
        self._own(address)
        self._lock = threading.RLock()

    def __iter__(self) -> "SafeboxIterator":
        return self

    def __next__(self) -> SafeboxInfo:
        with self._lock:
            if self.closed:
                raise StopIteration
            out = c_void_p()
            check(_ffi.lib().ss_safebox_iter_next(self._ptr, byref(out)), "ss_safebox_iter_next")
            if not out.value:
                self.close()
                raise StopIteration
            return _read.safebox_info(out.value)  # borrowed until the next call: copied now
