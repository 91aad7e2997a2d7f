//! Typed values of one parsed case, as generated parsers read them.
//!
//! A case's complement is first split into raw values by slot (the complement
//! tokenizer for text sources, key lookup for JSON entries); generated code
//! then asks for each slot's value in its type (`v.id(0)?`, `v.text(1)?`), and
//! every conversion that fails says which key and why.

use std::str::FromStr;

use super::complement::{
    ends_in_groups, fit, fit_keyed, fit_plain, keyed, may_fit, GroupValue, Groups, Miss, Plain,
    Separators, Slot, Span, Token,
};
use super::text::Text;
use super::time::Timestamp;
use super::value::{self, Kind};
use super::violation::{Code, Violation};
use super::words;

/// A raw value: complement text, or a JSON value's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raw<'t> {
    /// Text from a complement, exactly as logged; in a JSON entry, a string
    /// value's text (the [`scan`](super::scan)ner keeps a string without
    /// escapes so, with nothing left to decode).
    Text(&'t str),
    /// A JSON value of an entry, its text exactly as written (read by
    /// serde_json or [`scan`](super::scan), so it is JSON).
    #[cfg(feature = "json")]
    Json(&'t str),
}

impl<'t> Raw<'t> {
    /// The value as text: complement text, or a JSON string, number or boolean.
    /// `key` names the value in the error of a JSON value that is no scalar.
    #[cfg_attr(not(feature = "json"), allow(unused_variables))]
    fn text(self, key: &str) -> Result<std::borrow::Cow<'t, str>, Violation> {
        match self {
            Raw::Text(t) => Ok(t.into()),
            #[cfg(feature = "json")]
            Raw::Json(raw) => {
                if let Some(s) = self.string() {
                    return Ok(s);
                }
                // A boolean, or a whole number that fits a u64, is written
                // back as it is read: no need to parse and print it.
                let t = raw;
                let whole = (1..=19).contains(&t.len())
                    && t.bytes().all(|b| b.is_ascii_digit())
                    && (t == "0" || !t.starts_with('0'));
                if whole || t == "true" || t == "false" {
                    return Ok(t.into());
                }
                match serde_json::from_str::<serde_json::Value>(raw) {
                    Ok(serde_json::Value::Number(n)) => Ok(n.to_string().into()),
                    Ok(serde_json::Value::Bool(b)) => Ok(b.to_string().into()),
                    Ok(other) => Err(wrong(
                        key,
                        &other.to_string(),
                        "a JSON string, number or boolean",
                    )),
                    Err(_) => Err(wrong(key, raw, "a JSON string, number or boolean")),
                }
            }
        }
    }
}

/// Slots whose values [`Values`] keeps on the stack; a case with more keeps
/// them in a `Vec`.
const INLINE: usize = 12;

/// The cases of an action, each one's slots in case order, with what
/// reading them needs to know of them worked out once, when the constant
/// is built ([`Cases::new`] is a `const fn`): generated code keeps one per
/// action. It derefs to the slots of each case.
#[derive(Debug, Clone, Copy)]
pub struct Cases<'s> {
    slots: &'s [&'s [Slot<'s>]],
    /// Whether there are at most 64 cases, each of at most [`INLINE`]
    /// required `key: value` items, the last of which may be followed by
    /// a group of at least one occurrence, so that
    /// [`Values::from_keyed_cases`] reads them.
    keyed: bool,
    /// The order [`Values::from_keyed_cases`] tries the cases in, when
    /// it is theirs or its reverse: then it need not look for the next.
    order: Order,
}

impl<'s> Cases<'s> {
    /// The cases whose slots are `slots`, in case order.
    pub const fn new(slots: &'s [&'s [Slot<'s>]]) -> Self {
        let mut all_keyed = !slots.is_empty() && slots.len() <= u64::BITS as usize;
        let mut case = 0;
        while all_keyed && case < slots.len() {
            let case_slots = slots[case];
            all_keyed = !case_slots.is_empty() && case_slots.len() <= INLINE;
            let mut slot = 0;
            while all_keyed && slot < case_slots.len() {
                all_keyed = keyed(&case_slots[slot]).is_some()
                    || (slot > 0 && slot + 1 == case_slots.len() && ends_in_groups(case_slots));
                slot += 1;
            }
            case += 1;
        }
        // Whether no case may read more than one before it, or each may
        // read more than all before it.
        let (mut forward, mut backward) = (true, true);
        let mut case = 1;
        while case < slots.len() {
            forward &= most(slots[case]) <= most(slots[case - 1]);
            backward &= most(slots[case]) > most(slots[case - 1]);
            case += 1;
        }
        let order = match (forward, backward) {
            (true, _) => Order::Forward,
            (false, true) => Order::Backward,
            (false, false) => Order::Search,
        };
        Cases {
            slots,
            keyed: all_keyed,
            order,
        }
    }
}

/// The order in which [`Values::from_keyed_cases`] tries an action's cases:
/// those that may read the most first, the first of equals first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// The cases' own order.
    Forward,
    /// The cases' order reversed (each may read more than those before).
    Backward,
    /// Neither: the next is looked for among those not tried.
    Search,
}

/// The most values a case of keyed items may read: its items, or any
/// number when they end in groups.
const fn most(slots: &[Slot<'_>]) -> usize {
    match slots.last() {
        Some(Slot::Group { .. }) => usize::MAX,
        _ => slots.len(),
    }
}

impl<'s> std::ops::Deref for Cases<'s> {
    type Target = [&'s [Slot<'s>]];

    fn deref(&self) -> &Self::Target {
        self.slots
    }
}

/// The raw values of one case, by slot; see the module docs.
#[derive(Debug, Clone)]
pub struct Values<'t, 's> {
    keys: Keys<'s>,
    source: Source<'t>,
    fields: Fields,
    /// The values of every group occurrence, in order.
    groups: Groups,
}

