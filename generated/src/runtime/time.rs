//! Points in time as the audit logs write them.
//!
//! The three sources disagree on how they write a time:
//!
//! - cybozu.com CSV exports give the tenant's local time without an offset,
//!   `2026-11-20 09:15:02` or `2026/11/20 09:15:02` (the exact form is
//!   unconfirmed, so single-digit month, day and hour, optional seconds and
//!   optional fractional seconds are accepted too);
//! - SAP BTP Cloud Foundry records use RFC 3339 (`2026-11-20T09:15:02.5Z`,
//!   `2026-11-20T09:15:02+09:00`), while Neo records use dots in the time and an
//!   offset without a colon (`2018-03-20T15.59.14.878+0000`);
//! - Slack writes Unix seconds as a string (`"1392163200"`), read by
//!   [`Timestamp::parse_unix`].
//!
//! A [`Timestamp`] keeps what the log said: the civil date and time, and the UTC
//! offset only when the log gave one. Nothing is converted, so a tenant-local
//! time stays tenant-local.

use std::fmt;
use std::str::FromStr;

use super::words;

/// The forms [`Timestamp::parse`] reads, for error messages.
const EXPECTED: &str = "expected a date and time such as `2026-11-20 09:15:02`, \
     `2026/11/20 09:15:02`, `2026-11-20T09:15:02+09:00` or `2018-03-20T15.59.14.878+0000`";

/// How many characters of the input an error message repeats.
const SHOWN_CHARS: usize = 60;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// A point in time as logged: a civil date and time, with the UTC offset when the log gives one.
///
/// Equality, hashing and ordering compare the fields as written (year, month,
/// day, hour, minute, second, nanosecond, then offset), not the instant:
/// `2026-11-20T09:00:00+09:00` and `2026-11-20T00:00:00Z` are different values.
/// Compare [`unix`](Self::unix) to compare instants.
///
/// Values made by [`parse`](Self::parse) and [`parse_unix`](Self::parse_unix)
/// have a four-digit year (0000 to 9999); [`from_unix`](Self::from_unix) accepts
/// any `i64` and may produce years outside that range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    year: i64,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
    /// Seconds east of UTC; `None` for a tenant-local time.
    offset: Option<i32>,
}

impl Timestamp {
    /// Parses any form a log uses.
    ///
    /// Accepted, after trimming surrounding ASCII white space:
    ///
    /// - a date `YYYY-MM-DD` or `YYYY/MM/DD` (month and day may have one digit);
    /// - then `T`, `t` or spaces;
    /// - then a time `hh:mm:ss` (hour may have one digit; seconds may be left
    ///   out, meaning `:00`) or SAP Neo's dotted `hh.mm.ss`;
    /// - optional fractional seconds after `.` or `,` (digits past the ninth are
    ///   dropped);
    /// - an optional offset, possibly after spaces: `Z`, `+09:00`, `+0900` or `+09`.
    ///
    /// Without an offset the time is taken as written (tenant-local) and
    /// [`offset`](Self::offset) is `None`. Ranges are checked: month 1-12, day
    /// within the month (leap years included), hour 0-23, minute 0-59, second
    /// 0-60 (a leap second), offset at most ±23:59.
    ///
    /// # Errors
    ///
    /// A [`TimeError`] saying what was expected, for any other text.
    pub fn parse(text: &str) -> Result<Timestamp, TimeError> {
        let trimmed = trim(text);
        if trimmed.is_empty() {
            return Err(TimeError::new(failed(format_args!(
                "empty text is not a date and time; {EXPECTED}"
            ))));
        }
        let fields = Cursor::new(trimmed).read().map_err(|detail| {
            TimeError::about(trimmed, &failed(format_args!("{detail}; {EXPECTED}")))
        })?;
        fields
            .check()
            .map_err(|detail| TimeError::about(trimmed, &detail))
    }

    /// From Unix seconds (UTC), as Slack logs them; the offset is `Some(0)`.
    ///
    /// Every `i64` is accepted; values far from today give years outside
    /// 0000-9999, which [`Display`](fmt::Display) writes with a sign (`+10000`).
    pub fn from_unix(seconds: i64) -> Timestamp {
        let days = seconds.div_euclid(DAY);
        let rest = seconds.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        // `rest` is in 0..86_400, so the casts below cannot truncate.
        Timestamp {
            year,
            month,
            day,
            hour: (rest / 3600) as u8,
            minute: (rest % 3600 / 60) as u8,
            second: (rest % 60) as u8,
            nanosecond: 0,
            offset: Some(0),
        }
    }

