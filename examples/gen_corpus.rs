//! Write a seeded corpus of generated policies as files, one policy per file.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --seed 42 --count 1000 --out DIR \
//!     [--kind identity|trust|wildcard|condition|mixed|large|account] [--statements N] [--mutate PERCENT]
//! ```
//!
//! `--kind mixed` cycles through ten kinds, 10 % each (`corpus::MIXED_KINDS`): admin, `NotAction`
//! with Allow, service wildcards, IAM escalation sets, `iam:PassRole` with compute, trust open to
//! anyone, trust without MFA, MFA-conditioned, least privilege and public bucket policies.
//!
//! `--kind account` writes one `account-authorization-details.json` dump instead, with `--count` roles,
//! `count * 2 / 5` users and `count * 3 / 5` customer managed policies (the 5,000-role benchmark shape).
//!
//! Files are named `policy-00000.json`, `policy-00001.json`, ... Same seed, count and kind → the same
//! bytes on every machine. `--statements` only applies to `--kind large` (default 1000 statements per
//! policy).
//!
//! `--mutate PERCENT` writes the same corpus with PERCENT % of its policies changed (chosen by the
//! seed; each gets an action widened to its service's `*`, a condition dropped or a statement added,
//! the kind used least so far that applies; `corpus::mutate`), and lists the changed files on
//! standard error: the "1 % changed" copy that `iamlint diff` is benchmarked against
//! (`docs/diff.md`). Existing files of the same names are overwritten; nothing else in `DIR` is
//! touched.

use iamlint::corpus;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: gen_corpus --out DIR [--seed N] [--count N] \
[--kind identity|trust|wildcard|condition|mixed|large|account] [--statements N] [--mutate PERCENT]";

struct Opts {
    seed: u64,
    count: usize,
    out: PathBuf,
    kind: String,
    statements: usize,
    mutate: Option<usize>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Opts, String> {
    let mut seed = 42;
    let mut count = 1000;
    let mut out = None;
    let mut kind = String::from("identity");
    let mut statements = 1000;
    let mut mutate = None;
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |name: &str, v: String| v.parse::<u64>().map_err(|e| format!("{name} {v:?}: {e}"));
        match flag.as_str() {
            "--seed" => seed = number("--seed", value("--seed")?)?,
            "--count" => count = number("--count", value("--count")?)? as usize,
            "--statements" => statements = number("--statements", value("--statements")?)? as usize,
            "--mutate" => mutate = Some(number("--mutate", value("--mutate")?)? as usize),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--kind" => kind = value("--kind")?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Opts { seed, count, out, kind, statements, mutate })
}

fn generate(o: &Opts) -> Result<Vec<String>, String> {
    Ok(match o.kind.as_str() {
        "identity" => corpus::identity_policies(o.seed, o.count),
        "trust" => corpus::trust_policies(o.seed, o.count),
        "wildcard" => corpus::wildcard_policies(o.seed, o.count),
        "condition" => corpus::condition_policies(o.seed, o.count),
        "mixed" => corpus::mixed_policies(o.seed, o.count),
        "large" => (0..o.count as u64).map(|i| corpus::large_policy(o.seed.wrapping_add(i), o.statements)).collect(),
        "account" => vec![iamlint::account::generate::generate(o.seed, o.count, o.count * 2 / 5, o.count * 3 / 5)],
        other => {
            return Err(format!(
                "unknown --kind {other:?} (identity, trust, wildcard, condition, mixed, large, account)"
            ));
        }
    })
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("gen_corpus: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut policies = match generate(&opts) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("gen_corpus: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(percent) = opts.mutate {
        for (i, m) in corpus::mutate(opts.seed, &mut policies, percent) {
            eprintln!("gen_corpus: policy-{i:05}.json: {m:?}");
        }
    }
    if let Err(e) = std::fs::create_dir_all(&opts.out) {
        eprintln!("gen_corpus: cannot create {}: {e}", opts.out.display());
        return ExitCode::FAILURE;
    }
    let mut bytes = 0;
    for (i, p) in policies.iter().enumerate() {
        let path = if opts.kind == "account" {
            opts.out.join("account-authorization-details.json")
        } else {
            opts.out.join(format!("policy-{i:05}.json"))
        };
        if let Err(e) = std::fs::write(&path, p) {
            eprintln!("gen_corpus: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        bytes += p.len();
    }
    eprintln!(
        "gen_corpus: wrote {} {} policies ({bytes} bytes, seed {}) to {}",
        policies.len(),
        opts.kind,
        opts.seed,
        opts.out.display()
    );
    ExitCode::SUCCESS
}
