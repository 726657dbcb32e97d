"""Locating and loading libsendsecure, and the ctypes prototype of every function of its C ABI.

Nothing here is public API: the rest of the package calls ``lib()`` and the helpers below.

Type conventions of the prototypes (see ``_SIGNATURES``):

- handles are ``c_void_p`` (plain integers on the Python side, never dereferenced here);
- strings passed *in* are ``c_char_p`` (UTF-8 bytes, borrowed by the library for the call);
- strings *returned* by accessors are ``c_char_p``: ctypes copies them into ``bytes`` at once,
  which is what the header asks for (they are borrowed from their handle);
- strings returned through ``char **`` are owned by the caller: they are declared as
  ``POINTER(c_void_p)`` so that ctypes never converts them (a conversion would copy and lose the
  pointer, leaking it), then copied with ``string_at`` and freed with ``ss_string_free``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char_p,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Dict, List, Optional, Tuple

#: The libsendsecure version this binding was written for: the library must have the same
#: major.minor (before 1.0 there is no ABI promise between minor versions).
ABI_VERSION = (0, 1)

ENV_LIBRARY = "SENDSECURE_LIBRARY"

if sys.platform == "darwin":
    LIBRARY_FILE = "libsendsecure.dylib"
elif sys.platform == "win32":
    LIBRARY_FILE = "sendsecure.dll"
else:
    LIBRARY_FILE = "libsendsecure.so"


class LibraryNotFoundError(ImportError):
    """libsendsecure could not be found or loaded, or it does not match this binding.

    The message lists every place that was tried and how to fix it.
    """


class ClientOptions(Structure):
    """``ss_client_options``. Always filled by ``ss_client_options_init`` first."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("connect_timeout_ms", c_uint32),
        ("request_timeout_ms", c_uint32),
        ("user_id", c_int64),
        ("locale", c_char_p),
        ("ca_file", c_char_p),
        ("upload_concurrency", c_uint32),
        ("stall_timeout_ms", c_uint32),
        ("max_retries", c_uint32),
        ("retry_base_delay_ms", c_uint32),
        ("retry_max_delay_ms", c_uint32),
        ("client_cert_file", c_char_p),
        ("client_key_file", c_char_p),
        ("allow_insecure_http", c_bool),
        ("transfer_concurrency", c_uint32),
        ("crypto_threads", c_uint32),
    ]


class OptionsBuffer(Structure):
    """``ss_client_options`` followed by spare room.

    ``ss_client_options_init`` writes the library's own ``sizeof(ss_client_options)``: a newer
    library with more fields would write past a struct of exactly this binding's size. The
    spare room takes those fields (with their defaults, which the library then reads back).
    """

    _fields_ = [("options", ClientOptions), ("_spare", c_uint8 * 256)]


class ProgressStruct(Structure):
    """``ss_progress``."""

    _fields_ = [
        ("attachment_index", c_size_t),
        ("attachment_count", c_size_t),
        ("attachment_bytes_sent", c_uint64),
        ("attachment_bytes_total", c_uint64),
        ("bytes_sent", c_uint64),
        ("bytes_total", c_uint64),
    ]


PROGRESS_CB = CFUNCTYPE(c_int, c_void_p, POINTER(ProgressStruct))
WRITE_CB = CFUNCTYPE(c_int64, c_void_p, c_void_p, c_size_t)
READ_CB = CFUNCTYPE(c_int64, c_void_p, c_void_p, c_size_t)
REWIND_CB = CFUNCTYPE(c_int, c_void_p)
LOG_CB = CFUNCTYPE(None, c_void_p, c_uint32, c_char_p)

