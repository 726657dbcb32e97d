//! SendSafely's API areas, each a set of [`Client`](crate::sendsafely::client::Client) methods.

mod user;