/// The key of each slot: a case's slots, or a group's keys.
#[derive(Debug, Clone, Copy)]
enum Keys<'s> {
    Slots(&'s [Slot<'s>]),
    Names(&'s [&'s str]),
}

impl<'s> Keys<'s> {
    fn get(self, slot: usize) -> &'s str {
        match self {
            Keys::Slots(slots) => slots.get(slot).map_or("", Slot::key),
            Keys::Names(names) => names.get(slot).copied().unwrap_or(""),
        }
    }
}

/// What the values were read from.
#[derive(Debug, Clone, Copy)]
enum Source<'t> {
    /// A complement: a value is a byte range of it.
    Text(&'t str),
    /// A JSON entry: a value is the index of one of its keys.
    #[cfg(feature = "json")]
    Object(&'t super::object::Object<'t>),
}

/// Where each slot's value is in the [`Source`], if present: `(start, end)`
/// of a complement's bytes, or `(i, i)` for an entry's `i`-th key. Places,
/// not values, so that a `Values` stays small and is built where it lives.
#[derive(Debug, Clone)]
// The inline variant is the point: no allocation for the common case, and a
// `Values` lives on the stack only while one record is read.
#[allow(clippy::large_enum_variant)]
enum Fields {
    Inline([Option<Span>; INLINE]),
    Heap(Vec<Option<Span>>),
}

impl Fields {
    fn new(slots: usize) -> Self {
        if slots <= INLINE {
            Fields::Inline([None; INLINE])
        } else {
            Fields::Heap(vec![None; slots])
        }
    }

    fn get(&self, slot: usize) -> Option<Span> {
        match self {
            Fields::Inline(a) => a.get(slot).copied().flatten(),
            Fields::Heap(v) => v.get(slot).copied().flatten(),
        }
    }

    fn set(&mut self, slot: usize, place: Span) {
        let field = match self {
            Fields::Inline(a) => a.get_mut(slot),
            Fields::Heap(v) => v.get_mut(slot),
        };
        if let Some(field) = field {
            *field = Some(place);
        }
    }
}

impl<'t, 's> Values<'t, 's> {
    /// Tokenizes a text complement against the first case of `cases` it fits
    /// best (the one that reads the most items), returning the case's index.
    pub fn from_text(text: &'t str, cases: Cases<'s>) -> Result<(usize, Self), Violation> {
        if text.len() > Span::MOST {
            return Err(Violation::new(
                Code::ComplementUnparsed,
                "",
                format!(
                    "the complement is {} bytes long, more than the {} read",
                    text.len(),
                    Span::MOST
                ),
            ));
        }
        if cases.keyed {
            return Self::from_keyed_cases(text, cases);
        }
        Self::from_plain_text(text, cases.slots)
    }

    /// What `read` makes of the values [`from_text`](Self::from_text)
    /// finds and of their case: a generated parser's reading of a
    /// complement. `read` is given the values where `from_text` leaves
    /// them; moving them out of its result first would copy them whole.
    #[inline]
    pub fn read_text<T>(
        text: &'t str,
        cases: Cases<'s>,
        read: impl FnOnce(usize, &Self) -> Result<T, Violation>,
    ) -> Result<T, Violation> {
        match Self::from_text(text, cases) {
            Ok((case, ref values)) => read(case, values),
            Err(e) => Err(e),
        }
    }

