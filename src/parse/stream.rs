//! Reading a large document without holding its tree: a first pass checks the whole text and keeps
//! only where the top-level members and the items of top-level arrays are ([`outline`]), then each
//! item is parsed on its own ([`value_at`]) while the text stays the same, so its spans are those a
//! tree of the whole document would give.
//!
//! The first pass runs the same grammar as [`parse_with`](super::parse_with) (the same scanner for
//! white space, comments, keys and escapes, the same depth limit), so it reports the same issues in
//! the same order, and fails exactly where and how the tree parser fails.

use super::{Limits, Parser, Span, SyntaxIssue};
use std::borrow::Cow;

/// One member of the top-level object, without its value's tree.
#[derive(Clone, Debug, PartialEq)]
pub struct TopMember {
    /// The unescaped key.
    pub key: String,
    /// The key's span, quotes included.
    pub key_span: Span,
    /// The value's span.
    pub span: Span,
    /// The JSON type of the value, as [`Value::type_name`](super::Value::type_name) names it.
    pub type_name: &'static str,
    /// The spans of the items, when the value is an array.
    pub items: Option<Vec<Span>>,
}

/// The top level of a document, checked whole: what [`parse_with`](super::parse_with) would report,
/// and the members of the root object when it would give a tree.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    /// The members in source order, duplicates kept; empty when the root is not an object; `None`
    /// when the document could not be read.
    pub members: Option<Vec<TopMember>>,
    /// Every problem found, in source order: the same as `parse_with` gives for the same text.
    pub issues: Vec<SyntaxIssue>,
}

impl Outline {
    /// The first member named `key` (case-sensitive), as [`Node::get`](super::Node::get) finds it.
    pub fn get(&self, key: &str) -> Option<&TopMember> {
        self.members.as_ref()?.iter().find(|m| m.key == key)
    }
}

/// Check `src` as one JSON document and outline its root object, building no tree.
pub fn outline(src: &str, limits: Limits) -> Outline {
    let mut p = Parser { src: src.as_bytes(), text: src, pos: 0, issues: Vec::new(), limits, depth: 0 };
    let members = p.top_level();
    p.issues.sort_by_key(|i| i.span.start);
    Outline { members, issues: p.issues }
}

/// Parse the value that starts at byte `start` of `src`, nested `depth` levels deep (1 for a member of
/// the root object, 2 for an item of a top-level array), with spans into `src`. Its issues are left
/// out: [`outline`] has reported them.
pub fn value_at(src: &str, start: usize, depth: usize, limits: Limits) -> Result<super::Node, SyntaxIssue> {
    let mut p = Parser { src: src.as_bytes(), text: src, pos: start, issues: Vec::new(), limits, depth };
    p.value()
}

/// The first byte of a value → its JSON type name (the value has been checked).
fn type_name(first: u8) -> &'static str {
    match first {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "a number",
    }
}

impl<'a> Parser<'a> {
    /// [`parse_with`](super::parse_with)'s steps, outlining the root object instead of building it.
    fn top_level(&mut self) -> Option<Vec<TopMember>> {
        if self.text.starts_with('\u{feff}') {
            self.issues.push(super::bom_issue());
            self.pos = 3;
        }
        self.skip_ws();
        if self.pos >= self.src.len() {
            self.issues.push(super::empty_issue(self.src.len()));
            return None;
        }
        let mut members = Vec::new();
        let root = if self.peek() == Some(b'{') {
            self.nested(|p| p.skip_object(|p, key, key_span| p.top_member(key, key_span, &mut members)))
        } else {
            self.skip_value()
        };
        self.end_of_document(root, |span| *span).map(|_| members)
    }

    fn top_member(&mut self, key: &str, key_span: Span, members: &mut Vec<TopMember>) -> Result<Span, SyntaxIssue> {
        let first = self.peek().unwrap_or(b'n');
        let mut items = None;
        let span = if first == b'[' {
            let mut spans = Vec::new();
            let span = self.nested(|p| {
                p.skip_array(|p| {
                    let s = p.skip_value()?;
                    spans.push(s);
                    Ok(s)
                })
            })?;
            items = Some(spans);
            span
        } else {
            self.skip_value()?
        };
        members.push(TopMember { key: key.to_string(), key_span, span, type_name: type_name(first), items });
        Ok(span)
    }

