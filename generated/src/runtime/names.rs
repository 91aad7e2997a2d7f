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
    /// The member that `logged` names, matched by [`matches`] against the
    /// name and the aliases.
    fn find(logged: &str) -> Option<Self> {
        find(logged, Self::ALL.iter().copied())
    }
}

/// The first of `members` that `logged` names, by name or alias ([`matches`]);
/// a member named exactly as logged, the common case, wins over the rest.
pub fn find<T: Catalogued>(
    logged: &str,
    mut members: impl Iterator<Item = T> + Clone,
) -> Option<T> {
    if let Some(exact) = members
        .clone()
        .find(|m| words::same(m.name().as_bytes(), logged.as_bytes()))
    {
        return Some(exact);
    }
    let logged = Logged::new(logged);
    members.find(|m| logged.matches(m.name()) || m.aliases().iter().any(|a| logged.matches(a)))
}

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

    /// Whether it names `name`; see [`matches`].
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
    }

    #[test]
    fn an_exact_name_wins_over_an_earlier_forgiving_match() {
        assert_eq!(Twin::find("app delete"), Some(Twin::Lower));
        assert_eq!(Twin::find("App Delete"), Some(Twin::Upper));
        assert_eq!(Twin::find(" APP DELETE "), Some(Twin::Upper));
        assert_eq!(Twin::find("app deleted"), None);
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
