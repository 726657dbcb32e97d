//! libsendsecure: SendSecure client library (core and C ABI arrive with issue 3).
