//! Checks of single values against their catalog type.
//!
//! These are the rules every source shares; generated parsers and validators
//! and the catalog checker call them, so a value means the same everywhere.

use std::fmt;

use super::words;

/// The value types of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A numeric identifier: one or more ASCII digits.
    Id,
    /// An opaque identifier: non-empty, no white space.
    Code,
    /// Free text: anything.
    Text,
    /// `true` or `false`.
    Bool,
    /// One of a list of values.
    Enum,
    /// An absolute `http`/`https` URL without white space.
    Url,
    /// A file name: non-empty, no path separator, no control character.
    Filename,
    /// Items joined by a separator.
    List,
    /// Unix seconds: ASCII digits.
    Timestamp,
    /// A whole number, possibly negative.
    Integer,
}

/// Why a value does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The value is not of the type (`value_wrong_type`).
    WrongType(Kind),
    /// The value is not among the allowed ones (`value_not_allowed`).
    NotAllowed,
    /// The value does not match the property's pattern (`value_pattern_mismatch`).
    PatternMismatch,
    /// The value has more characters than allowed (`value_too_long`).
    TooLong {
        /// The limit.
        max: usize,
        /// The value's length in characters.
        len: usize,
    },
}

impl Problem {
    /// The stable violation code.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::WrongType(_) => "value_wrong_type",
            Problem::NotAllowed => "value_not_allowed",
            Problem::PatternMismatch => "value_pattern_mismatch",
            Problem::TooLong { .. } => "value_too_long",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::WrongType(kind) => write!(f, "is not {}", kind.describe()),
            Problem::NotAllowed => f.write_str("is not one of the allowed values"),
            Problem::PatternMismatch => f.write_str("does not match the pattern"),
            Problem::TooLong { max, len } => {
                write!(f, "has {len} characters, more than the {max} allowed")
            }
        }
    }
}

impl Kind {
    /// A phrase for messages: "a numeric id".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Id => "a numeric id",
            Kind::Code => "an identifier without white space",
            Kind::Text => "text",
            Kind::Bool => "`true` or `false`",
            Kind::Enum => "an allowed value",
            Kind::Url => "an absolute http(s) URL",
            Kind::Filename => "a file name",
            Kind::List => "a list",
            Kind::Timestamp => "Unix seconds",
            Kind::Integer => "a whole number",
        }
    }

    /// Whether `text` has the form of this kind. Enumerations and lists are
    /// checked by [`check_enum`] and [`split_list`] since they need more than
    /// the kind.
    pub fn accepts(self, text: &str) -> bool {
        match self {
            Kind::Id | Kind::Timestamp => is_digits(text),
            Kind::Integer => is_digits(text.strip_prefix('-').unwrap_or(text)),
            Kind::Code => !text.is_empty() && !text.chars().any(char::is_whitespace),
            Kind::Text | Kind::Enum | Kind::List => true,
            Kind::Bool => parse_bool(text).is_some(),
            Kind::Url => {
                let rest = text
                    .strip_prefix("https://")
                    .or_else(|| text.strip_prefix("http://"));
                rest.is_some_and(|r| !r.is_empty() && !r.chars().any(char::is_whitespace))
            }
            Kind::Filename => !text.is_empty() && !text.chars().any(|c| c == '/' || c.is_control()),
        }
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `true`/`false` as logged.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Checks `text` against a kind that is neither enum nor list.
pub fn check(kind: Kind, text: &str) -> Result<(), Problem> {
    if kind.accepts(text) {
        Ok(())
    } else {
        Err(Problem::WrongType(kind))
    }
}

/// Checks that `text` is one of `allowed`.
pub fn check_enum(text: &str, allowed: &[&str]) -> Result<(), Problem> {
    if allowed.contains(&text) {
        Ok(())
    } else {
        Err(Problem::NotAllowed)
    }
}

/// Checks the length limit, in characters.
pub fn check_length(text: &str, max: usize) -> Result<(), Problem> {
    let len = text.chars().count();
    if len > max {
        Err(Problem::TooLong { max, len })
    } else {
        Ok(())
    }
}

/// Splits a list value on `separator`, trimming the white space around
/// items (as `str::split` and `str::trim` do).
pub fn split_list<'t>(text: &'t str, separator: &'t str) -> impl Iterator<Item = &'t str> + 't {
    match *separator.as_bytes() {
        [byte] => Split::Byte {
            rest: Some(text),
            byte,
        },
        _ => Split::Str(text.split(separator)),
    }
    .map(|item| words::trim_with(item, str::trim))
}

