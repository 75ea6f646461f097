//! W017 unknown-managed-policy. The docs are in rules/W017.toml.
use crate::model::Spanned;
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct UnknownManagedPolicy;
impl Check for UnknownManagedPolicy {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let cat = crate::catalog::catalog();
        let resources = [&stmt.resource, &stmt.not_resource].into_iter().flatten().flat_map(|l| l.items.iter());
        let conditions =
            stmt.condition.iter().flat_map(crate::model::ConditionBlock::entries).flat_map(|(_, e)| e.values.iter());
        for item in resources.chain(conditions) {
            let Some(name) = managed_policy_name(item) else { continue };
            if cat.managed_policy(&item.value).is_some() {
                continue;
            }
            let help = cat
                .managed_policies()
                .find(|p| p.name().eq_ignore_ascii_case(name) || crate::rules::util::edit_distance(p.name(), name) <= 2)
                .map_or_else(
                    || "check the name with `iamlint data policy NAME`".to_string(),
                    |p| format!("did you mean `{}`?", p.arn()),
                );
            cx.report(item.span, format!("`{name}` is not an AWS managed policy")).help(help);
        }
    }
}

/// The policy name of a literal `arn:<partition>:iam::aws:policy/...` value.
fn managed_policy_name(item: &Spanned<String>) -> Option<&str> {
    let v = item.value.as_str();
    if crate::semantics::has_wildcard(v) || v.contains("${") {
        return None;
    }
    let rest = v.strip_prefix("arn:")?;
    let (_, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::aws:policy/")?;
    Some(rest.rsplit('/').next().unwrap_or(rest))
}
