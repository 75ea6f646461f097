//! E025 unknown-condition-key. The docs are in rules/E025.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{closest, is_provider_key};
use crate::rules::{Check, Cx};

pub(crate) struct UnknownConditionKey;
impl Check for UnknownConditionKey {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        let cat = crate::catalog::catalog();
        for (_, entry) in cond.entries() {
            let key = entry.key.value.as_str();
            let Some((prefix, name)) = key.split_once(':') else {
                cx.report(entry.key.span, format!("`{key}` is not a condition key: it has no `prefix:` part"))
                    .help("condition keys look like `aws:SourceIp` or `s3:prefix`");
                continue;
            };
            if name.is_empty()
                || is_provider_key(key)
                || cat.condition_key(key).is_some()
                || crate::catalog::legacy::known_key(key)
            {
                continue;
            }
            let mut r = if prefix.eq_ignore_ascii_case("aws") {
                cx.report(entry.key.span, format!("`{key}` is not a global condition key"))
            } else if cat.service(prefix).is_some() {
                cx.report(
                    entry.key.span,
                    format!("`{key}` is not a condition key of `{}`", prefix.to_ascii_lowercase()),
                )
            } else {
                cx.report(entry.key.span, format!("`{prefix}` in `{key}` is not an AWS service prefix"))
            };
            let names: Vec<String> = if prefix.eq_ignore_ascii_case("aws") {
                cat.global_keys().iter().map(|g| g.name.clone()).collect()
            } else {
                cat.service(prefix)
                    .map(|s| s.condition_keys().iter().map(|k| k.name.to_owned()).collect())
                    .unwrap_or_default()
            };
            match closest(key, names.iter().map(String::as_str)) {
                Some(s) => r.help(format!("did you mean `{s}`?")),
                None => {
                    r.help("check the key in the AWS Service Authorization Reference or the global condition keys page")
                }
            };
        }
    }
}
