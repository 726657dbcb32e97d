"""SendSafely Workspaces and trusted-device keys: the values read from their C handles, and
the trusted-device key handle. Public through :mod:`sendsecure.sendsafely`."""

from __future__ import annotations

import ctypes
from ctypes import byref, c_void_p
from dataclasses import dataclass
from typing import Optional, Tuple

from . import _ffi
from ._core import Owned, check, iterate, took
from ._package_info import PackageFile as DirectoryFile
from ._package_info import read_file

dec = _ffi.dec

ROLES = ("VIEWER", "CONTRIBUTOR", "MANAGER", "OWNER")


@dataclass(frozen=True)
class Subdirectory:
    """A directory inside a Workspace directory."""

    id: str
    name: str


@dataclass(frozen=True)
class Directory:
    """A Workspace directory: its subdirectories and files (the API has no file versions)."""

    id: str
    name: str
    parent_id: Optional[str]  # None for the Workspace's root
    created: str
    subdirectories: Tuple[Subdirectory, ...]
    files: Tuple[DirectoryFile, ...]


@dataclass(frozen=True)
class ActivityRecord:
    """One event of a Workspace's activity log."""

    timestamp: str
    user_email: str
    action: str  # e.g. "DIRECTORY_CREATED", "FILE_MOVED"
    details: str  # what it was done to (a name, an id)


@dataclass(frozen=True)
class ActivityPage:
    """One page of a Workspace's activity log: up to ten records, newest first."""

    records: Tuple[ActivityRecord, ...]
    next_row_index: int  # where the next page starts
    last: bool  # the log ends with this page


def directory(p: int) -> Directory:
    """The values of an ``ss_sendsafely_directory_info``."""
    lib = _ffi.lib()
    subdirectories = tuple(
        Subdirectory(dec(lib.ss_sendsafely_directory_id(d)) or "", dec(lib.ss_sendsafely_directory_name(d)) or "")
        for d in iterate(
            lib.ss_sendsafely_directory_info_subdirectory_count(p),
            lambda i: lib.ss_sendsafely_directory_info_subdirectory(p, i),
        )
    )
    files = tuple(
        read_file(f)
        for f in iterate(
            lib.ss_sendsafely_directory_info_file_count(p), lambda i: lib.ss_sendsafely_directory_info_file(p, i)
        )
    )
    return Directory(
        id=dec(lib.ss_sendsafely_directory_info_id(p)) or "",
        name=dec(lib.ss_sendsafely_directory_info_name(p)) or "",
        parent_id=dec(lib.ss_sendsafely_directory_info_parent_id(p)),
        created=dec(lib.ss_sendsafely_directory_info_created(p)) or "",
        subdirectories=subdirectories,
        files=files,
    )


def activity_page(p: int) -> ActivityPage:
    """The values of an ``ss_sendsafely_activity_page``."""
    lib = _ffi.lib()
    records = tuple(
        ActivityRecord(
            timestamp=dec(lib.ss_sendsafely_activity_record_timestamp(r)) or "",
            user_email=dec(lib.ss_sendsafely_activity_record_user_email(r)) or "",
            action=dec(lib.ss_sendsafely_activity_record_action(r)) or "",
            details=dec(lib.ss_sendsafely_activity_record_details(r)) or "",
        )
        for r in iterate(
            lib.ss_sendsafely_activity_page_count(p), lambda i: lib.ss_sendsafely_activity_page_record(p, i)
        )
    )
    return ActivityPage(
        records=records,
        next_row_index=int(lib.ss_sendsafely_activity_page_next_row_index(p)),
        last=bool(lib.ss_sendsafely_activity_page_is_last(p)),
    )


def secret_text(address: int) -> str:
    """The text of a ``ss_sendsafely_secret`` (a Python str, which cannot be wiped)."""
    pointer = _ffi.lib().ss_sendsafely_secret_text(address)
    return (ctypes.string_at(pointer) if pointer else b"").decode("utf-8")


class TrustedKey(Owned):
    """A trusted-device key (``ss_sendsafely_trusted_key``): ``id``, ``public_key`` and the
    private key that unwraps the keycodes senders wrapped to it, kept in the library's memory
    (wiped when this object is closed or collected) until :attr:`private_key` is read.

    To use the key in a later run, store ``id`` and ``private_key`` where only the user can read
    them (a file of mode 0600, the system's keychain) and rebuild it with
    :meth:`from_stored`. Made by :meth:`SendSafelyClient.add_trusted_key`.
    """

    _free_name = "ss_sendsafely_trusted_key_free"
    _kind = "trusted-device key"

    def __init__(self, address: int) -> None:
        self._own(address)
        lib = _ffi.lib()
        self.id: str = dec(lib.ss_sendsafely_trusted_key_id(address)) or ""
        self.public_key: str = dec(lib.ss_sendsafely_trusted_key_public_key(address)) or ""

    @classmethod
    def from_stored(cls, key_id: str, private_key: str) -> "TrustedKey":
        """A registered key from what the program stored; nothing is sent. Raises
        :class:`~sendsecure.ArgumentError` when ``private_key`` is no OpenPGP private key with an
        encryption subkey."""
        out = c_void_p()
        rc = _ffi.lib().ss_sendsafely_trusted_key_new(
            _ffi.enc(key_id, "key_id"), _ffi.enc(private_key, "private_key"), byref(out)
        )
        check(rc, "ss_sendsafely_trusted_key_new")
        return cls(took(out, "ss_sendsafely_trusted_key_new"))

    @property
    def private_key(self) -> str:
        """The private key, ASCII-armored OpenPGP without a password: a secret (and a Python str,
        which cannot be wiped: read it only to store it)."""
        pointer = _ffi.lib().ss_sendsafely_trusted_key_private_key(self._ptr)
        return (ctypes.string_at(pointer) if pointer else b"").decode("utf-8")

    def __repr__(self) -> str:
        return f"<TrustedKey id={self.id!r}{' closed' if self.closed else ''}>"
