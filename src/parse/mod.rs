//! Text → JSON tree with exact byte spans.
//!
//! A hand-written, strict JSON parser (RFC 8259) tuned for IAM policies:
//! - every key and value keeps its byte span, and object members keep their order, so duplicate keys
//!   (which AWS rejects but most JSON libraries silently collapse) are both visible;
//! - what AWS rejects but a human often writes (trailing commas, comments, a BOM) is reported as a
//!   [`SyntaxIssue`] *and* recovered from, so the rest of the document can still be linted;
//! - nesting depth is bounded, so a hostile 100,000-deep array is an error, not a stack overflow;
//! - it never panics, on any byte sequence.

mod line_index;
mod stream;

pub use line_index::{LineCol, LineIndex};
pub use stream::{Outline, TopMember, outline, value_at};

use serde::Serialize;
use std::borrow::Cow;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Length in bytes.
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A JSON value with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is, quotes and brackets included.
    pub span: Span,
}

/// A JSON value. Numbers keep their source text, so `1e999999` is not silently turned into infinity.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object; members in source order, duplicates kept.
    Object(Vec<Member>),
}

impl Value {
    /// A short name of the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// One `"key": value` pair of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The unescaped key.
    pub key: String,
    /// The key's span, quotes included.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The first member named `key` (case-sensitive), if this is an object.
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }

    /// The string value of member `key`, if this is an object with such a string member.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|m| m.value.as_str())
    }
}

/// What kind of syntax problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssueKind {
    /// Not valid JSON at all; the document could not be read.
    Syntax,
    /// A trailing comma (recovered).
    TrailingComma,
    /// A `//` or `/* */` comment (recovered).
    Comment,
    /// A UTF-8 byte-order mark (recovered).
    Bom,
    /// The same key twice in one object (both kept).
    DuplicateKey,
    /// The same key twice in a YAML mapping: the last value is kept, as `CloudFormation` does (a
    /// warning, not a rejected template).
    DuplicateKeyKeptLast,
    /// Bytes that are not UTF-8.
    Encoding,
    /// Nothing but white space.
    Empty,
    /// Arrays/objects nested deeper than the limit.
    TooDeep,
}

/// A syntax problem with its location.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxIssue {
    /// Which problem.
    pub kind: IssueKind,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where.
    pub span: Span,
    /// A related location (the first occurrence of a duplicate key).
    pub related: Option<(Span, String)>,
    /// What to do about it.
    pub help: Option<String>,
}

/// Parser limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting of arrays and objects.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_depth: 64 }
    }
}

/// The result of parsing: a tree (unless a fatal error stopped the parser) and the issues found.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The document, if it could be read.
    pub root: Option<Node>,
    /// Every problem found, in source order.
    pub issues: Vec<SyntaxIssue>,
}

/// Decode raw bytes to text, or say precisely why they are not UTF-8 JSON.
pub fn decode(bytes: &[u8]) -> Result<&str, SyntaxIssue> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SyntaxIssue {
            kind: IssueKind::Encoding,
            message: "the file is UTF-16 (it starts with a UTF-16 byte-order mark); IAM policies are UTF-8".into(),
            span: Span::new(0, 2),
            related: None,
            help: Some("re-save the file as UTF-8 without a byte-order mark".into()),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(bytes.len() - at).max(1);
            Err(SyntaxIssue {
                kind: IssueKind::Encoding,
                message: format!("invalid UTF-8 byte 0x{:02X}", bytes[at]),
                span: Span::new(at, (at + len).min(bytes.len())),
                related: None,
                help: Some("IAM policies must be UTF-8 text".into()),
            })
        }
    }
}

/// Every character of JSON `text` with its byte offset and whether it lies outside string literals
/// (quotes count as inside). For counting or dropping whitespace that JSON ignores.
pub fn chars_outside_strings(text: &str) -> impl Iterator<Item = (usize, char, bool)> + '_ {
    let (mut in_str, mut escaped) = (false, false);
    text.char_indices().map(move |(i, c)| {
        let outside = if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            false
        } else if c == '"' {
            in_str = true;
            false
        } else {
            true
        };
        (i, c, outside)
    })
}

