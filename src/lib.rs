//! libsendsecure: clients of secure-exchange services with a C ABI.
//!
//! The crate is layered (see docs/architecture.md): [`transport`] speaks HTTP (TLS, retries,
//! streamed transfers, errors) and knows no service; [`ffi`] holds what every service's C ABI
//! shares (the boundary, last error, strings, runtime, cancellation, log); each service is a
//! module of its own with its client, API areas, models and C ABI: [`sendsecure`]. Services
//! never import each other. The header is `include/sendsecure.h`.
//!
//! The crate root re-exports SendSecure's Rust API by name (its client, login and the models a
//! program builds or reads), the crate's first service; the services that follow are reached
//! through their modules only, so that no name at the root can mean two services.

#![warn(missing_docs)]

pub mod ffi;
pub mod sendsafely;
pub mod sendsecure;
pub mod transport;

pub use sendsecure::api::{Reply, SafeboxPages, MAX_SAFEBOX_PAGES};
pub use sendsecure::auth::{get_user_token, TokenRequest};
pub use sendsecure::client::{Client, ClientOptions};
pub use sendsecure::model::{
    Attachment, AttachmentReader, AttachmentSource, ConsentGroup, ContactEdit, ContactMethod,
    DestinationType, Document, EnterpriseSettings, Event, ExtensionFilter, Favorite, LongTimeUnit,
    Message, Participant, Recipient, RecipientMatch, ReopenFn, RetentionPeriodType, Safebox,
    SafeboxFilter, SafeboxInfo, SafeboxPage, SafeboxResponse, SavedContactMethod, Section,
    SecurityOptions, SecurityProfile, SecuritySetting, TimeUnit, UserToken,
};
pub use transport::error::{Error, Result, ServiceCode};
pub use transport::options::TransportOptions;
pub use transport::transfer::{DownloadSink, Progress, ProgressFn};
