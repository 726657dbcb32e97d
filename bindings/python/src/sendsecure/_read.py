"""Copying borrowed C objects into the immutable snapshots of ``models``.

Each function takes a pointer that is valid for the duration of the call (borrowed from a list,
a page, an iterator or an info that the caller frees afterwards) and copies everything out.
"""

from __future__ import annotations

from . import _ffi
from ._core import iterate
from .models import (
    ConsentGroup,
    ContactMethod,
    Document,
    EnterpriseSettings,
    Event,
    Favorite,
    Message,
    Participant,
    RecipientMatch,
    SafeboxInfo,
    SafeboxResponse,
    SecurityProfile,
)

dec = _ffi.dec


def contact_method(p: int) -> ContactMethod:
    lib = _ffi.lib()
    return ContactMethod(
        destination=dec(lib.ss_contact_method_destination(p)) or "",
        type=dec(lib.ss_contact_method_type(p)),
        id=int(lib.ss_contact_method_id(p)),
    )


def participant(p: int) -> Participant:
    lib = _ffi.lib()
    methods = iterate(lib.ss_participant_contact_method_count(p), lambda i: lib.ss_participant_contact_method_at(p, i))
    return Participant(
        id=dec(lib.ss_participant_id(p)) or "",
        email=dec(lib.ss_participant_email(p)),
        first_name=dec(lib.ss_participant_first_name(p)),
        last_name=dec(lib.ss_participant_last_name(p)),
        type=dec(lib.ss_participant_type(p)),
        role=dec(lib.ss_participant_role(p)),
        company_name=dec(lib.ss_participant_company_name(p)),
        locked=bool(lib.ss_participant_locked(p)),
        privileged=bool(lib.ss_participant_privileged(p)),
        message_read_count=int(lib.ss_participant_message_read_count(p)),
        message_total_count=int(lib.ss_participant_message_total_count(p)),
        contact_methods=tuple(contact_method(m) for m in methods),
        json_text=dec(lib.ss_participant_to_json(p)),
    )


def document(p: int) -> Document:
    lib = _ffi.lib()
    return Document(
        id=dec(lib.ss_document_id(p)) or "",
        name=dec(lib.ss_document_name(p)),
        sha=dec(lib.ss_document_sha(p)),
        size=int(lib.ss_document_size(p)),
        url=dec(lib.ss_document_url(p)),
    )


def message(p: int) -> Message:
    lib = _ffi.lib()
    documents = iterate(lib.ss_message_document_count(p), lambda i: lib.ss_message_document_at(p, i))
    return Message(
        id=int(lib.ss_message_id(p)),
        note=dec(lib.ss_message_note(p)),
        read=bool(lib.ss_message_read(p)),
        author_id=dec(lib.ss_message_author_id(p)),
        author_type=dec(lib.ss_message_author_type(p)),
        created_at=dec(lib.ss_message_created_at(p)),
        documents=tuple(document(d) for d in documents),
        json_text=dec(lib.ss_message_to_json(p)),
    )


def event(p: int) -> Event:
    lib = _ffi.lib()
    return Event(
        type=dec(lib.ss_event_type(p)),
        date=dec(lib.ss_event_date(p)),
        message=dec(lib.ss_event_message(p)),
        metadata_json=dec(lib.ss_event_metadata_json(p)),
    )


def safebox_info(p: int) -> SafeboxInfo:
    lib = _ffi.lib()
    return SafeboxInfo(
        guid=dec(lib.ss_safebox_info_guid(p)) or "",
        status=dec(lib.ss_safebox_info_status(p)),
        subject=dec(lib.ss_safebox_info_subject(p)),
        expiration=dec(lib.ss_safebox_info_expiration(p)),
        created_at=dec(lib.ss_safebox_info_created_at(p)),
        updated_at=dec(lib.ss_safebox_info_updated_at(p)),
        latest_activity=dec(lib.ss_safebox_info_latest_activity(p)),
        closed_at=dec(lib.ss_safebox_info_closed_at(p)),
        content_deleted_at=dec(lib.ss_safebox_info_content_deleted_at(p)),
        security_profile_name=dec(lib.ss_safebox_info_security_profile_name(p)),
        unread_count=int(lib.ss_safebox_info_unread_count(p)),
        user_id=int(lib.ss_safebox_info_user_id(p)),
        participants=tuple(
            participant(x)
            for x in iterate(
                lib.ss_safebox_info_participant_count(p), lambda i: lib.ss_safebox_info_participant_at(p, i)
            )
        ),
        messages=tuple(
            message(x)
            for x in iterate(lib.ss_safebox_info_message_count(p), lambda i: lib.ss_safebox_info_message_at(p, i))
        ),
        events=tuple(
            event(x) for x in iterate(lib.ss_safebox_info_event_count(p), lambda i: lib.ss_safebox_info_event_at(p, i))
        ),
        security_options_json=dec(lib.ss_safebox_info_security_options_json(p)),
        download_activity_json=dec(lib.ss_safebox_info_download_activity_json(p)),
        json_text=dec(lib.ss_safebox_info_to_json(p)),
    )


