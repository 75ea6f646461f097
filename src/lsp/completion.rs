//! Completion of action names (`Action`/`NotAction` values), condition keys (keys inside a `Condition`
//! operator block), condition operators, statement elements and `Effect` values.
//!
//! The server filters by the typed prefix (case-insensitively, as IAM matches); each item replaces the
//! typed part of the string, so clients that filter again see the same text.

use super::context::{self, Role};
use crate::catalog::catalog;
use crate::parse::Span;
use lsp_types::CompletionItemKind;

/// One completion candidate, before positions are converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What is shown and inserted.
    pub label: String,
    /// Inserted instead of the label when set (`s3:` for the service `s3`).
    pub insert: Option<String>,
    /// Short detail: access level, key type, service name.
    pub detail: Option<String>,
    /// Item kind.
    pub kind: CompletionItemKind,
}

/// Candidates at byte `offset` and the span they replace (the typed part of the name).
pub fn complete(text: &str, offset: usize, json: bool) -> Option<(Vec<Candidate>, Span)> {
    if json {
        let Some(s) = context::string_at(text, offset) else {
            // At the start of a value, before its opening quote: `"Effect": |`.
            let before = text.get(..offset)?.trim_end();
            let key = before.strip_suffix(':')?.trim_end();
            if !key.ends_with("\"Effect\"") {
                return None;
            }
            let items = ["Allow", "Deny"]
                .iter()
                .map(|v| Candidate {
                    label: (*v).to_owned(),
                    insert: Some(format!("\"{v}\"")),
                    detail: None,
                    kind: CompletionItemKind::ENUM_MEMBER,
                })
                .collect();
            return Some((items, Span::new(offset, offset)));
        };
        let typed = text.get(s.start..offset)?;
        let span = Span::new(s.start, offset);
        let items = if s.is_action() {
            actions(typed)
        } else if s.is_condition_key() {
            condition_keys(typed)
        } else if s.role == Role::Key && s.parent() == Some("Condition") {
            fixed(&crate::semantics::operator::names().collect::<Vec<_>>(), typed, CompletionItemKind::OPERATOR)
        } else if s.role == Role::Key && s.parent() == Some("Statement") {
            fixed(ELEMENTS, typed, CompletionItemKind::PROPERTY)
        } else if s.role == Role::Value && s.parent() == Some("Effect") {
            fixed(&["Allow", "Deny"], typed, CompletionItemKind::ENUM_MEMBER)
        } else {
            return None;
        };
        return Some((items, span));
    }
    // YAML and HCL: an action name is recognisable by its `service:` prefix.
    let (start, _) = context::token_at(text, offset)?;
    let typed = text.get(start..offset)?.trim_start_matches(['"', '\'']);
    let start = offset - typed.len();
    let (svc, _) = typed.split_once(':')?;
    catalog().service(svc)?;
    Some((actions(typed), Span::new(start, offset)))
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Above this many matching services, items carry no service name (naming them decodes every service).
const NAMED_SERVICES: usize = 40;

fn services(typed: &str) -> Vec<Candidate> {
    let cat = catalog();
    let hits: Vec<&str> = cat.service_prefixes().filter(|p| starts_with_ci(p, typed)).collect();
    let named = hits.len() <= NAMED_SERVICES;
    hits.into_iter()
        .map(|p| Candidate {
            label: p.to_owned(),
            insert: Some(format!("{p}:")),
            detail: if named { cat.service(p).map(|s| s.name().to_owned()) } else { None },
            kind: CompletionItemKind::MODULE,
        })
        .collect()
}

/// Service prefixes until a `:` is typed, then that service's actions.
pub fn actions(typed: &str) -> Vec<Candidate> {
    let Some((svc, rest)) = typed.split_once(':') else { return services(typed) };
    let Some(service) = catalog().service(svc) else { return Vec::new() };
    service
        .actions()
        .iter()
        .filter(|a| starts_with_ci(a.name, rest))
        .map(|a| Candidate {
            label: format!("{}:{}", service.prefix(), a.name),
            insert: None,
            detail: Some(a.access.to_string()),
            kind: CompletionItemKind::FUNCTION,
        })
        .collect()
}

/// Global `aws:` keys and service prefixes until a `:` is typed, then that service's keys.
pub fn condition_keys(typed: &str) -> Vec<Candidate> {
    let cat = catalog();
    let key = |name: &str, ty: String| Candidate {
        label: name.to_owned(),
        insert: None,
        detail: Some(ty),
        kind: CompletionItemKind::PROPERTY,
    };
    let globals = cat
        .global_keys()
        .iter()
        .filter(|g| starts_with_ci(&g.name, typed))
        .map(|g| key(&g.name, g.key_type.to_string()));
    match typed.split_once(':') {
        None => globals.chain(services(typed)).collect(),
        Some((svc, _)) if svc.eq_ignore_ascii_case("aws") => globals.collect(),
        Some((svc, _)) => cat.service(svc).map_or_else(Vec::new, |s| {
            s.condition_keys()
                .iter()
                .filter(|k| starts_with_ci(k.name, typed))
                .map(|k| key(k.name, k.key_type.to_string()))
                .collect()
        }),
    }
}

fn fixed(names: &[&str], typed: &str, kind: CompletionItemKind) -> Vec<Candidate> {
    names
        .iter()
        .filter(|n| starts_with_ci(n, typed))
        .map(|n| Candidate { label: (*n).to_owned(), insert: None, detail: None, kind })
        .collect()
}

const ELEMENTS: &[&str] =
    &["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, json: bool) -> Vec<String> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        complete(&text, offset, json).map(|(c, _)| c.into_iter().map(|c| c.label).collect()).unwrap_or_default()
    }

    #[test]
    fn services_then_actions() {
        let l = labels(r#"{"Statement": [{"Action": ["s3|"]}]}"#, true);
        assert!(l.contains(&"s3".to_owned()), "{l:?}");
        let l = labels(r#"{"Statement": [{"Action": ["s3:getobj|"]}]}"#, true);
        assert!(l.contains(&"s3:GetObject".to_owned()) && l.iter().all(|x| x.starts_with("s3:GetObject")), "{l:?}");
        let (_, span) = complete("{\"Action\": \"s3:Get", 18, true).unwrap();
        assert_eq!(span, Span::new(12, 18));
    }

    #[test]
    fn condition_keys_and_operators() {
        let l = labels(r#"{"Condition": {"StringEquals": {"aws:SourceV|"#, true);
        assert!(l.contains(&"aws:SourceVpc".to_owned()), "{l:?}");
        let l = labels(r#"{"Condition": {"StringEquals": {"s3:pre|"#, true);
        assert_eq!(l, ["s3:prefix"]);
        let l = labels(r#"{"Statement": {"Condition": {"Ip|"#, true);
        assert_eq!(l, ["IpAddress"]);
        assert!(labels(r#"{"Resource": "s3:|"}"#, true).is_empty());
    }

    #[test]
    fn never_panics_on_half_typed_text() {
        let texts = [
            "{\"Statement\": [{\"Action\": [\"s3:Ge",
            "{\"Condition\": {\"StringEquals\": {\"aws:é😀\\\"",
            "\"\\",
            "}]}]\"Action\":\"",
            "Action:\n  - 'ec2:",
            "{\"Action\": \"*:*\", \"NotAction\": \"s3:\u{0}\"}",
        ];
        for text in texts {
            for offset in 0..=text.len() + 1 {
                for json in [true, false] {
                    let _ = complete(text, offset.min(text.len()), json);
                    let _ = super::super::hover::hover(text, offset.min(text.len()), json);
                }
            }
        }
    }

    #[test]
    fn effect_values_from_the_start_of_the_value() {
        assert_eq!(labels(r#"{"Statement": [{"Effect": |"#, true), ["Allow", "Deny"]);
        assert_eq!(labels(r#"{"Statement": [{"Effect":|}]}"#, true), ["Allow", "Deny"]);
        assert_eq!(labels(r#"{"Statement": [{"Effect": "|"#, true), ["Allow", "Deny"]);
        let text = r#"{"Statement": [{"Effect": "#;
        let (items, span) = complete(text, text.len(), true).unwrap();
        assert_eq!((items[0].insert.as_deref(), span), (Some("\"Allow\""), Span::new(text.len(), text.len())));
        assert!(labels(r#"{"Statement": [{"Sid": |"#, true).is_empty());
    }

    #[test]
    fn yaml_actions() {
        let l = labels("Action:\n  - s3:PutObjectT|\n", false);
        assert!(l.contains(&"s3:PutObjectTagging".to_owned()), "{l:?}");
    }
}
