//! `ss_sendsafely_upload`: the files one upload call adds to a package (from a path, an open
//! descriptor, bytes or a read callback), and where each stands after a call, so that a
//! stopped or failed upload resumes (in the same process with the same handle, or in another
//! one from the file ids and parts kept).

use crate::ffi::boundary::{call, guard};
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::getters::{borrowed, value};
use crate::ffi::input::{free, give, handle_mut, ids, invalid, opt_text, out, text};
use crate::ffi::runtime::{ss_read_cb, ss_rewind_cb};
use crate::ffi::strings::c_string;
use crate::sendsafely::model::{FileState, UploadState};
use std::ffi::{c_char, c_void, CString};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Where a file's bytes come from, kept so that every call can read them from their start.
pub(crate) enum Source {
    Path(PathBuf),
    /// A duplicate of the caller's descriptor, read with positional reads from `start`.
    File {
        file: std::fs::File,
        start: u64,
    },
    Bytes(bytes::Bytes),
    /// The caller's stream number `stream` (see `ss_sendsafely_upload::streams`).
    Stream(usize),
}

/// A file of the upload.
pub(crate) struct Entry {
    pub name: String,
    pub directory_id: Option<String>,
    pub source: Source,
}

/// A read callback: pulled through the call's relay, so that it runs on the calling thread.
pub(crate) struct Stream {
    pub read: ss_read_cb,
    pub rewind: ss_rewind_cb,
    pub user_data: *mut c_void,
    pub size: u64,
    /// Whether a call read from it: a later call must rewind it first.
    pub started: Arc<AtomicBool>,
}

/// What C reads of one file's state, copied after each call.
struct FileView {
    id: Option<CString>,
    parts_done: Vec<u64>,
    complete: bool,
}

/// The files of an upload and where each stands. Caller-owned (`ss_sendsafely_upload_free`);
/// used by one thread at a time, and never changed from a callback of the call using it.
/// Give it to `ss_sendsafely_upload_files` again after a failure or a stop: it resumes.
pub struct ss_sendsafely_upload {
    pub(crate) files: Vec<Entry>,
    pub(crate) streams: Vec<Stream>,
    pub(crate) state: UploadState,
    /// The package of the first call: the files are registered there.
    pub(crate) package_id: Option<String>,
    view: Vec<FileView>,
}

impl ss_sendsafely_upload {
    /// Copies the state for the getters (after a call, or a resume point given by C).
    pub(crate) fn refresh_view(&mut self) {
        let files = self.state.files();
        self.view = (0..self.files.len())
            .map(|i| {
                let f = files.get(i).cloned().unwrap_or_default();
                FileView {
                    id: f.file_id.as_deref().map(c_string),
                    parts_done: f.parts_done,
                    complete: f.complete,
                }
            })
            .collect();
    }

    fn add(
        &mut self,
        name: &str,
        directory_id: *const c_char,
        source: Source,
    ) -> Result<(), FfiError> {
        let directory_id = opt_text(directory_id, "directory_id")?.map(str::to_string);
        if name.trim().is_empty() {
            return Err(invalid("a file's name must be given"));
        }
        self.files.push(Entry {
            name: name.to_string(),
            directory_id,
            source,
        });
        self.refresh_view();
        Ok(())
    }
}

/// Makes an empty upload: add files, then call `ss_sendsafely_upload_files`.
///
/// `out_upload` receives it (caller owns; `ss_sendsafely_upload_free`). Returns `SS_OK` or
/// `SS_ERR_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_new(
    out_upload: *mut *mut ss_sendsafely_upload,
) -> ss_result {
    call(|| {
        let out_upload = out(out_upload, "out_upload")?;
        give(
            out_upload,
            ss_sendsafely_upload {
                files: Vec::new(),
                streams: Vec::new(),
                state: UploadState::new(),
                package_id: None,
                view: Vec::new(),
            },
        );
        Ok(())
    })
}

