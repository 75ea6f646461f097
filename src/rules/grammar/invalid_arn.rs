//! E017 invalid-arn. The docs are in rules/E017.toml.
use crate::model::Statement;
use crate::rules::util::sub_span;
use crate::rules::{Check, Cx};
use crate::semantics::arn::fields_with_offsets as arn_fields;

pub(crate) struct InvalidArn;
impl Check for InvalidArn {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        for list in [&stmt.resource, &stmt.not_resource].into_iter().flatten() {
            for item in &list.items {
                let v = item.value.as_str();
                // `*` alone, empty strings (empty-value) and whole-value wildcards are not ARNs to check.
                if v.is_empty() || v.chars().all(|c| c == '*') {
                    continue;
                }
                // An API Gateway policy may write its own API's ARN as `execute-api:/stage/METHOD/path`.
                if Statement::resource_pattern(v, cx.policy.resource_type) != v {
                    continue;
                }
                if !v.starts_with("arn:") {
                    let help = if v.starts_with("execute-api:/") {
                        "the `execute-api:/stage/METHOD/path` shorthand is accepted only in an API Gateway resource policy; elsewhere write the API's ARN, e.g. `arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/pets`"
                    } else if v.starts_with("arn") || v.to_ascii_lowercase().starts_with("arn:") {
                        "ARNs start with `arn:` in lower case, e.g. `arn:aws:s3:::my-bucket`"
                    } else {
                        "write the full ARN, e.g. `arn:aws:s3:::my-bucket`, or `\"*\"`"
                    };
                    cx.report(item.span, format!("`{v}` is not an ARN")).help(help);
                    continue;
                }
                let Some(fields) = arn_fields(v) else {
                    cx.report(item.span, format!("`{v}` has fewer than six `:`-separated fields"))
                        .help("ARNs are `arn:partition:service:region:account-id:resource`; keep the empty fields, e.g. `arn:aws:s3:::bucket`");
                    continue;
                };
                let (s_at, service) = fields[2];
                let (a_at, account) = fields[4];
                if service.is_empty() {
                    cx.report(item.span, format!("`{v}` has an empty service field"))
                        .help("name the service, e.g. `arn:aws:s3:::bucket`");
                } else if let Some(off) = service.find(|c: char| c.is_ascii_uppercase()) {
                    cx.report(
                        sub_span(cx.source, item, s_at + off..s_at + service.len()),
                        format!("the service `{service}` in an ARN must be lower case"),
                    )
                    .help(format!("write `{}`", service.to_ascii_lowercase()));
                }
                let wild = crate::semantics::has_wildcard(account) || account.contains("${");
                let ok =
                    account.is_empty() || account == "aws" || wild || crate::semantics::arn::is_account_id(account);
                if !ok {
                    cx.report(
                        sub_span(cx.source, item, a_at..a_at + account.len()),
                        format!("`{account}` is not a 12-digit account ID"),
                    )
                    .help(
                        "write the 12-digit AWS account ID, or leave the field empty for services whose ARNs have none",
                    );
                }
            }
        }
    }
}