fn bom_issue() -> SyntaxIssue {
    SyntaxIssue {
        kind: IssueKind::Bom,
        message: "the file starts with a byte-order mark, which IAM rejects".into(),
        span: Span::new(0, 3),
        related: None,
        help: Some("save the file as UTF-8 without BOM".into()),
    }
}

fn empty_issue(len: usize) -> SyntaxIssue {
    SyntaxIssue {
        kind: IssueKind::Empty,
        message: "the file is empty; a policy is a JSON object".into(),
        span: Span::new(0, len),
        related: None,
        help: None,
    }
}

fn duplicate_key(key: &str, key_span: Span, first: Span) -> SyntaxIssue {
    SyntaxIssue {
        kind: IssueKind::DuplicateKey,
        message: format!("duplicate key `{key}`"),
        span: key_span,
        related: Some((first, format!("`{key}` first defined here"))),
        help: Some(
            "AWS rejects a policy with duplicate keys, and most tools silently keep only one of them; merge the two"
                .into(),
        ),
    }
}

/// Parse `src` as one JSON document with the default limits.
pub fn parse(src: &str) -> Parsed {
    parse_with(src, Limits::default())
}

/// Parse `src` as one JSON document.
pub fn parse_with(src: &str, limits: Limits) -> Parsed {
    let mut p = Parser { src: src.as_bytes(), text: src, pos: 0, issues: Vec::new(), limits, depth: 0 };
    if src.starts_with('\u{feff}') {
        p.issues.push(bom_issue());
        p.pos = 3;
    }
    p.skip_ws();
    if p.pos >= p.src.len() {
        p.issues.push(empty_issue(src.len()));
        return Parsed { root: None, issues: p.issues };
    }
    let root = p.value();
    let root = p.end_of_document(root, |node| node.span);
    p.issues.sort_by_key(|i| i.span.start);
    Parsed { root, issues: p.issues }
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    issues: Vec<SyntaxIssue>,
    limits: Limits,
    depth: usize,
}

