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

import ctypes
import threading
from ctypes import byref, c_void_p
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional, Sequence, Tuple, Union

from . import _ffi
from ._core import PROGRESS_TRAMPOLINE, READ_TRAMPOLINE, REWIND_TRAMPOLINE, CallScope, Owned, Temp, check, iterate, register, took, unregister
from ._sendsafely_receive import (  # noqa: F401  RECEIVE: the receive side and its types
    DownloadedPackage,
    PackagePage,
    PackageSummary,
    ReceivedPackage,
    ReceiveMixin,
)
from ._service_client import ServiceClient
from .client import _options
from ._package_info import (  # noqa: F401 - public here
    PackageDirectory,
    PackageFile,
    PackageInfo,
    PackageRecipient,
    read_info,
)

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

    def package_info(self, package_id_or_code: str) -> PackageInfo:
        """Everything the server says of a package (S6), by its id or its code: state, life,
        files, recipients, Workspace directories (``root_directory_id``), ..."""
        return self._call_read(
            "ss_sendsafely_get_package_info",
            "ss_sendsafely_package_info_free",
            read_info,
            enc(package_id_or_code, "package_id_or_code"),
        )

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

    # --- SEND ------------------------------------------------------------------------------

    def create_package(self) -> "Package":
        """A new, empty package with a keycode made here (never sent)."""
        return self._create("ss_sendsafely_create_package")

    def create_workspace(self) -> "Package":
        """A new, empty Workspace (a package with directories and collaborators); its root
        directory is ``package_info(package.id).root_directory_id``."""
        return self._create("ss_sendsafely_create_workspace")

    def _create(self, function: str) -> "Package":
        out = c_void_p()
        with self._use() as client:
            check(getattr(_ffi.lib(), function)(client, byref(out)), function)
        return Package(self, took(out, function))

    def reopen_package(self, package_id: str, keycode: str) -> "Package":
        """A package of this user made earlier, maybe by another process, from its id and the
        keycode kept since (its code and server secret are read from the server)."""
        lib = _ffi.lib()
        out = c_void_p()
        with self._use() as client:
            rc = lib.ss_sendsafely_reopen_package(
                client, enc(package_id, "package_id"), enc(keycode, "keycode"), byref(out)
            )
            check(rc, "ss_sendsafely_reopen_package")
        return Package(self, took(out, "ss_sendsafely_reopen_package"))


# --- SEND: packages, recipients, uploads, the message, finalize ---------------------------------


@dataclass(frozen=True)
class AddedRecipient:
    """A recipient added to a package."""

    id: str
    email: str
    needs_approval: bool = False


@dataclass(frozen=True)
class RecipientOutcome:
    """What adding one address of several gave: ``recipient`` when added, else the server's
    ``code`` (e.g. "INVALID_EMAIL") and ``message``."""

    email: str
    code: str
    message: str
    recipient: Optional[AddedRecipient]


@dataclass(frozen=True)
class UploadedFile:
    """A file stored and marked complete."""

    id: str
    name: str
    size: int
    parts: int


@dataclass(frozen=True)
class Finalized:
    """A finalized package: its secure link (with ``#keyCode=``: whoever has it reads the
    package; not shown by ``repr``) and what finalize did."""

    secure_link: str = field(repr=False)
    needs_approval: bool
    wrapped_key_ids: Tuple[str, ...]
    skipped_keys: Tuple[Tuple[str, str], ...]  # (key id, reason)


def _recipient(p: int) -> AddedRecipient:
    lib = _ffi.lib()
    return AddedRecipient(
        id=dec(lib.ss_sendsafely_recipient_id(p)) or "",
        email=dec(lib.ss_sendsafely_recipient_email(p)) or "",
        needs_approval=bool(lib.ss_sendsafely_recipient_needs_approval(p)),
    )


