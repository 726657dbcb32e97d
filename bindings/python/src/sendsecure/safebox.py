"""Building SafeBoxes and replies: ``Safebox``, ``Recipient``, ``Attachment``, ``Reply``."""

from __future__ import annotations

import ctypes
import datetime
import io
import os
import threading
from ctypes import byref, c_void_p
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Union

from . import _ffi
from ._core import READ_TRAMPOLINE, REWIND_TRAMPOLINE, Owned, check, register, took, unregister
from .models import ContactMethod, DestinationType

enc = _ffi.enc

PathLike = Union[str, "os.PathLike[str]"]


# --- attachments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    """A file to attach to a SafeBox or a reply.

    Usually built implicitly from what ``attachments=[...]`` contains:

    - a ``str`` or ``os.PathLike``: a file on disk, streamed when uploaded (never loaded whole);
      note that a ``str`` is always a *path*;
    - ``bytes`` / ``bytearray`` / ``memoryview``: content in memory, named ``attachment-<n>``
      (its 1-based position in the list, no extension); prefer ``(name, data)``: the
      account's extension filter applies to names;
    - ``(name, data)`` or ``(name, data, content_type)`` with ``data`` bytes or a binary file
      object;
    - a binary file object (``open(path, "rb")``, ``io.BytesIO``...): streamed from its current
      position to its end, named after its ``name`` attribute;
    - an ``Attachment``.
    """

    kind: str  # "path", "bytes" or "stream"
    source: Any = field(repr=False)
    name: Optional[str] = None
    content_type: Optional[str] = None
    size: Optional[int] = None

    @classmethod
    def from_path(cls, path: PathLike, name: Optional[str] = None, content_type: Optional[str] = None) -> "Attachment":
        """A file on disk, read when it is uploaded. ``name`` defaults to the file's name;
        ``content_type`` is guessed from the name when None."""
        return cls("path", os.fspath(path), name, content_type)

    @classmethod
    def from_bytes(
        cls, data: Union[bytes, bytearray, memoryview], name: str, content_type: Optional[str] = None
    ) -> "Attachment":
        """Content in memory (copied by the library when added)."""
        if not name:
            raise ValueError("an attachment from bytes needs a name")
        return cls("bytes", bytes(data), name, content_type, len(data))

    @classmethod
    def from_stream(
        cls,
        stream: Any,
        name: Optional[str] = None,
        size: Optional[int] = None,
        content_type: Optional[str] = None,
    ) -> "Attachment":
        """A binary file object, read from its current position when uploaded (on the thread of
        the upload call), ``size`` bytes exactly.

        ``size`` defaults to what remains of a real or seekable file. ``name`` defaults to the
        base name of ``stream.name``. The object must stay open until the upload is done.

        A seekable stream is rewound to where it started when its upload is retried (or a
        failed call repeated); a stream that cannot seek is read once, so a retry continues
        from where it stopped.
        """
        if name is None:
            stream_name = getattr(stream, "name", None)
            if isinstance(stream_name, (str, bytes, os.PathLike)):
                name = os.path.basename(os.fsdecode(stream_name))
        if not name:
            raise ValueError("name= is required for a stream without a name attribute")
        if size is None:
            size = _remaining(stream)
        if size < 0:
            raise ValueError("size must not be negative")
        return cls("stream", stream, name, content_type, size)


def _remaining(stream: Any) -> int:
    try:
        return max(os.fstat(stream.fileno()).st_size - stream.tell(), 0)
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass
    try:
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
        return end - here
    except (AttributeError, OSError, io.UnsupportedOperation):
        raise TypeError("size= is required for a stream that cannot seek") from None


def to_attachment(item: Any, position: int = 1) -> Attachment:
    """An ``Attachment`` from one of the forms ``attachments=[...]`` accepts (see Attachment)."""
    if isinstance(item, Attachment):
        return item
    if isinstance(item, (str, os.PathLike)):
        return Attachment.from_path(item)
    if isinstance(item, (bytes, bytearray, memoryview)):
        return Attachment.from_bytes(item, f"attachment-{position}")
    if isinstance(item, tuple) and len(item) in (2, 3) and isinstance(item[0], str):
        name, data = item[0], item[1]
        content_type = item[2] if len(item) == 3 else None
        if isinstance(data, (bytes, bytearray, memoryview)):
            return Attachment.from_bytes(data, name, content_type)
        if hasattr(data, "read"):
            return Attachment.from_stream(data, name, content_type=content_type)
    if hasattr(item, "read"):
        return Attachment.from_stream(item)
    raise TypeError(
        f"cannot attach {type(item).__name__}: give a path, bytes, (name, bytes), a binary file object or an Attachment"
    )


def _start_position(stream: Any) -> Optional[int]:
    """Where a seekable stream starts (so that it can be rewound for a retry), else None."""
    try:
        if stream.seekable():
            return stream.tell()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    return None


class _Stream:
    """The state of one stream attachment while its C handle may read it."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.start = _start_position(source)
        self.error: Optional[BaseException] = None

    def rewind(self) -> None:
        self.source.seek(self.start)

    def read_into(self, buf: int, length: int) -> int:
        readinto = getattr(self.source, "readinto", None)
        if readinto is not None:
            target = (ctypes.c_ubyte * length).from_address(buf)
            count = readinto(memoryview(target))
            if count is None:
                raise BlockingIOError("the attachment stream has no data available (non-blocking)")
            return int(count)
        data = self.source.read(length)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("an attachment stream must be opened in binary mode (read() gave str)")
        data = bytes(data[:length])
        ctypes.memmove(buf, data, len(data))
        return len(data)


