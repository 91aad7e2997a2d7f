//! One walk over an action's typed values, shared by everything that reads
//! them back: the `properties()` map, `validate()`, and the log's own form
//! (a text complement's `Display`, a JSON entry's fields).
//!
//! Each generated complement type has one `visit` method that names its
//! values in log order, each with the catalog's [`Property`] (one static per
//! property of a source, not per use). What to do with a value lives here,
//! once: a large catalog compiles one short method per action instead of a
//! map builder, a validator and a writer each.

use std::fmt;

use serde_json::{Map, Value as Json};

use super::check::{Checker, Pattern};
use super::complement::SEP;
use super::text::Text;
use super::time::Timestamp;
use super::value::{redact, Kind};
use super::violation::Violation;

/// What the catalog says of one property, as the walkers need it.
pub struct Property {
    /// The key as logged (`app id`).
    pub key: &'static str,
    /// The snake_case name it has in `properties()` (`app_id`).
    pub name: &'static str,
    /// For a secret with a logged length: how many symbols may be shown.
    pub keep: Option<usize>,
    /// The form a text value is checked to have.
    pub kind: Option<Kind>,
    /// The form each item of a list is checked to have.
    pub items: Option<Kind>,
    /// The most characters a text value may have.
    pub max_length: Option<usize>,
    /// Whether a text value is a secret (a long one is reported cut).
    pub secret: bool,
    /// The pattern a text value must match.
    pub pattern: Option<Pattern>,
    /// What separates a list's items in the log (`,`; a space follows it
    /// in a text complement).
    pub separator: &'static str,
    /// Whether a JSON entry logs a number (an id, a Unix time) as a JSON
    /// number rather than a string.
    pub json_number: bool,
}

/// A typed value, borrowed from its complement type.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    /// An identifier.
    Unsigned(u64),
    /// A whole number.
    Signed(i64),
    /// A flag.
    Bool(bool),
    /// A time.
    Time(&'a Timestamp),
    /// Text (also codes, URLs and file names).
    Text(&'a str),
    /// A value of an enumeration.
    Enum {
        /// The value as logged.
        text: &'a str,
        /// Whether the catalog documents it.
        known: bool,
        /// The documented values.
        values: &'static [&'static str],
    },
    /// A list.
    List(&'a [Text]),
}

/// A complement type's value as a [`Value`]; implemented for the types of
/// generated fields (and by every generated enumeration).
pub trait AsValue {
    /// The value, borrowed.
    fn as_value(&self) -> Value<'_>;
}

impl AsValue for u64 {
    fn as_value(&self) -> Value<'_> {
        Value::Unsigned(*self)
    }
}

impl AsValue for i64 {
    fn as_value(&self) -> Value<'_> {
        Value::Signed(*self)
    }
}

impl AsValue for bool {
    fn as_value(&self) -> Value<'_> {
        Value::Bool(*self)
    }
}

impl AsValue for Timestamp {
    fn as_value(&self) -> Value<'_> {
        Value::Time(self)
    }
}

impl AsValue for String {
    fn as_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl AsValue for Text {
    fn as_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl AsValue for Vec<Text> {
    fn as_value(&self) -> Value<'_> {
        Value::List(self)
    }
}

/// What a walk does with each value. Groups arrive as `begin_groups`, then
/// per occurrence `begin_group`, its values and `end_group`, then
/// `end_groups`; a walk that does not care where groups begin and end
/// keeps the default, which does nothing.
pub trait Visit {
    /// A value of `property`; `bare` when it is logged without its key.
    /// Absent optional values are not visited.
    fn field(&mut self, property: &'static Property, bare: bool, value: Value<'_>) -> fmt::Result;

    /// The repeated groups named `name` (snake_case) begin.
    fn begin_groups(&mut self, _name: &'static str) -> fmt::Result {
        Ok(())
    }

    /// One occurrence begins.
    fn begin_group(&mut self) -> fmt::Result {
        Ok(())
    }

    /// One occurrence ends.
    fn end_group(&mut self) -> fmt::Result {
        Ok(())
    }

