//! The one normalisation of Atende's search, and what is built on it: the text stored
//! for contacts, the tokens indexed for messages, the query terms for both engines and
//! the highlighted parts shown back to the user.
//!
//! `normalize` folds case and strips accents, so `joao` = `João` = `JOÃO` and
//! `acao` = `ação`. It is applied to the indexed text and to the query alike, on both
//! engines, so SQLite and PostgreSQL never disagree (no `unaccent`, no collation
//! needed). It lives in its own crate because the migration that backfills the indexes
//! must produce exactly what the server writes.

use unicode_normalization::char::{canonical_combining_class, decompose_compatible, is_combining_mark};

/// Longest token indexed for a message (longer ones are noise: links, base64, hashes).
pub const MAX_TOKEN_CHARS: usize = 64;
/// Most query terms used; the rest of a long query is ignored.
pub const MAX_TERMS: usize = 8;
/// Longest contact search text kept (name, email, phone, identities, attributes).
pub const MAX_CONTACT_TEXT_CHARS: usize = 4000;

/// A mark that only decorates the letter before it (acute, tilde, cedilla, the dot of
/// a Turkish `İ`…). Marks of canonical class 0 are kept: the emoji variation selector
/// (U+FE0F) and the keycap (U+20E3) are such marks, and emoji must come out untouched.
fn is_accent(c: char) -> bool {
    is_combining_mark(c) && canonical_combining_class(c) != 0
}

/// Appends the normalised form of one character: compatibility decomposition (NFKD:
/// `ﬁ` → `fi`, full-width `Ａ` → `A`), accents dropped, then lower case, with the two
/// places where Unicode case folding differs from lower case for Latin and Greek text
/// (`ß` → `ss`, final `ς` → `σ`). `str::to_lowercase` is locale-free, so a Turkish `İ`
/// becomes `i` + a combining dot (dropped) rather than breaking anything.
fn push_normalized(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    decompose_compatible(c, |d| {
        if is_accent(d) {
            return;
        }
        for lower in d.to_lowercase() {
            match lower {
                l if is_accent(l) => {}
                'ß' => out.push_str("ss"),
                'ς' => out.push('σ'),
                l => out.push(l),
            }
        }
    });
}

/// Case-folded, accent-free text: what search indexes and what it looks for.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_normalized(c, &mut out);
    }
    out
}

/// The ASCII digits of a text, in order (phone numbers match by digits).
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A query made only of what people type in a phone number, with at least 3 digits:
/// `(11) 91111-0001`, `+55 11 91111 0001`, `3333`.
pub fn looks_like_phone(query: &str) -> bool {
    let query = query.trim();
    query.chars().filter(char::is_ascii_digit).count() >= 3
        && query.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The words of an already normalised text: runs of letters and digits.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(|c: char| !is_token_char(c)).filter(|w| !w.is_empty())
}

/// The distinct words a message is indexed under, in first-seen order (bounded length).
pub fn message_tokens(text: &str) -> Vec<String> {
    let normalized = normalize(text);
    let mut seen = std::collections::HashSet::new();
    words(&normalized)
        .filter(|w| w.chars().count() <= MAX_TOKEN_CHARS)
        .filter(|w| seen.insert(*w))
        .map(str::to_string)
        .collect()
}

/// The text a contact is found by: name, email, phone digits, identity values and
/// custom attribute values, each normalised, one per line (a term never spans two).
pub fn contact_text<'a>(
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
    identities: impl IntoIterator<Item = &'a str>,
    attributes: Option<&serde_json::Value>,
) -> String {
    let mut fields: Vec<String> = vec![normalize(name)];
    if let Some(email) = email {
        fields.push(normalize(email));
    }
    if let Some(phone) = phone {
        fields.push(digits(phone));
    }
    for value in identities {
        fields.push(identity_text(value));
    }
    if let Some(attributes) = attributes {
        attribute_values(attributes, &mut fields);
    }
    let mut text = String::new();
    for field in fields.into_iter().filter(|f| !f.trim().is_empty()) {
        if text.lines().any(|line| line == field) {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(field.trim());
    }
    if text.chars().count() > MAX_CONTACT_TEXT_CHARS {
        text = text.chars().take(MAX_CONTACT_TEXT_CHARS).collect();
    }
    text
}

/// How an identity value appears in a contact's search text: a phone-like value by
/// its digits, anything else normalised.
pub fn identity_text(value: &str) -> String {
    if looks_like_phone(value) { digits(value) } else { normalize(value.trim()) }
}

fn attribute_values(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(normalize(s)),
        serde_json::Value::Number(n) => out.push(n.to_string()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| attribute_values(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| attribute_values(v, out)),
        serde_json::Value::Bool(_) | serde_json::Value::Null => {}
    }
}

/// Substrings a contact's search text must all contain: the digits of a phone-like
/// query, else its normalised words (`"joão  pereira"` → `["joao", "pereira"]`).
pub fn contact_terms(query: &str) -> Vec<String> {
    let query = query.trim();
    if looks_like_phone(query) {
        return vec![digits(query)];
    }
    normalize(query).split_whitespace().take(MAX_TERMS).map(str::to_string).collect()
}

/// Words a message must all contain; the last one is a prefix while the user is still
/// typing it (no trailing space).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageQuery {
    pub terms: Vec<String>,
    pub last_is_prefix: bool,
}

