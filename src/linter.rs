//! The linter: one pipeline from a file's bytes to its findings. A file is read once by its front end
//! (`sources`) into documents; each document is modelled and every enabled rule runs over it; an
//! account dump's tree also feeds the account analysis. Nothing here reads the file system: what lies
//! beside a file (principal files next to a trust policy) comes from the caller's [`Workspace`].

use crate::finding::Finding;
use crate::model::{Attachment, Policy, PolicyKind};
use crate::parse::{self, Node, Span};
use crate::rules::{self, LinterSettings, PolicyModel};
use crate::sources::{self, InputType};
use crate::trust::power::RolePower;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What the linter may know about the files around the one it lints.
pub trait Workspace: Sync {
    /// The roles whose principal files (`*.principal.toml`) beside `policy_path` name it as their
    /// trust policy, with what each role can do.
    fn roles_trusting(&self, policy_path: &Path) -> Vec<RolePower>;

    /// The Terraform attributes that read the policy file at `policy_path` with `file()` or
    /// `templatefile()` (`.tf` files of its directory and the few above it): they say what kind of
    /// policy it is and whether its `${...}` are Terraform's. Empty when nothing reads it.
    fn referenced_by(&self, _policy_path: &Path) -> Vec<sources::FileReference> {
        Vec::new()
    }
}

/// A workspace with nothing in it: each file is linted on its own.
pub struct NoWorkspace;

impl Workspace for NoWorkspace {
    fn roles_trusting(&self, _: &Path) -> Vec<RolePower> {
        Vec::new()
    }
}

/// The file system around the linted file: principal files are read from the policy's directory.
pub struct FileSystem;

impl Workspace for FileSystem {
    fn roles_trusting(&self, policy_path: &Path) -> Vec<RolePower> {
        crate::trust::power::roles_trusting(policy_path)
    }

    fn referenced_by(&self, policy_path: &Path) -> Vec<sources::FileReference> {
        terraform_references(policy_path)
    }
}

/// Files known to be regular files and not symbolic links: those a directory walk found so.
pub type PlainFiles = std::collections::HashSet<PathBuf, foldhash::fast::RandomState>;

/// Like [`FileSystem`] for one run over many files (`iamlint check`): each directory is listed once
/// (its `.tf` and principal files) instead of once per policy file in it, which made a directory of
/// thousands of policies quadratic. The files' contents are still read each time.
#[derive(Default)]
pub struct ListedFileSystem {
    tf: Mutex<HashMap<PathBuf, Option<Arc<Vec<PathBuf>>>>>,
    principals: Mutex<HashMap<PathBuf, Option<Arc<Vec<PathBuf>>>>>,
    /// Directories' real paths (`None` when one cannot be resolved).
    real_dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Per directory: whether its real path or one of the [`REFERENCE_LEVELS`] above holds a `.tf` file
    /// (when none does, nothing there can read a policy file of the directory).
    tf_around: Mutex<HashMap<PathBuf, bool>>,
    /// Files known to be regular files and not symbolic links (a directory walk read it from its
    /// directory): they need not be asked again.
    plain_files: PlainFiles,
}

impl ListedFileSystem {
    /// A workspace that knows `plain_files` to be regular files and not symbolic links.
    pub fn with_plain_files(plain_files: PlainFiles) -> Self {
        ListedFileSystem { plain_files, ..ListedFileSystem::default() }
    }

    /// Whether `path` is known to be a regular file and not a symbolic link.
    pub fn is_plain_file(&self, path: &Path) -> bool {
        self.plain_files.contains(path)
    }

