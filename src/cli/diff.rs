//! `iamlint diff OLD NEW` and `iamlint diff --base REV [PATHS]`: does the change grant access that was
//! not granted before, and to whom? The documents of both versions are paired by path and owner, and
//! each pair goes through the difference engine of `crate::diff` (see `docs/diff.md`).

mod formats;

use super::check::ConfigArgs;
use super::walk::{self, Input};
use super::{CliError, ExitStatus};
use crate::config::DiffAllow;
use crate::diff::{self, Limits, NewAccess, Side, Universe, Verdict};
use crate::eval::{CompiledPolicy, PolicySet, SourceType};
use crate::model::{Policy, PolicyKind};
use crate::online::no_new_access::{self, PolicyType, Source};
use crate::parse::{self, LineIndex};
use crate::sources;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Arguments of `iamlint diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// `OLD NEW` (two files or two directories); with `--base`, the paths of the working tree to
    /// compare (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Compare the working tree with this git revision (`main`, `origin/main`, a commit).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Accept new access to actions matching this pattern (repeatable), e.g. `s3:GetObject`, `logs:*`.
    #[arg(long, value_name = "ACTION-PATTERN")]
    pub allow_new: Vec<String>,
    /// Also list documents that the change removes (they grant nothing new).
    #[arg(long)]
    pub show_removed: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
    /// Treat every policy as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub policy_type: Option<PolicyKind>,
    /// A permissions boundary that limits the identity policies of both versions.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// Service control policies over the identity of both versions, one file per level from the root
    /// to the account (repeatable; every policy in a file is attached at its level).
    #[arg(long, value_name = "FILE")]
    pub scp: Vec<PathBuf>,
    /// Resource control policies, one file per level (repeatable); `RCPFullAWSAccess` is implied.
    #[arg(long, value_name = "FILE")]
    pub rcp: Vec<PathBuf>,
    /// Session policies of the identity of both versions (repeatable).
    #[arg(long, value_name = "FILE")]
    pub session_policy: Vec<PathBuf>,
    /// Configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Also send every compared pair to IAM Access Analyzer (`CheckNoNewAccess`) and print an agreement
    /// table; exit 1 when either side finds new access (needs the `aws` feature).
    #[arg(long)]
    pub online: bool,
    /// Where to reach AWS, with `--online`.
    #[command(flatten)]
    pub aws: super::verify::AwsArgs,
}

/// Output formats of `iamlint diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// One block per new access, for people.
    Human,
    /// `path:line:col: KIND [level] message`, one line per result.
    Concise,
    /// The report as JSON (`docs/diff.md`).
    Json,
    /// GitHub Actions workflow commands: an annotation on the granting statement per new region.
    Github,
    /// SARIF 2.1.0 (GitHub code scanning): a result per new region at the granting statement.
    Sarif,
}

/// One policy document of one version.
struct Doc {
    /// The path as shown.
    shown: String,
    /// The file's text.
    text: String,
    policy: Policy,
    owner: String,
    /// The document's JSON tree (what `--online` sends).
    root: parse::Node,
    /// The document's tree without its spans: equal for the same policy however it is laid out.
    canonical: String,
}

/// Documents of one version, by (relative path, owner, n-th of that owner).
type Docs = BTreeMap<(String, String, usize), Doc>;