/// Adds the file at `path`, opened and read when uploaded (by every call that sends it).
///
/// `upload` is borrowed; `path`, `name` and `directory_id` are borrowed for the call. `name`
/// is what the recipients see: NULL for the path's file name. `directory_id` is the Workspace
/// directory to put the file in, NULL for the package itself. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty name, a
/// path without a file name), `SS_ERR_INVALID_STATE` (from a callback of the call using
/// `upload`). The file is checked when uploaded.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_add_path(
    upload: *mut ss_sendsafely_upload,
    path: *const c_char,
    name: *const c_char,
    directory_id: *const c_char,
) -> ss_result {
    call(|| {
        let u = handle_mut(upload, "upload")?;
        let path = PathBuf::from(text(path, "path")?);
        let name = match opt_text(name, "name")? {
            Some(name) => name.to_string(),
            None => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| invalid(format!("`{}` has no file name", path.display())))?,
        };
        u.add(&name, directory_id, Source::Path(path))
    })
}

/// Adds an open file descriptor, read from its current offset to its end when uploaded.
///
/// The descriptor is duplicated and read with positional reads: the caller keeps ownership of
/// `fd` (close it whenever), its offset is not moved, and every call that sends the file reads
/// it from the same offset. `fd` must be a regular file. `upload` is borrowed; `name` is
/// required; `name` and `directory_id` (NULL: the package itself) are borrowed for the call.
/// Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT`
/// (an empty name, not a regular file), `SS_ERR_IO` (a bad descriptor), `SS_ERR_INVALID_STATE`
/// (from a callback of the call using `upload`). Unix only.
#[cfg(unix)]
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_add_fd(
    upload: *mut ss_sendsafely_upload,
    fd: i32,
    name: *const c_char,
    directory_id: *const c_char,
) -> ss_result {
    call(|| {
        use std::io::Seek;
        use std::os::fd::BorrowedFd;
        let u = handle_mut(upload, "upload")?;
        let name = text(name, "name")?;
        if fd < 0 {
            return Err(FfiError::new(
                ss_result::SS_ERR_IO,
                format!("`fd` {fd} is not a file descriptor"),
            ));
        }
        let io = |e: std::io::Error| FfiError::new(ss_result::SS_ERR_IO, format!("`fd` {fd}: {e}"));
        // SAFETY: the caller promises `fd` is an open descriptor for the duration of this call;
        // it is only duplicated, so ours stays valid after the caller closes theirs.
        let owned = unsafe { BorrowedFd::borrow_raw(fd) }
            .try_clone_to_owned()
            .map_err(io)?;
        let mut file = std::fs::File::from(owned);
        if !file.metadata().map_err(io)?.is_file() {
            return Err(invalid(format!("`fd` {fd} is not a regular file")));
        }
        let start = file.stream_position().map_err(io)?;
        u.add(name, directory_id, Source::File { file, start })
    })
}

/// Adds a copy of `len` bytes at `data` (NULL allowed when `len` is 0).
///
/// `upload` is borrowed; `data`, `name` (required) and `directory_id` (NULL: the package
/// itself) are borrowed for the call. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty name), `SS_ERR_INVALID_STATE`
/// (from a callback of the call using `upload`).
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_add_bytes(
    upload: *mut ss_sendsafely_upload,
    data: *const u8,
    len: usize,
    name: *const c_char,
    directory_id: *const c_char,
) -> ss_result {
    call(|| {
        let u = handle_mut(upload, "upload")?;
        let bytes = ids(data, len, "data")?;
        let name = text(name, "name")?;
        u.add(
            name,
            directory_id,
            Source::Bytes(bytes::Bytes::copy_from_slice(bytes)),
        )
    })
}

/// Adds a stream of exactly `size` bytes, pulled through `read` when uploaded.
///
/// `read` (required) and `rewind` (NULL when the stream cannot restart) are called with
/// `user_data` on the thread of the upload call; `user_data` must stay valid until the upload
/// is freed (the library never frees it). Fewer or more than `size` bytes fail the call with
/// `SS_ERR_INVALID_ARGUMENT`; a read returning a negative value fails it with `SS_ERR_IO`. A
/// call after a stopped or failed one reads the stream again from its first byte (the parts
/// already stored are read past): it calls `rewind` first, and without one it fails with
/// `SS_ERR_INVALID_STATE`. `upload` is borrowed; `name` (required) and `directory_id` (NULL:
/// the package itself) are borrowed for the call. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty name), `SS_ERR_INVALID_STATE`
/// (from a callback of the call using `upload`).
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_add_stream(
    upload: *mut ss_sendsafely_upload,
    read: ss_read_cb,
    rewind: ss_rewind_cb,
    user_data: *mut c_void,
    size: u64,
    name: *const c_char,
    directory_id: *const c_char,
) -> ss_result {
    call(|| {
        let u = handle_mut(upload, "upload")?;
        if read.is_none() {
            return Err(FfiError::new(
                ss_result::SS_ERR_NULL_ARGUMENT,
                "`read` is NULL",
            ));
        }
        let name = text(name, "name")?;
        let stream = u.streams.len();
        u.add(name, directory_id, Source::Stream(stream))?;
        u.streams.push(Stream {
            read,
            rewind,
            user_data,
            size,
            started: Arc::default(),
        });
        Ok(())
    })
}

