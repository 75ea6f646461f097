//! E023 unknown-service. The docs are in rules/E023.toml.
use crate::model::Statement;
use crate::rules::util::{closest, sub_span};
use crate::rules::{Check, Cx};

pub(crate) struct UnknownService;
impl Check for UnknownService {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let cat = crate::catalog::catalog();
        for list in [&stmt.action, &stmt.not_action].into_iter().flatten() {
            for item in &list.items {
                let Some((service, _)) = item.value.split_once(':') else { continue };
                // Malformed prefixes are `invalid-action`'s.
                if service.is_empty() || !service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    continue;
                }
                if cat.service(service).is_some() || crate::catalog::legacy::known_service(service) {
                    continue;
                }
                if let Some(why) = crate::catalog::legacy::retired_service(service) {
                    // IAM accepts it (AWS managed policies still name it), but it grants nothing.
                    cx.report(
                        sub_span(cx.source, item, 0..service.len()),
                        format!("`{service}` is a retired AWS service ({why}): this action has no effect"),
                    )
                    .severity(crate::finding::Severity::Warning)
                    .help("remove the action");
                    continue;
                }
                let lower = service.to_ascii_lowercase();
                let help = closest(&lower, cat.service_prefixes()).map_or_else(
                    || "check the service prefix in the AWS Service Authorization Reference".to_string(),
                    |p| format!("did you mean `{p}`?"),
                );
                cx.report(
                    sub_span(cx.source, item, 0..service.len()),
                    format!("`{service}` is not an AWS service prefix"),
                )
                .help(help);
            }
        }
    }
}