    /// Parses a string of Unix seconds: ASCII digits, optionally after a `-`,
    /// surrounding ASCII white space trimmed (`"1392163200"` is
    /// 2014-02-12T00:00:00Z).
    ///
    /// # Errors
    ///
    /// A [`TimeError`] when the text is not such a number, does not fit an
    /// `i64`, or lies outside the years 0000 to 9999.
    pub fn parse_unix(text: &str) -> Result<Timestamp, TimeError> {
        let trimmed = trim(text);
        let digits = trimmed.strip_prefix('-').unwrap_or(trimmed);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TimeError::about(
                trimmed,
                "not Unix seconds (expected ASCII digits, optionally after `-`, such as `1392163200`)",
            ));
        }
        // Up to 18 digits cannot overflow an `i64`: read them here.
        let seconds: i64 = if digits.len() <= 18 {
            let n = digits
                .bytes()
                .fold(0, |n: i64, b| n * 10 + i64::from(b - b'0'));
            if digits.len() == trimmed.len() {
                n
            } else {
                -n
            }
        } else {
            trimmed.parse().map_err(|_| {
                TimeError::about(trimmed, "Unix seconds beyond the range of a 64-bit number")
            })?
        };
        let timestamp = Timestamp::from_unix(seconds);
        if !(0..=9999).contains(&timestamp.year) {
            return Err(TimeError::about(
                trimmed,
                "Unix seconds outside the supported years 0000 to 9999",
            ));
        }
        Ok(timestamp)
    }

    /// Unix seconds, when the offset is known and the result fits an `i64`.
    ///
    /// A leap second (`:60`) counts as the first second of the next minute.
    pub fn unix(&self) -> Option<i64> {
        let offset = self.offset?;
        let days = i128::from(days_from_civil(self.year, self.month, self.day));
        let time =
            i128::from(self.hour) * 3600 + i128::from(self.minute) * 60 + i128::from(self.second);
        i64::try_from(days * i128::from(DAY) + time - i128::from(offset)).ok()
    }

    /// The UTC offset in seconds east of UTC, when the log gave one.
    pub fn offset(&self) -> Option<i32> {
        self.offset
    }

    /// The year as written (0000 to 9999 for parsed values).
    pub fn year(&self) -> i64 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The hour, 0 to 23.
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// The minute, 0 to 59.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// The second, 0 to 60 (60 is a leap second).
    pub fn second(&self) -> u8 {
        self.second
    }

    /// The fraction of the second in nanoseconds, 0 to 999 999 999.
    pub fn nanosecond(&self) -> u32 {
        self.nanosecond
    }
}

/// RFC 3339: `2026-11-20T09:15:02+09:00`, `Z` for offset 0, fractional seconds
/// only when non-zero (`.878`), and no offset at all for a tenant-local time
/// (`2026-11-20T09:15:02`). Years outside 0000-9999 (only from
/// [`Timestamp::from_unix`]) are written with a sign, as ISO 8601 does.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9999).contains(&self.year) {
            write!(f, "{:04}", self.year)?;
        } else {
            write!(f, "{:+05}", self.year)?;
        }
        write!(
            f,
            "-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.month, self.day, self.hour, self.minute, self.second
        )?;
        if self.nanosecond != 0 {
            let fraction = format!("{:09}", self.nanosecond);
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        match self.offset {
            None => Ok(()),
            Some(0) => f.write_str("Z"),
            Some(offset) => {
                let sign = if offset < 0 { '-' } else { '+' };
                let minutes = offset.unsigned_abs() / 60;
                write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
    }
}

impl FromStr for Timestamp {
    type Err = TimeError;

    /// The same as [`Timestamp::parse`].
    fn from_str(text: &str) -> Result<Timestamp, TimeError> {
        Timestamp::parse(text)
    }
}

/// Why a time could not be read; the message repeats (the start of) the text
/// and says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    message: String,
}

impl TimeError {
    fn new(message: String) -> TimeError {
        TimeError { message }
    }

    /// An error about `text`: "`text`: detail".
    fn about(text: &str, detail: &str) -> TimeError {
        TimeError::new(failed(format_args!("`{}`: {detail}", shown(text))))
    }

    /// The message, as [`Display`](fmt::Display) writes it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TimeError {}

/// The text of `message`, written out of the way of every time that reads
/// well: a call to this marks the path cold, so the code that reads a
/// well-formed time keeps together, in few cache lines.
#[cold]
#[inline(never)]
fn failed(message: fmt::Arguments<'_>) -> String {
    fmt::format(message)
}

/// The text without surrounding ASCII white space.
fn trim(text: &str) -> &str {
    words::trim_with(text, |t| t.trim_matches(|c: char| c.is_ascii_whitespace()))
}

/// The text for a message: control characters escaped, cut after
/// [`SHOWN_CHARS`] characters (on a character boundary).
fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(SHOWN_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().nth(SHOWN_CHARS).is_some() {
        out.push_str("...");
    }
    out
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days of a month (1-12).
fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400); // 0..=399
    let shifted_month = if month > 2 { month - 3 } else { month + 9 }; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    // `days` is at most |i64::MIN| / 86_400, so the shift cannot overflow.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // 0..=146_096
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // 0..=399
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365
    let shifted_month = (5 * day_of_year + 2) / 153; // 0..=11, March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1; // 1..=31
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    }; // 1..=12
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both are small by construction.
    (year, month as u8, day as u8)
}