/// A split on one byte, an ASCII character (a word-at-a-time search), or
/// on a longer text (a substring search, costly to set up for the short
/// lists of a record).
enum Split<'t> {
    Byte { rest: Option<&'t str>, byte: u8 },
    Str(std::str::Split<'t, &'t str>),
}

impl<'t> Iterator for Split<'t> {
    type Item = &'t str;
    fn next(&mut self) -> Option<&'t str> {
        match self {
            Split::Byte { rest, byte } => {
                let text = rest.take()?;
                let Some(at) = words::find(text.as_bytes(), *byte) else {
                    return Some(text);
                };
                // An ASCII byte: both sides start and end on boundaries.
                *rest = Some(&text[at + 1..]);
                Some(&text[..at])
            }
            Split::Str(s) => s.next(),
        }
    }
}

/// Shows a secret value safely: its first `keep` characters and how many follow.
pub fn redact(text: &str, keep: usize) -> String {
    let len = text.chars().count();
    if len <= keep {
        return text.to_owned();
    }
    let head: String = text.chars().take(keep).collect();
    format!("{head}… ({} more characters withheld)", len - keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert!(Kind::Id.accepts("12"));
        assert!(!Kind::Id.accepts("12a"));
        assert!(!Kind::Id.accepts(""));
        assert!(Kind::Bool.accepts("false"));
        assert!(!Kind::Bool.accepts("False"));
        assert!(Kind::Url.accepts("https://x.slack.com/a"));
        assert!(!Kind::Url.accepts("x.slack.com"));
        assert!(Kind::Filename.accepts("a b.zip"));
        assert!(!Kind::Filename.accepts("a/b"));
        assert!(Kind::Integer.accepts("-3"));
        assert!(!Kind::Code.accepts("U1 2"));
    }

    #[test]
    fn problems_have_codes() {
        assert_eq!(check(Kind::Id, "x").unwrap_err().code(), "value_wrong_type");
        assert_eq!(
            check_enum("x", &["a"]).unwrap_err().code(),
            "value_not_allowed"
        );
        let too_long = check_length("abcdefg", 5).unwrap_err();
        assert_eq!(too_long.code(), "value_too_long");
        assert_eq!(
            too_long.to_string(),
            "has 7 characters, more than the 5 allowed"
        );
    }

    #[test]
    fn redaction_keeps_only_the_prefix() {
        assert_eq!(redact("abcde", 5), "abcde");
        let shown = redact("abcdeSECRET", 5);
        assert!(shown.starts_with("abcde"));
        assert!(!shown.contains("SECRET"));
    }

    #[test]
    fn lists_split_and_trim() {
        let items: Vec<_> = split_list("a, b,c", ",").collect();
        assert_eq!(items, ["a", "b", "c"]);
    }

    /// `split_list` gives what `str::split` and `str::trim` give, for
    /// separators of one ASCII byte, of one wider character, of several
    /// characters and of none, over texts of separators, white space (ASCII
    /// and not) and letters, empty items and items at either end.
    #[test]
    fn lists_split_as_str_split_and_trim() {
        let alphabet = [",", ",", " ", "a", "、", "\u{3000}", "\t", ";"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..12 {
            for _ in 0..400 {
                let text: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                for separator in [",", ";", "、", ", ", ""] {
                    let split: Vec<_> = split_list(&text, separator).collect();
                    let expected: Vec<_> = text.split(separator).map(str::trim).collect();
                    assert_eq!(split, expected, "{text:?} on {separator:?}");
                }
            }
        }
    }
}