impl MessageQuery {
    pub fn parse(query: &str) -> Self {
        let normalized = normalize(query.trim_start());
        let mut terms: Vec<String> = Vec::new();
        for word in words(&normalized) {
            let word: String = word.chars().take(MAX_TOKEN_CHARS).collect();
            if !terms.contains(&word) {
                terms.push(word);
            }
        }
        terms.truncate(MAX_TERMS);
        let last_is_prefix = normalized.chars().last().is_some_and(is_token_char);
        MessageQuery { terms, last_is_prefix }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// SQLite FTS5 `MATCH` expression over the `tenant` and `body` columns. Terms are
    /// quoted (they hold only letters and digits, so no quote can appear inside).
    pub fn fts5(&self, tenant: &str) -> String {
        let body: Vec<String> = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let star = if self.is_prefix(i) { "*" } else { "" };
                format!("\"{t}\"{star}")
            })
            .collect();
        format!("tenant : \"{}\" AND body : ({})", tenant_token(tenant), body.join(" AND "))
    }

    /// PostgreSQL `tsquery` text (lexemes quoted, matched as stored: no parser).
    pub fn tsquery(&self, tenant: &str) -> String {
        let mut parts = vec![format!("'{}'", tenant_token(tenant))];
        for (i, t) in self.terms.iter().enumerate() {
            let star = if self.is_prefix(i) { ":*" } else { "" };
            parts.push(format!("'{t}'{star}"));
        }
        parts.join(" & ")
    }

    fn is_prefix(&self, i: usize) -> bool {
        self.last_is_prefix && i + 1 == self.terms.len()
    }
}

/// The token every indexed message of a tenant carries, so the full-text index itself
/// narrows a search to one tenant: `t` + the id's 32 hex digits.
pub fn tenant_token(tenant: &str) -> String {
    let hex: String = tenant.chars().filter(char::is_ascii_hexdigit).flat_map(char::to_lowercase).collect();
    format!("t{hex}")
}

/// A piece of text shown back to the user; `hit` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub hit: bool,
}

/// How terms match when highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// Anywhere in the text (contacts).
    Substring,
    /// At the start of a word (messages: words and prefixes).
    WordStart,
}

/// `text` cut into parts, the ones whose normalised form matched a term marked as hits.
pub fn highlight(text: &str, terms: &[String], matching: Matching) -> Vec<Part> {
    let hits = hit_mask(text, terms, matching);
    parts_of(text, &hits, 0, text.len())
}

/// Like `highlight`, cut to about `width` characters around the first hit (with `…`
/// where the text was cut). The whole text when nothing matched or it is short.
pub fn snippet(text: &str, terms: &[String], matching: Matching, width: usize) -> Vec<Part> {
    let hits = hit_mask(text, terms, matching);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if chars.len() <= width {
        return parts_of(text, &hits, 0, text.len());
    }
    let first = chars.iter().position(|(b, _)| hits.get(*b).copied().unwrap_or(false)).unwrap_or(0);
    let lead = width / 4;
    let mut start = first.saturating_sub(lead);
    // Start at a word boundary when one is near.
    if start > 0
        && let Some(space) = (start..first).find(|&i| chars[i].1.is_whitespace())
    {
        start = space + 1;
    }
    let end = (start + width).min(chars.len());
    let start_byte = chars[start].0;
    let end_byte = if end == chars.len() { text.len() } else { chars[end].0 };
    let mut parts = parts_of(text, &hits, start_byte, end_byte);
    if start > 0 {
        parts.insert(0, Part { text: "…".into(), hit: false });
    }
    if end < chars.len() {
        parts.push(Part { text: "…".into(), hit: false });
    }
    merge_plain(parts)
}

