//! Logging in: the portal host discovery and `api/user_token` (spec §2.1, §3).

use crate::client::{
    discover, http_client, json_or_error, parse_endpoint, service_url, ClientOptions,
    DEFAULT_ENDPOINT,
};
use crate::error::{Error, Result};
use crate::model::UserToken;
use serde_json::{json, Value};

/// The `application_type` sent when the caller gives none.
pub const DEFAULT_APPLICATION_TYPE: &str = "libsendsecure";

/// The parameters of a login (the vendor SDKs' `get_user_token`).
#[derive(Clone, Default)]
pub struct TokenRequest<'a> {
    /// The enterprise account permalink.
    pub enterprise_account: &'a str,
    /// The user's login name (or e-mail).
    pub username: &'a str,
    /// The user's password (a secret: never logged).
    pub password: &'a str,
    /// An id of the device, stable across logins.
    pub device_id: &'a str,
    /// A readable name of the device.
    pub device_name: &'a str,
    /// Defaults to [`DEFAULT_APPLICATION_TYPE`].
    pub application_type: Option<&'a str>,
    /// The portal; defaults to [`DEFAULT_ENDPOINT`].
    pub endpoint: Option<&'a str>,
    /// For users whose login needs a one-time password.
    pub one_time_password: Option<&'a str>,
}

impl std::fmt::Debug for TokenRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("enterprise_account", &self.enterprise_account)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("device_id", &self.device_id)
            .field("device_name", &self.device_name)
            .field("application_type", &self.application_type)
            .field("endpoint", &self.endpoint)
            .field(
                "one_time_password",
                &self.one_time_password.map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Gets an API token for a user. The same parameters always give the same token.
///
/// A refusal by the portal is [`Error::Token`] with its code (101 invalid permalink, 102
/// invalid credentials, 103-105 missing parameter, 106 one-time password needed).
pub async fn get_user_token(
    request: &TokenRequest<'_>,
    options: &ClientOptions,
) -> Result<UserToken> {
    if request.enterprise_account.trim().is_empty() {
        return Err(Error::InvalidArgument(
            "Enterprise account cannot be empty".into(),
        ));
    }
    if request.username.is_empty() {
        return Err(Error::InvalidArgument("Username cannot be empty".into()));
    }
    let endpoint = parse_endpoint(request.endpoint.unwrap_or(DEFAULT_ENDPOINT))?;
    let http = http_client(options)?;
    let portal = discover(
        &http,
        service_url(&endpoint, request.enterprise_account, "portal/host")?,
    )
    .await?;
    let url = portal
        .join("api/user_token")
        .map_err(|e| Error::Decode(format!("bad portal host: {e}")))?;
    let body = json!({
        "permalink": request.enterprise_account,
        "username": request.username,
        "password": request.password,
        "application_type": request.application_type.unwrap_or(DEFAULT_APPLICATION_TYPE),
        "device_id": request.device_id,
        "device_name": request.device_name,
        "otp": request.one_time_password.unwrap_or(""),
    });
    let mut builder = http
        .post(url)
        .json(&body)
        .header("Accept", "application/json");
    if let Some(timeout) = options.request_timeout {
        builder = builder.timeout(timeout);
    }
    let response = builder.send().await.map_err(Error::from_reqwest)?;
    let status = response.status().as_u16();
    let answer = match json_or_error(response).await {
        Ok(v) => v,
        Err(Error::Http {
            status,
            message,
            body,
        }) => {
            // Token refusals carry {"result":false,"code":..,"message":..} with 400 or 401.
            return Err(token_error(status, &body).unwrap_or(Error::Http {
                status,
                message,
                body,
            }));
        }
        Err(e) => return Err(e),
    };
    if answer.get("result").and_then(Value::as_bool) == Some(true) {
        let token = answer.get("token").and_then(Value::as_str);
        let user_id = answer.get("user_id").and_then(Value::as_i64);
        match (token, user_id) {
            (Some(token), Some(user_id)) => Ok(UserToken {
                token: token.to_string(),
                user_id,
            }),
            _ => Err(Error::Decode(
                "user token answer without `token` or `user_id`".into(),
            )),
        }
    } else {
        Err(token_error(status, &answer.to_string())
            .unwrap_or_else(|| Error::Decode("user token answer without `result: true`".into())))
    }
}

fn token_error(status: u16, body: &str) -> Option<Error> {
    let v: Value = serde_json::from_str(body).ok()?;
    let code = v
        .get("code")
        .and_then(|c| c.as_i64().or_else(|| c.as_str()?.parse().ok()))?;
    Some(Error::Token {
        status,
        code,
        message: v
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("user token error")
            .to_string(),
        body: body.to_string(),
    })
}
