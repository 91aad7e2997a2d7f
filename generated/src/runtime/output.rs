//! One output object per input record, the same shape for every source, and
//! the streaming readers that produce them: what `auditcat parse` writes as
//! NDJSON.
//!
//! Nothing is lost: a record that cannot be parsed still becomes an
//! [`Output`], with its raw text and the violation that says why.

use std::io::{self, BufRead};

use serde_json::{Map, Value};

use super::violation::{Code, Violation};

/// One input record, typed as far as it goes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Output {
    /// 1-based number of the record in the whole input.
    pub record: u64,
    /// 1-based line where it starts, when the input has lines.
    pub line: Option<u64>,
    /// The source id.
    pub source: &'static str,
    /// The catalog's module name (or the text as logged when unknown).
    pub module: Option<String>,
    /// The catalog's action name (or the text as logged when unknown).
    pub action: Option<String>,
    /// The events a record may be when the rules cannot decide.
    pub candidates: Vec<String>,
    /// The case of the action, for actions with several.
    pub case: Option<String>,
    /// The level, where the source has levels.
    pub level: Option<String>,
    /// The result, where the source has results.
    pub result: Option<String>,
    /// When, as RFC 3339 (without an offset when the log gives none).
    pub time: Option<String>,
    /// Who.
    pub user: Option<String>,
    /// The service, where the source has services.
    pub service: Option<String>,
    /// The typed complement or entry fields, keyed by snake_case names.
    pub properties: Map<String, Value>,
    /// The record's original complement or JSON text.
    pub raw: String,
    /// Columns the catalog does not know, as `(header, value)`, kept.
    pub extra: Vec<(String, String)>,
    /// Every violation; empty when the record is valid.
    pub violations: Vec<Violation>,
}

impl Output {
    /// A record that could not be read at all.
    pub fn broken(
        source: &'static str,
        record: u64,
        line: Option<u64>,
        raw: String,
        violation: Violation,
    ) -> Output {
        Output {
            record,
            line,
            source,
            raw,
            violations: vec![violation],
            ..Output::default()
        }
    }

    /// The JSON object written for the record.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Written field by field, in the order of [`Output::to_json`], without
/// building a [`Value`] first (what `auditcat parse` writes).
impl serde::Serialize for Output {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut o = s.serialize_map(None)?;
        o.serialize_entry("record", &self.record)?;
        if let Some(line) = self.line {
            o.serialize_entry("line", &line)?;
        }
        o.serialize_entry("source", self.source)?;
        o.serialize_entry("module", &self.module)?;
        o.serialize_entry("action", &self.action)?;
        if !self.candidates.is_empty() {
            o.serialize_entry("candidates", &self.candidates)?;
        }
        o.serialize_entry("case", &self.case)?;
        o.serialize_entry("level", &self.level)?;
        o.serialize_entry("result", &self.result)?;
        o.serialize_entry("time", &self.time)?;
        o.serialize_entry("user", &self.user)?;
        o.serialize_entry("service", &self.service)?;
        o.serialize_entry("properties", &self.properties)?;
        o.serialize_entry("raw", &self.raw)?;
        if !self.extra.is_empty() {
            o.serialize_entry("extra", &Extra(&self.extra))?;
        }
        o.serialize_entry("violations", &Violations(&self.violations))?;
        o.end()
    }
}

/// Unknown columns as one object: a header that repeats keeps its first
/// place and its last value, as a JSON object built by inserting would.
struct Extra<'a>(&'a [(String, String)]);

impl serde::Serialize for Extra<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut o = s.serialize_map(None)?;
        for (i, (key, _)) in self.0.iter().enumerate() {
            if self.0[..i].iter().any(|(k, _)| k == key) {
                continue;
            }
            let last = self.0[i..].iter().rev().find(|(k, _)| k == key);
            o.serialize_entry(key, &last.map_or("", |(_, v)| v.as_str()))?;
        }
        o.end()
    }
}

/// Violations as `{code, path, message}` objects.
struct Violations<'a>(&'a [Violation]);

impl serde::Serialize for Violations<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut list = s.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            list.serialize_element(&ViolationObject(v))?;
        }
        list.end()
    }
}

struct ViolationObject<'a>(&'a Violation);

impl serde::Serialize for ViolationObject<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut o = s.serialize_map(Some(3))?;
        o.serialize_entry("code", self.0.code.as_str())?;
        o.serialize_entry("path", &self.0.path)?;
        o.serialize_entry("message", &self.0.message)?;
        o.end()
    }
}

/// How a source's input is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// A CSV export with a header row.
    Csv,
    /// JSON documents: one, one per line, or arrays.
    Json,
}

/// Reads an input, streaming, and hands every record to the sink.
pub type ReadFn = fn(&mut dyn BufRead, &mut dyn FnMut(Output)) -> io::Result<()>;