/// A flag per byte of `text`: part of a match.
fn hit_mask(text: &str, terms: &[String], matching: Matching) -> Vec<bool> {
    // The normalised text, and for each of its chars the original char's byte range.
    let mut normalized: Vec<char> = Vec::with_capacity(text.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    let mut buffer = String::new();
    for (at, c) in text.char_indices() {
        buffer.clear();
        push_normalized(c, &mut buffer);
        for n in buffer.chars() {
            normalized.push(n);
            origin.push((at, at + c.len_utf8()));
        }
    }
    let mut hits = vec![false; text.len()];
    for term in terms.iter().filter(|t| !t.is_empty()) {
        let term: Vec<char> = term.chars().collect();
        if term.len() > normalized.len() {
            continue;
        }
        for i in 0..=normalized.len() - term.len() {
            if normalized[i..i + term.len()] != term[..] {
                continue;
            }
            if matching == Matching::WordStart && i > 0 && is_token_char(normalized[i - 1]) {
                continue;
            }
            let from = origin[i].0;
            let to = origin[i + term.len() - 1].1;
            hits[from..to].iter_mut().for_each(|h| *h = true);
        }
    }
    hits
}

fn parts_of(text: &str, hits: &[bool], start: usize, end: usize) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for (at, c) in text[start..end].char_indices() {
        let hit = hits[start + at];
        match parts.last_mut() {
            Some(last) if last.hit == hit => last.text.push(c),
            _ => parts.push(Part { text: c.to_string(), hit }),
        }
    }
    parts
}

