//! Model output is untrusted input: a thinking model's notes are dropped, control characters
//! and markup that could ping or format are neutralised, and the length is bounded.

/// The answer without `<think>…</think>` (in any case; an unclosed one hides the rest, and a
/// lone closing tag, left when the chat template opened it, hides what came before), without
/// control characters other than newlines, and with runs of blank lines collapsed.
pub fn clean(raw: &str) -> String {
    let mut text = raw.to_string();
    loop {
        // ASCII lower-casing keeps every byte where it was, so positions found in `lower`
        // cut `text` on the same character boundaries.
        let lower = text.to_ascii_lowercase();
        let open = lower.find("<think>");
        let close = lower.find("</think>");
        text = match (open, close) {
            (Some(open), Some(close)) if open < close => {
                format!("{}{}", &text[..open], &text[close + "</think>".len()..])
            }
            (_, Some(close)) => text[close + "</think>".len()..].to_string(),
            (Some(open), None) => text[..open].to_string(),
            (None, None) => break,
        };
    }
    let text = without_links(&text);
    let text: String = text
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' => '\n',
            '\t' => ' ',
            c if c.is_control() => ' ',
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => ' ',
            c => c,
        })
        .collect();
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim_end) {
        let blank = line.trim().is_empty();
        if blank
            && lines
                .last()
                .is_none_or(|last: &&str| last.trim().is_empty())
        {
            continue;
        }
        lines.push(line);
    }
    lines.join("\n").trim().to_string()
}

/// Links are not the coach's to give: a masked link `[label](url)` keeps its label, and a bare
/// `http://` or `https://` address is dropped.
fn without_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let masked = after.find("](").and_then(|close| {
            let target = &after[close + 2..];
            let end = target.find(')')?;
            target[..end]
                .contains("://")
                .then(|| (&after[..close], close + 2 + end + 1))
        });
        match masked {
            Some((label, length)) => {
                out.push_str(&rest[..open]);
                out.push_str(label);
                rest = &after[length..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.split(' ')
        .filter(|word| {
            let word = word
                .trim_start_matches(['(', '<', '"', '\''])
                .to_ascii_lowercase();
            !(word.starts_with("http://") || word.starts_with("https://"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first question in `text`: one sentence ending in `?`, without list markers, quotes or
/// a leading label such as "Question:". `None` when the answer holds no question.
pub fn first_question(text: &str) -> Option<String> {
    let end = text.find('?')?;
    let before = &text[..end];
    // A sentence ends at `.`, `!` or `:` followed by a space ("v2.0" does not end one).
    let start = before
        .char_indices()
        .rev()
        .find(|(at, c)| {
            *c == '\n'
                || (matches!(c, '.' | '!' | ':')
                    && before[at + 1..].starts_with(char::is_whitespace))
        })
        .map(|(at, _)| at + 1)
        .unwrap_or(0);
    let question = text[start..=end]
        .trim()
        .trim_start_matches(['-', '*', '"', '\'', '“', '‘', ' '])
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')')
        .trim();
    let words = question.split_whitespace().count();
    (3..=60).contains(&words).then(|| question.to_string())
}

/// Lines of a numbered or bulleted list ("1. …", "2) …", "- …"), markers removed.
pub fn list_items(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix(['-', '*', '•'])
                .or_else(|| {
                    let digits = line.find(|c: char| !c.is_ascii_digit())?;
                    (digits > 0)
                        .then(|| line[digits..].strip_prefix(['.', ')']))
                        .flatten()
                })?
                .trim();
            (rest.split_whitespace().count() >= 3).then(|| rest.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinking_is_never_shown() {
        assert_eq!(
            clean("<think>plan the reply</think>What is next?"),
            "What is next?"
        );
        assert_eq!(clean("<THINK>a</THINK>Yes <think>b</think>no"), "Yes no");
        assert_eq!(
            clean("so the user wants...</think>\nWhat now?"),
            "What now?"
        );
        assert_eq!(
            clean("Answer first <think>and then rambling"),
            "Answer first"
        );
    }

    #[test]
    fn cutting_never_splits_a_character() {
        assert_eq!(clean("İİİ<think>日本</think>KK 日本"), "İİİKK 日本");
    }

    #[test]
    fn links_are_not_passed_on() {
        assert_eq!(
            clean("Read [the guide](https://evil.example/x) or see https://evil.example now?"),
            "Read the guide or see now?"
        );
        assert_eq!(
            clean("Keep [brackets] (and parens)"),
            "Keep [brackets] (and parens)"
        );
    }

    #[test]
    fn control_characters_and_blank_runs_go() {
        assert_eq!(clean("a\u{1b}[31mred\u{7}\n\n\n\nb"), "a [31mred\n\nb");
        assert_eq!(clean("rtl\u{202E}txt"), "rtl txt");
    }

    #[test]
    fn the_question_is_found_in_chatter() {
        assert_eq!(
            first_question("Great entry! Question: Who owns the vendor integration now? Also x?")
                .as_deref(),
            Some("Who owns the vendor integration now?")
        );
        assert_eq!(
            first_question("\"What would make the launch slip?\"").as_deref(),
            Some("What would make the launch slip?")
        );
        assert_eq!(
            first_question("What did the v2.0 launch teach you?").as_deref(),
            Some("What did the v2.0 launch teach you?")
        );
        assert_eq!(first_question("No question here."), None);
        assert_eq!(first_question("Why?"), None);
    }

    #[test]
    fn list_items_are_read_in_any_style() {
        let items = list_items(
            "Here:\n1. Nobody owns the vendor work\n2) The date was never agreed\n- Sales not on board yet\n3. x",
        );
        assert_eq!(
            items,
            vec![
                "Nobody owns the vendor work",
                "The date was never agreed",
                "Sales not on board yet"
            ]
        );
    }
}
