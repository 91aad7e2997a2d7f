//! A JSON object read without copying: its keys and the JSON text of its
//! values, borrowed from the input.
//!
//! Typing an entry only needs a few of its values, by key; building a
//! `serde_json::Map` of every value first (a string, a hash and a node per
//! field) costs more than the whole typed parse. An [`Object`] scans the text
//! once and keeps slices; a value is decoded when it is read.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use memchr::memmem;
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::inline::Inline;
use super::scan::Nest;
use super::values::Raw;
use super::words;

/// One key and its value's text.
pub type Entry<'t> = (Cow<'t, str>, Raw<'t>);

/// How many entries an object keeps in place before it allocates: more
/// than a record of any bundled source has (a Slack entry of the RSS
/// integration has 13, a SAP BTP record with its envelope 11).
pub const INLINE: usize = 14;

/// An object's entries, in order: the first [`INLINE`] in place.
pub type Entries<'t> = Inline<Entry<'t>, INLINE>;

/// The keys of a JSON object in order of appearance, each with its value's
/// JSON text (or, for values added by the caller, plain text).
///
/// A key may appear more than once (JSON allows it); as in
/// `serde_json::Map`, the last value wins.
#[derive(Debug, Clone, Default)]
pub struct Object<'t> {
    entries: Entries<'t>,
    /// The JSON text the entries were read from, while they are unchanged:
    /// [`to_json`](Self::to_json) copies it when it is already compact.
    text: Option<&'t str>,
    /// Whether [`read`](Self::read) found a surrogate's `\u` escape.
    surrogates: bool,
}

impl<'t> Object<'t> {
    /// Reads the JSON object `json` (the whole text, surrounding whitespace
    /// allowed); anything else is an error.
    pub fn parse(json: &'t str) -> Result<Self, serde_json::Error> {
        let mut object = Object::default();
        object.read(json)?;
        Ok(object)
    }

    /// Reads the JSON object `json` into this object, in place of what it
    /// held, as [`parse`](Self::parse) does (on an error it holds nothing).
    /// An object keeps its first entries inline: reading in place spares
    /// copying them.
    pub fn read(&mut self, json: &'t str) -> Result<(), serde_json::Error> {
        self.read_nesting(json, None)
    }

    /// [`read`](Self::read), also reading into `nest.object` the last
    /// object value under one of `nest.keys` (`nest.at` tells which
    /// entry's), as long as the text is read without serde_json; `nest.at`
    /// is `None` when it is not.
    pub fn read_nesting(
        &mut self,
        json: &'t str,
        mut nest: Option<&mut Nest<'_, 't>>,
    ) -> Result<(), serde_json::Error> {
        let mut surrogates = false;
        let scanned = self.scan_in(|entries| {
            surrogates = super::scan::object(json, entries, nest.as_deref_mut())?;
            Some(words::trim_with(json, |j| {
                j.trim_matches([' ', '\t', '\n', '\r'])
            }))
        });
        // Where the scanner gives up it leaves the object empty, as an
        // error of serde_json's must.
        if scanned.is_none() {
            if let Some(nest) = nest {
                nest.at = None;
            }
            *self = read_with(json, ObjectSeed { depth: 1 })?;
            surrogates = suspect(json);
        }
        self.surrogates = surrogates;
        Ok(())
    }

    /// Reads, in place of what it held, the JSON object that the JSON string
    /// `json` holds (the text of a string value of an object read here),
    /// straight from its escaped text where [`super::scan::escaped_object`]
    /// can: the entries then borrow from `json`, and nothing is decoded.
    /// `false` (the object left empty) where it cannot; the caller decodes
    /// the string and reads that.
    pub fn read_escaped(&mut self, json: &'t str) -> bool {
        let Some(text) = json.strip_prefix('"').and_then(|j| j.strip_suffix('"')) else {
            return false;
        };
        // The text is not the object's JSON (its quotes are escaped), so
        // none is kept for `to_json` to copy.
        self.clear();
        let read = super::scan::escaped_object(text, &mut self.entries).is_some();
        if !read {
            self.entries.clear();
        }
        read
    }

    /// Whether the text [`read`](Self::read) last read may be one that
    /// `serde_json` refuses as a `Value` although this object takes it: a
    /// string of it has a `\u` escape of a surrogate, which may be a lone
    /// one (see [`suspect`]). The caller then asks `serde_json` for the
    /// verdict. Found while reading, so it costs no second pass.
    pub fn surrogates(&self) -> bool {
        self.surrogates
    }

