//! Workspaces (`vdr` packages, spec §6.11, S32-S36): the directory tree under the package's
//! `rootDirectoryId`, files moved between directories, and the activity log (10 per call).

use crate::sendsafely::api::Call;
use crate::sendsafely::error::{SsError, SsResult};
use crate::sendsafely::packages::{file_json, owned, readable};
use crate::sendsafely::store::{Directory, Package};
use serde_json::{json, Value};

/// Activity-log entries per call.
pub const LOG_PAGE: usize = 10;

fn workspace(p: &Package) -> Result<(), SsError> {
    if p.vdr {
        Ok(())
    } else {
        Err(SsError::fail("The package is not a workspace"))
    }
}

fn name_of(body: &Value) -> Result<String, SsError> {
    body.get("directoryName")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.contains('/'))
        .map(str::to_string)
        .ok_or_else(|| SsError::invalid("directoryName must be a non-empty name without '/'"))
}

fn dir_json(p: &Package, d: &Directory) -> Value {
    let subdirectories: Vec<Value> = p
        .directories
        .values()
        .filter(|x| x.parent.as_deref() == Some(d.id.as_str()))
        .map(|x| json!({"directoryId": x.id, "name": x.name, "directoryName": x.name}))
        .collect();
    let files: Vec<Value> = p
        .files
        .iter()
        .filter(|f| f.directory_id.as_deref().unwrap_or(&p.root_directory_id) == d.id)
        .map(file_json)
        .collect();
    json!({
        "directoryId": d.id,
        "name": d.name,
        "directoryName": d.name,
        "parentId": d.parent,
        "created": crate::sendsafely::auth::format_timestamp(d.created),
        "subDirectories": subdirectories,
        "files": files,
    })
}

/// The directories of a package for its information (S6).
pub fn directories_json(p: &Package) -> Vec<Value> {
    p.directories
        .values()
        .filter(|d| d.parent.is_some())
        .map(|d| json!({"directoryId": d.id, "directoryName": d.name, "parentId": d.parent}))
        .collect()
}

/// S32: a subdirectory of `parent`.
pub fn create(call: &Call<'_>, id: &str, parent: &str) -> SsResult {
    let name = name_of(&call.json()?)?;
    let now = call.state.core.clock.now();
    let mut store = call.state.store();
    let did = store.new_id("dir-");
    let p = owned(call, &mut store, id)?;
    workspace(p)?;
    if !p.directories.contains_key(parent) {
        return Err(SsError::invalid("Unknown parent directory"));
    }
    p.directories.insert(
        did.clone(),
        Directory {
            id: did.clone(),
            name: name.clone(),
            parent: Some(parent.to_string()),
            created: now,
        },
    );
    p.log(now, &call.user.email, "DIRECTORY_CREATED", name);
    Ok(json!({"directoryId": did, "message": did}))
}

/// S33 GET: a directory with its subdirectories and files; with a `directoryName` body (JV
/// renames with a GET), a rename.
pub fn get(call: &Call<'_>, id: &str, did: &str) -> SsResult {
    let body = call.json()?;
    if body.get("directoryName").is_some() {
        return rename(call, id, did);
    }
    let mut store = call.state.store();
    let p = readable(call, &mut store, id)?;
    workspace(p)?;
    let d = p
        .directories
        .get(did)
        .ok_or_else(|| SsError::invalid("Unknown directory"))?;
    Ok(dir_json(p, d))
}

/// S33 POST: rename.
pub fn rename(call: &Call<'_>, id: &str, did: &str) -> SsResult {
    let name = name_of(&call.json()?)?;
    let now = call.state.core.clock.now();
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    workspace(p)?;
    let d = p
        .directories
        .get_mut(did)
        .ok_or_else(|| SsError::invalid("Unknown directory"))?;
    d.name = name.clone();
    p.log(now, &call.user.email, "DIRECTORY_RENAMED", name);
    Ok(json!({"message": "Directory renamed"}))
}

/// S33 DELETE: a directory (not the root), its subtree and their files.
pub fn delete(call: &Call<'_>, id: &str, did: &str) -> SsResult {
    let now = call.state.core.clock.now();
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    workspace(p)?;
    if did == p.root_directory_id {
        return Err(SsError::fail("The root directory cannot be deleted"));
    }
    if !p.directories.contains_key(did) {
        return Err(SsError::invalid("Unknown directory"));
    }
    let doomed: Vec<String> = p
        .directories
        .keys()
        .filter(|d| p.is_within(d, did))
        .cloned()
        .collect();
    let root = p.root_directory_id.clone();
    let files: Vec<String> = p
        .files
        .iter()
        .filter(|f| doomed.contains(f.directory_id.as_ref().unwrap_or(&root)))
        .map(|f| f.id.clone())
        .collect();
    p.files.retain(|f| !files.contains(&f.id));
    p.directories.retain(|d, _| !doomed.contains(d));
    p.log(now, &call.user.email, "DIRECTORY_DELETED", did.to_string());
    let pid = p.id.clone();
    for f in &files {
        let _ = std::fs::remove_dir_all(store.package_dir(&pid).join(f));
    }
    store.tokens.retain(|_, t| !files.contains(&t.file_id));
    Ok(json!({"message": "Directory deleted"}))
}

/// S34: move a file to a directory.
pub fn move_file(call: &Call<'_>, id: &str, dst: &str, fid: &str) -> SsResult {
    let now = call.state.core.clock.now();
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    workspace(p)?;
    if !p.directories.contains_key(dst) {
        return Err(SsError::invalid("Unknown directory"));
    }
    let f = p
        .file_mut(fid)
        .ok_or_else(|| SsError::invalid("Unknown file"))?;
    f.directory_id = Some(dst.to_string());
    let name = f.name.clone();
    p.log(now, &call.user.email, "FILE_MOVED", name);
    Ok(json!({"message": "File moved"}))
}

/// S35: move a directory under another (not the root, not into itself or below).
pub fn move_directory(call: &Call<'_>, id: &str, src: &str, dst: &str) -> SsResult {
    let now = call.state.core.clock.now();
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    workspace(p)?;
    if !p.directories.contains_key(src) || !p.directories.contains_key(dst) {
        return Err(SsError::invalid("Unknown directory"));
    }
    if src == p.root_directory_id || p.is_within(dst, src) {
        return Err(SsError::fail("A directory cannot be moved there"));
    }
    if let Some(d) = p.directories.get_mut(src) {
        d.parent = Some(dst.to_string());
    }
    p.log(now, &call.user.email, "DIRECTORY_MOVED", src.to_string());
    Ok(json!({"message": "Directory moved"}))
}

/// S36: the activity log from `rowIndex`, 10 entries, newest first.
pub fn activity_log(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json()?;
    let row = match body.get("rowIndex") {
        None => 0,
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .ok_or_else(|| SsError::invalid("rowIndex must be a non-negative integer"))?
            as usize,
    };
    let mut store = call.state.store();
    let p = readable(call, &mut store, id)?;
    let records: Vec<Value> = p
        .events
        .iter()
        .rev()
        .skip(row)
        .take(LOG_PAGE)
        .map(|e| {
            json!({"timestamp": crate::sendsafely::auth::format_timestamp(e.at),
                   "userEmail": e.user, "action": e.action, "details": e.details})
        })
        .collect();
    Ok(
        json!({"records": records, "activityLogEntries": records.len(),
              "rowIndex": row, "nextRowIndex": row + records.len()}),
    )
}