/// A module of a source: its name, its service, its actions' names.
pub type ModuleListing = (&'static str, Option<&'static str>, Vec<&'static str>);

/// A source as the command line sees it.
#[derive(Debug, Clone, Copy)]
pub struct SourceInfo {
    /// The source id (`--source`).
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// How its input is laid out.
    pub format: InputFormat,
    /// Reads an input, streaming, and hands every record to the sink.
    pub read: ReadFn,
    /// The modules and their actions, as `(module, service, actions)`.
    pub catalog: fn() -> Vec<ModuleListing>,
}

/// One JSON document of an input, or why it is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// 1-based line where it starts.
    pub line: u64,
    /// Its text.
    pub text: String,
    /// Why it is not JSON, if it is not.
    pub error: Option<String>,
}

/// Reads JSON documents from a stream: one per line (NDJSON), or one spread
/// over many lines, or both mixed. A document ends at a line that completes
/// it; a line that cannot continue it makes it a broken document, and reading
/// goes on with the next line. Memory holds one document at a time.
pub struct Documents<R> {
    input: R,
    line: u64,
    buf: String,
    start: u64,
    done: bool,
    /// A complete document read right after a broken one.
    pending: Option<Document>,
    /// Where the document being read stands: nesting, strings.
    depth: Depth,
    /// Whether the last complete document stood on one line (NDJSON).
    line_mode: bool,
}

/// A scanner of JSON structure, line by line: whether the text so far closes
/// every object, array and string it opens. It lets the reader parse each
/// document once, however many lines it spans.
#[derive(Debug, Clone, Copy, Default)]
struct Depth {
    depth: i64,
    in_string: bool,
    escape: bool,
    seen: bool,
}

impl Depth {
    fn scan(&mut self, text: &str) {
        for c in text.chars() {
            if self.in_string {
                if self.escape {
                    self.escape = false;
                } else if c == '\\' {
                    self.escape = true;
                } else if c == '"' {
                    self.in_string = false;
                }
                continue;
            }
            match c {
                '"' => {
                    self.in_string = true;
                    self.seen = true;
                }
                '{' | '[' => {
                    self.depth += 1;
                    self.seen = true;
                }
                '}' | ']' => self.depth -= 1,
                c if !c.is_whitespace() => self.seen = true,
                _ => {}
            }
        }
    }

    /// Whether the text so far could be a whole document.
    fn closed(&self) -> bool {
        self.seen && !self.in_string && self.depth <= 0
    }
}

impl<R: BufRead> Documents<R> {
    /// Documents of `input`.
    pub fn new(input: R) -> Self {
        Documents {
            input,
            line: 0,
            buf: String::new(),
            start: 0,
            done: false,
            pending: None,
            depth: Depth::default(),
            line_mode: false,
        }
    }

    fn take(&mut self, error: Option<String>) -> Document {
        let text = std::mem::take(&mut self.buf);
        Document {
            line: self.start,
            text: text.trim_end().to_owned(),
            error,
        }
    }
}

impl<R: BufRead> Iterator for Documents<R> {
    type Item = io::Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(doc) = self.pending.take() {
            return Some(Ok(doc));
        }
        let mut bytes = Vec::new();
        while !self.done {
            bytes.clear();
            match self.input.read_until(b'\n', &mut bytes) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(io::Error::new(
                        e.kind(),
                        format!("line {}: {e}", self.line + 1),
                    )));
                }
            }
            self.line += 1;
            let line = match String::from_utf8(std::mem::take(&mut bytes)) {
                Ok(line) => line,
                Err(e) => {
                    // A line that is not UTF-8 is a broken document of its
                    // own; what came before it is finished or broken too.
                    let text = String::from_utf8_lossy(e.as_bytes()).trim_end().to_owned();
                    let bad = Document {
                        line: self.line,
                        text,
                        error: Some(
                            "the line is not UTF-8 (is the file in another encoding?)".to_owned(),
                        ),
                    };
                    if self.buf.trim().is_empty() {
                        self.buf.clear();
                        return Some(Ok(bad));
                    }
                    let before = self.take(Some(
                        "invalid JSON: the document is not complete".to_owned(),
                    ));
                    self.pending = Some(bad);
                    return Some(Ok(before));
                }
            };
            let text = if self.line == 1 {
                line.strip_prefix('\u{feff}').unwrap_or(&line)
            } else {
                &line
            };
            if self.buf.is_empty() {
                if text.trim().is_empty() {
                    continue;
                }
                self.start = self.line;
                self.depth = Depth::default();
            }
            let end = text.trim_end();
            // In a file of one document per line, a line that is a whole
            // document after an unfinished one: the unfinished one is broken,
            // this one is not. (A document spread over lines may hold lines
            // that parse alone, so this holds only once lines were documents.)
            if !self.buf.is_empty()
                && self.line_mode
                && serde_json::from_str::<serde::de::IgnoredAny>(end).is_ok()
            {
                let broken = self.take(Some(
                    "invalid JSON: the document is not complete".to_owned(),
                ));
                self.pending = Some(Document {
                    line: self.line,
                    text: end.to_owned(),
                    error: None,
                });
                return Some(Ok(broken));
            }
            self.buf.push_str(text);
            self.depth.scan(text);
            if !self.depth.closed() {
                continue;
            }
            let one_line = self.start == self.line;
            match serde_json::from_str::<serde::de::IgnoredAny>(&self.buf) {
                Ok(_) => {
                    self.line_mode = one_line;
                    return Some(Ok(self.take(None)));
                }
                Err(e) if e.is_eof() => continue,
                Err(e) => {
                    self.line_mode = one_line;
                    return Some(Ok(self.take(Some(format!("invalid JSON: {e}")))));
                }
            }
        }
        if self.buf.trim().is_empty() {
            return None;
        }
        let error = serde_json::from_str::<serde::de::IgnoredAny>(&self.buf)
            .err()
            .map(|e| format!("invalid JSON (the input ends inside it): {e}"));
        Some(Ok(self.take(error)))
    }
}

