//! Every input a fuzzer crashed on stays here as a regression: `fuzz/regressions/<target>-*.bin` is
//! replayed through the same checks its fuzz target makes (see `fuzz/fuzz_targets/`).

use std::path::Path;

/// The `sources` target: the first byte picks the file name, hence the front end.
const SOURCE_NAMES: &[&str] = &["template.yaml", "main.tf", "template.json", "plan.json", "dump.json", "<stdin>"];

fn check_spans(name: &str, input: &[u8], findings: &[iamlint::Finding]) {
    let text = std::str::from_utf8(input).ok();
    for f in findings {
        for span in std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span)) {
            assert!(span.start <= span.end && span.end <= input.len(), "{name}: {} {span:?} out of bounds", f.code());
            if let Some(t) = text {
                assert!(
                    t.is_char_boundary(span.start) && t.is_char_boundary(span.end),
                    "{name}: {} {span:?} is not on a character boundary",
                    f.code()
                );
            }
        }
    }
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let settings = iamlint::Settings::default();
        if file.starts_with("sources-") {
            let Some((&pick, rest)) = bytes.split_first() else { continue };
            let name = SOURCE_NAMES[usize::from(pick) % SOURCE_NAMES.len()];
            check_spans(&file, rest, &iamlint::lint_file(name, rest, &settings));
        } else {
            let name = if file.starts_with("yaml-") {
                "template.yaml"
            } else if file.starts_with("hcl-") {
                "main.tf"
            } else {
                "policy.json"
            };
            check_spans(&file, &bytes, &iamlint::lint_file(name, &bytes, &settings));
        }
        seen += 1;
    }
    assert!(seen > 0, "no regression inputs under {}", dir.display());
}
