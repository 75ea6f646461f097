//! The privilege-escalation catalog as data: `rules/privesc/methods.toml`, compiled in (converted to
//! JSON by build.rs, which reads faster at start-up).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

const METHODS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/privesc-methods.json"));

/// How a method gets its extra power.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MethodCategory {
    /// The caller edits its own IAM grants.
    SelfEscalationIam,
    /// The caller gets into a role through its trust policy.
    TrustPolicyModification,
    /// The caller obtains another principal's credentials.
    CredentialAccess,
    /// New compute runs with a role the caller passes.
    PassroleNewCompute,
    /// The caller reuses a role already attached to a resource.
    ExistingResourceHijack,
}

impl MethodCategory {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MethodCategory::SelfEscalationIam => "self-escalation-iam",
            MethodCategory::TrustPolicyModification => "trust-policy-modification",
            MethodCategory::CredentialAccess => "credential-access",
            MethodCategory::PassroleNewCompute => "passrole-new-compute",
            MethodCategory::ExistingResourceHijack => "existing-resource-hijack",
        }
    }
}

/// What the first group's action must reach for the method to gain anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The caller's own user or role.
    #[serde(rename = "self")]
    Own,
    /// A group the caller belongs to (unknown without an account: any group).
    MemberGroup,
    /// A customer managed policy (AWS managed policies cannot get new versions).
    CustomerPolicy,
    /// A principal other than the caller.
    Other,
    /// Anything.
    Any,
}

/// What else must exist for the method to pay off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Needs {
    /// Nothing: the grants alone are enough.
    None,
    /// A role that trusts the service and is more privileged than the caller.
    PassableRole,
    /// A resource that already exists and carries a privileged role (or a dormant version, a key, ...).
    ExistingResource,
}

/// One escalation method.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Stable id, e.g. `iam-put-user-policy`.
    pub id: String,
    /// Category.
    pub category: MethodCategory,
    /// AND over groups, OR inside a group.
    pub requires: Vec<Vec<String>>,
    /// The `iam:PassedToService` value the `iam:PassRole` request carries.
    #[serde(default)]
    pub passed_to_service: Option<String>,
    /// The service principals a passed role must trust for the service to run with it, when they
    /// differ from `passed_to_service` (App Runner runs code as `tasks.apprunner.amazonaws.com`).
    #[serde(default)]
    pub trusted_by: Vec<String>,
    /// What the first group's action must reach.
    pub target: Target,
    /// What else must exist.
    pub needs: Needs,
    /// Whether the gain lands on the caller itself, so its permissions boundary caps it.
    #[serde(default)]
    pub capped_by_boundary: bool,
    /// Condition keys the attack's requests carry (`codebuild:source.buildspec` for a buildspec override).
    #[serde(default)]
    pub context: BTreeMap<String, String>,
    /// Further `(action, resource format)` requests the attack makes, e.g. the shell document of
    /// `ssm:SendCommand`.
    #[serde(default)]
    pub also: Vec<(String, String)>,
    /// One sentence in our words.
    pub summary: String,
}

impl Method {
    /// Whether the method only pays off through something that already exists.
    pub fn context_dependent(&self) -> bool {
        self.needs == Needs::ExistingResource
    }

    /// The service principals a role passed by this method must trust: `trusted_by`, or else the
    /// service the role is passed to.
    pub fn trust_services(&self) -> Vec<&str> {
        if self.trusted_by.is_empty() {
            self.passed_to_service.iter().map(String::as_str).collect()
        } else {
            self.trusted_by.iter().map(String::as_str).collect()
        }
    }
}

#[derive(Deserialize)]
struct File {
    method: Vec<Method>,
}

/// Parse `[[method]]` tables (the built-in catalog's file).
pub fn parse_methods(text: &str) -> Result<Vec<Method>, toml::de::Error> {
    toml::from_str::<File>(text).map(|f| f.method)
}

/// The built-in methods.
pub fn methods() -> &'static [Method] {
    static M: OnceLock<Vec<Method>> = OnceLock::new();
    M.get_or_init(|| serde_json::from_str::<File>(METHODS_JSON).expect("rules/privesc/methods.toml parses").method)
}

/// The sets of user-defined methods (`[[escalation]]` of `iamlint.toml`) made `'static` by [`intern`],
/// each kept once however often its configuration is read (the editor reads it on every lint).
type Interned = Mutex<Vec<(String, &'static [Method])>>;

fn interned() -> &'static Interned {
    static SETS: OnceLock<Interned> = OnceLock::new();
    SETS.get_or_init(|| Mutex::new(Vec::new()))
}

/// User-defined methods with the lifetime of the built-in ones, so that a [`crate::privesc::Hit`] can
/// name either. The same set (by content) is stored once.
pub fn intern(user: Vec<Method>) -> &'static [Method] {
    if user.is_empty() {
        return &[];
    }
    let key = format!("{user:?}");
    let mut sets = interned().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, set)) = sets.iter().find(|(k, _)| *k == key) {
        return set;
    }
    let set: &'static [Method] = Box::leak(user.into_boxed_slice());
    sets.push((key, set));
    set
}

/// A method by id: built-in, or else user-defined (the set interned last wins).
pub fn method(id: &str) -> Option<&'static Method> {
    methods().iter().find(|m| m.id == id).or_else(|| {
        let sets = interned().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        sets.iter().rev().find_map(|(_, set)| set.iter().find(|m| m.id == id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON build.rs made of `methods.toml` reads as the TOML does.
    #[test]
    fn compiled_methods_match_the_toml() {
        let toml = parse_methods(include_str!("../../rules/privesc/methods.toml")).unwrap();
        assert_eq!(format!("{toml:?}"), format!("{:?}", methods()));
    }

    #[test]
    fn catalog_loads_all_methods_with_known_actions() {
        let ms = methods();
        assert_eq!(ms.len(), 79);
        let cat = crate::catalog::catalog();
        for m in ms {
            assert!(!m.requires.is_empty(), "{}", m.id);
            for a in m.requires.iter().flatten() {
                // A few services (CodeStar, Data Pipeline, AgentCore) may be missing from the data.
                let known_service = cat.service(a.split(':').next().unwrap()).is_some();
                assert!(!known_service || cat.action(a).is_some(), "{}: unknown action {a}", m.id);
            }
        }
    }
}