def _outcomes(p: int) -> List[RecipientOutcome]:
    lib = _ffi.lib()
    outcomes = []
    for o in iterate(lib.ss_sendsafely_recipient_outcomes_count(p), lambda i: lib.ss_sendsafely_recipient_outcomes_at(p, i)):
        r = lib.ss_sendsafely_recipient_outcome_recipient(o)
        outcomes.append(
            RecipientOutcome(
                email=dec(lib.ss_sendsafely_recipient_outcome_email(o)) or "",
                code=dec(lib.ss_sendsafely_recipient_outcome_code(o)) or "",
                message=dec(lib.ss_sendsafely_recipient_outcome_message(o)) or "",
                recipient=_recipient(r) if r else None,
            )
        )
    return outcomes


def _uploaded(p: int) -> List[UploadedFile]:
    lib = _ffi.lib()
    return [
        UploadedFile(
            id=dec(lib.ss_sendsafely_uploaded_file_id(f)) or "",
            name=dec(lib.ss_sendsafely_uploaded_file_name(f)) or "",
            size=int(lib.ss_sendsafely_uploaded_file_size(f)),
            parts=int(lib.ss_sendsafely_uploaded_file_parts(f)),
        )
        for f in iterate(lib.ss_sendsafely_uploaded_list_count(p), lambda i: lib.ss_sendsafely_uploaded_list_file(p, i))
    ]


def _finalized(p: int) -> Finalized:
    lib = _ffi.lib()
    return Finalized(
        secure_link=dec(lib.ss_sendsafely_finalized_secure_link(p)) or "",
        needs_approval=bool(lib.ss_sendsafely_finalized_needs_approval(p)),
        wrapped_key_ids=tuple(
            dec(lib.ss_sendsafely_finalized_wrapped_key_id(p, i)) or ""
            for i in range(lib.ss_sendsafely_finalized_wrapped_key_count(p))
        ),
        skipped_keys=tuple(
            (
                dec(lib.ss_sendsafely_finalized_skipped_key_id(p, i)) or "",
                dec(lib.ss_sendsafely_finalized_skipped_key_reason(p, i)) or "",
            )
            for i in range(lib.ss_sendsafely_finalized_skipped_key_count(p))
        ),
    )