fn merge_plain(parts: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::with_capacity(parts.len());
    for part in parts {
        match out.last_mut() {
            Some(last) if last.hit == part.hit => last.text.push_str(&part.text),
            _ => out.push(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_table() {
        let table: &[(&str, &str)] = &[
            // Accents, cedilla, tilde: what Brazilians leave out when typing.
            ("João", "joao"),
            ("JOÃO", "joao"),
            ("joao", "joao"),
            ("Conceição", "conceicao"),
            ("CONCEIÇÃO", "conceicao"),
            ("ÉRICA SOUZA", "erica souza"),
            ("érica", "erica"),
            ("ação", "acao"),
            ("AÇÃO", "acao"),
            ("Pão de Açúcar", "pao de acucar"),
            ("à às ô ü", "a as o u"),
            ("ç Ç", "c c"),
            // Decomposed input (NFD, as some keyboards and macOS file names send it).
            ("Joa\u{0303}o", "joao"),
            // Turkish dotted capital I: lower case gives i + combining dot, which goes.
            ("İstanbul", "istanbul"),
            ("DİYARBAKIR", "diyarbakir"),
            // Dotless i stays itself (no crash, no surprise).
            ("ılık", "ılık"),
            // Case folding beyond lower case.
            ("Straße", "strasse"),
            ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
            // Compatibility forms.
            ("ﬁm", "fim"),
            ("ＡＢＣ", "abc"),
            ("1º andar", "1o andar"),
            // Emoji and symbols untouched (variation selector, skin tone, ZWJ, keycap).
            ("❤️", "❤️"),
            ("👍🏽", "👍🏽"),
            ("👨‍👩‍👧", "👨‍👩‍👧"),
            ("1️⃣", "1️⃣"),
            ("Olá 😀!", "ola 😀!"),
            // Digits and punctuation as they are.
            ("(11) 91111-0001", "(11) 91111-0001"),
            ("", ""),
        ];
        for (input, expected) in table {
            assert_eq!(normalize(input), *expected, "normalize({input:?})");
        }
    }

    #[test]
    fn normalisation_is_idempotent() {
        for input in ["João", "İstanbul", "Straße", "❤️ ação", "ＡＢＣ"] {
            let once = normalize(input);
            assert_eq!(normalize(&once), once, "{input:?}");
        }
    }

    #[test]
    fn phones_match_by_digits_whatever_the_formatting() {
        let stored = contact_text("Maria", None, Some("+5511911110001"), [], None);
        for typed in ["(11) 91111-0001", "+55 11 91111 0001", "11911110001", "91111-0001", "5511911110001"] {
            assert!(looks_like_phone(typed), "{typed}");
            let terms = contact_terms(typed);
            assert_eq!(terms.len(), 1);
            assert!(stored.contains(&terms[0]), "{typed} → {terms:?} in {stored:?}");
        }
        assert!(!looks_like_phone("12"));
        assert!(!looks_like_phone("joão 1234"));
        assert_eq!(contact_terms("joão 1234"), ["joao", "1234"]);
    }

    #[test]
    fn contact_text_has_every_field_once_per_line() {
        let attributes = serde_json::json!({"cidade": "São Paulo", "plano": ["Pró", 3], "vip": true});
        let text = contact_text(
            "João Pereira",
            Some("JOAO@Example.com"),
            Some("+5511911110001"),
            ["5511911110001", "joao.pereira_ig"],
            Some(&attributes),
        );
        assert_eq!(text, "joao pereira\njoao@example.com\n5511911110001\njoao.pereira_ig\nsao paulo\npro\n3");
        for term in contact_terms("JOÃO pereira") {
            assert!(text.contains(&term));
        }
        // A term never spans two fields.
        assert!(!text.contains("pereira joao"));
    }

    #[test]
    fn message_queries_for_both_engines() {
        let q = MessageQuery::parse("  Ação JOÃO conc");
        assert_eq!(q.terms, ["acao", "joao", "conc"]);
        assert!(q.last_is_prefix);
        let tenant = "0192F5A1-0000-7000-8000-000000000001";
        assert_eq!(
            q.fts5(tenant),
            "tenant : \"t0192f5a1000070008000000000000001\" AND body : (\"acao\" AND \"joao\" AND \"conc\"*)"
        );
        assert_eq!(q.tsquery(tenant), "'t0192f5a1000070008000000000000001' & 'acao' & 'joao' & 'conc':*");
        let done = MessageQuery::parse("pix! ");
        assert_eq!(done.terms, ["pix"]);
        assert!(!done.last_is_prefix);
        // Quotes and operators never reach the engines' query syntax.
        let hostile = MessageQuery::parse("a\" OR 'b' & c:* NEAR(");
        assert_eq!(hostile.terms, ["a", "or", "b", "c", "near"]);
        assert!(MessageQuery::parse("?!").is_empty());
    }

    #[test]
    fn message_tokens_are_distinct_normalised_words() {
        assert_eq!(
            message_tokens("Olá! Quero o boleto, o BOLETO de ação 😀 https://x.io/ab"),
            ["ola", "quero", "o", "boleto", "de", "acao", "https", "x", "io", "ab"]
        );
        assert!(message_tokens(&"a".repeat(100)).is_empty());
    }

    fn hits(parts: &[Part]) -> Vec<&str> {
        parts.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn highlights_map_back_to_the_original_text() {
        let parts = highlight("Maria Conceição", &["conceicao".into()], Matching::Substring);
        assert_eq!(hits(&parts), ["Conceição"]);
        assert_eq!(parts.iter().map(|p| p.text.as_str()).collect::<String>(), "Maria Conceição");
        let parts = highlight("ÉRICA SOUZA", &["eri".into()], Matching::Substring);
        assert_eq!(hits(&parts), ["ÉRI"]);
        let parts = highlight("Straße straße", &["strasse".into()], Matching::Substring);
        assert_eq!(hits(&parts), ["Straße", "straße"]);
        // Word starts only, for messages: "ação" in "transação" is not a hit.
        let parts = highlight("Ação e transação", &["acao".into()], Matching::WordStart);
        assert_eq!(hits(&parts), ["Ação"]);
    }

    #[test]
    fn snippets_cut_around_the_first_hit() {
        let text = format!("{} o boleto venceu ontem {}", "palavra ".repeat(30), "fim ".repeat(30));
        let parts = snippet(&text, &["boleto".into()], Matching::WordStart, 40);
        assert_eq!(hits(&parts), ["boleto"]);
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
        assert!(joined.chars().count() <= 42, "{joined}");
        // Short text: whole.
        assert_eq!(snippet("oi João", &["joao".into()], Matching::WordStart, 40).len(), 2);
    }
}
