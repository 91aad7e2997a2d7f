//! The validator's collector: generated `validate()` methods call it once per
//! constraint and get every violation at once.

use std::sync::OnceLock;

use super::value::{self, Kind, Problem};
use super::violation::{Code, Violation};

/// A property's pattern, compiled on first use.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// A pattern from the catalog (checked to compile when it was generated).
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).ok())
            .as_ref()
            .is_none_or(|re| re.is_match(text))
    }

    /// The pattern's text.
    pub fn as_str(&self) -> &'static str {
        self.source
    }
}

/// Collects violations.
#[derive(Debug, Default)]
pub struct Checker {
    violations: Vec<Violation>,
}

impl Checker {
    fn push(&mut self, code: Code, key: &str, message: String) {
        self.violations.push(Violation::new(code, key, message));
    }

    /// The value has the form of `kind`. For a secret, `keep` is the number
    /// of symbols that may be shown; the rest never appears in a message.
    pub fn kind(&mut self, key: &str, text: &str, kind: Kind, keep: Option<usize>) {
        if let Err(p) = value::check(kind, text) {
            let shown = shown(text, keep);
            self.push(p_code(&p), key, format!("`{key}` is `{shown}`, which {p}"));
        }
    }

    /// A documented value of an enumeration.
    pub fn allowed(&mut self, key: &str, known: bool, text: &str, values: &[&str]) {
        if !known {
            self.push(
                Code::ValueNotAllowed,
                key,
                format!(
                    "`{key}` is `{text}`, which is not one of: {}",
                    values.join(", ")
                ),
            );
        }
    }

    /// At most `max` characters; a longer secret is reported without its tail.
    pub fn length(&mut self, key: &str, text: &str, max: usize, secret: bool) {
        if let Err(p) = value::check_length(text, max) {
            let shown = if secret {
                value::redact(text, max)
            } else {
                text.to_owned()
            };
            let why = if secret {
                format!(
                    "; only the first {max} symbols may be logged, so a secret leaked into the log"
                )
            } else {
                String::new()
            };
            self.push(
                p_code(&p),
                key,
                format!("`{key}` is `{shown}`, which {p}{why}"),
            );
        }
    }

    /// Matches the property's pattern; see [`Checker::kind`] for `keep`.
    pub fn pattern(&mut self, key: &str, text: &str, pattern: &Pattern, keep: Option<usize>) {
        if !pattern.is_match(text) {
            let shown = shown(text, keep);
            self.push(
                Code::ValuePatternMismatch,
                key,
                format!(
                    "`{key}` is `{shown}`, which does not match `{}`",
                    pattern.as_str()
                ),
            );
        }
    }

    /// Everything collected.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

/// `text`, or only its first `keep` symbols for a secret.
fn shown(text: &str, keep: Option<usize>) -> String {
    match keep {
        Some(keep) => value::redact(text, keep),
        None => text.to_owned(),
    }
}

fn p_code(p: &Problem) -> Code {
    match p {
        Problem::WrongType(_) => Code::ValueWrongType,
        Problem::NotAllowed => Code::ValueNotAllowed,
        Problem::PatternMismatch => Code::ValuePatternMismatch,
        Problem::TooLong { .. } => Code::ValueTooLong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_repeated() {
        let mut c = Checker::default();
        c.length("token prefix", "abcdeSECRETSECRET", 5, true);
        let v = c.into_violations();
        assert_eq!(v[0].code, Code::ValueTooLong);
        assert!(!v[0].message.contains("SECRET"), "{}", v[0].message);
        assert!(v[0].message.contains("abcde"));
    }

    #[test]
    fn patterns_and_values() {
        static P: Pattern = Pattern::new("^U[A-Z0-9]+$");
        let mut c = Checker::default();
        c.pattern("user_id", "U12", &P, None);
        c.pattern("user_id", "x", &P, None);
        c.allowed("reason", false, "bogus", &["user", "admin"]);
        c.kind("url", "nope", Kind::Url, None);
        c.kind("token", "abcde SECRET", Kind::Code, Some(5));
        let violations = c.into_violations();
        let codes: Vec<Code> = violations.iter().map(|v| v.code).collect();
        assert_eq!(
            codes,
            [
                Code::ValuePatternMismatch,
                Code::ValueNotAllowed,
                Code::ValueWrongType,
                Code::ValueWrongType
            ]
        );
        assert!(
            !violations[3].message.contains("SECRET"),
            "{}",
            violations[3].message
        );
    }
}