    /// [`Parser::value`] without the tree: the same checks and issues, the value's span.
    pub(super) fn skip_value(&mut self) -> Result<Span, SyntaxIssue> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.nested(|p| p.skip_object(|p, _, _| p.skip_value())),
            Some(b'[') => self.nested(|p| p.skip_array(Parser::skip_value)),
            Some(b'"') => {
                self.key()?;
                Ok(Span::new(start, self.pos))
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number_end()?;
                Ok(Span::new(start, self.pos))
            }
            // Literals and errors build nothing on the heap.
            _ => self.value().map(|n| n.span),
        }
    }

    fn skip_array(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<Span, SyntaxIssue>,
    ) -> Result<Span, SyntaxIssue> {
        self.items(|p| item(p).map(drop))
    }

    /// [`Parser::object`] without the tree; `member` reads each value. Keys are kept only while the
    /// object is read, to report duplicates as the tree parser does.
    fn skip_object(
        &mut self,
        mut member: impl FnMut(&mut Self, &str, Span) -> Result<Span, SyntaxIssue>,
    ) -> Result<Span, SyntaxIssue> {
        let mut keys: Vec<(Cow<'a, str>, Span)> = Vec::new();
        self.members(|p, key, key_span| {
            member(p, &key, key_span)?;
            if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key) {
                let issue = super::duplicate_key(&key, key_span, *first);
                p.issues.push(issue);
            }
            keys.push((key, key_span));
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Node, Value, parse_with};
    use super::*;
    use proptest::prelude::*;

    /// Whatever the text, the outline reports what the tree parser reports, and each member and item
    /// parsed on its own is the tree's node for it, spans included.
    fn agrees(src: &str, limits: Limits) {
        let tree = parse_with(src, limits);
        let out = outline(src, limits);
        assert_eq!(out.issues, tree.issues, "{src:?}");
        assert_eq!(out.members.is_some(), tree.root.is_some(), "{src:?}");
        let (Some(members), Some(root)) = (out.members, tree.root) else { return };
        let Value::Object(tree_members) = &root.value else {
            assert!(members.is_empty(), "{src:?}");
            return;
        };
        assert_eq!(members.len(), tree_members.len(), "{src:?}");
        for (m, t) in members.iter().zip(tree_members) {
            assert_eq!((m.key.as_str(), m.key_span, m.span), (t.key.as_str(), t.key_span, t.value.span), "{src:?}");
            assert_eq!(m.type_name, t.value.value.type_name(), "{src:?}");
            assert_eq!(value_at(src, m.span.start, 1, limits).as_ref(), Ok(&t.value), "{src:?}");
            let tree_items = match &t.value.value {
                Value::Array(items) => Some(items),
                _ => None,
            };
            assert_eq!(m.items.is_some(), tree_items.is_some(), "{src:?}");
            for (span, node) in m.items.iter().flatten().zip(tree_items.into_iter().flatten()) {
                assert_eq!(*span, node.span, "{src:?}");
                let alone: Result<Node, SyntaxIssue> = value_at(src, span.start, 2, limits);
                assert_eq!(alone.as_ref(), Ok(node), "{src:?}");
            }
        }
    }

    #[test]
    fn a_dump_outline_matches_its_tree() {
        let src = "\u{feff}{\"UserDetailList\": [{\"Arn\": \"a\\u00e9\"}, 1, [], \"x\",],\n \
                   // note\n \"Policies\": {\"a\": null}, \"IsTruncated\": false, \"UserDetailList\": []}";
        agrees(src, Limits::default());
        let out = outline(src, Limits::default());
        let first = out.get("UserDetailList").unwrap();
        assert_eq!(first.items.as_ref().map(Vec::len), Some(4));
        assert_eq!(&src[first.items.as_ref().unwrap()[0].start..][..6], "{\"Arn\"");
        assert_eq!(out.get("Policies").unwrap().type_name, "an object");
    }

    #[test]
    fn errors_are_the_tree_parsers() {
        for src in [
            "",
            "  ",
            "{} {}",
            "{\"a\" 1}",
            "{'a': 1}",
            "{\"a\": [1, 2 3]}",
            "{\"a\": [{\"b\": tru}]}",
            "{\"a\": \"\\x\"}",
            "{\"a\": \"\\ud800\"}",
            "{\"a\": [01]}",
            "{\"a\": [\"b\u{1}\"]}",
            "{\"a\": [",
            "{\"a\": -}",
            "{\"a\": 1.}",
            "{\"a\": 1e}",
            "[1, 2]",
            "\"just a string\"",
        ] {
            agrees(src, Limits::default());
        }
        let deep = format!("{{\"a\": [{}{}]}}", "[".repeat(70), "]".repeat(70));
        agrees(&deep, Limits::default());
        agrees("{\"a\": [[1]], \"b\": {\"c\": [2]}}", Limits { max_depth: 2 });
    }

    fn space() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", " ", "\n  ", "/*c*/", "// c\n"])
    }

    fn json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            prop::sample::select(vec![
                "null",
                "true",
                "false",
                "0",
                "-12.5e3",
                "7",
                "\"\"",
                "\"a\\\"\\u00e9\"",
                "\"x y\""
            ])
            .prop_map(str::to_string),
            "\"[a-c\\\\/]{0,3}\"",
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                (prop::collection::vec((space(), inner.clone()), 0..4), any::<bool>()).prop_map(|(items, comma)| {
                    let body: Vec<String> = items.into_iter().map(|(s, v)| format!("{s}{v}")).collect();
                    let tail = if comma && !body.is_empty() { "," } else { "" };
                    format!("[{}{tail}]", body.join(","))
                }),
                (
                    prop::collection::vec(
                        (prop::sample::select(vec!["a", "b", "\\u0061", "Arn"]), space(), inner),
                        0..4
                    ),
                    any::<bool>()
                )
                    .prop_map(|(members, comma)| {
                        let body: Vec<String> =
                            members.into_iter().map(|(k, s, v)| format!("\"{k}\":{s}{v}")).collect();
                        let tail = if comma && !body.is_empty() { "," } else { "" };
                        format!("{{{}{tail}}}", body.join(","))
                    }),
            ]
        })
    }

    proptest! {
        #[test]
        fn random_documents_agree(
            root in json(),
            cut in any::<prop::sample::Index>(),
            noise in prop::sample::select(vec!["", "", "\"", ",", "}", "]", "x", "/", "\\", "\u{1}", "é"]),
            depth in 1usize..6,
        ) {
            // A root object whose members are arrays, as in a dump, with one byte of noise somewhere.
            let text = format!("{{\"L\": [{root}, {root}], \"M\": {root}}}");
            let mut at = cut.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let noisy = format!("{}{noise}{}", &text[..at], &text[at..]);
            agrees(&noisy, Limits { max_depth: depth });
            agrees(&root, Limits::default());
        }
    }
}
