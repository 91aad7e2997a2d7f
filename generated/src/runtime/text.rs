//! Short owned texts.
//!
//! A parsed record keeps a handful of texts: a verb, a user, a category, a
//! name, a token's first symbols. Most are short, and each `String` of
//! them would cost an allocation, a copy and a free per record. A [`Text`]
//! keeps up to 24 bytes in place and only longer ones on the heap.

/// An owned text, kept in place up to 24 bytes (on the heap beyond). It
/// derefs to `&str` and compares with `&str` and `String`; `.into()` makes
/// one from either, and `to_string()` a `String`.
pub type Text = compact_str::CompactString;
