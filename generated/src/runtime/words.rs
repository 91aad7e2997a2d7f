//! Byte scans eight bytes at a time, for the short texts of one record
//! (values, keys, JSON strings), where the setup of `memchr` or `memcmp`
//! costs more than the scan itself.
//!
//! A word's bytes equal to `b` are the zero bytes of `word ^ [b; 8]`. The
//! classic tests below set the high bit of such bytes; bits above the first
//! one found may be false alarms (a borrow), but the lowest set bit marks
//! the first such byte exactly, which is all a search needs.

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// Eight bytes as one number, byte 0 lowest.
#[inline]
fn word(bytes: &[u8]) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

/// The high bit of the bytes of `w` equal to `b` (lowest one exact).
fn equal(w: u64, b: u8) -> u64 {
    let x = w ^ u64::from_le_bytes([b; 8]);
    x.wrapping_sub(ONES) & !x & HIGHS
}

#[cfg(feature = "json")]
/// The high bit of the bytes of `w` below `n`, for `n <= 0x80` (lowest one
/// exact).
fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(u64::from_le_bytes([n; 8])) & !w & HIGHS
}

/// The first byte of `bytes` that `marks` marks in its word, or that `is`
/// accepts in the tail shorter than a word. [`from_on`] does the same from
/// a position; [`find`] keeps this loop, which costs the kintone
/// complement 65 instructions less than `from_on`'s.
fn first(bytes: &[u8], marks: impl Fn(u64) -> u64, is: impl Fn(u8) -> bool) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    for (i, w) in words.by_ref().enumerate() {
        let m = marks(word(w));
        if m != 0 {
            return Some(i * 8 + (m.trailing_zeros() / 8) as usize);
        }
    }
    let done = bytes.len() - words.remainder().len();
    words
        .remainder()
        .iter()
        .position(|&b| is(b))
        .map(|p| done + p)
}

/// The position of the first byte of `bytes` from `from` on that `marks`
/// marks in its word, or that `is` accepts in the tail shorter than a word.
/// The words run over the rest of `bytes`, past the first match, so a
/// short run needs no tail loop of its own.
#[cfg(any(feature = "json", feature = "csv-reader"))]
#[inline]
fn from_on(
    bytes: &[u8],
    from: usize,
    marks: impl Fn(u64) -> u64,
    is: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut at = from;
    while let Some(w) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let m = marks(u64::from_le_bytes(*w));
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = bytes.get(at..)?;
    tail.iter().position(|&b| is(b)).map(|p| at + p)
}

/// The position of the first `byte` of `bytes` from `from` on, for short
/// runs: no `memchr`, whose setup costs more than they do.
#[cfg(feature = "json")]
pub fn find_from(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    from_on(bytes, from, |w| equal(w, byte), |b| b == byte)
}

/// Bytes looked at a word at a time before [`find`] hands a long text to
/// `memchr`, whose setup pays only there.
const HEAD: usize = 64;

/// The first `byte` in `bytes`.
pub fn find(bytes: &[u8], byte: u8) -> Option<usize> {
    let Some((head, tail)) = bytes.split_at_checked(HEAD) else {
        return first(bytes, |w| equal(w, byte), |b| b == byte);
    };
    first(head, |w| equal(w, byte), |b| b == byte)
        .or_else(|| memchr::memchr(byte, tail).map(|i| HEAD + i))
}

/// The position of the first `,`, `\r` or `\n` of `bytes` from `from` on:
/// the end of an unquoted CSV field.
#[cfg(feature = "csv-reader")]
#[inline(always)]
pub fn find_delimiter(bytes: &[u8], from: usize) -> Option<usize> {
    from_on(
        bytes,
        from,
        |w| equal(w, b',') | equal(w, b'\r') | equal(w, b'\n'),
        |b| matches!(b, b',' | b'\r' | b'\n'),
    )
}

/// The position of the first `"` or `\n` of `bytes` from `from` on: the
/// end of a quoted CSV field, or a line feed inside it.
#[cfg(feature = "csv-reader")]
#[inline(always)]
pub fn find_quote_or_feed(bytes: &[u8], from: usize) -> Option<usize> {
    from_on(
        bytes,
        from,
        |w| equal(w, b'"') | equal(w, b'\n'),
        |b| b == b'"' || b == b'\n',
    )
}

