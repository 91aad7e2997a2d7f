//! The complement tokenizer of text sources (cybozu.com/kintone).
//!
//! A complement is `key: value` items separated by `, `, with repeated groups
//! in parentheses: `app id: 3, app name: A, (app id: 4, app name: B)`. Values
//! are user-chosen text and may themselves contain `, ` and `: `, so splitting
//! on commas is wrong. The tokenizer is driven by a [`Slot`] list that says
//! which keys may come and in which order: a value ends only where `, ` is
//! followed by a key that may come next, and among such places the earliest one
//! that lets the rest of the line parse wins.

use std::collections::HashSet;
use std::fmt;
use std::num::NonZeroU32;

use super::inline::Inline;
use super::words;

/// One expected part of a complement, in log order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot<'a> {
    /// A `key: value` item (or a bare value when `bare`).
    Field {
        /// The key as logged.
        key: &'a str,
        /// Whether the item may be absent.
        optional: bool,
        /// Whether the value is logged without `key: `.
        bare: bool,
    },
    /// Parenthesised groups `(k: v, k: v)`, repeated `min..=max` times.
    Group {
        /// Keys inside one group, in order; all required.
        keys: &'a [&'a str],
        /// Fewest groups.
        min: usize,
        /// Most groups, if bounded.
        max: Option<usize>,
    },
}

impl<'a> Slot<'a> {
    /// The key of a field, or the first key of a group.
    pub fn key(&self) -> &'a str {
        match *self {
            Slot::Field { key, .. } => key,
            Slot::Group { keys, .. } => keys.first().copied().unwrap_or(""),
        }
    }
}

/// A value found in a complement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'t> {
    /// Index of the slot it fills.
    pub slot: usize,
    /// For a group slot: which occurrence (0-based) it belongs to.
    pub group: Option<usize>,
    /// The key as logged (for a bare value, the slot's key).
    pub key: &'t str,
    /// The value text, exactly as logged.
    pub value: &'t str,
    /// Byte offset of the value in the complement.
    pub offset: usize,
}

/// A value of a group occurrence, as a plain reading ([`fit_plain`]) keeps
/// it: its group's slot, which occurrence, and where its text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupValue {
    /// Index of the group's slot.
    pub slot: usize,
    /// Which occurrence (0-based).
    pub group: usize,
    /// The value's place in the complement.
    pub span: Span,
}

impl GroupValue {
    /// The place of `token`, a value of a group occurrence.
    pub fn of(token: &Token<'_>) -> GroupValue {
        GroupValue {
            slot: token.slot,
            group: token.group.unwrap_or(0),
            span: Span::new(token.offset, token.offset + token.value.len()),
        }
    }
}

/// How many group values a plain reading keeps in place: two groups of two
/// keys, as the group actions of the bundled catalog mostly log.
pub const GROUP_VALUES: usize = 4;

/// The values of a complement's group occurrences, in order: the first
/// [`GROUP_VALUES`] in place.
pub type Groups = Inline<GroupValue, GROUP_VALUES>;

/// Where a value lies: the byte range `start..end` of a complement, or, for
/// a JSON entry, the index of its key (as both ends). Eight bytes, and an
/// absent one costs nothing more (`Option<Span>` is eight bytes too), since
/// [`Values`](super::values::Values) keeps a dozen on the stack and is moved
/// whole. Complements longer than [`Span::MOST`] are turned away before
/// reading; an entry's index always fits (four billion entries would take
/// 160 GB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// `start + 1`: zero is left to mean `None` in an `Option<Span>`.
    after_start: NonZeroU32,
    end: u32,
}

impl Span {
    /// The last place a span can hold.
    pub const MOST: usize = u32::MAX as usize - 1;

    /// The span `start..end`, both at most [`MOST`](Self::MOST).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end && end <= Self::MOST, "{start}..{end}");
        Span {
            after_start: NonZeroU32::MIN.saturating_add(start as u32),
            end: end as u32,
        }
    }

    /// Where the value starts.
    pub fn start(self) -> usize {
        self.after_start.get() as usize - 1
    }

    /// Where the value ends.
    pub fn end(self) -> usize {
        self.end as usize
    }
}

/// Why a complement does not fit its slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Byte offset of the furthest point the tokenizer reached.
    pub offset: usize,
    /// What was expected there.
    pub expected: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.offset)
    }
}

impl std::error::Error for Mismatch {}

/// What separates the items of a complement.
pub(crate) const SEP: &str = ", ";

/// What ends an item's key.
const KEY_END: &str = ": ";

/// Splits `text` into the values of `slots`, or says where it stops fitting.
pub fn tokenize<'t>(text: &'t str, slots: &[Slot<'_>]) -> Result<Vec<Token<'t>>, Mismatch> {
    fit(text, slots).map_err(|miss| miss.describe(slots))
}

/// Where [`fit`] stopped and what it wanted there; [`Miss::describe`]
/// writes the message, which a caller trying several cases rarely needs.
#[derive(Debug, Clone, Copy)]
pub struct Miss<'k> {
    /// Byte offset of the furthest point reached.
    pub offset: usize,
    expect: Expect<'k>,
}

