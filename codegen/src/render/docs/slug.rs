//! GitHub-style heading anchors, computed in Rust so that links are explicit.

use std::collections::BTreeMap;

/// The anchor GitHub gives a heading whose text is `text`: lower case, every
/// character but letters, digits, `_`, `-` and spaces dropped, spaces as `-`.
pub fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|&c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of one page, handed out in heading order; a repeated slug gets
/// `-1`, `-2`, ... as GitHub does.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: BTreeMap<String, usize>,
}

impl Slugger {
    /// The anchor of the next heading, whose visible text is `text`.
    pub fn anchor(&mut self, text: &str) -> String {
        let base = slug(text);
        let mut anchor = base.clone();
        while self.seen.contains_key(&anchor) {
            let n = self.seen.get_mut(&base).expect("the base slug was seen");
            *n += 1;
            anchor = format!("{base}-{n}");
        }
        self.seen.insert(anchor.clone(), 0);
        anchor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("App update"), "app-update");
        assert_eq!(slug("team.integrationLogs"), "teamintegrationlogs");
        assert_eq!(slug("Case: with apps"), "case-with-apps");
        assert_eq!(slug("a|b <b>html</b> `x`"), "ab-bhtmlb-x");
        assert_eq!(slug("rss_feed_url"), "rss_feed_url");
        assert_eq!(slug("重要 Notice"), "重要-notice");
        assert_eq!(slug("{{ x }}"), "-x-");
    }

    #[test]
    fn repeats_are_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.anchor("Notes"), "notes");
        assert_eq!(s.anchor("Notes"), "notes-1");
        assert_eq!(s.anchor("notes 1"), "notes-1-1");
        assert_eq!(s.anchor("Notes"), "notes-2");
        assert_eq!(s.anchor("System Administration"), "system-administration");
        assert_eq!(s.anchor("System administration"), "system-administration-1");
    }
}
