//! A streaming reader of CSV exports whose header row names the columns.
//!
//! The cybozu.com audit-log export does not publish its header names, their
//! order or its date format, so this reader is driven by the header row: the
//! caller passes a table of the [`Column`]s it knows, each with every header
//! text it may appear under (English and Japanese), and the reader maps the
//! file's header row onto that table. Columns the caller does not know are
//! kept ([`Row::extra`]); known columns the file lacks are reported
//! ([`CsvReader::missing`]).
//!
//! The reader streams: it holds one record at a time (in one buffer, which
//! grows only for a record longer than it), never the whole input. Records
//! and fields are split as the `csv` crate splits them by default; a leading
//! UTF-8 byte order mark is skipped. Each [`Row`] carries its record number
//! and the line on which it starts; lines are counted by line feeds, so `\n`
//! and `\r\n` endings both count, and a quoted field that spans lines makes
//! line and record numbers differ. A row that cannot be read (invalid UTF-8,
//! or cut off by the end of the input inside a quoted field) is reported as
//! a [`CsvError`] and reading goes on with the next row; an I/O error is
//! reported once and ends the iteration.

use std::fmt;
use std::io::Read;
use std::ops::Range;

mod split;

use split::Splitter;

/// A column the caller knows, with every header text it may appear under.
///
/// A header matches the column when, after trimming white space and byte
/// order marks, it equals `name` or one of `labels` ignoring ASCII case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The caller's name of the column (also accepted as header text).
    pub name: &'static str,
    /// The header texts the column may appear under, e.g. `"Level"`, `"レベル"`.
    pub labels: &'static [&'static str],
}

impl Column {
    /// Whether a (normalized) header text names this column.
    fn matches(&self, header: &str) -> bool {
        !header.is_empty()
            && (normalize(self.name).eq_ignore_ascii_case(header)
                || self
                    .labels
                    .iter()
                    .any(|label| normalize(label).eq_ignore_ascii_case(header)))
    }
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// 1-based number of the record (data rows only, the header is not counted).
    pub record: u64,
    /// 1-based line in the file where the record starts (the header is line 1;
    /// multi-line quoted fields make lines and records differ).
    pub line: u64,
    /// Value of each known column, by index into `columns`; `None` when the
    /// header lacks the column or the row is short.
    pub values: Vec<Option<String>>,
    /// Columns the caller does not know, as (header, value), in file order.
    ///
    /// Fields beyond the end of the header row (a ragged row) are kept here
    /// too, under an empty header.
    pub extra: Vec<(String, String)>,
    /// Whether the row had fewer or more fields than the header (values are
    /// still filled as far as they go).
    pub ragged: bool,
}

