//! Property tests: the parser never panics, and every span slices the source to the reported text.

use iamlint::parse::{self, Node, Value};
use proptest::prelude::*;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        "\\PC{0,12}".prop_map(serde_json::Value::String),
        "[a-zA-Z:*?/${}\"\\\\ é😀-]{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[A-Za-z]{1,8}", inner), 0..6)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Check that each node's span, sliced out of `src` and read by `serde_json`, gives the node's value.
fn check_spans(src: &str, node: &Node) {
    let slice = &src[node.span.start..node.span.end];
    let via_serde: serde_json::Value = serde_json::from_str(slice).expect("span slices to valid JSON");
    match &node.value {
        Value::String(s) => assert_eq!(via_serde.as_str(), Some(s.as_str())),
        Value::Bool(b) => assert_eq!(via_serde.as_bool(), Some(*b)),
        Value::Null => assert!(via_serde.is_null()),
        Value::Number(n) => assert_eq!(slice, n),
        Value::Array(items) => {
            assert!(via_serde.is_array());
            for i in items {
                check_spans(src, i);
            }
        }
        Value::Object(members) => {
            assert!(via_serde.is_object());
            for m in members {
                let key: String = serde_json::from_str(&src[m.key_span.start..m.key_span.end]).unwrap();
                assert_eq!(key, m.key);
                check_spans(src, &m.value);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(text) = parse::decode(&bytes) {
            let p = parse::parse(text);
            for issue in &p.issues {
                prop_assert!(issue.span.start <= issue.span.end && issue.span.end <= text.len());
            }
        }
        let _ = iamlint::lint_bytes(&bytes, &iamlint::Settings::default());
    }

    #[test]
    fn never_panics_on_json_like_text(s in "[\\[\\]{}\",:0-9a-z\\\\ \\n/*-]{0,200}") {
        let _ = iamlint::lint(&s, &iamlint::Settings::default());
    }

    #[test]
    fn valid_json_parses_and_spans_slice_to_values(v in json_value(), pretty in any::<bool>()) {
        let src = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() };
        let p = parse::parse(&src);
        prop_assert!(p.issues.iter().all(|i| i.kind == parse::IssueKind::DuplicateKey), "{:?}", p.issues);
        let root = p.root.expect("valid JSON parses");
        check_spans(&src, &root);
    }

    #[test]
    fn mutated_json_never_panics_and_spans_stay_in_bounds(v in json_value(), cut in any::<prop::sample::Index>(), insert in "[,}\\]\\[\"/]") {
        let mut src = serde_json::to_string_pretty(&v).unwrap();
        let mut at = cut.index(src.len() + 1);
        while !src.is_char_boundary(at) { at -= 1; }
        src.insert_str(at, &insert);
        let p = parse::parse(&src);
        for issue in &p.issues {
            prop_assert!(issue.span.end <= src.len());
            prop_assert!(src.is_char_boundary(issue.span.start) && src.is_char_boundary(issue.span.end));
        }
        if let Some(root) = &p.root
            && p.issues.is_empty()
        {
            check_spans(&src, root);
        }
        let _ = iamlint::lint(&src, &iamlint::Settings::default());
    }
}