impl Miss<'_> {
    /// The [`Mismatch`] for the slots that were tried.
    pub fn describe(self, slots: &[Slot<'_>]) -> Mismatch {
        let expected = match self.expect {
            Expect::Next(slot) => describe_next(slots, slot),
            Expect::After(slot, key) => {
                format!("{} after the value of `{key}`", describe_next(slots, slot))
            }
            Expect::InGroup(key) => format!("`{key}: ` in a group"),
        };
        Mismatch {
            offset: self.offset,
            expected,
        }
    }
}

/// For each slot, the offset just after the last `, ` where it could start
/// (0 if nowhere; `usize::MAX` for a bare value): one pass over the commas.
fn last_places(text: &str, slots: &[Slot<'_>]) -> Vec<usize> {
    let mut last: Vec<usize> = slots
        .iter()
        .map(|s| match *s {
            Slot::Field { bare: true, .. } => usize::MAX,
            _ => 0,
        })
        .collect();
    for comma in separators(text) {
        let at = comma + SEP.len();
        let rest = &text[at..];
        for (j, s) in slots.iter().enumerate() {
            let starts = match *s {
                Slot::Field { bare: true, .. } => false,
                Slot::Field { key, .. } => {
                    rest.strip_prefix(key).is_some_and(|r| r.starts_with(": "))
                }
                Slot::Group { keys, .. } => rest
                    .strip_prefix('(')
                    .and_then(|r| r.strip_prefix(keys.first().copied().unwrap_or("")))
                    .is_some_and(|r| r.starts_with(": ")),
            };
            if starts {
                last[j] = at;
            }
        }
    }
    last
}

/// The first `, ` in `hay`.
fn find_sep(hay: &str) -> Option<usize> {
    next_separator(hay.as_bytes(), 0)
}

/// The offsets of the commas of the `, ` separators in `text`, in order.
fn separators(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let comma = next_separator(text.as_bytes(), from)?;
        from = comma + 1;
        Some(comma)
    })
}

/// The comma of the first `, ` separator at or after `from`.
fn next_separator(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let comma = from + words::find(bytes.get(from..)?, b',')?;
        if bytes.get(comma + 1) == Some(&b' ') {
            return Some(comma);
        }
        from = comma + 1;
    }
}

/// The most `, ` separators [`Separators::fill`] records; a complement with
/// more is left to [`fit`].
const MOST_SEPARATORS: usize = 32;

/// The offsets of every comma followed by a space in a complement, found in
/// one pass and kept on the stack: a complement is read against each case of
/// its action, and each reading walks these instead of the bytes.
#[derive(Debug, Clone, Copy)]
pub struct Separators {
    commas: [u32; MOST_SEPARATORS],
    len: usize,
}

impl Default for Separators {
    fn default() -> Self {
        Separators::new()
    }
}

impl Separators {
    /// No separators, to [`fill`](Self::fill) in place.
    pub fn new() -> Self {
        Separators {
            commas: [0; MOST_SEPARATORS],
            len: 0,
        }
    }

    /// Records the separators of `text` in place of those held, filled where
    /// the caller keeps them: returning the table cost it a copy or more.
    /// `false` when it has more than fit on the stack (or is longer than 4
    /// GiB).
    pub fn fill(&mut self, text: &str) -> bool {
        self.len = 0;
        if u32::try_from(text.len()).is_err() {
            return false;
        }
        for comma in separators(text) {
            let Some(slot) = self.commas.get_mut(self.len) else {
                return false;
            };
            *slot = comma as u32;
            self.len += 1;
        }
        true
    }

    fn commas(&self) -> impl Iterator<Item = usize> + '_ {
        self.commas[..self.len].iter().map(|&c| c as usize)
    }
}

/// What [`fit_plain`] could tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {
    /// The complement fits; this many values were read.
    Fits(usize),
    /// The complement cannot fit: a required key appears nowhere it could start.
    Fails,
    /// Only [`fit`] can tell: the slots have groups or bare values, or the
    /// first reading did not fit and another might.
    Unsure,
}

/// Whether `rest` starts with `key: `. Keys are short: comparing eight
/// bytes at a time in place beats a `memcmp` call for each of the many keys
/// tried.
#[inline(always)]
fn starts_key(rest: &str, key: &str) -> bool {
    let (rest, key) = (rest.as_bytes(), key.as_bytes());
    let Some((head, tail)) = rest.split_at_checked(key.len()) else {
        return false;
    };
    tail.starts_with(KEY_END.as_bytes()) && words::same(head, key)
}