class Upload(Owned):
    """The files of an upload (``ss_sendsafely_upload``) and where each stands: after a stop
    (the progress callable returned True) or a failure, give the same ``Upload`` to
    :meth:`Package.upload_files` again: it resumes (complete files are skipped, stored parts
    not sent again). Used by one thread at a time.

    Items (:meth:`add`): a path (``str`` or ``os.PathLike``), ``(name, bytes)``, or
    ``(name, binary file object)`` / a binary file object with a ``name`` (streamed from its
    position; a seekable one is rewound for a resuming call). ``add_fd`` adds an open
    descriptor.
    """

    _free_name = "ss_sendsafely_upload_free"
    _kind = "upload"

    def __init__(self, files: Iterable[Any] = ()) -> None:
        out = c_void_p()
        check(_ffi.lib().ss_sendsafely_upload_new(byref(out)), "ss_sendsafely_upload_new")
        self._lock = threading.RLock()
        self._streams: list = []
        self._keys: List[int] = []
        keys = self._keys

        def release() -> None:
            for key in keys:
                unregister(key)
            keys.clear()

        self._own(took(out, "ss_sendsafely_upload_new"), release)
        for item in files:
            self.add(item)

    def add(self, item: Any, *, name: Optional[str] = None, directory_id: Optional[str] = None) -> "Upload":
        """Adds a file (see the class); ``name`` overrides the item's; ``directory_id`` puts
        it in a Workspace directory."""
        from .safebox import _Stream, to_attachment

        attachment = to_attachment(item, self.file_count + 1)
        name = name if name is not None else attachment.name
        lib = _ffi.lib()
        with self._lock:
            if attachment.kind == "path":
                function = "ss_sendsafely_upload_add_path"
                rc = lib.ss_sendsafely_upload_add_path(
                    self._ptr, enc(attachment.source, "path"), enc(name), enc(directory_id)
                )
            elif attachment.kind == "bytes":
                function = "ss_sendsafely_upload_add_bytes"
                data = attachment.source
                rc = lib.ss_sendsafely_upload_add_bytes(self._ptr, data, len(data), enc(name, "name"), enc(directory_id))
            else:
                function = "ss_sendsafely_upload_add_stream"
                stream = _Stream(attachment.source)
                key = register(stream)
                rewind = REWIND_TRAMPOLINE if stream.start is not None else _ffi.REWIND_CB()
                rc = lib.ss_sendsafely_upload_add_stream(
                    self._ptr, READ_TRAMPOLINE, rewind, c_void_p(key), attachment.size, enc(name, "name"), enc(directory_id)
                )
                if rc == 0:
                    self._streams.append(stream)
                    self._keys.append(key)
                else:
                    unregister(key)
            check(rc, function)
        return self

    def add_fd(self, fd: int, name: str, *, directory_id: Optional[str] = None) -> "Upload":
        """Adds an open regular file from its offset (the descriptor is duplicated and read
        with positional reads: close yours whenever)."""
        with self._lock:
            rc = _ffi.lib().ss_sendsafely_upload_add_fd(self._ptr, int(fd), enc(name, "name"), enc(directory_id))
            check(rc, "ss_sendsafely_upload_add_fd")
        return self

    @property
    def file_count(self) -> int:
        return int(_ffi.lib().ss_sendsafely_upload_file_count(self._ptr))

    def file_id(self, index: int) -> Optional[str]:
        """The server's id of file ``index``, None before it was registered."""
        return dec(_ffi.lib().ss_sendsafely_upload_file_id(self._ptr, index))

    def complete(self, index: int) -> bool:
        return bool(_ffi.lib().ss_sendsafely_upload_file_complete(self._ptr, index))

    def parts_done(self, index: int) -> List[int]:
        """The parts (1 first) of file ``index`` known to be stored."""
        lib = _ffi.lib()
        count = lib.ss_sendsafely_upload_file_parts_done_count(self._ptr, index)
        return [int(lib.ss_sendsafely_upload_file_part_done(self._ptr, index, k)) for k in range(count)]

    def resume_file(self, index: int, file_id: str, parts_done: Sequence[int] = ()) -> "Upload":
        """Says file ``index`` was registered elsewhere (another process) as ``file_id`` with
        ``parts_done`` stored: the next upload sends only its other parts."""
        parts = (ctypes.c_uint64 * len(parts_done))(*parts_done)
        with self._lock:
            rc = _ffi.lib().ss_sendsafely_upload_resume_file(
                self._ptr, index, enc(file_id, "file_id"), parts if parts_done else None, len(parts_done)
            )
            check(rc, "ss_sendsafely_upload_resume_file")
        return self