    /// The real path of directory `dir` (`None` when it cannot be resolved), resolved once.
    fn real_dir(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(hit) = self.real_dirs.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return hit;
        }
        let resolved = dir.canonicalize().ok();
        if let Ok(mut m) = self.real_dirs.lock() {
            m.insert(dir.to_path_buf(), resolved.clone());
        }
        resolved
    }

    fn listed(
        cache: &Mutex<HashMap<PathBuf, Option<Arc<Vec<PathBuf>>>>>,
        dir: &Path,
        list: impl FnOnce(&Path) -> Option<Vec<PathBuf>>,
    ) -> Option<Arc<Vec<PathBuf>>> {
        if let Some(hit) = cache.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return hit;
        }
        let listing = list(dir).map(Arc::new);
        if let Ok(mut m) = cache.lock() {
            m.entry(dir.to_path_buf()).or_insert_with(|| listing.clone());
        }
        listing
    }
}

impl Workspace for ListedFileSystem {
    fn roles_trusting(&self, policy_path: &Path) -> Vec<RolePower> {
        let dir = policy_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let files = Self::listed(&self.principals, dir, |d| {
            let entries = std::fs::read_dir(d).ok()?;
            Some(entries.flatten().map(|e| e.path()).filter(|p| crate::trust::power::is_principal_file(p)).collect())
        });
        match files {
            Some(f) => crate::trust::power::roles_trusting_among(policy_path, f.to_vec()),
            None => Vec::new(),
        }
    }

    fn referenced_by(&self, policy_path: &Path) -> Vec<sources::FileReference> {
        // The file's real path is its directory's real path (resolved once per directory) and its
        // name, unless the file itself is a link: one `lstat` per file instead of a `readlink` per
        // component of its path, and none for a file the walk found as a regular file.
        let list = |dir: &Path| Self::listed(&self.tf, dir, tf_files);
        let Some(name) = policy_path.file_name() else { return Vec::new() };
        if !self.is_plain_file(policy_path) {
            match std::fs::symlink_metadata(policy_path) {
                Err(_) => return Vec::new(),
                Ok(m) if m.file_type().is_symlink() => {
                    return terraform_references_at(policy_path, policy_path.canonicalize().ok(), &list);
                }
                Ok(_) => {}
            }
        }
        let dir = policy_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        // Most directories have no `.tf` file around them: one lookup per file then, not a listing
        // lookup per level.
        let around = self.tf_around.lock().ok().and_then(|m| m.get(dir).copied());
        let around = around.unwrap_or_else(|| {
            let found = self.real_dir(dir).is_some_and(|real| {
                real.ancestors().take(REFERENCE_LEVELS + 1).any(|d| list(d).is_some_and(|tf| !tf.is_empty()))
            });
            if let Ok(mut m) = self.tf_around.lock() {
                m.insert(dir.to_path_buf(), found);
            }
            found
        });
        if !around {
            return Vec::new();
        }
        terraform_references_at(policy_path, self.real_dir(dir).map(|d| d.join(name)), &list)
    }
}

/// How many directories above a policy file's own are searched for `.tf` files that read it
/// (`${path.module}/policies/x.json`, `../templates/x.json`).
const REFERENCE_LEVELS: usize = 3;

/// The `file()` / `templatefile()` references to `policy_path` in the `.tf` files of its directory
/// and the [`REFERENCE_LEVELS`] above it. A `.tf` file is parsed only when its text names the
/// policy's file name, so a directory walk stays cheap; a path that cannot be resolved matches
/// nothing.
fn terraform_references(policy_path: &Path) -> Vec<sources::FileReference> {
    terraform_references_at(policy_path, policy_path.canonicalize().ok(), &|dir| tf_files(dir).map(std::sync::Arc::new))
}

/// The `.tf` files of `dir`, sorted; `None` when it cannot be read.
fn tf_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut tf: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
        .collect();
    tf.sort();
    Some(tf)
}

