//! W014 resource-matches-no-action. The docs are in rules/W014.toml.
use crate::catalog::arn::ArnPattern;
use crate::catalog::{ActionRef, ResourceRef};
use crate::model::Statement;
use crate::rules::util::has_variable;
use crate::rules::{Check, Cx};

pub(crate) struct ResourceMatchesNoAction;
impl Check for ResourceMatchesNoAction {
    fn check_statement(&self, stmt: &Statement, cx: &mut Cx<'_>) {
        let Some(resources) = &stmt.resource else { return };
        let (model, policy) = (cx.model, cx.policy);
        // The listed actions and their resource types, looked up at the first ARN that needs them
        // (`"Resource": "*"` does not).
        let mut known: Option<Option<Scoped>> = None;
        for item in &resources.items {
            let shown = item.value.as_str();
            // The shorthand of an API Gateway policy is checked as the ARN it stands for.
            let pattern = Statement::resource_pattern(shown, cx.policy.resource_type);
            let v = pattern.as_ref();
            // Only well-formed ARNs with a literal service; the rest is `invalid-arn`'s.
            let Some(fields) = crate::semantics::arn::fields_with_offsets(v) else { continue };
            if has_variable(v) || crate::semantics::has_wildcard(fields[2].1) || fields[2].1.is_empty() {
                continue;
            }
            let Some(Scoped { actions: scoped, types }) =
                known.get_or_insert_with(|| Scoped::of(model.listed_actions(policy, stmt)?))
            else {
                return;
            };
            let arn = ArnPattern::policy(v);
            if !types.iter().any(|t| t.matches(&arn)) {
                let names: Vec<String> = scoped.iter().take(3).map(|a| format!("`{}`", a.full_name())).collect();
                let more = if scoped.len() > 3 { format!(" and {} more", scoped.len() - 3) } else { String::new() };
                let label = stmt.action.as_ref().map_or(item.span, |a| a.key_span);
                cx.report(item.span, format!("`{shown}` is not a resource that {}{more} can act on", names.join(", ")))
                    .label(label, "these actions")
                    .help("check the ARN's service and resource type; run `iamlint data actions ACTION` to see what each action takes");
            }
        }
    }
}

/// The listed actions that take a resource type, and their distinct resource types.
struct Scoped {
    actions: Vec<ActionRef<'static>>,
    types: Vec<ResourceRef<'static>>,
}

impl Scoped {
    /// `None` when no action takes a resource type: those only work with `*`
    /// (`unscopable-action-on-resource`).
    fn of(actions: &[ActionRef<'static>]) -> Option<Self> {
        let actions: Vec<_> = actions.iter().filter(|a| a.resource_types().next().is_some()).copied().collect();
        if actions.is_empty() {
            return None;
        }
        // Whether an ARN names a resource of a type depends on the type alone, and the listed
        // actions share their types (`s3:Get*` is a hundred actions on six): test each type once.
        let mut types: Vec<ResourceRef<'static>> = Vec::new();
        for t in actions.iter().flat_map(ActionRef::resource_types) {
            if !types.iter().any(|u| std::ptr::eq(u.resource_type(), t.resource_type())) {
                types.push(t);
            }
        }
        Some(Scoped { actions, types })
    }
}