/// Read the documents of one file; problems are errors with a location. A file found by walking a
/// directory (`walked`) counts only when it holds IAM policies; one named on the command line always
/// does. The file is classified once.
fn load(
    rel: &str,
    shown: &str,
    text: &str,
    walked: bool,
    kind: Option<PolicyKind>,
    out: &mut Docs,
) -> Result<(), String> {
    let detected = sources::detect(shown, text);
    if walked && detected.is_none() {
        return Ok(());
    }
    let input = detected.unwrap_or(sources::InputType::Policy);
    let template = sources::extract(input, text, parse::Limits::default());
    let index = LineIndex::new(text);
    if let Some(issue) = template.issues.iter().find(|i| i.kind == parse::IssueKind::Syntax) {
        let at = index.line_col(text, issue.span.start);
        return Err(format!("{shown}:{}:{}: {}", at.line, at.column, issue.message));
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut found = Vec::new();
    for e in template.policies {
        let built = Policy::from_json(&e.root, kind.or(e.kind));
        if let Some(issue) = built.issues.first() {
            let at = index.line_col(text, issue.span.start);
            return Err(format!("{shown}:{}:{}: {}", at.line, at.column, issue.message));
        }
        let Some(policy) = built.policy else {
            let at = index.line_col(text, e.root.span.start);
            return Err(format!("{shown}:{}:{}: not a policy document", at.line, at.column));
        };
        let n = seen.entry(e.owner.clone()).or_default();
        let mut canonical = String::with_capacity(e.root.span.len());
        write_canonical(&e.root, &mut canonical);
        found.push(((rel.to_string(), e.owner.clone(), *n), policy, e.owner, e.root, canonical));
        *n += 1;
    }
    for (key, policy, owner, root, canonical) in found {
        out.insert(key, Doc { shown: shown.to_string(), text: text.to_string(), policy, owner, root, canonical });
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), walk::describe_io(&e)))?;
    parse::decode(&bytes).map(str::to_string).map_err(|i| format!("{}: {}", path.display(), i.message))
}

/// The files under `path` (itself if a file), with their paths relative to it.
fn files(path: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), walk::describe_io(&e)))?;
    if !meta.is_dir() {
        return Ok(vec![(String::new(), path.to_path_buf())]);
    }
    let walk::Walked { inputs, errors, .. } =
        walk::collect(&[path.to_path_buf()], &[], &[]).map_err(|e| e.to_string())?;
    if let Some((p, m)) = errors.first() {
        return Err(format!("{p}: {m}"));
    }
    Ok(inputs
        .into_iter()
        .filter_map(|i| match i {
            Input::File(f) => Some(f),
            Input::Stdin => None,
        })
        .map(|f| (f.strip_prefix(path).unwrap_or(&f).display().to_string().replace('\\', "/"), f))
        .collect())
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out =
        Command::new("git").arg("-C").arg(dir).args(args).output().map_err(|e| format!("cannot run `git`: {e}"))?;
    if out.status.success() { Ok(out.stdout) } else { Err(String::from_utf8_lossy(&out.stderr).trim().to_string()) }
}

/// Both versions with `--base`: the working tree under `paths`, and the same paths at `rev`.
fn from_git(rev: &str, paths: &[PathBuf], kind: Option<PolicyKind>) -> Result<(Docs, Docs), String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let top =
        git(&cwd, &["rev-parse", "--show-toplevel"]).map_err(|e| format!("--base needs a git repository: {e}"))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let commit = format!("{rev}^{{commit}}");
    git(&cwd, &["rev-parse", "--verify", "--quiet", &commit]).map_err(|_| {
        format!(
            "the base revision `{rev}` is not in this repository; in a shallow checkout fetch it first (`git fetch --depth=1 origin {rev}`)"
        )
    })?;
    let top_abs = std::path::absolute(&top).unwrap_or(top.clone());
    let canon_top = top_abs.canonicalize().unwrap_or(top_abs);
    let mut new = Docs::new();
    let mut old = Docs::new();
    let paths: Vec<PathBuf> = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let mut specs = Vec::new();
    for p in &paths {
        let abs = std::path::absolute(p).map_err(|e| e.to_string())?;
        let abs = abs.canonicalize().unwrap_or(abs);
        let rel = abs.strip_prefix(&canon_top).map_err(|_| format!("{} is outside the repository", p.display()))?;
        specs.push(rel.display().to_string().replace('\\', "/"));
        if abs.exists() {
            for (within, f) in files(p)? {
                let fa = std::path::absolute(&f).map_err(|e| e.to_string())?;
                let fa = fa.canonicalize().unwrap_or(fa);
                let rel = fa.strip_prefix(&canon_top).unwrap_or(&fa).display().to_string().replace('\\', "/");
                load(&rel, &f.display().to_string(), &read(&f)?, !within.is_empty(), kind, &mut new)?;
            }
        }
    }
    let mut args = vec!["ls-tree", "-r", "--name-only", "--full-tree", rev, "--"];
    let specs: Vec<String> = specs.into_iter().map(|s| if s.is_empty() { ".".to_string() } else { s }).collect();
    args.extend(specs.iter().map(String::as_str));
    let listed = git(&top, &args)?;
    let include = walk::DEFAULT_INCLUDE;
    for rel in String::from_utf8_lossy(&listed).lines() {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if !include.iter().any(|g| globset::Glob::new(g).is_ok_and(|g| g.compile_matcher().is_match(name))) {
            continue;
        }
        let bytes = git(&top, &["show", &format!("{rev}:{rel}")])?;
        let Ok(text) = parse::decode(&bytes).map(str::to_string) else { continue };
        load(rel, &format!("{rev}:{rel}"), &text, true, kind, &mut old)?;
    }
    Ok((old, new))
}

