//! The offline evaluator: "does this policy set allow (principal, action, resource, context)?"
//!
//! The rules it implements are summarised in `docs/evaluator.md` (§2 matching, §3 conditions, §4
//! the decision procedure, §5 the simulator contract), which the `§N` of these modules cite. Policies
//! are compiled once into [`CompiledPolicy`] (lowercased action patterns, parsed operators, CIDRs,
//! dates, principal sets, positions), then [`evaluate`] runs without allocating unless a statement
//! matches.

pub mod condition;
pub mod context;
pub mod decision;
pub mod matcher;
pub mod principal;
pub mod verify;

pub use context::{Context, PrincipalKind, Request, RequestPrincipal};
pub use decision::{
    Decision, EvalDecision, Layer, MatchedStatement, PolicySet, Unmodelled, evaluate, statement_allows,
};

use crate::model::{Policy, PolicyKind, Statement};
use crate::parse::{self, LineCol, LineIndex};
use condition::CompiledCondition;
use matcher::{Pattern, PrincipalSet};
use std::sync::Arc;

/// The simulator's `SourcePolicyType` (§5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceType {
    /// An inline policy of a user.
    User,
    /// A policy of a group the user belongs to.
    Group,
    /// An inline policy of a role.
    Role,
    /// An AWS managed policy.
    AwsManaged,
    /// A customer managed policy.
    UserManaged,
    /// A resource-based policy (including a role trust policy).
    Resource,
    /// Anything else (input lists, SCPs, RCPs, boundaries, session policies).
    None,
}

impl SourceType {
    /// The simulator spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::User => "user",
            SourceType::Group => "group",
            SourceType::Role => "role",
            SourceType::AwsManaged => "aws-managed",
            SourceType::UserManaged => "user-managed",
            SourceType::Resource => "resource",
            SourceType::None => "none",
        }
    }
}

/// `Allow` or `Deny` of a compiled statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Effect {
    /// Allow
    Allow,
    /// Deny
    Deny,
}

/// A statement's `Action`/`NotAction` or `Resource`/`NotResource`, compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternList {
    /// The patterns.
    pub patterns: Vec<Pattern>,
    /// `NotAction` / `NotResource`.
    pub negated: bool,
}

/// A statement compiled for evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledStatement {
    /// 0-based index in the policy.
    pub index: usize,
    /// `Sid`.
    pub sid: Option<Arc<str>>,
    /// Effect.
    pub effect: Effect,
    /// Actions (lowercased).
    pub actions: PatternList,
    /// Resources; `None` when the statement has neither element (trust policies: the role is the resource).
    pub resources: Option<PatternList>,
    /// `Principal`
    pub principal: Option<PrincipalSet>,
    /// `NotPrincipal`
    pub not_principal: Option<PrincipalSet>,
    /// Whether a condition tests `aws:PrincipalArn` (§4.3 third row).
    pub principal_arn_condition: bool,
    /// Conditions; all must hold.
    pub conditions: Vec<CompiledCondition>,
    /// 1-based start position of the statement object.
    pub start: LineCol,
    /// 1-based position just past the statement's closing brace (⚙IMPL §5.2).
    pub end: LineCol,
}

/// A policy compiled for evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledPolicy {
    /// `SourcePolicyId`: the policy name, or `PolicyInputList.N`.
    pub id: Arc<str>,
    /// `SourcePolicyType`.
    pub source_type: SourceType,
    /// The kind (identity, trust, resource, SCP, ...).
    pub kind: PolicyKind,
    /// Whether policy variables are substituted (Version `2012-10-17` only, §1.1).
    pub variables: bool,
    /// The statements. Statements with an invalid `Effect` are dropped (AWS rejects them).
    pub statements: Vec<CompiledStatement>,
}

/// A policy document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LoadError {
    /// What is wrong, with line and column.
    pub message: String,
}

impl CompiledPolicy {
    /// Compile a model policy; `source` is the text it was parsed from (for positions).
    pub fn compile(source: &str, policy: &Policy, id: &str, source_type: SourceType) -> CompiledPolicy {
        let index = LineIndex::shared(source);
        let variables = policy.version.as_ref().is_some_and(|v| v.value == "2012-10-17");
        let statements = policy
            .statements
            .iter()
            .filter_map(|st| {
                let effect = if st.is_allow() {
                    Effect::Allow
                } else if st.is_deny() {
                    Effect::Deny
                } else {
                    return None;
                };
                let actions =
                    st.action_list().map_or(PatternList { patterns: Vec::new(), negated: false }, |(list, negated)| {
                        PatternList {
                            patterns: list.strs().map(|a| Pattern::compile(a, true, false, 0)).collect(),
                            negated,
                        }
                    });
                let resources = st.resource_list().map(|(list, negated)| PatternList {
                    patterns: list
                        .strs()
                        .map(|r| Statement::resource_pattern(r, policy.resource_type))
                        .map(|r| Pattern::compile(&r, false, variables, crate::semantics::arn::resource_offset(&r)))
                        .collect(),
                    negated,
                });
                let principal_set = |p: &crate::model::Principal| {
                    let mut set = PrincipalSet::default();
                    for (kind, v) in p.values() {
                        set.add(kind, &v.value);
                    }
                    set
                };
                let conditions: Vec<CompiledCondition> = st
                    .condition
                    .iter()
                    .flat_map(|c| &c.operators)
                    .flat_map(|op| CompiledCondition::compile_block(op, variables))
                    .collect();
                let principal_arn_condition =
                    conditions.iter().any(|c| &*c.key_lower == "aws:principalarn" && !c.negated);
                Some(CompiledStatement {
                    index: st.index,
                    sid: st.sid.as_ref().map(|s| Arc::from(s.value.as_str())),
                    effect,
                    actions,
                    resources,
                    principal: st.principal.as_ref().map(principal_set),
                    not_principal: st.not_principal.as_ref().map(principal_set),
                    principal_arn_condition,
                    conditions,
                    start: index.line_col(source, st.span.start),
                    end: index.line_col(source, st.span.end),
                })
            })
            .collect();
        CompiledPolicy { id: Arc::from(id), source_type, kind: policy.kind, variables, statements }
    }

    /// Parse and compile policy text. `kind` overrides detection. Syntax errors are a [`LoadError`];
    /// recoverable issues (trailing commas, duplicate keys) are tolerated as AWS-rejected but readable.
    pub fn from_source(
        source: &str,
        id: &str,
        source_type: SourceType,
        kind: Option<PolicyKind>,
    ) -> Result<CompiledPolicy, LoadError> {
        let parsed = parse::parse(source);
        let index = LineIndex::new(source);
        if let Some(issue) = parsed.issues.iter().find(|i| i.kind == parse::IssueKind::Syntax) {
            let at = index.line_col(source, issue.span.start);
            return Err(LoadError { message: format!("{}:{}: {}", at.line, at.column, issue.message) });
        }
        let Some(root) = parsed.root else {
            return Err(LoadError { message: "empty policy document".into() });
        };
        let built = Policy::from_json(&root, kind);
        let Some(policy) = built.policy else {
            let msg = built.issues.first().map_or_else(|| "not a policy".to_string(), |i| i.message.clone());
            return Err(LoadError { message: msg });
        };
        Ok(CompiledPolicy::compile(source, &policy, id, source_type))
    }
}
