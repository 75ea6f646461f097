//! YAML (saphyr) → our JSON tree, spans in bytes of the YAML file.
//!
//! CloudFormation short-form tags become their long form, so one walker serves JSON and YAML
//! templates: `!Ref X` → `{"Ref": "X"}`, `!Sub s` → `{"Fn::Sub": s}`, `!GetAtt A.B` →
//! `{"Fn::GetAtt": "A.B"}`. The object's span is the tagged node, its key span the tag itself.

use crate::parse::{IssueKind, Member, Node, Span, SyntaxIssue, Value};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// saphyr counts characters; we need bytes.
struct Offsets<'a> {
    text: &'a str,
    /// Byte offset of each character, or empty when the text is ASCII.
    table: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let table = if text.is_ascii() { Vec::new() } else { text.char_indices().map(|(i, _)| i).collect() };
        Self { text, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.text.len())
        } else {
            self.table.get(char_index).copied().unwrap_or(self.text.len())
        }
    }

    fn span(&self, from: &saphyr::Marker, to: &saphyr::Marker) -> Span {
        let start = self.byte(from.index());
        Span::new(start, self.byte(to.index()).max(start))
    }
}

/// How deep the YAML may nest before we refuse it: saphyr's tree is dropped recursively.
const MAX_NESTING: usize = 512;

/// A cheap upper bound on the nesting of `text`: flow brackets plus block indentation and `- `
/// markers on one line.
fn nesting_estimate(text: &str) -> usize {
    let mut flow: usize = 0;
    let mut max = 0;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches([' ', '-', '?', ':']).len();
        max = max.max(flow + indent);
        for b in line.bytes() {
            match b {
                b'[' | b'{' => flow += 1,
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            }
            max = max.max(flow + indent);
        }
    }
    max
}

fn issue(span: Span, message: String) -> SyntaxIssue {
    SyntaxIssue { kind: IssueKind::Syntax, message, span, related: None, help: None }
}

/// Parse the first YAML document of `text`.
pub(crate) fn to_node(text: &str, max_depth: usize) -> Result<Node, SyntaxIssue> {
    let text_start = text.len() - text.trim_start_matches('\u{feff}').len();
    if nesting_estimate(text) > MAX_NESTING {
        return Err(issue(Span::new(0, 0), format!("the YAML nests deeper than {MAX_NESTING} levels")));
    }
    let offsets = Offsets::new(text);
    let docs = match MarkedYaml::load_from_str(text) {
        Ok(d) => d,
        Err(e) => {
            let at = offsets.byte(e.marker().index());
            let end = text.get(at..).and_then(|s| s.chars().next()).map_or(at, |c| at + c.len_utf8());
            let mut i = issue(Span::new(at, end), format!("invalid YAML: {}", e.info()));
            if e.info().contains("duplicated key") {
                // Reported as `duplicate-key` (E001), like duplicate keys in JSON.
                i.kind = IssueKind::DuplicateKey;
                i.message = "duplicate key in a YAML mapping; CloudFormation rejects the template".into();
                i.help = Some("remove or rename one of the keys".into());
            } else {
                i.help = Some("CloudFormation templates must be well-formed YAML or JSON".into());
            }
            return Err(i);
        }
    };
    let Some(doc) = docs.first() else {
        return Err(issue(Span::new(text_start, text.len()), "the YAML file holds no document".into()));
    };
    let cx = Cx { text, offsets, max_depth: max_depth.max(MAX_NESTING) };
    Ok(cx.convert(doc, Span::new(text_start, text_start), 0))
}

struct Cx<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    max_depth: usize,
}

impl Cx<'_> {
    fn convert(&self, y: &MarkedYaml<'_>, fallback: Span, depth: usize) -> Node {
        let mut span = self.offsets.span(&y.span.start, &y.span.end);
        // Scalars under a tag carry an empty default span; use the tagged node's.
        if span.is_empty() && y.span.start.index() == 0 && fallback != Span::default() {
            span = fallback;
        }
        if depth > self.max_depth {
            return Node { value: Value::Null, span };
        }
        let value = match &y.data {
            YamlData::Value(s) => self.scalar(s, span),
            YamlData::Representation(raw, _, _) => Value::String(raw.to_string()),
            YamlData::Sequence(items) => Value::Array(items.iter().map(|i| self.convert(i, span, depth + 1)).collect()),
            YamlData::Mapping(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = self.convert(k, span, depth + 1);
                        let key_name = match &key.value {
                            Value::String(s) | Value::Number(s) => s.clone(),
                            Value::Bool(b) => b.to_string(),
                            Value::Null => "null".into(),
                            _ => self.text.get(key.span.start..key.span.end).unwrap_or("?").to_string(),
                        };
                        Member { key: key_name, key_span: key.span, value: self.convert(v, span, depth + 1) }
                    })
                    .collect(),
            ),
            YamlData::Tagged(tag, inner) => {
                let inner = self.convert(inner, span, depth + 1);
                if tag.handle == "!" {
                    let key = match tag.suffix.as_str() {
                        "Ref" | "Condition" => tag.suffix.clone(),
                        other => format!("Fn::{other}"),
                    };
                    let key_span =
                        Span::new(span.start, (span.start + 1 + tag.suffix.len()).min(span.end.max(span.start)));
                    Value::Object(vec![Member { key, key_span, value: inner }])
                } else {
                    // `!!str` and other non-CloudFormation tags: keep the value.
                    return Node { value: inner.value, span };
                }
            }
            YamlData::Alias(_) | YamlData::BadValue => Value::Null,
        };
        Node { value, span }
    }

    fn scalar(&self, s: &Scalar<'_>, span: Span) -> Value {
        match s {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Number(i.to_string()),
            Scalar::FloatingPoint(f) => Value::Number(
                self.text.get(span.start..span.end).map_or_else(|| f.to_string(), |t| t.trim().to_string()),
            ),
            Scalar::String(s) => Value::String(s.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_long_forms_with_spans() {
        let src = "a: !Sub 'arn:${AWS::Partition}:s3:::x'\nb: [1, !Ref X]\nc: \"é\"\nd: !GetAtt R.Arn\n";
        let root = to_node(src, 64).unwrap();
        let a = root.get("a").unwrap();
        assert_eq!(&src[a.value.span.start..a.value.span.end], "!Sub 'arn:${AWS::Partition}:s3:::x'");
        let sub = a.value.get("Fn::Sub").unwrap();
        assert_eq!(&src[sub.key_span.start..sub.key_span.end], "!Sub");
        assert_eq!(sub.value.as_str(), Some("arn:${AWS::Partition}:s3:::x"));
        let c = root.get("c").unwrap();
        assert_eq!(&src[c.value.span.start..c.value.span.end], "\"é\"");
        let d = root.get("d").unwrap();
        assert_eq!(&src[d.key_span.start..d.key_span.end], "d");
        assert_eq!(d.value.get("Fn::GetAtt").unwrap().value.as_str(), Some("R.Arn"));
    }

    #[test]
    fn errors_have_a_location() {
        let e = to_node("a: [\nb: 1\n", 64).unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(to_node(&"[".repeat(10_000), 64).is_err());
        let dup = to_node("a: 1\nb: 2\na: 3\n", 64).unwrap_err();
        assert_eq!(dup.kind, IssueKind::DuplicateKey);
        assert!(to_node(&"- ".repeat(10_000), 64).is_err());
    }
}