# Type words of _SIGNATURES. The same words are derived from include/sendsecure.h by the tests
# (tests/test_library.py), which fail when a prototype here no longer matches the header.
_TYPES = {
    "void": None,
    "result": c_uint32,  # ss_result (uint32_t in C before C23)
    "handle": c_void_p,  # const struct ss_x * / struct ss_x *
    "out": POINTER(c_void_p),  # struct ss_x ** (receives an owned or borrowed handle)
    "str": c_char_p,  # const char * argument (borrowed for the call)
    "cstr": c_char_p,  # const char * result (borrowed from a handle, or static): copied
    "cptr": c_void_p,  # const char * result kept as a pointer (the API token: never copied)
    "ptr": c_void_p,  # char * argument the library takes back (ss_string_free)
    "ostr": POINTER(c_void_p),  # char ** (receives a string to free with ss_string_free)
    "buf": c_void_p,  # char * buffer the library writes into
    "bytes": c_char_p,  # const uint8_t * data with a length
    "ids": POINTER(c_int64),  # const int64_t * with a count
    "options": POINTER(ClientOptions),
    "userdata": c_void_p,
    "progress_cb": PROGRESS_CB,
    "write_cb": WRITE_CB,
    "read_cb": READ_CB,
    "rewind_cb": REWIND_CB,
    "log_cb": LOG_CB,
    "bool": c_bool,
    "i32": c_int32,
    "u32": c_uint32,
    "i64": c_int64,
    "u64": c_uint64,
    "size": c_size_t,
    # SendSafely SEND
    "u64s": POINTER(c_uint64),  # const uint64_t * with a count
    "strs": POINTER(c_char_p),  # const char *const * with a count
}

