"""Receiving SendSafely packages: a package opened from its secure link (or its id and keycode),
its files downloaded and decrypted (to a path, a file object or a callable), the secure message,
a whole package to a directory, and the package lists page by page.

    with SendSafelyClient(host, api_key, api_secret) as client:
        with client.open_link(link) as package:
            for f in package.files:
                client.download_file(package, f, f"/tmp/{f.id}.bin")
            print(client.read_message(package))

The methods are those of :class:`~sendsecure.sendsafely.SendSafelyClient` (this module's mixin).
A wrong keycode or an altered segment raises :class:`~sendsecure.CryptoError` (or
:class:`~sendsecure.ApiError` with ``api_code_name == "FAIL"`` when the server checks the
keycode's checksum itself); no file is then written.

The secure message is a secret: the library wipes its own copy when its handle is freed (at
once, here), but a Python ``str`` cannot be wiped: drop it when done.
"""

from __future__ import annotations

import os
from ctypes import byref, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, Iterator, List, Optional, Union

from . import _ffi
from ._core import PROGRESS_TRAMPOLINE, WRITE_TRAMPOLINE, CallScope, Owned, Temp, check, iterate, took
from ._package_info import PackageFile, PackageInfo, read_info
from .client import _writer
from .models import Progress

enc = _ffi.enc
dec = _ffi.dec

ProgressCallback = Optional[Callable[[Progress], Any]]
PathLike = Union[str, "os.PathLike[str]"]

#: The lists of :meth:`ReceiveMixin.list_packages` (``ss_sendsafely_list``).
LISTS = {"sent": 0, "received": 1, "archived": 2}


class ReceivedPackage(Owned):
    """A package opened for reading (``ss_sendsafely_received``): its information, and the
    keycode that decrypts it (kept by the library, wiped when this is closed). Close it with
    :meth:`close` or a ``with`` block (or let it be garbage collected)."""

    _free_name = "ss_sendsafely_received_free"
    _kind = "ReceivedPackage"

    def __init__(self, address: int) -> None:
        self._own(address)
        lib = _ffi.lib()
        #: Everything the server says of the package.
        self.info: PackageInfo = read_info(lib.ss_sendsafely_received_info(address))
        self.package_id: str = self.info.package_id
        self.package_code: str = self.info.package_code
        self.sender: str = self.info.sender
        self.label: str = self.info.label
        self.state: str = self.info.state
        self.contains_message: bool = self.info.contains_message
        self.files: List[PackageFile] = list(self.info.files)

    def __repr__(self) -> str:
        return f"<ReceivedPackage {self.package_id} files={len(self.files)}{' closed' if self.closed else ''}>"


@dataclass(frozen=True)
class DownloadedPackage:
    """What :meth:`ReceiveMixin.download_package` wrote."""

    paths: List[str]  # one per file, in the package's order
    message: str  # "" when the package has none


@dataclass(frozen=True)
class PackageSummary:
    """A package as a list shows it."""

    id: str
    code: str
    sender: str
    state: str
    state_number: int  # -1 when the list does not say
    timestamp: str
    label: str
    is_workspace: bool
    recipients: List[str]
    file_names: List[str]


@dataclass(frozen=True)
class PackagePage:
    """One page of a list; ``next_row_index`` is None on the last page."""

    packages: List[PackageSummary]
    next_row_index: Optional[int]


def _texts(p: int, count: Callable[[int], int], at: Callable[[int, int], Optional[bytes]]) -> List[str]:
    return [dec(at(p, i)) or "" for i in range(count(p))]


def _summary(p: int) -> PackageSummary:
    lib = _ffi.lib()
    return PackageSummary(
        id=dec(lib.ss_sendsafely_package_summary_id(p)) or "",
        code=dec(lib.ss_sendsafely_package_summary_code(p)) or "",
        sender=dec(lib.ss_sendsafely_package_summary_sender(p)) or "",
        state=dec(lib.ss_sendsafely_package_summary_state(p)) or "",
        state_number=int(lib.ss_sendsafely_package_summary_state_number(p)),
        timestamp=dec(lib.ss_sendsafely_package_summary_timestamp(p)) or "",
        label=dec(lib.ss_sendsafely_package_summary_label(p)) or "",
        is_workspace=bool(lib.ss_sendsafely_package_summary_is_workspace(p)),
        recipients=_texts(
            p, lib.ss_sendsafely_package_summary_recipient_count, lib.ss_sendsafely_package_summary_recipient
        ),
        file_names=_texts(
            p, lib.ss_sendsafely_package_summary_file_name_count, lib.ss_sendsafely_package_summary_file_name
        ),
    )


def _page(p: int) -> PackagePage:
    lib = _ffi.lib()
    count = lib.ss_sendsafely_package_page_count(p)
    packages = [_summary(s) for s in iterate(count, lambda i: lib.ss_sendsafely_package_page_package(p, i))]
    following = int(lib.ss_sendsafely_package_page_next_row_index(p))
    return PackagePage(packages=packages, next_row_index=following if following >= 0 else None)


def _file_id(file: Union[str, PackageFile]) -> bytes:
    return enc(file.id if isinstance(file, PackageFile) else file, "file")


