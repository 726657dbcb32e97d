//! Enterprise settings and security profiles from C.

use super::client::ss_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, JsonText};
use crate::sendsecure::model::{EnterpriseSettings, SecurityProfile};
use std::ffi::{c_char, CString};

/// The enterprise account's settings. Caller-owned (`ss_enterprise_settings_free`); immutable,
/// readable from any thread.
pub struct ss_enterprise_settings {
    default_security_profile_id: i64,
    extension_filter_mode: CString,
    extension_filter: Vec<CString>,
    max_file_size_bytes: i64,
    json: JsonText,
}

impl From<EnterpriseSettings> for ss_enterprise_settings {
    fn from(s: EnterpriseSettings) -> Self {
        ss_enterprise_settings {
            default_security_profile_id: s.default_security_profile_id.unwrap_or(0),
            extension_filter_mode: c_string(s.extension_filter_mode()),
            max_file_size_bytes: s.max_file_size_bytes().unwrap_or(-1),
            extension_filter: s
                .extension_filter
                .map(|f| f.list.iter().map(|e| c_string(e)).collect())
                .unwrap_or_default(),
            json: JsonText::new(s.raw),
        }
    }
}

/// Reads the enterprise account's settings (E5).
///
/// `out_settings` receives them (caller owns; `ss_enterprise_settings_free`). Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_HTTP_STATUS` (403 for another account), `SS_ERR_CONNECT`,
/// `SS_ERR_TIMEOUT`, `SS_ERR_DECODE` (also for an extension filter mode other than "allow" or
/// "forbid"). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_enterprise_settings(
    client: *const ss_client,
    out_settings: *mut *mut ss_enterprise_settings,
) -> ss_result {
    call(|| {
        let out_settings = out(out_settings, "out_settings")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let settings = ss.run(&Callbacks::default(), |_| client.get_enterprise_settings())?;
        give(out_settings, ss_enterprise_settings::from(settings));
        Ok(())
    })
}

/// The id of the enterprise's default security profile, or 0 when none. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_enterprise_settings_default_security_profile_id(
    settings: *const ss_enterprise_settings,
) -> i64 {
    guard(|| {
        handle(settings, "settings")
            .map(|s| s.default_security_profile_id)
            .unwrap_or(0)
    })
}

/// The maximum size of one file in bytes, or -1 when there is no limit. NULL gives -1.
#[no_mangle]
pub extern "C" fn ss_enterprise_settings_max_file_size(
    settings: *const ss_enterprise_settings,
) -> i64 {
    guard(|| {
        handle(settings, "settings")
            .map(|s| s.max_file_size_bytes)
            .unwrap_or(-1)
    })
}