class Package(Owned):
    """A package of this user (``ss_sendsafely_package``): made by
    :meth:`SendSafelyClient.create_package` or :meth:`SendSafelyClient.reopen_package`. Its
    calls run on the client it came from (which must stay open). ``keycode`` is secret: with
    the package's id it is what resuming in another process needs."""

    _free_name = "ss_sendsafely_package_free"
    _kind = "package"

    def __init__(self, client: SendSafelyClient, address: int) -> None:
        self.client = client
        lib = _ffi.lib()
        self.id = dec(lib.ss_sendsafely_package_id(address)) or ""
        self.code = dec(lib.ss_sendsafely_package_code(address)) or ""
        self._own(address)

    @property
    def keycode(self) -> str:
        return dec(_ffi.lib().ss_sendsafely_package_keycode(self._ptr)) or ""

    def __repr__(self) -> str:
        return f"<sendsafely.Package {self.id}{' closed' if self.closed else ''}>"

    def _call(self, function: str, *args: Any) -> None:
        with self.client._use() as client:
            check(getattr(_ffi.lib(), function)(client, *args), function)

    def set_life(self, days: int) -> None:
        """Days (1 to 365) the package lives once finalized."""
        self._call("ss_sendsafely_update_package_life", enc(self.id), int(days))

    def set_label(self, label: str) -> None:
        self._call("ss_sendsafely_update_package_label", enc(self.id), enc(label, "label"))

    def add_recipient(self, email: str) -> AddedRecipient:
        return self.client._call_read(
            "ss_sendsafely_add_recipient", "ss_sendsafely_recipient_free", _recipient, enc(self.id), enc(email, "email")
        )

    def add_recipients(self, emails: Sequence[str]) -> List[RecipientOutcome]:
        """Several at once: one outcome per address (a refused one does not refuse the others)."""
        array = (ctypes.c_char_p * len(emails))(*[enc(e, "email") for e in emails])
        return self.client._call_read(
            "ss_sendsafely_add_recipients",
            "ss_sendsafely_recipient_outcomes_free",
            _outcomes,
            enc(self.id),
            array,
            len(emails),
        )

    def set_recipient_phone(self, recipient: Union[str, AddedRecipient], number: str, country: str) -> None:
        """``country``: an upper-case ISO-2 code ("US"), or "OTHER" with a number starting with +."""
        rid = recipient.id if isinstance(recipient, AddedRecipient) else recipient
        self._call(
            "ss_sendsafely_update_recipient_phone",
            enc(self.id),
            enc(rid, "recipient_id"),
            enc(number, "phone_number"),
            enc(country, "country"),
        )

    def remove_recipient(self, recipient: Union[str, AddedRecipient]) -> None:
        rid = recipient.id if isinstance(recipient, AddedRecipient) else recipient
        self._call("ss_sendsafely_remove_recipient", enc(self.id), enc(rid, "recipient_id"))

    def upload_files(self, files: Union[Upload, Iterable[Any]], progress: Any = None) -> List[UploadedFile]:
        """Encrypts and uploads ``files`` (an :class:`Upload`, or items as ``Upload`` takes):
        ``progress`` (optional) is called on this thread with a :class:`~sendsecure.Progress`
        after each stored segment (``attachment_index`` the file); returning True stops the
        upload (:class:`~sendsecure.AbortedError`). Give the same ``Upload`` again to resume."""
        upload = files if isinstance(files, Upload) else Upload(files)
        lib = _ffi.lib()
        with self.client._use() as client, upload._lock, CallScope(progress) as scope, Temp(
            "ss_sendsafely_uploaded_list_free"
        ) as out:
            rc = lib.ss_sendsafely_upload_files(
                client, self._ptr, upload._ptr, PROGRESS_TRAMPOLINE, c_void_p(scope.key), out.ref
            )
            scope.finish(rc, "ss_sendsafely_upload_files", upload._streams)
            return _uploaded(took(out.out, "ss_sendsafely_upload_files"))

    def delete_file(self, file_id: str) -> None:
        self._call("ss_sendsafely_delete_file", enc(self.id), enc(file_id, "file_id"))

    def put_message(self, text: str) -> None:
        """The secure message, encrypted here; a second one replaces it."""
        self._call("ss_sendsafely_put_message", self._ptr, enc(text, "message"))

    def finalize(self) -> Finalized:
        """The keycode wrapped to the public keys, the checksum, the secure link."""
        with self.client._use() as client, Temp("ss_sendsafely_finalized_free") as out:
            rc = _ffi.lib().ss_sendsafely_finalize_package(client, self._ptr, out.ref)
            check(rc, "ss_sendsafely_finalize_package")
            return _finalized(took(out.out, "ss_sendsafely_finalize_package"))

    def delete(self) -> None:
        """Deletes the package (finalized or not)."""
        self._call("ss_sendsafely_delete_package", enc(self.id))

    def delete_temporary(self) -> None:
        """Deletes a package never finalized."""
        self._call("ss_sendsafely_delete_temporary_package", enc(self.id))