    /// The values of `slots` in the complement `text`, at `fields`, no
    /// group values yet.
    fn of_text(text: &'t str, slots: &'s [Slot<'s>], fields: Fields) -> Self {
        Values {
            keys: Keys::Slots(slots),
            source: Source::Text(text),
            fields,
            groups: Groups::new(),
        }
    }

    /// [`from_text`](Self::from_text) by the tokenizer, which backtracks:
    /// for the complements the plain reading leaves, out of its way.
    #[cold]
    #[inline(never)]
    fn from_tokens(text: &'t str, cases: &[&'s [Slot<'s>]]) -> Result<(usize, Self), Violation> {
        let mut best: Option<(usize, Vec<Token<'t>>)> = None;
        let mut furthest: Option<(Miss<'s>, usize)> = None;
        for (i, slots) in cases.iter().enumerate() {
            match fit(text, slots) {
                Ok(tokens) => {
                    if best.as_ref().is_none_or(|(_, b)| tokens.len() > b.len()) {
                        best = Some((i, tokens));
                    }
                }
                Err(m) => {
                    if furthest.as_ref().is_none_or(|(f, _)| m.offset > f.offset) {
                        furthest = Some((m, i));
                    }
                }
            }
        }
        let Some((case, tokens)) = best else {
            let why = furthest.map_or_else(
                || "no case is declared".to_owned(),
                |(m, i)| m.describe(cases[i]).to_string(),
            );
            return Err(Violation::new(
                Code::ComplementUnparsed,
                "",
                format!("the complement fits no case of its action: {why}"),
            ));
        };
        let slots = cases[case];
        let mut values = Values::of_text(text, slots, Fields::new(slots.len()));
        for t in tokens {
            match t.group {
                None => values.fields.set(t.slot, span(&t)),
                Some(_) => values.groups.push(GroupValue::of(&t)),
            }
        }
        Ok((case, values))
    }

    /// [`from_text`](Self::from_text) without backtracking, and without
    /// allocating but for group values, when the first reading of every case
    /// tells ([`fit_plain`]); the complements it leaves go to the tokenizer.
    /// The first case's reading goes straight into the result; a later case
    /// that reads more is swapped in. Of several cases, those whose required
    /// keys are not all there are passed over without reading. A case of
    /// keyed items (and groups after them) is read by [`fit_keyed`], which
    /// gives the same reading for less; when all are such cases,
    /// [`from_keyed_cases`](Self::from_keyed_cases) reads them, with no
    /// table of separators.
    fn from_plain_text(
        text: &'t str,
        cases: &[&'s [Slot<'s>]],
    ) -> Result<(usize, Self), Violation> {
        let mut separators = Separators::new();
        let Some(first) = cases.first().filter(|_| separators.fill(text)) else {
            return Self::from_tokens(text, cases);
        };
        let mut values = Values::of_text(text, first, Fields::Inline([None; INLINE]));
        let several = cases.len() > 1;
        let Fields::Inline(spans) = &mut values.fields else {
            return Self::from_tokens(text, cases);
        };
        let read = |slots: &[Slot<'_>], spans: &mut [Option<Span>; INLINE], groups: &mut Groups| {
            if several && !may_fit(text, &separators, slots) {
                return Plain::Fails;
            }
            spans.fill(None);
            groups.clear();
            match fit_keyed(text, slots, spans, groups) {
                Plain::Unsure => fit_plain(text, &separators, slots, spans, groups),
                told => told,
            }
        };
        let mut best = match read(first, spans, &mut values.groups) {
            Plain::Fits(read) => Some((0, read)),
            Plain::Fails => None,
            Plain::Unsure => return Self::from_tokens(text, cases),
        };
        if several {
            let (mut trying, mut groups) = ([None; INLINE], Groups::new());
            for (i, slots) in cases.iter().enumerate().skip(1) {
                match read(slots, &mut trying, &mut groups) {
                    Plain::Fits(read) => {
                        if best.is_none_or(|(_, most)| read > most) {
                            best = Some((i, read));
                            std::mem::swap(spans, &mut trying);
                            std::mem::swap(&mut values.groups, &mut groups);
                        }
                    }
                    Plain::Fails => {}
                    Plain::Unsure => return Self::from_tokens(text, cases),
                }
            }
        }
        let Some((case, _)) = best else {
            return Self::from_tokens(text, cases);
        };
        values.keys = Keys::Slots(cases[case]);
        Ok((case, values))
    }

    /// [`from_text`](Self::from_text) for cases of required
    /// `key: value` items, each maybe followed by a group, as most actions
    /// log them: the cases that may read the most first, the rest not read
    /// once none of them could read more than one that fits.
    ///
    /// For a case of keyed items only, the plain reading ([`fit_keyed`]) is
    /// the only one that can fit: each value ends at the first `, ` that
    /// the next key follows, and ending it at a later one would only leave
    /// less text to find the keys after in. A reading that fits reads every
    /// slot, so of such cases the longest are tried first, and the first of
    /// equals. A case with groups may read any number of values, so those
    /// are tried before all others. The case that reads the most wins, the
    /// first on a tie, as in [`from_plain_text`](Self::from_plain_text).
    /// The cases are those [`Cases::new`] marks as keyed.
    #[inline]
    fn from_keyed_cases(text: &'t str, cases: Cases<'s>) -> Result<(usize, Self), Violation> {
        let order = cases.order;
        let cases = cases.slots;
        let (mut spans, mut groups) = ([None; INLINE], Groups::new());
        let found = |case, slots, spans, groups| {
            let fields = Fields::Inline(spans);
            Ok((
                case,
                Values {
                    groups,
                    ..Values::of_text(text, slots, fields)
                },
            ))
        };
        if let [slots] = cases {
            return match fit_keyed(text, slots, &mut spans, &mut groups) {
                Plain::Fits(_) => found(0, slots, spans, groups),
                Plain::Fails => Self::from_tokens(text, cases),
                Plain::Unsure => Self::from_plain_text(text, cases),
            };
        }
        // The case that fits best so far and how much it reads, whether
        // `spans` and `groups` still hold its reading, and the cases tried.
        let (mut best, mut held, mut tried): (Option<(usize, usize)>, bool, u64) = (None, false, 0);
        loop {
            // The untried case that may read the most, the first of equals.
            let next = match order {
                Order::Forward => Some(tried.trailing_ones() as usize),
                Order::Backward => cases.len().checked_sub(1 + tried.count_ones() as usize),
                Order::Search => cases
                    .iter()
                    .enumerate()
                    .filter(|&(case, _)| tried & 1 << case == 0)
                    .min_by_key(|(_, slots)| std::cmp::Reverse(most(slots)))
                    .map(|(case, _)| case),
            }
            .and_then(|case| Some((case, *cases.get(case)?)));
            let Some((case, slots)) = next else {
                break;
            };
            if let Some((won, read)) = best {
                let may = most(slots);
                if may < read || may == read && case > won {
                    break;
                }
            }
            tried |= 1 << case;
            held = match fit_keyed(text, slots, &mut spans, &mut groups) {
                Plain::Fits(read) => {
                    if best.is_none_or(|(won, most)| read > most || read == most && case < won) {
                        best = Some((case, read));
                        true
                    } else {
                        false
                    }
                }
                Plain::Fails => false,
                Plain::Unsure => return Self::from_plain_text(text, cases),
            };
        }
        let Some((case, _)) = best else {
            return Self::from_tokens(text, cases);
        };
        let slots = cases[case];
        if !held {
            // A case tried after the best one overwrote its reading.
            fit_keyed(text, slots, &mut spans, &mut groups);
        }
        if most(slots) != usize::MAX {
            groups.clear();
        }
        // A longer case tried before may have left values past this one's.
        spans[slots.len()..].fill(None);
        found(case, slots, spans, groups)
    }

    /// [`read_text`](Self::read_text) for a JSON entry: what `read` makes
    /// of the values [`from_json`](Self::from_json) finds and of their case.
    #[cfg(feature = "json")]
    #[inline]
    pub fn read_json<T>(
        entry: &'t super::object::Object<'t>,
        cases: Cases<'s>,
        read: impl FnOnce(usize, &Self) -> Result<T, Violation>,
    ) -> Result<T, Violation> {
        match Self::from_json(entry, cases) {
            Ok((case, ref values)) => read(case, values),
            Err(e) => Err(e),
        }
    }

    /// Picks the case of `cases` whose required keys `entry` has, preferring
    /// the one with the most of its keys present.
    #[cfg(feature = "json")]
    pub fn from_json(
        entry: &'t super::object::Object<'t>,
        cases: Cases<'s>,
    ) -> Result<(usize, Self), Violation> {
        let cases = cases.slots;
        // A case is passed over at its first missing required key; the
        // error, when no case fits, is worded by `missing` below.
        let mut best: Option<(usize, usize, Fields)> = None;
        // A key whose length no key of the entry has is not looked for (an
        // absent optional key would cost a scan of every key).
        let lengths = entry.key_lengths();
        let position = |key: &str| {
            (lengths & 1 << (key.len() % 64) != 0)
                .then(|| entry.position(key))
                .flatten()
        };
        'cases: for (i, slots) in cases.iter().enumerate() {
            let mut fields = Fields::new(slots.len());
            for (j, s) in slots.iter().enumerate().filter(|(_, s)| required(s)) {
                let Some(at) = position(s.key()) else {
                    continue 'cases;
                };
                fields.set(j, Span::new(at, at));
            }
            let mut present = slots.iter().filter(|s| required(s)).count();
            for (j, s) in slots.iter().enumerate().filter(|(_, s)| !required(s)) {
                if let Some(at) = position(s.key()) {
                    present += 1;
                    fields.set(j, Span::new(at, at));
                }
            }
            if best.as_ref().is_none_or(|(_, n, _)| present > *n) {
                best = Some((i, present, fields));
            }
        }
        let Some((case, _, fields)) = best else {
            let key = missing(entry, cases);
            return Err(Violation::new(
                Code::PropertyMissing,
                key,
                format!("required field `{key}` is missing"),
            ));
        };
        Ok((
            case,
            Values {
                keys: Keys::Slots(cases[case]),
                source: Source::Object(entry),
                fields,
                groups: Groups::new(),
            },
        ))
    }

    /// The raw value of `slot`, if present.
    fn get(&self, slot: usize) -> Option<Raw<'t>> {
        let span = self.fields.get(slot)?;
        match self.source {
            Source::Text(text) => text.get(span.start()..span.end()).map(Raw::Text),
            #[cfg(feature = "json")]
            Source::Object(entry) => entry.value_at(span.start()),
        }
    }

    /// The complement and where `slot`'s value lies in it, when the values
    /// are a complement's and few enough to sit on the stack: the common
    /// case, read without going through [`Raw`].
    #[inline]
    fn complement_span(&self, slot: usize) -> Option<(&'t str, Span)> {
        match (self.source, &self.fields) {
            (Source::Text(text), Fields::Inline(spans)) => Some((text, (*spans.get(slot)?)?)),
            _ => None,
        }
    }

    /// The complement text of `slot` ([`complement_span`](Self::complement_span)).
    #[inline]
    fn complement_text(&self, slot: usize) -> Option<&'t str> {
        let (text, span) = self.complement_span(slot)?;
        text.get(span.start()..span.end())
    }