/// A row or header that cannot be read, with where (record, line) and why.
///
/// Reading goes on after an error in one row: the next call to `next()`
/// returns the following row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    /// 1-based number of the data record concerned; `None` for the header row.
    pub record: Option<u64>,
    /// 1-based line where the record (or header) starts, when known.
    pub line: Option<u64>,
    /// What is wrong.
    pub message: String,
    /// The record's fields as read (invalid UTF-8 replaced), joined by `,`,
    /// when there is a record to show.
    pub raw: Option<String>,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.record, self.line) {
            (Some(record), Some(line)) => write!(f, "record {record} (line {line}): ")?,
            (Some(record), None) => write!(f, "record {record}: ")?,
            (None, Some(line)) => write!(f, "line {line}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CsvError {}

/// Reads records of a CSV export whose header row names the columns.
///
/// Create it with [`CsvReader::new`], then iterate: each item is a [`Row`] or
/// a [`CsvError`] for a row that could not be read.
pub struct CsvReader<R: Read> {
    rdr: Splitter<R>,
    headers: Vec<String>,
    /// For each header (file order), the index of the known column it names.
    map: Vec<Option<usize>>,
    /// Whether every header names a known column: then a row no longer than
    /// the header has no extra fields.
    all_known: bool,
    missing: Vec<usize>,
    /// For each known column, the index of the field that holds it.
    at: Vec<Option<usize>>,
    /// Data records read so far.
    record: u64,
    /// Set once the input is exhausted or an I/O error was reported.
    done: bool,
}

impl<R: Read> fmt::Debug for CsvReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvReader")
            .field("headers", &self.headers)
            .field("map", &self.map)
            .field("missing", &self.missing)
            .field("record", &self.record)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<R: Read> CsvReader<R> {
    /// Reads the header row and maps it onto `columns` (header text compared
    /// after trimming white space and a BOM, ASCII case-insensitively, against
    /// each column's `name` and `labels`).
    ///
    /// # Errors
    ///
    /// Empty input (no header row), a header row that matches none of the
    /// columns, invalid UTF-8 in the header, a duplicate mapping (two headers
    /// for one column), or an I/O error while reading the header.
    pub fn new(input: R, columns: &'static [Column]) -> Result<Self, CsvError> {
        let mut reader = CsvReader {
            rdr: Splitter::new(input),
            headers: Vec::new(),
            map: Vec::new(),
            all_known: false,
            missing: Vec::new(),
            at: Vec::new(),
            record: 0,
            done: false,
        };
        let header_error = |line: Option<u64>, message: String| CsvError {
            record: None,
            line,
            message,
            raw: None,
        };
        match reader.rdr.next_record() {
            Ok(true) => {}
            Ok(false) => {
                return Err(header_error(
                    None,
                    "the input is empty: no header row".to_owned(),
                ))
            }
            Err(err) => {
                return Err(header_error(
                    None,
                    format!("cannot read the header row: {err}"),
                ))
            }
        }
        let line = reader.rdr.record_line();
        let mut headers = Vec::new();
        for (i, field) in reader.fields().enumerate() {
            match std::str::from_utf8(field) {
                Ok(text) => headers.push(text.to_owned()),
                Err(err) => {
                    return Err(header_error(
                        Some(line),
                        format!(
                            "header field {} is not valid UTF-8 (byte {}); \
                             the export must be CSV UTF-8",
                            i + 1,
                            err.valid_up_to()
                        ),
                    ))
                }
            }
        }
        reader.headers = headers;
        // Which header names which known column.
        let mut seen: Vec<Option<usize>> = vec![None; columns.len()];
        for (i, header) in reader.headers.iter().enumerate() {
            let text = normalize(header);
            let column = columns.iter().position(|c| c.matches(text));
            if let Some(c) = column {
                if let Some(first) = seen[c] {
                    return Err(header_error(
                        Some(line),
                        format!(
                            "headers {} ({:?}) and {} ({:?}) both name column {:?}",
                            first + 1,
                            shorten(&reader.headers[first]),
                            i + 1,
                            shorten(header),
                            columns[c].name
                        ),
                    ));
                }
                seen[c] = Some(i);
            }
            reader.map.push(column);
        }
        if reader.map.iter().all(Option::is_none) {
            let mut found: Vec<String> = reader
                .headers
                .iter()
                .take(8)
                .map(|h| format!("{:?}", shorten(h)))
                .collect();
            if reader.headers.len() > 8 {
                found.push("...".to_owned());
            }
            return Err(header_error(
                Some(line),
                format!(
                    "the header row names none of the known columns (found {})",
                    found.join(", ")
                ),
            ));
        }
        reader.all_known = reader.map.iter().all(Option::is_some);
        reader.missing = (0..columns.len()).filter(|&c| seen[c].is_none()).collect();
        reader.at = seen;
        Ok(reader)
    }

    /// Which known columns the header lacks (for a clear violation later), by
    /// column index into `columns`.
    pub fn missing(&self) -> &[usize] {
        &self.missing
    }

    /// The header row as read (all headers, in file order; a leading byte
    /// order mark removed, otherwise untrimmed).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The fields of the record just read, as they are (not yet checked to
    /// be UTF-8).
    fn fields(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let record = self.rdr.record();
        self.rdr.fields().iter().map(|r| &record[r.clone()])
    }

    /// The record just read as text, invalid UTF-8 replaced.
    fn lossy(&self) -> String {
        self.fields()
            .map(String::from_utf8_lossy)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the next data row, borrowed until the next call: the fast way
    /// to read, which allocates nothing once the buffer has grown (the
    /// [`Iterator`] copies every field into a [`Row`]).
    ///
    /// `None` at the end of the input or after an I/O error; an error for a
    /// row that cannot be read, after which reading goes on.
    pub fn next_row(&mut self) -> Option<Result<RowRef<'_>, CsvError>> {
        if self.done {
            return None;
        }
        match self.rdr.next_record() {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                return None;
            }
            Err(err) => {
                // The input cannot be trusted after an I/O error.
                self.done = true;
                return Some(Err(CsvError {
                    record: Some(self.record + 1),
                    line: Some(self.rdr.line()),
                    raw: None,
                    message: format!("cannot read the input: {err}"),
                }));
            }
        }
        self.record += 1;
        let (record, line) = (self.record, self.rdr.record_line());
        if self.rdr.cut_off() {
            return Some(Err(CsvError {
                record: Some(record),
                line: Some(line),
                message: "the input ends inside a quoted field: the record is cut off".to_owned(),
                raw: Some(self.lossy()),
            }));
        }
        // One check of the whole record: the bytes between its fields are
        // ASCII, so it is UTF-8 exactly when every field is. The per-field
        // loop only finds the field to blame. simdutf8 checks a row of the
        // bench's CSV in about 100 instructions fewer than std.
        let Ok(text) = simdutf8::basic::from_utf8(self.rdr.record()) else {
            return Some(Err(self.not_utf8(record, line)));
        };
        let fields = self.rdr.fields();
        Some(Ok(RowRef {
            record,
            line,
            ragged: fields.len() != self.headers.len(),
            extras_possible: !self.all_known || fields.len() > self.map.len(),
            text,
            fields,
            at: &self.at,
            map: &self.map,
            headers: &self.headers,
        }))
    }

    /// The error of the record just read, which is not UTF-8: the first
    /// field that is not, and where.
    fn not_utf8(&self, record: u64, line: u64) -> CsvError {
        let (field, byte) = self
            .fields()
            .enumerate()
            .find_map(|(i, field)| {
                std::str::from_utf8(field)
                    .err()
                    .map(|e| (i, e.valid_up_to()))
            })
            .unwrap_or_default();
        let header = self.headers.get(field).map_or("", String::as_str);
        CsvError {
            record: Some(record),
            line: Some(line),
            message: format!(
                "field {} ({:?}) is not valid UTF-8 (byte {byte})",
                field + 1,
                shorten(header),
            ),
            raw: Some(self.lossy()),
        }
    }
}

/// One data row, borrowed from its [`CsvReader`] until the next is read.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'r> {
    /// 1-based number of the record (data rows only, the header is not counted).
    pub record: u64,
    /// 1-based line in the file where the record starts.
    pub line: u64,
    /// Whether the row had fewer or more fields than the header.
    pub ragged: bool,
    /// Whether the row may have fields of no known column.
    extras_possible: bool,
    /// The whole record, checked to be UTF-8 when the row was read.
    text: &'r str,
    /// Where each field lies in `text`.
    fields: &'r [Range<usize>],
    at: &'r [Option<usize>],
    map: &'r [Option<usize>],
    headers: &'r [String],
}

