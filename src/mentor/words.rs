//! Small text helpers: splitting into comparable words, cleaning typed text, defusing mentions.

/// Words too common to say anything about a topic.
const STOPWORDS: [&str; 40] = [
    "a", "an", "the", "and", "or", "to", "of", "in", "on", "for", "with", "my", "i", "me", "how",
    "do", "what", "is", "are", "about", "be", "it", "at", "as", "this", "that", "we", "our", "you",
    "your", "can", "should", "when", "from", "by", "need", "want", "some", "tip", "tips",
];

/// Lower-cased, lightly stemmed words, so "stories" meets "story" and "planning" meets "plan".
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(stem)
        .collect()
}

/// Like [`words`], without the stopwords.
pub fn keywords(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !STOPWORDS.contains(word))
        .map(stem)
        .collect()
}

fn stem(word: &str) -> String {
    let length = word.chars().count();
    if length > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    for (suffix, min) in [("ing", 6), ("ed", 5), ("es", 5), ("s", 4)] {
        if length >= min && word.ends_with(suffix) && !word.ends_with("ss") {
            return word[..word.len() - suffix.len()].to_string();
        }
    }
    word.to_string()
}

/// Turns control characters other than newlines and tabs into spaces (so "a\0b" stays two
/// words), makes every line ending a newline, and trims.
pub fn clean_typed_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .fold((String::new(), false), |(mut out, gap), c| match c {
            '\n' | '\t' => {
                out.push(c);
                (out, false)
            }
            c if c.is_control() => (out, true),
            c => {
                // A run of control characters between two words becomes one space.
                if gap
                    && !c.is_whitespace()
                    && !out.is_empty()
                    && !out.ends_with(char::is_whitespace)
                {
                    out.push(' ');
                }
                out.push(c);
                (out, false)
            }
        })
        .0
        .trim()
        .to_string()
}

/// Text safe to show on a terminal, in a file or in a chat message, whoever typed it: control
/// characters (C0 other than newline and tab, DEL, C1, so every escape sequence) become `�`,
/// and the invisible controls that reorder a line (U+202E and friends) are shown by name.
pub fn printable(text: &str) -> String {
    let needs_work = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(needs_work) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("[U+{:04X}]", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// Inserts a zero-width space so `@everyone`, `@here`, `<@id>`, `<#id>` and `<!here>` can
/// never ping anyone when shown, whatever the platform's own mention settings.
pub fn defuse_mentions(text: &str) -> String {
    const ZERO_WIDTH_SPACE: char = '\u{200B}';
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let next = chars.peek().copied();
        let risky = matches!((c, next), ('@', Some(_)) | ('<', Some('@' | '#' | '!')));
        if risky {
            out.push(ZERO_WIDTH_SPACE);
        }
    }
    out
}

/// "1 entry", "3 entries": a count with the noun in the right number.
pub fn count_of<N>(count: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8>,
{
    if count == N::from(1) {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

/// At most `max` characters, ending in an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// A stable, well-spread number for ordering things differently per member without randomness.
pub fn mix(seed: i64, text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ seed as u64;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stemmed_and_lowercased() {
        assert_eq!(words("Stories, Planning & PRDs"), ["story", "plann", "prd"]);
        assert_eq!(keywords("how do I pitch the vision"), ["pitch", "vision"]);
    }

    #[test]
    fn typed_text_loses_control_characters_but_keeps_lines_and_words() {
        assert_eq!(clean_typed_text("  a\u{7}b\r\nc\u{0}\t d  "), "a b\nc\t d");
        assert_eq!(clean_typed_text("bell\u{7} and\u{1b}[31m"), "bell and [31m");
        assert_eq!(clean_typed_text("\u{1b}[31m \n "), "[31m");
        assert_eq!(clean_typed_text("before\u{0}after"), "before after");
        assert_eq!(clean_typed_text("one\rtwo\r\nthree"), "one\ntwo\nthree");
    }

    #[test]
    fn printable_text_carries_no_control_or_reordering_characters() {
        let shown = printable("/\u{1b}]0;pwned\u{7}\u{1b}[2J \u{9b}31m a\u{202E}b\nc\td");
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{shown:?}"
        );
        assert!(shown.contains("[U+202E]"), "{shown}");
        assert!(shown.ends_with("b\nc\td"));
        assert_eq!(printable("plain text"), "plain text");
    }

    #[test]
    fn mentions_are_defused() {
        let out = defuse_mentions("hi @everyone and <@123> <@&456> <!here> me@x");
        assert!(!out.contains("@everyone"));
        assert!(!out.contains("<@"));
        assert!(!out.contains("<!"));
        assert_eq!(
            out.replace('\u{200B}', ""),
            "hi @everyone and <@123> <@&456> <!here> me@x"
        );
    }

    #[test]
    fn shorten_counts_characters_not_bytes() {
        assert_eq!(shorten("ééééé", 3), "éé…");
        assert_eq!(shorten("short", 10), "short");
    }
}