    /// Fills this object, in place of what it held, with the entries `scan`
    /// reads (see [`super::scan`]), which returns the text it read them from:
    /// `{` to `}`, nothing around. `None` (the object left empty) where `scan`
    /// gives up.
    pub(crate) fn scan_in(
        &mut self,
        scan: impl FnOnce(&mut Entries<'t>) -> Option<&'t str>,
    ) -> Option<()> {
        self.clear();
        let text = scan(&mut self.entries);
        if text.is_none() {
            self.entries.clear();
        }
        self.text = Some(text?);
        Some(())
    }

    /// Empty, read from nothing.
    fn clear(&mut self) {
        self.entries.clear();
        self.text = None;
        self.surrogates = false;
    }

    /// The object of these keys and values, in this order.
    pub fn from_entries(entries: impl Into<Entries<'t>>) -> Self {
        Object {
            entries: entries.into(),
            text: None,
            surrogates: false,
        }
    }

    /// The keys and values, in order of appearance.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[Entry<'t>] {
        &self.entries
    }

    /// The JSON text the entries were read from, while they are unchanged.
    #[cfg(test)]
    pub(crate) fn text(&self) -> Option<&'t str> {
        self.text
    }

    /// The object as compact JSON text: its keys and values as received,
    /// without the whitespace between them.
    pub fn to_json(&self) -> String {
        let size: usize = self
            .entries
            .iter()
            .map(|(k, v)| k.len() + raw_len(*v) + 4)
            .sum();
        // Read from text without white space between its entries: that
        // text is the answer (its length is the compact length).
        if let Some(text) = self.text {
            if text.len() == (size + 1).max(2) {
                return text.to_owned();
            }
        }
        let mut out = String::with_capacity(size + 2);
        out.push('{');
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match k {
                // Borrowed keys had no escapes, so need none.
                Cow::Borrowed(k) => {
                    out.push('"');
                    out.push_str(k);
                    out.push('"');
                }
                Cow::Owned(k) => out.push_str(&Value::from(k.as_str()).to_string()),
            }
            out.push(':');
            match v {
                Raw::Json(raw) => out.push_str(raw),
                Raw::Text(t) => out.push_str(&Value::from(*t).to_string()),
            }
        }
        out.push('}');
        out
    }

    /// The value of `key`: its last occurrence.
    pub fn get(&self, key: &str) -> Option<Raw<'t>> {
        self.value_at(self.position(key)?)
    }

    /// The index of `key`'s last occurrence, for [`value_at`](Self::value_at).
    #[inline]
    pub fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().rposition(|(k, _)| same(k, key))
    }

    /// One bit for each length its keys have, modulo 64: a key of a length
    /// whose bit is clear is not among them.
    pub fn key_lengths(&self) -> u64 {
        self.entries
            .iter()
            .fold(0, |bits, (k, _)| bits | 1 << (k.len() % 64))
    }

    /// The value at `index` (an index from [`position`](Self::position)).
    pub fn value_at(&self, index: usize) -> Option<Raw<'t>> {
        self.entries.get(index).map(|(_, v)| *v)
    }

    /// Whether the object has `key`.
    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| same(k, key))
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
        self.push(Cow::Borrowed(key), value);
    }

    /// Adds `key` with `value`, over any value it had.
    pub fn push(&mut self, key: Cow<'t, str>, value: Raw<'t>) {
        self.text = None;
        self.entries.push((key, value));
    }

    /// Removes every occurrence of `key`, returning the value that counted
    /// (the last).
    pub fn remove(&mut self, key: &str) -> Option<Raw<'t>> {
        let found = self.get(key);
        if found.is_some() {
            self.text = None;
            self.entries.retain(|(k, _)| k != key);
        }
        found
    }

    /// Adds the keys of `under` that this object does not have, after its
    /// own, as `serde_json::Map::entry(k).or_insert(v)` would (this object's
    /// values win).
    pub fn merge_under(&mut self, under: &Object<'t>) {
        self.text = None;
        for (k, v) in under.entries.iter() {
            if !self.contains_key(k) {
                self.entries.push((k.clone(), *v));
            }
        }
    }

    /// The object as a `serde_json::Map`: each key once, in order of first
    /// appearance, with its value that counts.
    pub fn to_map(&self) -> serde_json::Map<String, Value> {
        self.keys()
            .map(|k| (k.to_owned(), self.get(k).map_or(Value::Null, Raw::to_value)))
            .collect()
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

/// Whether the JSON text `json` nests arrays and objects more than `limit`
/// deep.
fn nests_deeper(json: &str, limit: usize) -> bool {
    let b = json.as_bytes();
    if !matches!(b.first(), Some(b'[' | b'{')) {
        return false;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
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

/// Whether `raw`, a value of an object or array nested `depth` deep in its
/// document (1: the document itself), nests deeper than `serde_json` allows
/// the whole document.
pub fn too_deep(raw: &RawValue, depth: usize) -> bool {
    nests_deeper(raw.get(), DEPTH_LIMIT.saturating_sub(depth))
}

/// Whether the JSON text `json` may be one that `serde_json` refuses as a
/// `Value` although [`Object`] reads it: the `\u` escapes of values kept as
/// raw text are not decoded, and a lone surrogate is an error. `true` when
/// a string has a surrogate escape at all; the caller then asks
/// `serde_json` for the verdict.
pub fn suspect(json: &str) -> bool {
    // Escaped quotes are common (JSON inside JSON strings), `\u` escapes
    // rare: past the first backslash, look for the pair, not at every
    // backslash. A backslash escaping a backslash counts too: a false alarm
    // costs a check, never a wrong answer.
    static ESCAPE_U: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"\\u"));
    let b = json.as_bytes();
    let Some(first) = memchr::memchr(b'\\', b) else {
        return false;
    };
    let b = &b[first..];
    ESCAPE_U.find_iter(b).any(|i| {
        matches!(b.get(i + 2), Some(b'd' | b'D'))
            && matches!(b.get(i + 3), Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F'))
    })
}

/// `a == b`, looking at the length and first byte before calling `memcmp`.
#[inline(always)]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.as_bytes().first() == b.as_bytes().first()
        && words::same(a.as_bytes(), b.as_bytes())
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
            Raw::Json(raw) => json_string(raw),
        }
    }

    /// The value as a string, as [`string`](Self::string) reads it, but
    /// decoded into `room` (cleared first) when it has escapes: room reused
    /// from value to value spares an allocation each.
    pub fn string_in<'r>(self, room: &'r mut String) -> Option<&'r str>
    where
        't: 'r,
    {
        let json = match self {
            Raw::Text(t) => return Some(t),
            Raw::Json(raw) => raw,
        };
        let inner = json.strip_prefix('"')?.strip_suffix('"')?;
        let Some(first) = words::find(inner.as_bytes(), b'\\') else {
            return Some(inner);
        };
        room.clear();
        decode(json, inner, first, room)?;
        Some(room)
    }

    /// The value as a `serde_json::Value` (text becomes a JSON string).
    pub fn to_value(self) -> Value {
        match self {
            Raw::Text(t) => Value::String(t.to_owned()),
            Raw::Json(raw) => serde_json::from_str(raw).unwrap_or(Value::Null),
        }
    }

    /// Whether the value is JSON `null`.
    pub fn is_null(self) -> bool {
        matches!(self, Raw::Json("null"))
    }

    /// The first character of the value's JSON text (`b'{'`, `b'"'`, ...);
    /// `b'"'` for text.
    pub fn first_byte(self) -> Option<u8> {
        match self {
            Raw::Text(_) => Some(b'"'),
            // serde_json's raw values start at the value, not before.
            Raw::Json(raw) => raw.as_bytes().first().copied(),
        }
    }
}

