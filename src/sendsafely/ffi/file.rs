//! `ss_sendsafely_file`: a file of a package, as its information lists it.

use crate::ffi::getters::{borrowed, value};
use crate::ffi::strings::c_string;
use crate::sendsafely::model::FileInfo;
use std::ffi::{c_char, CString};

/// A file of a package. Borrowed from the handle that lists it (a package information, ...),
/// valid while that handle lives; immutable, readable from any thread; its strings are borrowed
/// from it.
pub struct ss_sendsafely_file {
    id: CString,
    name: CString,
    size: u64,
    parts: u64,
    uploaded: bool,
    created_by: CString,
    uploaded_at: CString,
    directory_id: Option<CString>,
}

impl From<&FileInfo> for ss_sendsafely_file {
    fn from(f: &FileInfo) -> Self {
        ss_sendsafely_file {
            id: c_string(&f.file_id),
            name: c_string(&f.file_name),
            size: f.file_size,
            parts: f.parts,
            uploaded: f.uploaded,
            created_by: c_string(&f.created_by_email),
            uploaded_at: c_string(&f.uploaded_at),
            directory_id: f.directory_id.as_deref().map(c_string),
        }
    }
}

/// The file's id. Borrowed from `file`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_id(file: *const ss_sendsafely_file) -> *const c_char {
    borrowed(file, |f| Some(&f.id))
}

/// The file's name as the sender gave it (not made safe for a local path). Borrowed from
/// `file`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_name(file: *const ss_sendsafely_file) -> *const c_char {
    borrowed(file, |f| Some(&f.name))
}

/// The file's plaintext size in bytes, as the server declares it. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_size(file: *const ss_sendsafely_file) -> u64 {
    value(file, 0, |f| f.size)
}

/// The file's number of segments. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_parts(file: *const ss_sendsafely_file) -> u64 {
    value(file, 0, |f| f.parts)
}

/// Whether every segment of the file is stored. NULL gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_uploaded(file: *const ss_sendsafely_file) -> bool {
    value(file, false, |f| f.uploaded)
}

/// The e-mail address of who added the file ("" when the server does not say). Borrowed
/// from `file`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_created_by(file: *const ss_sendsafely_file) -> *const c_char {
    borrowed(file, |f| Some(&f.created_by))
}

/// When the file was uploaded, as the server writes it ("" when it does not say). Borrowed
/// from `file`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_uploaded_at(file: *const ss_sendsafely_file) -> *const c_char {
    borrowed(file, |f| Some(&f.uploaded_at))
}

/// The Workspace directory holding the file, or NULL (a package's file, or NULL `file`).
/// Borrowed from `file`.
#[no_mangle]
pub extern "C" fn ss_sendsafely_file_directory_id(
    file: *const ss_sendsafely_file,
) -> *const c_char {
    borrowed(file, |f| f.directory_id.as_ref())
}
