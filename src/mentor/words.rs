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

/// Removes control characters other than newlines and tabs, normalises line endings and trims.
pub fn clean_typed_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
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
    fn typed_text_loses_control_characters_but_keeps_lines() {
        assert_eq!(clean_typed_text("  a\u{7}b\r\nc\u{0}\t d  "), "ab\nc\t d");
        assert_eq!(clean_typed_text("\u{1b}[31m \n "), "[31m");
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
