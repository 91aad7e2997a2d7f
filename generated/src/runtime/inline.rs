//! A list that keeps its first items in place and only the rest on the
//! heap: what reading a record builds (an object's entries, the rules that
//! fit it, the values of a complement's groups) without allocating.

use std::ops::Deref;

use arrayvec::ArrayVec;

/// A list of items, in order: the first `N` in place, all of them on the
/// heap once there are more. It derefs to a slice of them.
// Items in place are the point: the usual list allocates nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Inline<T, const N: usize> {
    /// Up to `N` items, in place.
    Few(ArrayVec<T, N>),
    /// More, on the heap.
    Many(Vec<T>),
}

impl<T, const N: usize> Default for Inline<T, N> {
    fn default() -> Self {
        Inline::Few(ArrayVec::new())
    }
}

impl<T, const N: usize> Inline<T, N> {
    /// No items.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item` at the end, moving the list to the heap when it is full.
    #[inline(always)]
    pub fn push(&mut self, item: T) {
        match self {
            Inline::Few(few) => {
                if let Err(full) = few.try_push(item) {
                    self.spill(full.element());
                }
            }
            Inline::Many(many) => many.push(item),
        }
    }

    /// Moves the full list to the heap, with `item` after it.
    #[cold]
    #[inline(never)]
    fn spill(&mut self, item: T) {
        let mut many = Vec::with_capacity(2 * N);
        many.extend(std::mem::take(self));
        many.push(item);
        *self = Inline::Many(many);
    }

    /// Removes every item (a list on the heap keeps its room).
    pub fn clear(&mut self) {
        match self {
            Inline::Few(few) => few.clear(),
            Inline::Many(many) => many.clear(),
        }
    }

    /// Keeps the items for which `keep` holds, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        match self {
            Inline::Few(few) => few.retain(|item| keep(item)),
            Inline::Many(many) => many.retain(keep),
        }
    }
}

impl<T, const N: usize> Deref for Inline<T, N> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Inline::Few(few) => few,
            Inline::Many(many) => many,
        }
    }
}

impl<T, const N: usize> Extend<T> for Inline<T, N> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.push(item);
        }
    }
}

impl<T, const N: usize> From<Vec<T>> for Inline<T, N> {
    fn from(items: Vec<T>) -> Self {
        Inline::Many(items)
    }
}

impl<T, const N: usize> IntoIterator for Inline<T, N> {
    type Item = T;
    type IntoIter = IntoIter<T, N>;
    fn into_iter(self) -> IntoIter<T, N> {
        match self {
            Inline::Few(few) => IntoIter::Few(few.into_iter()),
            Inline::Many(many) => IntoIter::Many(many.into_iter()),
        }
    }
}

/// The items of an [`Inline`], by value.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum IntoIter<T, const N: usize> {
    /// Of items kept in place.
    Few(arrayvec::IntoIter<T, N>),
    /// Of items on the heap.
    Many(std::vec::IntoIter<T>),
}

impl<T, const N: usize> Iterator for IntoIter<T, N> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        match self {
            IntoIter::Few(few) => few.next(),
            IntoIter::Many(many) => many.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past `N` items the list moves to the heap, keeping them all in
    /// order; `retain`, `clear` and iteration by value see the same list.
    #[test]
    fn spills_to_the_heap_in_order() {
        let mut list = Inline::<String, 3>::new();
        for i in 0..3 {
            list.push(i.to_string());
        }
        assert!(matches!(list, Inline::Few(_)));
        list.push(3.to_string());
        assert!(matches!(list, Inline::Many(_)));
        assert_eq!(*list, ["0", "1", "2", "3"]);
        list.retain(|s| s != "1");
        assert_eq!(*list, ["0", "2", "3"]);
        assert_eq!(
            list.clone().into_iter().collect::<Vec<_>>(),
            ["0", "2", "3"]
        );
        list.clear();
        assert!(list.is_empty() && matches!(list, Inline::Many(_)));
        let mut few = Inline::<String, 3>::new();
        few.push("a".to_owned());
        few.push("b".to_owned());
        few.retain(|s| s != "a");
        assert_eq!(few.into_iter().collect::<Vec<_>>(), ["b"]);
    }
}
