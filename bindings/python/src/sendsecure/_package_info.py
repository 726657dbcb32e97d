"""What the server says of a SendSafely package (``ss_sendsafely_package_info``): its files,
recipients and Workspace directories, read from the C handle into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from . import _ffi
from ._core import iterate

dec = _ffi.dec


@dataclass(frozen=True)
class PackageFile:
    """A file of a package or of a Workspace directory (``ss_sendsafely_file``)."""

    id: str
    name: str  # as the sender gave it (not made safe for a local path)
    size: int  # the plaintext size the server declares
    parts: int  # segments
    uploaded: bool  # every segment stored
    created_by: str  # e-mail address; "" when the server does not say
    uploaded_at: str
    directory_id: Optional[str]  # None: a package's file


@dataclass(frozen=True)
class PackageRecipient:
    """A recipient of a package (``ss_sendsafely_recipient``)."""

    id: str
    email: str
    full_name: str
    role: str  # a Workspace role, "" for a package's recipient
    needs_approval: bool
    sms_auth: bool
    phones: Tuple[Tuple[str, int], ...]  # (number, country calling code or 0)


@dataclass(frozen=True)
class PackageDirectory:
    """A Workspace directory below the root, as the package information lists it."""

    id: str
    name: str
    parent_id: str  # "" for a top directory


@dataclass(frozen=True)
class PackageInfo:
    """Everything the server says of a package (S6); the server secret is not kept."""

    package_id: str
    package_code: str
    state: str  # e.g. "PACKAGE_STATE_IN_PROGRESS"
    state_number: int  # -1 when the server does not say
    life: int  # days after finalize (0: forever), -1 when the server does not say
    label: str
    description: str
    is_workspace: bool
    root_directory_id: str  # "" for a package
    timestamp: str
    sender: str
    parent_id: str
    url: Optional[str]  # the link without its keycode, once finalized
    needs_approval: bool
    allow_reply_all: bool
    contains_message: bool
    is_archived: bool
    files: Tuple[PackageFile, ...]
    recipients: Tuple[PackageRecipient, ...]
    directories: Tuple[PackageDirectory, ...]


def read_file(p: int) -> PackageFile:
    lib = _ffi.lib()
    return PackageFile(
        id=dec(lib.ss_sendsafely_file_id(p)) or "",
        name=dec(lib.ss_sendsafely_file_name(p)) or "",
        size=int(lib.ss_sendsafely_file_size(p)),
        parts=int(lib.ss_sendsafely_file_parts(p)),
        uploaded=bool(lib.ss_sendsafely_file_uploaded(p)),
        created_by=dec(lib.ss_sendsafely_file_created_by(p)) or "",
        uploaded_at=dec(lib.ss_sendsafely_file_uploaded_at(p)) or "",
        directory_id=dec(lib.ss_sendsafely_file_directory_id(p)),
    )


def _recipient(p: int) -> PackageRecipient:
    lib = _ffi.lib()
    phones = tuple(
        (
            dec(lib.ss_sendsafely_recipient_phone_number(p, i)) or "",
            int(lib.ss_sendsafely_recipient_phone_country_code(p, i)),
        )
        for i in range(lib.ss_sendsafely_recipient_phone_count(p))
    )
    return PackageRecipient(
        id=dec(lib.ss_sendsafely_recipient_id(p)) or "",
        email=dec(lib.ss_sendsafely_recipient_email(p)) or "",
        full_name=dec(lib.ss_sendsafely_recipient_full_name(p)) or "",
        role=dec(lib.ss_sendsafely_recipient_role(p)) or "",
        needs_approval=bool(lib.ss_sendsafely_recipient_needs_approval(p)),
        sms_auth=bool(lib.ss_sendsafely_recipient_sms_auth(p)),
        phones=phones,
    )


def _directory(p: int) -> PackageDirectory:
    lib = _ffi.lib()
    return PackageDirectory(
        id=dec(lib.ss_sendsafely_directory_id(p)) or "",
        name=dec(lib.ss_sendsafely_directory_name(p)) or "",
        parent_id=dec(lib.ss_sendsafely_directory_parent_id(p)) or "",
    )


def read_info(p: int) -> PackageInfo:
    """The information behind a (borrowed) ``ss_sendsafely_package_info *``."""
    lib = _ffi.lib()
    text = lambda f: dec(f(p)) or ""  # noqa: E731
    return PackageInfo(
        package_id=text(lib.ss_sendsafely_package_info_id),
        package_code=text(lib.ss_sendsafely_package_info_code),
        state=text(lib.ss_sendsafely_package_info_state),
        state_number=int(lib.ss_sendsafely_package_info_state_number(p)),
        life=int(lib.ss_sendsafely_package_info_life(p)),
        label=text(lib.ss_sendsafely_package_info_label),
        description=text(lib.ss_sendsafely_package_info_description),
        is_workspace=bool(lib.ss_sendsafely_package_info_is_workspace(p)),
        root_directory_id=text(lib.ss_sendsafely_package_info_root_directory_id),
        timestamp=text(lib.ss_sendsafely_package_info_timestamp),
        sender=text(lib.ss_sendsafely_package_info_sender),
        parent_id=text(lib.ss_sendsafely_package_info_parent_id),
        url=dec(lib.ss_sendsafely_package_info_url(p)),
        needs_approval=bool(lib.ss_sendsafely_package_info_needs_approval(p)),
        allow_reply_all=bool(lib.ss_sendsafely_package_info_allow_reply_all(p)),
        contains_message=bool(lib.ss_sendsafely_package_info_contains_message(p)),
        is_archived=bool(lib.ss_sendsafely_package_info_is_archived(p)),
        files=tuple(
            read_file(f)
            for f in iterate(lib.ss_sendsafely_package_info_file_count(p), lambda i: lib.ss_sendsafely_package_info_file(p, i))
        ),
        recipients=tuple(
            _recipient(r)
            for r in iterate(
                lib.ss_sendsafely_package_info_recipient_count(p), lambda i: lib.ss_sendsafely_package_info_recipient(p, i)
            )
        ),
        directories=tuple(
            _directory(d)
            for d in iterate(
                lib.ss_sendsafely_package_info_directory_count(p), lambda i: lib.ss_sendsafely_package_info_directory(p, i)
            )
        ),
    )
