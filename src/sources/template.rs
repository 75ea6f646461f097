//! Policy files that Terraform reads with `file()` or `templatefile()`.
//!
//! A `.tf` file names them ([`FileReference`], found by the Terraform front end); the file itself is
//! linted as its own document, with the kind the Terraform attribute gives it (`assume_role_policy`
//! → trust, `aws_iam_policy.policy` → identity, a bucket's `policy` → resource), so findings land at
//! the referenced file's own line:column. A template's `${name}` interpolations are values known only
//! at `terraform apply`: they become `{{name}}` placeholders, while IAM's own policy variables
//! (`${aws:username}`, `${*}`) stay what they are.

use super::{Embedded, Mapped, Template, placeholder};
use crate::model::PolicyKind;
use crate::parse::{self, Span};

/// A policy file a Terraform configuration reads, and what it makes of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReference {
    /// The path as Terraform resolves it, relative to the `.tf` file's directory (`path.module`,
    /// `path.root` and `path.cwd` are that directory): `templates/role.json`, `../policies/trust.json`.
    pub path: String,
    /// The kind the attribute gives the document (`None` for a `data "aws_iam_policy_document"`
    /// input, whose use decides).
    pub kind: Option<PolicyKind>,
    /// Read by `templatefile()`: its `${...}` interpolations are Terraform's.
    pub template: bool,
    /// The resource that reads it, e.g. `aws_iam_role.app`.
    pub owner: String,
}

/// Whether the text between `${` and `}` names an IAM policy variable (`aws:username`,
/// `s3:prefix`, `saml:sub`, `www.amazon.com:user_id`, with an optional default value) or one of
/// IAM's escapes (`*`, `?`, `$`). A bare `kms_key_arn` is a template variable, not an IAM one.
pub fn is_iam_variable(inner: &str) -> bool {
    let name = inner.split(',').next().unwrap_or("").trim();
    matches!(name, "*" | "?" | "$")
        || name.split_once(':').is_some_and(|(service, key)| {
            !service.is_empty()
                && !key.is_empty()
                && service.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                && !key.contains(char::is_whitespace)
        })
}

/// Whether a policy file's path says it is a template whose `${...}` are not IAM's: a `.tpl` suffix
/// (`role.json.tpl`) or a directory named `templates` or `template`.
pub fn is_template_path(path: &str) -> bool {
    let (file, mut dirs) = super::path_parts(path);
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    ["tpl", "tftpl"].iter().any(|e| ext.eq_ignore_ascii_case(e))
        || dirs.any(|d| ["templates", "template"].iter().any(|t| d.eq_ignore_ascii_case(t)))
}

/// Whether `text` has a `${...}` that is not an IAM policy variable, or a `%{...}` directive.
pub fn has_template_syntax(text: &str) -> bool {
    interpolations(text).any(|(_, inner, directive)| directive || !is_iam_variable(inner))
}

/// Every `${...}` / `%{...}` of `text` (escaped `$${` and `%%{` excluded): its start, its inner
/// text, and whether it is a directive. An unclosed one ends the scan.
fn interpolations(text: &str) -> impl Iterator<Item = (usize, &str, bool)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i + 1 < bytes.len() {
            let b = bytes[i];
            if (b == b'$' || b == b'%') && bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b'{') {
                i += 3;
                continue;
            }
            if (b == b'$' || b == b'%') && bytes[i + 1] == b'{' {
                let start = i;
                let end = closing_brace(text, i + 2)?;
                i = end + 1;
                return Some((start, &text[start + 2..end], b == b'%'));
            }
            i += 1;
        }
        None
    })
}