/// Both versions from `OLD NEW`.
fn from_paths(old: &Path, new: &Path, kind: Option<PolicyKind>) -> Result<(Docs, Docs), String> {
    let mut o = Docs::new();
    let mut n = Docs::new();
    for (dir, docs) in [(old, &mut o), (new, &mut n)] {
        for (rel, f) in files(dir)? {
            load(&rel, &f.display().to_string(), &read(&f)?, !rel.is_empty(), kind, docs)?;
        }
    }
    Ok((o, n))
}

/// The JSON and human report of one document pair.
#[derive(Debug, Serialize)]
struct DocReport {
    path: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    owner: String,
    kind: PolicyKind,
    side: Side,
    /// `changed`, `added` or `removed`.
    status: &'static str,
    verdict: Verdict,
    new_access: Vec<AccessReport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    accepted: Vec<AccessReport>,
    unknown: Vec<diff::Unknown>,
    /// The policy ids of the NEW documents (an undecided statement elsewhere is in an OLD document or
    /// in a `--boundary`/`--scp`/... file, and is shown at its own path).
    #[serde(skip)]
    new_ids: Vec<String>,
}

impl DocReport {
    /// Where an undecided statement is: this document, or the OLD or limiting policy it is in.
    fn unknown_path<'a>(&'a self, u: &'a diff::Unknown) -> &'a str {
        if u.statement.version == diff::Version::New && self.new_ids.contains(&u.statement.policy) {
            &self.path
        } else {
            &u.statement.policy
        }
    }
}

#[derive(Debug, Serialize)]
struct AccessReport {
    summary: String,
    #[serde(flatten)]
    access: NewAccess,
    witness: Witness,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted_because: Option<String>,
}

#[derive(Debug, Serialize)]
struct Witness {
    principal: String,
    action: String,
    resource: String,
    context: BTreeMap<String, Vec<String>>,
    absent: Vec<String>,
}

fn witness(a: &NewAccess) -> Witness {
    let (context, absent) = a.witness_context();
    Witness {
        principal: a.witness.principal.arn.clone(),
        action: a.witness.action.clone(),
        resource: a.witness.resource.clone(),
        context,
        absent,
    }
}

fn compile(doc: &Doc, id: &str) -> CompiledPolicy {
    CompiledPolicy::compile(&doc.text, &doc.policy, id, SourceType::None)
}

fn side_of(kind: PolicyKind) -> Side {
    if kind.has_principals() { Side::Resource } else { Side::Identity }
}