/// The value of a run of at most nine ASCII digits.
fn value_of(digits: &str) -> u32 {
    digits
        .bytes()
        .take(9)
        .fold(0, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0') % 10))
}

/// What follows the seconds in nearly every logged time that has more,
/// read without the cursor: a fraction (`.` or `,` and digits), then
/// nothing, `Z`, or an offset `+hhmm`, `+hh:mm` or `+hh`. The
/// nanoseconds and the offset as [`Cursor::rest`] reads them; `None` for
/// anything else, which the cursor reads (or explains).
fn fixed_tail(tail: &str) -> Option<(u32, Option<Offset<'_>>)> {
    let b = tail.as_bytes();
    if !matches!(b.first(), Some(b'.' | b',')) {
        return None;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let nanosecond = nanoseconds(&b[1..1 + digits]);
    let written = tail.get(1 + digits..)?;
    let o = written.as_bytes();
    let two = |at: usize| -> Option<u32> {
        let (h, l) = (*o.get(at)?, *o.get(at + 1)?);
        (h.is_ascii_digit() && l.is_ascii_digit())
            .then(|| u32::from(h - b'0') * 10 + u32::from(l - b'0'))
    };
    let offset = match o {
        [] => None,
        [b'Z' | b'z'] => Some((1, 0, 0, written)),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            let (hours, minutes) = match rest.len() {
                2 => (two(1)?, 0),
                4 => (two(1)?, two(3)?),
                5 if rest[2] == b':' => (two(1)?, two(4)?),
                _ => return None,
            };
            Some((sign, hours, minutes, written))
        }
        _ => return None,
    };
    Some((nanosecond, offset))
}

/// The nanoseconds a fraction of a second's digits write: the first nine
/// of them.
fn nanoseconds(digits: &[u8]) -> u32 {
    let mut nanos = 0;
    let mut scale = 100_000_000;
    for &d in digits.iter().take(9) {
        nanos += u32::from(d - b'0') * scale;
        scale /= 10;
    }
    nanos
}

/// An offset as read: its sign, hours, minutes and text as written.
type Offset<'a> = (i32, u32, u32, &'a str);

/// The fields as read, before their ranges are checked.
struct Fields<'a> {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanosecond: u32,
    /// `None` for a tenant-local time.
    offset: Option<Offset<'a>>,
}

impl Fields<'_> {
    /// The date and time to the seconds in the shape of nearly every logged
    /// time, `YYYY-MM-DD HH:MM:SS` (`/` between the date's parts, `T` before
    /// the time or `.` between its parts also), read at fixed places: what
    /// [`Cursor::read`] reads from the first 19 bytes, without the walk.
    /// `None` for anything else, which the cursor reads (or explains).
    fn fixed(text: &str) -> Option<Fields<'static>> {
        let b: &[u8; 19] = text.as_bytes().get(..19)?.try_into().ok()?;
        let shaped = matches!(b[4], b'-' | b'/')
            && b[7] == b[4]
            && matches!(b[10], b' ' | b'T' | b't')
            && matches!(b[13], b':' | b'.')
            && b[16] == b[13]
            // A third digit of seconds: the cursor says what is wrong.
            && !text.as_bytes().get(19).is_some_and(u8::is_ascii_digit);
        let number = |at: usize, len: usize| {
            b[at..at + len].iter().try_fold(0, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        if !shaped {
            return None;
        }
        Some(Fields {
            year: number(0, 4)?,
            month: number(5, 2)?,
            day: number(8, 2)?,
            hour: number(11, 2)?,
            minute: number(14, 2)?,
            second: number(17, 2)?,
            nanosecond: 0,
            offset: None,
        })
    }

    /// Checks the ranges; the error is the detail for the message.
    fn check(&self) -> Result<Timestamp, String> {
        let year = i64::from(self.year);
        if !(1..=12).contains(&self.month) {
            return Err(failed(format_args!(
                "month {} is out of range (1-12)",
                self.month
            )));
        }
        // The month is 1..=12, so it fits a u8.
        let month = self.month as u8;
        let last = days_in_month(year, month);
        if !(1..=u32::from(last)).contains(&self.day) {
            return Err(failed(format_args!(
                "day {} is out of range for {:04}-{:02} (1-{last})",
                self.day, year, month
            )));
        }
        if self.hour > 23 {
            return Err(failed(format_args!(
                "hour {} is out of range (0-23)",
                self.hour
            )));
        }
        if self.minute > 59 {
            return Err(failed(format_args!(
                "minute {} is out of range (0-59)",
                self.minute
            )));
        }
        if self.second > 60 {
            return Err(failed(format_args!(
                "second {} is out of range (0-60)",
                self.second
            )));
        }
        let offset = match self.offset {
            None => None,
            Some((sign, hours, minutes, written)) => {
                if hours > 23 || minutes > 59 {
                    return Err(failed(format_args!(
                        "offset `{written}` is out of range (at most ±23:59)"
                    )));
                }
                // At most 23 * 3600 + 59 * 60, so the cast cannot truncate.
                Some(sign * (hours * 3600 + minutes * 60) as i32)
            }
        };
        // Every value below was checked to be small.
        Ok(Timestamp {
            year,
            month,
            day: self.day as u8,
            hour: self.hour as u8,
            minute: self.minute as u8,
            second: self.second as u8,
            nanosecond: self.nanosecond,
            offset,
        })
    }
}

