//! A fast reader of JSON objects into keys and raw value texts, for the
//! records sources send (flat objects of strings, numbers and small nested
//! values).
//!
//! It checks the JSON grammar as it goes, byte by byte, exactly as
//! serde_json does when it reads a value as raw text, and gives up (`None`)
//! on anything it does not take on: a key with escapes, nesting deeper than
//! `DEEPEST` (32), or anything that is not JSON. The caller then reads the text
//! with serde_json, which decides and words the error: the two readings
//! never differ, only in speed (`tests::agrees_with_serde_json`).

use std::borrow::Cow;

use super::object::{Entries, Object};
use super::values::Raw;
use super::words;

/// The deepest nesting of arrays and objects inside a value read here. The
/// limits that count (serde_json's 128, [`super::object`]'s) lie beyond it,
/// so anything deeper is left to serde_json.
const DEEPEST: usize = 32;

/// Reads into `entries` (after what they hold) the entries of the JSON
/// object that is the whole of `json` (white space around it allowed), each
/// key with its value's JSON text; `None` when the text is not such an
/// object or is beyond this reader. `Some(true)` when a string has a `\u`
/// escape of a surrogate (`\uD800` to `\uDFFF`), which serde_json reads
/// as a raw value but may refuse as a `Value` (a lone one): what
/// [`super::object::suspect`] looks for, found on the way.
pub fn object<'t>(
    json: &'t str,
    entries: &mut Entries<'t>,
    nest: Option<&mut Nest<'_, 't>>,
) -> Option<bool> {
    let mut s = Scanner::new(json);
    s.blanks();
    s.entries(entries, nest)?;
    s.blanks();
    (s.pos == s.b.len()).then_some(s.surrogate)
}

/// Where [`object`] reads an object value of the object it reads into
/// entries of its own as it goes, sparing a second reading of that text.
#[derive(Debug)]
pub struct Nest<'a, 't> {
    /// The keys whose object values are read.
    pub keys: &'a [&'a str],
    /// The entries of the last such value, in place of what it held.
    pub object: &'a mut Object<'t>,
    /// The index among the entries of the entry whose value `object` holds.
    pub at: Option<usize>,
}

/// Reads into `entries` (after what they hold) the entries of the JSON
/// object that a JSON string holds, straight from the string's text as
/// written (`text`: between its quotes, a string this module or serde_json
/// has read, so with no raw control characters and well-formed escapes).
///
/// That is JSON inside JSON, the way SAP BTP sends a message: every quote
/// of the object is written `\"`. Where those are the only escapes and the
/// values are strings, numbers, `true`, `false` or `null`, the keys and
/// values are the very bytes decoding would give, so they are borrowed from
/// `text` without decoding it or reading the decoded text again. `None`
/// for anything else (another escape, a nested object or array, a text that
/// is no object): the caller decodes the string and reads that.
pub fn escaped_object<'t>(text: &'t str, entries: &mut Entries<'t>) -> Option<()> {
    let mut s = Scanner::new(text);
    s.blanks();
    s.members(Scanner::escaped_string, |s, key| {
        let value = match *s.b.get(s.pos)? {
            b'\\' => Raw::Text(s.escaped_string()?),
            b'[' | b'{' => return None,
            _ => Raw::Json(s.value(1)?),
        };
        entries.push((Cow::Borrowed(key), value));
        Some(())
    })?;
    s.blanks();
    (s.pos == s.b.len()).then_some(())
}

