//! Catalog enumerations (modules, actions, levels, values) and matching names
//! as they are logged.

use std::fmt;

use super::words;

/// A closed set of names from the catalog, implemented by generated enums.
pub trait Catalogued: Copy + Eq + 'static {
    /// Every member, in catalog order.
    const ALL: &'static [Self];
    /// The name as the catalog writes it.
    fn name(self) -> &'static str;
    /// Other names the documents use for it.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }
    /// The members by name, built on first use; see [`catalogued_index!`](crate::catalogued_index).
    fn index() -> &'static Index;
    /// The member that `logged` names, matched by [`matches()`] against the
    /// name and the aliases.
    fn find(logged: &str) -> Option<Self> {
        find(logged, |_| true)
    }
}

/// The first member (in catalog order) that `keep` keeps and `logged`
/// names, by name or alias ([`matches()`]); a member named exactly as logged,
/// the common case, wins over the rest and is found by hash, or among up to
/// eight members by comparing each.
pub fn find<T: Catalogued>(logged: &str, keep: impl Fn(T) -> bool) -> Option<T> {
    let exact_name = |&m: &T| words::same(m.name().as_bytes(), logged.as_bytes()) && keep(m);
    let exact = if T::ALL.len() <= SCANNED {
        T::ALL.iter().copied().find(exact_name)
    } else {
        T::index()
            .named(logged)
            .iter()
            .map(|&i| T::ALL[i as usize])
            .find(exact_name)
    };
    if exact.is_some() {
        return exact;
    }
    let logged = Logged::new(logged);
    T::ALL.iter().copied().find(|&m| {
        keep(m) && (logged.matches(m.name()) || m.aliases().iter().any(|a| logged.matches(a)))
    })
}

/// The most members an enumeration may have for [`find`] to compare the
/// logged name with each of theirs rather than look it up in the
/// [`Index`]: a few comparisons, mostly of lengths alone, cost less than
/// hashing the name and reading the index.
const SCANNED: usize = 8;

/// The members of a [`Catalogued`] enumeration by the hash
/// (`words::hash`) of their names: looking a name up costs a hash and
/// mostly one comparison, however many members there are and wherever the
/// name comes among them.
#[derive(Debug)]
pub struct Index {
    /// The bucket is the hash's top bits: it shifted right by this.
    shift: u32,
    /// Where each bucket's members start in `members`, and where the last
    /// one ends.
    starts: Box<[u32]>,
    /// Positions in `ALL`, by bucket, in catalog order within one.
    members: Box<[u32]>,
}

impl Index {
    /// The index of `T`'s members, with twice as many buckets as members
    /// (rounded up to a power of two), so that most hold one at most.
    pub fn new<T: Catalogued>() -> Index {
        let buckets = (2 * T::ALL.len()).next_power_of_two().max(2);
        let shift = 64 - buckets.trailing_zeros();
        let bucket = |m: T| (words::hash(m.name().as_bytes()) >> shift) as usize;
        let mut starts = vec![0u32; buckets + 1];
        for &m in T::ALL {
            starts[bucket(m) + 1] += 1;
        }
        for b in 0..buckets {
            starts[b + 1] += starts[b];
        }
        let mut next = starts.clone();
        let mut members = vec![0u32; T::ALL.len()];
        for (i, &m) in T::ALL.iter().enumerate() {
            let slot = &mut next[bucket(m)];
            members[*slot as usize] = i as u32;
            *slot += 1;
        }
        Index {
            shift,
            starts: starts.into(),
            members: members.into(),
        }
    }

    /// The positions in `ALL` of the members that may be named `name`
    /// exactly: those whose names hash as it does.
    #[inline]
    pub fn named(&self, name: &str) -> &[u32] {
        let b = (words::hash(name.as_bytes()) >> self.shift) as usize;
        &self.members[self.starts[b] as usize..self.starts[b + 1] as usize]
    }
}

/// The body of [`Catalogued::index`]: the enumeration's [`Index`], built
/// on first use and kept (a `static` of its own per enumeration, which a
/// default method could not have).
#[macro_export]
#[doc(hidden)]
macro_rules! catalogued_index {
    () => {{
        static INDEX: std::sync::OnceLock<$crate::runtime::names::Index> =
            std::sync::OnceLock::new();
        INDEX.get_or_init($crate::runtime::names::Index::new::<Self>)
    }};
}
pub use catalogued_index;

/// Whether a name as logged is the catalog's `name`: ASCII case is ignored,
/// surrounding white space too, full-width parentheses count as parentheses,
/// and a `%s` in the catalog's name (the API version placeholder of
/// `export user service (API %s/csv)`) stands for any text without `)` or `/`.
pub fn matches(logged: &str, name: &str) -> bool {
    Logged::new(logged).matches(name)
}

/// A name as logged, prepared once for comparing with many catalog names.
#[derive(Debug, Clone, Copy)]
pub struct Logged<'a> {
    text: &'a str,
    ascii: bool,
}

