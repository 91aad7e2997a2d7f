//! What validation reports: a stable code, a path and a message.

use std::fmt;

/// Stable violation codes. Their snake_case spelling ([`Code::as_str`]) is the
/// contract that reports and tools match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Code {
    /// The module is not in the catalog.
    UnknownModule,
    /// The action is not in the catalog.
    UnknownAction,
    /// The action exists, but in another module.
    ActionModuleMismatch,
    /// The service is not in the catalog.
    UnknownService,
    /// The level is not one of the source's levels.
    UnknownLevel,
    /// The result is not one of the source's results.
    UnknownResult,
    /// The logged level differs from the catalog's level for the action and case.
    LevelMismatch,
    /// A required property is absent.
    PropertyMissing,
    /// A property is present that the action or case does not have.
    PropertyUnexpected,
    /// A value is not of its property's type.
    ValueWrongType,
    /// A value is not among the property's documented values.
    ValueNotAllowed,
    /// A value does not match the property's pattern.
    ValuePatternMismatch,
    /// A value is longer than allowed; for secrets, a leak into the log.
    ValueTooLong,
    /// The complement does not fit any case of its action.
    ComplementUnparsed,
    /// The identification rules fit more than one event.
    EventAmbiguous,
    /// The date and time cannot be read.
    TimeUnparsed,
    /// The record itself is broken (bad JSON, a missing column, bad encoding).
    RecordMalformed,
    /// The record is an error response of the API (`"ok": false`).
    ApiError,
}

impl Code {
    /// Every code.
    pub const ALL: &'static [Code] = &[
        Code::UnknownModule,
        Code::UnknownAction,
        Code::ActionModuleMismatch,
        Code::UnknownService,
        Code::UnknownLevel,
        Code::UnknownResult,
        Code::LevelMismatch,
        Code::PropertyMissing,
        Code::PropertyUnexpected,
        Code::ValueWrongType,
        Code::ValueNotAllowed,
        Code::ValuePatternMismatch,
        Code::ValueTooLong,
        Code::ComplementUnparsed,
        Code::EventAmbiguous,
        Code::TimeUnparsed,
        Code::RecordMalformed,
        Code::ApiError,
    ];

    /// The stable snake_case name: `unknown_action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnknownModule => "unknown_module",
            Code::UnknownAction => "unknown_action",
            Code::ActionModuleMismatch => "action_module_mismatch",
            Code::UnknownService => "unknown_service",
            Code::UnknownLevel => "unknown_level",
            Code::UnknownResult => "unknown_result",
            Code::LevelMismatch => "level_mismatch",
            Code::PropertyMissing => "property_missing",
            Code::PropertyUnexpected => "property_unexpected",
            Code::ValueWrongType => "value_wrong_type",
            Code::ValueNotAllowed => "value_not_allowed",
            Code::ValuePatternMismatch => "value_pattern_mismatch",
            Code::ValueTooLong => "value_too_long",
            Code::ComplementUnparsed => "complement_unparsed",
            Code::EventAmbiguous => "event_ambiguous",
            Code::TimeUnparsed => "time_unparsed",
            Code::RecordMalformed => "record_malformed",
            Code::ApiError => "api_error",
        }
    }

    /// The code named `name`, if any.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with a record or event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Violation {
    /// The stable code.
    pub code: Code,
    /// Where: a column, a property key (`complement.app id`), a JSON field.
    pub path: String,
    /// What is wrong, for a person. Never repeats a leaked secret in full.
    pub message: String,
}

impl Violation {
    /// A violation.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            code,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{} at {}: {}", self.code, self.path, self.message)
        }
    }
}

impl std::error::Error for Violation {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_by_name() {
        for &code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
        assert_eq!(Code::from_name("nope"), None);
    }
}