/// The fast path of [`fit`]: one reading, every value ending at the first
/// separator after which a slot that may come next starts, groups read as
/// [`fit`] reads them. Backtracking tries exactly this reading first, so when
/// it fits it is [`fit`]'s answer: `spans[i]` is then the byte range of field
/// `i`'s value (`None` for an absent optional item), and `groups` holds the
/// values of the group occurrences in order.
pub fn fit_plain(
    text: &str,
    separators: &Separators,
    slots: &[Slot<'_>],
    spans: &mut [Option<Span>],
    groups: &mut Groups,
) -> Plain {
    if spans.len() < slots.len() {
        return Plain::Unsure;
    }
    spans.fill(None);
    groups.clear();
    let reader = Greedy {
        text,
        separators,
        slots,
    };
    match reader.read(spans, groups) {
        Some(read) => Plain::Fits(read),
        None if reader.lacks_required() => Plain::Fails,
        None => Plain::Unsure,
    }
}

/// [`fit_plain`]'s reading of required `key: value` items, as most
/// actions log them, read straight from the text with no table of
/// separators: each value ends at the first `, ` that the next key
/// follows, the last at the end of the text. The items may be followed
/// by a group of at least one occurrence (`app id: 1, app name: A,
/// (app id: 2, app name: B)`): then the last item's value ends at the
/// first `, (`, and the groups are read as [`fit_plain`] reads them.
///
/// [`Plain::Fits`] with what [`fit_plain`] leaves in the first
/// `slots.len()` of `spans` and in `groups`. [`Plain::Fails`] when a key
/// is not where this reading looks for it, or no `, (` follows the last
/// item's value start: no reading fits then, since every other ends the
/// values later and so finds the next key later, if at all.
/// [`Plain::Unsure`] for other slots, a text longer than a [`Span`]
/// holds, or groups this reading does not fit, for [`fit_plain`] or
/// [`fit`] to tell.
pub fn fit_keyed(
    text: &str,
    slots: &[Slot<'_>],
    spans: &mut [Option<Span>],
    groups: &mut Groups,
) -> Plain {
    if spans.len() < slots.len() || text.len() > Span::MOST {
        return Plain::Unsure;
    }
    let [first, rest @ ..] = slots else {
        return Plain::Unsure;
    };
    let Some(first) = keyed(first) else {
        return Plain::Unsure;
    };
    if !starts_key(text, first) {
        return Plain::Fails;
    }
    let mut start = first.len() + KEY_END.len();
    for (i, next) in rest.iter().enumerate() {
        let Some(next) = keyed(next) else {
            return fit_last_groups(text, slots, i, start, spans, groups);
        };
        let Some(comma) = next_item(text, start, next) else {
            return Plain::Fails;
        };
        spans[i] = Some(Span::new(start, comma));
        start = comma + SEP.len() + next.len() + KEY_END.len();
    }
    spans[slots.len() - 1] = Some(Span::new(start, text.len()));
    Plain::Fits(slots.len())
}

/// The end of [`fit_keyed`] when `slots[item + 1]` is no keyed item: the
/// value of `slots[item]`, which starts at `start`, and the groups after
/// it, when that slot is a group of at least one occurrence and the last.
fn fit_last_groups(
    text: &str,
    slots: &[Slot<'_>],
    item: usize,
    start: usize,
    spans: &mut [Option<Span>],
    groups: &mut Groups,
) -> Plain {
    let group = item + 1;
    let Some(&Slot::Group { keys, min, max }) = slots.get(group) else {
        return Plain::Unsure;
    };
    if group + 1 != slots.len() || !ends_in_groups(slots) {
        return Plain::Unsure;
    }
    let Some(comma) = next_opening(text.as_bytes(), start) else {
        return Plain::Fails;
    };
    spans[item] = Some(Span::new(start, comma));
    spans[group] = None;
    groups.clear();
    match read_groups(text, slots, group, max, comma + SEP.len(), groups) {
        Some((count, end)) if count >= min && end == text.len() => {
            Plain::Fits(group + count * keys.len())
        }
        _ => Plain::Unsure,
    }
}

/// The key of a required `key: value` item, the only slot [`fit_keyed`]
/// reads. Each slot is asked as the reading reaches it: a loop over the
/// slots beforehand ended at a count that changes from one action to the
/// next, and its exit was mispredicted. A `const fn`, so that
/// [`Cases::new`](super::values::Cases::new) asks it at compile time.
pub(crate) const fn keyed<'k>(slot: &Slot<'k>) -> Option<&'k str> {
    match *slot {
        Slot::Field {
            key,
            optional: false,
            bare: false,
        } => Some(key),
        _ => None,
    }
}

/// Whether the last of `slots` is a group of at least one occurrence,
/// the only group [`fit_keyed`] reads. A `const fn`, as [`keyed`] is.
pub(crate) const fn ends_in_groups(slots: &[Slot<'_>]) -> bool {
    matches!(slots.last(), Some(Slot::Group { keys, min, .. }) if *min > 0 && !keys.is_empty())
}

/// The comma of the first `, (` at or after `from`: where a group may
/// start.
fn next_opening(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let comma = next_separator(bytes, from)?;
        if bytes.get(comma + SEP.len()) == Some(&b'(') {
            return Some(comma);
        }
        from = comma + 1;
    }
}

/// The comma of the first `, ` at or after `from` that `key: ` follows.
fn next_item(text: &str, mut from: usize, key: &str) -> Option<usize> {
    loop {
        let comma = next_separator(text.as_bytes(), from)?;
        // The separator's space is ASCII: the item starts on a boundary.
        if starts_key(&text[comma + SEP.len()..], key) {
            return Some(comma);
        }
        from = comma + 1;
    }
}

/// Whether every required item of `slots` has its key somewhere it could
/// start (the beginning, or after a separator). When not, nothing fits, and
/// [`fit_plain`] would say [`Plain::Fails`] after reading: a caller trying
/// several cases asks this first, which costs a few comparisons per key.
pub fn may_fit(text: &str, separators: &Separators, slots: &[Slot<'_>]) -> bool {
    !Greedy {
        text,
        separators,
        slots,
    }
    .lacks_required()
}

/// The single reading of [`fit_plain`].
struct Greedy<'t, 's, 'k> {
    text: &'t str,
    separators: &'s Separators,
    slots: &'s [Slot<'k>],
}

