//! S108 resource-policy-permissions-management. The docs are in rules/S108.toml.
//!
//! For each `Allow` of a resource policy: the actions at the catalog's `PermissionsManagement` access
//! level that its `Action` (or the complement of its `NotAction`) covers, limited to the services of
//! its `Resource` ARNs; reported once per statement, at the first principal outside the owner account.
use crate::catalog::AccessLevel;
use crate::model::{PolicyKind, Statement};
use crate::rules::{Check, Cx};
use crate::trust::Who;

/// Service keys that confine a `"*"` grant to the calling or owning account, besides the global keys
/// the trust analysis treats as confining (`crate::trust::keys::is_confining`).
const ACCOUNT_KEYS: &[&str] = &["kms:CallerAccount", "s3:DataAccessPointAccount", "s3:DataAccessPointArn"];

pub(crate) struct ResourcePolicyPermissionsManagement;
impl Check for ResourcePolicyPermissionsManagement {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if cx.policy.kind != PolicyKind::Resource || !stmt.is_allow() {
            return;
        }
        let Some(principal) = &stmt.principal else { return };
        let Some((list, negated)) = stmt.action_list() else { return };
        let keys: Vec<&str> =
            stmt.condition.iter().flat_map(crate::model::ConditionBlock::entries).map(|(_, e)| e.key.value.as_str()).collect();
        let has_key = |k: &str| keys.iter().any(|x| x.eq_ignore_ascii_case(k));
        let trusted = super::trusted_accounts(cx.settings, cx.model.owner_account());
        let outsider = principal.values().find_map(|(kind, v)| {
            let who = Who::classify(kind, &v.value);
            let what = match &who {
                Who::Public => {
                    let confined = ACCOUNT_KEYS.iter().any(|k| has_key(k))
                        || keys.iter().any(|k| crate::trust::keys::is_confining(&k.to_ascii_lowercase()));
                    if confined {
                        return None;
                    }
                    "any principal".to_string()
                }
                // AWS never matches a wildcard inside a principal ARN (S101 says so).
                Who::WildcardArn => return None,
                _ => {
                    let account = who.account()?;
                    if trusted.is_empty()
                        || trusted.iter().any(|t| t == account)
                        || crate::model::is_placeholder(account)
                    {
                        return None;
                    }
                    format!("account `{account}`")
                }
            };
            Some((v, what))
        });
        let Some((value, what)) = outsider else { return };
        // The services the statement's resources belong to: any, for `*`, a service wildcard or
        // `NotResource`; a deploy-time value (`{{Bucket.Arn}}`) says nothing and is passed over.
        let services: Option<Vec<&str>> = stmt.resource.as_ref().and_then(|r| {
            let mut out = Vec::new();
            for item in &r.items {
                match crate::semantics::arn::field(&item.value, 2) {
                    Some(s) if !crate::semantics::has_wildcard(s) => out.push(s),
                    _ if crate::model::is_placeholder(&item.value) => {}
                    _ => return None,
                }
            }
            (!out.is_empty()).then_some(out)
        });
        let cat = crate::catalog::catalog();
        let covered = if negated {
            cat.complement(&list.strs().collect::<Vec<_>>())
        } else {
            let mut all: Vec<_> = list.strs().flat_map(|p| cat.expand(p)).collect();
            // Each name made once (not once per comparison); equal names are the same action.
            all.sort_by_cached_key(crate::catalog::ActionRef::full_name);
            all.dedup_by(|a, b| a.id() == b.id());
            all
        };
        let grant_for_aws = has_key("kms:GrantIsForAWSResource");
        let names: Vec<String> = covered
            .iter()
            .filter(|a| a.access_level() == AccessLevel::PermissionsManagement)
            .filter(|a| services.as_ref().is_none_or(|s| s.iter().any(|s| s.eq_ignore_ascii_case(a.service_prefix()))))
            .map(crate::catalog::ActionRef::full_name)
            .filter(|n| !(grant_for_aws && n.eq_ignore_ascii_case("kms:CreateGrant")))
            .collect();
        if names.is_empty() {
            return;
        }
        let shown: Vec<String> = names.iter().take(4).map(|n| format!("`{n}`")).collect();
        let more = if names.len() > 4 { format!(" and {} more", names.len() - 4) } else { String::new() };
        cx.report(
            value.span,
            format!(
                "{what} may change who can use this resource: {}{more} {} allowed",
                shown.join(", "),
                if names.len() == 1 { "is" } else { "are" }
            ),
        )
        .label(if negated { list.key_span } else { list.span }, "permissions-management actions")
        .help("keep permissions management with the owner account; grant this principal only the data actions it needs");
    }
}
