//! How JSON records arrive: Slack Web API responses, and SAP BTP audit-log
//! records as the retrieval API returns them (Neo v1, Cloud Foundry v2) or as
//! bare attribute objects.
//!
//! These are the record shapes the catalog's `record` sections describe; the
//! events inside them are the generated modules' business.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::object::{
    quotes_unescaped, read_with, starts_as, suspect, too_deep, Item, ItemsSeed, Key, Object,
};
use super::room::Room;
use super::scan;
use super::scan::Nest;
use super::text::Text;
use super::time::Timestamp;
use super::values::Raw;
use super::violation::{Code, Violation};
use super::words;

/// What kind of JSON value `v` is, for messages: values themselves are not
/// repeated (a record may hold a secret that leaked into the log; `raw`
/// keeps the text).
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn malformed(message: impl Into<String>) -> Violation {
    Violation::new(Code::RecordMalformed, "", message)
}

fn parse_json(json: &str) -> Result<Value, Violation> {
    serde_json::from_str(json).map_err(|e| malformed(format!("invalid JSON: {e}")))
}

/// A count in a JSON number or string.
fn count(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The JSON documents of a file: the whole text when it is one document (an
/// object or array spread over many lines), otherwise one per non-blank line.
/// Each comes with the 1-based line it starts on.
pub fn documents(text: &str) -> Vec<(usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        let skipped = text.len() - text.trim_start().len();
        let line = 1 + text[..skipped].matches('\n').count();
        return vec![(line, text.trim())];
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.trim()))
        .collect()
}

/// The paging object of a Slack response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Paging {
    /// Entries in this response.
    pub count: Option<u64>,
    /// Entries in all pages.
    pub total: Option<u64>,
    /// This page's number.
    pub page: Option<u64>,
    /// Number of pages.
    pub pages: Option<u64>,
}

/// An error response (`"ok": false`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApiError {
    /// The error code (`invalid_auth`, `ratelimited`, ...); an open set.
    pub code: String,
    /// The scope the call needed, for `missing_scope`.
    pub needed: Option<String>,
    /// The scopes the token had, for `missing_scope`.
    pub provided: Option<String>,
}

/// A Slack Web API response listing entries, or a bare array of entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<E> {
    /// The response's `ok`; `true` for a bare array.
    pub ok: bool,
    /// The entries, typed.
    pub entries: Vec<E>,
    /// Items of `logs` that are not objects, with their position among all
    /// items: kept, not dropped.
    pub rejected: Vec<(usize, Value)>,
    /// Paging, when the response has it.
    pub paging: Option<Paging>,
    /// The error of an `"ok": false` response.
    pub error: Option<ApiError>,
    /// A warning the API attached.
    pub warning: Option<String>,
}

/// The fewest bytes of JSON an entry takes, as [`Response::parse`] reckons
/// the room for a response's entries: one response's entries are read into
/// one list, which otherwise grows a dozen times, copying itself whole each
/// time (a typed entry is some 300 bytes).
const ENTRY_BYTES: usize = 128;

/// The most entries [`Response::parse`] reserves at once (a page of the
/// API holds at most 1,000); a larger document's list grows as usual.
const MOST_RESERVED: usize = 4096;