/// [`terraform_references`] with the `.tf` files of a directory from `list`, for the policy file whose real
/// path is `real` (`None`: it cannot be resolved, so nothing refers to it).
fn terraform_references_at(
    policy_path: &Path,
    real: Option<PathBuf>,
    list: &dyn Fn(&Path) -> Option<Arc<Vec<PathBuf>>>,
) -> Vec<sources::FileReference> {
    let (Some(name), Some(target)) = (policy_path.file_name().and_then(|n| n.to_str()), real) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for dir in target.ancestors().skip(1).take(REFERENCE_LEVELS + 1) {
        let Some(tf) = list(dir) else { continue };
        for file in tf.iter() {
            let Ok(text) = std::fs::read_to_string(file) else { continue };
            if !text.contains(name) {
                continue;
            }
            let found = sources::extract(InputType::Terraform, &text, parse::Limits::default()).references;
            out.extend(found.into_iter().filter(|r| dir.join(&r.path).canonicalize().is_ok_and(|p| p == target)));
        }
    }
    out
}

/// The kind a document of a file is linted as, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindDecision {
    /// The document in the file.
    pub span: Span,
    /// Who owns it in the file (a logical id, a resource address), when known.
    pub owner: String,
    /// Its kind.
    pub kind: PolicyKind,
    /// What decided it.
    pub why: &'static str,
}

/// Lints files with settings resolved once.
pub struct Linter {
    settings: LinterSettings,
}

impl Linter {
    /// A linter with these settings.
    pub fn new(settings: LinterSettings) -> Self {
        Self { settings }
    }

    /// The settings in force.
    pub fn settings(&self) -> &LinterSettings {
        &self.settings
    }

    /// Lint one file's raw bytes. The front end is the settings' input type, or else detected from
    /// the path and content: a policy, a CloudFormation/SAM template, Terraform HCL, a Terraform plan,
    /// an account dump or a principal file. A file that holds nothing IAM-related gives no finding.
    /// Encoding and syntax problems are findings too.
    pub fn lint_file(&self, path: &str, bytes: &[u8], workspace: &dyn Workspace) -> Vec<Finding> {
        let text = match parse::decode(bytes) {
            Ok(text) => text,
            Err(issue) => {
                let mut findings = Vec::new();
                rules::syntax("", std::slice::from_ref(&issue), &self.settings, &mut findings);
                return findings;
            }
        };
        // Every document of a template or dump shares the file's line index.
        parse::LineIndex::scope(text, || self.lint_text(path, text, workspace))
    }