impl<'a> Logged<'a> {
    /// The logged text, trimmed.
    pub fn new(text: &'a str) -> Self {
        let text = text.trim();
        Logged {
            text,
            ascii: text.is_ascii(),
        }
    }

    /// Whether it names `name`; see [`matches()`].
    pub fn matches(&self, name: &str) -> bool {
        let logged = self.text;
        // Most comparisons end here: an ASCII text and a name without a
        // placeholder differ in nothing but ASCII case.
        if self.ascii && !name.bytes().any(|b| b == b'%') {
            return logged.eq_ignore_ascii_case(name);
        }
        if !name.contains("%s") && !logged.contains(['（', '）']) {
            return logged.eq_ignore_ascii_case(name);
        }
        // Full-width parentheses take 3 bytes, and a version in place of `%s`
        // is short: a much longer text cannot match, and need not be looked at.
        if logged.len() > 3 * name.len() + 64 {
            return false;
        }
        let logged: Vec<char> = logged.chars().map(normalize).collect();
        let name: Vec<char> = name.chars().map(normalize).collect();
        matches_from(&logged, &name)
    }
}

fn normalize(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        c => c.to_ascii_lowercase(),
    }
}

fn matches_from(logged: &[char], name: &[char]) -> bool {
    match name {
        [] => logged.is_empty(),
        ['%', 's', rest @ ..] => (0..=logged.len())
            .take_while(|&n| n == 0 || !matches!(logged[n - 1], ')' | '/'))
            .any(|n| n > 0 && matches_from(&logged[n..], rest)),
        [c, rest @ ..] => logged.first() == Some(c) && matches_from(&logged[1..], rest),
    }
}

/// A catalog member, or the text that named none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Known<T> {
    /// A member of the catalog.
    Known(T),
    /// Text that names no member, kept as logged.
    Unknown(String),
}

impl<T: Catalogued> Known<T> {
    /// Looks `logged` up.
    pub fn parse(logged: &str) -> Self {
        T::find(logged).map_or_else(|| Known::Unknown(logged.to_owned()), Known::Known)
    }

    /// The member, if known.
    pub fn known(&self) -> Option<T> {
        match self {
            Known::Known(t) => Some(*t),
            Known::Unknown(_) => None,
        }
    }

    /// The name: the catalog's for a member, the logged text otherwise.
    pub fn as_str(&self) -> &str {
        match self {
            Known::Known(t) => t.name(),
            Known::Unknown(s) => s,
        }
    }
}

impl<T: Catalogued> fmt::Display for Known<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serde support for a generated [`Catalogued`] enum: it serializes as its
/// catalog name and deserializes from any name or alias.
#[macro_export]
#[doc(hidden)]
macro_rules! catalogued_serde {
    ($ty:ty) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::runtime::names::Catalogued::name(*self))
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$ty as $crate::runtime::names::Catalogued>::find(&name)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown name `{name}`")))
            }
        }
    };
}
pub use catalogued_serde;

