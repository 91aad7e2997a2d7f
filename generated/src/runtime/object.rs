//! A JSON object read without copying: its keys and the JSON text of its
//! values, borrowed from the input.
//!
//! Typing an entry only needs a few of its values, by key; building a
//! `serde_json::Map` of every value first (a string, a hash and a node per
//! field) costs more than the whole typed parse. An [`Object`] scans the text
//! once and keeps slices; a value is decoded when it is read.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::values::Raw;

/// The keys of a JSON object in order of appearance, each with its value's
/// JSON text (or, for values added by the caller, plain text).
///
/// A key may appear more than once (JSON allows it); as in
/// `serde_json::Map`, the last value wins.
#[derive(Debug, Clone, Default)]
pub struct Object<'t> {
    entries: Vec<(Cow<'t, str>, Raw<'t>)>,
}

impl<'t> Object<'t> {
    /// Reads the JSON object `json` (the whole text, surrounding whitespace
    /// allowed); anything else is an error.
    pub fn parse(json: &'t str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The value of `key`: its last occurrence.
    pub fn get(&self, key: &str) -> Option<Raw<'t>> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
    }

    /// Whether the object has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Each key once, in order of first appearance (as `serde_json::Map`
    /// with `preserve_order` lists them).
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, (k, _))| !self.entries[..*i].iter().any(|(e, _)| e == k))
            .map(|(_, (k, _))| k.as_ref())
    }

    /// Sets `key` to `value`, over any value it had.
    pub fn insert(&mut self, key: &'t str, value: Raw<'t>) {
        self.entries.push((Cow::Borrowed(key), value));
    }

    /// Removes every occurrence of `key`, returning the value that counted
    /// (the last).
    pub fn remove(&mut self, key: &str) -> Option<Raw<'t>> {
        let found = self.get(key);
        if found.is_some() {
            self.entries.retain(|(k, _)| k != key);
        }
        found
    }

    /// Adds the keys of `under` that this object does not have, as
    /// `serde_json::Map::entry(k).or_insert(v)` would (this object's values
    /// win).
    pub fn merge_under(self, under: Object<'t>) -> Object<'t> {
        let mut entries = under.entries;
        entries.extend(self.entries);
        Object { entries }
    }

    /// Number of key occurrences.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the object has no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// How deep `serde_json` lets a document nest arrays and objects: deeper
/// ones are refused (its recursion limit).
const DEPTH_LIMIT: usize = 127;

/// Whether the JSON text `json` may be one that `serde_json` refuses as a
/// `Value` although [`Object`] reads it: values kept as raw text are neither
/// depth-checked (`serde_json` refuses more than 127 nested arrays and
/// objects) nor are their `\u` escapes decoded (a lone surrogate is an
/// error). `true` when it nests too deep or has a surrogate escape at all;
/// the caller then asks `serde_json` for the verdict.
pub fn suspect(json: &str) -> bool {
    let b = json.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' => {
                            if b.get(i + 1) == Some(&b'u')
                                && matches!(b.get(i + 2), Some(b'd' | b'D'))
                                && matches!(
                                    b.get(i + 3),
                                    Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
                                )
                            {
                                return true;
                            }
                            i += 2
                        }
                        b'"' => break,
                        _ => i += 1,
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > DEPTH_LIMIT {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

/// What kind of JSON value a raw value is, by its first character.
pub fn starts_as(json: &str) -> Option<u8> {
    json.trim_start_matches([' ', '\t', '\n', '\r'])
        .bytes()
        .next()
}

impl<'t> Raw<'t> {
    /// The value as a string: complement text, or a JSON string decoded
    /// (borrowed when it has no escapes); `None` for other JSON values and
    /// for a string that does not decode.
    pub fn string(self) -> Option<Cow<'t, str>> {
        match self {
            Raw::Text(t) => Some(Cow::Borrowed(t)),
            Raw::Json(raw) => json_string(raw.get()),
        }
    }

    /// The value as a `serde_json::Value` (text becomes a JSON string).
    pub fn to_value(self) -> Value {
        match self {
            Raw::Text(t) => Value::String(t.to_owned()),
            Raw::Json(raw) => serde_json::from_str(raw.get()).unwrap_or(Value::Null),
        }
    }

    /// Whether the value is JSON `null`.
    pub fn is_null(self) -> bool {
        matches!(self, Raw::Json(raw) if raw.get() == "null")
    }

    /// The first character of the value's JSON text (`b'{'`, `b'"'`, ...);
    /// `b'"'` for text.
    pub fn first_byte(self) -> Option<u8> {
        match self {
            Raw::Text(_) => Some(b'"'),
            Raw::Json(raw) => starts_as(raw.get()),
        }
    }
}

/// A JSON string's text, decoded; borrowed when it has no escapes.
fn json_string(json: &str) -> Option<Cow<'_, str>> {
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    serde_json::from_str::<String>(json).ok().map(Cow::Owned)
}

/// A key, borrowed when it has no escapes.
struct Key<'t>(Cow<'t, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Object<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    let v: &'de RawValue = map.next_value()?;
                    entries.push((k, Raw::Json(v)));
                }
                Ok(Object { entries })
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_duplicates() {
        let o = Object::parse(r#" {"a": 1, "b\u0021": "x\"y", "a": "z", "c": null} "#).unwrap();
        assert_eq!(o.keys().collect::<Vec<_>>(), ["a", "b!", "c"]);
        assert_eq!(o.get("a").and_then(Raw::string).as_deref(), Some("z"));
        assert_eq!(o.get("b!").and_then(Raw::string).as_deref(), Some("x\"y"));
        assert!(o.get("c").is_some_and(Raw::is_null));
        assert_eq!(o.get("d"), None);
        assert!(Object::parse("[1]").is_err());
        assert!(Object::parse("{").is_err());
        assert!(!suspect(r#"{"a": [[{"b": "]]][\"\u00e9"}]]}"#));
        assert!(suspect(&"[".repeat(128)));
        assert!(!suspect(&"[".repeat(127)));
        assert!(suspect(r#"{"a": "\uD800"}"#));
    }

    #[test]
    fn merging_keeps_the_objects_values() {
        let top = Object::parse(r#"{"a": 1, "data": 2}"#).unwrap();
        let under = Object::parse(r#"{"a": 3, "b": 4}"#).unwrap();
        let mut merged = top.merge_under(under);
        assert_eq!(
            merged.remove("data").map(Raw::to_value),
            Some(Value::from(2))
        );
        assert_eq!(merged.get("a").map(Raw::to_value), Some(Value::from(1)));
        assert_eq!(merged.get("b").map(Raw::to_value), Some(Value::from(4)));
        merged.insert("a", Raw::Text("t"));
        assert_eq!(merged.get("a").and_then(Raw::string).as_deref(), Some("t"));
    }
}
