//! Markdown escaping of catalog text.
//!
//! Catalog text is data: whatever it holds must come out as the same visible
//! text, never as Markdown structure or HTML. Templates only place the strings
//! made here. Every function returns a single line (white space runs, line
//! breaks included, become one space), so its result is safe in a table cell,
//! a list item, a heading or a paragraph alike, with one exception that
//! [`Place`] names: GitHub tables split rows at `|` even inside code spans.

/// Where an inline string goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A table cell: `|` is escaped inside code spans too (GitHub removes the
    /// backslash there, but shows it in running text).
    Cell,
    /// Running text: a paragraph, a list item or a heading.
    Line,
}

/// White space runs (line breaks included) as one space, ends trimmed.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text: shows `s` literally, with nothing interpreted.
///
/// Markdown punctuation is backslash-escaped, `<`, `>` and `&` become HTML
/// entities (so no raw HTML passes), and white space is squashed.
pub fn text(s: &str) -> String {
    let s = squash(s);
    let mut out = String::with_capacity(s.len() + 8);
    plain(&s, true, &mut out);
    out
}

/// Catalog prose (descriptions, notes): like [`text`], except that the code
/// spans the author wrote (`` `app id: *` ``) stay code spans.
pub fn prose(s: &str, place: Place) -> String {
    let s = squash(s);
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s.as_str();
    let mut at_start = true;
    while let Some(open) = rest.find('`') {
        let run = backtick_run(&rest[open..]);
        let after = &rest[open + run..];
        match closing(after, run) {
            Some(close) => {
                plain(&rest[..open], at_start, &mut out);
                out.push_str(&rest[open..open + run]);
                code_body(&after[..close], place, &mut out);
                out.push_str(&rest[open..open + run]);
                rest = &after[close + run..];
            }
            None => {
                // No closing run: the backticks are literal text.
                plain(&rest[..open + run], at_start, &mut out);
                rest = after;
            }
        }
        at_start = false;
    }
    plain(rest, at_start, &mut out);
    out
}

/// A code span showing `s` verbatim (white space runs squashed to one space,
/// as Markdown shows them anyway). Backticks inside get a longer fence.
pub fn code(s: &str, place: Place) -> String {
    let s = s.split(['\r', '\n']).collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return "(empty)".to_owned();
    }
    let fence = "`".repeat(longest_backtick_run(&s) + 1);
    // Markdown strips one space from each end when both ends have one, and a
    // fence next to a content backtick would merge with it: pad both ends.
    let pad = s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' ') && s.trim() != "");
    let pad = if pad { " " } else { "" };
    let mut out = String::with_capacity(s.len() + 2 * fence.len() + 2);
    out.push_str(&fence);
    out.push_str(pad);
    code_body(&s, place, &mut out);
    out.push_str(pad);
    out.push_str(&fence);
    out
}

/// A fenced code block showing `body` verbatim, its fence longer than any
/// backtick run inside.
pub fn fence(body: &str, lang: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(body) + 1).max(3));
    format!("{fence}{lang}\n{body}\n{fence}")
}

/// Escapes the text between code spans.
fn plain(s: &str, at_start: bool, out: &mut String) {
    let chars: Vec<char> = s.chars().collect();
    // A line that starts with `-`, `+`, `=` or `1.` would be a list or an underline.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' | '#' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                // Inside a word `_` cannot start or end emphasis; keep `app_id` readable.
                let inside = i > 0
                    && chars[i - 1].is_alphanumeric()
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !inside {
                    out.push('\\');
                }
                out.push(c);
            }
            '-' | '+' | '=' if at_start && i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if at_start && digits > 0 && i == digits => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

/// The content of a code span: verbatim, but in a table cell every `|` is
/// preceded by an odd number of backslashes so that it cannot end the cell.
fn code_body(s: &str, place: Place, out: &mut String) {
    let mut backslashes = 0;
    for c in s.chars() {
        if c == '|' && place == Place::Cell && backslashes % 2 == 0 {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
}

/// Length of the backtick run at the start of `s`.
fn backtick_run(s: &str) -> usize {
    s.bytes().take_while(|&b| b == b'`').count()
}

/// Where the first backtick run of exactly `len` starts in `s`.
fn closing(s: &str, len: usize) -> Option<usize> {
    let mut i = 0;
    while let Some(found) = s[i..].find('`') {
        let at = i + found;
        let run = backtick_run(&s[at..]);
        if run == len {
            return Some(at);
        }
        i = at + run;
    }
    None
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unescaped `|` of a table row, as GitHub counts them: `\` and the next
    /// character go together.
    fn pipes(row: &str) -> usize {
        let mut n = 0;
        let mut chars = row.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '|' => n += 1,
                _ => {}
            }
        }
        n
    }

    #[test]
    fn text_escapes_markdown_and_html() {
        assert_eq!(text("a|b"), r"a\|b");
        assert_eq!(text("<b>html</b> & co"), "&lt;b&gt;html&lt;/b&gt; &amp; co");
        assert_eq!(text(r"C:\path"), r"C:\\path");
        assert_eq!(text("`x` *y* [z](u)"), r"\`x\` \*y\* \[z\](u)");
        assert_eq!(text("# not a heading #"), r"\# not a heading \#");
        assert_eq!(text("  two\n lines\t "), "two lines");
        assert_eq!(text("- item"), r"\- item");
        assert_eq!(text("1. item"), r"1\. item");
        assert_eq!(text("app_id _x_"), r"app_id \_x\_");
        assert_eq!(text("{{ x }} {% if %}"), "{{ x }} {% if %}");
        assert_eq!(text("重要"), "重要");
    }

    #[test]
    fn prose_keeps_code_spans() {
        assert_eq!(
            prose("may read `<a> on behalf of <b>`.", Place::Line),
            "may read `<a> on behalf of <b>`."
        );
        assert_eq!(prose("`a|b` or c|d", Place::Cell), r"`a\|b` or c\|d");
        assert_eq!(prose("`a|b`", Place::Line), "`a|b`");
        assert_eq!(prose("one ` tick", Place::Line), r"one \` tick");
        assert_eq!(prose("``a`b`` <", Place::Line), "``a`b`` &lt;");
        assert_eq!(prose("- `x`", Place::Line), r"\- `x`");
    }

    #[test]
    fn code_spans_take_a_longer_fence() {
        assert_eq!(code("app id", Place::Line), "`app id`");
        assert_eq!(code("a`b", Place::Line), "``a`b``");
        assert_eq!(code("`x`", Place::Line), "`` `x` ``");
        assert_eq!(code(" x ", Place::Line), "`  x  `");
        assert_eq!(code("a|b", Place::Cell), r"`a\|b`");
        assert_eq!(code(r"a\|b", Place::Cell), r"`a\|b`");
        assert_eq!(code("a\nb", Place::Line), "`a b`");
        assert_eq!(code("", Place::Line), "(empty)");
    }

    #[test]
    fn cells_keep_their_columns() {
        for hostile in ["a|b", r"a\|b", r"a\\|b", "`|`", "``|`|``", "\\", "|\\"] {
            for cell in [
                text(hostile),
                prose(hostile, Place::Cell),
                code(hostile, Place::Cell),
            ] {
                assert_eq!(pipes(&cell), 0, "{hostile:?} became {cell:?}");
            }
        }
    }

    #[test]
    fn fences_outgrow_their_content() {
        assert_eq!(fence("x", "text"), "```text\nx\n```");
        assert_eq!(fence("a ```` b", "json"), "`````json\na ```` b\n`````");
    }
}