    /// [`digits`] of the complement text of `slot`, eight digits or fewer
    /// read at once from the eight bytes of the complement that end them.
    #[inline]
    fn complement_id(&self, slot: usize) -> Option<u64> {
        let (text, span) = self.complement_span(slot)?;
        words::eight_digits(text.as_bytes(), span.start(), span.end())
            .or_else(|| digits(text.get(span.start()..span.end())?))
    }

    fn raw(&self, slot: usize) -> Result<Raw<'t>, Violation> {
        self.get(slot).ok_or_else(|| {
            let key = self.key(slot);
            Violation::new(Code::PropertyMissing, key, format!("`{key}` is missing"))
        })
    }

    fn key(&self, slot: usize) -> &'s str {
        self.keys.get(slot)
    }

    fn present(&self, slot: usize) -> bool {
        self.fields.get(slot).is_some()
    }

    /// Free text, a code, a URL or a file name (checked by validation, not here).
    pub fn text(&self, slot: usize) -> Result<Text, Violation> {
        if let Some(text) = self.complement_text(slot) {
            return Ok(text.into());
        }
        let raw = self.raw(slot)?;
        Ok(raw.text(self.key(slot))?.into())
    }

    /// An optional [`text`](Self::text).
    pub fn opt_text(&self, slot: usize) -> Result<Option<Text>, Violation> {
        self.optional(slot, Self::text)
    }

    /// A numeric identifier: digits, or a JSON number.
    pub fn id(&self, slot: usize) -> Result<u64, Violation> {
        if let Some(id) = self.complement_id(slot) {
            return Ok(id);
        }
        let raw = self.raw(slot)?;
        let text = raw.text(self.key(slot))?;
        if let Some(id) = digits(&text) {
            return Ok(id);
        }
        if Kind::Id.accepts(&text) {
            text.parse()
                .map_err(|_| wrong(self.key(slot), &text, "a numeric id of at most 20 digits"))
        } else {
            Err(wrong(self.key(slot), &text, Kind::Id.describe()))
        }
    }

    /// An optional [`id`](Self::id).
    pub fn opt_id(&self, slot: usize) -> Result<Option<u64>, Violation> {
        self.optional(slot, Self::id)
    }

    /// A whole number.
    pub fn integer(&self, slot: usize) -> Result<i64, Violation> {
        let raw = self.raw(slot)?;
        let text = raw.text(self.key(slot))?;
        text.parse()
            .map_err(|_| wrong(self.key(slot), &text, Kind::Integer.describe()))
    }

    /// An optional [`integer`](Self::integer).
    pub fn opt_integer(&self, slot: usize) -> Result<Option<i64>, Violation> {
        self.optional(slot, Self::integer)
    }

    /// `true` or `false`, as text or JSON.
    pub fn boolean(&self, slot: usize) -> Result<bool, Violation> {
        let raw = self.raw(slot)?;
        let text = raw.text(self.key(slot))?;
        value::parse_bool(&text).ok_or_else(|| wrong(self.key(slot), &text, Kind::Bool.describe()))
    }

    /// An optional [`boolean`](Self::boolean).
    pub fn opt_boolean(&self, slot: usize) -> Result<Option<bool>, Violation> {
        self.optional(slot, Self::boolean)
    }

    /// Unix seconds, as text or a JSON number.
    pub fn timestamp(&self, slot: usize) -> Result<Timestamp, Violation> {
        let raw = self.raw(slot)?;
        let text = raw.text(self.key(slot))?;
        Timestamp::parse_unix(&text)
            .map_err(|_| wrong(self.key(slot), &text, Kind::Timestamp.describe()))
    }

    /// An optional [`timestamp`](Self::timestamp).
    pub fn opt_timestamp(&self, slot: usize) -> Result<Option<Timestamp>, Violation> {
        self.optional(slot, Self::timestamp)
    }

    /// A list of text items split on `separator`, spaces around items
    /// trimmed, each a [`Text`] like any text value: a short one is kept in
    /// place, and the list allocates once.
    pub fn list(&self, slot: usize, separator: &str) -> Result<Vec<Text>, Violation> {
        let raw = self.raw(slot)?;
        let text = raw.text(self.key(slot))?;
        Ok(value::split_list(&text, separator)
            .map(Text::from)
            .collect())
    }

    /// An optional [`list`](Self::list).
    pub fn opt_list(&self, slot: usize, separator: &str) -> Result<Option<Vec<Text>>, Violation> {
        if self.present(slot) {
            self.list(slot, separator).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A value of a generated enumeration (which keeps unknown values).
    pub fn value<E: FromStr>(&self, slot: usize) -> Result<E, Violation> {
        let raw = self.raw(slot)?;
        let text = raw.text(self.key(slot))?;
        text.parse()
            .map_err(|_| wrong(self.key(slot), &text, Kind::Enum.describe()))
    }

    /// An optional [`value`](Self::value).
    pub fn opt_value<E: FromStr>(&self, slot: usize) -> Result<Option<E>, Violation> {
        self.optional(slot, Self::value)
    }

    /// Every occurrence of the group in `slot`, each read by `read` from the
    /// group's own values (slot `i` is the group's `i`-th key).
    pub fn groups<G>(
        &self,
        slot: usize,
        keys: &'s [&'s str],
        read: impl Fn(&Values<'t, 's>) -> Result<G, Violation>,
    ) -> Result<Vec<G>, Violation> {
        let mut out = Vec::new();
        let mut items = self.groups.iter().filter(|t| t.slot == slot).peekable();
        while let Some(first) = items.next() {
            let mut fields = Fields::new(keys.len());
            fields.set(0, first.span);
            let mut k = 0;
            while let Some(t) = items.next_if(|t| t.group == first.group) {
                k += 1;
                fields.set(k, t.span);
            }
            out.push(read(&Values {
                keys: Keys::Names(keys),
                source: self.source,
                fields,
                groups: Groups::new(),
            })?);
        }
        Ok(out)
    }

    fn optional<T>(
        &self,
        slot: usize,
        read: impl Fn(&Self, usize) -> Result<T, Violation>,
    ) -> Result<Option<T>, Violation> {
        if self.present(slot) {
            read(self, slot).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Whether a JSON entry must have `slot`'s key for its case to fit.
#[cfg(feature = "json")]
fn required(slot: &Slot<'_>) -> bool {
    matches!(
        slot,
        Slot::Field {
            optional: false,
            ..
        }
    )
}

/// The required key to name when no case of `cases` fits `entry`: the
/// first one missing from the case with the most of its keys present.
#[cfg(feature = "json")]
fn missing<'s>(entry: &super::object::Object<'_>, cases: &[&'s [Slot<'s>]]) -> &'s str {
    let mut missing: Option<(usize, &str)> = None;
    for slots in cases {
        let present = slots.iter().filter(|s| entry.contains_key(s.key())).count();
        let lacks = slots
            .iter()
            .find(|s| required(s) && !entry.contains_key(s.key()));
        if let Some(lacks) = lacks {
            if missing.is_none_or(|(n, _)| present > n) {
                missing = Some((present, lacks.key()));
            }
        }
    }
    missing.map_or("", |(_, k)| k)
}

