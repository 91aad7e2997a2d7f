//! Splits CSV input into records and fields, as the `csv` crate reads it by
//! default: fields separated by `,`, a field quoted by `"` (in which `""` is
//! one quote, and `,` and line ends are text), a record ended by `\n`, `\r`
//! or `\r\n`, blank lines skipped, and a field's text after its closing
//! quote kept (`"a"b` reads `ab`). A leading UTF-8 byte order mark is
//! skipped.
//!
//! The splitter reads into one buffer that holds at least the record being
//! read (it grows for a longer record), finds the bytes that matter a word
//! at a time, and gives each field as a range of the record's bytes: there
//! is no copy of a field, and a quoted field with an escaped quote is
//! unescaped where it lies. It counts line feeds as it goes, so it knows
//! the line each record starts on.

use std::io::{self, Read};
use std::ops::Range;

use super::super::words;

/// Bytes read from the input at a time, and the buffer's first size.
pub(super) const BUFFER: usize = 64 * 1024;
/// The longest record, so far as read, that is split again as soon as a
/// line end is read (a record read from a pipe as it is written comes out
/// at once); see [`Splitter::read_more`].
const PROMPT: usize = 4096;
/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads CSV records from `R`; see the module docs.
pub(super) struct Splitter<R> {
    input: R,
    /// The bytes read; those of `..filled` are input.
    buf: Vec<u8>,
    filled: usize,
    /// The first byte not yet split into a record.
    pos: usize,
    /// Whether the input reported its end.
    ended: bool,
    /// Whether the first bytes were looked at for a BOM.
    started: bool,
    /// The line of `pos`: one more than the line feeds before it.
    line: u64,
    /// The record last read: its bytes `start..end` in `buf`, each field's
    /// range of those, the line it starts on, and whether the input ended
    /// inside one of its quoted fields.
    start: usize,
    end: usize,
    fields: Vec<Range<usize>>,
    record_line: u64,
    cut_off: bool,
    /// The fields of the record being read that are to be joined in place:
    /// those with an escaped quote or text after the closing quote.
    joins: Vec<usize>,
    /// Records split so far, a record split again after reading on counted
    /// again.
    #[cfg(test)]
    splits: usize,
}

/// A record found in the bytes read: where its last field ends, and what
/// reading it learned.
struct Found {
    end: usize,
    /// Line feeds inside its quoted fields.
    feeds: u64,
    /// Whether the input ended inside a quoted field.
    cut_off: bool,
}

impl<R: Read> Splitter<R> {
    pub(super) fn new(input: R) -> Self {
        Splitter {
            input,
            buf: vec![0; BUFFER],
            filled: 0,
            pos: 0,
            ended: false,
            started: false,
            line: 1,
            start: 0,
            end: 0,
            fields: Vec::new(),
            record_line: 0,
            cut_off: false,
            joins: Vec::new(),
            #[cfg(test)]
            splits: 0,
        }
    }

    /// Reads the next record: `false` at the end of the input.
    ///
    /// # Errors
    ///
    /// An I/O error of the input (interrupted reads are retried).
    pub(super) fn next_record(&mut self) -> io::Result<bool> {
        if !self.started {
            self.skip_bom()?;
        }
        // Blank lines, and the line end of the record before.
        loop {
            while let Some(&b) = self.buf[..self.filled].get(self.pos) {
                match b {
                    b'\n' => self.line += 1,
                    b'\r' => {}
                    _ => break,
                }
                self.pos += 1;
            }
            if self.pos < self.filled {
                break;
            }
            if self.ended {
                (self.start, self.end) = (0, 0);
                self.fields.clear();
                return Ok(false);
            }
            self.refill()?;
        }
        let found = loop {
            match self.split() {
                Some(found) => break found,
                None => self.read_more()?,
            }
        };
        if !self.joins.is_empty() {
            self.join();
        }
        self.start = self.pos;
        self.end = found.end;
        self.record_line = self.line;
        self.cut_off = found.cut_off;
        self.line += found.feeds;
        self.pos = found.end;
        Ok(true)
    }