/// How many files the upload has. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_file_count(upload: *const ss_sendsafely_upload) -> usize {
    value(upload, 0, |u| u.files.len())
}

/// The id the server gave file `index` (0 first, in the order added), or NULL before it was
/// registered (or NULL `upload`, or out of range). Borrowed from `upload`, valid until the
/// next call that uses or changes it. With the package's id and keycode and the parts stored,
/// what resuming in another process needs.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_file_id(
    upload: *const ss_sendsafely_upload,
    index: usize,
) -> *const c_char {
    borrowed(upload, |u| u.view.get(index).and_then(|v| v.id.as_ref()))
}

/// Whether file `index` is stored and marked complete. NULL or out of range gives false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_file_complete(
    upload: *const ss_sendsafely_upload,
    index: usize,
) -> bool {
    value(upload, false, |u| {
        u.view.get(index).is_some_and(|v| v.complete)
    })
}

/// How many parts (segments) of file `index` are known to be stored. NULL or out of range
/// gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_file_parts_done_count(
    upload: *const ss_sendsafely_upload,
    index: usize,
) -> usize {
    value(upload, 0, |u| {
        u.view.get(index).map_or(0, |v| v.parts_done.len())
    })
}

/// The number (1 first) of the `k`-th part of file `index` known to be stored, ascending. NULL
/// or out of range gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_file_part_done(
    upload: *const ss_sendsafely_upload,
    index: usize,
    k: usize,
) -> u64 {
    value(upload, 0, |u| {
        u.view
            .get(index)
            .and_then(|v| v.parts_done.get(k).copied())
            .unwrap_or(0)
    })
}

/// Says where file `index` stands after an upload made elsewhere (another process, or an
/// earlier handle): registered as `file_id` with the `count` parts of `parts_done` stored
/// (NULL allowed when `count` is 0: every part is sent again, which is harmless). The next
/// `ss_sendsafely_upload_files` then sends only its other parts and marks it complete; give the
/// package again with `ss_sendsafely_reopen_package`, and the same bytes.
///
/// `upload` is borrowed; `file_id` and `parts_done` are borrowed for the call (the parts are
/// checked against the file's size by the next call). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty id), `SS_ERR_OUT_OF_RANGE` (no
/// file `index`), `SS_ERR_INVALID_STATE` (from a callback of the call using `upload`).
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_resume_file(
    upload: *mut ss_sendsafely_upload,
    index: usize,
    file_id: *const c_char,
    parts_done: *const u64,
    count: usize,
) -> ss_result {
    call(|| {
        let u = handle_mut(upload, "upload")?;
        let file_id = text(file_id, "file_id")?;
        let parts = ids(parts_done, count, "parts_done")?;
        if index >= u.files.len() {
            return Err(FfiError::new(
                ss_result::SS_ERR_OUT_OF_RANGE,
                format!("the upload has no file {index} (it has {})", u.files.len()),
            ));
        }
        if file_id.trim().is_empty() {
            return Err(invalid("the file id must be given"));
        }
        let mut parts_done = parts.to_vec();
        parts_done.sort_unstable();
        parts_done.dedup();
        u.state.update(index, |f| {
            *f = FileState {
                file_id: Some(file_id.to_string()),
                parts_done,
                complete: false,
            }
        });
        u.refresh_view();
        Ok(())
    })
}

/// Frees an upload. NULL is a no-op; must not be called twice. Called from a callback of the
/// call using it, it is freed when that call returns.
#[no_mangle]
pub extern "C" fn ss_sendsafely_upload_free(upload: *mut ss_sendsafely_upload) {
    guard(|| free(upload))
}
