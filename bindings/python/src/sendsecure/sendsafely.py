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
from typing import Any, List, Union

from . import _ffi
from ._core import check, took
from ._service_client import ServiceClient
from .client import _options

# Workspaces and trusted-device keys.
from . import _workspaces
from ._workspaces import (  # noqa: F401 - public here
    ROLES,
    ActivityPage,
    ActivityRecord,
    Directory,
    DirectoryFile,
    Subdirectory,
    TrustedKey,
)

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


class SendSafelyClient(ServiceClient):
    """A SendSafely client (``ss_sendsafely_client``). Thread-safe; freed by :meth:`close`, at
    the end of a ``with`` block, or when garbage collected.

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

    # --- Workspaces and trusted-device keys ---------------------------------------------------

    def create_directory(self, package_id: str, parent_id: str, name: str) -> str:
        """Creates the directory ``name`` in ``parent_id`` of the Workspace ``package_id`` (the
        root's id is ``rootDirectoryId`` of its information): the new directory's id."""
        return (
            self._call_string(
                "ss_sendsafely_create_directory",
                enc(package_id, "package_id"),
                enc(parent_id, "parent_id"),
                enc(name, "name"),
            )
            or ""
        )

    def directory(self, package_id: str, directory_id: str) -> Directory:
        """A Workspace directory with its subdirectories and files."""
        return self._call_read(
            "ss_sendsafely_get_directory",
            "ss_sendsafely_directory_info_free",
            _workspaces.directory,
            enc(package_id, "package_id"),
            enc(directory_id, "directory_id"),
        )

    def rename_directory(self, package_id: str, directory_id: str, name: str) -> None:
        self._call(
            "ss_sendsafely_rename_directory",
            enc(package_id, "package_id"),
            enc(directory_id, "directory_id"),
            enc(name, "name"),
        )

    def move_directory(self, package_id: str, directory_id: str, target_id: str) -> None:
        """Moves ``directory_id``, with everything in it, into ``target_id``."""
        self._call(
            "ss_sendsafely_move_directory",
            enc(package_id, "package_id"),
            enc(directory_id, "directory_id"),
            enc(target_id, "target_id"),
        )

    def delete_directory(self, package_id: str, directory_id: str) -> None:
        """Deletes a directory with its subdirectories and their files."""
        self._call("ss_sendsafely_delete_directory", enc(package_id, "package_id"), enc(directory_id, "directory_id"))

    def move_file(self, package_id: str, file_id: str, target_id: str) -> None:
        """Moves a Workspace file into the directory ``target_id``."""
        self._call(
            "ss_sendsafely_move_file",
            enc(package_id, "package_id"),
            enc(file_id, "file_id"),
            enc(target_id, "target_id"),
        )

    def update_recipient_role(self, package_id: str, recipient_id: str, role: str) -> None:
        """Sets a Workspace collaborator's role, one of :data:`ROLES`."""
        self._call(
            "ss_sendsafely_update_recipient_role",
            enc(package_id, "package_id"),
            enc(recipient_id, "recipient_id"),
            enc(role, "role"),
        )

    def activity_log_page(self, package_id: str, row_index: int = 0) -> ActivityPage:
        """The page of a Workspace's activity log that starts at ``row_index`` (0: the newest)."""
        if row_index < 0:
            raise ValueError("row_index must not be negative")
        return self._call_read(
            "ss_sendsafely_get_activity_log",
            "ss_sendsafely_activity_page_free",
            _workspaces.activity_page,
            enc(package_id, "package_id"),
            row_index,
        )

    def activity_log(self, package_id: str) -> List[ActivityRecord]:
        """The whole activity log of a Workspace, newest first (one call per ten records)."""
        records: List[ActivityRecord] = []
        row = 0
        while True:
            page = self.activity_log_page(package_id, row)
            records.extend(page.records)
            if page.last or page.next_row_index <= row:
                return records
            row = page.next_row_index

    def add_trusted_key(self, description: str = "") -> TrustedKey:
        """Generates a trusted-device key pair here and registers its public half for the user:
        senders then wrap each package's keycode to it."""
        with self._use() as client:
            out = c_void_p()
            rc = _ffi.lib().ss_sendsafely_add_trusted_key(client, enc(description, "description"), byref(out))
            check(rc, "ss_sendsafely_add_trusted_key")
        return TrustedKey(took(out, "ss_sendsafely_add_trusted_key"))

    def package_keycode(self, package_id: str, key: TrustedKey) -> str:
        """The keycode of ``package_id`` its sender wrapped to ``key``, unwrapped. Raises
        :class:`~sendsecure.ApiError` (``api_code_name`` ``FAIL``) when none is wrapped to it,
        :class:`~sendsecure.CryptoError` when the key does not open it. The library's copy is
        wiped at once; the str returned cannot be."""
        if not isinstance(key, TrustedKey):
            raise TypeError("key must be a TrustedKey")
        return self._call_read(
            "ss_sendsafely_get_package_keycode",
            "ss_sendsafely_secret_free",
            _workspaces.secret_text,
            enc(package_id, "package_id"),
            key._ptr,
        )

    def revoke_trusted_key(self, key: Union[str, TrustedKey]) -> None:
        """Revokes one of the user's trusted-device keys (by id, or the key itself)."""
        key_id = key.id if isinstance(key, TrustedKey) else key
        self._call("ss_sendsafely_revoke_trusted_key", enc(key_id, "key_id"))

    # --- end of Workspaces and trusted-device keys ---------------------------------------------