    fn lint_text(&self, path: &str, text: &str, workspace: &dyn Workspace) -> Vec<Finding> {
        if path.ends_with(".principal.toml") {
            return self.lint_principal_file(path, text);
        }
        let (input, parsed) = match self.settings.input_type {
            Some(input) => (Some(input), None),
            None => sources::detect_parsed(path, text),
        };
        let Some(input) = input else {
            return Vec::new();
        };
        let (mut template, reference, templated) = self.extract(input, path, text, workspace, parsed);
        let mut findings = Vec::new();
        rules::syntax(text, &template.issues, &self.settings, &mut findings);
        // Principal files beside a plain trust policy say what the roles using it can do.
        let beside = || {
            if input == InputType::Policy { workspace.roles_trusting(Path::new(path)) } else { Vec::new() }
        };
        let before = inline_before(&template.policies);
        // Messages name the owner account as the file writes it, not as its stand-in digits.
        let owner_shown = matches!(input, InputType::Cloudformation | InputType::Terraform | InputType::TerraformPlan)
            .then(|| sources::owner_account_as_written(input, text));
        // The role whose trust policy a document is, by the document's span (the first such role): a
        // dump has as many roles as documents, so a search per document would grow with their product.
        let mut trust_of: HashMap<Span, usize> = HashMap::new();
        for (k, r) in template.roles.iter().enumerate() {
            if let Some(t) = r.trust {
                trust_of.entry(t).or_insert(k);
            }
        }
        for (i, embedded) in template.policies.iter().enumerate() {
            let first = findings.len();
            let own: Vec<RolePower> = trust_of
                .get(&embedded.root.span)
                .map(|&k| &template.roles[k])
                .and_then(|role| template_role(text, role, path))
                .into_iter()
                .collect();
            let model = if own.is_empty() {
                PolicyModel::with_lazy_roles(input, &beside)
            } else {
                PolicyModel::new(input, &own)
            }
            .placed(&embedded.root, embedded.attachment, before[i])
            .templated(templated)
            .owned_by(template.owner_account.as_deref());
            let (kind, _) = self.decide_kind(embedded, input, path, reference.as_ref());
            let built =
                Policy::from_json_with(&embedded.root, kind.or(self.settings.policy_kind), embedded.resource_type);
            rules::run(text, built.policy.as_ref(), &built.issues, &model, &self.settings, &mut findings);
            for f in &mut findings[first..] {
                if let Some(shown) = &owner_shown {
                    f.message = f.message.replace(crate::model::OWNER_ACCOUNT, shown);
                    if let Some(help) = f.help.as_mut().filter(|h| h.contains(crate::model::OWNER_ACCOUNT)) {
                        *help = help.replace(crate::model::OWNER_ACCOUNT, shown).into();
                    }
                }
                // Deploy-time values read as the template writes them in a string: `${AWS::Region}`,
                // `${var.region}`, never as iamlint's `{{...}}` stand-ins.
                if f.message.contains("{{") {
                    f.message = as_written(&f.message);
                }
                for r in &mut f.related {
                    if r.message.contains("{{") {
                        r.message = as_written(&r.message);
                    }
                }
                if f.principal.is_none() && !embedded.owner.is_empty() {
                    f.principal = Some(embedded.owner.clone());
                }
                if let Some(note) = &embedded.note {
                    add_location_note(f, note);
                }
            }
        }
        if let Some(account) = template.account.take() {
            // In a dump, escalation and admin access are judged per principal (its policies, groups
            // and boundary together, plus paths through the account), not per document.
            let account = crate::account::Account { user_methods: self.settings.escalation, ..account };
            // The account holds what the analysis needs: the parse trees of the dump's documents go
            // before it runs.
            drop(template);
            let analysis = crate::account::analyse(account);
            findings.extend(rules::account(&analysis, &self.settings));
        }
        finish(text, &mut findings);
        findings
    }

    /// The documents of a file, and the Terraform reference that reads it when it is a policy file
    /// that a `.tf` file reads with `file()` / `templatefile()`. A template (read by
    /// `templatefile()`, or a policy file in a `templates/` directory or with a `.tpl` suffix whose
    /// `${...}` are not IAM variables) has its interpolations read as placeholders.
    fn extract(
        &self,
        input: InputType,
        path: &str,
        text: &str,
        workspace: &dyn Workspace,
        parsed: Option<parse::Parsed>,
    ) -> (sources::Template, Option<sources::FileReference>, bool) {
        let limits = parse::Limits { max_depth: self.settings.max_depth };
        if input != InputType::Policy {
            return (sources::extract_parsed(input, text, limits, parsed), None, false);
        }
        let reference = workspace.referenced_by(Path::new(path)).into_iter().next();
        let template = reference.as_ref().is_some_and(|r| r.template)
            || (sources::template::is_template_path(path) && sources::template::has_template_syntax(text));
        let mut t = if template {
            sources::template::extract(text, limits, None, "")
        } else {
            sources::extract_parsed(input, text, limits, parsed)
        };
        if let Some(r) = &reference {
            for p in t.policies.iter_mut().filter(|p| p.owner.is_empty()) {
                p.owner.clone_from(&r.owner);
            }
        }
        (t, reference, template)
    }