impl<E> Response<E> {
    /// Parses one JSON document, typing each entry with `entry` (given the
    /// entry's keys and values, read without copying).
    pub fn parse<'j>(json: &'j str, entry: impl Fn(&Object<'_>) -> E) -> Result<Self, Violation> {
        if suspect(json) {
            parse_json(json)?;
        }
        // Entries are typed as they are read; `None` starts the items over
        // (a later `logs` key replaces an earlier one).
        let mut entries = Vec::new();
        let mut rejected = Vec::new();
        let mut position = 0;
        let mut each = |item: Option<Item<'_, 'j>>| match item {
            None => {
                entries.clear();
                rejected.clear();
                position = 0;
            }
            Some(item) => {
                match item {
                    Item::Object(fields) => {
                        if entries.capacity() == 0 {
                            entries.reserve((json.len() / ENTRY_BYTES).min(MOST_RESERVED));
                        }
                        entries.push(entry(fields));
                    }
                    Item::Other(value) => rejected.push((position, value)),
                }
                position += 1;
            }
        };
        let shape = starts_as(json);
        if !matches!(shape, Some(b'[' | b'{')) {
            let value = parse_json(json)?;
            return Err(malformed(format!(
                "a response is an object or an array, not {}",
                kind(&value)
            )));
        }
        // One pass with the scanner; serde_json where it gives up (it
        // decides and words the errors).
        let scanned = scan::document(json, "logs", &mut |item| {
            each(item.map(|item| match item {
                scan::Item::Object(object) => Item::Object(object),
                scan::Item::Other(text) => {
                    Item::Other(serde_json::from_str(text).unwrap_or(Value::Null))
                }
            }))
        });
        let (object, logs) = match scanned {
            Some((entries, under)) => (
                Object::from_entries(entries),
                under.map(|under| match under {
                    scan::Under::Items => Logs::Items,
                    scan::Under::Value(text) => Logs::of(text),
                }),
            ),
            None if shape == Some(b'[') => {
                each(None);
                let mut items = |i: Item<'_, 'j>| each(Some(i));
                read_with(
                    json,
                    ItemsSeed {
                        depth: 1,
                        each: &mut items,
                    },
                )
                .map_err(|e| invalid(json, e))?;
                (Object::default(), None)
            }
            None => {
                each(None);
                read_with(json, TopSeed { each: &mut each }).map_err(|e| invalid(json, e))?
            }
        };
        let ok = match object.get("ok") {
            _ if shape == Some(b'[') => true,
            Some(raw) => match raw.to_value() {
                Value::Bool(b) => b,
                other => {
                    return Err(malformed(format!(
                        "`ok` is {}, not a boolean",
                        kind(&other)
                    )))
                }
            },
            None => logs.is_some(),
        };
        if let Some(Logs::Other(kind)) = logs {
            return Err(malformed(format!("`logs` is {kind}, not an array")));
        }
        let value = |k: &str| object.get(k).map(Raw::to_value);
        let paging = value("paging")
            .as_ref()
            .and_then(Value::as_object)
            .map(|p| Paging {
                count: count(p.get("count")),
                total: count(p.get("total")),
                page: count(p.get("page")),
                pages: count(p.get("pages")),
            });
        let error = (!ok).then(|| ApiError {
            code: text(value("error").as_ref()).unwrap_or_default(),
            needed: text(value("needed").as_ref()),
            provided: text(value("provided").as_ref()),
        });
        entries.shrink_to_fit();
        Ok(Response {
            ok,
            entries,
            rejected,
            paging,
            error,
            warning: text(value("warning").as_ref()),
        })
    }
}