#[cfg(feature = "json")]
/// The position of the first byte of `bytes` from `from` on that ends a run
/// of plain JSON string text: a `"`, a `\` or a control character.
#[inline(always)]
pub fn find_string_end(bytes: &[u8], from: usize) -> Option<usize> {
    // Flipping bit 1 maps `"` (0x22) to 0x20 and the control characters
    // (0x00 to 0x1f) onto themselves, and every other byte to 0x21 or
    // above: one test below 0x21 finds both.
    const FLIP: u64 = u64::from_le_bytes([0x02; 8]);
    from_on(
        bytes,
        from,
        |w| below(w ^ FLIP, 0x21) | equal(w, b'\\'),
        |b| b == b'"' || b == b'\\' || b < 0x20,
    )
}

/// `bytes` without its `byte`s, for a short text with many of them (a JSON
/// string whose only escapes are `\"`), where a copy per run between them
/// costs more. Each word is squeezed in place, its matches dropped from
/// the highest down, and written whole: the next word overwrites what is
/// past the bytes kept.
#[cfg(feature = "json")]
pub fn without(bytes: &[u8], byte: u8) -> Vec<u8> {
    const LOW7: u64 = u64::from_le_bytes([0x7f; 8]);
    // Room for a whole word written at the end. Filled with a copy of the
    // bytes, which costs less than a zeroed allocation (`calloc`); every
    // byte kept is written over it.
    let mut out = Vec::with_capacity(bytes.len() + 8);
    out.extend_from_slice(bytes);
    out.extend_from_slice(&[0; 8]);
    let mut len = 0;
    let mut squeeze = |w: [u8; 8], counted: usize| {
        let mut w = u64::from_le_bytes(w);
        let x = w ^ u64::from_le_bytes([byte; 8]);
        // The high bit of each byte equal to `byte`, exactly: no borrow
        // crosses a byte, as it may in `equal`.
        let mut matches = !(((x & LOW7) + LOW7) | x | LOW7);
        let mut kept = counted;
        while matches != 0 {
            let at = 63 - matches.leading_zeros();
            let below = (1u64 << (at - 7)) - 1;
            w = (w & below) | ((w >> 8) & !below);
            matches &= !(1u64 << at);
            kept -= 1;
        }
        out[len..len + 8].copy_from_slice(&w.to_le_bytes());
        len += kept;
    };
    let mut words = bytes.chunks_exact(8);
    for w in words.by_ref() {
        squeeze(w.try_into().unwrap_or_default(), 8);
    }
    let rest = words.remainder();
    // Padded with bytes that are not `byte`, and not counted.
    let mut last = [!byte; 8];
    last[..rest.len()].copy_from_slice(rest);
    squeeze(last, rest.len());
    out.truncate(len);
    out
}

/// `trim(text)`, or `text` itself when neither end can be white space:
/// both end bytes printable ASCII. Whatever `trim` strips (ASCII, JSON or
/// Unicode white space) starts with a byte outside that range and ends
/// with one, and most texts of a record have nothing to strip, so the two
/// byte tests spare the trimming loop.
#[inline]
pub fn trim_with<'a>(text: &'a str, trim: impl FnOnce(&'a str) -> &'a str) -> &'a str {
    let printable = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7f).contains(b));
    let bytes = text.as_bytes();
    if printable(bytes.first()) && printable(bytes.last()) {
        text
    } else {
        trim(text)
    }
}

