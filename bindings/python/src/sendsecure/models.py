"""Immutable snapshots of what libsendsecure returns.

Every object here is copied out of its C handle as soon as the call returns, and the handle is
freed: these objects hold no C memory, may outlive the client, and can be shared between
threads. ``json`` properties parse the server's JSON (``*_to_json``) on first access.
"""

from __future__ import annotations

import enum
import json as _json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Dict, Optional, Tuple


def _parse(text: Optional[str]) -> Any:
    return None if text is None else _json.loads(text)


class _JsonView:
    """An object with the JSON the server sent for it (``json_text``), parsed on first use as
    ``json``."""

    json_text: Optional[str]

    @cached_property
    def json(self) -> Optional[Dict[str, Any]]:
        """The object as the server sent it (parsed ``json_text``), or None."""
        return _parse(self.json_text)


class DestinationType(enum.IntEnum):
    """``ss_destination_type``: the kind of a phone contact method."""

    HOME = 0
    CELL = 1
    OFFICE = 2
    OTHER = 3

    @classmethod
    def parse(cls, value: Any) -> "DestinationType":
        """Accepts a DestinationType, its value, or a name: "cell", "CELL", "cell_phone"."""
        if isinstance(value, cls):
            return value
        if isinstance(value, int):
            return cls(value)
        if isinstance(value, str):
            name = value.strip().upper()
            if name.endswith("_PHONE"):
                name = name[: -len("_PHONE")]
            try:
                return cls[name]
            except KeyError:
                pass
        raise ValueError(f"unknown destination type {value!r} (home, cell, office or other)")


@dataclass(frozen=True)
class Progress:
    """Where a transfer stands (``ss_progress``), passed to progress callbacks.

    For uploads: the attachment being reported (``attachment_index`` of ``attachment_count``)
    and its bytes, and the bytes of the whole call (``bytes_sent`` never goes backwards; the
    last report has ``bytes_sent == bytes_total``). For downloads: ``attachment_index`` 0,
    ``attachment_count`` 1, and ``bytes_total`` the size when the server gave it (else 0).
    """

    attachment_index: int
    attachment_count: int
    attachment_bytes_sent: int
    attachment_bytes_total: int
    bytes_sent: int
    bytes_total: int

    @property
    def fraction(self) -> Optional[float]:
        """``bytes_sent / bytes_total``, or None when the total is 0 (unknown, or nothing to send)."""
        return self.bytes_sent / self.bytes_total if self.bytes_total else None


@dataclass(frozen=True)
class ContactMethod:
    """A phone number of a recipient, a participant or a favorite.

    To build a recipient: ``ContactMethod("+15145550000", "cell")`` (``id`` stays 0). Read from
    the server: ``id`` is the stored contact method's id and ``type`` its server name
    ("cell_phone", ...).
    """

    destination: str
    type: Any = DestinationType.CELL
    id: int = 0


@dataclass(frozen=True)
class SecurityProfile(_JsonView):
    """A security profile (``ss_security_profile``); ``json`` has every setting as
    ``{"value": ..., "modifiable": ...}``."""

    id: int
    name: Optional[str]
    description: Optional[str]
    json_text: Optional[str] = field(default=None, repr=False)


@dataclass(frozen=True)
class EnterpriseSettings(_JsonView):
    """The enterprise account's settings (``ss_enterprise_settings``)."""

    default_security_profile_id: Optional[int]
    max_file_size: Optional[int]
    extension_filter_mode: Optional[str]
    extensions: Tuple[str, ...]
    json_text: Optional[str] = field(default=None, repr=False)


@dataclass(frozen=True)
class SafeboxResponse(_JsonView):
    """What creating a SafeBox returned (``ss_safebox_response``).

    ``recovered`` is True when the commit's answer was lost and the SafeBox was found on the
    server by its GUID: it was created, but there is no encryption key and ``json`` is the
    SafeBox's info.
    """

    guid: str
    preview_url: Optional[str]
    encryption_key: Optional[str]
    recovered: bool = False
    json_text: Optional[str] = field(default=None, repr=False)


