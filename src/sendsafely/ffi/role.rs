//! A Workspace collaborator's role from C (S13 `roleName`).

use super::client::ss_sendsafely_client;
use super::package_call::on_package;
use crate::ffi::boundary::call;
use crate::ffi::error::ss_result;
use crate::ffi::input::text;
use std::ffi::c_char;

/// Sets the role of a recipient (a collaborator) of a Workspace (S13).
///
/// `client`, `package_id`, `recipient_id` (from `ss_sendsafely_recipient_id`) and `role` are
/// borrowed. `role` is one of `VIEWER`, `CONTRIBUTOR`, `MANAGER`, `OWNER` (upper case, as
/// `ss_sendsafely_recipient_role` shows it). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty id, another role), `SS_ERR_API`
/// (`ss_last_error_api_code_name`: `INVALID_RECIPIENT` for an unknown recipient,
/// `UNKNOWN_PACKAGE`, `DENIED` when the caller does not own the Workspace), `SS_ERR_AUTH`,
/// `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`,
/// `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_update_recipient_role(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    recipient_id: *const c_char,
    role: *const c_char,
) -> ss_result {
    call(|| {
        let recipient_id = text(recipient_id, "recipient_id")?;
        let role = text(role, "role")?;
        on_package(client, package_id, |c, pid| {
            c.update_recipient_role(pid, recipient_id, role)
        })
    })
}