# name: result type (argument types). One line per function of include/sendsecure.h; lines
# starting with # are comments.
_SIGNATURES = """
ss_add_time: result(handle, str, i64, str, ostr)
ss_close_safebox: result(handle, str)
ss_delete_safebox_content: result(handle, str)
ss_mark_as_read: result(handle, str)
ss_mark_as_unread: result(handle, str)
ss_mark_message_read: result(handle, str, i64)
ss_mark_message_unread: result(handle, str, i64)
ss_archive_safebox: result(handle, str, str)
ss_unarchive_safebox: result(handle, str, str)
ss_follow_safebox: result(handle, str)
ss_unfollow_safebox: result(handle, str)
ss_client_cancel: result(handle)
ss_set_log_callback: result(log_cb, userdata, u32)
ss_client_options_init: void(options)
ss_client_new: result(str, str, str, options, out)
ss_client_free: void(handle)
ss_get_user_token: result(str, str, str, str, str, str, str, str, options, out)
ss_user_token_token: cptr(handle)
ss_user_token_user_id: i64(handle)
ss_user_token_free: void(handle)
ss_get_document_url: result(handle, str, str, str, ostr)
ss_download_document: result(handle, str, str, str, str, progress_cb, userdata)
ss_download_document_to: result(handle, str, str, str, write_cb, userdata, progress_cb, userdata)
ss_get_audit_record_url: result(handle, str, ostr)
ss_download_audit_record: result(handle, str, str, progress_cb, userdata)
ss_download_audit_record_to: result(handle, str, write_cb, userdata, progress_cb, userdata)
ss_get_enterprise_settings: result(handle, out)
ss_enterprise_settings_default_security_profile_id: i64(handle)
ss_enterprise_settings_max_file_size: i64(handle)
ss_enterprise_settings_extension_filter_mode: cstr(handle)
ss_enterprise_settings_extension_count: size(handle)
ss_enterprise_settings_extension_at: cstr(handle, size)
ss_enterprise_settings_to_json: cstr(handle)
ss_enterprise_settings_free: void(handle)
ss_get_security_profiles: result(handle, str, out)
ss_get_default_security_profile: result(handle, str, out)
ss_security_profile_list_count: size(handle)
ss_security_profile_list_at: handle(handle, size)
ss_security_profile_list_free: void(handle)
ss_security_profile_id: i64(handle)
ss_security_profile_name: cstr(handle)
ss_security_profile_description: cstr(handle)
ss_security_profile_to_json: cstr(handle)
ss_security_profile_free: void(handle)
ss_result_str: cstr(u32)
ss_last_error_message: size(buf, size)
ss_last_error_code: result()
ss_last_error_http_status: i32()
ss_last_error_api_code: i64()
ss_last_error_body: size(buf, size)
ss_last_error_api_code_name: size(buf, size)
ss_sendsafely_client_new: result(str, str, str, options, out)
ss_sendsafely_client_free: void(handle)
ss_sendsafely_client_cancel: result(handle)
ss_sendsafely_get_user: result(handle, out)
ss_sendsafely_user_email: cstr(handle)
ss_sendsafely_user_id: cstr(handle)
ss_sendsafely_user_first_name: cstr(handle)
ss_sendsafely_user_last_name: cstr(handle)
ss_sendsafely_user_package_life: i64(handle)
ss_sendsafely_user_free: void(handle)
ss_sendsafely_create_package: result(handle, out)
ss_sendsafely_create_workspace: result(handle, out)
ss_sendsafely_package_id: cstr(handle)
ss_sendsafely_package_code: cstr(handle)
ss_sendsafely_package_keycode: cstr(handle)
ss_sendsafely_package_free: void(handle)
ss_sendsafely_reopen_package: result(handle, str, str, out)
ss_sendsafely_update_package_life: result(handle, str, i64)
ss_sendsafely_update_package_label: result(handle, str, str)
ss_sendsafely_delete_package: result(handle, str)
ss_sendsafely_delete_temporary_package: result(handle, str)
ss_sendsafely_delete_file: result(handle, str, str)
ss_sendsafely_add_recipient: result(handle, str, str, out)
ss_sendsafely_add_recipients: result(handle, str, strs, size, out)
ss_sendsafely_recipient_outcomes_count: size(handle)
ss_sendsafely_recipient_outcomes_at: handle(handle, size)
ss_sendsafely_recipient_outcome_email: cstr(handle)
ss_sendsafely_recipient_outcome_code: cstr(handle)
ss_sendsafely_recipient_outcome_message: cstr(handle)
ss_sendsafely_recipient_outcome_recipient: handle(handle)
ss_sendsafely_recipient_outcomes_free: void(handle)
ss_sendsafely_update_recipient_phone: result(handle, str, str, str, str)
ss_sendsafely_remove_recipient: result(handle, str, str)
ss_sendsafely_recipient_id: cstr(handle)
ss_sendsafely_recipient_email: cstr(handle)
ss_sendsafely_recipient_needs_approval: bool(handle)
ss_sendsafely_recipient_free: void(handle)
ss_sendsafely_upload_new: result(out)
ss_sendsafely_upload_add_path: result(handle, str, str, str)
ss_sendsafely_upload_add_fd: result(handle, i32, str, str)
ss_sendsafely_upload_add_bytes: result(handle, bytes, size, str, str)
ss_sendsafely_upload_add_stream: result(handle, read_cb, rewind_cb, userdata, u64, str, str)
ss_sendsafely_upload_file_count: size(handle)
ss_sendsafely_upload_file_id: cstr(handle, size)
ss_sendsafely_upload_file_complete: bool(handle, size)
ss_sendsafely_upload_file_parts_done_count: size(handle, size)
ss_sendsafely_upload_file_part_done: u64(handle, size, size)
ss_sendsafely_upload_resume_file: result(handle, size, str, u64s, size)
ss_sendsafely_upload_free: void(handle)
ss_sendsafely_upload_files: result(handle, handle, handle, progress_cb, userdata, out)
ss_sendsafely_uploaded_list_count: size(handle)
ss_sendsafely_uploaded_list_file: handle(handle, size)
ss_sendsafely_uploaded_file_id: cstr(handle)
ss_sendsafely_uploaded_file_name: cstr(handle)
ss_sendsafely_uploaded_file_size: u64(handle)
ss_sendsafely_uploaded_file_parts: u64(handle)
ss_sendsafely_uploaded_list_free: void(handle)
ss_sendsafely_put_message: result(handle, handle, str)
ss_sendsafely_finalize_package: result(handle, handle, out)
ss_sendsafely_finalized_secure_link: cstr(handle)
ss_sendsafely_finalized_needs_approval: bool(handle)
ss_sendsafely_finalized_wrapped_key_count: size(handle)
ss_sendsafely_finalized_wrapped_key_id: cstr(handle, size)
ss_sendsafely_finalized_skipped_key_count: size(handle)
ss_sendsafely_finalized_skipped_key_id: cstr(handle, size)
ss_sendsafely_finalized_skipped_key_reason: cstr(handle, size)
ss_sendsafely_finalized_free: void(handle)
# SendSafely Workspaces and trusted-device keys (with the file, directory and package getters
# they read; the package-information area declares some of these too: keep one line each).
ss_sendsafely_get_package_info: result(handle, str, out)
ss_sendsafely_package_info_root_directory_id: cstr(handle)
ss_sendsafely_package_info_free: void(handle)
ss_sendsafely_package_info_state_number: i64(handle)
ss_sendsafely_package_info_life: i64(handle)
ss_sendsafely_package_info_description: cstr(handle)
ss_sendsafely_package_info_is_workspace: bool(handle)
ss_sendsafely_package_info_timestamp: cstr(handle)
ss_sendsafely_package_info_parent_id: cstr(handle)
ss_sendsafely_package_info_url: cstr(handle)
ss_sendsafely_package_info_needs_approval: bool(handle)
ss_sendsafely_package_info_allow_reply_all: bool(handle)
ss_sendsafely_package_info_is_archived: bool(handle)
ss_sendsafely_package_info_recipient_count: size(handle)
ss_sendsafely_package_info_recipient: handle(handle, size)
ss_sendsafely_package_info_directory_count: size(handle)
ss_sendsafely_package_info_directory: handle(handle, size)
ss_sendsafely_recipient_full_name: cstr(handle)
ss_sendsafely_recipient_role: cstr(handle)
ss_sendsafely_recipient_sms_auth: bool(handle)
ss_sendsafely_recipient_phone_count: size(handle)
ss_sendsafely_recipient_phone_number: cstr(handle, size)
ss_sendsafely_recipient_phone_country_code: i64(handle, size)
ss_sendsafely_file_id: cstr(handle)
ss_sendsafely_file_name: cstr(handle)
ss_sendsafely_file_size: u64(handle)
ss_sendsafely_file_parts: u64(handle)
ss_sendsafely_file_uploaded: bool(handle)
ss_sendsafely_file_created_by: cstr(handle)
ss_sendsafely_file_uploaded_at: cstr(handle)
ss_sendsafely_file_directory_id: cstr(handle)
ss_sendsafely_directory_id: cstr(handle)
ss_sendsafely_directory_name: cstr(handle)
ss_sendsafely_directory_parent_id: cstr(handle)
ss_sendsafely_create_directory: result(handle, str, str, str, ostr)
ss_sendsafely_get_directory: result(handle, str, str, out)
ss_sendsafely_directory_info_id: cstr(handle)
ss_sendsafely_directory_info_name: cstr(handle)
ss_sendsafely_directory_info_parent_id: cstr(handle)
ss_sendsafely_directory_info_created: cstr(handle)
ss_sendsafely_directory_info_subdirectory_count: size(handle)
ss_sendsafely_directory_info_subdirectory: handle(handle, size)
ss_sendsafely_directory_info_file_count: size(handle)
ss_sendsafely_directory_info_file: handle(handle, size)
ss_sendsafely_directory_info_free: void(handle)
ss_sendsafely_rename_directory: result(handle, str, str, str)
ss_sendsafely_move_directory: result(handle, str, str, str)
ss_sendsafely_delete_directory: result(handle, str, str)
ss_sendsafely_move_file: result(handle, str, str, str)
ss_sendsafely_update_recipient_role: result(handle, str, str, str)
ss_sendsafely_get_activity_log: result(handle, str, u64, out)
ss_sendsafely_activity_page_count: size(handle)
ss_sendsafely_activity_page_record: handle(handle, size)
ss_sendsafely_activity_page_next_row_index: u64(handle)
ss_sendsafely_activity_page_is_last: bool(handle)
ss_sendsafely_activity_page_free: void(handle)
ss_sendsafely_activity_record_timestamp: cstr(handle)
ss_sendsafely_activity_record_user_email: cstr(handle)
ss_sendsafely_activity_record_action: cstr(handle)
ss_sendsafely_activity_record_details: cstr(handle)
ss_sendsafely_add_trusted_key: result(handle, str, out)
ss_sendsafely_trusted_key_new: result(str, str, out)
ss_sendsafely_trusted_key_id: cstr(handle)
ss_sendsafely_trusted_key_public_key: cstr(handle)
ss_sendsafely_trusted_key_private_key: cptr(handle)
ss_sendsafely_trusted_key_free: void(handle)
ss_sendsafely_get_package_keycode: result(handle, str, handle, out)
ss_sendsafely_revoke_trusted_key: result(handle, str)
ss_sendsafely_secret_text: cptr(handle)
ss_sendsafely_secret_free: void(handle)
# End of SendSafely Workspaces and trusted-device keys.
ss_contact_edit_new: result(out)
ss_contact_edit_free: void(handle)
ss_contact_edit_set_email: result(handle, str)
ss_contact_edit_set_first_name: result(handle, str)
ss_contact_edit_set_last_name: result(handle, str)
ss_contact_edit_set_company_name: result(handle, str)
ss_contact_edit_set_locked: result(handle, bool)
ss_contact_edit_set_privileged: result(handle, bool)
ss_contact_edit_set_always_promote: result(handle, bool)
ss_contact_edit_set_order_number: result(handle, i64)
ss_contact_edit_add_contact_method: result(handle, str, u32)
ss_contact_edit_remove_contact_method: result(handle, i64)
ss_create_participant: result(handle, str, handle, out)
ss_update_participant: result(handle, str, str, handle, out)
ss_delete_participant_contact_methods: result(handle, str, str, ids, size, out)
ss_get_favorites: result(handle, out)
ss_favorite_list_count: size(handle)
ss_favorite_list_at: handle(handle, size)
ss_favorite_list_free: void(handle)
ss_favorite_id: i64(handle)
ss_favorite_email: cstr(handle)
ss_favorite_first_name: cstr(handle)
ss_favorite_last_name: cstr(handle)
ss_favorite_company_name: cstr(handle)
ss_favorite_order_number: i64(handle)
ss_favorite_always_promote: bool(handle)
ss_favorite_contact_method_count: size(handle)
ss_favorite_contact_method_at: handle(handle, size)
ss_favorite_to_json: cstr(handle)
ss_favorite_free: void(handle)
ss_create_favorite: result(handle, handle, out)
ss_update_favorite: result(handle, i64, handle, out)
ss_delete_favorite_contact_methods: result(handle, i64, ids, size, out)
ss_delete_favorite: result(handle, i64)
ss_search_recipient: result(handle, str, out)
ss_recipient_match_list_count: size(handle)
ss_recipient_match_list_at: handle(handle, size)
ss_recipient_match_list_free: void(handle)
ss_recipient_match_id: i64(handle)
ss_recipient_match_type: cstr(handle)
ss_recipient_match_email: cstr(handle)
ss_recipient_match_first_name: cstr(handle)
ss_recipient_match_last_name: cstr(handle)
ss_recipient_match_company_name: cstr(handle)
ss_get_consent_group_messages: result(handle, i64, out)
ss_consent_group_id: i64(handle)
ss_consent_group_name: cstr(handle)
ss_consent_group_message_count: size(handle)
ss_consent_group_message_locale_at: cstr(handle, size)
ss_consent_group_message_text_at: cstr(handle, size)
ss_consent_group_free: void(handle)
ss_reply_new: result(out)
ss_reply_free: void(handle)
ss_reply_set_message: result(handle, str)
ss_reply_set_consent: result(handle, bool)
ss_reply_add_attachment_file: result(handle, str, str, str)
ss_reply_add_attachment_bytes: result(handle, bytes, size, str, str)
ss_reply_add_attachment_fd: result(handle, i32, str, str)
ss_reply_add_attachment_stream: result(handle, read_cb, userdata, u64, str, str)
ss_reply_add_attachment_stream_rewindable: result(handle, read_cb, rewind_cb, userdata, u64, str, str)
ss_reply_attachment_count: size(handle)
ss_send_reply: result(handle, str, handle, progress_cb, userdata)
ss_safebox_new: result(str, out)
ss_safebox_free: void(handle)
ss_safebox_set_subject: result(handle, str)
ss_safebox_set_message: result(handle, str)
ss_safebox_set_notification_language: result(handle, str)
ss_safebox_set_security_profile_id: result(handle, i64)
ss_safebox_set_email_notification_enabled: result(handle, bool)
ss_safebox_set_reply_enabled: result(handle, bool)
ss_safebox_set_group_replies: result(handle, bool)
ss_safebox_set_encrypt_message: result(handle, bool)
ss_safebox_set_double_encryption: result(handle, bool)
ss_safebox_set_expiration: result(handle, i64, str)
ss_safebox_set_retention: result(handle, str, i64, str)
ss_safebox_add_recipient: result(handle, str, out)
ss_recipient_set_first_name: result(handle, str)
ss_recipient_set_last_name: result(handle, str)
ss_recipient_set_company_name: result(handle, str)
ss_recipient_add_contact_method: result(handle, str, u32)
ss_safebox_add_attachment_file: result(handle, str, str, str)
ss_safebox_add_attachment_bytes: result(handle, bytes, size, str, str)
ss_safebox_add_attachment_fd: result(handle, i32, str, str)
ss_safebox_add_attachment_stream: result(handle, read_cb, userdata, u64, str, str)
ss_safebox_add_attachment_stream_rewindable: result(handle, read_cb, rewind_cb, userdata, u64, str, str)
ss_safebox_attachment_count: size(handle)
ss_safebox_guid: cstr(handle)
ss_safebox_to_json: result(handle, ostr)
ss_initialize_safebox: result(handle, handle)
ss_upload_attachments: result(handle, handle, progress_cb, userdata)
ss_commit_safebox: result(handle, handle, out)
ss_submit_safebox: result(handle, handle, progress_cb, userdata, out)
ss_safebox_response_guid: cstr(handle)
ss_safebox_response_preview_url: cstr(handle)
ss_safebox_response_encryption_key: cstr(handle)
ss_safebox_response_to_json: cstr(handle)
ss_safebox_response_recovered: bool(handle)
ss_safebox_response_free: void(handle)
ss_get_safebox_info: result(handle, str, str, out)
ss_safebox_info_free: void(handle)
ss_safebox_info_guid: cstr(handle)
ss_safebox_info_status: cstr(handle)
ss_safebox_info_subject: cstr(handle)
ss_safebox_info_expiration: cstr(handle)
ss_safebox_info_created_at: cstr(handle)
ss_safebox_info_updated_at: cstr(handle)
ss_safebox_info_latest_activity: cstr(handle)
ss_safebox_info_closed_at: cstr(handle)
ss_safebox_info_content_deleted_at: cstr(handle)
ss_safebox_info_security_profile_name: cstr(handle)
ss_safebox_info_unread_count: i64(handle)
ss_safebox_info_user_id: i64(handle)
ss_safebox_info_participant_count: size(handle)
ss_safebox_info_participant_at: handle(handle, size)
ss_safebox_info_message_count: size(handle)
ss_safebox_info_message_at: handle(handle, size)
ss_safebox_info_event_count: size(handle)
ss_safebox_info_event_at: handle(handle, size)
ss_safebox_info_security_options_json: cstr(handle)
ss_safebox_info_download_activity_json: cstr(handle)
ss_safebox_info_to_json: cstr(handle)
ss_get_safeboxes: result(handle, str, str, u32, u32, out)
ss_get_next_safebox_page: result(handle, handle, out)
ss_safebox_page_count: size(handle)
ss_safebox_page_total: i64(handle)
ss_safebox_page_has_next: bool(handle)
ss_safebox_page_at: handle(handle, size)
ss_safebox_page_free: void(handle)
ss_safebox_iter_new: result(handle, str, str, u32, out)
ss_safebox_iter_next: result(handle, out)
ss_safebox_iter_free: void(handle)
ss_get_safebox_security_options: result(handle, str, ostr)
ss_get_safebox_download_activity: result(handle, str, ostr)
ss_get_user_settings: result(handle, ostr)
ss_contact_method_id: i64(handle)
ss_contact_method_destination: cstr(handle)
ss_contact_method_type: cstr(handle)
ss_participant_id: cstr(handle)
ss_participant_email: cstr(handle)
ss_participant_first_name: cstr(handle)
ss_participant_last_name: cstr(handle)
ss_participant_type: cstr(handle)
ss_participant_role: cstr(handle)
ss_participant_company_name: cstr(handle)
ss_participant_locked: bool(handle)
ss_participant_privileged: bool(handle)
ss_participant_message_read_count: i64(handle)
ss_participant_message_total_count: i64(handle)
ss_participant_contact_method_count: size(handle)
ss_participant_contact_method_at: handle(handle, size)
ss_participant_to_json: cstr(handle)
ss_participant_free: void(handle)
ss_document_id: cstr(handle)
ss_document_name: cstr(handle)
ss_document_sha: cstr(handle)
ss_document_size: u64(handle)
ss_document_url: cstr(handle)
ss_message_id: i64(handle)
ss_message_note: cstr(handle)
ss_message_read: bool(handle)
ss_message_author_id: cstr(handle)
ss_message_author_type: cstr(handle)
ss_message_created_at: cstr(handle)
ss_message_document_count: size(handle)
ss_message_document_at: handle(handle, size)
ss_message_to_json: cstr(handle)
ss_event_type: cstr(handle)
ss_event_date: cstr(handle)
ss_event_message: cstr(handle)
ss_event_metadata_json: cstr(handle)
ss_get_safebox_participants: result(handle, str, out)
ss_participant_list_count: size(handle)
ss_participant_list_at: handle(handle, size)
ss_participant_list_free: void(handle)
ss_get_safebox_messages: result(handle, str, out)
ss_message_list_count: size(handle)
ss_message_list_at: handle(handle, size)
ss_message_list_free: void(handle)
ss_get_safebox_event_history: result(handle, str, out)
ss_event_list_count: size(handle)
ss_event_list_at: handle(handle, size)
ss_event_list_free: void(handle)
ss_string_free: void(ptr)
ss_version: cstr()
"""

