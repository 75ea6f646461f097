//! E024 unknown-action. The docs are in rules/E024.toml.
use crate::finding::{Applicability, Fix};
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct UnknownAction;
impl Check for UnknownAction {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let cat = crate::catalog::catalog();
        for list in [&stmt.action, &stmt.not_action].into_iter().flatten() {
            for item in &list.items {
                let v = item.value.as_str();
                let Some((service, name)) = v.split_once(':') else { continue };
                // Wildcards are `action-matches-nothing`'s, unknown prefixes `unknown-service`'s.
                if name.is_empty()
                    || crate::semantics::has_wildcard(v)
                    || cat.service(service).is_none()
                    || cat.action(v).is_some()
                    || crate::catalog::legacy::known_action(v)
                {
                    continue;
                }
                if let Some(why) = crate::catalog::legacy::retired_action(v) {
                    // IAM accepts it (AWS managed policies still name it), but it grants nothing.
                    cx.report(item.span, format!("`{v}` is a retired action ({why}): it has no effect"))
                        .severity(crate::finding::Severity::Warning)
                        .help("remove the action");
                    continue;
                }
                let written = cx.source.get(item.span.start..item.span.end).unwrap_or_default().to_string();
                let mut r =
                    cx.report(item.span, format!("`{v}` is not an action of `{}`", service.to_ascii_lowercase()));
                match cat.suggest_action(v) {
                    Some(s) => {
                        // The suggestion as an edit: it changes what the statement grants, so unsafe.
                        if written.contains(v) {
                            r.fix(Fix {
                                title: format!("Replace with `{s}`").into(),
                                span: item.span,
                                replacement: written.replacen(v, &s, 1),
                                original: written.clone(),
                                applicability: Applicability::Unsafe,
                            });
                        }
                        r.help(format!("did you mean `{s}`?"))
                    }
                    None => r.help(format!(
                        "run `iamlint data actions '{}:*'` to list the service's actions",
                        service.to_ascii_lowercase()
                    )),
                };
            }
        }
    }
}