impl<'r> RowRef<'r> {
    /// The value of a known column (by index into the reader's `columns`);
    /// `None` when the header lacks the column or the row is short.
    pub fn value(&self, column: usize) -> Option<&'r str> {
        self.at
            .get(column)
            .copied()
            .flatten()
            .and_then(|i| self.field(i))
    }

    /// Field `i` in file order.
    fn field(&self, i: usize) -> Option<&'r str> {
        self.fields.get(i).and_then(|r| self.text.get(r.clone()))
    }

    /// Columns the caller does not know, as (header, value), in file order;
    /// fields beyond the end of the header row come under an empty header.
    pub fn extra(&self) -> Vec<(String, String)> {
        if !self.extras_possible {
            return Vec::new();
        }
        (0..self.fields.len())
            .filter(|i| !matches!(self.map.get(*i), Some(Some(_))))
            .map(|i| {
                let header = self.headers.get(i).map_or("", String::as_str);
                let value = self.field(i).unwrap_or_default();
                (header.to_owned(), value.to_owned())
            })
            .collect()
    }

    /// The row, owned.
    pub fn to_row(&self) -> Row {
        Row {
            record: self.record,
            line: self.line,
            values: (0..self.at.len())
                .map(|c| self.value(c).map(str::to_owned))
                .collect(),
            extra: self.extra(),
            ragged: self.ragged,
        }
    }
}

impl<R: Read> Iterator for CsvReader<R> {
    type Item = Result<Row, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_row()?.map(|row| row.to_row()))
    }
}

