//! Hover: what the knowledge base knows about the action pattern or condition key under the cursor.

use super::context::{self, StringAt};
use crate::catalog::{ActionRef, KeySource, catalog};
use crate::parse::Span;
use std::fmt::Write as _;

/// Markdown about the name at byte `offset`, and the span it describes; `None` when the cursor is on
/// nothing the knowledge base knows. In JSON the enclosing key decides (an `Action` value is an action,
/// a key inside a `Condition` operator is a condition key); elsewhere any known name is described.
pub fn hover(text: &str, offset: usize, json: bool) -> Option<(String, Span)> {
    if json && let Some(s) = context::string_at(text, offset) {
        let name = text.get(s.start..s.end)?;
        let span = Span::new(s.start - 1, (s.end + 1).min(text.len()));
        return described(name, &s).map(|md| (md, span));
    }
    let (start, end) = context::token_at(text, offset)?;
    let name = text[start..end].trim_matches(|c| c == '"' || c == '\'');
    let md = action_markdown(name).or_else(|| key_markdown(name))?;
    Some((md, Span::new(start, end)))
}

fn described(name: &str, s: &StringAt) -> Option<String> {
    if s.is_action() {
        action_markdown(name)
    } else if s.is_condition_key() {
        key_markdown(name)
    } else {
        None
    }
}

/// How many actions a wildcard hover lists before "and N more".
const WILDCARD_LIST: usize = 30;

/// Markdown for an action (`s3:GetObject`) or an action pattern (`s3:Get*`).
pub fn action_markdown(name: &str) -> Option<String> {
    let cat = catalog();
    if crate::semantics::has_wildcard(name) {
        let hits = cat.expand(name);
        if hits.is_empty() {
            return Some(format!("`{name}` matches **no** known action"));
        }
        let mut md =
            format!("`{name}` matches **{}** action{}\n\n", hits.len(), if hits.len() == 1 { "" } else { "s" });
        for a in hits.iter().take(WILDCARD_LIST) {
            let _ = writeln!(md, "- `{}` ({})", a.full_name(), a.access_level());
        }
        if hits.len() > WILDCARD_LIST {
            let _ = writeln!(md, "- … and {} more", hits.len() - WILDCARD_LIST);
        }
        return Some(md);
    }
    let a = cat.action(name)?;
    Some(describe_action(&a))
}

fn describe_action(a: &ActionRef<'_>) -> String {
    let svc = a.service();
    let mut md = format!("**`{}`** — {} (`{}`)\n\n", a.full_name(), svc.name(), svc.prefix());
    let _ = writeln!(md, "Access level: **{}**\n", a.access_level());
    let resources: Vec<_> = a.resource_types().collect();
    if resources.is_empty() {
        md.push_str("Resource types: none (use `\"Resource\": \"*\"`)\n\n");
    } else {
        md.push_str("Resource types:\n");
        for r in &resources {
            let arns = r.arn_formats().iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
            let _ = writeln!(md, "- `{}`{}: {arns}", r.name(), if r.required() { " (required)" } else { "" });
        }
        md.push('\n');
    }
    let keys = a.condition_keys();
    let resource_keys: Vec<&str> = resources.iter().flat_map(crate::catalog::ResourceRef::condition_keys).collect();
    if keys.is_empty() && resource_keys.is_empty() {
        md.push_str("Condition keys: only the global `aws:` keys\n");
    } else {
        let mut seen = std::collections::HashSet::new();
        let all: Vec<&str> = keys.iter().chain(resource_keys).filter(|k| seen.insert(*k)).collect();
        let list = all.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        let _ = writeln!(md, "Condition keys: {list}, and the global `aws:` keys");
    }
    if !a.dependent_actions().is_empty() {
        let list = a.dependent_actions().iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ");
        let _ = writeln!(md, "\nDependent actions: {list}");
    }
    md
}

/// Markdown for a condition key (`aws:SourceIp`, `s3:prefix`, `aws:PrincipalTag/team`).
pub fn key_markdown(name: &str) -> Option<String> {
    let cat = catalog();
    let info = cat.condition_key(name)?;
    let mut md = format!("**`{}`** — condition key\n\nType: `{}`", info.name, info.key_type);
    if info.is_multivalued() {
        md.push_str(" (multivalued: use `ForAllValues:` or `ForAnyValue:`)");
    }
    md.push_str("\n\n");
    if info.source == KeySource::Global {
        md.push_str("Global key, available in every request where AWS sets it");
        if let Some(g) = cat.global_keys().iter().find(|g| g.name == info.name) {
            let _ = write!(md, ": {}", g.summary);
        }
        md.push('\n');
    } else {
        let prefix = info.name.split_once(':').map_or("", |(p, _)| p);
        let service =
            cat.service(prefix).map_or_else(|| prefix.to_owned(), |s| format!("{} (`{}`)", s.name(), s.prefix()));
        let _ = writeln!(md, "Defined by {service}");
    }
    if let Some(doc) = &info.doc {
        let _ = writeln!(md, "\n[Documentation]({doc})");
    }
    Some(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_in_action_array() {
        let text = r#"{"Statement": [{"Action": ["s3:GetObject"]}]}"#;
        let at = text.find("GetObject").unwrap();
        let (md, span) = hover(text, at, true).unwrap();
        assert!(md.contains("Access level: **Read**"), "{md}");
        assert!(md.contains("arn:${Partition}:s3:::${BucketName}/${ObjectName}"), "{md}");
        assert_eq!(&text[span.start..span.end], "\"s3:GetObject\"");
        // The same string as a `Resource` value is not an action.
        let text = r#"{"Resource": "s3:GetObject"}"#;
        assert_eq!(hover(text, text.find("Get").unwrap(), true), None);
    }

    #[test]
    fn wildcard_and_key_and_yaml() {
        let md = action_markdown("s3:GetObject*").unwrap();
        assert!(md.contains("`s3:GetObjectAcl` (Read)"), "{md}");
        let text = r#"{"Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}"#;
        let (md, _) = hover(text, text.find("Source").unwrap(), true).unwrap();
        assert!(md.contains("Type: `IPAddress`") || md.contains("Type: `IpAddress`"), "{md}");
        let yaml = "Action:\n  - s3:PutObject\n";
        let (md, span) = hover(yaml, yaml.find("Put").unwrap(), false).unwrap();
        assert!(md.contains("**Write**"), "{md}");
        assert_eq!(&yaml[span.start..span.end], "s3:PutObject");
    }
}