/// A response's `logs`.
enum Logs {
    /// An array, whose items went to the caller.
    Items,
    /// `null`.
    Null,
    /// Anything else: what it is.
    Other(&'static str),
}

impl Logs {
    /// What `logs` is when it is not an array, by its JSON text.
    fn of(text: &str) -> Logs {
        match text.as_bytes().first() {
            Some(b'n') => Logs::Null,
            Some(b'{') => Logs::Other("an object"),
            Some(b't' | b'f') => Logs::Other("a boolean"),
            Some(b'"') => Logs::Other("a string"),
            _ => Logs::Other("a number"),
        }
    }
}

/// Reads a response object: `logs` item by item, the other keys as raw
/// values.
struct TopSeed<'a, 'de> {
    /// What to do with each item of `logs`; `None` before each `logs`.
    each: &'a mut dyn FnMut(Option<Item<'_, 'de>>),
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, 'de> {
    type Value = (Object<'de>, Option<Logs>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, 'de> {
    type Value = (Object<'de>, Option<Logs>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = Object::default();
        let mut logs = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key == "logs" {
                (self.each)(None);
                logs = Some(map.next_value_seed(LogsSeed {
                    each: &mut *self.each,
                })?);
            } else {
                let raw: &'de RawValue = map.next_value()?;
                if too_deep(raw, 1) {
                    return Err(serde::de::Error::custom("recursion limit exceeded"));
                }
                object.push(key, Raw::Json(raw.get()));
            }
        }
        Ok((object, logs))
    }
}

/// Reads a response's `logs`.
struct LogsSeed<'a, 'de> {
    each: &'a mut dyn FnMut(Option<Item<'_, 'de>>),
}

impl<'de> DeserializeSeed<'de> for LogsSeed<'_, 'de> {
    type Value = Logs;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LogsSeed<'_, 'de> {
    type Value = Logs;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of entries")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let mut items = |i: Item<'_, 'de>| (self.each)(Some(i));
        ItemsSeed {
            depth: 2,
            each: &mut items,
        }
        .visit_seq(seq)
        .map(|()| Logs::Items)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Logs::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, Value>()?.is_some() {}
        Ok(Logs::Other("an object"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Logs::Other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Logs::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Logs::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Logs::Other("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Logs::Other("a string"))
    }
}

/// The error for a document that did not read: the message a
/// `serde_json::Value` parse gives, the same whichever way it was read.
fn invalid(json: &str, e: serde_json::Error) -> Violation {
    match parse_json(json) {
        Err(v) => v,
        Ok(_) => malformed(format!("invalid JSON: {e}")),
    }
}

/// The key of a Neo v1 record's message.
const NEO_MESSAGE: &str = "Message";

/// The key of a Cloud Foundry v2 record's message.
const CF_MESSAGE: &str = "message";

/// The shape a SAP BTP record came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Shape {
    /// The event's attributes as one flat object.
    #[default]
    Flat,
    /// A Neo (v1, OData) retrieval record: `Uuid`, `Time`, `Message`, ...
    NeoV1,
    /// A Cloud Foundry (v2) retrieval record: `message_uuid`, `time`, `message`, ...
    CfV2,
}

/// The attributes of an audit-log event, from whichever shape it came in.
/// Its texts are [`Text`]s.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attributes {
    /// The shape of the record.
    pub shape: Shape,
    /// `"action"`: the verb.
    pub action: Option<Text>,
    /// `"key"`: a message.
    pub key: Option<Text>,
    /// `"objectID"`: a message.
    pub object_id: Option<Text>,
    /// `"operation"`: a refinement.
    pub operation: Option<Text>,
    /// The JSON text of the object that holds the event's attributes, as
    /// received: the record itself when flat, else its message (decoded when
    /// the message is a JSON string). [`fields`](Self::fields) reads it, with
    /// its `data` merged in; [`with_fields`](Self::with_fields) without
    /// copying.
    pub message: String,
    /// The record's time, when the record gives one that can be read.
    pub time: Option<Timestamp>,
    /// The record's time as written.
    pub time_text: Option<Text>,
    /// The record's user.
    pub user: Option<Text>,
    /// The record's tenant.
    pub tenant: Option<Text>,
    /// The record's category (`audit.security-events`, ...).
    pub category: Option<Text>,
}

impl Attributes {
    /// Parses one JSON document: a flat attribute object, a Neo v1 record
    /// (`Message`) or a Cloud Foundry v2 record (`message`), the message being
    /// an object or a JSON string, with its `data` merged in likewise.
    pub fn parse(json: &str) -> Result<Attributes, Violation> {
        Attributes::parse_with(json, |attributes, _| attributes)
    }