    /// The kind a document is linted as, when something besides its content decides, and why: where
    /// it sits in the file, then `--policy-type`/`[[policy-type]]`, then the Terraform attribute
    /// that reads the file, then (for a loose policy file) its path. `None` leaves it to the content.
    fn decide_kind(
        &self,
        embedded: &sources::Embedded,
        input: InputType,
        path: &str,
        reference: Option<&sources::FileReference>,
    ) -> (Option<PolicyKind>, &'static str) {
        if let Some(k) = embedded.kind {
            return (Some(k), "where it sits in the file");
        }
        if let Some(k) = self.settings.policy_kind {
            return (Some(k), "--policy-type, or a [[policy-type]] entry of iamlint.toml");
        }
        if let Some(k) = reference.and_then(|r| r.kind) {
            return (Some(k), "the Terraform attribute that reads it with file() or templatefile()");
        }
        if input == InputType::Policy
            && let Some(k) = sources::kind_from_path(path)
        {
            return (Some(k), "its file or directory name (scp, service-control, boundary)");
        }
        (
            None,
            "its content: a Principal with only sts:AssumeRole* actions makes a trust policy, another Principal a \
             resource policy, anything else an identity policy",
        )
    }

    /// Which kind each document of a file is linted as, and why (`check --explain-kind`).
    pub fn explain_kinds(&self, path: &str, bytes: &[u8], workspace: &dyn Workspace) -> Vec<KindDecision> {
        let Ok(text) = parse::decode(bytes) else { return Vec::new() };
        if path.ends_with(".principal.toml") {
            return Vec::new();
        }
        let Some(input) = self.settings.input_type.or_else(|| sources::detect(path, text)) else {
            return Vec::new();
        };
        let (template, reference, _) = self.extract(input, path, text, workspace, None);
        template
            .policies
            .iter()
            .filter_map(|e| {
                let (kind, why) = self.decide_kind(e, input, path, reference.as_ref());
                let policy = Policy::from_json_with(&e.root, kind, e.resource_type).policy?;
                Some(KindDecision { span: e.root.span, owner: e.owner.clone(), kind: policy.kind, why })
            })
            .collect()
    }

    /// Lint one policy document given as text.
    pub fn lint_policy(&self, source: &str) -> Vec<Finding> {
        let parsed = parse::parse_with(source, parse::Limits { max_depth: self.settings.max_depth });
        let mut findings = Vec::new();
        rules::syntax(source, &parsed.issues, &self.settings, &mut findings);
        if let Some(root) = &parsed.root {
            let model = PolicyModel::new(InputType::Policy, &[]).placed(root, Attachment::Unknown, 0);
            self.lint_document(source, root, None, &model, &mut findings);
        }
        finish(source, &mut findings);
        findings
    }

    /// Check a principal definition file (`*.principal.toml`): every expectation is evaluated offline
    /// and each mismatch is a V001 finding; a file that cannot be loaded is one E000 finding.
    pub fn lint_principal_file(&self, path: &str, text: &str) -> Vec<Finding> {
        match crate::eval::principal::PrincipalFile::load(Path::new(path), text, &crate::eval::principal::Catalog) {
            Ok(file) => rules::expectations(&crate::eval::verify::verify(&file), &self.settings),
            Err(e) => {
                let mut findings = Vec::new();
                rules::principal_file_error(&e, &self.settings, &mut findings);
                findings
            }
        }
    }

    /// The findings of an account authorization dump's principals (S201, S202), without the
    /// per-document lint; empty when `source` is not a dump.
    pub fn lint_account(&self, source: &str) -> Vec<Finding> {
        match crate::account::graph::analyse_source(source, self.settings.max_depth) {
            Some(analysis) => rules::account(&analysis, &self.settings),
            None => Vec::new(),
        }
    }

    /// Lint one policy given as a JSON tree whose spans point into `source` (the policy file itself,
    /// or a template, plan or dump that embeds it). `kind` overrides detection.
    fn lint_document(
        &self,
        source: &str,
        root: &Node,
        kind: Option<PolicyKind>,
        model: &PolicyModel<'_>,
        findings: &mut Vec<Finding>,
    ) {
        let built = Policy::from_json(root, kind.or(self.settings.policy_kind));
        rules::run(source, built.policy.as_ref(), &built.issues, model, &self.settings, findings);
    }
}