/// An item of an array [`document`] streams: an object's entries, or any
/// other value's text.
#[derive(Debug)]
pub enum Item<'a, 't> {
    /// An object, read into a buffer the reader reuses for the next one.
    Object(&'a Object<'t>),
    /// Anything else, as written.
    Other(&'t str),
}

/// What the streamed key of [`document`] last held.
#[derive(Debug, PartialEq, Eq)]
pub enum Under<'t> {
    /// An array, whose items went to `each`.
    Items,
    /// Any other value, as written.
    Value(&'t str),
}

/// Reads the document `json` in one pass, white space around it allowed:
///
/// - an array: each item goes to `each` as it is read;
/// - an object: where its key is `key` and the value an array, that
///   array's items go to `each` (after `each(None)`, since a later `key`
///   replaces an earlier one); its other entries are returned, with what
///   the last `key` held.
///
/// `None` where [`object`] gives up, possibly after some items went to
/// `each`: the caller starts over with `each(None)`.
pub fn document<'t>(
    json: &'t str,
    key: &str,
    each: &mut dyn FnMut(Option<Item<'_, 't>>),
) -> Option<(Entries<'t>, Option<Under<'t>>)> {
    let mut s = Scanner::new(json);
    s.blanks();
    let mut entries = Entries::new();
    let mut under = None;
    if s.b.get(s.pos) == Some(&b'[') {
        s.items(each)?;
    } else {
        s.members(Scanner::key, |s, k| {
            if k == key {
                each(None);
                under = Some(if s.b.get(s.pos) == Some(&b'[') {
                    s.items(each)?;
                    Under::Items
                } else {
                    Under::Value(s.value(1)?)
                });
            } else {
                entries.push((Cow::Borrowed(k), s.raw()?));
            }
            Some(())
        })?;
    }
    s.blanks();
    (s.pos == s.b.len()).then_some((entries, under))
}