/// Header text as compared: without surrounding white space and BOMs.
fn normalize(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// At most 40 characters of a text, for messages.
fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let mut short: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        short.push_str("...");
    }
    short
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::split::BUFFER;
    use super::*;

    static COLUMNS: &[Column] = &[
        Column {
            name: "date",
            labels: &["Date", "Date and time", "日時"],
        },
        Column {
            name: "user",
            labels: &["User", "ユーザー"],
        },
        Column {
            name: "service",
            labels: &["Service", "サービス"],
        },
        Column {
            name: "level",
            labels: &["Level", "レベル"],
        },
        Column {
            name: "module",
            labels: &["Module", "モジュール"],
        },
        Column {
            name: "action",
            labels: &["Action", "アクション"],
        },
        Column {
            name: "result",
            labels: &["Result", "結果"],
        },
        Column {
            name: "complement",
            labels: &["Complement", "補足"],
        },
    ];

    const DATE: usize = 0;
    const USER: usize = 1;
    const SERVICE: usize = 2;
    const LEVEL: usize = 3;
    const MODULE: usize = 4;
    const ACTION: usize = 5;
    const RESULT: usize = 6;
    const COMPLEMENT: usize = 7;

    const EN_HEADER: &str = "Date and time,User,Service,Level,Module,Action,Result,Complement";

    fn reader(input: &[u8]) -> CsvReader<&[u8]> {
        CsvReader::new(input, COLUMNS).expect("header accepted")
    }

    fn rows(input: &[u8]) -> Vec<Result<Row, CsvError>> {
        reader(input).collect()
    }

    fn ok_rows(input: &[u8]) -> Vec<Row> {
        rows(input)
            .into_iter()
            .map(|r| r.expect("row read"))
            .collect()
    }

    fn value(row: &Row, column: usize) -> Option<&str> {
        row.values[column].as_deref()
    }

    /// A reader handing out its input in chunks of the given sizes (cycled),
    /// sometimes interrupted.
    struct Chunked<'a> {
        data: &'a [u8],
        sizes: &'a [usize],
        turn: usize,
        interrupt: bool,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.turn += 1;
            if self.interrupt && self.turn % 3 == 0 {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "again"));
            }
            let size = self.sizes[self.turn % self.sizes.len()].max(1);
            let n = size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// A reader that fails after handing out its data.
    struct Failing<'a> {
        data: &'a [u8],
    }

    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.data.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "unexpected end of gzip stream",
                ));
            }
            let n = buf.len().min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn english_headers() {
        let input = format!(
            "{EN_HEADER}\n\
             2026-11-20 09:15:02,alice,kintone,Information,App management,App update,SUCCESS,app id: 3\n\
             2026/11/20 09:16:00,nobody,Common,Notice,Login,login,FAILED,\n"
        );
        let mut rdr = reader(input.as_bytes());
        assert!(rdr.missing().is_empty());
        assert_eq!(rdr.headers().len(), 8);
        assert_eq!(rdr.headers()[0], "Date and time");
        let first = rdr.next().unwrap().unwrap();
        assert_eq!(first.record, 1);
        assert_eq!(first.line, 2);
        assert_eq!(value(&first, DATE), Some("2026-11-20 09:15:02"));
        assert_eq!(value(&first, USER), Some("alice"));
        assert_eq!(value(&first, SERVICE), Some("kintone"));
        assert_eq!(value(&first, LEVEL), Some("Information"));
        assert_eq!(value(&first, MODULE), Some("App management"));
        assert_eq!(value(&first, ACTION), Some("App update"));
        assert_eq!(value(&first, RESULT), Some("SUCCESS"));
        assert_eq!(value(&first, COMPLEMENT), Some("app id: 3"));
        assert!(first.extra.is_empty());
        assert!(!first.ragged);
        let second = rdr.next().unwrap().unwrap();
        assert_eq!((second.record, second.line), (2, 3));
        assert_eq!(value(&second, COMPLEMENT), Some(""));
        assert_eq!(value(&second, LEVEL), Some("Notice"));
        assert!(rdr.next().is_none());
        assert!(rdr.next().is_none());
    }

    #[test]
    fn japanese_headers() {
        let input = "日時,ユーザー,サービス,レベル,モジュール,アクション,結果,補足\n\
                     2026-11-20 09:15:02,山田,kintone,重要,アプリ管理,App update,SUCCESS,アプリID: 3\n";
        let mut rdr = reader(input.as_bytes());
        assert!(rdr.missing().is_empty());
        let row = rdr.next().unwrap().unwrap();
        assert_eq!(value(&row, USER), Some("山田"));
        assert_eq!(value(&row, LEVEL), Some("重要"));
        assert_eq!(value(&row, MODULE), Some("アプリ管理"));
        assert_eq!(value(&row, COMPLEMENT), Some("アプリID: 3"));
        assert!(rdr.next().is_none());
    }

    #[test]
    fn header_matching_is_trimmed_and_ascii_case_insensitive() {
        let input = " LEVEL ,\tuser,\u{3000}結果\u{3000},COMPLEMENT\nNotice,bob,SUCCESS,x\n";
        let mut rdr = reader(input.as_bytes());
        assert_eq!(rdr.headers()[0], " LEVEL ");
        assert_eq!(rdr.missing(), &[DATE, SERVICE, MODULE, ACTION]);
        let row = rdr.next().unwrap().unwrap();
        assert_eq!(value(&row, LEVEL), Some("Notice"));
        assert_eq!(value(&row, USER), Some("bob"));
        assert_eq!(value(&row, RESULT), Some("SUCCESS"));
        assert_eq!(value(&row, DATE), None);
    }

    #[test]
    fn reordered_headers() {
        let input = "Complement,Result,Action,Module,Level,Service,User,Date\n\
                     c,r,a,m,l,s,u,d\n";
        let row = &ok_rows(input.as_bytes())[0];
        assert_eq!(
            row.values,
            ["d", "u", "s", "l", "m", "a", "r", "c"]
                .iter()
                .map(|v| Some(v.to_string()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn unknown_column_kept_in_file_order() {
        let input = "Date,IP address,User,Service,Level,Module,Action,Result,Complement,Browser\n\
                     d,192.0.2.1,u,s,l,m,a,r,c,Firefox\n";
        let mut rdr = reader(input.as_bytes());
        assert!(rdr.missing().is_empty());
        assert_eq!(rdr.headers()[1], "IP address");
        let row = rdr.next().unwrap().unwrap();
        assert_eq!(
            row.extra,
            vec![
                ("IP address".to_owned(), "192.0.2.1".to_owned()),
                ("Browser".to_owned(), "Firefox".to_owned()),
            ]
        );
        assert_eq!(value(&row, USER), Some("u"));
        assert_eq!(value(&row, COMPLEMENT), Some("c"));
        assert!(!row.ragged);
    }

    #[test]
    fn missing_column_reported() {
        let input = "Date,User,Level,Module,Action,Result\nd,u,l,m,a,r\n";
        let mut rdr = reader(input.as_bytes());
        assert_eq!(rdr.missing(), &[SERVICE, COMPLEMENT]);
        let row = rdr.next().unwrap().unwrap();
        assert_eq!(value(&row, SERVICE), None);
        assert_eq!(value(&row, COMPLEMENT), None);
        assert_eq!(value(&row, RESULT), Some("r"));
        assert!(!row.ragged);
    }

    #[test]
    fn bom_is_skipped() {
        let input = format!("\u{feff}{EN_HEADER}\nd,u,s,l,m,a,r,c\n");
        let mut rdr = reader(input.as_bytes());
        assert_eq!(rdr.headers()[0], "Date and time");
        assert!(rdr.missing().is_empty());
        let row = rdr.next().unwrap().unwrap();
        assert_eq!((row.record, row.line), (1, 2));
        assert_eq!(value(&row, DATE), Some("d"));
    }

    #[test]
    fn bom_before_a_quoted_header() {
        let input = "\u{feff}\"Level\",\"User\"\nNotice,\"a,b\"\n";
        let mut rdr = reader(input.as_bytes());
        assert_eq!(rdr.headers(), &["Level", "User"]);
        let row = rdr.next().unwrap().unwrap();
        assert_eq!(value(&row, USER), Some("a,b"));
    }

    #[test]
    fn bom_only_and_bom_read_byte_by_byte() {
        assert!(CsvReader::new(&b"\xEF\xBB\xBF"[..], COLUMNS).is_err());
        let input = "\u{feff}Level\nNotice\n".as_bytes();
        let chunked = Chunked {
            data: input,
            sizes: &[1],
            turn: 0,
            interrupt: true,
        };
        let mut rdr = CsvReader::new(chunked, COLUMNS).unwrap();
        assert_eq!(rdr.headers(), &["Level"]);
        let row = rdr.next().unwrap().unwrap();
        assert_eq!((row.line, value(&row, LEVEL)), (2, Some("Notice")));
    }

    #[test]
    fn crlf() {
        let input = format!("{EN_HEADER}\r\nd1,u,s,l,m,a,r,c\r\nd2,u,s,l,m,a,r,c\r\n");
        let rows = ok_rows(input.as_bytes());
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].record, rows[0].line), (1, 2));
        assert_eq!((rows[1].record, rows[1].line), (2, 3));
        assert_eq!(value(&rows[0], COMPLEMENT), Some("c"));
        assert_eq!(value(&rows[1], DATE), Some("d2"));
        assert!(!rows[0].ragged);
    }

    #[test]
    fn quoted_fields_with_commas_newlines_and_quotes() {
        let input = "Level,User,Complement\r\n\
                     Notice,alice,\"app name: Sales, East: 2026\"\r\n\
                     Notice,bob,\"line one\r\nline two\nline \"\"three\"\"\"\r\n\
                     Information,\"carol\",plain\r\n\
                     \r\n\
                     \n\
                     Notice,dave,\"\"\n\
                     Notice,erin,last";
        let rows = ok_rows(input.as_bytes());
        let got: Vec<(u64, u64)> = rows.iter().map(|r| (r.record, r.line)).collect();
        assert_eq!(got, vec![(1, 2), (2, 3), (3, 6), (4, 9), (5, 10)]);
        assert_eq!(
            value(&rows[0], COMPLEMENT),
            Some("app name: Sales, East: 2026")
        );
        assert_eq!(
            value(&rows[1], COMPLEMENT),
            Some("line one\r\nline two\nline \"three\"")
        );
        assert_eq!(value(&rows[2], USER), Some("carol"));
        assert_eq!(value(&rows[3], COMPLEMENT), Some(""));
        assert_eq!(value(&rows[4], COMPLEMENT), Some("last"));
        assert!(rows.iter().all(|r| !r.ragged));
    }

    #[test]
    fn blank_lines_before_the_header_and_rows() {
        let input = "\n\r\nLevel,User\n\n\nNotice,a\r\n\r\nNotice,b\n";
        let rows = ok_rows(input.as_bytes());
        let got: Vec<(u64, u64)> = rows.iter().map(|r| (r.record, r.line)).collect();
        assert_eq!(got, vec![(1, 6), (2, 8)]);
    }

    #[test]
    fn header_error_names_its_line() {
        let err = CsvReader::new(&b"\n\nfoo,bar\n"[..], COLUMNS).unwrap_err();
        assert_eq!((err.record, err.line), (None, Some(3)));
    }

    #[test]
    fn ragged_rows() {
        let input = "Level,User,Result\nNotice,alice\nNotice,bob,SUCCESS,surplus,more\nInformation,carol,FAILED\n";
        let rows = ok_rows(input.as_bytes());
        assert!(rows[0].ragged);
        assert_eq!(value(&rows[0], LEVEL), Some("Notice"));
        assert_eq!(value(&rows[0], USER), Some("alice"));
        assert_eq!(value(&rows[0], RESULT), None);
        assert!(rows[1].ragged);
        assert_eq!(value(&rows[1], RESULT), Some("SUCCESS"));
        assert_eq!(
            rows[1].extra,
            vec![
                (String::new(), "surplus".to_owned()),
                (String::new(), "more".to_owned())
            ]
        );
        assert!(!rows[2].ragged);
        assert_eq!(value(&rows[2], USER), Some("carol"));
    }

    #[test]
    fn invalid_utf8_row_then_reading_goes_on() {
        let mut input = b"Level,User\nNotice,alice\n".to_vec();
        input.extend_from_slice(b"Notice,\"b\nob\x82\xA0\"\n");
        input.extend_from_slice(b"Information,carol\n");
        let got = rows(&input);
        assert_eq!(got.len(), 3);
        assert_eq!(value(got[0].as_ref().unwrap(), USER), Some("alice"));
        let err = got[1].as_ref().unwrap_err();
        assert_eq!((err.record, err.line), (Some(2), Some(3)));
        assert!(err.message.contains("field 2"), "{}", err.message);
        assert!(err.message.contains("UTF-8"), "{}", err.message);
        assert!(err.to_string().starts_with("record 2 (line 3): "), "{err}");
        let third = got[2].as_ref().unwrap();
        assert_eq!((third.record, third.line), (3, 5));
        assert_eq!(value(third, USER), Some("carol"));
    }

    /// The record's check reads long records in blocks: a bad byte at any
    /// offset of a long field, or a character cut by a block's end, is
    /// found, and the same bytes without it read as std reads them.
    #[test]
    fn long_records_are_checked_at_every_offset() {
        let good = "売上 East, 2026 ".repeat(12);
        for bad in [
            &b"\x82"[..],
            b"\xE3\x81",
            b"\xF0\x9F\x98",
            b"\xED\xA0\x80",
            b"\xC0\xAF",
        ] {
            for at in 0..=good.len() {
                if !good.is_char_boundary(at) {
                    continue;
                }
                let mut field = good.as_bytes()[..at].to_vec();
                field.extend_from_slice(bad);
                field.extend_from_slice(&good.as_bytes()[at..]);
                let mut input = b"Level,User\nNotice,\"".to_vec();
                input.extend_from_slice(&field);
                input.extend_from_slice(b"\"\nNotice,\"");
                input.extend_from_slice(good.as_bytes());
                input.extend_from_slice(b"\"\n");
                let got = rows(&input);
                let err = got[0].as_ref().unwrap_err();
                assert!(err.message.contains("field 2"), "{at}: {}", err.message);
                let byte = std::str::from_utf8(&field).unwrap_err().valid_up_to();
                assert!(
                    err.message.contains(&format!("(byte {byte})")),
                    "{at}: {}",
                    err.message
                );
                assert_eq!(value(got[1].as_ref().unwrap(), USER), Some(good.as_str()));
            }
        }
    }

    /// A character split by a comma is valid UTF-8 once the fields are
    /// joined, but neither field is: the row is an error all the same.
    #[test]
    fn a_character_split_across_fields_is_invalid() {
        let input = b"Level,User\nNotice\xE3,\x81\x82b\nNotice,\xE3\x81\x82\n";
        let got = rows(input);
        let err = got[0].as_ref().unwrap_err();
        assert!(err.message.contains("field 1"), "{}", err.message);
        assert!(err.message.contains("byte 6"), "{}", err.message);
        assert_eq!(value(got[1].as_ref().unwrap(), USER), Some("あ"));
    }

    #[test]
    fn invalid_utf8_header() {
        // "レベル" in Shift-JIS.
        let err = CsvReader::new(&b"\x83\x8C\x83x\x83\x8B,User\nx,y\n"[..], COLUMNS).unwrap_err();
        assert_eq!((err.record, err.line), (None, Some(1)));
        assert!(err.message.contains("UTF-8"), "{}", err.message);
    }

    #[test]
    fn empty_input() {
        for input in [&b""[..], b"\n", b"\r\n\r\n"] {
            let err = CsvReader::new(input, COLUMNS).unwrap_err();
            assert!(err.message.contains("empty"), "{}", err.message);
            assert_eq!((err.record, err.line), (None, None));
            assert_eq!(err.to_string(), err.message);
        }
    }

    #[test]
    fn header_only() {
        let mut rdr = reader(EN_HEADER.as_bytes());
        assert!(rdr.next().is_none());
    }

    #[test]
    fn header_matching_nothing() {
        let err = CsvReader::new(&b"foo,bar\n1,2\n"[..], COLUMNS).unwrap_err();
        assert!(err.message.contains("\"foo\""), "{}", err.message);
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn duplicate_mapping() {
        let err = CsvReader::new("Level,User,レベル\n".as_bytes(), COLUMNS).unwrap_err();
        assert!(err.message.contains("\"level\""), "{}", err.message);
        assert!(err.message.contains("headers 1"), "{}", err.message);
        let err = CsvReader::new(&b"User,user\n"[..], COLUMNS).unwrap_err();
        assert!(err.message.contains("\"user\""), "{}", err.message);
    }

    #[test]
    fn duplicate_unknown_headers_are_kept() {
        let rows = ok_rows(b"Level,x,x,\nNotice,1,2,3\n");
        assert_eq!(
            rows[0].extra,
            vec![
                ("x".to_owned(), "1".to_owned()),
                ("x".to_owned(), "2".to_owned()),
                (String::new(), "3".to_owned())
            ]
        );
        assert!(!rows[0].ragged);
    }

    #[test]
    fn garbage_input() {
        let mut garbage = Vec::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            garbage.push(seed as u8);
        }
        // Random bytes: the header is not UTF-8 or names no column.
        assert!(CsvReader::new(&garbage[..], COLUMNS).is_err());
        // A valid header followed by garbage, NUL bytes and binary.
        let mut input = b"Level,User\n".to_vec();
        input.extend_from_slice(&garbage);
        input.extend_from_slice(b"\0\0\0,\0\n\0");
        let mut count = 0;
        let mut last_line = 1;
        let whole: Vec<_> = reader(&input).collect();
        for item in &whole {
            count += 1;
            let (record, line) = match item {
                Ok(row) => (row.record, row.line),
                Err(err) => (err.record.unwrap(), err.line.unwrap()),
            };
            assert_eq!(record, count);
            // Records ended by a lone carriage return stay on one line.
            assert!(line >= last_line);
            last_line = line;
        }
        assert!(count > 0);
        // Read in small chunks, the same rows on the same lines.
        let chunked = Chunked {
            data: &input,
            sizes: &[1, 7, 300, 2],
            turn: 0,
            interrupt: true,
        };
        let pieces: Vec<_> = CsvReader::new(chunked, COLUMNS).unwrap().collect();
        assert_eq!(pieces, whole);
    }

    #[test]
    fn nul_bytes() {
        let rows = ok_rows(b"Level,User\n\0,a\0b\n");
        assert_eq!(value(&rows[0], LEVEL), Some("\0"));
        assert_eq!(value(&rows[0], USER), Some("a\0b"));
    }

    #[test]
    fn ten_megabyte_field() {
        let big = "x".repeat(10 * 1024 * 1024);
        let mut input = format!("Level,Complement\nNotice,\"{big}\"\nInformation,small\n");
        let rows = ok_rows(input.as_bytes());
        assert_eq!(rows.len(), 2);
        assert_eq!(value(&rows[0], COMPLEMENT).map(str::len), Some(big.len()));
        assert_eq!((rows[1].record, rows[1].line), (2, 3));
        // Unquoted, with line feeds, and as the only thing in the file.
        input = format!("Level,Complement\r\nNotice,{big}\r\n\"a\n{big}\nb\",c\r\nNotice,d");
        let rows = ok_rows(input.as_bytes());
        let got: Vec<(u64, u64)> = rows.iter().map(|r| (r.record, r.line)).collect();
        assert_eq!(got, vec![(1, 2), (2, 3), (3, 6)]);
        assert!(CsvReader::new(big.as_bytes(), COLUMNS).is_err());
    }

    #[test]
    fn unbalanced_quotes_at_end_of_file() {
        for input in [
            &b"Level,User\nNotice,\"alice\n"[..],
            b"Level,User\nNotice,\"alice",
            b"Level,User\nNotice,\"",
            b"Level,User\nNotice,\"a\"\"\n\n",
            b"Level,User\r\nNotice,\"alice\r\n",
            b"Level,\"User\n",
            b"\"",
        ] {
            let Ok(rdr) = CsvReader::new(input, COLUMNS) else {
                continue;
            };
            let rows: Vec<_> = rdr.collect();
            for row in rows {
                // A record cut off inside its quotes is reported, with its text.
                let err = row.unwrap_err();
                assert_eq!((err.record, err.line), (Some(1), Some(2)), "{input:?}");
                assert!(err.message.contains("cut off"), "{err}");
                assert!(err.raw.is_some());
            }
        }
        let rdr = CsvReader::new(&b"Level,User\nNotice,\"alice\nbob\n"[..], COLUMNS).unwrap();
        let err = rdr.last().unwrap().unwrap_err();
        assert_eq!(err.raw.as_deref(), Some("Notice,alice\nbob\n"));
        // A complete quoted field at the very end is fine.
        let rows = ok_rows(b"Level,User\nNotice,\"alice, \"\"b\"\"\"");
        assert_eq!(value(&rows[0], USER), Some("alice, \"b\""));
    }

    #[test]
    fn io_error_is_reported_once() {
        let input = Failing {
            data: b"Level,User\nNotice,alice\nNotice,bo",
        };
        let mut rdr = CsvReader::new(input, COLUMNS).unwrap();
        assert_eq!(value(&rdr.next().unwrap().unwrap(), USER), Some("alice"));
        let err = rdr.next().unwrap().unwrap_err();
        assert_eq!(err.record, Some(2));
        assert!(err.message.contains("gzip"), "{}", err.message);
        assert!(rdr.next().is_none());
        assert!(rdr.next().is_none());
    }

    #[test]
    fn io_error_in_the_header() {
        let err = CsvReader::new(Failing { data: b"Level,Us" }, COLUMNS).unwrap_err();
        assert!(err.message.contains("gzip"), "{}", err.message);
        let err = CsvReader::new(Failing { data: b"" }, COLUMNS).unwrap_err();
        assert!(err.message.contains("gzip"), "{}", err.message);
    }

    #[test]
    fn error_display() {
        let err = CsvError {
            record: Some(4),
            line: None,
            message: "bad".to_owned(),
            raw: None,
        };
        assert_eq!(err.to_string(), "record 4: bad");
        let err = CsvError {
            record: None,
            line: Some(1),
            message: "bad".to_owned(),
            raw: None,
        };
        assert_eq!(err.to_string(), "line 1: bad");
    }

    /// Random well-formed files (quoted fields with line breaks, CRLF and LF,
    /// blank lines, ragged rows, chunked reads) read back with the expected
    /// values and start lines.
    #[test]
    fn random_round_trip() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |bound: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % bound
        };
        let pieces = ["a", "b", ",", "\"", "\n", "\r", "\r\n", " ", "レ", "x"];
        for case in 0..300 {
            let mut file = String::new();
            let mut line = 1u64;
            let mut expected: Vec<(u64, Vec<String>)> = Vec::new();
            let newline = |file: &mut String, line: &mut u64, crlf: bool| {
                file.push_str(if crlf { "\r\n" } else { "\n" });
                *line += 1;
            };
            for _ in 0..next(3) {
                newline(&mut file, &mut line, next(2) == 0);
            }
            file.push_str("Level,User,Complement");
            let records = next(8);
            for r in 0..records {
                newline(&mut file, &mut line, next(2) == 0);
                for _ in 0..next(2) {
                    newline(&mut file, &mut line, next(2) == 0);
                }
                let start = line;
                let width = if next(4) == 0 { 1 + next(5) } else { 3 } as usize;
                let mut fields = Vec::new();
                for f in 0..width {
                    let mut text = String::new();
                    for _ in 0..next(6) {
                        text.push_str(pieces[next(pieces.len() as u64) as usize]);
                    }
                    if f > 0 {
                        file.push(',');
                    }
                    // Quote when needed, or when the record would be blank.
                    let needs =
                        text.contains([',', '"', '\r', '\n']) || (width == 1 && text.is_empty());
                    if needs || next(3) == 0 {
                        file.push('"');
                        file.push_str(&text.replace('"', "\"\""));
                        file.push('"');
                    } else {
                        file.push_str(&text);
                    }
                    line += text.matches('\n').count() as u64;
                    fields.push(text);
                }
                expected.push((start, fields));
                if r + 1 == records && next(2) == 0 {
                    newline(&mut file, &mut line, next(2) == 0);
                }
            }
            let sizes: Vec<usize> = (0..4).map(|_| 1 + next(40) as usize).collect();
            for chunked in [false, true] {
                let input: Box<dyn Read> = if chunked {
                    Box::new(Chunked {
                        data: file.as_bytes(),
                        sizes: &sizes,
                        turn: 0,
                        interrupt: case % 2 == 0,
                    })
                } else {
                    Box::new(file.as_bytes())
                };
                let rows: Vec<Row> = CsvReader::new(input, COLUMNS)
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                assert_eq!(rows.len(), expected.len(), "{file:?}");
                for (i, (row, (start, fields))) in rows.iter().zip(&expected).enumerate() {
                    assert_eq!(row.record, i as u64 + 1);
                    assert_eq!(row.line, *start, "record {} of {file:?}", i + 1);
                    assert_eq!(row.ragged, fields.len() != 3);
                    for (f, text) in fields.iter().enumerate() {
                        let got = match f {
                            0 => value(row, LEVEL),
                            1 => value(row, USER),
                            2 => value(row, COMPLEMENT),
                            _ => Some(row.extra[f - 3].1.as_str()),
                        };
                        assert_eq!(got, Some(text.as_str()), "{file:?}");
                    }
                }
            }
        }
    }

    /// Records ending at, just before and just after the boundaries of the
    /// input buffer still get their start line.
    #[test]
    fn records_across_buffer_boundaries() {
        for delta in [-3i64, -2, -1, 0, 1, 2, 3] {
            for end in ["\n", "\r\n", "\r"] {
                let mut file = format!("Level,Complement{end}");
                let mut starts = Vec::new();
                let mut line = if end == "\r" { 1 } else { 2 };
                for k in 1..5i64 {
                    starts.push(line);
                    let fixed = "Notice,\"a\nb\"".len() + end.len();
                    let target = k * BUFFER as i64 + delta * k;
                    let body = (target - file.len() as i64 - fixed as i64).max(0) as usize;
                    file.push_str(&format!("Notice,\"a\nb{}\"{end}", "y".repeat(body)));
                    line += if end == "\r" { 1 } else { 2 };
                }
                let got: Vec<u64> = ok_rows(file.as_bytes()).iter().map(|r| r.line).collect();
                assert_eq!(got, starts, "delta {delta} end {end:?}");
            }
        }
    }
}