/// Which `--allow-new` / `[[diff.allow]]` entry accepts `action`.
fn accepting<'a>(allow: &'a [DiffAllow], action: &str) -> Option<&'a DiffAllow> {
    allow.iter().find(|a| crate::semantics::wildcard::matches(&a.action, action, true))
}

/// Split a region into the part `allow` accepts and the rest.
fn split_accepted(a: NewAccess, allow: &[DiffAllow]) -> (Option<NewAccess>, Option<(NewAccess, String)>) {
    let all: Vec<&String> = a.actions.iter().chain(&a.unlisted_actions).collect();
    let accepted: Vec<&String> = all.iter().copied().filter(|x| accepting(allow, x).is_some()).collect();
    if accepted.is_empty() {
        return (Some(a), None);
    }
    let reasons: Vec<String> = {
        let mut r: Vec<String> = accepted
            .iter()
            .filter_map(|x| accepting(allow, x))
            .map(|e| format!("`{}`: {}", e.action, e.reason))
            .collect();
        r.dedup();
        r
    };
    let mut yes = a.clone();
    yes.actions.retain(|x| accepting(allow, x).is_some());
    yes.unlisted_actions.retain(|x| accepting(allow, x).is_some());
    let mut no = a;
    no.actions.retain(|x| accepting(allow, x).is_none());
    no.unlisted_actions.retain(|x| accepting(allow, x).is_none());
    let witness_accepted = accepting(allow, &no.witness.action).is_some();
    let rest = if no.actions.is_empty() && no.unlisted_actions.is_empty() {
        None
    } else if witness_accepted {
        // The witness stands for the region: keep the rest honest by naming one of its own actions.
        let action = no.actions.first().or(no.unlisted_actions.first()).cloned().unwrap_or_default();
        no.witness.action = action;
        Some(no)
    } else {
        Some(no)
    };
    (rest, Some((yes, reasons.join("; "))))
}

/// Documents compared together: a file's (or owner's) identity policies, or one resource or trust
/// policy, keyed by relative path, owner, side (0 identity, 1 resource) and, for resource policies,
/// their position.
type GroupKey = (String, String, u8, usize);

fn groups(docs: &Docs) -> BTreeMap<GroupKey, Vec<&Doc>> {
    let mut out: BTreeMap<GroupKey, Vec<&Doc>> = BTreeMap::new();
    for ((rel, owner, n), d) in docs {
        let key = match side_of(d.policy.kind) {
            Side::Identity => (rel.clone(), owner.clone(), 0, 0),
            Side::Resource => (rel.clone(), owner.clone(), 1, *n),
        };
        out.entry(key).or_default().push(d);
    }
    out
}

/// The policy id of each document of a group: its path, with its position when the group has several.
fn ids(docs: &[&Doc]) -> Vec<String> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| if docs.len() == 1 { d.shown.clone() } else { format!("{} [{}]", d.shown, i + 1) })
        .collect()
}

/// The documents of a group as a policy set; on the identity side, under the limiting policies.
fn policy_set(side: Side, docs: &[&Doc], limiting: &PolicySet) -> PolicySet {
    let compiled: Vec<CompiledPolicy> = docs.iter().zip(ids(docs)).map(|(d, id)| compile(d, &id)).collect();
    match side {
        Side::Identity => PolicySet { identity: compiled, ..limiting.clone() },
        Side::Resource => PolicySet { resource: compiled.into_iter().next(), ..PolicySet::default() },
    }
}

/// The policies of one `--boundary`/`--scp`/`--rcp`/`--session-policy` file, read like the documents
/// (every policy it holds, errors with a location), as `kind`.
fn limiting_file(path: &Path, kind: PolicyKind) -> Result<Vec<CompiledPolicy>, String> {
    let text = read(path)?;
    let shown = path.display().to_string();
    let mut docs = Docs::new();
    load("", &shown, &text, false, Some(kind), &mut docs)?;
    if docs.is_empty() {
        return Err(format!("{shown}: holds no policy"));
    }
    let docs: Vec<&Doc> = docs.values().collect();
    Ok(docs.iter().zip(ids(&docs)).map(|(d, id)| compile(d, &id)).collect())
}

