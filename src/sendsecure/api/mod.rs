//! The API areas, each adding methods to [`crate::Client`].

mod documents;
mod enterprise;
mod participants;
mod replies;
mod safebox_actions;
mod safebox_reads;
mod safeboxes;
mod users;

#[cfg(test)]
mod decode_props;

pub use replies::Reply;
pub use safebox_reads::{SafeboxPages, MAX_SAFEBOX_PAGES};