fn raw_len(raw: Raw<'_>) -> usize {
    match raw {
        Raw::Text(t) => t.len() + 2,
        Raw::Json(r) => r.len(),
    }
}

/// A JSON string's text, decoded; borrowed when it has no escapes.
fn json_string(json: &str) -> Option<Cow<'_, str>> {
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    let Some(first) = words::find(inner.as_bytes(), b'\\') else {
        return Some(Cow::Borrowed(inner));
    };
    let mut out = String::with_capacity(inner.len());
    decode(json, inner, first, &mut out)?;
    Some(Cow::Owned(out))
}

/// The text of the JSON string `json` whose only escapes are `\"`, as in
/// the strings [`Object::read_escaped`] reads: its backslashes dropped.
pub(crate) fn quotes_unescaped(json: &str) -> Option<String> {
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    String::from_utf8(words::without(inner.as_bytes(), b'\\')).ok()
}

/// Appends to `out` the text of the JSON string `json` (`inner` without its
/// quotes, its first `\\` at `first`), decoded.
fn decode(json: &str, inner: &str, first: usize, out: &mut String) -> Option<()> {
    let start = out.len();
    if unescape(inner, first, out).is_none() {
        out.truncate(start);
        out.push_str(&serde_json::from_str::<String>(json).ok()?);
    }
    Some(())
}