    /// The bytes of the record last read: its fields with the separators,
    /// quotes and line ends between them (every byte that is no field's is
    /// ASCII).
    pub(super) fn record(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Where each field of the record last read lies in [`record`](Self::record).
    pub(super) fn fields(&self) -> &[Range<usize>] {
        &self.fields
    }

    /// The 1-based line on which the record last read starts.
    pub(super) fn record_line(&self) -> u64 {
        self.record_line
    }

    /// The 1-based line of the next byte to read.
    pub(super) fn line(&self) -> u64 {
        self.line
    }

    /// Whether the input ended inside a quoted field of the record last read.
    pub(super) fn cut_off(&self) -> bool {
        self.cut_off
    }

    /// Reads the first bytes, and skips them if they are a BOM.
    fn skip_bom(&mut self) -> io::Result<()> {
        while self.filled < BOM.len() && !self.ended {
            self.refill()?;
        }
        if self.buf[..self.filled].starts_with(BOM) {
            self.pos = BOM.len();
        }
        self.started = true;
        Ok(())
    }

    /// Reads on after the record at `pos` ran past the bytes read, until it
    /// may have ended: the input ended, or, for a record of up to [`PROMPT`]
    /// bytes so far, a line end came. A longer record waits for as many
    /// bytes again as it has, so that one read in small pieces is split a
    /// few times, not once a piece.
    fn read_more(&mut self) -> io::Result<()> {
        let known = self.filled - self.pos;
        loop {
            self.refill()?;
            // `refill` moved the record to the front.
            let new = &self.buf[known..self.filled];
            let line_end = known <= PROMPT && memchr::memchr2(b'\n', b'\r', new).is_some();
            if self.ended || line_end || new.len() >= known {
                return Ok(());
            }
        }
    }

    /// Moves the bytes from `pos` on to the front, grows the buffer if they
    /// fill it, and reads more; sets `ended` when the input has no more.
    fn refill(&mut self) -> io::Result<()> {
        self.buf.copy_within(self.pos..self.filled, 0);
        self.filled -= self.pos;
        self.pos = 0;
        if self.filled == self.buf.len() {
            self.buf.resize(2 * self.buf.len(), 0);
        }
        let room = &mut self.buf[self.filled..];
        let n = loop {
            match self.input.read(room) {
                // Guard against a reader claiming more than it was given.
                Ok(n) => break n.min(room.len()),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        };
        self.filled += n;
        self.ended = n == 0;
        Ok(())
    }

    /// Splits the record at `pos` into [`fields`](Self::fields); a quoted
    /// field to join is given as it lies, from its opening quote, and listed
    /// in `joins`. `None` when the record runs past the bytes read and the
    /// input has not ended.
    fn split(&mut self) -> Option<Found> {
        let bytes = &self.buf[..self.filled];
        let ended = self.ended;
        let start = self.pos;
        self.fields.clear();
        self.joins.clear();
        #[cfg(test)]
        {
            self.splits += 1;
        }
        let mut found = Found {
            end: 0,
            feeds: 0,
            cut_off: false,
        };
        let mut at = start;
        loop {
            let first = at;
            // The field, and whether it lies as read from its opening quote.
            let (field, end, join) = if bytes.get(first) == Some(&b'"') {
                let (after, escaped) = quoted(bytes, first + 1, ended, &mut found)?;
                match bytes.get(after) {
                    None | Some(b',' | b'\r' | b'\n') if !escaped => {
                        let text_end = if found.cut_off { after } else { after - 1 };
                        (first + 1..text_end, after, false)
                    }
                    None | Some(b',' | b'\r' | b'\n') => (first..after, after, true),
                    // Text after the closing quote belongs to the field.
                    Some(_) => {
                        let end = delimiter(bytes, after, ended)?;
                        (first..end, end, true)
                    }
                }
            } else {
                let end = delimiter(bytes, first, ended)?;
                (first..end, end, false)
            };
            if join {
                self.joins.push(self.fields.len());
            }
            self.fields.push(field.start - start..field.end - start);
            if bytes.get(end) == Some(&b',') {
                at = end + 1;
            } else {
                found.end = end;
                return Some(found);
            }
        }
    }

    /// Joins in place each field listed in `joins`, which lies as read from
    /// its opening quote: an escaped quote becomes one, the closing quote
    /// goes, and what follows it moves up. The bytes freed at the field's
    /// end become quotes, so that the record's bytes outside its fields stay
    /// ASCII.
    fn join(&mut self) {
        for &i in &self.joins {
            let field = &mut self.fields[i];
            let (first, end) = (self.pos + field.start, self.pos + field.end);
            let (mut write, mut read, mut inside) = (first, first + 1, true);
            while read < end {
                let b = self.buf[read];
                read += 1;
                if inside && b == b'"' {
                    if read < end && self.buf[read] == b'"' {
                        read += 1;
                    } else {
                        inside = false;
                        continue;
                    }
                }
                self.buf[write] = b;
                write += 1;
            }
            self.buf[write..end].fill(b'"');
            field.end = field.start + (write - first);
        }
    }
}

/// Reads a quoted field's text from `from`, just past its opening quote:
/// the offset just past its closing quote (the end of the bytes when the
/// input ends inside it), and whether it has an escaped quote. Counts the
/// line feeds inside into `found`. `None` when it runs past the bytes read
/// and the input has not ended. Inlined, as [`delimiter`] is: a call per
/// field cost a kintone CSV row 200 instructions.
#[inline(always)]
fn quoted(bytes: &[u8], mut from: usize, ended: bool, found: &mut Found) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        let Some(q) = words::find_quote_or_feed(bytes, from) else {
            if !ended {
                return None;
            }
            found.cut_off = true;
            return Some((bytes.len(), escaped));
        };
        from = q + 1;
        if bytes[q] == b'\n' {
            found.feeds += 1;
            continue;
        }
        match bytes.get(from) {
            Some(b'"') => {
                escaped = true;
                from += 1;
            }
            None if !ended => return None,
            _ => return Some((from, escaped)),
        }
    }
}