    /// The groups end.
    fn end_groups(&mut self) -> fmt::Result {
        Ok(())
    }
}

/// A complement type's values, in log order: implemented by every
/// generated complement type.
pub trait Fields {
    /// Visits every value present, in log order.
    fn visit(&self, visit: &mut dyn Visit) -> fmt::Result;
}

/// The typed values keyed by their snake_case names (ids and numbers as
/// numbers, lists as arrays, times in RFC 3339, a secret cut to what may be
/// logged), repeated groups as arrays of objects.
pub fn properties<F: Fields + ?Sized>(fields: &F) -> Map<String, Json> {
    let mut walk = Properties::default();
    // Building a map cannot fail.
    let _ = fields.visit(&mut walk);
    walk.map
}

/// Every violation of the catalog's constraints, at once.
pub fn validate<F: Fields + ?Sized>(fields: &F) -> Vec<Violation> {
    let mut walk = Validate(Checker::default());
    // Checking cannot fail.
    let _ = fields.visit(&mut walk);
    walk.0.into_violations()
}

/// The values of a JSON entry in the log's own form, keyed as logged: ids,
/// numbers and times as JSON numbers or strings as the property is logged,
/// lists joined by their separator.
pub fn to_json<F: Fields + ?Sized>(fields: &F) -> Map<String, Json> {
    let mut walk = ToJson(Map::new());
    // Building a map cannot fail.
    let _ = fields.visit(&mut walk);
    walk.0
}

/// Writes the values in the log's own form: `key: value` items separated by
/// `, `, bare values without their key, groups in parentheses.
pub fn write(fields: &dyn Fields, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    fields.visit(&mut Write {
        f,
        first: true,
        group_first: None,
    })
}

#[derive(Default)]
struct Properties {
    map: Map<String, Json>,
    /// The groups being read: their name, the occurrences so far, and the
    /// current occurrence's values.
    groups: Option<(&'static str, Vec<Json>, Map<String, Json>)>,
}

impl Visit for Properties {
    fn field(&mut self, property: &'static Property, _bare: bool, value: Value<'_>) -> fmt::Result {
        let json = match value {
            Value::Unsigned(n) => Json::from(n),
            Value::Signed(n) => Json::from(n),
            Value::Bool(b) => Json::Bool(b),
            Value::Time(t) => Json::String(t.to_string()),
            Value::Text(t) => Json::String(match property.keep {
                Some(keep) => redact(t, keep),
                None => t.to_owned(),
            }),
            Value::Enum { text, .. } => Json::String(text.to_owned()),
            Value::List(items) => Json::from(items.iter().map(Text::as_str).collect::<Vec<_>>()),
        };
        let map = match &mut self.groups {
            Some((_, _, group)) => group,
            None => &mut self.map,
        };
        map.insert(property.name.to_owned(), json);
        Ok(())
    }

    fn begin_groups(&mut self, name: &'static str) -> fmt::Result {
        self.groups = Some((name, Vec::new(), Map::new()));
        Ok(())
    }

    fn end_group(&mut self) -> fmt::Result {
        if let Some((_, done, group)) = &mut self.groups {
            done.push(Json::Object(std::mem::take(group)));
        }
        Ok(())
    }

