//! Where the cursor is, for hover and completion: which JSON string it is in, whether that string is a
//! key or a value, and the keys of the enclosing objects (`["Statement", "Action"]`).
//!
//! This is a tolerant lexical scan, not the parser: completion runs while the user types, when the
//! document is half-written (`"Action": ["s3:Get` with no closing quote). It never fails; it only
//! knows less. Outside JSON (YAML, Terraform) the fallback is the name-like token under the cursor.

/// Whether a string is an object key or a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `"Action"` in `"Action": ...`.
    Key,
    /// Anything else: an object value, an array item, the root.
    Value,
}

/// The JSON string containing the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringAt {
    /// Byte offset of the first character after the opening quote.
    pub start: usize,
    /// Byte offset of the closing quote, or of the end of the line when the string is not closed yet.
    pub end: usize,
    /// Key or value.
    pub role: Role,
    /// Keys of the enclosing objects, outermost first. For a value this ends with its own key
    /// (`["Statement", "Action"]` inside an `Action` array); for a key it ends with the key of the
    /// object that holds it (`["Statement", "Condition", "StringEquals"]` for a condition key).
    pub path: Vec<String>,
}

impl StringAt {
    /// The last key of the path.
    pub fn parent(&self) -> Option<&str> {
        self.path.last().map(String::as_str)
    }

    /// The key before the last one.
    pub fn grandparent(&self) -> Option<&str> {
        self.path.len().checked_sub(2).map(|i| self.path[i].as_str())
    }

    /// Whether this is an action pattern: a value of `Action` or `NotAction` (or of `actions` /
    /// `not_actions`, as Terraform JSON's `aws_iam_policy_document` writes them).
    pub fn is_action(&self) -> bool {
        self.role == Role::Value && matches!(self.parent(), Some("Action" | "NotAction" | "actions" | "not_actions"))
    }

    /// Whether this is a condition key: a key of an operator block inside `Condition`.
    pub fn is_condition_key(&self) -> bool {
        self.role == Role::Key && self.grandparent() == Some("Condition")
    }
}

enum Frame {
    Object { key: Option<String>, after_colon: bool },
    Array,
}

/// The string containing byte `offset` of `text` (the cursor may sit right after the opening quote or
/// right before the closing one), with its role and path; `None` when the cursor is not in a string.
pub fn string_at(text: &str, offset: usize) -> Option<StringAt> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() && i <= offset {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, after_colon: false }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { after_colon, .. }) = stack.last_mut() {
                    *after_colon = true;
                }
            }
            b',' => {
                if let Some(Frame::Object { key, after_colon }) = stack.last_mut() {
                    *key = None;
                    *after_colon = false;
                }
            }
            b'"' => {
                let start = i + 1;
                let (end, next) = string_end(bytes, start);
                let role = match stack.last() {
                    Some(Frame::Object { after_colon: false, .. }) => Role::Key,
                    _ => Role::Value,
                };
                if (start..=end).contains(&offset) {
                    let mut path: Vec<String> = stack
                        .iter()
                        .filter_map(|f| match f {
                            Frame::Object { key, .. } => key.clone(),
                            Frame::Array => None,
                        })
                        .collect();
                    // A key is not part of its own path.
                    if role == Role::Key
                        && let Some(Frame::Object { key: Some(_), .. }) = stack.last()
                    {
                        path.pop();
                    }
                    return Some(StringAt { start, end, role, path });
                }
                if role == Role::Key
                    && let Some(Frame::Object { key, .. }) = stack.last_mut()
                {
                    *key = Some(text.get(start..end).unwrap_or_default().to_owned());
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Where the string starting at `start` ends: (offset of the closing quote or of the line end, offset
/// to resume scanning at). A raw newline ends an unclosed string, as JSON forbids it anyway.
fn string_end(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut j = start;
    while j < bytes.len() {
        match bytes[j] {
            b'"' => return (j, j + 1),
            b'\\' => j += 2,
            b'\n' | b'\r' => return (j, j),
            _ => j += 1,
        }
    }
    let end = j.min(bytes.len());
    (end, end)
}

/// Whether `c` can be part of an action pattern or a condition key name.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '*' | '?' | '/' | '$' | '{' | '}' | '<' | '>')
}

/// The name-like token around byte `offset` (`s3:GetObject` in YAML `- s3:GetObject`), as a byte range.
pub fn token_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start =
        text[..offset].char_indices().rev().take_while(|&(_, c)| is_name_char(c)).last().map_or(offset, |(i, _)| i);
    let end =
        offset + text[offset..].char_indices().find(|&(_, c)| !is_name_char(c)).map_or(text.len() - offset, |(i, _)| i);
    (start < end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, marker: &str) -> Option<StringAt> {
        let offset = text.find(marker).unwrap();
        string_at(&text.replace(marker, ""), offset)
    }

    #[test]
    fn action_array_value() {
        let s = at(r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:List*", "s3:Get|Object"]}]}"#, "|").unwrap();
        assert_eq!(s.path, ["Statement", "Action"]);
        assert!(s.is_action());
    }

    #[test]
    fn unclosed_string_while_typing() {
        let s = at("{\"Statement\": {\"NotAction\": \"s3:Ge|\n", "|").unwrap();
        assert!(s.is_action());
        assert_eq!(s.end, s.start + 5);
    }

    #[test]
    fn condition_key() {
        let s = at(r#"{"Statement": [{"Condition": {"StringEquals": {"aws:SourceVpc": "x", "aws:Pr|": ""}}}]}"#, "|")
            .unwrap();
        assert_eq!(s.path, ["Statement", "Condition", "StringEquals"]);
        assert!(s.is_condition_key());
        assert!(!s.is_action());
    }

    #[test]
    fn keys_values_and_escapes() {
        let s = at(r#"{"Sid": "a\"b", "Act|"#, "|").unwrap();
        assert_eq!((s.role, s.path.len()), (Role::Key, 0));
        assert_eq!(at(r#"{"Sid": 1|2}"#, "|"), None);
        let v = at(r#"{"Resource": "arn|"}"#, "|").unwrap();
        assert_eq!((v.role, v.parent()), (Role::Value, Some("Resource")));
    }

    #[test]
    fn tokens() {
        let t = "Action:\n  - s3:GetObject\n";
        let o = t.find("Get").unwrap();
        assert_eq!(token_at(t, o).map(|(a, b)| &t[a..b]), Some("s3:GetObject"));
        assert_eq!(token_at("  ", 1), None);
    }
}
