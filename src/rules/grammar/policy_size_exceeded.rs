//! E022 policy-size-exceeded. The docs are in rules/E022.toml.
use crate::finding::Severity;
use crate::model::{Attachment, Policy, PolicyKind};
use crate::parse::Span;
use crate::rules::util::{policy_anchor, thousands};
use crate::rules::{Check, Cx};
use crate::sources::InputType;

/// IAM's quotas for the inline policies of one user, group or role, together (whitespace not
/// counted). They are not adjustable.
const INLINE_USER: usize = 2_048;
const INLINE_GROUP: usize = 5_120;
const INLINE_ROLE: usize = 10_240;

/// The quota a policy is held to.
struct Quota {
    limit: usize,
    count_ws: bool,
    what: &'static str,
    /// Whether IAM certainly applies it: false for an identity policy whose attachment is unknown
    /// (Access Analyzer warns then, since it cannot know either).
    certain: bool,
}

fn quota(policy: &Policy, cx: &Cx<'_>) -> Option<Quota> {
    let limits = &cx.settings.limits;
    let q = |limit: Option<usize>, count_ws, what, certain| limit.map(|limit| Quota { limit, count_ws, what, certain });
    match policy.kind {
        PolicyKind::Identity => match cx.model.attachment {
            // AWS wrote it; no customer quota applies.
            Attachment::AwsManaged => None,
            Attachment::InlineUser => q(Some(INLINE_USER), false, "user inline policy quota", true),
            Attachment::InlineGroup => q(Some(INLINE_GROUP), false, "group inline policy quota", true),
            Attachment::InlineRole => q(Some(INLINE_ROLE), false, "role inline policy quota", true),
            Attachment::Managed => q(limits.identity, false, "managed policy quota", true),
            Attachment::Unknown => q(limits.identity, false, "managed policy quota", false),
        },
        // A permissions boundary is a managed policy.
        PolicyKind::PermissionsBoundary => q(limits.identity, false, "managed policy quota", true),
        PolicyKind::Trust => q(limits.trust, false, "role trust policy quota", true),
        PolicyKind::Scp => q(limits.scp, true, "service control policy quota", true),
        PolicyKind::Rcp => q(limits.rcp, true, "resource control policy quota", true),
        PolicyKind::Session => q(limits.session, false, "session policy quota", true),
        PolicyKind::Resource => q(limits.resource, false, "resource policy quota", true),
    }
}

pub(crate) struct PolicySizeExceeded;
impl Check for PolicySizeExceeded {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(Quota { limit, count_ws, what, certain }) = quota(policy, cx) else { return };
        let inline = matches!(cx.model.attachment, Attachment::InlineUser | Attachment::InlineGroup | Attachment::InlineRole)
            && policy.kind == PolicyKind::Identity;
        let before = if inline { cx.model.inline_before } else { 0 };
        if before > limit {
            // An earlier inline policy of the same principal already reported the quota.
            return;
        }
        // A policy file is sent as written; a template's document is sent as JSON rendered from its
        // tree, measured at its smallest (placeholders count zero).
        let (own, crossed) = match cx.model.document {
            Some(root) if cx.model.input != InputType::Policy => {
                crate::model::size::rendered_len_crossing(root, limit.saturating_sub(before))
            }
            _ => {
                let text = cx.source.get(policy.span.start..policy.span.end).unwrap_or("");
                if before + text.len() <= limit {
                    return; // no more characters than bytes: within the quota without counting
                }
                let (n, at) = count_chars(text, count_ws, limit.saturating_sub(before));
                let at = at.map(|o| o + policy.span.start);
                let stmt = at.and_then(|at| policy.statements.iter().find(|s| s.span.start <= at && at < s.span.end));
                (n, stmt.map(|s| s.span))
            }
        };
        let count = before + own;
        if count <= limit {
            return;
        }
        let span = policy.statement_key.unwrap_or_else(|| policy_anchor(policy));
        let ws = if count_ws { "whitespace included" } else { "whitespace not counted" };
        let measured = if cx.model.input == InputType::Policy { "" } else { " as rendered to JSON, at least" };
        let principal = match cx.model.attachment {
            Attachment::InlineUser => "user",
            Attachment::InlineGroup => "group",
            _ => "role",
        };
        let mut message = if before > 0 {
            format!(
                "with this policy, the inline policies of this {principal} come to {} characters{measured} ({ws}), over the {what} of {} for all of them together",
                thousands(count),
                thousands(limit)
            )
        } else {
            format!("the policy is {} characters{measured} ({ws}), over the {what} of {}", thousands(count), thousands(limit))
        };
        if policy.kind == PolicyKind::Trust && limit == 2_048 {
            message.push_str(" (the default; Service Quotas can raise it to 4,096 per account, then set `[limits] trust-policy-size`)");
        }
        if !certain {
            message.push_str(" if it is attached as a managed policy; nothing here says where it is attached");
        }
        let configured = cx.settings.overridden.contains(cx.rule());
        let mut r = cx.report(span, message);
        if let Some(stmt_span) = crossed
            && let Some(stmt) = policy.statements.iter().find(|s| s.span == stmt_span)
        {
            r.label(Span::new(stmt.span.start, stmt.span.start + 1), format!("the quota is reached in {}", stmt.label()));
        }
        if !certain && !configured {
            r.severity(Severity::Warning);
        }
        r.help("split the statements across several policies, or merge statements with the same effect and resources");
    }
}

/// Count characters, skipping JSON whitespace outside strings unless `count_ws`; also return the byte
/// offset of the character that went over `limit`.
fn count_chars(text: &str, count_ws: bool, limit: usize) -> (usize, Option<usize>) {
    let (mut n, mut crossed) = (0, None);
    for (i, c, outside) in crate::parse::chars_outside_strings(text) {
        if !count_ws && outside && matches!(c, ' ' | '\t' | '\n' | '\r') {
            continue;
        }
        n += 1;
        if n == limit + 1 {
            crossed = Some(i);
        }
    }
    (n, crossed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn whitespace_outside_strings_only() {
        assert_eq!(super::count_chars("{ \"a b\" : 1 }", false, 100).0, 9);
        assert_eq!(super::count_chars("{ \"a b\" : 1 }", true, 100).0, 13);
        assert_eq!(super::count_chars("\"\\\" x\"", false, 100).0, 6);
    }
}
