//! The size of a policy as AWS counts it, for documents whose text in the file is not what AWS
//! receives (a `CloudFormation` YAML mapping, a Terraform `jsonencode` or `aws_iam_policy_document`).
//!
//! Such a document reaches IAM as JSON rendered from its tree, so it is measured as the *minified*
//! JSON of the tree: keys and strings with their quotes and JSON escapes, numbers as written, `{}[]:,`
//! and nothing else. Values known only at deploy time (the `{{...}}` placeholders of the front ends,
//! see [`super::is_placeholder`]) count as zero characters, and a one-element list counts as its
//! element alone (the shorter form AWS accepts, and the one Terraform renders), so the count is the
//! smallest the policy can be once deployed: a quota finding on it is certain.
//!
//! Characters are Unicode scalar values; IAM accepts only U+0009, U+000A, U+000D and U+0020–U+00FF in
//! a policy anyway.

use crate::parse::{Node, Span, Value};

/// The characters of `node` rendered as minified JSON, placeholders counting zero.
pub fn rendered_len(node: &Node) -> usize {
    let mut m = Meter { count: 0 };
    m.node(node);
    m.count
}

/// The rendered length of `root` (as [`rendered_len`]) and, when it is over `limit`, the span of the
/// statement in which the count passed it.
pub fn rendered_len_crossing(root: &Node, limit: usize) -> (usize, Option<Span>) {
    let mut m = Meter { count: 0 };
    let mut crossed = None;
    match &root.value {
        Value::Object(members) => {
            // Counted in document order, so the crossing is where the rendered text passes `limit`.
            m.count += 1;
            for (i, member) in members.iter().enumerate() {
                m.count += usize::from(i > 0) + string_len(&member.key) + 1;
                match &member.value.value {
                    Value::Array(items) if member.key == "Statement" && items.len() > 1 => {
                        m.count += 1;
                        for (j, item) in items.iter().enumerate() {
                            m.count += usize::from(j > 0);
                            m.node(item);
                            if crossed.is_none() && m.count > limit {
                                crossed = Some(item.span);
                            }
                        }
                        m.count += 1;
                    }
                    _ => {
                        m.node(&member.value);
                        if crossed.is_none() && m.count > limit && member.key == "Statement" {
                            crossed = Some(member.value.span);
                        }
                    }
                }
            }
            m.count += 1;
        }
        _ => m.node(root),
    }
    (m.count, crossed)
}

struct Meter {
    count: usize,
}

impl Meter {
    fn node(&mut self, node: &Node) {
        // An explicit stack instead of recursion: documents may be deep.
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::Null => self.count += 4,
                Value::Bool(b) => self.count += if *b { 4 } else { 5 },
                Value::Number(text) => self.count += text.chars().count(),
                Value::String(s) => self.count += string_len(s),
                Value::Array(items) if items.len() == 1 => stack.push(&items[0]),
                Value::Array(items) => {
                    self.count += 2 + items.len().saturating_sub(1);
                    stack.extend(items.iter().rev());
                }
                Value::Object(members) => {
                    self.count += 2 + members.len().saturating_sub(1);
                    for m in members {
                        self.count += string_len(&m.key) + 1;
                    }
                    stack.extend(members.iter().rev().map(|m| &m.value));
                }
            }
        }
    }
}

/// A JSON string literal's length, quotes included, escapes as JSON writes them, placeholder text
/// (`{{...}}`) not counted.
pub fn string_len(s: &str) -> usize {
    let mut n = 2;
    let mut rest = s;
    loop {
        let (text, after) = match rest.find("{{") {
            Some(i) => match rest[i + 2..].find("}}") {
                Some(j) => (&rest[..i], Some(&rest[i + 2 + j + 2..])),
                None => (rest, None),
            },
            None => (rest, None),
        };
        n += text.chars().map(escaped_len).sum::<usize>();
        match after {
            Some(a) => rest = a,
            None => return n,
        }
    }
}

fn escaped_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
        c if c < ' ' => 6,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn len(json: &str) -> usize {
        rendered_len(parse(json).root.as_ref().unwrap())
    }

    #[test]
    fn minified_json_without_whitespace() {
        let minified = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},{"Effect":"Deny","NotAction":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":10}}}]}"#;
        assert_eq!(len(minified), minified.chars().count());
        let spaced = "{ \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ ] }";
        assert_eq!(len(spaced), r#"{"Version":"2012-10-17","Statement":[]}"#.len());
        assert_eq!(len("[null, true, false, 1.50, {}]"), "[null,true,false,1.50,{}]".len());
    }

    #[test]
    fn escapes_count_as_json_writes_them() {
        // The source spells `A` as `\u0041`; rendered, it is one character. A quote and a backslash
        // take two, a newline two, another control character six.
        assert_eq!(len(r#"["\u0041", "\"", "\\", "\n", "\u0001"]"#), r#"["A","\"","\\","\n","\u0001"]"#.len());
        assert_eq!(string_len("a\"b"), 6);
        assert_eq!(string_len("a/b"), 5, "a slash is not escaped");
    }

    #[test]
    fn placeholders_count_zero() {
        assert_eq!(string_len("{{var.bucket}}"), 2);
        assert_eq!(string_len("arn:aws:s3:::{{var.bucket}}/*"), 2 + "arn:aws:s3:::/*".len());
        assert_eq!(string_len("{{a}}-{{b}}"), 3);
        // An unclosed `{{` is text.
        assert_eq!(string_len("{{a"), 5);
        assert_eq!(len(r#"{"{{var.key}}":"{{var.value}}"}"#), r#"{"":""}"#.len());
    }

    #[test]
    fn unicode_counts_characters_not_bytes() {
        assert_eq!(string_len("é"), 3);
        assert_eq!(string_len("日本"), 4);
        assert_eq!(len(r#"{"Sid":"ü"}"#), 11);
    }

    #[test]
    fn one_element_lists_count_as_their_element() {
        assert_eq!(len(r#"{"Action":["s3:GetObject"]}"#), r#"{"Action":"s3:GetObject"}"#.len());
    }

    #[test]
    fn the_statement_that_crosses_the_quota() {
        let src = r#"{"Statement":[{"Sid":"One"},{"Sid":"Two"},{"Sid":"Three"}]}"#;
        let root = parse(src).root.unwrap();
        let (n, at) = rendered_len_crossing(&root, 30);
        assert_eq!(n, src.len());
        let at = at.unwrap();
        assert_eq!(&src[at.start..at.end], r#"{"Sid":"Two"}"#);
        assert_eq!(rendered_len_crossing(&root, 1000), (src.len(), None));
    }
}