/// The policies that limit the identity side of both versions (the same for OLD and NEW).
fn limiting(args: &DiffArgs) -> Result<PolicySet, String> {
    let mut set = PolicySet::default();
    if let Some(b) = &args.boundary {
        let mut list = limiting_file(b, PolicyKind::PermissionsBoundary)?;
        if list.len() > 1 {
            return Err(format!(
                "{}: holds {} policies; a principal has one permissions boundary",
                b.display(),
                list.len()
            ));
        }
        set.permissions_boundary = list.pop();
    }
    for f in &args.scp {
        set.scp_levels.push(limiting_file(f, PolicyKind::Scp)?);
    }
    for f in &args.rcp {
        set.rcp_levels.push(limiting_file(f, PolicyKind::Rcp)?);
    }
    if !args.session_policy.is_empty() {
        let mut list = Vec::new();
        for f in &args.session_policy {
            list.extend(limiting_file(f, PolicyKind::Session)?);
        }
        set.session = Some(list);
    }
    Ok(set)
}

fn report_for(
    key: &GroupKey,
    old: Option<&Vec<&Doc>>,
    new: &[&Doc],
    universe: &Universe,
    allow: &[DiffAllow],
    limiting: &PolicySet,
) -> DocReport {
    let kind = new[0].policy.kind;
    let side = if key.2 == 0 { Side::Identity } else { Side::Resource };
    let old_set = old.map_or_else(|| policy_set(side, &[], limiting), |o| policy_set(side, o, limiting));
    let new_set = policy_set(side, new, limiting);
    let new_ids = ids(new);
    let mut r = diff::diff(side, &old_set, &new_set, universe, Limits::default());
    // A limiting policy is in both versions: report an undecided statement of it once.
    let old_ids = old.map(|o| ids(o)).unwrap_or_default();
    r.unknown.retain(|u| u.statement.version == diff::Version::New || old_ids.contains(&u.statement.policy));
    let mut new_access = Vec::new();
    let mut accepted = Vec::new();
    for mut a in r.new_access {
        // The evaluator folds action patterns to lower case; show them as written.
        let doc = new_ids.iter().position(|id| *id == a.statement.policy).map(|i| new[i]);
        if let Some(st) = doc.and_then(|d| d.policy.statements.iter().find(|st| st.index == a.statement.index))
            && let Some((list, _)) = st.action_list()
        {
            a.action_patterns = list.strs().map(str::to_string).collect();
        }
        let (rest, ok) = split_accepted(a, allow);
        if let Some(a) = rest {
            new_access.push(AccessReport {
                summary: a.summary(),
                witness: witness(&a),
                access: a,
                accepted_because: None,
            });
        }
        if let Some((a, why)) = ok {
            accepted.push(AccessReport {
                summary: a.summary(),
                witness: witness(&a),
                access: a,
                accepted_because: Some(why),
            });
        }
    }
    let verdict = if !new_access.is_empty() {
        Verdict::NewAccess
    } else if !r.unknown.is_empty() {
        Verdict::Unknown
    } else {
        Verdict::NoNewAccess
    };
    DocReport {
        path: new[0].shown.clone(),
        owner: key.1.clone(),
        kind,
        side,
        status: if old.is_some() { "changed" } else { "added" },
        verdict,
        new_access,
        accepted,
        unknown: r.unknown,
        new_ids,
    }
}