/// Appends to `out` the text of a JSON string (without its quotes, first
/// `\\` at `first`) with its one-character escapes decoded, a run of plain
/// bytes at a time; `None` at a `\\u` escape, which serde_json decodes
/// (surrogate pairs and all). The text is a raw value serde_json has read,
/// so every escape is well formed.
fn unescape(inner: &str, first: usize, out: &mut String) -> Option<()> {
    let bytes = inner.as_bytes();
    out.reserve(inner.len());
    let (mut from, mut at) = (0, first);
    loop {
        // Escapes are ASCII: the runs between them are whole characters.
        out.push_str(inner.get(from..at)?);
        out.push(match bytes.get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            _ => return None,
        });
        from = at + 2;
        match words::find_from(bytes, from, b'\\') {
            Some(i) => at = i,
            None => break,
        }
    }
    out.push_str(inner.get(from..)?);
    Some(())
}

/// A key of a JSON object, borrowed from the input when it has no escapes.
pub struct Key<'t>(pub Cow<'t, str>);

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

/// Reads an object nested `depth` deep in its document (1: the document
/// itself), refusing values that nest deeper than `serde_json` allows in
/// all (it does not count inside values read as raw text).
#[derive(Debug, Clone, Copy)]
pub struct ObjectSeed {
    /// The object's depth in its document.
    pub depth: usize,
}

impl ObjectSeed {
    fn read<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<Object<'de>, A::Error> {
        let mut entries = Entries::new();
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let v: &'de RawValue = map.next_value()?;
            if too_deep(v, self.depth) {
                return Err(serde::de::Error::custom("recursion limit exceeded"));
            }
            entries.push((k, Raw::Json(v.get())));
        }
        Ok(Object::from_entries(entries))
    }
}

impl<'de> DeserializeSeed<'de> for ObjectSeed {
    type Value = Object<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed {
    type Value = Object<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.read(map)
    }
}

/// An item of a JSON array of entries: an object, read as an [`Object`],
/// or any other value.
#[derive(Debug, Clone)]
pub enum Item<'a, 't> {
    /// An object.
    Object(&'a Object<'t>),
    /// Anything else, parsed.
    Other(Value),
}

/// Reads the items of an array nested `depth` deep in its document (1: the
/// document itself), handing each to `each` as soon as it is read.
pub struct ItemsSeed<'a, 'de> {
    /// The array's depth in its document.
    pub depth: usize,
    /// What to do with each item.
    pub each: &'a mut dyn FnMut(Item<'_, 'de>),
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let item = ItemSeed {
            depth: self.depth + 1,
        };
        while let Some(i) = seq.next_element_seed(item)? {
            match i {
                Ok(object) => (self.each)(Item::Object(&object)),
                Err(other) => (self.each)(Item::Other(other)),
            }
        }
        Ok(())
    }
}

