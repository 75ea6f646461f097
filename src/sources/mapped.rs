//! Text assembled from pieces of a source file, with a map from its byte offsets back to the file.
//!
//! Used wherever a policy is JSON *inside* something else: a JSON string in a Terraform plan (escapes
//! make the decoded text shorter than the literal), a heredoc with `${...}` interpolations (each
//! becomes a `{{...}}` placeholder of a different length). Copied pieces map byte for byte; a replaced
//! piece maps to the whole original range it stands for.

use crate::parse::{self, Node, Span, SyntaxIssue, Value};

#[derive(Clone, Copy, Debug)]
struct Piece {
    new_start: usize,
    new_len: usize,
    orig_start: usize,
    orig_len: usize,
    copy: bool,
}

/// A text and the map from its offsets to offsets of the file it was assembled from.
#[derive(Clone, Debug, Default)]
pub struct Mapped {
    /// The assembled text.
    pub text: String,
    pieces: Vec<Piece>,
}

impl Mapped {
    /// An empty text.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append `s`, which is the file's text at `orig_start..orig_start + s.len()`.
    pub fn push_copy(&mut self, orig_start: usize, s: &str) {
        if s.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            new_start: self.text.len(),
            new_len: s.len(),
            orig_start,
            orig_len: s.len(),
            copy: true,
        });
        self.text.push_str(s);
    }

    /// Append `s`, which stands for the file's text at `orig`.
    pub fn push_replace(&mut self, orig: Span, s: &str) {
        if s.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            new_start: self.text.len(),
            new_len: s.len(),
            orig_start: orig.start,
            orig_len: orig.len(),
            copy: false,
        });
        self.text.push_str(s);
    }

    /// Map an offset of the assembled text to the file. `is_end` says whether it ends a span (an
    /// end on a piece boundary belongs to the piece before).
    pub fn map(&self, off: usize, is_end: bool) -> usize {
        let idx = if is_end {
            self.pieces.partition_point(|p| p.new_start < off)
        } else {
            self.pieces.partition_point(|p| p.new_start <= off)
        };
        let Some(p) = idx.checked_sub(1).and_then(|i| self.pieces.get(i)).or_else(|| self.pieces.first()) else {
            return off;
        };
        let rel = off.saturating_sub(p.new_start).min(p.new_len);
        if p.copy {
            p.orig_start + rel.min(p.orig_len)
        } else if is_end && rel > 0 || rel >= p.new_len {
            p.orig_start + p.orig_len
        } else {
            p.orig_start
        }
    }

    /// Map a span of the assembled text to the file.
    pub fn map_span(&self, s: Span) -> Span {
        let start = self.map(s.start, false);
        Span::new(start, self.map(s.end, true).max(start))
    }

    /// Map every span of a tree.
    pub fn map_node(&self, n: &mut Node) {
        n.span = self.map_span(n.span);
        match &mut n.value {
            Value::Array(items) => items.iter_mut().for_each(|i| self.map_node(i)),
            Value::Object(members) => {
                for m in members {
                    m.key_span = self.map_span(m.key_span);
                    self.map_node(&mut m.value);
                }
            }
            _ => {}
        }
    }

    /// Parse the assembled text as JSON; spans of the tree and the issues point into the file.
    pub fn parse(&self, limits: parse::Limits) -> (Option<Node>, Vec<SyntaxIssue>) {
        let mut parsed = parse::parse_with(&self.text, limits);
        if let Some(root) = &mut parsed.root {
            self.map_node(root);
        }
        for issue in &mut parsed.issues {
            issue.span = self.map_span(issue.span);
            if let Some((span, _)) = &mut issue.related {
                *span = self.map_span(*span);
            }
        }
        (parsed.root, parsed.issues)
    }

    /// Decode the JSON string literal `raw` (quotes included) found at byte `base` of the file, so
    /// that every decoded byte maps to the bytes of its escape sequence. `None` if `raw` is not a
    /// well-formed JSON string literal.
    pub fn unescape_json_literal(raw: &str, base: usize) -> Option<Mapped> {
        let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
        let base = base + 1;
        let bytes = inner.as_bytes();
        let mut out = Mapped::new();
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            out.push_copy(base + run, &inner[run..i]);
            let (decoded, len) = unescape_one(inner, i)?;
            let mut buf = [0; 4];
            out.push_replace(Span::new(base + i, base + i + len), decoded.encode_utf8(&mut buf));
            i += len;
            run = i;
        }
        out.push_copy(base + run, &inner[run..]);
        Some(out)
    }
}

/// Decode the escape at `inner[i..]` (which starts with a backslash): the character and the escape's
/// length in bytes.
fn unescape_one(inner: &str, i: usize) -> Option<(char, usize)> {
    let hex4 = |at: usize| inner.get(at..at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
    let c = match inner.as_bytes().get(i + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(i + 2)?;
            if (0xD800..0xDC00).contains(&hi) && inner.get(i + 6..i + 8) == Some("\\u") {
                let lo = hex4(i + 8)?;
                let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?;
                return Some((c, 12));
            }
            return Some((char::from_u32(hi).unwrap_or('\u{fffd}'), 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_map_back_to_the_literal() {
        let file = r#"{"policy": "{\"Effect\": 1, \"A\u00e9\": \"x\"}"}"#;
        let start = file.find("\"{").unwrap();
        let m = Mapped::unescape_json_literal(&file[start..file.len() - 1], start).unwrap();
        assert_eq!(m.text, "{\"Effect\": 1, \"Aé\": \"x\"}");
        let (root, issues) = m.parse(parse::Limits::default());
        assert!(issues.is_empty());
        let root = root.unwrap();
        let effect = root.get("Effect").unwrap();
        assert_eq!(&file[effect.key_span.start..effect.key_span.end], "\\\"Effect\\\"");
        assert_eq!(&file[effect.value.span.start..effect.value.span.end], "1");
        let a = &root.as_object().unwrap()[1];
        assert_eq!(&file[a.key_span.start..a.key_span.end], "\\\"A\\u00e9\\\"");
    }

    #[test]
    fn replaced_pieces_cover_their_origin() {
        let mut m = Mapped::new();
        m.push_copy(10, "\"a");
        m.push_replace(Span::new(12, 16), "{{longer}}");
        m.push_copy(16, "\"");
        let (root, _) = m.parse(parse::Limits::default());
        assert_eq!(root.unwrap().span, Span::new(10, 17));
        assert_eq!(m.map_span(Span::new(2, 12)), Span::new(12, 16));
    }

    #[test]
    fn malformed_literals_are_refused() {
        assert!(Mapped::unescape_json_literal(r#""\q""#, 0).is_none());
        assert!(Mapped::unescape_json_literal(r#""\u12""#, 0).is_none());
        assert!(Mapped::unescape_json_literal("x", 0).is_none());
    }
}