/// A hash of a short text (a name) from its length and its first and last
/// eight bytes (every byte of a text shorter than eight), in constant time:
/// texts that differ only in between collide, which a table built on it
/// must allow for. Its high bits are the best mixed.
#[inline]
pub fn hash(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let (first, last) = match n {
        8.. => (word(&bytes[..8]), word(&bytes[n - 8..])),
        _ => (bytes.iter().fold(0, |h, &b| h << 8 | u64::from(b)), 0),
    };
    (first ^ last.rotate_left(29) ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The number written by `bytes[start..end]`, one to eight ASCII digits, read
/// as one word: the eight bytes ending at `end`, those before `start` taken
/// for leading zeros. `None` when any is not a digit, or the digits are
/// too many or too few, or fewer than eight bytes end at `end`.
#[inline]
pub fn eight_digits(bytes: &[u8], start: usize, end: usize) -> Option<u64> {
    const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);
    let len = end.checked_sub(start).filter(|n| (1..=8).contains(n))?;
    let w = word(bytes.get(end.checked_sub(8)?..end)?);
    let before = (1u64 << ((8 - len) * 8)).wrapping_sub(1);
    let w = (w & !before) | (ZEROS & before);
    // Each byte's high half is 3 and, once 6 is added, still 3: `0` to `9`.
    const HIGH: u64 = u64::from_le_bytes([0xf0; 8]);
    let six = w.wrapping_add(u64::from_le_bytes([0x06; 8]));
    if (w & HIGH) | ((six & HIGH) >> 4) != u64::from_le_bytes([0x33; 8]) {
        return None;
    }
    // The first digit is the lowest byte: pairs, then fours, then eight.
    let v = w - ZEROS;
    let v = (v * 10 + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v * 100 + (v >> 16)) & 0x0000_ffff_0000_ffff;
    Some((v * 10_000 + (v >> 32)) & 0xffff_ffff)
}

/// `a == b`, a word at a time: the last eight bytes, then the words from
/// the start (overlapping the last); four bytes from each end for texts of
/// four to eight bytes. No byte-by-byte tail, and no `memcmp` call,
/// whose setup costs more than comparing a short key. Up to sixteen bytes,
/// the two ends are compared together, with one branch on the outcome:
/// which of them differs changes from one key to the next, and a branch
/// on each was mispredicted.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 4 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    if n <= 8 {
        let half = |t: &[u8], at: usize| {
            let mut w = [0; 4];
            w.copy_from_slice(&t[at..at + 4]);
            u32::from_le_bytes(w)
        };
        return (half(a, 0) ^ half(b, 0)) | (half(a, n - 4) ^ half(b, n - 4)) == 0;
    }
    // The last word first: texts of one length (keys, a rule's message
    // prefixes) mostly differ near their ends, not in a shared first word.
    let last = n - 8;
    if n <= 16 {
        return (word(&a[last..]) ^ word(&b[last..])) | (word(&a[..8]) ^ word(&b[..8])) == 0;
    }
    word(&a[last..]) == word(&b[last..])
        && (0..last)
            .step_by(8)
            .all(|i| word(&a[i..i + 8]) == word(&b[i..i + 8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trimming through [`trim_with`] gives what trimming gives, whatever
    /// white space (ASCII, JSON or Unicode) is at either end, or none.
    #[test]
    fn trim_with_agrees_with_trimming() {
        fn json(t: &str) -> &str {
            t.trim_matches([' ', '\t', '\n', '\r'])
        }
        let ends = [
            "", " ", "\t", "\n", "\r", "\x0c", "\x1f", "\u{85}", "\u{a0}", "\u{3000}", "\u{2029}",
            "a", "~", "\u{7f}", "é", "日",
        ];
        for head in ends {
            for tail in ends {
                for middle in ["", "x", " x y ", "日本"] {
                    let text = format!("{head}{middle}{tail}");
                    assert_eq!(trim_with(&text, str::trim), text.trim(), "{text:?}");
                    assert_eq!(trim_with(&text, str::trim_start), text.trim_start());
                    assert_eq!(trim_with(&text, str::trim_ascii), text.trim_ascii());
                    assert_eq!(trim_with(&text, json), json(&text));
                }
            }
        }
    }

    /// [`eight_digits`] reads what a loop over the digits reads: every
    /// length up to nine, a stray byte at each place, whatever comes before
    /// (digits too, or fewer than eight bytes) and after.
    #[test]
    fn eight_digits_reads_as_a_digit_loop() {
        fn by_loop(digits: &[u8]) -> Option<u64> {
            if digits.is_empty() || digits.len() > 8 {
                return None;
            }
            digits.iter().try_fold(0, |n, &b| {
                b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
            })
        }
        let mut bodies: Vec<Vec<u8>> = Vec::new();
        for len in 0..=9 {
            for digits in [&b"000000000"[..], b"999999999", b"123456789", b"907150382"] {
                bodies.push(digits[..len].to_vec());
                for at in 0..len {
                    for stray in [b'/', b':', b'a', b' ', b'-', 0x00, 0x80, 0xfa, 0xff] {
                        let mut body = digits[..len].to_vec();
                        body[at] = stray;
                        bodies.push(body);
                    }
                }
            }
        }
        for head in ["", "7", "a b: ", "x: 99999999", "日本: "] {
            for body in &bodies {
                let mut bytes = head.as_bytes().to_vec();
                bytes.extend_from_slice(body);
                bytes.extend_from_slice(b"7, b");
                let (start, end) = (head.len(), head.len() + body.len());
                let expected = by_loop(body).filter(|_| end >= 8);
                assert_eq!(
                    eight_digits(&bytes, start, end),
                    expected,
                    "{head:?} {body:?}"
                );
            }
        }
    }

    /// The word scans agree with byte-by-byte ones at every length and
    /// position, among bytes near the ones sought and with high bits set.
    #[test]
    fn agree_with_byte_scans() {
        let fill = [
            b'a', b'+', b'-', b'.', b'!', b'#', b'[', b']', 0x1f, 0x20, 0xac, 0xdc, 0x80, 0xff,
            0x00, b' ', 0x0b, 0x0e,
        ];
        let sought = [b',', b'"', b'\\', 0x01, 0x1f, b'\n', b'\r'];
        // Past `HEAD` bytes, `find` goes on with `memchr`.
        for len in (0..40).chain([HEAD - 1, HEAD, HEAD + 1, HEAD + 8, 2 * HEAD + 3]) {
            for f in fill {
                for s in sought {
                    for at in 0..=len {
                        let mut bytes = vec![f; len];
                        if at < len {
                            bytes[at] = s;
                        }
                        assert_eq!(
                            find(&bytes, b','),
                            bytes.iter().position(|&b| b == b','),
                            "{bytes:?}"
                        );
                        #[cfg(feature = "csv-reader")]
                        for from in [0, at.min(3), at, len] {
                            let after = |is: fn(u8) -> bool| {
                                bytes[from..].iter().position(|&b| is(b)).map(|p| from + p)
                            };
                            assert_eq!(
                                find_delimiter(&bytes, from),
                                after(|b| matches!(b, b',' | b'\r' | b'\n')),
                                "{bytes:?} from {from}"
                            );
                            assert_eq!(
                                find_quote_or_feed(&bytes, from),
                                after(|b| b == b'"' || b == b'\n'),
                                "{bytes:?} from {from}"
                            );
                        }
                        #[cfg(feature = "json")]
                        for from in [0, at.min(3), at, len] {
                            assert_eq!(
                                find_from(&bytes, from, b','),
                                bytes[from..]
                                    .iter()
                                    .position(|&b| b == b',')
                                    .map(|p| from + p),
                                "{bytes:?} from {from}"
                            );
                            assert_eq!(
                                find_string_end(&bytes, from),
                                bytes[from..]
                                    .iter()
                                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                                    .map(|p| from + p),
                                "{bytes:?} from {from}"
                            );
                        }
                        if len >= 40 {
                            continue;
                        }
                        let mut other = bytes.clone();
                        for i in 0..len {
                            other[i] ^= 1;
                            assert_eq!(same(&bytes, &other), bytes == other);
                            other[i] ^= 1;
                        }
                        assert!(same(&bytes, &other));
                        assert!(len == 0 || !same(&bytes, &other[1..]));
                    }
                }
            }
        }
    }

    /// `without` drops exactly the sought bytes, wherever they are and
    /// however many share a word: among them `]`, a match's neighbour that
    /// the borrowing test of `equal` would take for one, and the byte 0.
    #[cfg(feature = "json")]
    #[test]
    fn without_drops_exactly_the_byte() {
        let alphabet = [b'\\', b'\\', b'"', b']', b'a', 0x00, 0xdc, 0xff];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..=33 {
            for _ in 0..300 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % 8) as usize]
                    })
                    .collect();
                for byte in [b'\\', 0x00, 0xff] {
                    let kept: Vec<u8> = bytes.iter().copied().filter(|&b| b != byte).collect();
                    assert_eq!(without(&bytes, byte), kept, "{bytes:?} without {byte}");
                }
            }
        }
    }
}