/// ASCII digits whose number fits a `u64`, read in one pass: the common case
/// of [`Values::id`], which checks and parses anything else (and says why it
/// fails).
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// The byte range of a token's value in its complement.
fn span(t: &Token<'_>) -> Span {
    Span::new(t.offset, t.offset + t.value.len())
}

fn wrong(key: &str, text: &str, expected: &str) -> Violation {
    Violation::new(
        Code::ValueWrongType,
        key,
        format!("`{key}` is `{text}`, which is not {expected}"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::complement::every_complement;
    use super::*;

    const APP: &[Slot<'static>] = &[
        Slot::Field {
            key: "app id",
            optional: false,
            bare: false,
        },
        Slot::Field {
            key: "app name",
            optional: false,
            bare: false,
        },
        Slot::Group {
            keys: &["app id", "app name"],
            min: 0,
            max: None,
        },
    ];

    /// A `key: value` item as logged: `optional` when it may be absent,
    /// `bare` when logged without its key.
    const fn item(key: &'static str, optional: bool, bare: bool) -> Slot<'static> {
        Slot::Field {
            key,
            optional,
            bare,
        }
    }

    /// A required `key: value` item.
    const fn required(key: &'static str) -> Slot<'static> {
        item(key, false, false)
    }

    #[test]
    fn typed_values_and_groups() {
        let (case, v) = Values::from_text(
            "app id: 3, app name: A, (app id: 4, app name: B), (app id: 5, app name: C)",
            Cases::new(&[APP]),
        )
        .unwrap();
        assert_eq!(case, 0);
        assert_eq!(v.id(0).unwrap(), 3);
        assert_eq!(v.text(1).unwrap(), "A");
        let groups = v
            .groups(2, &["app id", "app name"], |g| Ok((g.id(0)?, g.text(1)?)))
            .unwrap();
        assert_eq!(groups, [(4, "B".into()), (5, "C".into())]);
    }

    /// A complement with more separators than the fast path keeps on the
    /// stack is read whole all the same, by the tokenizer: a value with
    /// forty `, ` in it ends where the optional key after it starts, not
    /// at the last separator kept.
    #[test]
    fn more_separators_than_kept_are_read() {
        // `APP`'s first two items, the name optional.
        const NAME_LAST: &[Slot<'static>] = &[
            APP[0],
            Slot::Field {
                key: "app name",
                optional: true,
                bare: false,
            },
        ];
        let id = vec!["x"; 41].join(", ");
        let text = format!("app id: {id}, app name: N");
        let (_, v) = Values::from_text(&text, Cases::new(&[NAME_LAST])).unwrap();
        assert_eq!(v.text(0).unwrap(), id.as_str());
        assert_eq!(v.opt_text(1).unwrap().as_deref(), Some("N"));
    }

    #[test]
    fn wrong_types_name_the_key() {
        let (_, v) = Values::from_text("app id: x3, app name: A", Cases::new(&[APP])).unwrap();
        let err = v.id(0).unwrap_err();
        assert_eq!(err.code, Code::ValueWrongType);
        assert_eq!(err.path, "app id");
    }

    #[test]
    fn unparsed_complements_say_why() {
        let err = Values::from_text("app: 3", Cases::new(&[APP])).unwrap_err();
        assert_eq!(err.code, Code::ComplementUnparsed);
        assert!(err.message.contains("app id"), "{err}");
    }

    #[test]
    fn the_case_that_reads_most_wins() {
        let short: &[Slot<'static>] = &[
            Slot::Field {
                key: "app id",
                optional: false,
                bare: false,
            },
            Slot::Field {
                key: "template name",
                optional: false,
                bare: false,
            },
        ];
        let long: &[Slot<'static>] = &[
            short[0],
            short[1],
            Slot::Field {
                key: "filename",
                optional: false,
                bare: false,
            },
        ];
        let (case, _) = Values::from_text(
            "app id: 1, template name: T, filename: t.zip",
            Cases::new(&[short, long]),
        )
        .unwrap();
        assert_eq!(case, 1);
        let (case, _) =
            Values::from_text("app id: 1, template name: T", Cases::new(&[short, long])).unwrap();
        assert_eq!(case, 0);
    }

    /// Whichever path reads a complement, `from_text` picks the case that
    /// backtracking over every case picks (the one that reads the most,
    /// the first on a tie) with the same values: over cases of keyed items
    /// of equal and different lengths, keys that start like others
    /// (`b`, `b c`), a group, and hostile values.
    #[test]
    fn from_text_picks_what_backtracking_picks() {
        const A: Slot<'static> = required("a");
        const B: Slot<'static> = required("b");
        const BC: Slot<'static> = required("b c");
        const C: Slot<'static> = required("c");
        const GROUP: Slot<'static> = Slot::Group {
            keys: &["a", "b"],
            min: 1,
            max: None,
        };
        // Cases of other items, read by the general path.
        const MAYBE_C: Slot<'static> = item("c", true, false);
        const GROUPS: Slot<'static> = Slot::Group {
            keys: &["a", "b"],
            min: 0,
            max: Some(2),
        };
        let layouts: [&[&[Slot<'static>]]; 12] = [
            &[&[A, B], &[A, B, C], &[A, BC]],
            &[&[A, C], &[A, B], &[A, BC]],
            &[&[B], &[A, B], &[B, C], &[A]],
            &[&[A, B, C], &[A, B], &[A, B, C]],
            &[&[A, B], &[A, B, GROUP]],
            &[&[A, B, C], &[A, GROUP], &[A, B, GROUP]],
            &[&[A, GROUP], &[A, B], &[B, GROUP]],
            &[&[A, B, GROUP]],
            &[&[A, B]],
            &[&[A, B, GROUP], &[A, B, MAYBE_C]],
            &[&[A, B, C], &[A, GROUPS], &[A, GROUP]],
            &[&[A, MAYBE_C], &[A, B, GROUPS]],
        ];
        let keys = ["a", "b", "b c", "c", "("];
        let values = ["x", "", "x, b: y", "b c: 1", ", ", "x, c: 2", "x), (a: y"];
        let mut fits = 0;
        for cases in layouts {
            for text in every_complement(&keys, &values, 3) {
                let mut best: Option<(usize, Vec<Token<'_>>)> = None;
                for (i, slots) in cases.iter().enumerate() {
                    if let Ok(tokens) = fit(&text, slots) {
                        if best.as_ref().is_none_or(|(_, b)| tokens.len() > b.len()) {
                            best = Some((i, tokens));
                        }
                    }
                }
                let read = Values::from_text(&text, Cases::new(cases));
                let Some((case, tokens)) = best else {
                    assert!(read.is_err(), "{text:?} fits no case");
                    continue;
                };
                let (got, v) = read.unwrap_or_else(|e| panic!("{text:?}: {e}"));
                assert_eq!(got, case, "{text:?}");
                let mut fields = 0;
                for t in tokens.iter().filter(|t| t.group.is_none()) {
                    assert_eq!(v.fields.get(t.slot), Some(span(t)), "{text:?}");
                    fields += 1;
                }
                let held = (0..INLINE).filter(|&slot| v.present(slot)).count();
                assert_eq!(held, fields, "{text:?}: values of another case kept");
                let in_groups: Vec<GroupValue> = tokens
                    .iter()
                    .filter(|t| t.group.is_some())
                    .map(GroupValue::of)
                    .collect();
                assert_eq!(*v.groups, in_groups, "{text:?}");
                fits += 1;
            }
        }
        assert!(fits > 10_000, "{fits} complements fit");
    }

    /// `Cases::new` marks as keyed cases of required `key: value` items,
    /// each maybe ending in a group of at least one occurrence, and
    /// nothing else; it is usable in a constant.
    #[test]
    fn cases_know_when_they_are_keyed() {
        const A: Slot<'static> = item("a", false, false);
        const B: Slot<'static> = item("b", false, false);
        const GROUP: Slot<'static> = Slot::Group {
            keys: &["a"],
            min: 1,
            max: None,
        };
        const KEYED: Cases<'static> = Cases::new(&[&[A, B], &[A], &[A, B, GROUP]]);
        const { assert!(KEYED.keyed) };
        assert_eq!(KEYED.len(), 3);
        assert!(Cases::new(&[&[A, B]]).keyed);
        let maybe_none = Slot::Group {
            keys: &["a"],
            min: 0,
            max: None,
        };
        let no_keys = Slot::Group {
            keys: &[],
            min: 1,
            max: None,
        };
        let many = [A; INLINE + 1];
        let one: &[Slot<'_>] = &[A];
        let not_keyed: [&[&[Slot<'_>]]; 10] = [
            &[],
            &[&[]],
            &[&[A, B], &[A, item("b", true, false)]],
            &[&[A, B], &[item("a", false, true), B]],
            &[&[A, B], &[GROUP, B]],
            &[&[A, B], &[A, GROUP, B]],
            &[&[A, B], &[A, maybe_none]],
            &[&[A, B], &[A, no_keys]],
            &[&[A, B], &many],
            &[one; 65],
        ];
        for slots in not_keyed {
            assert!(!Cases::new(slots).keyed, "{slots:?}");
        }
        assert!(Cases::new(&[one; 64]).keyed);
        // The order the cases are tried in: those that may read the most
        // first, the first of equals first.
        let orders: [(&[&[Slot<'_>]], Order); 6] = [
            (&[&[A, B], &[A], &[B]], Order::Forward),
            (&[&[A, GROUP], &[B, GROUP], &[A, B]], Order::Forward),
            (&[&[A], &[A, B], &[A, B, GROUP]], Order::Backward),
            (&[&[A], &[B]], Order::Forward),
            (&[&[A], &[A, B], &[B]], Order::Search),
            (&[&[A, GROUP], &[A], &[A, GROUP]], Order::Search),
        ];
        for (slots, order) in orders {
            assert_eq!(Cases::new(slots).order, order, "{slots:?}");
        }
    }

    /// Cases of keyed items only, read longest first: the longest case
    /// that fits wins even when a shorter one, tried later, fits too (its
    /// last value swallowing the rest); the first of equals wins; values
    /// a longer case left behind are not kept; a case with more slots than
    /// fit in place is read by the general path.
    #[test]
    fn keyed_cases_longest_first() {
        const SHORT: &[Slot<'static>] = &[required("a"), required("b")];
        const LONG: &[Slot<'static>] =
            &[required("a"), required("b"), required("c"), required("d")];
        const OTHER: &[Slot<'static>] =
            &[required("a"), required("b"), required("e"), required("d")];
        let cases = [SHORT, LONG, OTHER];
        let read = |text: &str| {
            let (case, v) = Values::from_text(text, Cases::new(&cases)).unwrap();
            let values: Vec<Option<Span>> = (0..INLINE).map(|slot| v.fields.get(slot)).collect();
            (case, v.text(1).unwrap(), values.iter().flatten().count())
        };
        assert_eq!(read("a: 1, b: 2, c: 3, d: 4"), (1, "2".into(), 4));
        assert_eq!(read("a: 1, b: 2, e: 3, d: 4"), (2, "2".into(), 4));
        assert_eq!(read("a: 1, b: 2, c: 3"), (0, "2, c: 3".into(), 2));
        // Both long cases fit; the first of them wins.
        assert_eq!(read("a: 1, b: 2, c: 3, e: 4, d: 5").0, 1);
        assert_eq!(read("a: 1, b: 2, e: 3, c: 4, d: 5").0, 1);
        assert!(Values::from_text("b: 2", Cases::new(&cases)).is_err());
        // The longest case reads three values before it fails at `f`.
        const LONGEST: &[Slot<'static>] = &[
            required("a"),
            required("b"),
            required("c"),
            required("d"),
            required("f"),
        ];
        let (case, v) =
            Values::from_text("a: 1, b: 2, c: 3, d: 4", Cases::new(&[SHORT, LONGEST])).unwrap();
        assert_eq!(case, 0);
        assert_eq!(v.fields.get(2), None);

        let keys: Vec<String> = (0..=INLINE).map(|i| format!("k{i}")).collect();
        let many: Vec<Slot<'_>> = keys
            .iter()
            .map(|key| Slot::Field {
                key,
                optional: false,
                bare: false,
            })
            .collect();
        let items: Vec<String> = keys.iter().map(|k| format!("{k}: 1")).collect();
        let text = items.join(", ");
        let cases = [SHORT, &many];
        let (case, v) = Values::from_text(&text, Cases::new(&cases)).unwrap();
        assert_eq!(case, 1);
        assert!(matches!(v.fields, Fields::Heap(_)));
    }

    /// Cases of keyed items that end in groups are read before the others,
    /// which are read only when they may read as many values: a keyed case
    /// of as many values, earlier in case order, wins and keeps no group
    /// values; the groups win over a shorter keyed case.
    #[test]
    fn keyed_cases_with_groups() {
        const GROUP: Slot<'static> = Slot::Group {
            keys: &["b", "c"],
            min: 1,
            max: None,
        };
        // A key may hold a parenthesis: `(b` reads what the group reads.
        const PAREN: &[Slot<'static>] = &[required("a"), required("(b"), required("c")];
        const GROUPS: &[Slot<'static>] = &[required("a"), GROUP];
        const SHORT: &[Slot<'static>] = &[required("a"), required("(b")];
        let text = "a: 1, (b: 2, c: 3)";
        let (case, v) = Values::from_text(text, Cases::new(&[PAREN, GROUPS])).unwrap();
        assert_eq!((case, v.groups.len()), (0, 0));
        assert_eq!(v.text(2).unwrap(), "3)");
        let (case, v) = Values::from_text(text, Cases::new(&[GROUPS, PAREN])).unwrap();
        assert_eq!((case, v.groups.len()), (0, 2));
        let (case, v) = Values::from_text(text, Cases::new(&[SHORT, GROUPS])).unwrap();
        assert_eq!((case, v.groups.len()), (1, 2));
        assert_eq!(v.text(0).unwrap(), "1");
        let read = v.groups(1, &["b", "c"], |g| Ok((g.id(0)?, g.text(1)?)));
        assert_eq!(read.unwrap(), [(2, "3".into())]);
    }

    /// A case with more slots than [`INLINE`] keeps its values in a `Vec`,
    /// and reads the same.
    #[test]
    fn many_slots_spill_to_the_heap() {
        const KEYS: [&str; 14] = [
            "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13",
        ];
        let slots: Vec<Slot<'static>> = KEYS
            .iter()
            .map(|&key| Slot::Field {
                key,
                optional: false,
                bare: false,
            })
            .collect();
        let text = KEYS
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k}: {i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let cases = [&slots[..]];
        let (_, v) = Values::from_text(&text, Cases::new(&cases)).unwrap();
        assert!(matches!(v.fields, Fields::Heap(_)));
        assert_eq!(v.id(0).unwrap(), 0);
        assert_eq!(v.id(13).unwrap(), 13);
        assert_eq!(v.text(12).unwrap(), "12");
    }

    /// JSON entries: the case whose required keys are all there, the one
    /// with most keys present among several (the first on a tie); when
    /// none fits, the first missing key of the case that came closest.
    #[cfg(feature = "json")]
    #[test]
    fn json_cases_by_keys_present() {
        use super::super::object::Object;
        const SERVICE: &[Slot<'static>] = &[required("service_id"), required("user")];
        const APP: &[Slot<'static>] = &[
            required("app_id"),
            required("user"),
            item("channel", true, false),
            item("reason", true, false),
        ];
        const BOTH: &[Slot<'static>] = &[required("app_id"), required("service_id")];
        let cases = [SERVICE, APP, BOTH];
        let read = |json: &str| {
            let entry = Object::parse(json).unwrap();
            match Values::from_json(&entry, Cases::new(&cases)) {
                Ok((case, v)) => Ok((case, v.text(1).unwrap())),
                Err(e) => Err(e.to_string()),
            }
        };
        assert_eq!(
            read(r#"{"service_id":"1","user":"a"}"#),
            Ok((0, "a".into()))
        );
        assert_eq!(read(r#"{"user":"b","app_id":"2"}"#), Ok((1, "b".into())));
        // Both fit: the one with more keys present wins, then the first.
        assert_eq!(
            read(r#"{"service_id":"1","app_id":"2","user":"c","channel":"x"}"#),
            Ok((1, "c".into()))
        );
        assert_eq!(
            read(r#"{"service_id":"1","app_id":"2","user":"d"}"#),
            Ok((0, "d".into()))
        );
        // The last of a repeated key counts.
        assert_eq!(
            read(r#"{"user":"e","service_id":"1","user":"f"}"#),
            Ok((0, "f".into()))
        );
        let missing = |json| read(json).unwrap_err();
        assert!(missing(r#"{"user":"g"}"#).contains("`service_id`"));
        assert!(missing(r#"{"service_id":"1"}"#).contains("`user`"));
        assert!(missing(r#"{"app_id":"1","channel":"x","reason":"y"}"#).contains("`user`"));
        assert!(missing("{}").contains("`service_id`"));
        // Keys are passed over by their length modulo 64 (`Object::key_lengths`):
        // a 70-byte key is found, and a 6-byte one that shares its bit is not
        // made up.
        let long = "k".repeat(70);
        let json = format!(r#"{{"user":"h","{long}":"i"}}"#);
        let entry = Object::parse(&json).unwrap();
        assert_eq!(entry.key_lengths(), 1 << 4 | 1 << 6);
        let optional = |key| Slot::Field {
            key,
            optional: true,
            bare: false,
        };
        let slots = [required("user"), optional(&long), optional("abcdef")];
        let cases = [&slots[..]];
        let (_, v) = Values::from_json(&entry, Cases::new(&cases)).unwrap();
        assert_eq!(v.opt_text(1).unwrap().as_deref(), Some("i"));
        assert_eq!(v.opt_text(2).unwrap(), None);
    }

    /// JSON booleans and whole numbers are read as the text they are
    /// written as, borrowed; other numbers as serde_json prints them.
    #[cfg(feature = "json")]
    #[test]
    fn json_scalars_as_text() {
        use std::borrow::Cow;
        for t in ["true", "false", "0", "42", "18446744073709551615"] {
            assert_eq!(Raw::Json(t).text("k"), Ok(Cow::Borrowed(t)), "{t}");
        }
        assert_eq!(Raw::Json("1.50").text("k").as_deref(), Ok("1.5"));
        assert_eq!(Raw::Json("-7").text("k").as_deref(), Ok("-7"));
        assert!(Raw::Json("null").text("k").is_err());
    }
}