def _to_contact_method(item: Any) -> Tuple[str, DestinationType]:
    if isinstance(item, ContactMethod):
        return item.destination, DestinationType.parse(item.type)
    if isinstance(item, str):
        return item, DestinationType.CELL
    if isinstance(item, tuple) and len(item) == 2:
        return str(item[0]), DestinationType.parse(item[1])
    raise TypeError("a contact method is a ContactMethod, a phone number (cell), or (number, type)")


class _Attachable(Owned):
    """Attachments of a SafeBox or a reply (the C functions differ only by their prefix)."""

    _prefix = ""

    def _init_attachable(self) -> None:
        self._lock = threading.RLock()
        self._streams: List[_Stream] = []
        self._stream_keys: List[int] = []

    def _release_streams(self) -> Callable[[], None]:
        keys = self._stream_keys

        def release() -> None:
            for key in keys:
                unregister(key)
            keys.clear()

        return release

    def add_attachment(
        self,
        item: Any,
        *,
        name: Optional[str] = None,
        content_type: Optional[str] = None,
        position: Optional[int] = None,
    ) -> None:
        """Adds an attachment: a path, bytes, ``(name, bytes)``, a binary file object or an
        :class:`Attachment` (see there). ``name`` and ``content_type`` override the item's."""
        attachment = to_attachment(item, position if position is not None else self.attachment_count + 1)
        name = name if name is not None else attachment.name
        content_type = content_type if content_type is not None else attachment.content_type
        lib = _ffi.lib()
        prefix = self._prefix
        with self._lock:
            if attachment.kind == "path":
                function = f"{prefix}_add_attachment_file"
                rc = getattr(lib, function)(self._ptr, enc(attachment.source, "path"), enc(content_type), enc(name))
            elif attachment.kind == "bytes":
                function = f"{prefix}_add_attachment_bytes"
                data = attachment.source
                rc = getattr(lib, function)(self._ptr, data, len(data), enc(name, "name"), enc(content_type))
            else:
                stream = _Stream(attachment.source)
                key = register(stream)
                if stream.start is not None:  # seekable: retried uploads restart it
                    function = f"{prefix}_add_attachment_stream_rewindable"
                    rc = getattr(lib, function)(
                        self._ptr,
                        READ_TRAMPOLINE,
                        REWIND_TRAMPOLINE,
                        c_void_p(key),
                        attachment.size,
                        enc(name, "name"),
                        enc(content_type),
                    )
                else:
                    function = f"{prefix}_add_attachment_stream"
                    rc = getattr(lib, function)(
                        self._ptr, READ_TRAMPOLINE, c_void_p(key), attachment.size, enc(name, "name"), enc(content_type)
                    )
                if rc == 0:
                    self._streams.append(stream)
                    self._stream_keys.append(key)
                else:
                    unregister(key)
            check(rc, function)

    def add_attachments(self, items: Iterable[Any]) -> None:
        """Adds several attachments (see :meth:`add_attachment`)."""
        for item in items:
            self.add_attachment(item)

    @property
    def attachment_count(self) -> int:
        """How many attachments were added."""
        with self._lock:
            return int(getattr(_ffi.lib(), f"{self._prefix}_attachment_count")(self._ptr))


# --- SafeBox ---------------------------------------------------------------------------------


