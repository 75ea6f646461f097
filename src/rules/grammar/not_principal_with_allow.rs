//! E013 not-principal-with-allow. The docs are in rules/E013.toml.
use crate::model::Statement;
use crate::rules::{Check, Cx};

pub(crate) struct NotPrincipalWithAllow;
impl Check for NotPrincipalWithAllow {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        if let (Some(np), Some(effect)) = (&stmt.not_principal, &stmt.effect)
            && stmt.is_allow()
        {
            cx.report(np.key_span, "`NotPrincipal` cannot be used with `Allow`")
                .label(effect.span, "this statement allows")
                .help("use `\"Principal\"` with the principals to allow, or `\"Principal\": \"*\"` with an `ArnNotEquals` condition on `aws:PrincipalArn`");
        }
    }
}