/// Numbers the records of one input and hands them on.
pub struct Sink<'a> {
    source: &'static str,
    record: u64,
    out: &'a mut dyn FnMut(Output),
}

impl Sink<'_> {
    /// Hands on the next record, built from its number.
    pub fn emit(&mut self, record: impl FnOnce(u64) -> Output) {
        self.record += 1;
        (self.out)(record(self.record));
    }

    /// Hands on a record that could not be read at all.
    pub fn broken(&mut self, line: u64, raw: String, violation: Violation) {
        let source = self.source;
        self.emit(|record| Output::broken(source, record, Some(line), raw, violation));
    }
}

/// Reads the JSON documents of `input`, streaming: a document that is not
/// JSON becomes a broken record with its text; every other one is handed to
/// `each`, which emits its records through the [`Sink`].
pub fn read_json_documents(
    source: &'static str,
    input: &mut dyn BufRead,
    out: &mut dyn FnMut(Output),
    mut each: impl FnMut(Document, &mut Sink<'_>),
) -> io::Result<()> {
    let mut sink = Sink {
        source,
        record: 0,
        out,
    };
    for doc in Documents::new(input) {
        let doc = doc?;
        match &doc.error {
            Some(error) => {
                let violation = not_json(error);
                sink.broken(doc.line, doc.text, violation);
            }
            None => each(doc, &mut sink),
        }
    }
    Ok(())
}

/// The violation of a document that is not JSON.
pub fn not_json(message: &str) -> Violation {
    Violation::new(Code::RecordMalformed, "", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<(u64, bool)> {
        Documents::new(text.as_bytes())
            .map(|d| {
                let d = d.unwrap();
                (d.line, d.error.is_none())
            })
            .collect()
    }

    #[test]
    fn documents_one_per_line_or_spread() {
        assert_eq!(docs("{\"a\":1}\n{\"b\":2}\n"), [(1, true), (2, true)]);
        assert_eq!(
            docs("{\n  \"a\": [1,\n 2]\n}\n\n{\"b\":2}"),
            [(1, true), (6, true)]
        );
        assert_eq!(
            docs("{\"a\":1}\n{\"b\":\n{\"c\":3}\n"),
            [(1, true), (2, false), (3, true)]
        );
        assert_eq!(
            docs("{\"a\":1}\nnot json\n{\"c\":3}"),
            [(1, true), (2, false), (3, true)]
        );
        assert_eq!(docs("{\"a\": [1, 2"), [(1, false)]);
        assert_eq!(docs(""), []);
        assert_eq!(docs("\u{feff}[1]\n"), [(1, true)]);
        let mut bytes = b"{\"a\":1}\n".to_vec();
        bytes.extend_from_slice(b"\xff\xfe garbage\n{\"c\":3}\n");
        let lines: Vec<(u64, bool)> = Documents::new(&bytes[..])
            .map(|d| {
                let d = d.unwrap();
                (d.line, d.error.is_none())
            })
            .collect();
        assert_eq!(lines, [(1, true), (2, false), (3, true)]);
    }

    #[test]
    fn outputs_serialize_every_field() {
        let o = Output::broken("slack", 3, Some(7), "{".into(), not_json("invalid JSON"));
        let v = o.to_json();
        assert_eq!(v["record"], 3);
        assert_eq!(v["line"], 7);
        assert_eq!(v["violations"][0]["code"], "record_malformed");
        assert_eq!(v["properties"], Value::Object(Map::new()));
    }

    #[test]
    fn written_in_a_fixed_order_with_repeated_headers_merged() {
        let mut o = Output::broken("kintone", 1, None, "x".into(), not_json("bad"));
        o.module = Some("App".into());
        o.candidates = vec!["a".into(), "b".into()];
        o.extra = vec![
            ("Note".into(), "1".into()),
            ("Other".into(), "2".into()),
            ("Note".into(), "3".into()),
        ];
        let text = serde_json::to_string(&o).unwrap();
        assert_eq!(
            text,
            r#"{"record":1,"source":"kintone","module":"App","action":null,"candidates":["a","b"],"case":null,"level":null,"result":null,"time":null,"user":null,"service":null,"properties":{},"raw":"x","extra":{"Note":"3","Other":"2"},"violations":[{"code":"record_malformed","path":"","message":"bad"}]}"#
        );
        assert_eq!(o.to_json().to_string(), text);
    }
}