struct Scanner<'t> {
    b: &'t [u8],
    text: &'t str,
    pos: usize,
    /// Whether a string so far had a surrogate's `\u` escape.
    surrogate: bool,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Scanner {
            b: text.as_bytes(),
            text,
            pos: 0,
            surrogate: false,
        }
    }

    fn next(&mut self) -> Option<u8> {
        let c = *self.b.get(self.pos)?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.b.get(self.pos) == Some(&byte)).then(|| self.pos += 1)
    }

    /// JSON's white space: space, tab, line feed, carriage return. Records
    /// are mostly written without any: one comparison tells a byte above
    /// the space, which none of them is.
    #[inline(always)]
    fn blanks(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if c > b' ' || !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.pos += 1;
        }
    }

    /// `{ "key": value, ... }` from `{` into `entries`, after what they held;
    /// each key borrowed (keys with escapes are given up on). The object
    /// values of `nest`'s keys are read into its object too.
    fn entries(
        &mut self,
        entries: &mut Entries<'t>,
        mut nest: Option<&mut Nest<'_, 't>>,
    ) -> Option<()> {
        self.eat(b'{')?;
        self.blanks();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let key = self.key()?;
            self.blanks();
            self.eat(b':')?;
            self.blanks();
            let value = match nest.as_deref_mut() {
                Some(nest) if self.b.get(self.pos) == Some(&b'{') && nest.keys.contains(&key) => {
                    let start = self.pos;
                    nest.object.scan_in(|inner| {
                        self.entries(inner, None)?;
                        self.text.get(start..self.pos)
                    })?;
                    nest.at = Some(entries.len());
                    Raw::Json(self.text.get(start..self.pos)?)
                }
                _ => self.raw()?,
            };
            entries.push((Cow::Borrowed(key), value));
            self.blanks();
            match self.next()? {
                b',' => self.blanks(),
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// `{ key: value, ... }` from `{`, each key read by `key` and its value
    /// (after the `:`) by `value`; the punctuation and white space between
    /// them are checked here. [`entries`](Self::entries), the loop every
    /// record goes through, spells the same loop out: through this one it
    /// cost a SAP record 87 instructions more, and with `key` generic
    /// rather than a function pointer 400.
    #[inline(always)]
    fn members(
        &mut self,
        key: fn(&mut Self) -> Option<&'t str>,
        mut value: impl FnMut(&mut Self, &'t str) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        self.blanks();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let k = key(self)?;
            self.blanks();
            self.eat(b':')?;
            self.blanks();
            value(self, k)?;
            self.blanks();
            match self.next()? {
                b',' => self.blanks(),
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// A key without escapes, without its quotes.
    #[inline(always)]
    fn key(&mut self) -> Option<&'t str> {
        let start = self.pos + 1;
        match self.string()? {
            false => self.text.get(start..self.pos - 1),
            true => None,
        }
    }

    /// `[ item, ... ]` from `[`, each item to `each` as it is read.
    fn items(&mut self, each: &mut dyn FnMut(Option<Item<'_, 't>>)) -> Option<()> {
        self.eat(b'[')?;
        self.blanks();
        if self.eat(b']').is_some() {
            return Some(());
        }
        let mut object = Object::default();
        loop {
            if self.b.get(self.pos) == Some(&b'{') {
                let start = self.pos;
                object.scan_in(|entries| {
                    self.entries(entries, None)?;
                    self.text.get(start..self.pos)
                })?;
                each(Some(Item::Object(&object)));
            } else {
                each(Some(Item::Other(self.value(1)?)));
            }
            self.blanks();
            match self.next()? {
                b',' => self.blanks(),
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// An entry's value as the entry keeps it: a string without escapes as
    /// its text ([`Raw::Text`]: there is nothing to decode), anything else
    /// as its JSON text.
    #[inline(always)]
    fn raw(&mut self) -> Option<Raw<'t>> {
        if self.b.get(self.pos) != Some(&b'"') {
            return self.value(1).map(Raw::Json);
        }
        let start = self.pos;
        if self.string()? {
            self.text.get(start..self.pos).map(Raw::Json)
        } else {
            self.text.get(start + 1..self.pos - 1).map(Raw::Text)
        }
    }

    /// One value, nested `depth` deep inside the value being read; its text.
    fn value(&mut self, depth: usize) -> Option<&'t str> {
        let start = self.pos;
        match *self.b.get(self.pos)? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => self.container(depth)?,
            b't' => self.word(b"true")?,
            b'f' => self.word(b"false")?,
            b'n' => self.word(b"null")?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return None,
        }
        self.text.get(start..self.pos)
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.b.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    /// An object or array, its members checked but not kept.
    fn container(&mut self, depth: usize) -> Option<()> {
        if depth > DEEPEST {
            return None;
        }
        let close = match self.next()? {
            b'{' => b'}',
            _ => b']',
        };
        self.blanks();
        if self.eat(close).is_some() {
            return Some(());
        }
        loop {
            if close == b'}' {
                self.string()?;
                self.blanks();
                self.eat(b':')?;
                self.blanks();
            }
            self.value(depth + 1)?;
            self.blanks();
            match self.next()? {
                b',' => self.blanks(),
                c if c == close => return Some(()),
                _ => return None,
            }
        }
    }

    /// A string from its `"`, escapes checked as serde_json checks them
    /// when it skips a string (`\u` takes any four hex digits); whether it
    /// has escapes.
    #[inline(always)]
    fn string(&mut self) -> Option<bool> {
        self.eat(b'"')?;
        let mut escaped = false;
        loop {
            self.pos = words::find_string_end(self.b, self.pos)?;
            match self.next()? {
                b'"' => return Some(escaped),
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => escaped = true,
                    b'u' => {
                        let hex = self.b.get(self.pos..self.pos + 4)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        self.surrogate |= matches!(hex[0], b'd' | b'D')
                            && matches!(hex[1], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F');
                        self.pos += 4;
                        escaped = true;
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// A string written `\"...\"` inside a JSON string, without escapes
    /// of its own; its text, without the quotes.
    fn escaped_string(&mut self) -> Option<&'t str> {
        self.eat(b'\\')?;
        self.eat(b'"')?;
        let start = self.pos;
        self.pos = words::find_from(self.b, start, b'\\')?;
        let end = self.pos;
        self.eat(b'\\')?;
        self.eat(b'"')?;
        self.text.get(start..end)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.').is_some() {
            self.digit()?;
            self.digits();
        }
        if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digit()?;
            self.digits();
        }
        // `01` or `1x`: serde_json says why.
        match self.b.get(self.pos) {
            Some(c) if c.is_ascii_alphanumeric() || *c == b'.' => None,
            _ => Some(()),
        }
    }

    fn digit(&mut self) -> Option<()> {
        self.next().filter(u8::is_ascii_digit).map(|_| ())
    }

    fn digits(&mut self) {
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::object::{quotes_unescaped, read_with, Object, ObjectSeed};
    use super::*;
    use serde_json::value::RawValue;

    /// The entries [`object`] reads from `json`.
    fn read(json: &str) -> Option<Entries<'_>> {
        let mut entries = Entries::new();
        object(json, &mut entries, None).map(|_| entries)
    }

    /// Pieces of JSON, valid and not, that the tests below join into
    /// documents of every shape.
    const PIECES: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\n",
        "\"a\"",
        "\"b\\\"c\"",
        "\"\\u00e9\"",
        "\"\\uZZ\"",
        "\"\\x\"",
        "\"\u{1}\"",
        "\"é\"",
        "0",
        "-1",
        "01",
        "1.5",
        "1.",
        "2e+3",
        "-0.0E9",
        "1x",
        "true",
        "fals",
        "null",
        "nul",
    ];

    /// On short documents built from every combination of a few pieces,
    /// this reader and serde_json accept the same ones, with the same keys
    /// and value texts in the same order.
    #[test]
    fn agrees_with_serde_json() {
        let mut accepted = 0;
        for a in PIECES {
            for b in PIECES {
                for c in PIECES {
                    for d in ["", "}", "]}", "}}", ",\"z\":1}", " } "] {
                        accepted += agree(&format!("{{\"k\":{a}{b}{c}{d}"));
                        accepted += agree(&format!(" {{\"k\" : [{a}, {b}]{c}{d}"));
                        accepted += agree_array(&format!("[{a}{b}{c}{d}"));
                    }
                }
            }
        }
        assert!(accepted > 1500, "{accepted}");
    }

    /// Where [`escaped_object`] reads a JSON string's object straight from
    /// its escaped text, it reads what decoding the string and reading that
    /// reads, and the decoded text is an object; written with escapes of
    /// every kind, in objects of every shape, valid or not.
    #[test]
    fn escaped_objects_read_as_decoded_ones() {
        // Besides the pieces above: a string with a `/`, which a sender
        // may escape, more kinds of values, and strings cut short after a
        // character written as an escape, which must not end them.
        let more = [
            "", "\"x/y\"", "-1.5e3", "[1]", "{}", "true", "\"\"", "\"v\t", "\"v/", "\"v\\",
        ];
        let (mut fast, mut total) = (0, 0);
        for a in PIECES {
            for b in PIECES {
                for c in more {
                    for text in [
                        format!("{{{a}:{b}{c}}}"),
                        format!("{{\"k\":{a},{b}:{c}}}"),
                        format!(" {{{a}{b}{c} "),
                    ] {
                        // Every form a sender may write: the plain one, and
                        // with `/` and the quotes escaped otherwise.
                        let plain = serde_json::to_string(&text).unwrap();
                        let inner = &plain[1..plain.len() - 1];
                        for written in [
                            inner.to_owned(),
                            inner.replacen('/', "\\/", 1),
                            inner.replacen("\\\"", "\\u0022", 1),
                        ] {
                            total += 1;
                            let mut entries = Entries::new();
                            if escaped_object(&written, &mut entries).is_none() {
                                continue;
                            }
                            fast += 1;
                            let json = format!("\"{written}\"");
                            let decoded: String = serde_json::from_str(&json).unwrap();
                            let read = Object::parse(&decoded).unwrap_or_else(|e| {
                                panic!("{written:?} read, {decoded:?} is no object: {e}")
                            });
                            assert_eq!(&entries[..], read.entries(), "{written:?}");
                            // And the text decoded by dropping backslashes.
                            assert_eq!(
                                quotes_unescaped(&json).as_ref(),
                                Some(&decoded),
                                "{written:?}"
                            );
                        }
                    }
                }
            }
        }
        assert!(fast > 100 && fast < total, "{fast} of {total}");
    }

    /// A string without escapes is kept as its text, to be used as it is;
    /// one with escapes, and any other value, as JSON text.
    #[test]
    fn plain_strings_are_kept_as_text() {
        let entries = read(r#"{"a":"x y","b":"x\"y","c":1,"d":["z"]}"#).unwrap();
        let values: Vec<Raw<'_>> = entries.into_iter().map(|(_, v)| v).collect();
        assert_eq!(
            values,
            [
                Raw::Text("x y"),
                Raw::Json(r#""x\"y""#),
                Raw::Json("1"),
                Raw::Json(r#"["z"]"#)
            ]
        );
    }

    fn agree(json: &str) -> usize {
        let slow = read_with(json, ObjectSeed { depth: 1 }).map(|o| o.to_json());
        let fast = read(json).map(|entries| {
            // The text as read is its compact form where it has no white
            // space between entries.
            let built = Object::from_entries(entries).to_json();
            let mut scanned = Object::default();
            scanned.scan_in(|entries| {
                object(json, entries, None)?;
                Some(json.trim_matches([' ', '\t', '\n', '\r']))
            });
            assert_eq!(scanned.to_json(), built, "{json:?}");
            built
        });
        match (&fast, &slow) {
            (Some(fast), Ok(slow)) => assert_eq!(fast, slow, "{json:?}"),
            (None, Err(_)) => {}
            _ => panic!("{json:?}: this reader {fast:?}, serde_json {slow:?}"),
        }
        usize::from(fast.is_some())
    }

    fn agree_array(json: &str) -> usize {
        let slow = serde_json::from_str::<Vec<&RawValue>>(json).map(|items| {
            items
                .iter()
                .map(|r| match Object::parse(r.get()) {
                    Ok(o) => o.to_json(),
                    Err(_) => r.get().to_owned(),
                })
                .collect::<Vec<_>>()
        });
        let mut items = Vec::new();
        let fast = document(json, "", &mut |item| match item {
            Some(Item::Object(object)) => {
                let built = Object::from_entries(object.entries().to_vec()).to_json();
                assert_eq!(object.to_json(), built, "{json:?}");
                items.push(built)
            }
            Some(Item::Other(text)) => items.push(text.to_owned()),
            None => items.clear(),
        })
        .map(|(entries, under)| {
            assert!(entries.is_empty() && under.is_none());
            items
        });
        match (&fast, &slow) {
            (Some(fast), Ok(slow)) => assert_eq!(fast, slow, "{json:?}"),
            (None, Err(_)) => {}
            _ => panic!("{json:?}: this reader {fast:?}, serde_json {slow:?}"),
        }
        usize::from(fast.is_some())
    }

    /// A response's array goes item by item to `each`, started over at a
    /// later key of the same name; the other keys are kept.
    #[test]
    fn documents_stream_the_array_of_their_key() {
        let json =
            r#" {"ok": true, "logs": [{"a": 1}, 2], "x": {"y": []}, "logs": [{"b": "c"}, null]} "#;
        let mut seen = Vec::new();
        let (entries, under) = document(json, "logs", &mut |item| match item {
            Some(Item::Object(object)) => {
                let text = object.text();
                assert!(
                    matches!(text, Some(r#"{"a": 1}"# | r#"{"b": "c"}"#)),
                    "{text:?}"
                );
                seen.push(Object::from_entries(object.entries().to_vec()).to_json())
            }
            Some(Item::Other(text)) => seen.push(text.to_owned()),
            None => seen.clear(),
        })
        .unwrap();
        assert_eq!(seen, [r#"{"b":"c"}"#, "null"]);
        assert_eq!(under, Some(Under::Items));
        assert_eq!(
            Object::from_entries(entries).to_json(),
            r#"{"ok":true,"x":{"y": []}}"#
        );
        let (_, under) = document(r#"{"logs": null}"#, "logs", &mut |_| {}).unwrap();
        assert_eq!(under, Some(Under::Value("null")));
        assert!(document(r#"{"logs": [1,]}"#, "logs", &mut |_| {}).is_none());
    }

    #[test]
    fn gives_up_on_escaped_keys_and_deep_nesting() {
        assert!(read(r#"{"a\"b": 1}"#).is_none());
        assert!(read_with(r#"{"a\"b": 1}"#, ObjectSeed { depth: 1 }).is_ok());
        let deep = format!(
            "{{\"a\": {}{}}}",
            "[".repeat(DEEPEST + 1),
            "]".repeat(DEEPEST + 1)
        );
        assert!(read(&deep).is_none());
        let fine = format!("{{\"a\": {}{}}}", "[".repeat(DEEPEST), "]".repeat(DEEPEST));
        assert!(read(&fine).is_some());
    }
}
