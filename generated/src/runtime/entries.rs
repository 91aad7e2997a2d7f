//! The keys and values of a JSON object as an [`Object`](super::object::Object)
//! keeps them: the first [`INLINE`] in place, any more on the heap, so that
//! reading a record allocates nothing for its keys.

use std::borrow::Cow;
use std::ops::Deref;

use arrayvec::ArrayVec;

use super::values::Raw;

/// One key and its value's text.
pub type Entry<'t> = (Cow<'t, str>, Raw<'t>);

/// How many entries are kept in place before they move to the heap: more
/// than a record of any bundled source has (a SAP BTP record with its
/// envelope has 11).
pub const INLINE: usize = 12;

/// A list of entries, in order; it derefs to a slice of them.
// Inline entries are the point: an object read allocates nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Entries<'t> {
    /// Up to [`INLINE`] entries, in place.
    Inline(ArrayVec<Entry<'t>, INLINE>),
    /// More, on the heap.
    Heap(Vec<Entry<'t>>),
}

impl Default for Entries<'_> {
    fn default() -> Self {
        Entries::Inline(ArrayVec::new())
    }
}

impl<'t> Entries<'t> {
    /// No entries.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `entry` at the end, moving the list to the heap when it is full.
    #[inline(always)]
    pub fn push(&mut self, entry: Entry<'t>) {
        match self {
            Entries::Inline(inline) => {
                if let Err(full) = inline.try_push(entry) {
                    self.spill(full.element());
                }
            }
            Entries::Heap(heap) => heap.push(entry),
        }
    }

    /// Moves the full inline list to the heap, with `entry` after it.
    #[cold]
    #[inline(never)]
    fn spill(&mut self, entry: Entry<'t>) {
        let mut heap = Vec::with_capacity(2 * INLINE);
        heap.extend(std::mem::take(self));
        heap.push(entry);
        *self = Entries::Heap(heap);
    }

    /// Removes every entry (those on the heap keep their room).
    pub fn clear(&mut self) {
        match self {
            Entries::Inline(inline) => inline.clear(),
            Entries::Heap(heap) => heap.clear(),
        }
    }

    /// Keeps the entries for which `keep` holds, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Entry<'t>) -> bool) {
        match self {
            Entries::Inline(inline) => inline.retain(|e| keep(e)),
            Entries::Heap(heap) => heap.retain(keep),
        }
    }
}

impl<'t> Deref for Entries<'t> {
    type Target = [Entry<'t>];
    #[inline]
    fn deref(&self) -> &Self::Target {
        match self {
            Entries::Inline(inline) => inline,
            Entries::Heap(heap) => heap,
        }
    }
}

impl<'t> From<Vec<Entry<'t>>> for Entries<'t> {
    fn from(entries: Vec<Entry<'t>>) -> Self {
        Entries::Heap(entries)
    }
}

impl<'t> IntoIterator for Entries<'t> {
    type Item = Entry<'t>;
    type IntoIter = IntoIter<'t>;
    fn into_iter(self) -> IntoIter<'t> {
        match self {
            Entries::Inline(inline) => IntoIter::Inline(inline.into_iter()),
            Entries::Heap(heap) => IntoIter::Heap(heap.into_iter()),
        }
    }
}

/// The entries of an [`Entries`], by value.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum IntoIter<'t> {
    /// Of entries kept in place.
    Inline(arrayvec::IntoIter<Entry<'t>, INLINE>),
    /// Of entries on the heap.
    Heap(std::vec::IntoIter<Entry<'t>>),
}

impl<'t> Iterator for IntoIter<'t> {
    type Item = Entry<'t>;
    fn next(&mut self) -> Option<Entry<'t>> {
        match self {
            IntoIter::Inline(inline) => inline.next(),
            IntoIter::Heap(heap) => heap.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: usize) -> Entry<'static> {
        (Cow::Owned(i.to_string()), Raw::Text("v"))
    }

    /// Past [`INLINE`] entries the list moves to the heap, keeping them all
    /// in order; `retain` and iteration by value see the same list.
    #[test]
    fn spills_to_the_heap_in_order() {
        let mut entries = Entries::new();
        for i in 0..INLINE {
            entries.push(entry(i));
        }
        assert!(matches!(entries, Entries::Inline(_)));
        entries.push(entry(INLINE));
        assert!(matches!(entries, Entries::Heap(_)));
        let keys = |e: &Entries<'_>| e.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>();
        let all: Vec<String> = (0..=INLINE).map(|i| i.to_string()).collect();
        assert_eq!(keys(&entries), all);
        entries.retain(|(k, _)| k.len() == 1);
        assert_eq!(keys(&entries), all[..10]);
        let owned: Vec<Entry<'_>> = entries.into_iter().collect();
        assert_eq!(owned.len(), 10);
        let mut few = Entries::new();
        few.push(entry(1));
        few.push(entry(2));
        few.retain(|(k, _)| k != "1");
        assert_eq!(few.into_iter().map(|(k, _)| k).collect::<Vec<_>>(), ["2"]);
    }
}
