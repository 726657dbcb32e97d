//! Logging in: the portal host discovery and `api/user_token` (spec §2.1, §3).

use crate::sendsecure::answers::{answer_or_failure, ok_answer_or_error};
use crate::sendsecure::client::{discover, service_url, ClientOptions, DEFAULT_ENDPOINT};
use crate::sendsecure::model::UserToken;
use crate::transport::error::{Error, Result, ServiceCode};
use crate::transport::http::{http_client, send_logged, Pool};
use crate::transport::options::TransportOptions;
use crate::transport::retry::{transient_status, with_retries, Failure, Idempotency, RetryPolicy};
use crate::transport::url_policy::{check_endpoint, parse_endpoint};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

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
/// A refusal by the portal is [`Error::Service`] with its code (101 invalid permalink, 102
/// invalid credentials, 103-105 missing parameter, 106 one-time password needed).
///
/// The password is sent only in the request body, from a buffer wiped afterwards, and never
/// appears in an error (should the portal echo it, it is replaced by `<redacted>`).
pub async fn get_user_token(
    request: &TokenRequest<'_>,
    options: &ClientOptions,
) -> Result<UserToken> {
    login(request, options).await.map_err(|e| {
        let e = e.redact(request.password);
        match request.one_time_password {
            Some(otp) => e.redact(otp),
            None => e,
        }
    })
}

/// The login request's JSON body, borrowing the caller's strings (no copy of the password).
#[derive(Serialize)]
struct LoginBody<'a> {
    permalink: &'a str,
    username: &'a str,
    password: &'a str,
    application_type: &'a str,
    device_id: &'a str,
    device_name: &'a str,
    otp: &'a str,
}

/// The answer of `api/user_token`; the token is moved into the [`UserToken`] (wiped on drop).
#[derive(Deserialize)]
struct LoginAnswer {
    #[serde(default)]
    result: Value,
    #[serde(default, deserialize_with = "wiped_text")]
    token: Option<Zeroizing<String>>,
    #[serde(default)]
    user_id: Value,
}

/// A text read into a string wiped from memory when dropped.
fn wiped_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Zeroizing<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|text| text.map(Zeroizing::new))
}

/// Serializes `body` into a buffer that is wiped when the request is done with it. The buffer
/// is sized for the worst case (every character escaped) so that it is never reallocated
/// (which would leave copies of the password behind).
fn secret_json(body: &LoginBody<'_>) -> Result<bytes::Bytes> {
    let capacity = 256
        + 6 * [
            body.permalink,
            body.username,
            body.password,
            body.application_type,
            body.device_id,
            body.device_name,
            body.otp,
        ]
        .iter()
        .map(|s| s.len())
        .sum::<usize>();
    let mut buffer = Zeroizing::new(Vec::with_capacity(capacity));
    serde_json::to_writer(&mut *buffer, body)
        .map_err(|e| Error::InvalidArgument(format!("cannot encode the login: {e}")))?;
    Ok(bytes::Bytes::from_owner(buffer))
}

/// Appends to a secret buffer, moving it to a bigger one (the old one wiped) when full.
fn push_secret(buffer: &mut Zeroizing<Vec<u8>>, chunk: &[u8]) {
    if buffer.capacity() - buffer.len() < chunk.len() {
        let capacity = (buffer.len() + chunk.len()).max(buffer.capacity() * 2);
        let mut bigger = Zeroizing::new(Vec::with_capacity(capacity));
        bigger.extend_from_slice(buffer);
        *buffer = bigger;
    }
    buffer.extend_from_slice(chunk);
}

/// Sends the login, retried as an idempotent call (the same parameters always give the same
/// token, and nothing is created): on connection failures and on 429, 502, 503, 504. Any other
/// answer is returned for `login` to read.
async fn send_login(
    http: &Pool,
    url: &url::Url,
    body: &bytes::Bytes,
    options: &TransportOptions,
) -> Result<reqwest::Response> {
    let attempt = |_| async {
        let mut builder = http
            .http
            .post(url.clone())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(body.clone());
        if let Some(timeout) = options.request_timeout {
            builder = builder.timeout(timeout);
        }
        let response = send_logged(builder, &reqwest::Method::POST, url, http).await?;
        let status = response.status().as_u16();
        if transient_status(status) {
            return Err(answer_or_failure(response).await.err().unwrap_or_else(|| {
                Failure::answered(Error::from_status(status, String::new()), status, None)
            }));
        }
        Ok(response)
    };
    with_retries(
        &RetryPolicy::of(options),
        Idempotency::Idempotent,
        options.request_timeout,
        attempt,
    )
    .await
    .map_err(|f| f.error)
}