#[cfg(feature = "serde")]
impl<T: Catalogued> serde::Serialize for Known<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two members whose names differ in case only, as members of two
    /// modules may.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Twin {
        Upper,
        Lower,
    }

    impl Catalogued for Twin {
        const ALL: &'static [Self] = &[Twin::Upper, Twin::Lower];
        fn name(self) -> &'static str {
            match self {
                Twin::Upper => "App Delete",
                Twin::Lower => "app delete",
            }
        }
        fn index() -> &'static Index {
            catalogued_index!()
        }
    }

    #[test]
    fn an_exact_name_wins_over_an_earlier_forgiving_match() {
        assert_eq!(Twin::find("app delete"), Some(Twin::Lower));
        assert_eq!(Twin::find("App Delete"), Some(Twin::Upper));
        assert_eq!(Twin::find(" APP DELETE "), Some(Twin::Upper));
        assert_eq!(Twin::find("app deleted"), None);
    }

    /// Many members: names of every length up to 20, names that differ
    /// only in the middle (so hash alike), twins in case, and an exact
    /// duplicate, as two modules' actions may share a name.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Many(usize);

    const MANY: usize = 64;

    fn many_names() -> &'static [String] {
        static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            let mut names: Vec<String> = (0..21)
                .map(|n| "abcdefghijklmnopqrstu"[..n].to_owned())
                .collect();
            names.extend((0..20).map(|i| format!("export thing {i:02} (API %s/csv)")));
            names.extend(
                [
                    "Thing Delete",
                    "thing delete",
                    "Thing Delete",
                    "（API v1）",
                    " padded ",
                ]
                .map(String::from),
            );
            names.extend((names.len()..MANY).map(|i| format!("name {i}")));
            names
        });
        &NAMES
    }

    impl Catalogued for Many {
        const ALL: &'static [Self] = &{
            let mut all = [Many(0); MANY];
            let mut i = 0;
            while i < MANY {
                all[i] = Many(i);
                i += 1;
            }
            all
        };
        fn name(self) -> &'static str {
            &many_names()[self.0]
        }
        fn aliases(self) -> &'static [&'static str] {
            match self.0 % 7 {
                0 => &["an alias"],
                _ => &[],
            }
        }
        fn index() -> &'static Index {
            catalogued_index!()
        }
    }

    /// What [`find`] did before the index: the members in order, the exact
    /// name first, then the forgiving match.
    fn scan<T: Catalogued>(logged: &str, keep: impl Fn(T) -> bool) -> Option<T> {
        let kept = || T::ALL.iter().copied().filter(|&m| keep(m));
        kept().find(|m| m.name() == logged).or_else(|| {
            kept().find(|m| {
                matches(logged, m.name()) || m.aliases().iter().any(|a| matches(logged, a))
            })
        })
    }

    #[test]
    fn the_index_finds_what_a_scan_of_the_members_finds() {
        let index = Many::index();
        assert!(
            (0..MANY).any(|i| index.named(Many(i).name()).len() > 1),
            "some names share a bucket, so the chains are tried"
        );
        for m in Many::ALL {
            let named = index.named(m.name());
            assert!(
                named.contains(&(m.0 as u32)),
                "{m:?} is where its name hashes"
            );
            assert!(named.is_sorted(), "a bucket keeps catalog order");
        }
        let mut logged: Vec<String> = many_names().to_vec();
        for name in many_names() {
            logged.extend([
                name.to_uppercase(),
                format!(" {name} "),
                name.replace('(', "（"),
                format!("{name}x"),
                name.chars().skip(1).collect(),
            ]);
        }
        logged
            .extend(["", "an alias", "export thing 07 (API v2/csv)", "nothing"].map(String::from));
        let keeps: [&dyn Fn(Many) -> bool; 3] = [&|_| true, &|m| m.0 % 2 == 0, &|m| m.0 % 3 == 1];
        for text in &logged {
            for keep in keeps {
                assert_eq!(find(text, keep), scan(text, keep), "{text:?}");
            }
        }
        // The exact duplicate: the first of the two, unless only the second is kept.
        assert_eq!(Many::find("Thing Delete"), Some(Many(41)));
        assert_eq!(find("Thing Delete", |m: Many| m.0 != 41), Some(Many(43)));
    }

    /// An enumeration of as many members as [`find`] scans: names alike
    /// but for case, one twice, one empty, and an alias.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Few(usize);

    const FEW_NAMES: [&str; SCANNED] = [
        "Thing Delete",
        "thing delete",
        "Thing Delete",
        "",
        "export (API %s)",
        "a",
        "ab",
        "Thing Deletes",
    ];

    impl Catalogued for Few {
        const ALL: &'static [Self] = &[
            Few(0),
            Few(1),
            Few(2),
            Few(3),
            Few(4),
            Few(5),
            Few(6),
            Few(7),
        ];
        fn name(self) -> &'static str {
            FEW_NAMES[self.0]
        }
        fn aliases(self) -> &'static [&'static str] {
            match self.0 {
                5 => &["an alias"],
                _ => &[],
            }
        }
        fn index() -> &'static Index {
            catalogued_index!()
        }
    }

    #[test]
    fn a_few_members_are_scanned_as_the_index_is_read() {
        assert_eq!(Few::ALL.len(), SCANNED);
        let mut logged: Vec<String> = FEW_NAMES.map(String::from).to_vec();
        logged.extend(FEW_NAMES.map(|n| format!(" {}", n.to_uppercase())));
        logged.extend(["an alias", "export (API v1)", "b", "Thing"].map(String::from));
        let keeps: [&dyn Fn(Few) -> bool; 3] = [&|_| true, &|m| m.0 != 0, &|m| m.0 % 2 == 1];
        for text in &logged {
            for keep in keeps {
                assert_eq!(find(text, keep), scan(text, keep), "{text:?}");
            }
        }
        assert_eq!(Few::find("Thing Delete"), Some(Few(0)));
        assert_eq!(find("Thing Delete", |m: Few| m.0 != 0), Some(Few(2)));
        assert_eq!(Few::find("THING DELETE"), Some(Few(0)));
        assert_eq!(Few::find(""), Some(Few(3)));
    }

    #[test]
    fn names_match_as_logged() {
        assert!(matches("App update", "App update"));
        assert!(matches("app UPDATE ", "App update"));
        assert!(!matches("App updated", "App update"));
        assert!(matches(
            "export user service (API v1/csv)",
            "export user service (API %s/csv)"
        ));
        assert!(matches(
            "export user service （API v1/csv）",
            "export user service (API %s/csv)"
        ));
        assert!(!matches(
            "export user service (API /csv)",
            "export user service (API %s/csv)"
        ));
        assert!(matches("get (API v2)", "get (API %s)"));
    }
}