def security_profile(p: int) -> SecurityProfile:
    lib = _ffi.lib()
    return SecurityProfile(
        id=int(lib.ss_security_profile_id(p)),
        name=dec(lib.ss_security_profile_name(p)),
        description=dec(lib.ss_security_profile_description(p)),
        json_text=dec(lib.ss_security_profile_to_json(p)),
    )


def enterprise_settings(p: int) -> EnterpriseSettings:
    lib = _ffi.lib()
    default_profile = int(lib.ss_enterprise_settings_default_security_profile_id(p))
    max_size = int(lib.ss_enterprise_settings_max_file_size(p))
    extensions = [
        lib.ss_enterprise_settings_extension_at(p, i) for i in range(lib.ss_enterprise_settings_extension_count(p))
    ]
    return EnterpriseSettings(
        default_security_profile_id=default_profile or None,
        max_file_size=None if max_size < 0 else max_size,
        extension_filter_mode=dec(lib.ss_enterprise_settings_extension_filter_mode(p)),
        extensions=tuple(e.decode("utf-8", "replace") for e in extensions if e is not None),
        json_text=dec(lib.ss_enterprise_settings_to_json(p)),
    )


def safebox_response(p: int) -> SafeboxResponse:
    lib = _ffi.lib()
    return SafeboxResponse(
        guid=dec(lib.ss_safebox_response_guid(p)) or "",
        preview_url=dec(lib.ss_safebox_response_preview_url(p)),
        encryption_key=dec(lib.ss_safebox_response_encryption_key(p)),
        recovered=bool(lib.ss_safebox_response_recovered(p)),
        json_text=dec(lib.ss_safebox_response_to_json(p)),
    )


def favorite(p: int) -> Favorite:
    lib = _ffi.lib()
    methods = iterate(lib.ss_favorite_contact_method_count(p), lambda i: lib.ss_favorite_contact_method_at(p, i))
    return Favorite(
        id=int(lib.ss_favorite_id(p)),
        email=dec(lib.ss_favorite_email(p)),
        first_name=dec(lib.ss_favorite_first_name(p)),
        last_name=dec(lib.ss_favorite_last_name(p)),
        company_name=dec(lib.ss_favorite_company_name(p)),
        order_number=int(lib.ss_favorite_order_number(p)),
        always_promote=bool(lib.ss_favorite_always_promote(p)),
        contact_methods=tuple(contact_method(m) for m in methods),
        json_text=dec(lib.ss_favorite_to_json(p)),
    )


def recipient_match(p: int) -> RecipientMatch:
    lib = _ffi.lib()
    return RecipientMatch(
        id=int(lib.ss_recipient_match_id(p)),
        type=dec(lib.ss_recipient_match_type(p)),
        email=dec(lib.ss_recipient_match_email(p)),
        first_name=dec(lib.ss_recipient_match_first_name(p)),
        last_name=dec(lib.ss_recipient_match_last_name(p)),
        company_name=dec(lib.ss_recipient_match_company_name(p)),
    )


def consent_group(p: int) -> ConsentGroup:
    lib = _ffi.lib()
    messages = {}
    for i in range(lib.ss_consent_group_message_count(p)):
        locale = dec(lib.ss_consent_group_message_locale_at(p, i))
        if locale is not None:
            messages[locale] = dec(lib.ss_consent_group_message_text_at(p, i)) or ""
    return ConsentGroup(id=int(lib.ss_consent_group_id(p)), name=dec(lib.ss_consent_group_name(p)), messages=messages)
