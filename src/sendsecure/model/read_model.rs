//! A read model (what the server returns about an object) declared once: each field with its
//! type and the rule that reads it from the answer, in one table from which [`read_model!`]
//! makes both the struct and its decoding function.
//!
//! ```ignore
//! read_model! {
//!     /// An entry of the event history.
//!     #[derive(Debug, Clone)]
//!     pub struct Event {
//!         kind: String = required_text(obj, "type", what)?,
//!         date: String = text(obj, "date"),
//!     }
//!     /// Reads an event object; `what` names it in errors.
//!     pub(crate) fn decode(v: &Value, what: &str) {
//!         let obj = object(v, what)?;
//!     }
//! }
//! ```
//!
//! The function's statements run first (checking the object's shape, reading what several
//! fields share), then the fields' rules in their order: the order in which errors are found,
//! hence which one is reported, is the table's.

/// Declares a read model's struct (every field public) and its decoding function, returning
/// `Result<Self>`; see the module's documentation.
macro_rules! read_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty = $rule:expr ),* $(,)?
        }
        $(#[$fn_meta:meta])*
        $vis:vis fn $decode:ident ( $($arg:ident : $arg_ty:ty),* $(,)? ) { $($prelude:tt)* }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl $name {
            $(#[$fn_meta])*
            $vis fn $decode($($arg: $arg_ty),*) -> $crate::transport::error::Result<$name> {
                $($prelude)*
                Ok($name { $( $field: $rule, )* })
            }
        }
    };
}