impl<'t> Greedy<'t, '_, '_> {
    /// Reads every slot; the number of values read, or `None` where the
    /// reading stops fitting.
    fn read(&self, spans: &mut [Option<Span>], groups: &mut Groups) -> Option<usize> {
        let text = self.text;
        let (mut slot, mut pos, mut read) = (0, 0, 0);
        let mut commas = self.separators.commas().peekable();
        loop {
            let Some(&here) = self.slots.get(slot) else {
                return (pos == text.len()).then_some(read);
            };
            let (key, optional, bare) = match here {
                Slot::Field {
                    key,
                    optional,
                    bare,
                } => (key, optional, bare),
                Slot::Group { keys, min, max } => {
                    let (count, end) = read_groups(text, self.slots, slot, max, pos, groups)?;
                    if count < min {
                        return None;
                    }
                    read += count * keys.len();
                    pos = if count == 0 || end == text.len() {
                        end
                    } else if text[end..].starts_with(SEP) {
                        end + SEP.len()
                    } else {
                        return None;
                    };
                    slot += 1;
                    continue;
                }
            };
            let start = if bare {
                pos
            } else if starts_key(&text[pos..], key) {
                pos + key.len() + 2
            } else if optional {
                slot += 1;
                continue;
            } else {
                return None;
            };
            while commas.next_if(|&c| c < start).is_some() {}
            let end = match commas.find(|&c| self.may_start(slot + 1, c + SEP.len())) {
                Some(c) => c,
                None if all_optional(&self.slots[slot + 1..]) => text.len(),
                None => return None,
            };
            spans[slot] = Some(Span::new(start, end));
            read += 1;
            slot += 1;
            pos = (end + SEP.len()).min(text.len());
        }
    }

    /// Whether an item of `slot..` may start at `at`.
    fn may_start(&self, slot: usize, at: usize) -> bool {
        may_start(self.text, &self.slots[slot..], at)
    }

    /// Whether a required item's key appears nowhere it could start (the
    /// beginning, or after a separator): then nothing can fit.
    fn lacks_required(&self) -> bool {
        let text = self.text;
        let starts = |at: usize, group: bool, key: &str| {
            let rest = &text[at..];
            if group {
                rest.starts_with('(') && starts_key(&rest[1..], key)
            } else {
                starts_key(rest, key)
            }
        };
        let placed = |group: bool, key: &str| {
            starts(0, group, key)
                || self
                    .separators
                    .commas()
                    .any(|c| starts(c + SEP.len(), group, key))
        };
        // Last keys first: where cases differ, they mostly differ there.
        self.slots.iter().rev().any(|s| match *s {
            Slot::Field {
                key,
                optional: false,
                bare: false,
            } => !placed(false, key),
            Slot::Group { keys, min, .. } if min > 0 => {
                !placed(true, keys.first().copied().unwrap_or(""))
            }
            _ => false,
        })
    }
}