class ReceiveMixin:
    """The receive side of :class:`~sendsecure.sendsafely.SendSafelyClient`."""

    def open_link(self, link: str) -> ReceivedPackage:
        """Opens the package of a secure link (``…?packageCode=…#keyCode=…``); any user holding
        the link may. A malformed link raises :class:`~sendsecure.ArgumentError` (whose message
        never quotes the keycode)."""
        return self._open("ss_sendsafely_open_link", enc(link, "link"))

    def open_package(self, package_id: str, keycode: str) -> ReceivedPackage:
        """Opens a package by its id (or package code) and keycode. The keycode is not checked
        here: a wrong one makes downloads raise, never write garbage."""
        return self._open("ss_sendsafely_open_package", enc(package_id, "package_id"), enc(keycode, "keycode"))

    def _open(self, function: str, *args: Any) -> ReceivedPackage:
        out = c_void_p()
        with self._use() as client:  # type: ignore[attr-defined]
            rc = getattr(_ffi.lib(), function)(client, *args, byref(out))
            check(rc, function)
        return ReceivedPackage(took(out, function))

    def download_file(
        self,
        package: ReceivedPackage,
        file: Union[str, PackageFile],
        path: PathLike,
        progress: ProgressCallback = None,
    ) -> str:
        """Downloads and decrypts a file (a :class:`PackageFile` or its id) into ``path``
        (replaced) and returns the path. ``path`` is whole (every segment decrypted, the
        declared size) or absent: nothing is left on any failure or stop. ``progress`` gets a
        :class:`~sendsecure.Progress` before the first segment and after each; returning True
        stops the download (:class:`~sendsecure.AbortedError`)."""
        path = os.fspath(path)
        with self._use() as client, CallScope(progress) as scope:  # type: ignore[attr-defined]
            rc = _ffi.lib().ss_sendsafely_download_file(
                client,
                package._ptr,
                _file_id(file),
                enc(path, "path"),
                PROGRESS_TRAMPOLINE,
                c_void_p(scope.key),
            )
            scope.finish(rc, "ss_sendsafely_download_file")
        return path

    def download_file_to(
        self,
        package: ReceivedPackage,
        file: Union[str, PackageFile],
        target: Any,
        progress: ProgressCallback = None,
    ) -> None:
        """Downloads and decrypts a file into a binary file object (``.write``) or a callable
        taking ``bytes``, in blocks of at most 256 KiB on this thread. Each segment is checked
        before any of it is handed over; after a failure the target may hold the segments
        before the one that failed. An exception of the target stops the download and is
        re-raised here."""
        write = _writer(target)
        with self._use() as client, CallScope(progress, write=write) as scope:  # type: ignore[attr-defined]
            rc = _ffi.lib().ss_sendsafely_download_file_to(
                client,
                package._ptr,
                _file_id(file),
                WRITE_TRAMPOLINE,
                c_void_p(scope.key),
                PROGRESS_TRAMPOLINE,
                c_void_p(scope.key),
            )
            scope.finish(rc, "ss_sendsafely_download_file_to")

    def read_file(self, package: ReceivedPackage, file: Union[str, PackageFile]) -> bytes:
        """A file's plaintext in memory (prefer :meth:`download_file` for large ones)."""
        chunks: List[bytes] = []
        self.download_file_to(package, file, chunks.append)
        return b"".join(chunks)

    def download_package(
        self, package: ReceivedPackage, directory: PathLike, progress: ProgressCallback = None
    ) -> DownloadedPackage:
        """Downloads every file into the existing ``directory`` (names made safe: ``<>:"/\\|?*``
        and control characters become ``_``, a name given twice ``name (2).ext``; files there
        are replaced), then reads the message. ``progress`` reports each file in turn
        (``attachment_index`` of ``attachment_count``)."""
        directory = os.fspath(directory)
        with self._use() as client, CallScope(progress) as scope, Temp(  # type: ignore[attr-defined]
            "ss_sendsafely_downloaded_free"
        ) as out:
            rc = _ffi.lib().ss_sendsafely_download_package(
                client, package._ptr, enc(directory, "directory"), PROGRESS_TRAMPOLINE, c_void_p(scope.key), out.ref
            )
            scope.finish(rc, "ss_sendsafely_download_package")
            lib = _ffi.lib()
            d = took(out.out, "ss_sendsafely_download_package")
            count = lib.ss_sendsafely_downloaded_file_count(d)
            paths = [dec(lib.ss_sendsafely_downloaded_file_path(d, i)) or "" for i in range(count)]
            return DownloadedPackage(paths=paths, message=dec(lib.ss_sendsafely_downloaded_message(d)) or "")

    def read_message(self, package: ReceivedPackage) -> str:
        """The secure message, decrypted ("" when the package has none)."""
        return self._call_read(  # type: ignore[attr-defined]
            "ss_sendsafely_read_message",
            "ss_sendsafely_message_free",
            lambda m: dec(_ffi.lib().ss_sendsafely_message_text(m)) or "",
            package._ptr,
        )

    def list_packages(self, which: str = "sent", row_index: int = 0, page_size: int = 100) -> PackagePage:
        """One page of the packages ``"sent"``, ``"received"`` or ``"archived"``: ``page_size``
        (1 to 100) from ``row_index`` (0 first; then the previous page's ``next_row_index``)."""
        if which not in LISTS:
            raise ValueError(f"which must be one of {', '.join(LISTS)}, not {which!r}")
        return self._call_read(  # type: ignore[attr-defined]
            "ss_sendsafely_list_packages", "ss_sendsafely_package_page_free", _page, LISTS[which], row_index, page_size
        )

    def iter_packages(self, which: str = "sent", page_size: int = 100) -> Iterator[PackageSummary]:
        """Every package of a list, a page at a time."""
        row: Optional[int] = 0
        while row is not None:
            page = self.list_packages(which, row, page_size)
            yield from page.packages
            row = page.next_row_index