/// `text` with every `{{expr}}` stand-in of a template front end shown as `${expr}`, the way `CloudFormation`
/// `!Sub` and Terraform interpolation write a deploy-time value inside a string.
fn as_written(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        let Some(j) = rest[i + 2..].find("}}") else { break };
        out.push_str(&rest[..i]);
        out.push_str("${");
        out.push_str(&rest[i + 2..i + 2 + j]);
        out.push('}');
        rest = &rest[i + 2 + j + 2..];
    }
    out.push_str(rest);
    out
}

/// The power of a role a template defines (`sources::RoleDef`): its AWS managed policies (from the
/// embedded catalog; references to customer managed policies elsewhere are unknown and skipped), the
/// policies joined to it in the same file, and its boundary. `None` when nothing is known.
fn template_role(text: &str, role: &crate::sources::RoleDef, path: &str) -> Option<RolePower> {
    use crate::eval::principal::{Catalog, ManagedPolicies};
    use crate::eval::{CompiledPolicy, PolicySet, RequestPrincipal, SourceType};
    use crate::model::{Policy, PolicyKind};
    let managed = |arn: &str| {
        let (name, doc) = Catalog.aws_managed(arn)?;
        CompiledPolicy::from_source(&doc, &name, SourceType::AwsManaged, Some(PolicyKind::Identity)).ok()
    };
    let mut identity: Vec<CompiledPolicy> = role.managed_arns.iter().filter_map(|a| managed(a)).collect();
    for node in &role.inline {
        if let Some(p) = Policy::from_json(node, Some(PolicyKind::Identity)).policy {
            identity.push(CompiledPolicy::compile(text, &p, "inline", SourceType::Role));
        }
    }
    if identity.is_empty() {
        return None;
    }
    let set = PolicySet {
        identity,
        permissions_boundary: role.boundary.as_deref().and_then(managed),
        ..PolicySet::default()
    };
    let name: String = role.logical_id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let mut principal = RequestPrincipal::from_arn(&format!("arn:aws:sts::123456789012:assumed-role/{name}/iamlint"))?;
    principal.role_arn = Some(format!("arn:aws:iam::123456789012:role/{name}"));
    Some(crate::trust::power::power(&role.logical_id, path, &set, &principal))
}

/// For each policy of `policies`, the rendered size of the inline policies of the same principal
/// (same owner, same attachment) before it: IAM's inline quota is per user, group or role.
fn inline_before(policies: &[sources::Embedded]) -> Vec<usize> {
    let mut totals: std::collections::HashMap<(&str, Attachment), usize> = std::collections::HashMap::new();
    policies
        .iter()
        .map(|p| {
            if !matches!(p.attachment, Attachment::InlineUser | Attachment::InlineGroup | Attachment::InlineRole)
                || p.owner.is_empty()
            {
                return 0;
            }
            let total = totals.entry((p.owner.as_str(), p.attachment)).or_default();
            let before = *total;
            *total += crate::model::size::rendered_len(&p.root);
            before
        })
        .collect()
}

/// Say in `details.location` how a finding's location was mapped (a URL-encoded document of a dump
/// is located at its whole string), whatever other details the rule attached.
fn add_location_note(f: &mut Finding, note: &str) {
    let details = f.details.get_or_insert_default();
    if details.location.is_none() {
        details.location = Some(note.to_string());
    }
}

fn finish(source: &str, findings: &mut Vec<Finding>) {
    snap_to_characters(source, findings);
    sort_findings(findings);
    findings.shrink_to_fit();
}

/// Widen every span to whole characters of `source` and keep it inside the text. Rules anchor on "the
/// first character" of an element by adding one byte, which in a YAML template can be the middle of
/// a multi-byte key (found by the `sources` fuzz target); one pass here keeps every output's
/// line:column and slicing sound whatever a rule computed.
pub(crate) fn snap_to_characters(source: &str, findings: &mut [Finding]) {
    let snap = |span: &mut Span| {
        let mut start = span.start.min(source.len());
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, source.len());
        while !source.is_char_boundary(end) {
            end += 1;
        }
        *span = Span::new(start, end);
    };
    for f in findings {
        snap(&mut f.span);
        for label in &mut f.labels {
            snap(&mut label.span);
        }
    }
}