/// Reads one item of an array nested `depth` deep: an object, or any
/// other value (the error side).
#[derive(Debug, Clone, Copy)]
struct ItemSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Result<Object<'de>, Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed {
    type Value = Result<Object<'de>, Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        ObjectSeed { depth: self.depth }.read(map).map(Ok)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Value>()? {
            items.push(v);
        }
        Ok(Err(Value::Array(items)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Err(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Err(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Err(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Err(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Err(Value::String(v.to_owned())))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(Value::Null))
    }
}

/// Reads the whole text `json` with `seed` (surrounding whitespace allowed).
pub fn read_with<'de, S: DeserializeSeed<'de>>(
    json: &'de str,
    seed: S,
) -> Result<S::Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
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
        assert!(suspect(r#"{"a": "\uD800"}"#));
        assert!(suspect(r#"{"m": "{\"b\": \"\ud83d\"}"}"#));
        assert!(!suspect(r#"{"m": "{\"b\": \"\u00e9\ud7ff\"}"}"#));
        // An escaped backslash before `u` is a false alarm, which is allowed.
        assert!(!suspect(r#"{"a": "\\\\"}"#));
        // Reading finds what `suspect` looks for, in values at any depth,
        // and where the scanner gives up (an escaped key) too; an escaped
        // backslash before `u` is no escape, so not even a false alarm.
        let surrogates = |json| Object::parse(json).unwrap().surrogates();
        assert!(surrogates(r#"{"a": "\uD800"}"#));
        assert!(surrogates(r#"{"a": [1, {"b": "x\udfff"}]}"#));
        assert!(surrogates(r#"{"\u0061": "\ud83d\ude00"}"#));
        assert!(!surrogates(
            r#"{"a": "\u00e9\ud7ff\ue000", "b": "\\ud800"}"#
        ));
        assert!(!surrogates(r#"{"\u0061": "\u00e9"}"#));
        let mut o = Object::parse(r#"{"a": "\uD800"}"#).unwrap();
        o.read(r#"{"a": 1}"#).unwrap();
        assert!(!o.surrogates());
        assert!(!nests_deeper(r#"[[{"b": "]]]["}]]"#, 3));
        assert!(nests_deeper(r#"[[{"b": "]]]["}]]"#, 2));
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(126), "]".repeat(126));
        assert!(Object::parse(&deep).is_ok());
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(127), "]".repeat(127));
        assert!(Object::parse(&deep).is_err());
        let o = Object::parse(r#"{"a\"b": [1, 2], "c": "d"}"#).unwrap();
        assert_eq!(o.to_json(), r#"{"a\"b":[1, 2],"c":"d"}"#);
    }

    /// Reading an object value with the object gives what reading its text
    /// gives, for the last value under the keys that is an object.
    #[test]
    fn nested_objects_are_read_with_their_object() {
        let json =
            r#"{"m": {"a": 1}, "n": [2], "M": "x", "m": {"b": {"c": "d"}, "e": "\u00e9"}, "M": 3}"#;
        let mut record = Object::default();
        let mut inner = Object::default();
        let mut nest = Nest {
            keys: &["m", "M"],
            object: &mut inner,
            at: None,
        };
        record.read_nesting(json, Some(&mut nest)).unwrap();
        assert_eq!(nest.at, Some(3));
        assert_eq!(record.position("m"), Some(3));
        let Some(Raw::Json(text)) = record.get("m") else {
            panic!("an object value")
        };
        let alone = Object::parse(text).unwrap();
        assert_eq!(inner.entries(), alone.entries());
        assert_eq!(inner.text(), Some(text));
        assert_eq!(inner.to_json(), alone.to_json());
        // Where serde_json reads the record, nothing is read with it.
        let mut nest = Nest {
            keys: &["m"],
            object: &mut inner,
            at: Some(0),
        };
        record
            .read_nesting(r#"{"\u006d": {"a": 1}}"#, Some(&mut nest))
            .unwrap();
        assert_eq!(nest.at, None);
    }

    /// One-character escapes are decoded here, `\\u` escapes by serde_json:
    /// the same text either way.
    #[test]
    fn strings_decode_as_serde_json_decodes_them() {
        let mut room = String::new();
        let pieces = [
            "a",
            "é",
            "\\\"",
            "\\\\",
            "\\/",
            "\\b",
            "\\f",
            "\\n",
            "\\r",
            "\\t",
            "\\u00e9",
            "\\ud83d\\ude00",
            "{\\\"k\\\":1}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let json = format!("\"{a}{b}{c}\"");
                    let expected: String = serde_json::from_str(&json).unwrap();
                    assert_eq!(
                        json_string(&json).as_deref(),
                        Some(expected.as_str()),
                        "{json}"
                    );
                    // The same into reused room, whatever it held.
                    room.push_str("left over");
                    assert_eq!(
                        Raw::Json(&json).string_in(&mut room),
                        Some(expected.as_str()),
                        "{json}"
                    );
                }
            }
        }
        assert_eq!(json_string("\"plain\""), Some(Cow::Borrowed("plain")));
        room.clear();
        assert_eq!(Raw::Json("\"plain\"").string_in(&mut room), Some("plain"));
        assert_eq!(Raw::Text("a\\b").string_in(&mut room), Some("a\\b"));
        assert_eq!(Raw::Json("1").string_in(&mut room), None);
        assert!(room.is_empty(), "unescaped strings are not copied");
    }

    /// Up to [`INLINE`] keys an object keeps its entries in place: reading
    /// one allocates nothing.
    #[test]
    fn entries_are_kept_in_place() {
        let object = |n: usize| {
            let keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
            format!("{{{}}}", keys.join(", "))
        };
        let few = object(INLINE);
        let mut o = Object::parse(&few).unwrap();
        assert!(matches!(o.entries, Inline::Few(_)));
        let many = object(INLINE + 1);
        assert!(matches!(
            Object::parse(&many).unwrap().entries,
            Inline::Many(_)
        ));
        o.read("{\"a\": 1}").unwrap();
        assert!(matches!(o.entries, Inline::Few(_)) && o.len() == 1);
        assert!(o.read("[]").is_err());
        assert!(o.is_empty());
    }

    #[test]
    fn merging_keeps_the_objects_values() {
        let top = Object::parse(r#"{"a": 1, "data": 2}"#).unwrap();
        let under = Object::parse(r#"{"a": 3, "b": 4}"#).unwrap();
        let mut merged = top;
        merged.merge_under(&under);
        assert_eq!(merged.keys().collect::<Vec<_>>(), ["a", "data", "b"]);
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