    /// [`parse`](Self::parse), handing `f` the attributes and, read without
    /// copying, their [`fields`](Self::fields): what identifying the event
    /// needs, without reading the message again.
    pub fn parse_with<R>(
        json: &str,
        f: impl FnOnce(Attributes, &mut Object<'_>) -> R,
    ) -> Result<R, Violation> {
        if starts_as(json) != Some(b'{') {
            return Err(not_an_object(json));
        }
        // Room for a message given as a JSON string, declared before the
        // objects that may borrow from it.
        let mut room = None;
        // Objects are read in place: they keep their entries inline. A
        // message given as an object is read with the record.
        let mut record = Object::default();
        let mut inner = Object::default();
        let mut nest = Nest {
            keys: &[NEO_MESSAGE, CF_MESSAGE],
            object: &mut inner,
            at: None,
        };
        record
            .read_nesting(json, Some(&mut nest))
            .map_err(|e| invalid(json, e))?;
        let nested = nest.at;
        if record.surrogates() {
            parse_json(json)?;
        }
        let get = |k: &str| {
            record.get(k).and_then(|raw| match raw.string() {
                Some(s) => Some(words::trim_with(&s, str::trim).into()),
                None => written(raw).map(|s| s.trim().into()),
            })
        };
        let (shape, message, time_text, user, tenant, category) =
            if record.contains_key(NEO_MESSAGE) {
                (
                    Shape::NeoV1,
                    Some(NEO_MESSAGE),
                    get("Time"),
                    get("User"),
                    get("Tenant"),
                    get("Category"),
                )
            } else if record.contains_key(CF_MESSAGE)
                && ["message_uuid", "format_version", "category", "time"]
                    .iter()
                    .any(|k| record.contains_key(k))
            {
                (
                    Shape::CfV2,
                    Some(CF_MESSAGE),
                    get("time"),
                    get("user"),
                    get("tenant"),
                    get("category"),
                )
            } else {
                (Shape::Flat, None, None, None, None, None)
            };
        let found = message.map(|m| {
            let at = record.position(m)?;
            Some((at, record.value_at(at)?))
        });
        let (message, fields): (Cow<'_, str>, _) = match found {
            None => (json.trim().into(), &mut record),
            Some(None) => {
                inner = Object::default();
                ("{}".into(), &mut inner)
            }
            Some(Some((at, raw))) => match raw.first_byte() {
                Some(b'{') => {
                    let text = raw_text(raw);
                    if nested != Some(at) {
                        inner.read(text).map_err(|e| invalid(json, e))?;
                    }
                    (text.into(), &mut inner)
                }
                Some(b'"') => {
                    // Read from the escaped text where it can be, the
                    // message decoded straight into the text it keeps.
                    let escaped = match raw {
                        Raw::Json(t) if inner.read_escaped(t) => quotes_unescaped(t),
                        _ => None,
                    };
                    match escaped {
                        Some(decoded) => (decoded.into(), &mut inner),
                        None => {
                            let decoded = decoded_message(raw, &mut room, &mut inner)?;
                            (decoded.into(), &mut inner)
                        }
                    }
                }
                _ => return Err(message_not_an_object(raw)),
            },
        };
        Ok(merged(fields, |fields| {
            let string = |k: &str| match fields.get(k) {
                Some(raw) => match raw.string() {
                    Some(s) => Some(s.into()),
                    None => written(raw).map(Into::into),
                },
                None => None,
            };
            let attributes = Attributes {
                shape,
                action: string("action"),
                key: string("key"),
                object_id: string("objectID"),
                operation: string("operation"),
                time: time_text.as_deref().and_then(|t| Timestamp::parse(t).ok()),
                time_text,
                user,
                tenant,
                category,
                message: message.into_owned(),
            };
            f(attributes, fields)
        }))
    }

    /// Reads a parsed document; see [`parse`](Self::parse).
    pub fn from_value(value: Value) -> Result<Attributes, Violation> {
        match value {
            Value::Object(_) => Attributes::parse(&value.to_string()),
            other => Err(malformed(format!(
                "a record is a JSON object, not {}",
                kind(&other)
            ))),
        }
    }

    /// Every attribute of the event, as received (`tenantId`, `account`,
    /// ...): the message object's, and those of its `data` (an object, or a
    /// string holding one) that it does not have itself.
    pub fn fields(&self) -> Map<String, Value> {
        self.with_fields(|fields| fields.to_map())
    }

    /// Calls `f` with the attributes of [`fields`](Self::fields), read
    /// without copying them.
    pub fn with_fields<R>(&self, f: impl FnOnce(&mut Object<'_>) -> R) -> R {
        let mut fields = Object::default();
        // A message that is not an object leaves no fields.
        let _ = fields.read(&self.message);
        merged(&mut fields, f)
    }

    /// Replaces every string attribute of [`fields`](Self::fields) by what
    /// `f` makes of it (the message object is written again, `data`
    /// merged in).
    pub fn map_strings(&mut self, f: impl Fn(&str) -> String) {
        let mut fields = self.fields();
        for value in fields.values_mut() {
            if let Value::String(text) = value {
                *text = f(text);
            }
        }
        self.message = Value::Object(fields).to_string();
    }
}

/// The error for a document that is not a JSON object.
#[cold]
#[inline(never)]
fn not_an_object(json: &str) -> Violation {
    match parse_json(json) {
        Ok(value) => malformed(format!("a record is a JSON object, not {}", kind(&value))),
        Err(v) => v,
    }
}

/// The error for a message that is neither an object nor a string.
#[cold]
#[inline(never)]
fn message_not_an_object(raw: Raw<'_>) -> Violation {
    malformed(format!(
        "`message` is {}, not an object",
        kind(&raw.to_value())
    ))
}

/// A value that is not a string, as the attributes keep it: written as
/// JSON, `null` as none.
#[cold]
#[inline(never)]
fn written(raw: Raw<'_>) -> Option<String> {
    text(Some(&raw.to_value()))
}

/// The text of a message given as a JSON string that cannot be read from
/// its escaped text, decoded into `room` and read into `inner`.
#[cold]
#[inline(never)]
fn decoded_message<'m>(
    raw: Raw<'m>,
    room: &'m mut Option<Room>,
    inner: &mut Object<'m>,
) -> Result<&'m str, Violation> {
    let room = &mut room.insert(Room::take()).0;
    let decoded = raw.string_in(room).unwrap_or_default();
    if !read_object(inner, decoded) {
        return Err(malformed(
            "`message` is a string that does not hold a JSON object",
        ));
    }
    Ok(decoded)
}

/// Reads the decoded text `json` into `object`: whether it is a JSON
/// object that `serde_json` takes too (asked only when a string of it
/// escapes a surrogate).
fn read_object<'m>(object: &mut Object<'m>, json: &'m str) -> bool {
    object.read(json).is_ok() && (!object.surrogates() || parse_json(json).is_ok())
}

/// The JSON text of a value of a parsed object.
fn raw_text(raw: Raw<'_>) -> &str {
    match raw {
        Raw::Json(r) => r,
        Raw::Text(t) => t,
    }
}

/// `fields` with its `data` (an object, or a string holding one) merged
/// in under it (`data` that is neither is dropped).
fn merged<'t, R>(fields: &mut Object<'t>, f: impl FnOnce(&mut Object<'_>) -> R) -> R {
    let data = fields.remove("data");
    // Read in place, from the record's text, where it can be.
    let mut under = Object::default();
    let read = match data {
        Some(data) if data.first_byte() == Some(b'{') => under.read(raw_text(data)).is_ok(),
        Some(Raw::Json(data)) if under.read_escaped(data) => true,
        Some(data) if data.first_byte() == Some(b'"') => return merged_decoded(fields, data, f),
        _ => false,
    };
    if read {
        fields.merge_under(&under);
    }
    f(fields)
}

/// [`merged`] for a `data` string that cannot be read from its escaped
/// text: decoded into a buffer of its own, whose entries live only as long
/// as it, so the record's object is taken out to hold them. Out of the way
/// of the records that need none of this.
#[cold]
#[inline(never)]
fn merged_decoded<'t, R>(
    fields: &mut Object<'t>,
    data: Raw<'t>,
    f: impl FnOnce(&mut Object<'_>) -> R,
) -> R {
    let mut room = Room::take();
    let decoded = data.string_in(&mut room.0).unwrap_or_default();
    let mut under = Object::default();
    if read_object(&mut under, decoded) {
        let mut fields = std::mem::take(fields);
        fields.merge_under(&under);
        return f(&mut fields);
    }
    f(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_of_a_file() {
        assert_eq!(documents("{\n \"a\": 1\n}\n"), [(1, "{\n \"a\": 1\n}")]);
        assert_eq!(
            documents("{\"a\":1}\n\n{\"b\":2}\n{broken\n"),
            [(1, "{\"a\":1}"), (3, "{\"b\":2}"), (4, "{broken")]
        );
        assert_eq!(documents("\u{feff}[1]"), [(1, "[1]")]);
    }

    #[test]
    fn slack_responses() {
        let r = Response::parse(r#"{"ok": true, "logs": [{"a": 1}], "paging": {"count": 1, "total": "3", "page": 1, "pages": 3}}"#, |m| m.keys().count()).unwrap();
        assert_eq!(r.entries, [1]);
        assert_eq!(r.paging.unwrap().total, Some(3));
        let r = Response::parse(r#"{"ok": false, "error": "invalid_auth"}"#, |m| {
            m.keys().count()
        })
        .unwrap();
        assert_eq!(r.error.unwrap().code, "invalid_auth");
        let r = Response::parse(r#"[{"a": 1}, {"b": 2, "c": 3}]"#, |m| m.keys().count()).unwrap();
        assert_eq!(r.entries, [1, 2]);
        let r = Response::parse(r#"[{"a": 1}, 42, {"b": 2}]"#, |m| m.keys().count()).unwrap();
        assert_eq!((r.entries.len(), r.rejected.len()), (2, 1));
        assert_eq!(r.rejected[0].0, 1);
        // As in a `serde_json::Map`, the last `logs` counts.
        let r = Response::parse(
            r#"{"ok": true, "logs": [{"a": 1}, 2], "logs": [{"b": 2}, {"c": 3}]}"#,
            |m| m.keys().count(),
        )
        .unwrap();
        assert_eq!((r.entries.len(), r.rejected.len()), (2, 0));
        let r = Response::parse(r#"{"logs": [{"a": 1}], "logs": null}"#, |m| {
            m.keys().count()
        })
        .unwrap();
        assert!(r.ok && r.entries.is_empty());
        assert_eq!(
            Response::parse("{", |m| m.keys().count()).unwrap_err().code,
            Code::RecordMalformed
        );
        // Room is made for as many entries as the document could hold, and
        // what is left over is given back: a short list in a long document
        // keeps no more than it holds.
        let padded = format!(
            r#"{{"logs": [{{"a": 1}}, {{"b": 2}}]{}}}"#,
            " ".repeat(1 << 20)
        );
        let r = Response::parse(&padded, |m| m.keys().count()).unwrap();
        assert_eq!((r.entries.len(), r.entries.capacity()), (2, 2));
    }

    #[test]
    fn sap_shapes() {
        let flat = Attributes::parse(
            r#"{"action":"create","key":"Creating authorization code: ab12c","tenantId":"t1"}"#,
        )
        .unwrap();
        assert_eq!(flat.shape, Shape::Flat);
        assert_eq!(
            flat.key.as_deref(),
            Some("Creating authorization code: ab12c")
        );
        let neo = Attributes::parse(r#"{"Uuid":"u","Time":"2018-03-20T15.59.14.878+0000","Message":"{\"action\":\"delete\",\"objectID\":\"Deleting platform client: c1\"}"}"#).unwrap();
        assert_eq!(neo.shape, Shape::NeoV1);
        assert_eq!(
            neo.object_id.as_deref(),
            Some("Deleting platform client: c1")
        );
        assert_eq!(neo.time.unwrap().to_string(), "2018-03-20T15:59:14.878Z");
        // The message read from its escaped text is kept decoded.
        assert_eq!(
            neo.message,
            r#"{"action":"delete","objectID":"Deleting platform client: c1"}"#
        );
        let cf = Attributes::parse(r#"{"message_uuid":" m ","time":"2026-11-20T09:15:02Z","org_id":"-","message":{"data":"{\"action\":\"create\",\"key\":\"Creating platform client: c2\",\"account\":\"a\"}"}}"#).unwrap();
        assert_eq!(cf.shape, Shape::CfV2);
        assert_eq!(cf.action.as_deref(), Some("create"));
        assert_eq!(
            cf.fields().get("account").and_then(Value::as_str),
            Some("a")
        );
        assert!(Attributes::parse("[]").is_err());
    }

    /// A lone surrogate escape is refused, as serde_json refuses it as a
    /// `Value`, wherever it is: in the record, in a message object, in a
    /// message or `data` that is a JSON string (escaped once more there).
    /// A surrogate pair is a character like any other. (`data` that does
    /// not hold an object is dropped, not refused.)
    #[test]
    fn lone_surrogates_are_refused_where_serde_json_refuses_them() {
        for (lone, pair) in [
            (r"\ud800", r"\ud83d\ude00"),
            (r"\\ud800", r"\\ud83d\\ude00"),
        ] {
            let flat =
                format!(r#"{{"action":"create","key":"Creating authorization code: {lone}"}}"#);
            let neo = format!(
                r#"{{"Uuid":"u","Message":"{{\"action\":\"create\",\"key\":\"x{lone}\"}}"}}"#
            );
            let cf = format!(
                r#"{{"message_uuid":"m","message":{{"action":"create","key":"x{lone}"}}}}"#
            );
            let data = format!(
                r#"{{"message_uuid":"m","message":{{"data":"{{\"action\":\"create\",\"key\":\"x{lone}\"}}"}}}}"#
            );
            let escaped_once_more = lone.starts_with(r"\\");
            for (record, refused) in [
                (flat, !escaped_once_more),
                (neo, true),
                (cf, !escaped_once_more),
            ] {
                assert_eq!(Attributes::parse(&record).is_err(), refused, "{record}");
                let paired = record.replace(lone, pair);
                assert!(Attributes::parse(&paired).is_ok(), "{paired}");
            }
            // Escaped once more, the lone surrogate is the decoded data's,
            // which is then dropped; otherwise it is the record's.
            match Attributes::parse(&data) {
                Ok(attributes) => assert!(escaped_once_more && attributes.action.is_none()),
                Err(_) => assert!(!escaped_once_more, "{data}"),
            }
            let paired = Attributes::parse(&data.replace(lone, pair)).unwrap();
            assert_eq!(paired.action.as_deref(), Some("create"));
        }
    }
}