async fn login(request: &TokenRequest<'_>, options: &ClientOptions) -> Result<UserToken> {
    let options = &options.transport;
    if request.enterprise_account.trim().is_empty() {
        return Err(Error::InvalidArgument(
            "Enterprise account cannot be empty".into(),
        ));
    }
    if request.username.is_empty() {
        return Err(Error::InvalidArgument("Username cannot be empty".into()));
    }
    let endpoint = parse_endpoint(request.endpoint.unwrap_or(DEFAULT_ENDPOINT))?;
    check_endpoint(&endpoint, options)?;
    let http = http_client(options)?;
    let portal = discover(
        &http,
        service_url(&endpoint, request.enterprise_account, "portal/host")?,
        options,
    )
    .await?;
    let url = portal
        .join("api/user_token")
        .map_err(|e| Error::Decode(format!("bad portal host: {e}")))?;
    let body = secret_json(&LoginBody {
        permalink: request.enterprise_account,
        username: request.username,
        password: request.password,
        application_type: request.application_type.unwrap_or(DEFAULT_APPLICATION_TYPE),
        device_id: request.device_id,
        device_name: request.device_name,
        otp: request.one_time_password.unwrap_or(""),
    })?;
    let mut response = send_login(&http, &url, &body, options).await?;
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return Err(match ok_answer_or_error(response).await {
            // Token refusals carry {"result":false,"code":..,"message":..} with 400 or 401.
            Err(Error::Http {
                status,
                message,
                body,
            }) => token_error(status, &body).unwrap_or(Error::Http {
                status,
                message,
                body,
            }),
            Err(e) => e,
            Ok(_) => Error::Decode(format!("HTTP {status} from the portal")),
        });
    }
    // The answer holds the token: read it into a buffer wiped when dropped.
    let mut body = Zeroizing::new(Vec::with_capacity(
        response.content_length().unwrap_or(0).min(64 << 10) as usize,
    ));
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        if body.len() + chunk.len() > 64 << 10 {
            return Err(Error::Decode("user token answer larger than 64 KiB".into()));
        }
        push_secret(&mut body, &chunk);
    }
    token_answer(status, &body)
}

/// Reads the body of a successful `api/user_token` answer (HTTP `status`).
pub(crate) fn token_answer(status: u16, body: &[u8]) -> Result<UserToken> {
    let answer: LoginAnswer = serde_json::from_slice(body)
        .map_err(|e| Error::Decode(format!("invalid JSON in the user token answer: {e}")))?;
    if answer.result.as_bool() == Some(true) {
        match (answer.token, answer.user_id.as_i64()) {
            // The token goes to C as a C string, which would end at the NUL.
            (Some(token), Some(_)) if token.contains('\0') => Err(Error::Decode(
                "`token` of the user token answer contains a NUL character, which C strings \
                 cannot carry"
                    .into(),
            )),
            (Some(mut token), Some(user_id)) => Ok(UserToken {
                token: std::mem::take(&mut *token),
                user_id,
            }),
            _ => Err(Error::Decode(
                "user token answer without `token` or `user_id`".into(),
            )),
        }
    } else {
        let text = String::from_utf8_lossy(body).into_owned();
        Err(token_error(status, &text)
            .unwrap_or_else(|| Error::Decode("user token answer without `result: true`".into())))
    }
}

fn token_error(status: u16, body: &str) -> Option<Error> {
    let v: Value = serde_json::from_str(body).ok()?;
    let code = v
        .get("code")
        .and_then(|c| c.as_i64().or_else(|| c.as_str()?.parse().ok()))?;
    Some(Error::Service {
        call: "SendSecure user token",
        code: ServiceCode::Number(code),
        credentials: true,
        status,
        message: v
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("user token error")
            .to_string(),
        body: body.to_string(),
    })
}
