//! SendSafely's cryptography off the async threads: OpenPGP work (S2K hashing, RSA, AES over
//! megabytes) runs on tokio's blocking pool, and its failures become [`Error::Crypto`].

use crate::transport::error::{Error, Result};

/// Runs `work` on the blocking pool.
pub(crate) async fn run<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> std::result::Result<T, sendsafely_crypto::Error> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(done) => done.map_err(|e| Error::Crypto(e.to_string())),
        Err(e) => Err(Error::InvalidState(format!(
            "the cryptography task failed: {e}"
        ))),
    }
}