/// Reads [`Fields`] from ASCII bytes; only ASCII bytes are ever consumed, so
/// every position it slices at is a character boundary (and slicing goes
/// through `str::get` anyway).
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes and returns the next byte if it is one of `set`.
    fn eat_any(&mut self, set: &[u8]) -> Option<u8> {
        let byte = self.peek().filter(|b| set.contains(b))?;
        self.pos += 1;
        Some(byte)
    }

    /// Consumes spaces and tabs; whether there were any.
    fn skip_blanks(&mut self) -> bool {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// The text from `start` to the current position.
    fn since(&self, start: usize) -> &'a str {
        self.text.get(start..self.pos).unwrap_or("")
    }

    /// Where the reader stands, for messages: "after `...`" or "at the start".
    fn at(mut self, pos: usize) -> Self {
        self.pos = pos;
        self
    }

    fn place(&self) -> String {
        match self.text.get(..self.pos) {
            Some(before) if !before.is_empty() => failed(format_args!("after `{}`", shown(before))),
            _ => "at the start".to_owned(),
        }
    }

    /// Consumes a run of ASCII digits.
    fn digit_run(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.since(start)
    }

    /// Reads a number of `min..=max` digits (at most 4, so it fits a `u32`).
    fn number(&mut self, what: &str, min: usize, max: usize) -> Result<u32, String> {
        let start = self.pos;
        let run = self.digit_run();
        if !run.is_empty() && run.len() >= min && run.len() <= max {
            return Ok(value_of(run));
        }
        let count = if min == max {
            format!("{min}")
        } else {
            format!("{min} or {max}")
        };
        if run.is_empty() {
            let place = Cursor::new(self.text).at(start).place();
            return Err(failed(format_args!(
                "expected {what} ({count} digits) {place}"
            )));
        }
        Err(failed(format_args!(
            "{what} `{}` must have {count} digits",
            shown(run)
        )))
    }

    /// Fractional seconds after their separator: nanoseconds from the first
    /// nine digits.
    fn fraction(&mut self) -> Result<u32, String> {
        let run = self.digit_run();
        if run.is_empty() {
            return Err(failed(format_args!(
                "expected digits of a fraction of a second {}",
                self.place()
            )));
        }
        Ok(nanoseconds(run.as_bytes()))
    }

    /// Reads the whole text; the error is the detail for the message.
    fn read(mut self) -> Result<Fields<'a>, String> {
        match Fields::fixed(self.text) {
            // Nothing follows the seconds: nothing more to read.
            Some(fields) if self.bytes.len() == 19 => Ok(fields),
            Some(fields) => match fixed_tail(self.text.get(19..).unwrap_or_default()) {
                Some((nanosecond, offset)) => Ok(Fields {
                    nanosecond,
                    offset,
                    ..fields
                }),
                None => {
                    self.pos = 19;
                    self.rest(fields, true)
                }
            },
            None => self.walk(),
        }
    }

    /// [`read`](Self::read), walking every field: for the times not in
    /// the fixed shape, out of the way of those that are.
    #[cold]
    #[inline(never)]
    fn walk(mut self) -> Result<Fields<'a>, String> {
        let year = self.number("the year", 4, 4)?;
        let Some(date_sep) = self.eat_any(b"-/") else {
            return Err(failed(format_args!("expected `-` or `/` {}", self.place())));
        };
        let month = self.number("the month", 1, 2)?;
        if !self.eat(date_sep) {
            return Err(failed(format_args!(
                "expected `{}` {}",
                char::from(date_sep),
                self.place()
            )));
        }
        let day = self.number("the day", 1, 2)?;
        if self.peek().is_none() {
            return Err("expected a time after the date".to_owned());
        }
        if self.eat_any(b"Tt").is_none() && !self.skip_blanks() {
            return Err(failed(format_args!(
                "expected `T` or a space {}",
                self.place()
            )));
        }
        let hour = self.number("the hour", 1, 2)?;
        let Some(time_sep) = self.eat_any(b":.") else {
            return Err(failed(format_args!("expected `:` or `.` {}", self.place())));
        };
        let minute = self.number("the minutes", 2, 2)?;
        let fields = Fields {
            year,
            month,
            day,
            hour,
            minute,
            second: 0,
            nanosecond: 0,
            offset: None,
        };
        if self.eat(time_sep) {
            let second = self.number("the seconds", 2, 2)?;
            self.rest(Fields { second, ..fields }, true)
        } else if time_sep == b':' {
            // `hh:mm` without seconds, as spreadsheets resave the CSV.
            self.rest(fields, false)
        } else {
            Err(failed(format_args!(
                "expected `.` and the seconds {}",
                self.place()
            )))
        }
    }

    /// What may follow the minutes (`seconds` false) or the seconds: a
    /// fraction of a second after the seconds, an offset, then nothing.
    fn rest(mut self, fields: Fields<'a>, seconds: bool) -> Result<Fields<'a>, String> {
        let nanosecond = if seconds && self.eat_any(b".,").is_some() {
            self.fraction()?
        } else {
            0
        };
        let offset = self.offset()?;
        if self.pos < self.bytes.len() {
            let rest = self.text.get(self.pos..).unwrap_or("");
            return Err(failed(format_args!(
                "unexpected `{}` {}",
                shown(rest),
                self.place()
            )));
        }
        Ok(Fields {
            nanosecond,
            offset,
            ..fields
        })
    }

    /// An optional offset, possibly after blanks: `Z`, `+hh:mm`, `+hhmm`, `+hh`.
    fn offset(&mut self) -> Result<Option<Offset<'a>>, String> {
        let before_blanks = self.pos;
        self.skip_blanks();
        let start = self.pos;
        if self.eat_any(b"Zz").is_some() {
            return Ok(Some((1, 0, 0, self.since(start))));
        }
        let Some(sign) = self.eat_any(b"+-") else {
            // Not an offset: leave the blanks for the caller to complain about.
            self.pos = before_blanks;
            return Ok(None);
        };
        let run_start = self.pos;
        let run = self.digit_run();
        let text = self.text;
        let place = move || Cursor::new(text).at(run_start).place();
        let (hours, minutes) = match (run.get(..2), run.get(2..)) {
            (Some(hours), Some("")) if self.eat(b':') => {
                (value_of(hours), self.number("the offset minutes", 2, 2)?)
            }
            (Some(hours), Some("")) => (value_of(hours), 0),
            (Some(hours), Some(minutes)) if minutes.len() == 2 => {
                (value_of(hours), value_of(minutes))
            }
            _ if run.is_empty() => {
                return Err(failed(format_args!(
                    "expected the offset hours (2 digits) {}",
                    place()
                )));
            }
            _ => {
                return Err(failed(format_args!(
                    "offset `{}` must be written `+hh:mm`, `+hhmm` or `+hh`",
                    shown(self.since(start))
                )));
            }
        };
        let sign = if sign == b'-' { -1 } else { 1 };
        Ok(Some((sign, hours, minutes, self.since(start))))
    }
}

