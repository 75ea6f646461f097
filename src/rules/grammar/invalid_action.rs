//! E016 invalid-action. The docs are in rules/E016.toml.
use crate::model::Statement;
use crate::rules::util::sub_span;
use crate::rules::{Check, Cx};

pub(crate) struct InvalidAction;
impl Check for InvalidAction {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        for list in [&stmt.action, &stmt.not_action].into_iter().flatten() {
            for item in &list.items {
                let v = item.value.as_str();
                if v == "*" || v.is_empty() {
                    continue;
                }
                let Some((service, name)) = v.split_once(':') else {
                    cx.report(
                        item.span,
                        format!("`{v}` is not an action: it has no `:` between service and action name"),
                    )
                    .help("write actions as `service:ActionName`, e.g. `s3:GetObject`");
                    continue;
                };
                if let Some(at) = service.find(['*', '?']) {
                    cx.report(
                        sub_span(cx.source, item, at..at + 1),
                        format!("the service prefix of `{v}` contains a wildcard"),
                    )
                    .help("wildcards are allowed only in the action name; list each service, e.g. `s3:Get*`");
                } else if service.is_empty() || name.is_empty() {
                    cx.report(item.span, format!("`{v}` has an empty service prefix or action name"))
                        .help("write actions as `service:ActionName`, e.g. `s3:GetObject`");
                } else if let Some(at) = service.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                    cx.report(
                        sub_span(cx.source, item, at..at + 1),
                        format!("the service prefix of `{v}` contains an invalid character"),
                    )
                    .help("service prefixes contain only letters, digits and `-`");
                } else if let Some(off) =
                    name.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '-' | '_')))
                {
                    let at = service.len() + 1 + off;
                    let c = name[off..].chars().next().map_or(1, char::len_utf8);
                    cx.report(
                        sub_span(cx.source, item, at..at + c),
                        format!("the action name in `{v}` contains an invalid character"),
                    )
                    .help("action names contain only letters and digits, plus `*` and `?` as wildcards");
                }
            }
        }
    }
}
