//! `POST /api/user_token` (spec §3): JSON, urlencoded or multipart fields in; a stable token or a
//! `{"result":false,"code":10x}` error out.

use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

fn token_error(status: StatusCode, code: i64, message: &str) -> ApiError {
    ApiError::Token(status, code, message.to_string())
}

async fn read_fields(state: &Shared, request: Request) -> ApiResult<HashMap<String, String>> {
    let malformed = || token_error(StatusCode::BAD_REQUEST, 100, "unexpected user token error");
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|_| malformed())?;
        let mut fields = HashMap::new();
        while let Some(field) = multipart.next_field().await.map_err(|_| malformed())? {
            let name = field.name().unwrap_or_default().to_string();
            let value = field.text().await.map_err(|_| malformed())?;
            fields.insert(name, value);
        }
        return Ok(fields);
    }
    let body = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .map_err(|_| malformed())?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok(form_urlencoded_lossy(&body));
    }
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(&body).map_err(|_| malformed())?
    };
    let object = value.as_object().ok_or_else(malformed)?;
    Ok(object
        .iter()
        .filter_map(|(k, v)| match v {
            Value::String(s) => Some((k.clone(), s.clone())),
            Value::Number(n) => Some((k.clone(), n.to_string())),
            _ => None,
        })
        .collect())
}

/// Decodes a form body; bytes that are not UTF-8 (java sends ISO-8859-1) are read as Latin-1.
fn form_urlencoded_lossy(body: &[u8]) -> HashMap<String, String> {
    let decode = |raw: &str| -> String {
        let plus = raw.replace('+', " ");
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(&plus).collect();
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
        }
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// `POST /api/user_token`.
pub async fn user_token(State(state): State<Shared>, request: Request) -> JsonResult {
    let fields = read_fields(&state, request).await?;
    let field = |name: &str| fields.get(name).map(|s| s.trim()).filter(|s| !s.is_empty());
    let mut store = state.store();
    let account = field("permalink")
        .and_then(|p| store.account_index(p))
        .ok_or_else(|| token_error(StatusCode::BAD_REQUEST, 101, "invalid permalink"))?;
    let app_type = field("application_type");
    let device_id = field("device_id");
    let device_name = field("device_name");
    if app_type.is_none() {
        return Err(token_error(
            StatusCode::BAD_REQUEST,
            103,
            "missing application_type parameter",
        ));
    }
    let Some(device_id) = device_id else {
        return Err(token_error(
            StatusCode::BAD_REQUEST,
            104,
            "missing device_id parameter",
        ));
    };
    if device_name.is_none() {
        return Err(token_error(
            StatusCode::BAD_REQUEST,
            105,
            "missing device_name parameter",
        ));
    }
    let invalid = || token_error(StatusCode::UNAUTHORIZED, 102, "invalid credentials");
    let username = field("username").ok_or_else(invalid)?;
    let password = fields.get("password").map(String::as_str).unwrap_or("");
    let user = store.accounts[account]
        .config
        .users
        .iter()
        .find(|u| u.username == username || u.email.eq_ignore_ascii_case(username))
        .filter(|u| u.password == password)
        .cloned()
        .ok_or_else(invalid)?;
    if let Some(expected) = &user.otp {
        match field("otp") {
            None => return Err(token_error(StatusCode::UNAUTHORIZED, 106, "otp needed")),
            Some(otp) if otp != expected => return Err(invalid()),
            Some(_) => {}
        }
    }
    let token = store.issue_token(account, user.id, device_id);
    Ok(Json(
        json!({"result": true, "token": token, "user_id": user.id}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_form_bodies_are_decoded() {
        let fields = form_urlencoded_lossy(b"device_name=caf%E9&username=a%40b.c&x=1+2");
        assert_eq!(fields["device_name"], "caf\u{e9}");
        assert_eq!(fields["username"], "a@b.c");
        assert_eq!(fields["x"], "1 2");
    }
}