/// The offset of the `,`, `\r` or `\n` that ends an unquoted field from
/// `from` on; the end of the bytes when the input ended there. `None` when
/// the field runs past the bytes read and the input has not ended.
#[inline(always)]
fn delimiter(bytes: &[u8], from: usize, ended: bool) -> Option<usize> {
    match words::find_delimiter(bytes, from) {
        Some(d) => Some(d),
        None if ended => Some(bytes.len()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as read: the line it starts on, its fields, and whether
    /// the input ended inside one of its quoted fields.
    type Record = (u64, Vec<Vec<u8>>, bool);

    /// The rules of the module docs, read a byte at a time.
    fn reference(input: &[u8]) -> Vec<Record> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            Start,
            Plain,
            Quoted,
            AfterQuote,
        }
        let input = input.strip_prefix(BOM).unwrap_or(input);
        let (mut records, mut line, mut i) = (Vec::new(), 1, 0);
        while let Some(&b) = input.get(i) {
            if b == b'\r' || b == b'\n' {
                line += u64::from(b == b'\n');
                i += 1;
                continue;
            }
            let (start, mut fields, mut state) = (line, vec![Vec::new()], State::Start);
            while let Some(&b) = input.get(i) {
                let field = fields.last_mut().expect("a field");
                match (state, b) {
                    (State::Quoted, b'"') => state = State::AfterQuote,
                    (State::Quoted, _) => {
                        line += u64::from(b == b'\n');
                        field.push(b);
                    }
                    (State::AfterQuote, b'"') => {
                        field.push(b);
                        state = State::Quoted;
                    }
                    (State::Start, b'"') => state = State::Quoted,
                    (_, b',') => {
                        fields.push(Vec::new());
                        state = State::Start;
                    }
                    (_, b'\r' | b'\n') => break,
                    _ => {
                        field.push(b);
                        state = State::Plain;
                    }
                }
                i += 1;
            }
            records.push((start, fields, state == State::Quoted));
        }
        records
    }

    /// Hands out its bytes in pieces of the given sizes, in turn.
    struct Pieces<'a> {
        data: &'a [u8],
        sizes: &'a [usize],
        turn: usize,
    }

    impl Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let size = self.sizes[self.turn % self.sizes.len()];
            self.turn += 1;
            let n = size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn split_all(input: impl Read) -> Vec<Record> {
        let mut splitter = Splitter::new(input);
        let mut records = Vec::new();
        while splitter.next_record().expect("no I/O error") {
            let record = splitter.record();
            let fields = splitter.fields().iter().map(|r| record[r.clone()].to_vec());
            // The bytes between fields are ASCII.
            let mut rest = record.to_vec();
            for r in splitter.fields().iter().rev() {
                rest.drain(r.clone());
            }
            assert!(rest.is_ascii(), "{record:?}");
            records.push((splitter.record_line(), fields.collect(), splitter.cut_off()));
        }
        records
    }

    /// Random inputs made of the bytes that matter (quotes, commas, line
    /// ends, a BOM, broken UTF-8) split as the byte-at-a-time reading does,
    /// read whole or in pieces as small as one byte; and into the fields the
    /// `csv` crate reads.
    #[test]
    fn agrees_with_a_byte_at_a_time_reading_and_the_csv_crate() {
        let pieces: &[&[u8]] = &[
            b"a",
            b"bc",
            b",",
            b"\"",
            b"\"",
            b"\"\"",
            b"\n",
            b"\r",
            b"\r\n",
            b" ",
            b"\xE3",
            b"\x81\x82",
            b"\xEF\xBB\xBF",
            b",\"",
            b"\",",
            b"\xFF",
            b"\0",
            b"\t",
            b"\x0c",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for _ in 0..20_000 {
            let mut input = Vec::new();
            for _ in 0..next(40) {
                input.extend_from_slice(pieces[next(pieces.len())]);
            }
            let expected = reference(&input);
            assert_eq!(split_all(&input[..]), expected, "{input:?}");
            let sizes: Vec<usize> = (0..3).map(|_| 1 + next(9)).collect();
            let pieces = Pieces {
                data: &input,
                sizes: &sizes,
                turn: 0,
            };
            assert_eq!(split_all(pieces), expected, "{input:?} in {sizes:?}");
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&input[..]);
            let theirs: Vec<Vec<Vec<u8>>> = csv
                .byte_records()
                .map(|r| r.expect("bytes").iter().map(<[u8]>::to_vec).collect())
                .collect();
            let ours: Vec<Vec<Vec<u8>>> = expected.into_iter().map(|r| r.1).collect();
            assert_eq!(ours, theirs, "{input:?}");
        }
    }

    /// A long record handed out a byte at a time is split a few times, not
    /// once a byte; a short one as soon as its line ends.
    #[test]
    fn a_long_record_read_a_byte_at_a_time() {
        let long = format!("a,\"{}\"\nb\n", "1234567\n".repeat(BUFFER / 2));
        let mut splitter = Splitter::new(Pieces {
            data: long.as_bytes(),
            sizes: &[1],
            turn: 0,
        });
        assert!(splitter.next_record().unwrap());
        assert_eq!(splitter.fields().len(), 2);
        // Once a line while the record is short; then each time it doubles.
        let most = PROMPT / 8 + (4 * BUFFER / PROMPT).ilog2() as usize + 2;
        assert!(splitter.splits <= most, "{} splits", splitter.splits);
        assert!(splitter.next_record().unwrap());
        assert_eq!(splitter.record(), b"b");
        assert!(!splitter.next_record().unwrap());
        let short = b"a,b\nc,d\n";
        let mut splitter = Splitter::new(Pieces {
            data: short,
            sizes: &[1],
            turn: 0,
        });
        assert!(splitter.next_record().unwrap());
        assert_eq!(splitter.record(), b"a,b");
        // Split when the BOM check has read `a,b`, and again at the `\n`.
        assert_eq!(splitter.splits, 2);
    }

    /// A record longer than the buffer grows it, and is read whole.
    #[test]
    fn a_record_longer_than_the_buffer() {
        let long = "x".repeat(3 * BUFFER);
        let input = format!("a,\"{long}\"\"\"\r\nb,{long}\n");
        let records = split_all(input.as_bytes());
        let expected = vec![
            (
                1,
                vec![b"a".to_vec(), format!("{long}\"").into_bytes()],
                false,
            ),
            (2, vec![b"b".to_vec(), long.clone().into_bytes()], false),
        ];
        assert_eq!(records, expected);
    }
}