/// The `}` that closes a `${` whose body starts at `from`, counting nested braces and skipping
/// quoted strings inside the expression.
fn closing_brace(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'{' if !quoted => depth += 1,
            b'}' if !quoted && depth == 0 => return Some(i),
            b'}' if !quoted => depth -= 1,
            b'\n' if !quoted && depth == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The text of a Terraform template with every `${expr}` that is not an IAM variable replaced by a
/// `{{expr}}` placeholder (quoted when it stands outside a JSON string, as `${jsonencode(list)}`
/// does), `%{...}` directives dropped and `$${` / `%%{` unescaped; spans map back to the file.
pub fn render(text: &str) -> Mapped {
    let bytes = text.as_bytes();
    let mut m = Mapped::new();
    let mut run = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (b == b'$' || b == b'%') && bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b'{') {
            m.push_copy(run, &text[run..i]);
            m.push_replace(Span::new(i, i + 2), &text[i + 1..i + 2]);
            i += 2;
            run = i;
            escaped = false;
            continue;
        }
        if (b == b'$' || b == b'%')
            && bytes.get(i + 1) == Some(&b'{')
            && let Some(end) = closing_brace(text, i + 2)
        {
            let inner = &text[i + 2..end];
            if b == b'$' && is_iam_variable(inner) {
                i = end + 1;
                continue;
            }
            m.push_copy(run, &text[run..i]);
            let span = Span::new(i, end + 1);
            if b == b'$' {
                let p = opaque(inner);
                let p = if in_string { p } else { format!("\"{p}\"") };
                m.push_replace(span, &p);
            } else {
                // A directive (`%{ if }`, `%{ for }`) generates text we cannot see: it is left out,
                // and if the rest is no JSON the syntax error says where.
                m.push_replace(span, " ");
            }
            i = end + 1;
            run = i;
            escaped = false;
            continue;
        }
        if in_string && escaped {
            escaped = false;
        } else if in_string && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            in_string = !in_string;
        }
        i += 1;
    }
    m.push_copy(run, &text[run..]);
    m
}

/// A placeholder for a template expression that no rule can read as JSON, a wildcard or an ARN part.
fn opaque(inner: &str) -> String {
    let cleaned: String = inner
        .chars()
        .map(|c| match c {
            '"' | '\\' => '\'',
            '*' | '?' | ':' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    placeholder(&cleaned)
}

/// A Terraform template holding one policy: its interpolations become placeholders (see [`render`]),
/// and the document is linted at the template's own spans.
pub fn extract(text: &str, limits: parse::Limits, kind: Option<PolicyKind>, owner: &str) -> Template {
    let (root, issues) = render(text).parse(limits);
    Template {
        policies: root.into_iter().map(|root| Embedded::new(root, kind, owner)).collect(),
        issues,
        ..Template::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_variables_are_told_from_template_variables() {
        for v in ["aws:username", "s3:prefix", "www.amazon.com:user_id", "*", "?", "$", "aws:PrincipalTag/team, 'x'"] {
            assert!(is_iam_variable(v), "{v}");
        }
        for v in ["kms_key_arn", "var.bucket", "jsonencode(arns)", "", "a ? b : c"] {
            assert!(!is_iam_variable(v), "{v}");
        }
    }

    #[test]
    fn interpolations_become_placeholders_at_their_spans() {
        let src = "{\"Resource\": \"${kms_key_arn}\", \"A\": ${jsonencode(list)}, \"U\": \"${aws:username}\", \"E\": \"$${x}\"}";
        let m = render(src);
        assert_eq!(
            m.text,
            "{\"Resource\": \"{{kms_key_arn}}\", \"A\": \"{{jsonencode(list)}}\", \"U\": \"${aws:username}\", \"E\": \"${x}\"}"
        );
        let (root, issues) = m.parse(parse::Limits::default());
        assert!(issues.is_empty(), "{issues:?}");
        let root = root.unwrap();
        let r = root.get("Resource").unwrap();
        assert_eq!(&src[r.value.span.start..r.value.span.end], "\"${kms_key_arn}\"");
        let a = root.get("A").unwrap();
        assert_eq!(&src[a.value.span.start..a.value.span.end], "${jsonencode(list)}");
        assert!(has_template_syntax(src));
        assert!(!has_template_syntax("{\"U\": \"${aws:username}\"}"));
    }

    #[test]
    fn template_paths() {
        assert!(is_template_path("x/templates/role.json"));
        assert!(is_template_path("role.json.tpl"));
        assert!(is_template_path("X\\Templates\\role.json"));
        assert!(is_template_path("role.JSON.TfTpl"));
        assert!(!is_template_path("templates-docs/role.json"));
        assert!(!is_template_path("policies/role.json"));
    }
}