# SendSafely RECEIVE: opened packages, downloads, the message, the package lists; and the
# package information and its items (groundwork) that reading a package shows.
_SIGNATURES += """\
ss_sendsafely_open_link: result(handle, str, out)
ss_sendsafely_open_package: result(handle, str, str, out)
ss_sendsafely_received_info: handle(handle)
ss_sendsafely_received_free: void(handle)
ss_sendsafely_download_file: result(handle, handle, str, str, progress_cb, userdata)
ss_sendsafely_download_file_to: result(handle, handle, str, write_cb, userdata, progress_cb, userdata)
ss_sendsafely_download_package: result(handle, handle, str, progress_cb, userdata, out)
ss_sendsafely_downloaded_file_count: size(handle)
ss_sendsafely_downloaded_file_path: cstr(handle, size)
ss_sendsafely_downloaded_message: cstr(handle)
ss_sendsafely_downloaded_free: void(handle)
ss_sendsafely_read_message: result(handle, handle, out)
ss_sendsafely_message_text: cstr(handle)
ss_sendsafely_message_free: void(handle)
ss_sendsafely_list_packages: result(handle, u32, u64, u64, out)
ss_sendsafely_package_page_count: size(handle)
ss_sendsafely_package_page_package: handle(handle, size)
ss_sendsafely_package_page_next_row_index: i64(handle)
ss_sendsafely_package_page_free: void(handle)
ss_sendsafely_package_summary_id: cstr(handle)
ss_sendsafely_package_summary_code: cstr(handle)
ss_sendsafely_package_summary_sender: cstr(handle)
ss_sendsafely_package_summary_state: cstr(handle)
ss_sendsafely_package_summary_state_number: i64(handle)
ss_sendsafely_package_summary_timestamp: cstr(handle)
ss_sendsafely_package_summary_label: cstr(handle)
ss_sendsafely_package_summary_is_workspace: bool(handle)
ss_sendsafely_package_summary_recipient_count: size(handle)
ss_sendsafely_package_summary_recipient: cstr(handle, size)
ss_sendsafely_package_summary_file_name_count: size(handle)
ss_sendsafely_package_summary_file_name: cstr(handle, size)
ss_sendsafely_package_info_id: cstr(handle)
ss_sendsafely_package_info_code: cstr(handle)
ss_sendsafely_package_info_sender: cstr(handle)
ss_sendsafely_package_info_label: cstr(handle)
ss_sendsafely_package_info_state: cstr(handle)
ss_sendsafely_package_info_contains_message: bool(handle)
ss_sendsafely_package_info_file_count: size(handle)
ss_sendsafely_package_info_file: handle(handle, size)
"""