fn human(reports: &[DocReport], removed: &[String], out: &mut dyn Write) -> std::io::Result<()> {
    for d in reports {
        let owner = if d.owner.is_empty() { String::new() } else { format!(" for {}", d.owner) };
        for a in &d.new_access {
            let s = &a.access.statement;
            let sid = s.sid.as_ref().map(|x| format!(" `{x}`")).unwrap_or_default();
            writeln!(
                out,
                "{}:{}:{}: new access{owner} granted by statement {}{sid}",
                d.path,
                s.line,
                s.column,
                s.index + 1
            )?;
            writeln!(out, "  {}", a.summary)?;
            writeln!(out, "  witness: {}", formats::describe_witness(&a.witness, d.side))?;
            let b = &a.access.before;
            if !b.denied_by.is_empty() {
                let by: Vec<String> = b
                    .denied_by
                    .iter()
                    .map(|s| {
                        let sid = s.sid.as_ref().map(|x| format!(" `{x}`")).unwrap_or_default();
                        format!("old statement {}{sid} at {}:{}", s.index + 1, s.line, s.column)
                    })
                    .collect();
                writeln!(out, "  before: denied by {}", by.join(", "))?;
            } else if !b.conditional_grants.is_empty() {
                let by: Vec<String> = b
                    .conditional_grants
                    .iter()
                    .map(|s| {
                        let sid = s.sid.as_ref().map(|x| format!(" `{x}`")).unwrap_or_default();
                        format!("old statement {}{sid} at {}:{}", s.index + 1, s.line, s.column)
                    })
                    .collect();
                writeln!(
                    out,
                    "  before: not allowed; {} granted it only under conditions this request does not meet",
                    by.join(", ")
                )?;
            } else {
                writeln!(out, "  before: not allowed ({})", b.decision)?;
            }
        }
        for a in &d.accepted {
            let s = &a.access.statement;
            writeln!(
                out,
                "{}:{}:{}: accepted new access{owner}: {} ({})",
                d.path,
                s.line,
                s.column,
                a.summary,
                a.accepted_because.as_deref().unwrap_or_default()
            )?;
        }
        for u in &d.unknown {
            let version = match u.statement.version {
                diff::Version::Old => "old ",
                diff::Version::New => "",
            };
            writeln!(
                out,
                "{}:{}:{}: not decided{owner}: {version}statement {}: {}",
                d.unknown_path(u),
                u.statement.line,
                u.statement.column,
                u.statement.index + 1,
                u.reason
            )?;
        }
    }
    for r in removed {
        writeln!(out, "{r}: removed (grants nothing new)")?;
    }
    let regions: usize = reports.iter().map(|d| d.new_access.len()).sum();
    let docs = reports.iter().filter(|d| !d.new_access.is_empty()).count();
    let unknown = reports.iter().filter(|d| d.verdict == Verdict::Unknown).count();
    if regions > 0 {
        writeln!(
            out,
            "{regions} new access region{} in {docs} document{}",
            if regions == 1 { "" } else { "s" },
            if docs == 1 { "" } else { "s" }
        )?;
    } else if unknown > 0 {
        writeln!(out, "no new access found, but {unknown} document(s) could not be decided")?;
    } else {
        writeln!(out, "no new access ({} changed document(s) compared)", reports.len())?;
    }
    Ok(())
}