    fn end_groups(&mut self) -> fmt::Result {
        if let Some((name, done, _)) = self.groups.take() {
            self.map.insert(name.to_owned(), Json::Array(done));
        }
        Ok(())
    }
}

struct ToJson(Map<String, Json>);

impl Visit for ToJson {
    fn field(&mut self, property: &'static Property, _bare: bool, value: Value<'_>) -> fmt::Result {
        let number = |n: Json| {
            if property.json_number {
                n
            } else {
                Json::String(n.to_string())
            }
        };
        let json = match value {
            Value::Unsigned(n) => number(Json::from(n)),
            Value::Signed(n) => number(Json::from(n)),
            Value::Time(t) => number(Json::from(t.unix().unwrap_or_default())),
            Value::Bool(b) => Json::Bool(b),
            Value::Text(t) | Value::Enum { text: t, .. } => Json::String(t.to_owned()),
            Value::List(items) => Json::String(items.join(property.separator)),
        };
        self.0.insert(property.key.to_owned(), json);
        Ok(())
    }
}

struct Validate(Checker);

impl Visit for Validate {
    fn field(&mut self, property: &'static Property, _bare: bool, value: Value<'_>) -> fmt::Result {
        let (c, p) = (&mut self.0, property);
        match value {
            Value::Text(text) => {
                if let Some(kind) = p.kind {
                    c.kind(p.key, text, kind, p.keep);
                }
                if let Some(max) = p.max_length {
                    c.length(p.key, text, max, p.secret);
                }
                if let Some(pattern) = &p.pattern {
                    c.pattern(p.key, text, pattern, p.keep);
                }
            }
            Value::Enum {
                text,
                known,
                values,
            } => c.allowed(p.key, known, text, values),
            Value::List(items) => {
                if let Some(kind) = p.items {
                    for item in items {
                        c.kind(p.key, item, kind, p.keep);
                    }
                }
            }
            Value::Unsigned(_) | Value::Signed(_) | Value::Bool(_) | Value::Time(_) => {}
        }
        Ok(())
    }
}

struct Write<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    /// Whether nothing has been written yet.
    first: bool,
    /// Inside a group: whether nothing of it has been written yet.
    group_first: Option<bool>,
}

impl Write<'_, '_> {
    /// Writes the separator before an item, unless it is the first (of the
    /// complement, or of its group).
    fn separate(&mut self) -> fmt::Result {
        let first = match &mut self.group_first {
            Some(first) => first,
            None => &mut self.first,
        };
        if !std::mem::replace(first, false) {
            self.f.write_str(SEP)?;
        }
        Ok(())
    }
}

impl Visit for Write<'_, '_> {
    fn field(&mut self, property: &'static Property, bare: bool, value: Value<'_>) -> fmt::Result {
        self.separate()?;
        if !bare {
            write!(self.f, "{}: ", property.key)?;
        }
        match value {
            Value::Unsigned(n) => write!(self.f, "{n}"),
            Value::Signed(n) => write!(self.f, "{n}"),
            Value::Bool(b) => write!(self.f, "{b}"),
            Value::Time(t) => write!(self.f, "{t}"),
            Value::Text(t) | Value::Enum { text: t, .. } => self.f.write_str(t),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(self.f, "{} ", property.separator)?;
                    }
                    self.f.write_str(item)?;
                }
                Ok(())
            }
        }
    }

    fn begin_group(&mut self) -> fmt::Result {
        self.separate()?;
        self.group_first = Some(true);
        self.f.write_str("(")
    }

    fn end_group(&mut self) -> fmt::Result {
        self.group_first = None;
        self.f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::violation::Code;

    /// A property with nothing to check, as the tables below start from.
    const fn plain(key: &'static str, name: &'static str) -> Property {
        Property {
            key,
            name,
            keep: None,
            kind: None,
            items: None,
            max_length: None,
            secret: false,
            pattern: None,
            separator: ",",
            json_number: true,
        }
    }

    static ID: Property = plain("app id", "app_id");
    static STATE: Property = plain("state", "state");
    static USERS: Property = Property {
        key: "users",
        name: "users",
        keep: None,
        kind: None,
        items: Some(Kind::Id),
        max_length: None,
        secret: false,
        pattern: None,
        separator: "/",
        json_number: false,
    };
    static TOKEN: Property = Property {
        key: "token",
        name: "token",
        keep: Some(3),
        kind: Some(Kind::Code),
        items: None,
        max_length: Some(3),
        secret: true,
        pattern: Some(Pattern::new("^[a-z]+$")),
        separator: ",",
        json_number: false,
    };

    /// A complement type as generated code writes one: a bare enum value,
    /// an id, a secret, a list and two groups of an id each.
    struct Sample {
        state: &'static str,
        id: u64,
        token: String,
        users: Vec<Text>,
        groups: Vec<u64>,
    }

    impl Fields for Sample {
        fn visit(&self, visit: &mut dyn Visit) -> fmt::Result {
            let state = Value::Enum {
                text: self.state,
                known: self.state == "on",
                values: &["on", "off"],
            };
            visit.field(&STATE, true, state)?;
            visit.field(&ID, false, self.id.as_value())?;
            visit.field(&TOKEN, false, self.token.as_value())?;
            visit.field(&USERS, false, self.users.as_value())?;
            visit.begin_groups("apps")?;
            for id in &self.groups {
                visit.begin_group()?;
                visit.field(&ID, false, id.as_value())?;
                visit.end_group()?;
            }
            visit.end_groups()
        }
    }

    impl fmt::Display for Sample {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write(self, f)
        }
    }

    fn sample(state: &'static str, token: &str, users: &[&str]) -> Sample {
        Sample {
            state,
            id: 7,
            token: token.to_owned(),
            users: users.iter().map(|&u| u.into()).collect(),
            groups: vec![1, 2],
        }
    }

    #[test]
    fn writes_the_log_form() {
        assert_eq!(
            sample("on", "abc", &["1", "2"]).to_string(),
            "on, app id: 7, token: abc, users: 1/ 2, (app id: 1), (app id: 2)"
        );
    }

    #[test]
    fn properties_are_typed_and_a_secret_is_cut() {
        let json = Json::Object(properties(&sample("on", "abcdef", &["1"])));
        assert_eq!(
            json,
            serde_json::json!({
                "state": "on",
                "app_id": 7,
                "token": "abc… (3 more characters withheld)",
                "users": ["1"],
                "apps": [{"app_id": 1}, {"app_id": 2}],
            })
        );
    }

    #[test]
    fn json_entries_keep_the_logged_forms() {
        // JSON entries have no groups.
        let entry = Sample {
            groups: Vec::new(),
            ..sample("on", "abcdef", &["1", "2"])
        };
        let json = Json::Object(to_json(&entry));
        assert_eq!(
            json,
            serde_json::json!({
                "state": "on",
                "app id": 7,
                "token": "abcdef",
                "users": "1/2",
            })
        );
    }

    #[test]
    fn validates_every_check_in_order_without_repeating_a_secret() {
        assert!(validate(&sample("on", "abc", &["1", "2"])).is_empty());
        let violations = validate(&sample("auto", "ab cdef", &["x"]));
        let codes: Vec<Code> = violations.iter().map(|v| v.code).collect();
        assert_eq!(
            codes,
            [
                Code::ValueNotAllowed,
                Code::ValueWrongType,
                Code::ValueTooLong,
                Code::ValuePatternMismatch,
                Code::ValueWrongType,
            ]
        );
        assert!(violations.iter().all(|v| !v.message.contains("cdef")));
    }
}