@dataclass
class Recipient:
    """A guest recipient of a new SafeBox.

    ``contact_methods`` are phone numbers: ``ContactMethod("+15145550000", "office")``, a plain
    number (a cell phone), or ``(number, type)`` with type "home", "cell", "office" or "other".
    """

    email: str
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    company_name: Optional[str] = None
    contact_methods: Sequence[Any] = ()


def _duration(value: Any) -> Tuple[int, str]:
    if isinstance(value, datetime.timedelta):
        seconds = int(value.total_seconds())
        if seconds <= 0 or seconds % 3600:
            raise ValueError("an expiration timedelta must be a positive whole number of hours")
        return (seconds // 86400, "days") if seconds % 86400 == 0 else (seconds // 3600, "hours")
    if isinstance(value, tuple) and len(value) == 2:
        return int(value[0]), str(value[1])
    raise TypeError('expiration is (value, unit), e.g. (3, "days"), or a datetime.timedelta')


class Safebox(_Attachable):
    """A SafeBox being built (``ss_safebox``), then created by ``Client.submit_safebox``.

    ::

        with Safebox("demo@acme.example", subject="Documents", message="Here they are.",
                     recipients=[Recipient("john@example.com", contact_methods=["+15145550000"])],
                     attachments=["scan.pdf", ("notes.txt", b"...")]) as safebox:
            response = client.submit_safebox(safebox, progress=print)

    The options (see :meth:`configure`) may be given here too. One thread at a time. After a
    failed submit it keeps its GUID and uploaded attachments, so submitting again sends only the
    rest. Freed by :meth:`close`, at the end of a ``with`` block, or when garbage collected.
    """

    _free_name = "ss_safebox_free"
    _kind = "SafeBox"
    _prefix = "ss_safebox"

    def __init__(
        self,
        user_email: str,
        *,
        subject: Optional[str] = None,
        message: Optional[str] = None,
        recipients: Iterable[Union[Recipient, str]] = (),
        attachments: Iterable[Any] = (),
        **options: Any,
    ) -> None:
        out = c_void_p()
        check(_ffi.lib().ss_safebox_new(enc(user_email, "user_email"), byref(out)), "ss_safebox_new")
        self._init_attachable()
        self._own(took(out, "ss_safebox_new"), self._release_streams())
        self.user_email = user_email
        try:
            self.configure(subject=subject, message=message, **options)
            for recipient in recipients:
                self.add_recipient(recipient)
            for position, item in enumerate(attachments, 1):
                self.add_attachment(item, position=position)
        except BaseException:
            self.close()
            raise

    def configure(
        self,
        *,
        subject: Optional[str] = None,
        message: Optional[str] = None,
        notification_language: Optional[str] = None,
        security_profile_id: Optional[int] = None,
        email_notification_enabled: Optional[bool] = None,
        reply_enabled: Optional[bool] = None,
        group_replies: Optional[bool] = None,
        encrypt_message: Optional[bool] = None,
        double_encryption: Optional[bool] = None,
        expiration: Any = None,
        retention: Any = None,
    ) -> None:
        """Sets options; those left None are not changed.

        - ``security_profile_id``: 0 (the default) uses the enterprise's default profile;
        - the booleans override the profile's settings when it allows it;
        - ``expiration``: ``(value, unit)`` with unit "hours", "days", "weeks" or "months", or a
          ``datetime.timedelta`` of whole hours;
        - ``retention``: "discard_at_expiration", "do_not_discard", or
          ``("retain_at_expiration", value, unit)``.
        """
        lib = _ffi.lib()
        with self._lock:
            ptr = self._ptr
            for name, text in (("subject", subject), ("message", message)):
                if text is not None:
                    check(getattr(lib, f"ss_safebox_set_{name}")(ptr, enc(text, name)), f"ss_safebox_set_{name}")
            if notification_language is not None:
                check(
                    lib.ss_safebox_set_notification_language(ptr, enc(notification_language)),
                    "ss_safebox_set_notification_language",
                )
            if security_profile_id is not None:
                check(
                    lib.ss_safebox_set_security_profile_id(ptr, int(security_profile_id)),
                    "ss_safebox_set_security_profile_id",
                )
            for name, flag in (
                ("email_notification_enabled", email_notification_enabled),
                ("reply_enabled", reply_enabled),
                ("group_replies", group_replies),
                ("encrypt_message", encrypt_message),
                ("double_encryption", double_encryption),
            ):
                if flag is not None:
                    check(getattr(lib, f"ss_safebox_set_{name}")(ptr, bool(flag)), f"ss_safebox_set_{name}")
            if expiration is not None:
                amount, unit = _duration(expiration)
                check(lib.ss_safebox_set_expiration(ptr, amount, enc(unit)), "ss_safebox_set_expiration")
            if retention is not None:
                period: Tuple[Any, Any] = (0, None)
                if isinstance(retention, str):
                    kind = retention
                else:
                    kind, *rest = retention
                    period = (rest[0], rest[1]) if len(rest) == 2 else (0, None)
                check(
                    lib.ss_safebox_set_retention(ptr, enc(kind), int(period[0]), enc(period[1])),
                    "ss_safebox_set_retention",
                )

    def add_recipient(
        self,
        recipient: Union[Recipient, str],
        *,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        company_name: Optional[str] = None,
        contact_methods: Sequence[Any] = (),
    ) -> None:
        """Adds a guest: a :class:`Recipient`, or an e-mail address with the keyword details."""
        if not isinstance(recipient, Recipient):
            recipient = Recipient(str(recipient), first_name, last_name, company_name, contact_methods)
        methods = [_to_contact_method(m) for m in recipient.contact_methods]
        lib = _ffi.lib()
        with self._lock:
            out = c_void_p()
            check(
                lib.ss_safebox_add_recipient(self._ptr, enc(recipient.email, "email"), byref(out)),
                "ss_safebox_add_recipient",
            )
            r = out.value  # borrowed from the SafeBox, valid until it is freed
            for name in ("first_name", "last_name", "company_name"):
                value = getattr(recipient, name)
                if value is not None:
                    check(getattr(lib, f"ss_recipient_set_{name}")(r, enc(value, name)), f"ss_recipient_set_{name}")
            for destination, kind in methods:
                check(
                    lib.ss_recipient_add_contact_method(r, enc(destination, "destination"), int(kind)),
                    "ss_recipient_add_contact_method",
                )

    @property
    def guid(self) -> Optional[str]:
        """The GUID once initialized on the server (by submit or initialize), else None."""
        with self._lock:
            return _ffi.dec(_ffi.lib().ss_safebox_guid(self._ptr))

    def to_json(self) -> dict:
        """The JSON the commit would send (``{"safebox": {...}}``), as it stands now."""
        import json

        out = c_void_p()
        with self._lock:
            check(_ffi.lib().ss_safebox_to_json(self._ptr, byref(out)), "ss_safebox_to_json")
        return json.loads(_ffi.take_string(out) or "null")

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"guid={self.guid!r}, attachments={self.attachment_count}"
        return f"<Safebox {self.user_email!r} {state}>"


class Reply(_Attachable):
    """A reply to a SafeBox (``ss_reply``), sent by ``Client.send_reply``.

    A message or at least one attachment is required; ``consent=True`` accepts the SafeBox's
    consent text when its security profile asks for it. One thread at a time. After a failed
    send it keeps its uploaded attachments (sending again sends only the rest); after a success
    it is spent, and sending it again raises :class:`StateError`.
    """

    _free_name = "ss_reply_free"
    _kind = "reply"
    _prefix = "ss_reply"

    def __init__(
        self, message: Optional[str] = None, attachments: Iterable[Any] = (), consent: Optional[bool] = None
    ) -> None:
        out = c_void_p()
        check(_ffi.lib().ss_reply_new(byref(out)), "ss_reply_new")
        self._init_attachable()
        self._own(took(out, "ss_reply_new"), self._release_streams())
        try:
            if message is not None:
                self.set_message(message)
            if consent is not None:
                self.set_consent(consent)
            for position, item in enumerate(attachments, 1):
                self.add_attachment(item, position=position)
        except BaseException:
            self.close()
            raise

    def set_message(self, message: Optional[str]) -> None:
        """Sets the reply's text (None clears it)."""
        with self._lock:
            check(_ffi.lib().ss_reply_set_message(self._ptr, enc(message, "message")), "ss_reply_set_message")

    def set_consent(self, consent: bool) -> None:
        """Whether the reply accepts the SafeBox's consent text."""
        with self._lock:
            check(_ffi.lib().ss_reply_set_consent(self._ptr, bool(consent)), "ss_reply_set_consent")

    def __repr__(self) -> str:
        return "<Reply closed>" if self.closed else f"<Reply attachments={self.attachment_count}>"