fn github(reports: &[DocReport], out: &mut dyn Write) -> std::io::Result<()> {
    use crate::output::github::{data, property};
    for d in reports {
        let owner = if d.owner.is_empty() { String::new() } else { format!(" for {}", d.owner) };
        let mut note = |kind: &str, line: usize, col: usize, title: &str, message: &str| {
            writeln!(
                out,
                "::{kind} file={},line={line},col={col},title={}::{}",
                property(&d.path),
                property(title),
                data(message)
            )
        };
        for a in &d.new_access {
            let w = &a.witness;
            let mut message = format!("{}\nwitness: {} on {}", a.summary, w.action, w.resource);
            if d.side == Side::Resource {
                let _ = write!(message, " by {}", w.principal);
            }
            note("error", a.access.statement.line, a.access.statement.column, &format!("new access{owner}"), &message)?;
        }
        for a in &d.accepted {
            let because = a.accepted_because.as_deref().unwrap_or_default();
            let message = format!("{} ({because})", a.summary);
            note(
                "notice",
                a.access.statement.line,
                a.access.statement.column,
                &format!("accepted new access{owner}"),
                &message,
            )?;
        }
        for u in d.unknown.iter().filter(|u| d.unknown_path(u) == d.path) {
            note("error", u.statement.line, u.statement.column, &format!("not decided{owner}"), &u.reason)?;
        }
        for u in d.unknown.iter().filter(|u| d.unknown_path(u) != d.path) {
            let version = if u.statement.version == diff::Version::Old { "old " } else { "" };
            let message = format!(
                "{version}statement {} at {}:{}:{}: {}",
                u.statement.index + 1,
                u.statement.policy,
                u.statement.line,
                u.statement.column,
                u.reason
            );
            note("error", 1, 1, &format!("not decided{owner}"), &message)?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    verdict: Verdict,
    documents: &'a [DocReport],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    removed: Vec<String>,
    /// With `--online`: the agreement table.
    #[serde(skip_serializing_if = "Option::is_none")]
    online: Option<serde_json::Value>,
}

fn sources<'a>(docs: &[&'a Doc]) -> Vec<Source<'a>> {
    docs.iter().map(|d| Source { path: &d.shown, text: &d.text, root: &d.root }).collect()
}

/// What `--online` sends for a compared group: NEW against OLD (or against nothing).
fn online_pair(key: &GroupKey, old: Option<&Vec<&Doc>>, new: &[&Doc], report: &DocReport) -> no_new_access::Pair {
    let policy_type = if key.2 == 0 { PolicyType::Identity } else { PolicyType::Resource };
    let found = !report.new_access.is_empty() || !report.accepted.is_empty();
    no_new_access::Pair {
        path: report.path.clone(),
        owner: report.owner.clone(),
        offline: if found { Verdict::NewAccess } else { report.verdict.clone() },
        accepted: found && report.new_access.is_empty(),
        request: no_new_access::request(&old.map(|o| sources(o)).unwrap_or_default(), &sources(new), policy_type),
    }
}