def signatures() -> Dict[str, Tuple[str, List[str]]]:
    """The prototypes above as ``{name: (result word, [argument words])}``."""
    table: Dict[str, Tuple[str, List[str]]] = {}
    for line in _SIGNATURES.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue  # a blank line or a comment grouping the lines of one area
        name, _, rest = line.partition(":")
        result, _, args = rest.strip().partition("(")
        words = [w.strip() for w in args.rstrip(")").split(",") if w.strip()]
        table[name.strip()] = (result.strip(), words)
    return table


# --- locating the library --------------------------------------------------------------------


def _bundled_candidates() -> List[Path]:
    return [Path(__file__).resolve().parent / "native" / LIBRARY_FILE]


def _is_source_root(directory: Path) -> bool:
    return (directory / "include" / "sendsecure.h").is_file() and (directory / "Cargo.toml").is_file()


def source_root() -> Optional[Path]:
    """The libsendsecure repository this code runs from, if any.

    Searched upwards from this file (an editable install or ``PYTHONPATH=bindings/python/src``)
    and from the current directory (a regular install used from inside the repository).
    """
    starts = [Path(__file__).resolve().parent, Path.cwd().resolve()]
    for start in starts:
        for directory in [start, *start.parents]:
            if _is_source_root(directory):
                return directory
    return None