/// Serialized as its RFC 3339 text; deserialized from any form [`Timestamp::parse`] reads.
#[cfg(feature = "serde")]
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed-place reading agrees with the cursor's walk wherever it
    /// answers, on common shapes and every one-byte change of them, and so
    /// does a whole reading (the result or the error) with anything after.
    #[test]
    fn fixed_places_read_as_the_cursor_does() {
        let bytes = [
            b'0', b'1', b'2', b'3', b'9', b'-', b'/', b':', b' ', b'T', b't', b'.', b'x',
        ];
        let mut answered = 0;
        for base in [
            "2026-03-14 12:34:56",
            "1999/12/31T23:59:60",
            "2024-02-29 00:00:00",
        ] {
            let mut texts = vec![base.to_owned()];
            for i in 0..base.len() {
                for &b in &bytes {
                    let mut t = base.as_bytes().to_vec();
                    t[i] = b;
                    texts.push(String::from_utf8(t).unwrap());
                }
            }
            for text in texts {
                if let Some(fields) = Fields::fixed(&text) {
                    let walked = Cursor::new(&text).walk().expect(&text);
                    assert_eq!(fields.check(), walked.check(), "{text}");
                    answered += 1;
                }
                // With whatever follows the seconds, read by both ways.
                for tail in [
                    "",
                    ".5",
                    ",123456789",
                    "Z",
                    "+0900",
                    " -05:30",
                    "5",
                    "x",
                    ".",
                    "+99",
                    ".123Z",
                    ",5z",
                    ".1234567891+09:00",
                    ".000000001-0530",
                    ".5+09",
                    ".5-2359",
                    ".5+2400",
                    ".5+09:60",
                    ".5+9",
                    ".5+09:0",
                    ".5+0900x",
                    ".5+09:000",
                    ".5 Z",
                    ".5Zz",
                    ".5+",
                    ".5-0a00",
                    ".5+09.00",
                    "..5",
                    ".5é",
                ] {
                    let text = format!("{text}{tail}");
                    let read = Cursor::new(&text).read().and_then(|f| f.check());
                    let walked = Cursor::new(&text).walk().and_then(|f| f.check());
                    assert_eq!(read, walked, "{text}");
                }
            }
        }
        assert!(answered > 100, "{answered}");
    }

    fn ts(text: &str) -> Timestamp {
        match Timestamp::parse(text) {
            Ok(t) => t,
            Err(e) => panic!("{text:?} should parse: {e}"),
        }
    }

    fn err(text: &str) -> String {
        match Timestamp::parse(text) {
            Ok(t) => panic!("{text:?} should not parse, got {t}"),
            Err(e) => e.to_string(),
        }
    }

    #[allow(clippy::type_complexity)]
    fn fields(t: Timestamp) -> (i64, u8, u8, u8, u8, u8, u32, Option<i32>) {
        (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.nanosecond(),
            t.offset(),
        )
    }

    #[test]
    fn kintone_forms_are_tenant_local() {
        let t = ts("2026-11-20 09:15:02");
        assert_eq!(fields(t), (2026, 11, 20, 9, 15, 2, 0, None));
        assert_eq!(t.unix(), None);
        assert_eq!(t.to_string(), "2026-11-20T09:15:02");
        assert_eq!(ts("2026/11/20 09:15:02"), t);
        assert_eq!(ts("  2026/11/20 09:15:02\r\n"), t);
        assert_eq!(ts("2026/11/20  09:15:02"), t);
        assert_eq!(
            fields(ts("2026/1/5 9:05:02")),
            (2026, 1, 5, 9, 5, 2, 0, None)
        );
        assert_eq!(
            fields(ts("2026/11/20 09:15:02.25")),
            (2026, 11, 20, 9, 15, 2, 250_000_000, None)
        );
        assert_eq!(
            fields(ts("2026/11/20 09:15")),
            (2026, 11, 20, 9, 15, 0, 0, None)
        );
        assert_eq!(
            ts("2026-11-20 09:15:02.5").to_string(),
            "2026-11-20T09:15:02.5"
        );
    }

    #[test]
    fn rfc3339_forms() {
        let t = ts("2026-11-20T09:15:02Z");
        assert_eq!(fields(t), (2026, 11, 20, 9, 15, 2, 0, Some(0)));
        assert_eq!(t.to_string(), "2026-11-20T09:15:02Z");
        assert_eq!(ts("2026-11-20t09:15:02z"), t);
        assert_eq!(ts("2026-11-20T09:15:02+00:00"), t);
        assert_eq!(ts("2026-11-20T09:15:02-00:00"), t);

        let t = ts("2026-11-20T09:15:02+09:00");
        assert_eq!(t.offset(), Some(9 * 3600));
        assert_eq!(t.to_string(), "2026-11-20T09:15:02+09:00");
        assert_eq!(ts("2026-11-20T09:15:02+0900"), t);
        assert_eq!(ts("2026-11-20T09:15:02+09"), t);
        assert_eq!(ts("2026-11-20 09:15:02 +09:00"), t);
        assert_eq!(t.unix(), ts("2026-11-20T00:15:02Z").unix());

        let t = ts("2026-11-20T09:15:02.123456789-05:30");
        assert_eq!(
            fields(t),
            (
                2026,
                11,
                20,
                9,
                15,
                2,
                123_456_789,
                Some(-(5 * 3600 + 30 * 60))
            )
        );
        assert_eq!(t.to_string(), "2026-11-20T09:15:02.123456789-05:30");
        // Digits past nanoseconds are dropped; a comma is a decimal sign too.
        assert_eq!(
            ts("2026-11-20T09:15:02.1234567891Z").nanosecond(),
            123_456_789
        );
        assert_eq!(ts("2026-11-20T09:15:02,5Z").nanosecond(), 500_000_000);
        assert_eq!(
            ts("2026-11-20T09:15:02.000Z").to_string(),
            "2026-11-20T09:15:02Z"
        );
        assert_eq!(
            ts("2026-11-20T09:15:02.100Z").to_string(),
            "2026-11-20T09:15:02.1Z"
        );
    }

    #[test]
    fn sap_neo_dotted_form() {
        let t = ts("2018-03-20T15.59.14.878+0000");
        assert_eq!(fields(t), (2018, 3, 20, 15, 59, 14, 878_000_000, Some(0)));
        assert_eq!(t.to_string(), "2018-03-20T15:59:14.878Z");
        assert_eq!(
            ts("2018-03-20T15.59.14.878+0100").to_string(),
            "2018-03-20T15:59:14.878+01:00"
        );
        assert_eq!(
            ts("2018-03-20T15.59.14+0000").to_string(),
            "2018-03-20T15:59:14Z"
        );
        assert_eq!(t.unix(), Some(1_521_561_554));
    }

    #[test]
    fn from_str_is_parse() {
        let t: Timestamp = "2026-11-20T09:15:02+09:00".parse().unwrap();
        assert_eq!(t, ts("2026-11-20T09:15:02+09:00"));
        assert!("foo".parse::<Timestamp>().is_err());
    }

    #[test]
    fn round_trip() {
        for text in [
            "2026-11-20 09:15:02",
            "2026/1/5 9:05:02",
            "2026-11-20T09:15:02Z",
            "2026-11-20T09:15:02+09:00",
            "2026-11-20T09:15:02.000000001-23:59",
            "2018-03-20T15.59.14.878+0000",
            "2024-02-29T23:59:60+14:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999",
        ] {
            let t = ts(text);
            let shown = t.to_string();
            assert_eq!(ts(&shown), t, "{text} -> {shown}");
            assert_eq!(ts(&shown).to_string(), shown);
        }
        for seconds in [0, 1, -1, 1_392_163_200, 253_402_300_799, -62_167_219_200] {
            let t = Timestamp::from_unix(seconds);
            assert_eq!(ts(&t.to_string()), t, "{seconds}");
        }
    }

    #[test]
    fn unix_conversion() {
        let t = Timestamp::from_unix(1_392_163_200);
        assert_eq!(fields(t), (2014, 2, 12, 0, 0, 0, 0, Some(0)));
        assert_eq!(t.to_string(), "2014-02-12T00:00:00Z");
        assert_eq!(t.unix(), Some(1_392_163_200));
        assert_eq!(Timestamp::parse_unix("1392163200"), Ok(t));
        assert_eq!(Timestamp::parse_unix(" 1392163200\n"), Ok(t));
        assert_eq!(ts("2014-02-12T09:00:00+09:00").unix(), Some(1_392_163_200));

        assert_eq!(Timestamp::from_unix(0).to_string(), "1970-01-01T00:00:00Z");
        let t = Timestamp::from_unix(-1);
        assert_eq!(t.to_string(), "1969-12-31T23:59:59Z");
        assert_eq!(t.unix(), Some(-1));
        assert_eq!(Timestamp::parse_unix("-1"), Ok(t));
        assert_eq!(
            Timestamp::parse_unix("-86401").unwrap().to_string(),
            "1969-12-30T23:59:59Z"
        );
        assert_eq!(
            Timestamp::parse_unix("951782400").unwrap().to_string(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(-62_167_219_200).to_string(),
            "0000-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(253_402_300_799).to_string(),
            "9999-12-31T23:59:59Z"
        );
        // A leap second counts as the next minute's first second.
        assert_eq!(ts("2016-12-31T23:59:60Z").unix(), Some(1_483_228_800));

        // Every day over a few centuries agrees with a day-by-day count.
        let mut expected = days_from_civil(1890, 1, 1);
        for year in 1890..2110 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), expected);
                    assert_eq!(civil_from_days(expected), (year, month, day));
                    expected += 1;
                }
            }
        }
    }

    #[test]
    fn unix_extremes_do_not_panic() {
        for seconds in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1] {
            let t = Timestamp::from_unix(seconds);
            assert_eq!(t.unix(), Some(seconds), "{t}");
            assert!(!t.to_string().is_empty());
        }
        assert!(Timestamp::from_unix(253_402_300_800)
            .to_string()
            .starts_with("+10000-01-01"));
        assert!(Timestamp::from_unix(-62_167_219_201)
            .to_string()
            .starts_with("-0001-12-31"));
        // Far-off times with an offset may not fit an i64 any more.
        let t = ts("0000-01-01T00:00:00+01:00");
        assert_eq!(t.unix(), Some(-62_167_219_200 - 3600));
    }

    #[test]
    fn parse_unix_rejects_other_text() {
        for text in [
            "",
            " ",
            "-",
            "+1",
            "1.5",
            "1e9",
            "0x10",
            "１３９２",
            "1392163200Z",
            "--1",
            "9999999999999999999999",
            // The largest read digit by digit, and the smallest left to
            // `str::parse`: both far past the year 9999.
            "999999999999999999",
            "1000000000000000000",
            "253402300800",
            "-62167219201",
        ] {
            assert!(Timestamp::parse_unix(text).is_err(), "{text:?}");
        }
        let e = Timestamp::parse_unix("abc").unwrap_err();
        assert!(e.to_string().contains("`abc`: not Unix seconds"), "{e}");
    }

    #[test]
    fn leap_days() {
        assert_eq!(
            fields(ts("2024-02-29 00:00:00")),
            (2024, 2, 29, 0, 0, 0, 0, None)
        );
        assert_eq!(fields(ts("2000-02-29T12:00:00Z")).2, 29);
        assert_eq!(
            err("2023-02-29 00:00:00"),
            "`2023-02-29 00:00:00`: day 29 is out of range for 2023-02 (1-28)"
        );
        assert!(Timestamp::parse("1900-02-29 00:00:00").is_err());
        assert!(Timestamp::parse("2024-02-30 00:00:00").is_err());
        assert!(Timestamp::parse("2026-04-31 00:00:00").is_err());
        assert!(Timestamp::parse("2026-12-31 00:00:00").is_ok());
    }

    #[test]
    fn range_messages() {
        assert_eq!(
            err("2026-13-01 00:00:00"),
            "`2026-13-01 00:00:00`: month 13 is out of range (1-12)"
        );
        assert!(err("2026-00-01 00:00:00").contains("month 0 is out of range"));
        assert!(err("2026-01-00 00:00:00").contains("day 0 is out of range"));
        assert!(err("2026-11-20 24:00:00").contains("hour 24 is out of range (0-23)"));
        assert!(err("2026-11-20 09:60:00").contains("minute 60 is out of range (0-59)"));
        assert!(err("2026-11-20 09:15:61").contains("second 61 is out of range (0-60)"));
        assert!(err("2026-11-20T09:15:02+24:00").contains("offset `+24:00` is out of range"));
        assert!(err("2026-11-20T09:15:02+0960").contains("offset `+0960` is out of range"));
        assert!(Timestamp::parse("2026-11-20T09:15:02+23:59").is_ok());
        assert!(Timestamp::parse("2026-11-20T09:15:02-23:59").is_ok());
    }

    #[test]
    fn structure_messages() {
        let e = err("foo");
        assert!(e.starts_with("`foo`: expected the year (4 digits) at the start; expected a date and time such as"), "{e}");
        assert!(err("2026-").contains("expected the month (1 or 2 digits) after `2026-`"));
        assert!(err("2026-11/20 09:15:02").contains("expected `-` after `2026-11`"));
        assert!(err("2026-11-20").contains("expected a time after the date"));
        assert!(err("2026-11-20 09:15:02 Tokyo")
            .contains("unexpected ` Tokyo` after `2026-11-20 09:15:02`"));
        assert!(err("20261-11-20 09:15:02").contains("the year `20261` must have 4 digits"));
        assert!(err("2026-11-20T09.15:02").contains("expected `.` and the seconds"));
        assert!(err("").starts_with("empty text is not a date and time"));
        let e = err(&"9".repeat(10_000));
        assert!(e.len() < 400, "{e}");
        let e = err("2026-11-20 09:15:02\u{7}");
        assert!(e.contains("\\u{7}"), "{e}");
    }

    #[test]
    fn garbage_is_an_error_without_panic() {
        let long_ascii = "2026-11-20 09:15:02".repeat(540);
        let long_japanese = "二〇二六年".repeat(700);
        let long_digits = "1".repeat(10_240);
        let long_fraction = format!("2026-11-20 09:15:02.{}", "あ".repeat(4000));
        let long_tail = format!("2026-11-20T09:15:02Z{}", "é".repeat(5000));
        let mut garbage = vec![
            "",
            " ",
            "\t\n",
            "2026",
            "2026-",
            "2026-11",
            "2026-11-",
            "2026-11-20",
            "2026-11-20 ",
            "2026-11-20T",
            "2026-11-20 09",
            "2026-11-20 09:",
            "2026-11-20 09:1",
            "2026-11-20 09:15:",
            "2026-11-20 09:15:0",
            "2026-11-20 09:15:02.",
            "2026-11-20 09:15:02+",
            "2026-11-20 09:15:02+9",
            "2026-11-20 09:15:02+09:",
            "2026-11-20 09:15:02+09:0",
            "2026-11-20 09:15:02+09:000",
            "2026-11-20 09:15:02ZZ",
            "2026-11-20 25:00:00",
            "2026-11-20 123:00:00",
            "2026-111-20 09:15:02",
            "2026-11-200 09:15:02",
            "2026-11-20 09:15:02:03",
            "2026-11-20 09.15",
            "2026.11.20 09:15:02",
            "26-11-20 09:15:02",
            "-2026-11-20 09:15:02",
            "+2026-11-20 09:15:02",
            "2026−11−20 09:15:02",
            "2026-11-20　09:15:02",
            "２０２６",
            "２０２６-11-20 09:15:02",
            "2026-11-20 09:15:02+０９:00",
            "2026年11月20日 9時15分",
            "9999999999999999999999",
            // The largest read digit by digit, and the smallest left to
            // `str::parse`: both far past the year 9999.
            "999999999999999999",
            "1000000000000000000",
            "1392163200",
            "foo",
            "NaN",
            "\u{0}",
            "🕘",
            "2026-11-20🕘09:15:02",
            "2026-11-20 09:15:02.5é",
            &long_ascii,
            &long_japanese,
            &long_digits,
            &long_fraction,
            &long_tail,
        ];
        let ten_kb = "x".repeat(10 * 1024);
        garbage.push(&ten_kb);
        for text in garbage {
            let result = Timestamp::parse(text);
            assert!(
                result.is_err(),
                "{:?} parsed as {:?}",
                text.get(..40),
                result
            );
            let message = result.unwrap_err().to_string();
            assert!(!message.is_empty());
            assert!(message.len() < 600, "message too long: {message}");
            // Some (all-digit) garbage is valid Unix seconds; it must not panic.
            let _ = Timestamp::parse_unix(text);
        }
    }

    #[test]
    fn every_prefix_of_valid_text_is_handled() {
        // Cutting valid text anywhere (on a character boundary) never panics.
        for text in [
            "2018-03-20T15.59.14.878+0000",
            "2026-11-20T09:15:02.123456789+09:00",
            "2026/1/5 9:05:02",
            "2026-11-20 09:15:02 あ",
        ] {
            for (i, _) in text.char_indices() {
                let _ = Timestamp::parse(&text[..i]);
                let _ = Timestamp::parse(&text[i..]);
                let _ = Timestamp::parse_unix(&text[i..]);
            }
        }
    }

    #[test]
    fn ordering_and_error_traits() {
        assert!(ts("2026-11-20 09:15:02") < ts("2026-11-20 09:15:03"));
        assert!(ts("2025-12-31 23:59:59") < ts("2026-01-01 00:00:00"));
        let e = Timestamp::parse("x").unwrap_err();
        let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
        assert_eq!(boxed.to_string(), e.message());
    }
}
