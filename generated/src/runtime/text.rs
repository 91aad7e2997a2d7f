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

#[cfg(test)]
mod tests {
    use super::*;

    /// Up to 24 bytes are kept in place, whatever the characters; a longer
    /// text goes to the heap; either compares with `&str` and `String`.
    #[test]
    fn short_texts_are_kept_in_place() {
        let short = Text::from("Sales, East: 2026 売上");
        assert_eq!(short.len(), 24);
        assert!(!short.is_heap_allocated());
        let long = Text::from("8a3c1e0b-5f2d-4c7e-9b1a-2d6f0e4c8b7a");
        assert!(long.is_heap_allocated());
        assert_eq!(short, "Sales, East: 2026 売上");
        assert_eq!(long, "8a3c1e0b-5f2d-4c7e-9b1a-2d6f0e4c8b7a".to_owned());
        assert_eq!(long.to_string(), long.as_str());
    }
}