type PResult<T> = Result<T, SyntaxIssue>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// End of the UTF-8 character starting at `at`.
    fn char_end(&self, at: usize) -> usize {
        self.text.get(at..).and_then(|s| s.chars().next()).map_or(at.min(self.src.len()), |c| at + c.len_utf8())
    }

    fn error(&self, at: usize, message: impl Into<String>) -> SyntaxIssue {
        SyntaxIssue {
            kind: IssueKind::Syntax,
            message: message.into(),
            span: Span::new(at, self.char_end(at)),
            related: None,
            help: None,
        }
    }

    /// What the root value read gives once nothing may follow it: the value, or `None` with the issue
    /// recorded (its own error, or content after it; `span` says where the value is).
    fn end_of_document<T>(&mut self, root: Result<T, SyntaxIssue>, span: impl Fn(&T) -> Span) -> Option<T> {
        match root {
            Ok(root) => {
                self.skip_ws();
                if self.pos < self.src.len() {
                    let e = self.trailing_content(span(&root));
                    self.issues.push(e);
                    None
                } else {
                    Some(root)
                }
            }
            Err(e) => {
                self.issues.push(e);
                None
            }
        }
    }

    /// Text after the document, which ends at `root`.
    fn trailing_content(&self, root: Span) -> SyntaxIssue {
        SyntaxIssue {
            kind: IssueKind::Syntax,
            message: "unexpected content after the end of the JSON document".into(),
            span: Span::new(self.pos, self.char_end(self.pos)),
            related: Some((root, "the document ends here".into())),
            help: Some("a policy file holds exactly one JSON object".into()),
        }
    }

    fn expected_key(&self) -> SyntaxIssue {
        let mut e = self.error(self.pos, format!("expected a key in double quotes, found {}", self.found()));
        if self.peek() == Some(b'\'') {
            e.help = Some("JSON keys use double quotes".into());
        }
        e
    }

    fn expected_colon(&self) -> SyntaxIssue {
        self.error(self.pos, format!("expected `:` after the key, found {}", self.found()))
    }

    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "end of file".into(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        }
    }

    fn skip_ws(&mut self) {
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
                self.pos += 1;
            }
            if self.peek() == Some(b'/') {
                let start = self.pos;
                match self.src.get(self.pos + 1) {
                    Some(b'/') => {
                        while let Some(b) = self.peek() {
                            if b == b'\n' {
                                break;
                            }
                            self.pos += 1;
                        }
                    }
                    Some(b'*') => {
                        self.pos += 2;
                        loop {
                            match self.peek() {
                                None => break,
                                Some(b'*') if self.src.get(self.pos + 1) == Some(&b'/') => {
                                    self.pos += 2;
                                    break;
                                }
                                Some(_) => self.pos += 1,
                            }
                        }
                    }
                    _ => return,
                }
                self.issues.push(SyntaxIssue {
                    kind: IssueKind::Comment,
                    message: "comments are not allowed in IAM policy JSON".into(),
                    span: Span::new(start, self.pos),
                    related: None,
                    help: Some("remove the comment; AWS rejects the policy as malformed".into()),
                });
            } else {
                return;
            }
        }
    }

    fn value(&mut self) -> PResult<Node> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node { value: Value::String(s), span: Span::new(start, self.pos) })
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'\'') => Err(SyntaxIssue {
                help: Some("JSON strings use double quotes".into()),
                ..self.error(start, "single-quoted strings are not JSON")
            }),
            _ => Err(self.error(start, format!("expected a JSON value, found {}", self.found()))),
        }
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= self.limits.max_depth {
            return Err(SyntaxIssue {
                kind: IssueKind::TooDeep,
                message: format!("arrays and objects are nested deeper than {} levels", self.limits.max_depth),
                span: Span::new(self.pos, self.pos + 1),
                related: None,
                help: Some("IAM policies nest at most a few levels; raise `max-depth` if this is intended".into()),
            });
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn literal(&mut self, word: &str, value: Value) -> PResult<Node> {
        let start = self.pos;
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node { value, span: Span::new(start, self.pos) })
        } else {
            let mut end = self.pos;
            while end < self.src.len() && self.src[end].is_ascii_alphanumeric() {
                end += 1;
            }
            let mut e = self.error(
                start,
                format!(
                    "expected a JSON value, found `{}`",
                    &self.text[start..end.max(start + 1).min(self.text.len())]
                ),
            );
            e.span.end = end.max(e.span.end);
            Err(e)
        }
    }

    fn number(&mut self) -> PResult<Node> {
        let start = self.pos;
        self.number_end()?;
        Ok(Node { value: Value::Number(self.text[start..self.pos].to_string()), span: Span::new(start, self.pos) })
    }

    /// Step over a number, checking it.
    fn number_end(&mut self) -> PResult<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error(self.pos, format!("expected a digit, found {}", self.found()))),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error(self.pos, format!("expected a digit after `.`, found {}", self.found())));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error(self.pos, format!("expected an exponent, found {}", self.found())));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> PResult<String> {
        let open = self.pos;
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go: this is the hot loop.
            let run_start = self.pos;
            while let Some(&b) = self.src.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                None => {
                    return Err(SyntaxIssue {
                        related: Some((Span::new(open, open + 1), "the string starts here".into())),
                        ..self.error(self.pos, "unterminated string")
                    });
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(SyntaxIssue {
                        help: Some("escape control characters inside strings, e.g. `\\n`".into()),
                        ..self.error(self.pos, format!("{} inside a string", self.found()))
                    });
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> PResult<()> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate must be followed by `\u` + a low surrogate.
                    if self.src.get(self.pos) == Some(&b'\\') && self.src.get(self.pos + 1) == Some(&b'u') {
                        self.pos += 2;
                        let lo = self.hex4(at)?;
                        if (0xDC00..0xE000).contains(&lo) {
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                        } else {
                            None
                        }
                    } else {
                        None
                    }
                } else {
                    char::from_u32(hi)
                };
                let Some(c) = c else {
                    let mut e = self.error(at, "invalid unicode escape (unpaired surrogate)");
                    e.span.end = self.pos;
                    return Err(e);
                };
                out.push(c);
                return Ok(());
            }
            _ => {
                let mut e = self.error(at, format!("invalid escape `\\{}`", self.found().trim_matches('`')));
                e.span.end = self.char_end(self.pos).max(at + 1);
                return Err(e);
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> PResult<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => u32::from(b - b'0'),
                Some(b @ b'a'..=b'f') => u32::from(b - b'a' + 10),
                Some(b @ b'A'..=b'F') => u32::from(b - b'A' + 10),
                _ => {
                    let mut e = self.error(at, "invalid unicode escape: `\\u` needs four hex digits");
                    e.span.end = self.char_end(self.pos).max(at + 2);
                    return Err(e);
                }
            };
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    fn trailing_comma(&mut self, comma: usize) {
        self.issues.push(SyntaxIssue {
            kind: IssueKind::TrailingComma,
            message: "trailing comma".into(),
            span: Span::new(comma, comma + 1),
            related: None,
            help: Some("remove the comma; AWS rejects the policy as malformed".into()),
        });
    }

    /// After an array item or object member: a `,` (a trailing one before `close` is reported and
    /// recovered from) or `close`. Returns whether the container is closed.
    fn after_item(&mut self, start: usize, close: u8, what: &str) -> PResult<bool> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                let comma = self.pos;
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(close) {
                    self.trailing_comma(comma);
                    self.pos += 1;
                    return Ok(true);
                }
                Ok(false)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(SyntaxIssue {
                related: Some((Span::new(start, start + 1), format!("the {what} starts here"))),
                ..self.error(self.pos, format!("expected `,` or `{}`, found {}", close as char, self.found()))
            }),
        }
    }

    fn array(&mut self) -> PResult<Node> {
        let mut items = Vec::new();
        let span = self.items(|p| {
            let item = p.value()?;
            items.push(item);
            Ok(())
        })?;
        Ok(Node { value: Value::Array(items), span })
    }

    /// An array's brackets and commas; `item` reads each item.
    fn items(&mut self, mut item: impl FnMut(&mut Self) -> PResult<()>) -> PResult<Span> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Span::new(start, self.pos));
        }
        loop {
            self.skip_ws();
            item(self)?;
            if self.after_item(start, b']', "array")? {
                break;
            }
        }
        Ok(Span::new(start, self.pos))
    }

    fn object(&mut self) -> PResult<Node> {
        let mut members: Vec<Member> = Vec::new();
        let span = self.members(|p, key, key_span| {
            let value = p.value()?;
            if let Some(first) = members.iter().find(|m| m.key == key) {
                let issue = duplicate_key(&key, key_span, first.key_span);
                p.issues.push(issue);
            }
            members.push(Member { key: key.into_owned(), key_span, value });
            Ok(())
        })?;
        Ok(Node { value: Value::Object(members), span })
    }

    /// An object's braces, keys, colons and commas; `member` reads each value, after its key.
    fn members(&mut self, mut member: impl FnMut(&mut Self, Cow<'a, str>, Span) -> PResult<()>) -> PResult<Span> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Span::new(start, self.pos));
        }
        loop {
            self.skip_ws();
            let key_start = self.pos;
            if self.peek() != Some(b'"') {
                return Err(self.expected_key());
            }
            let key = self.key()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.expected_colon());
            }
            self.pos += 1;
            self.skip_ws();
            member(self, key, key_span)?;
            if self.after_item(start, b'}', "object")? {
                break;
            }
        }
        Ok(Span::new(start, self.pos))
    }

    /// A string literal's contents; borrowed when it has no escape. Any problem is left to
    /// [`Parser::string`], so the error is the same.
    fn key(&mut self) -> PResult<Cow<'a, str>> {
        let open = self.pos;
        let mut end = open + 1;
        while let Some(&b) = self.src.get(end) {
            if b == b'"' {
                self.pos = end + 1;
                return Ok(Cow::Borrowed(&self.text[open + 1..end]));
            }
            if b == b'\\' || b < 0x20 {
                break;
            }
            end += 1;
        }
        self.string().map(Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<IssueKind> {
        parse(src).issues.iter().map(|i| i.kind).collect()
    }

    #[test]
    fn spans_slice_to_source_text() {
        let src = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}"#;
        let p = parse(src);
        let root = p.root.unwrap();
        let v = root.get("Version").unwrap();
        assert_eq!(&src[v.key_span.start..v.key_span.end], r#""Version""#);
        assert_eq!(&src[v.value.span.start..v.value.span.end], r#""2012-10-17""#);
        assert!(p.issues.is_empty());
    }

    #[test]
    fn duplicate_keys_are_kept_and_reported() {
        let src = "{\n\"Statement\": [],\n\"Statement\": []\n}";
        let p = parse(src);
        assert_eq!(p.root.unwrap().as_object().unwrap().len(), 2);
        assert_eq!(p.issues.len(), 1);
        assert_eq!(p.issues[0].kind, IssueKind::DuplicateKey);
        assert_eq!(p.issues[0].related.as_ref().unwrap().0, Span::new(2, 13));
    }

    #[test]
    fn recoverable_issues_keep_the_tree() {
        let p = parse("\u{feff}{ // hi\n \"a\": [1, 2,], /* x */ \"b\": 1,}");
        assert!(p.root.is_some());
        let k: Vec<_> = p.issues.iter().map(|i| i.kind).collect();
        assert_eq!(
            k,
            [
                IssueKind::Bom,
                IssueKind::Comment,
                IssueKind::TrailingComma,
                IssueKind::Comment,
                IssueKind::TrailingComma
            ]
        );
    }

    #[test]
    fn fatal_errors() {
        assert_eq!(kinds(""), [IssueKind::Empty]);
        assert_eq!(kinds("  \n "), [IssueKind::Empty]);
        assert_eq!(kinds("{} {}"), [IssueKind::Syntax]);
        assert_eq!(kinds("{\"a\" 1}"), [IssueKind::Syntax]);
        assert_eq!(kinds("{'a': 1}"), [IssueKind::Syntax]);
        assert_eq!(kinds("[01]"), [IssueKind::Syntax]);
        assert_eq!(kinds("\"abc"), [IssueKind::Syntax]);
        assert_eq!(kinds("\"a\u{1}\""), [IssueKind::Syntax]);
        assert_eq!(kinds("\"\\ud800\""), [IssueKind::Syntax]);
        assert_eq!(kinds("tru"), [IssueKind::Syntax]);
    }

    #[test]
    fn numbers_keep_their_text() {
        let p = parse("[1e999999, -0.5, 10]");
        let Value::Array(items) = p.root.unwrap().value else { panic!() };
        assert_eq!(items[0].value, Value::Number("1e999999".into()));
    }

    #[test]
    fn escapes_decode() {
        let p = parse(r#""a\"\\\/\n\u00e9\ud83d\ude00""#);
        assert_eq!(p.root.unwrap().value, Value::String("a\"\\/\n\u{e9}\u{1f600}".into()));
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(100_000);
        assert_eq!(kinds(&deep), [IssueKind::TooDeep]);
        let ok = format!("{}{}", "[".repeat(60), "]".repeat(60));
        assert!(kinds(&ok).is_empty());
    }

    #[test]
    fn decode_reports_encoding() {
        assert!(decode(&[0xFF, 0xFE, b'{', 0]).is_err());
        let e = decode(b"{\"a\": \"\xC3\x28\"}").unwrap_err();
        assert_eq!(e.span.start, 7);
        assert!(decode("{}".as_bytes()).is_ok());
    }
}