/// Run `iamlint diff`.
pub fn run(args: &DiffArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let usage = |message: String, help: Option<&str>| CliError::Usage { message, help: help.map(str::to_string) };
    let loaded = match &args.base {
        Some(rev) => from_git(rev, &args.paths, args.policy_type),
        None => match args.paths.as_slice() {
            [old, new] => from_paths(old, new, args.policy_type),
            _ => {
                return Err(usage(
                    "`iamlint diff` takes two paths, OLD and NEW".into(),
                    Some(
                        "compare two files or directories, or the working tree with a revision: `iamlint diff --base main`",
                    ),
                ));
            }
        },
    };
    if args.online && !cfg!(feature = "aws") {
        return super::verify::online_error(&crate::online::OnlineError::NotBuilt);
    }
    let (old, new) = loaded.map_err(|m| usage(m, None))?;
    let limiting = limiting(args).map_err(|m| usage(m, None))?;
    let config_start: Vec<PathBuf> = args.paths.last().cloned().into_iter().collect();
    let config = args.config.load(&config_start)?;
    let mut allow: Vec<DiffAllow> = config.map(|c| c.diff_allow).unwrap_or_default();
    for a in &args.allow_new {
        allow.push(DiffAllow { action: a.clone(), reason: "--allow-new".into() });
    }
    let universe = Universe::catalog();
    let (old_groups, new_groups) = (groups(&old), groups(&new));
    let mut reports = Vec::new();
    let mut pairs = Vec::new();
    for (key, n) in &new_groups {
        let o = old_groups.get(key);
        // Groups whose policies are unchanged compare equal; skip the engine.
        if let Some(o) = o
            && o.len() == n.len()
            && o.iter().zip(n).all(|(a, b)| same_document(a, b))
        {
            continue;
        }
        reports.push(report_for(key, o, n, &universe, &allow, &limiting));
        if args.online {
            pairs.push(online_pair(key, o, n, &reports[reports.len() - 1]));
        }
    }
    let online = if args.online {
        match no_new_access::check(&pairs, &args.aws.options(None)) {
            Ok(r) => Some(r),
            Err(e) => return super::verify::online_error(&e),
        }
    } else {
        None
    };
    // Removed documents: path and owner.
    let removed_docs: Vec<(&str, &str)> = if args.show_removed {
        old_groups
            .iter()
            .filter(|(k, _)| !new_groups.contains_key(*k))
            .map(|(k, d)| (d[0].shown.as_str(), k.1.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    let removed: Vec<String> =
        removed_docs.iter().map(|(p, o)| if o.is_empty() { (*p).to_string() } else { format!("{p} ({o})") }).collect();
    let verdict = if reports.iter().any(|d| d.verdict == Verdict::NewAccess) {
        Verdict::NewAccess
    } else if reports.iter().any(|d| d.verdict == Verdict::Unknown) {
        Verdict::Unknown
    } else {
        Verdict::NoNewAccess
    };
    match args.format {
        DiffFormat::Human => {
            human(&reports, &removed, out)?;
            if let Some(o) = &online {
                writeln!(out)?;
                o.write_table(out)?;
            }
        }
        DiffFormat::Concise | DiffFormat::Github | DiffFormat::Sarif => {
            match args.format {
                DiffFormat::Concise => formats::concise(&reports, &removed, out)?,
                DiffFormat::Github => github(&reports, out)?,
                _ => formats::sarif(&reports, &removed_docs, &verdict, out)?,
            }
            // stdout stays machine-readable; the agreement table goes to the log.
            if let Some(o) = &online {
                o.write_table(&mut std::io::stderr().lock())?;
            }
        }
        DiffFormat::Json => {
            let j = JsonReport {
                schema_version: 1,
                verdict: verdict.clone(),
                documents: &reports,
                removed,
                online: online.as_ref().map(no_new_access::Report::to_json),
            };
            serde_json::to_writer_pretty(&mut *out, &j).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
    }
    if online.as_ref().is_some_and(no_new_access::Report::has_errors) {
        return Ok(ExitStatus::Error);
    }
    // The gate: new access found offline, or by Access Analyzer where iamlint found none.
    if online.as_ref().is_some_and(no_new_access::Report::new_access_only_online) {
        return Ok(ExitStatus::Failure);
    }
    Ok(match verdict {
        Verdict::NoNewAccess => ExitStatus::Success,
        Verdict::NewAccess | Verdict::Unknown => ExitStatus::Failure,
    })
}

/// Whether two documents hold the same policy: the same tree (ignoring layout, and where in the file
/// it sits), owner and kind.
fn same_document(a: &Doc, b: &Doc) -> bool {
    a.canonical == b.canonical && a.owner == b.owner && a.policy.kind == b.policy.kind
}

/// A JSON tree as compact JSON text, members in source order (so that equal text is an equal tree).
fn write_canonical(node: &parse::Node, out: &mut String) {
    // Quotes and backslashes escaped: enough for equal text to mean equal strings.
    let quoted = |s: &str, out: &mut String| {
        out.push('"');
        if s.contains(['"', '\\']) {
            for c in s.chars() {
                if matches!(c, '"' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
        } else {
            out.push_str(s);
        }
        out.push('"');
    };
    match &node.value {
        parse::Value::Null => out.push_str("null"),
        parse::Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        parse::Value::Number(n) => out.push_str(n),
        parse::Value::String(s) => quoted(s, out),
        parse::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        parse::Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quoted(&m.key, out);
                out.push(':');
                write_canonical(&m.value, out);
            }
            out.push('}');
        }
    }
}
