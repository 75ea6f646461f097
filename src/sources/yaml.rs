//! YAML (saphyr) → our JSON tree, spans in bytes of the YAML file.
//!
//! CloudFormation short-form tags become their long form, so one walker serves JSON and YAML
//! templates: `!Ref X` → `{"Ref": "X"}`, `!Sub s` → `{"Fn::Sub": s}`, `!GetAtt A.B` →
//! `{"Fn::GetAtt": "A.B"}`. The object's span is the tagged node, its key span the tag itself.

use crate::parse::{IssueKind, Member, Node, Span, SyntaxIssue, Value};
use saphyr::{MarkedYaml, Scalar, YamlData};

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

    /// Offsets for `relaxed` text made from `original` by [`relax_indentation`]: `table` maps each
    /// character of the relaxed text to a byte of the original.
    fn mapped(original: &'a str, table: Vec<usize>) -> Self {
        Self { text: original, table }
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

/// Load every document of `text`, keeping the last value of a duplicated key when `allow_duplicates`.
fn load(text: &str, allow_duplicates: bool) -> Result<Vec<MarkedYaml<'_>>, saphyr::ScanError> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut loader = saphyr::YamlLoader::<MarkedYaml<'_>>::default();
    loader.allow_duplicate_keys(allow_duplicates);
    parser.load(&mut loader, true)?;
    if let Some(e) = loader.error() {
        return Err(e.clone());
    }
    Ok(loader.into_documents())
}

/// The key written at byte `at` of `text` (up to its `:`), for a message.
fn key_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let end = rest.find([':', '\n']).unwrap_or(rest.len());
    rest[..end].trim().trim_matches(['"', '\''])
}

/// Parse the first YAML document of `text`. A duplicated key is not fatal: CloudFormation keeps the
/// last value, so the tree does too, and the issue (a warning) names the key.
pub(crate) fn to_node(text: &str, max_depth: usize) -> Result<(Node, Vec<SyntaxIssue>), SyntaxIssue> {
    let text_start = text.len() - text.trim_start_matches('\u{feff}').len();
    if nesting_estimate(text) > MAX_NESTING {
        return Err(issue(Span::new(0, 0), format!("the YAML nests deeper than {MAX_NESTING} levels")));
    }
    let strict = load(text, false);
    // CloudFormation reads YAML as PyYAML does, which accepts flow collections and quoted scalars
    // continued at (or left of) their key's indentation; saphyr does not. Such a template is read
    // with those lines indented further, positions mapped back to the original.
    let relaxed = match &strict {
        Err(e) if e.info().contains("indentation") => relax_indentation(text),
        _ => None,
    };
    let (first, src, offsets) = match relaxed.as_ref() {
        Some((r, table)) => match load(r, false) {
            Err(e) if !e.info().contains("duplicated key") => (strict, text, Offsets::new(text)),
            res => (res, r.as_str(), Offsets::mapped(text, table.clone())),
        },
        None => (strict, text, Offsets::new(text)),
    };
    let mut issues = Vec::new();
    let docs = match first {
        Ok(d) => d,
        Err(e) if e.info().contains("duplicated key") => {
            let at = offsets.byte(e.marker().index());
            let key = key_at(text, at);
            let span = Span::new(at, (at + key.len()).min(text.len()).max(at));
            let mut i =
                issue(span, format!("duplicate key `{key}` in a YAML mapping; CloudFormation keeps the last value"));
            i.kind = IssueKind::DuplicateKeyKeptLast;
            i.help = Some("remove or rename one of the keys; only the last one takes effect".into());
            issues.push(i);
            match load(src, true) {
                Ok(d) => d,
                Err(e) => return Err(scan_error(text, &offsets, &e)),
            }
        }
        Err(e) => return Err(scan_error(text, &offsets, &e)),
    };
    let Some(doc) = docs.first() else {
        return Err(issue(Span::new(text_start, text.len()), "the YAML file holds no document".into()));
    };
    let cx = Cx { text, offsets, max_depth: max_depth.max(MAX_NESTING) };
    Ok((cx.convert(doc, Span::new(text_start, text_start), 0), issues))
}