/// Reads the occurrences of the group `slots[slot]`, at most `max`, from
/// `pos`, as [`Run::groups`] does, keeping their values in `out`: how
/// many, and the offset just after the last `)`.
fn read_groups(
    text: &str,
    slots: &[Slot<'_>],
    slot: usize,
    max: Option<usize>,
    mut pos: usize,
    out: &mut Groups,
) -> Option<(usize, usize)> {
    let Some(Slot::Group { keys, .. }) = slots.get(slot) else {
        return None;
    };
    let mut count = 0;
    while max.is_none_or(|m| count < m) && text[pos..].starts_with('(') {
        let keep = |_: &str, start, end| {
            out.push(GroupValue {
                slot,
                group: count,
                span: Span::new(start, end),
            });
        };
        pos = read_group(text, &slots[slot + 1..], keys, pos + 1, keep).ok()?;
        count += 1;
        if text[pos..].starts_with(", (") {
            pos += SEP.len();
        } else {
            break;
        }
    }
    Some((count, pos))
}

/// Whether every slot of `slots` may be absent.
fn all_optional(slots: &[Slot<'_>]) -> bool {
    slots.iter().all(|s| match *s {
        Slot::Field { optional, .. } => optional,
        Slot::Group { min, .. } => min == 0,
    })
}

/// [`tokenize`] without writing the message of a mismatch.
pub fn fit<'t, 'k>(text: &'t str, slots: &[Slot<'k>]) -> Result<Vec<Token<'t>>, Miss<'k>> {
    let last = last_places(text, slots);
    let mut run = Run {
        text,
        slots,
        last,
        failed: HashSet::new(),
        furthest: (0, Expect::Next(0)),
    };
    let mut tokens = Vec::with_capacity(slots.len());
    if run.items(0, 0, &mut tokens) {
        Ok(tokens)
    } else {
        let (offset, expect) = run.furthest;
        Err(Miss { offset, expect })
    }
}

/// What was expected at the furthest point reached, as data: the message is
/// only written when the whole complement fails.
#[derive(Debug, Clone, Copy)]
enum Expect<'k> {
    /// An item of slot `.0` or later.
    Next(usize),
    /// An item of slot `.0` or later, after the value of key `.1`.
    After(usize, &'k str),
    /// The key `.0` inside a group.
    InGroup(&'k str),
}

struct Run<'t, 's, 'a> {
    text: &'t str,
    slots: &'s [Slot<'a>],
    /// `(slot, offset)` pairs known not to lead to a full parse.
    failed: HashSet<(usize, usize)>,
    /// The furthest offset reached and what was expected there.
    furthest: (usize, Expect<'a>),
    /// For each slot, the offset of the last place it could start (after a
    /// `, `); `usize::MAX` when any place could (a bare value). A required
    /// slot whose last place lies before a value's start cannot follow it,
    /// which keeps long repetitive complements linear.
    last: Vec<usize>,
}

impl<'t, 'a> Run<'t, '_, 'a> {
    fn note(&mut self, offset: usize, slot: usize) {
        if offset >= self.furthest.0 {
            self.furthest = (offset, Expect::Next(slot));
        }
    }

    /// Parses slots `slot..` from byte `pos`, where `pos` is the start of an
    /// item (the separator before it already consumed).
    fn items(&mut self, slot: usize, pos: usize, out: &mut Vec<Token<'t>>) -> bool {
        if slot == self.slots.len() {
            return pos == self.text.len();
        }
        if self.failed.contains(&(slot, pos)) {
            return false;
        }
        let mark = out.len();
        let ok = match self.slots[slot] {
            Slot::Field {
                key,
                optional,
                bare,
            } => {
                (self.field(slot, key, bare, pos, out)) || {
                    out.truncate(mark);
                    optional && self.items(slot + 1, pos, out)
                }
            }
            Slot::Group { keys, min, max } => self.groups(slot, keys, min, max, pos, out),
        };
        if !ok {
            out.truncate(mark);
            self.note(pos, slot);
            self.failed.insert((slot, pos));
        }
        ok
    }

    fn field(
        &mut self,
        slot: usize,
        key: &'a str,
        bare: bool,
        pos: usize,
        out: &mut Vec<Token<'t>>,
    ) -> bool {
        let rest = &self.text[pos..];
        let start = if bare {
            pos
        } else {
            match rest.strip_prefix(key).and_then(|r| r.strip_prefix(": ")) {
                Some(_) => pos + key.len() + 2,
                None => return false,
            }
        };
        // The next required item must start after this value.
        if let Some(j) = (slot + 1..self.slots.len()).find(|&j| self.required(j)) {
            if self.last[j] <= start {
                self.missing_after(start, slot, key);
                return false;
            }
        }
        // Candidate ends: every `, ` after which a possible next item starts,
        // then the end of the text.
        let mark = out.len();
        let text = self.text;
        // No later item can start past the last place any of them could.
        let bound = self.last[slot + 1..].iter().copied().max().unwrap_or(0);
        let mut from = start;
        while let Some(i) = find_sep(&text[from..]) {
            let end = from + i;
            let next = end + SEP.len();
            if next > bound {
                break;
            }
            if self.may_start(slot + 1, next) {
                out.push(token(slot, None, key, text, start, end));
                if self.items(slot + 1, next, out) {
                    return true;
                }
                out.truncate(mark);
                // `, (key: ` where a group may come is a group, never part of
                // a value: a broken group is reported, not swallowed.
                if self.opens_group(slot + 1, next) {
                    return false;
                }
            }
            from = end + 1;
        }
        if !all_optional(&self.slots[slot + 1..]) {
            self.missing_after(start, slot, key);
            return false;
        }
        out.push(token(slot, None, key, text, start, text.len()));
        if self.items(slot + 1, text.len(), out) {
            return true;
        }
        out.truncate(mark);
        false
    }

    /// Notes that no later item follows the value of `key` starting at `start`.
    fn missing_after(&mut self, start: usize, slot: usize, key: &'a str) {
        if start >= self.furthest.0 {
            self.furthest = (start, Expect::After(slot + 1, key));
        }
    }

    /// Whether slot `j` must appear.
    fn required(&self, j: usize) -> bool {
        match self.slots[j] {
            Slot::Field { optional, .. } => !optional,
            Slot::Group { min, .. } => min > 0,
        }
    }

    fn groups(
        &mut self,
        slot: usize,
        keys: &[&'a str],
        min: usize,
        max: Option<usize>,
        mut pos: usize,
        out: &mut Vec<Token<'t>>,
    ) -> bool {
        // Groups are consumed greedily: no key starts with `(`, so text that
        // opens a parenthesis where a group may come is a group.
        let text = self.text;
        let mut count = 0;
        loop {
            if max.is_some_and(|m| count >= m) || !text[pos..].starts_with('(') {
                break;
            }
            match self.group(slot, count, keys, pos + 1, out) {
                Some(end) => {
                    count += 1;
                    pos = end;
                }
                None => return false,
            }
            if text[pos..].starts_with(", (") {
                pos += SEP.len();
            } else {
                break;
            }
        }
        if count < min {
            return false;
        }
        if count == 0 {
            return self.items(slot + 1, pos, out);
        }
        if pos == text.len() {
            return self.items(slot + 1, pos, out);
        }
        match text[pos..].strip_prefix(SEP) {
            Some(_) => self.items(slot + 1, pos + SEP.len(), out),
            None => false,
        }
    }

    /// Parses one group's items from just after its `(`; returns the offset
    /// just after its `)`.
    fn group(
        &mut self,
        slot: usize,
        index: usize,
        keys: &[&'a str],
        pos: usize,
        out: &mut Vec<Token<'t>>,
    ) -> Option<usize> {
        let text = self.text;
        let keep = |key: &str, start, end| {
            out.push(token(slot, Some(index), key, text, start, end));
        };
        read_group(text, &self.slots[slot + 1..], keys, pos, keep)
            .map_err(|stop| {
                if let Some((at, key)) = stop {
                    self.furthest_group(at, key);
                }
            })
            .ok()
    }

    fn furthest_group(&mut self, pos: usize, key: &'a str) {
        if pos >= self.furthest.0 {
            self.furthest = (pos, Expect::InGroup(key));
        }
    }

    /// Whether a group of `slot..` (reachable past optional items) opens at `pos`.
    fn opens_group(&self, slot: usize, pos: usize) -> bool {
        let rest = &self.text[pos..];
        for s in &self.slots[slot..] {
            match *s {
                Slot::Group { keys, min, .. } => {
                    let first = keys.first().copied().unwrap_or("");
                    if rest
                        .strip_prefix('(')
                        .and_then(|r| r.strip_prefix(first))
                        .is_some_and(|r| r.starts_with(": "))
                    {
                        return true;
                    }
                    if min > 0 {
                        return false;
                    }
                }
                Slot::Field { optional, .. } => {
                    if !optional {
                        return false;
                    }
                }
            }
        }
        false
    }

    /// Whether an item of `slot..` may start at `pos`.
    fn may_start(&self, slot: usize, pos: usize) -> bool {
        may_start(self.text, &self.slots[slot..], pos)
    }
}

/// Whether an item of `slots` (the ones that may come next, in order) may
/// start at `at`: its key, a bare value or a group's `(`, past optional ones.
fn may_start(text: &str, slots: &[Slot<'_>], at: usize) -> bool {
    let rest = &text[at..];
    for s in slots {
        match *s {
            Slot::Field {
                key,
                optional,
                bare,
            } => {
                if bare || starts_key(rest, key) {
                    return true;
                }
                if !optional {
                    return false;
                }
            }
            Slot::Group { min, .. } => {
                if rest.starts_with('(') {
                    return true;
                }
                if min > 0 {
                    return false;
                }
            }
        }
    }
    false
}

/// Reads one group from just after its `(`, handing each value's key and
/// place to `value` (the backtracking reading makes a [`Token`] of them,
/// the plain one keeps only the place); the offset just after its `)`, or
/// where it stopped and the key it wanted there (`None` when no `)` closes
/// the group at all). `after` are the slots that may follow the groups.
/// Nothing here backtracks: a value ends at the first `, ` followed by the
/// next key, the last at the `)` that closes the group.
fn read_group<'k>(
    text: &str,
    after: &[Slot<'_>],
    keys: &[&'k str],
    mut pos: usize,
    mut value: impl FnMut(&'k str, usize, usize),
) -> Result<usize, Option<(usize, &'k str)>> {
    for (k, key) in keys.iter().enumerate() {
        if !starts_key(&text[pos..], key) {
            return Err(Some((pos, key)));
        }
        let start = pos + key.len() + 2;
        let end = if let Some(next) = keys.get(k + 1) {
            let found = separators(&text[start..])
                .map(|c| start + c)
                .find(|&c| starts_key(&text[c + SEP.len()..], next));
            match found {
                Some(end) => end,
                None => {
                    let close = words::find(&text.as_bytes()[start..], b')')
                        .map_or(text.len(), |i| start + i);
                    return Err(Some((close, next)));
                }
            }
        } else {
            // The last value ends at the `)` that closes the group: the
            // first `)` followed by the end, by the next group
            // (`, (first key: `) or by an item that may follow the
            // groups. A name like `Leads (old), archived` has other `)`s.
            let mut from = start;
            loop {
                let Some(i) = words::find(&text.as_bytes()[from..], b')').map(|i| from + i) else {
                    return Err(None);
                };
                let rest = &text[i + 1..];
                let next_group = rest
                    .strip_prefix(", (")
                    .is_some_and(|r| starts_key(r, keys[0]));
                if rest.is_empty()
                    || next_group
                    || (rest.starts_with(SEP) && may_start(text, after, i + 1 + SEP.len()))
                {
                    break i;
                }
                from = i + 1;
            }
        };
        value(key, start, end);
        pos = if k + 1 < keys.len() {
            end + SEP.len()
        } else {
            end + 1
        };
    }
    Ok(pos)
}

fn token<'t>(
    slot: usize,
    group: Option<usize>,
    key: &str,
    text: &'t str,
    start: usize,
    end: usize,
) -> Token<'t> {
    // `key` may borrow from the slots; the token borrows the text instead
    // where the key was written, falling back to the text's own span.
    let key_span = if start >= key.len() + 2 && text[..start - 2].ends_with(key) {
        &text[start - 2 - key.len()..start - 2]
    } else {
        &text[start..start]
    };
    Token {
        slot,
        group,
        key: key_span,
        value: &text[start..end],
        offset: start,
    }
}

fn describe_next(slots: &[Slot<'_>], slot: usize) -> String {
    let mut wanted = Vec::new();
    for s in &slots[slot..] {
        match *s {
            Slot::Field {
                key,
                optional,
                bare,
            } => {
                wanted.push(if bare {
                    format!("a bare `{key}` value")
                } else {
                    format!("`{key}: `")
                });
                if !optional {
                    return wanted.join(" or ");
                }
            }
            Slot::Group { keys, min, .. } => {
                wanted.push(format!("`({}: `", keys.first().copied().unwrap_or("")));
                if min > 0 {
                    return wanted.join(" or ");
                }
            }
        }
    }
    wanted.push("the end".to_owned());
    wanted.join(" or ")
}

/// Every complement of one to `most` items, each `key: value` of one of
/// `keys` and `values` or, for the key `(`, a group `(a: value, b: x)`:
/// the texts the tests of the readings go through.
#[cfg(test)]
pub(crate) fn every_complement<'a>(
    keys: &'a [&str],
    values: &'a [&str],
    most: u32,
) -> impl Iterator<Item = String> + 'a {
    let choices = keys.len() * values.len();
    (1..=most).flat_map(move |n| {
        (0..choices.pow(n)).map(move |pick| {
            let mut rest = pick;
            let mut items = Vec::new();
            for _ in 0..n {
                let (k, v) = (rest % keys.len(), rest / keys.len() % values.len());
                rest /= choices;
                items.push(match keys[k] {
                    "(" => format!("(a: {}, b: x)", values[v]),
                    key => format!("{key}: {}", values[v]),
                });
            }
            items.join(SEP)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span keeps both ends up to [`Span::MOST`], in eight bytes, absent
    /// or not.
    #[test]
    fn spans_are_eight_bytes_and_exact() {
        assert_eq!(std::mem::size_of::<Option<Span>>(), 8);
        for (start, end) in [
            (0, 0),
            (0, 7),
            (3, 3),
            (Span::MOST - 1, Span::MOST),
            (Span::MOST, Span::MOST),
        ] {
            let span = Span::new(start, end);
            assert_eq!((span.start(), span.end()), (start, end));
        }
    }

    #[test]
    fn keys_start_with_colon_and_space() {
        assert!(starts_key("app id: 3", "app id"));
        assert!(!starts_key("app id:3", "app id"));
        assert!(!starts_key("app i", "app id"));
        assert!(!starts_key("app ix: 3", "app id"));
    }

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

    fn values<'t>(tokens: &[Token<'t>]) -> Vec<(Option<usize>, &'t str, &'t str)> {
        tokens.iter().map(|t| (t.group, t.key, t.value)).collect()
    }

    #[test]
    fn values_may_contain_separators() {
        let t = tokenize("app id: 3, app name: Sales, East: 2026", APP).unwrap();
        assert_eq!(
            values(&t),
            [
                (None, "app id", "3"),
                (None, "app name", "Sales, East: 2026")
            ]
        );
    }

    #[test]
    fn repeated_groups() {
        let line =
            "app id: 3, app name: A, (app id: 4, app name: B, C), (app id: 5, app name: (D))";
        let t = tokenize(line, APP).unwrap();
        assert_eq!(
            values(&t),
            [
                (None, "app id", "3"),
                (None, "app name", "A"),
                (Some(0), "app id", "4"),
                (Some(0), "app name", "B, C"),
                (Some(1), "app id", "5"),
                (Some(1), "app name", "(D)"),
            ]
        );
    }

    #[test]
    fn names_with_parentheses_in_groups() {
        let line = "app id: 1, app name: A, (app id: 2, app name: Leads (old), archived), (app id: 3, app name: B)";
        let t = tokenize(line, APP).unwrap();
        assert_eq!(
            values(&t)[3..],
            [
                (Some(0), "app name", "Leads (old), archived"),
                (Some(1), "app id", "3"),
                (Some(1), "app name", "B"),
            ]
        );
    }

    #[test]
    fn optional_and_bare_items() {
        let slots = [
            Slot::Field {
                key: "app id",
                optional: false,
                bare: false,
            },
            Slot::Field {
                key: "filename",
                optional: true,
                bare: false,
            },
        ];
        assert_eq!(tokenize("app id: 1", &slots).unwrap().len(), 1);
        assert_eq!(
            tokenize("app id: 1, filename: a.zip", &slots)
                .unwrap()
                .len(),
            2
        );
        let bare = [Slot::Field {
            key: "state",
            optional: false,
            bare: true,
        }];
        let t = tokenize("Enable", &bare).unwrap();
        assert_eq!(values(&t), [(None, "", "Enable")]);
    }

    #[test]
    fn mismatch_says_what_was_expected_where() {
        let err = tokenize("app id: 3, name: A", APP).unwrap_err();
        assert_eq!(err.expected, "`app name: ` after the value of `app id`");
        assert_eq!(err.offset, 8);
        let err = tokenize("app id: 3, app name: A, (app id: 4)", APP).unwrap_err();
        assert!(err.expected.contains("group"), "{err}");
    }

    /// `fit_plain` agrees with `fit` wherever it answers, over every
    /// complement built from hostile values and keys in and out of order;
    /// so does `fit_keyed`, which reads what `fit_plain` reads and always
    /// answers for slots that are all required keyed items.
    #[test]
    fn the_fast_path_agrees_with_backtracking() {
        let field = |key, optional| Slot::Field {
            key,
            optional,
            bare: false,
        };
        let bare = |optional| Slot::Field {
            key: "s",
            optional,
            bare: true,
        };
        let group = |keys, min, max| Slot::Group { keys, min, max };
        let layouts: [&[Slot<'static>]; 14] = [
            &[field("a", false), field("b", false), field("c", false)],
            &[field("b", false)],
            &[field("a", false), field("c", false)],
            &[field("a", false), field("b", true), field("c", false)],
            &[field("a", false), field("b", true), field("c", true)],
            &[field("a", true), field("b", false)],
            &[bare(false), field("b", true)],
            &[field("a", false), bare(true), field("c", false)],
            &[
                field("a", false),
                field("b", false),
                group(&["a", "b"], 0, None),
            ],
            &[
                field("a", false),
                group(&["a", "b"], 1, Some(2)),
                field("c", true),
            ],
            &[group(&["a"], 0, None), field("b", true)],
            &[field("a", false), group(&["a", "b"], 1, None)],
            &[
                field("c", false),
                field("b", false),
                group(&["a", "b"], 2, Some(2)),
            ],
            &[field("b", false), group(&["a", "b"], 1, Some(1))],
        ];
        let values = [
            "x",
            "",
            "a: 1",
            "x, c: y",
            "x, b: 2",
            ", ",
            "c: ",
            "x, c: y, b: 3",
            "b: , c: ",
            "L (o), y",
            "x), (a: 2",
            ")",
        ];
        // "ab" is no slot's key but starts like one; the last "key" writes
        // a group `(a: value, b: x)`.
        let keys = ["a", "b", "c", "ab", "("];
        let (mut answered, mut with_groups, mut failed) = (0, 0, 0);
        for slots in layouts {
            for text in every_complement(&keys, &values, 3) {
                let (mut spans, mut groups) = ([None; 4], Groups::new());
                let slow = fit(&text, slots);
                let mut separators = Separators::new();
                assert!(separators.fill(&text));
                let plain = fit_plain(&text, &separators, slots, &mut spans, &mut groups);
                assert_eq!(
                    may_fit(&text, &separators, slots),
                    plain != Plain::Fails,
                    "{text:?}"
                );
                let keyed_slots = slots.iter().all(|s| keyed(s).is_some());
                let (mut keyed, mut keyed_groups) = ([None; 4], Groups::new());
                match fit_keyed(&text, slots, &mut keyed, &mut keyed_groups) {
                    Plain::Fits(read) => {
                        assert_eq!(plain, Plain::Fits(read), "{text:?}");
                        assert_eq!(keyed[..slots.len()], spans[..slots.len()], "{text:?}");
                        assert_eq!(*keyed_groups, *groups, "{text:?}");
                        with_groups += usize::from(!groups.is_empty());
                    }
                    Plain::Fails => {
                        assert!(slow.is_err(), "{text:?} was said not to fit");
                        failed += 1;
                    }
                    Plain::Unsure => assert!(!keyed_slots, "{text:?}: keyed items tell"),
                }
                match plain {
                    Plain::Fits(read) => {
                        let tokens = slow.unwrap_or_else(|_| panic!("{text:?} fits"));
                        assert_eq!(tokens.len(), read, "{text:?}");
                        let (in_groups, fields): (Vec<_>, Vec<_>) =
                            tokens.into_iter().partition(|t| t.group.is_some());
                        let in_groups: Vec<GroupValue> =
                            in_groups.iter().map(GroupValue::of).collect();
                        assert_eq!(in_groups, *groups, "{text:?}");
                        for t in fields {
                            let span = Span::new(t.offset, t.offset + t.value.len());
                            assert_eq!(spans[t.slot], Some(span), "{text:?}");
                        }
                        answered += 1;
                    }
                    Plain::Fails => {
                        assert!(slow.is_err(), "{text:?} was said not to fit");
                        answered += 1;
                    }
                    Plain::Unsure => {}
                }
            }
        }
        assert!(
            answered > 100_000,
            "the fast path answered {answered} times"
        );
        assert!(
            with_groups > 10_000 && failed > 100_000,
            "fit_keyed read groups {with_groups} times and failed {failed} times"
        );
    }
}
