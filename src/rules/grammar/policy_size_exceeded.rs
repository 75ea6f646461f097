//! E022 policy-size-exceeded. The docs are in rules/E022.toml.
use crate::model::{Policy, PolicyKind};
use crate::parse::Span;
use crate::rules::util::{policy_anchor, thousands};
use crate::rules::{Check, Cx};

pub(crate) struct PolicySizeExceeded;
impl Check for PolicySizeExceeded {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let limits = &cx.settings.limits;
        let (limit, count_ws, what) = match policy.kind {
            PolicyKind::Identity | PolicyKind::PermissionsBoundary => (limits.identity, false, "managed policy"),
            PolicyKind::Trust => (limits.trust, false, "role trust policy"),
            PolicyKind::Scp => (limits.scp, true, "service control policy"),
            PolicyKind::Rcp => (limits.rcp, true, "resource control policy"),
            PolicyKind::Session => (limits.session, false, "session policy"),
            PolicyKind::Resource => (limits.resource, false, "resource policy"),
        };
        let Some(limit) = limit else { return };
        let text = cx.source.get(policy.span.start..policy.span.end).unwrap_or("");
        let (count, crossed) = count_chars(text, count_ws, limit);
        if count <= limit {
            return;
        }
        let span = policy.statement_key.unwrap_or_else(|| policy_anchor(policy));
        let ws = if count_ws { "whitespace included" } else { "whitespace not counted" };
        let mut r = cx.report(
            span,
            format!(
                "the policy is {} characters ({ws}), over the {what} quota of {}",
                thousands(count),
                thousands(limit)
            ),
        );
        if let Some(at) = crossed.map(|o| o + policy.span.start)
            && let Some(stmt) = policy.statements.iter().find(|s| s.span.start <= at && at < s.span.end)
        {
            r.label(
                Span::new(stmt.span.start, stmt.span.start + 1),
                format!("the quota is reached in {}", stmt.label()),
            );
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