/// `text` with every line that continues a flow collection or a quoted scalar indented past the
/// key that opened it, and the byte of `text` each character of the result stands for; `None` when
/// no line needs it. Block scalars (`|`, `>`) and comments are skipped over.
fn relax_indentation(text: &str) -> Option<(String, Vec<usize>)> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut table = Vec::with_capacity(text.len() + 64);
    let mut changed = false;
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    // The column of the key whose value is open (flow or quote), and the parent column of a block scalar.
    let mut opener = 0usize;
    let mut block: Option<usize> = None;
    let mut line_start = 0usize;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let blank = body.trim().is_empty();
        if let Some(parent) = block {
            if blank || indent > parent {
                push_line(&mut out, &mut table, line, line_start, 0);
                line_start += line.len();
                continue;
            }
            block = None;
        }
        let open = flow > 0 || quote.is_some();
        let pad = if open && !blank && indent <= opener { opener + 1 - indent } else { 0 };
        changed |= pad > 0;
        push_line(&mut out, &mut table, line, line_start, pad);
        line_start += line.len();
        if !open {
            // The column of the key on this line: past any `- ` sequence markers.
            let mut col = indent;
            while body[col..].starts_with("- ") {
                col += 2 + (body[col + 2..].len() - body[col + 2..].trim_start_matches(' ').len());
            }
            opener = col;
        }
        let mut prev = ' ';
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('\'') if c == '\'' => {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some('"') if c == '"' => quote = None,
                Some(_) => {}
                None => {
                    let at_value = prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':');
                    match c {
                        '#' if prev.is_whitespace() => break,
                        '"' | '\'' if at_value => quote = Some(c),
                        '[' | '{' if at_value || flow > 0 => flow += 1,
                        ']' | '}' if flow > 0 => flow -= 1,
                        _ => {}
                    }
                }
            }
            prev = c;
        }
        if flow == 0 && quote.is_none() {
            let value = body.split(" #").next().unwrap_or("").trim_end();
            let indicator = value.rsplit(' ').next().unwrap_or("");
            if value.len() > indicator.len()
                && (indicator.starts_with('|') || indicator.starts_with('>'))
                && indicator[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9'))
            {
                block = Some(indent);
            }
        }
    }
    changed.then_some((out, table))
}

/// Append `line` (which starts at byte `start` of the original) to `out`, `pad` spaces first; every
/// character's original byte goes to `table`.
fn push_line(out: &mut String, table: &mut Vec<usize>, line: &str, start: usize, pad: usize) {
    for _ in 0..pad {
        out.push(' ');
        table.push(start);
    }
    for (i, c) in line.char_indices() {
        out.push(c);
        table.push(start + i);
    }
}

fn scan_error(text: &str, offsets: &Offsets<'_>, e: &saphyr::ScanError) -> SyntaxIssue {
    let at = offsets.byte(e.marker().index());
    let end = text.get(at..).and_then(|s| s.chars().next()).map_or(at, |c| at + c.len_utf8());
    let mut i = issue(Span::new(at, end), format!("invalid YAML: {}", e.info()));
    i.help = Some("CloudFormation templates must be well-formed YAML or JSON".into());
    i
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
        let (root, issues) = to_node(src, 64).unwrap();
        assert!(issues.is_empty());
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
        // A duplicate key keeps the last value and is named in a warning.
        let (root, issues) = to_node("a: 1\nb: 2\na: 3\n", 64).unwrap();
        assert_eq!(root.get("a").unwrap().value.value, Value::Number("3".into()));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].kind, IssueKind::DuplicateKeyKeptLast);
        assert!(issues[0].message.contains("`a`"), "{}", issues[0].message);
        assert!(to_node(&"- ".repeat(10_000), 64).is_err());
    }
}