/// The extension filter's mode: "allow" (only the listed extensions) or "forbid" (all but
/// them; also when the enterprise has no filter, with no extension).
///
/// Always one of the two: `ss_get_enterprise_settings` refuses settings with another mode
/// (`SS_ERR_DECODE`), whose list could not be applied. Borrowed: valid until
/// `ss_enterprise_settings_free`. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_enterprise_settings_extension_filter_mode(
    settings: *const ss_enterprise_settings,
) -> *const c_char {
    guard(|| {
        handle(settings, "settings")
            .map(|s| s.extension_filter_mode.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The number of extensions in the filter. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_enterprise_settings_extension_count(
    settings: *const ss_enterprise_settings,
) -> usize {
    guard(|| {
        handle(settings, "settings")
            .map(|s| s.extension_filter.len())
            .unwrap_or(0)
    })
}

/// The extension at `index` (without the dot), or NULL when out of range. Borrowed: valid until
/// `ss_enterprise_settings_free`.
#[no_mangle]
pub extern "C" fn ss_enterprise_settings_extension_at(
    settings: *const ss_enterprise_settings,
    index: usize,
) -> *const c_char {
    guard(|| {
        handle(settings, "settings")
            .ok()
            .and_then(|s| s.extension_filter.get(index))
            .map(|e| e.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The settings as the server sent them (JSON). Borrowed: valid until
/// `ss_enterprise_settings_free`. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_enterprise_settings_to_json(
    settings: *const ss_enterprise_settings,
) -> *const c_char {
    guard(|| {
        handle(settings, "settings")
            .map(|s| s.json.get().as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees enterprise settings. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_enterprise_settings_free(settings: *mut ss_enterprise_settings) {
    guard(|| free(settings))
}

/// A security profile. Immutable, readable from any thread.
pub struct ss_security_profile {
    id: i64,
    name: CString,
    description: CString,
    json: JsonText,
}

impl From<SecurityProfile> for ss_security_profile {
    fn from(p: SecurityProfile) -> Self {
        ss_security_profile {
            id: p.id,
            name: c_string(&p.name),
            description: c_string(&p.description),
            json: JsonText::new(p.raw),
        }
    }
}

/// A list of security profiles. Caller-owned (`ss_security_profile_list_free`).
pub struct ss_security_profile_list {
    profiles: Vec<ss_security_profile>,
}

/// Reads the security profiles `user_email` may use (E4).
///
/// `user_email` is borrowed. `out_list` receives the list (caller owns;
/// `ss_security_profile_list_free`). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_HTTP_STATUS` (403 for an e-mail outside the account),
/// `SS_ERR_CONNECT`, `SS_ERR_TIMEOUT`, `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_security_profiles(
    client: *const ss_client,
    user_email: *const c_char,
    out_list: *mut *mut ss_security_profile_list,
) -> ss_result {
    call(|| {
        let out_list = out(out_list, "out_list")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let email = text(user_email, "user_email")?;
        let profiles = ss.run(&Callbacks::default(), |_| {
            client.get_security_profiles(email)
        })?;
        give(
            out_list,
            ss_security_profile_list {
                profiles: profiles
                    .into_iter()
                    .map(ss_security_profile::from)
                    .collect(),
            },
        );
        Ok(())
    })
}

/// Reads the enterprise's default security profile for `user_email` (E5 then E4).
///
/// `out_profile` receives it (caller owns; `ss_security_profile_free`). Returns `SS_OK`;
/// `SS_ERR_INVALID_ARGUMENT` ("No Security Profile configured") when there is none; or the
/// errors of `ss_get_security_profiles`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_default_security_profile(
    client: *const ss_client,
    user_email: *const c_char,
    out_profile: *mut *mut ss_security_profile,
) -> ss_result {
    call(|| {
        let out_profile = out(out_profile, "out_profile")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let email = text(user_email, "user_email")?;
        let profile = ss
            .run(&Callbacks::default(), |_| {
                client.get_default_security_profile(email)
            })?
            .ok_or_else(|| {
                crate::ffi::error::FfiError::new(
                    ss_result::SS_ERR_INVALID_ARGUMENT,
                    "No Security Profile configured",
                )
            })?;
        give(out_profile, ss_security_profile::from(profile));
        Ok(())
    })
}

/// The number of profiles in a list. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_security_profile_list_count(list: *const ss_security_profile_list) -> usize {
    guard(|| handle(list, "list").map(|l| l.profiles.len()).unwrap_or(0))
}

/// The profile at `index`, or NULL when out of range. Borrowed: valid until the list is freed;
/// never free it.
#[no_mangle]
pub extern "C" fn ss_security_profile_list_at(
    list: *const ss_security_profile_list,
    index: usize,
) -> *const ss_security_profile {
    guard(|| {
        handle(list, "list")
            .ok()
            .and_then(|l| l.profiles.get(index))
            .map(|p| p as *const ss_security_profile)
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a list and the profiles in it. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_security_profile_list_free(list: *mut ss_security_profile_list) {
    guard(|| free(list))
}

/// A profile's id. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_security_profile_id(profile: *const ss_security_profile) -> i64 {
    guard(|| handle(profile, "profile").map(|p| p.id).unwrap_or(0))
}

/// A profile's name. Borrowed: valid as long as the profile. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_security_profile_name(profile: *const ss_security_profile) -> *const c_char {
    guard(|| {
        handle(profile, "profile")
            .map(|p| p.name.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// A profile's description. Borrowed: valid as long as the profile. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_security_profile_description(
    profile: *const ss_security_profile,
) -> *const c_char {
    guard(|| {
        handle(profile, "profile")
            .map(|p| p.description.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// A profile as the server sent it (JSON: every setting as `{"value":…,"modifiable":…}`).
/// Borrowed: valid as long as the profile. NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_security_profile_to_json(
    profile: *const ss_security_profile,
) -> *const c_char {
    guard(|| {
        handle(profile, "profile")
            .map(|p| p.json.get().as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a profile from `ss_get_default_security_profile` (not one borrowed from a list).
/// NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_security_profile_free(profile: *mut ss_security_profile) {
    guard(|| free(profile))
}