def _source_tree_candidates() -> List[Path]:
    root = source_root()
    if root is None:
        return []
    target_dirs = []
    if os.environ.get("CARGO_TARGET_DIR"):
        target_dirs.append(Path(os.environ["CARGO_TARGET_DIR"]))
    target_dirs.append(root / "target")
    found = [d / profile / LIBRARY_FILE for d in target_dirs for profile in ("release", "debug")]
    # The most recently built first: a stale release build must not hide a fresh debug one.
    existing = sorted((p for p in found if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True)
    return existing + [p for p in found if p not in existing]


def candidates() -> List[Tuple[str, str]]:
    """Every place tried, in order, as ``(how, path or name)``."""
    explicit = os.environ.get(ENV_LIBRARY)
    if explicit:
        return [(f"${ENV_LIBRARY}", explicit)]
    places = [("bundled in the package", str(p)) for p in _bundled_candidates()]
    places += [("built in the source tree", str(p)) for p in _source_tree_candidates()]
    system = ctypes.util.find_library("sendsecure")
    places.append(("ctypes.util.find_library('sendsecure')", system or ""))
    return places


_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None
_path: Optional[str] = None


def _declare(cdll: ctypes.CDLL, path: str) -> None:
    missing = []
    for name, (result, args) in signatures().items():
        try:
            fn = getattr(cdll, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = _TYPES[result]
        fn.argtypes = [_TYPES[a] for a in args]
    if missing:
        raise LibraryNotFoundError(
            f"{path} lacks {len(missing)} function(s) this binding needs ({', '.join(missing[:5])}"
            f"{', ...' if len(missing) > 5 else ''}): it is older than this binding; rebuild it "
            f"(cargo build -p sendsecure) or point {ENV_LIBRARY} at a current one"
        )
    version = (cdll.ss_version() or b"").decode("ascii", "replace")
    try:
        major_minor = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        major_minor = ()
    if major_minor != ABI_VERSION:
        raise LibraryNotFoundError(
            f"{path} is libsendsecure {version}, this binding needs "
            f"{ABI_VERSION[0]}.{ABI_VERSION[1]}.x (no ABI promise between minor versions before 1.0)"
        )


def load(path: Optional[str] = None) -> ctypes.CDLL:
    """Loads the library (once per process) and declares its functions.

    With ``path``, loads that file; otherwise searches, in order: ``$SENDSECURE_LIBRARY``, a copy
    bundled in the package, ``target/{release,debug}`` of the source tree (newest first), and
    ``ctypes.util.find_library("sendsecure")``.
    """
    global _lib, _path
    with _lock:
        if _lib is not None:
            if path is not None and os.path.realpath(path) != os.path.realpath(_path or ""):
                raise LibraryNotFoundError(f"libsendsecure is already loaded from {_path}")
            return _lib
        places = [("argument", path)] if path is not None else candidates()
        tried = []
        for how, where in places:
            if not where:
                tried.append(f"  {how}: not found")
                continue
            if os.sep in where and not os.path.isfile(where):
                tried.append(f"  {how}: {where}: no such file")
                continue
            try:
                cdll = ctypes.CDLL(where)
            except OSError as e:
                tried.append(f"  {how}: {where}: {e}")
                continue
            _declare(cdll, where)
            _lib, _path = cdll, where
            return cdll
        raise LibraryNotFoundError(
            "libsendsecure was not found. Tried:\n"
            + "\n".join(tried)
            + f"\nBuild it (cargo build --release -p sendsecure) and set {ENV_LIBRARY} to the path of "
            f"{LIBRARY_FILE}, or install a wheel that bundles it (see bindings/python/README.md)."
        )


def lib() -> ctypes.CDLL:
    """The loaded library, loading it on first use."""
    return _lib if _lib is not None else load()


def loaded_path() -> Optional[str]:
    """Where the library was loaded from, or None before the first use."""
    return _path


# --- small conversion helpers ----------------------------------------------------------------


def enc(value: Optional[str], what: str = "string") -> Optional[bytes]:
    """A str as UTF-8 bytes for a ``const char *`` argument; None stays NULL.

    A NUL character would silently cut the string short in C: it is refused here.
    """
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        data = value.encode("utf-8")
    else:
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if b"\0" in data:
        raise ValueError(f"{what} contains a NUL character")
    return data


def dec(value: Optional[bytes]) -> Optional[str]:
    """A borrowed ``const char *`` result (already copied by ctypes) as str; NULL gives None."""
    return None if value is None else value.decode("utf-8", "replace")


def take_string(out: c_void_p) -> Optional[str]:
    """Copies an owned string received through ``char **`` and frees it with ``ss_string_free``."""
    address = out.value
    if not address:
        return None
    try:
        return ctypes.string_at(address).decode("utf-8", "replace")
    finally:
        lib().ss_string_free(address)