/// Sort findings by position, then code: the order every output uses.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (f.span.start, f.rule, f.span.end));
}

#[cfg(test)]
mod tests {
    use super::{FileSystem, ListedFileSystem, Workspace};
    use std::path::Path;

    /// The run-wide workspace finds the `.tf` references the direct one finds, for a policy reached
    /// through a linked directory, a linked file, a relative path, a file nothing refers to and files
    /// with no `.tf` file around them.
    #[cfg(unix)]
    #[test]
    fn listed_references_equal_the_direct_ones() {
        let root = tempfile::tempdir().expect("a temporary directory");
        let real = root.path().join("real");
        std::fs::create_dir_all(real.join("policies")).expect("directories");
        std::fs::write(real.join("policies/p.json"), "{}").expect("policy");
        std::fs::write(real.join("policies/q.json"), "{}").expect("policy");
        // No `.tf` file in its directory or the levels above that are searched.
        std::fs::create_dir_all(root.path().join("a/b/c/d")).expect("directories");
        std::fs::write(root.path().join("a/b/c/d/far.json"), "{}").expect("policy");
        std::fs::write(root.path().join("a/b/c/d/far-too.json"), "{}").expect("policy");
        std::fs::write(
            real.join("main.tf"),
            "resource \"aws_iam_policy\" \"p\" {\n  policy = file(\"${path.module}/policies/p.json\")\n}\n",
        )
        .expect("terraform");
        std::os::unix::fs::symlink(&real, root.path().join("linked")).expect("a directory link");
        std::os::unix::fs::symlink(real.join("policies/p.json"), root.path().join("p-link.json")).expect("a file link");
        let listed = ListedFileSystem::default();
        let paths = [
            real.join("policies/p.json"),
            root.path().join("linked/policies/p.json"),
            root.path().join("p-link.json"),
            real.join("policies/q.json"),
            root.path().join("missing.json"),
            root.path().join("a/b/c/d/far.json"),
            root.path().join("a/b/c/d/far-too.json"),
        ];
        let mut found = 0;
        for path in &paths {
            let direct = FileSystem.referenced_by(path);
            // Twice: the second answer comes from the remembered directory.
            for _ in 0..2 {
                let got = listed.referenced_by(path);
                assert_eq!(format!("{got:?}"), format!("{direct:?}"), "{}", path.display());
            }
            found += direct.len();
        }
        // The link to the file has another name, which the `.tf` file does not write.
        assert_eq!(found, 2, "p.json is referenced through its own and its linked directory's path");
        let cwd = std::env::current_dir().expect("a working directory");
        let relative = pathdiff(&real.join("policies/p.json"), &cwd);
        assert_eq!(
            format!("{:?}", listed.referenced_by(&relative)),
            format!("{:?}", FileSystem.referenced_by(&relative))
        );
    }

    /// `path` relative to `base` (both absolute), through `..` where needed.
    fn pathdiff(path: &Path, base: &Path) -> std::path::PathBuf {
        let (p, b): (Vec<_>, Vec<_>) = (path.components().collect(), base.components().collect());
        let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let mut out = std::path::PathBuf::new();
        for _ in common..b.len() {
            out.push("..");
        }
        for c in &p[common..] {
            out.push(c);
        }
        out
    }

    #[test]
    fn stand_ins_read_as_written() {
        assert_eq!(super::as_written("`logs.{{AWS::Region}}.amazonaws.com`"), "`logs.${AWS::Region}.amazonaws.com`");
        assert_eq!(super::as_written("a {{var.x}} b {{one(...)}}"), "a ${var.x} b ${one(...)}");
        assert_eq!(super::as_written("no stand-in {{ here"), "no stand-in {{ here");
    }
}
