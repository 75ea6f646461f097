//! What a `didChange` of a 1,000-statement policy costs the language server once the debounce fires:
//! lint the in-memory text and convert every finding to an LSP diagnostic (UTF-16 positions, code
//! links, related locations, quick-fix data). Goal: under 50 ms.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamlint::Settings;
use iamlint::lsp::{Encoding, lint_document};
use std::fmt::Write as _;
use std::hint::black_box;
use std::str::FromStr;

/// A policy with `n` statements: varied actions, resources and conditions, non-ASCII Sids (so the
/// UTF-16 conversion has work to do) and a duplicate key in every tenth statement (so there are
/// diagnostics with related locations to convert).
fn policy(n: usize) -> String {
    let actions =
        ["s3:GetObject", "s3:PutObject", "ec2:DescribeInstances", "iam:PassRole", "dynamodb:Query", "kms:Decrypt"];
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for i in 0..n {
        let a = actions[i % actions.len()];
        let b = actions[(i + 1) % actions.len()];
        let dup = if i % 10 == 0 { format!("\n      \"Sid\": \"Dup{i}\",") } else { String::new() };
        let _ = write!(
            s,
            "    {{\n      \"Sid\": \"Stmt{i}é😀\",{dup}\n      \"Effect\": \"Allow\",\n      \"Action\": [\"{a}\", \"{b}\"],\n      \"Resource\": \"arn:aws:s3:::bucket-{i}/*\",\n      \"Condition\": {{\"StringEquals\": {{\"aws:PrincipalTag/team\": \"t{i}\"}}, \"Bool\": {{\"aws:MultiFactorAuthPresent\": \"true\"}}}}\n    }}{}\n",
            if i + 1 < n { "," } else { "" }
        );
    }
    s.push_str("  ]\n}\n");
    s
}

fn bench(c: &mut Criterion) {
    let text = policy(1_000);
    let uri = lsp_types::Uri::from_str("file:///bench/policy.json").unwrap();
    let settings = Settings::default();
    let diagnostics = lint_document(&uri, "/bench/policy.json", &text, Encoding::Utf16, &settings);
    assert!(diagnostics.len() >= 100, "the duplicate Sids are reported: {}", diagnostics.len());

    let mut g = c.benchmark_group("lsp-did-change");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(30);
    g.bench_function("1000-statements/utf16", |b| {
        b.iter(|| black_box(lint_document(&uri, "/bench/policy.json", black_box(&text), Encoding::Utf16, &settings)));
    });
    g.bench_function("1000-statements/utf8", |b| {
        b.iter(|| black_box(lint_document(&uri, "/bench/policy.json", black_box(&text), Encoding::Utf8, &settings)));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