@dataclass(frozen=True)
class Participant(_JsonView):
    """A participant of a SafeBox: a guest or the owner (``ss_participant``)."""

    id: str
    email: Optional[str]
    first_name: Optional[str]
    last_name: Optional[str]
    type: Optional[str]
    role: Optional[str]
    company_name: Optional[str]
    locked: bool
    privileged: bool
    message_read_count: int
    message_total_count: int
    contact_methods: Tuple[ContactMethod, ...]
    json_text: Optional[str] = field(default=None, repr=False)


@dataclass(frozen=True)
class Document:
    """A document of a message (``ss_document``). Download it with ``Client.download_document``."""

    id: str
    name: Optional[str]
    sha: Optional[str]
    size: int
    url: Optional[str]


@dataclass(frozen=True)
class Message(_JsonView):
    """A message of a SafeBox with its documents (``ss_message``)."""

    id: int
    note: Optional[str]
    read: bool
    author_id: Optional[str]
    author_type: Optional[str]
    created_at: Optional[str]
    documents: Tuple[Document, ...]
    json_text: Optional[str] = field(default=None, repr=False)


@dataclass(frozen=True)
class Event:
    """An entry of a SafeBox's event history (``ss_event``)."""

    type: Optional[str]
    date: Optional[str]
    message: Optional[str]
    metadata_json: Optional[str] = field(default=None, repr=False)

    @cached_property
    def metadata(self) -> Any:
        """The event's details as the server sent them (None when it sent none)."""
        return _parse(self.metadata_json)


@dataclass(frozen=True)
class SafeboxInfo(_JsonView):
    """An existing SafeBox (``ss_safebox_info``).

    From a list (``Client.safeboxes``, ``Client.safebox_page``) it holds the summary only:
    ``participants``, ``messages`` and ``events`` are empty and ``security_options`` /
    ``download_activity`` None. ``Client.safebox_info`` fills the sections asked for.
    """

    guid: str
    status: Optional[str]
    subject: Optional[str]
    expiration: Optional[str]
    created_at: Optional[str]
    updated_at: Optional[str]
    latest_activity: Optional[str]
    closed_at: Optional[str]
    content_deleted_at: Optional[str]
    security_profile_name: Optional[str]
    unread_count: int
    user_id: int
    participants: Tuple[Participant, ...] = ()
    messages: Tuple[Message, ...] = ()
    events: Tuple[Event, ...] = ()
    security_options_json: Optional[str] = field(default=None, repr=False)
    download_activity_json: Optional[str] = field(default=None, repr=False)
    json_text: Optional[str] = field(default=None, repr=False)

    @property
    def documents(self) -> Tuple[Document, ...]:
        """The documents of every message, oldest message first."""
        return tuple(d for m in self.messages for d in m.documents)

    @cached_property
    def security_options(self) -> Optional[Dict[str, Any]]:
        return _parse(self.security_options_json)

    @cached_property
    def download_activity(self) -> Optional[Dict[str, Any]]:
        return _parse(self.download_activity_json)


@dataclass(frozen=True)
class Favorite(_JsonView):
    """A favorite contact of the user (``ss_favorite``)."""

    id: int
    email: Optional[str]
    first_name: Optional[str]
    last_name: Optional[str]
    company_name: Optional[str]
    order_number: int
    #: Made a privileged participant whenever added to a SafeBox.
    always_promote: bool
    contact_methods: Tuple[ContactMethod, ...]
    json_text: Optional[str] = field(default=None, repr=False)


@dataclass(frozen=True)
class RecipientMatch:
    """A result of ``Client.search_recipient`` (``ss_recipient_match``): a favorite or a user."""

    id: int
    type: Optional[str]
    email: Optional[str]
    first_name: Optional[str]
    last_name: Optional[str]
    company_name: Optional[str]


@dataclass(frozen=True)
class ConsentGroup:
    """A consent message group: the consent text per locale (``ss_consent_group``)."""

    id: int
    name: Optional[str]
    messages: Dict[str, str]
