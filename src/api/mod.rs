//! The API areas, each adding methods to [`crate::Client`].

mod enterprise;
mod safeboxes;
