//! Fuzz the account-dump loader (`aws iam get-account-authorization-details`): the per-document lint,
//! the principal graph and path rendering for every principal.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let settings = iamlint::Settings { input_type: Some(iamlint::sources::InputType::Account), ..Default::default() };
    let findings = iamlint::lint_file("dump.json", data, &settings);
    let Ok(text) = std::str::from_utf8(data) else { return };
    for f in &findings {
        for span in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
            assert!(span.start <= span.end && span.end <= data.len());
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }
    if let Some(account) = iamlint::account::Account::from_source(text) {
        let analysis = iamlint::account::analyse(account);
        let arns: Vec<String> = analysis.account.principals.iter().map(|p| p.arn.clone()).collect();
        for arn in &arns {
            let _ = iamlint::account::paths_text(&analysis, arn);
        }
    }
});
