//! Room for decoding: buffers kept by each thread and reused from record to
//! record, so that reading a record allocates only what the record keeps.
//!
//! A SAP BTP record often carries its message, or the message its `data`,
//! as a JSON string with escapes; it is decoded before it is read, and the
//! decoded text is dropped once the record is typed.

use std::cell::RefCell;

/// Buffers kept per thread beyond those in use.
const KEPT: usize = 4;

/// A buffer that large is not kept: one huge record must not hold on to its
/// memory.
const LARGEST: usize = 1 << 20;

thread_local! {
    static SPARE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A buffer of this thread's, empty, given back when dropped.
#[derive(Debug, Default)]
pub struct Room(pub String);

impl Room {
    /// A buffer this thread kept, or a new one.
    pub fn take() -> Room {
        let spare = SPARE.try_with(|s| s.try_borrow_mut().ok()?.pop());
        Room(spare.ok().flatten().unwrap_or_default())
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        let mut buffer = std::mem::take(&mut self.0);
        if buffer.capacity() == 0 || buffer.capacity() > LARGEST {
            return;
        }
        buffer.clear();
        // During the thread's teardown the buffer is simply dropped.
        let _ = SPARE.try_with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                if s.len() < KEPT {
                    s.push(buffer);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buffer given back is handed out again, emptied, with its room;
    /// nested takes get buffers of their own; huge ones are not kept.
    #[test]
    fn buffers_are_reused() {
        let mut room = Room::take();
        room.0.push_str("some decoded text");
        let at = room.0.as_ptr();
        drop(room);
        let outer = Room::take();
        assert!(outer.0.is_empty());
        assert_eq!(outer.0.as_ptr(), at);
        let inner = Room::take();
        assert_ne!(inner.0.as_ptr(), at);
        drop((inner, outer));
        let mut huge = Room::take();
        huge.0.reserve(LARGEST + 1);
        let at = huge.0.as_ptr();
        drop(huge);
        let (a, b) = (Room::take(), Room::take());
        assert!(a.0.as_ptr() != at && b.0.as_ptr() != at);
    }
}
