//! Names the user typed into `verify` expectations and `simulate` requests, checked against the
//! embedded catalog with a "did you mean", as `check` does for policies (E024, E025). A request names
//! one action: wildcards are refused, as `aws iam simulate-custom-policy` refuses them.

use crate::rules::util::{closest, is_provider_key};

/// Why `action` cannot be asked about, or `None` when it is a known action.
pub fn action_problem(action: &str) -> Option<String> {
    let cat = crate::catalog::catalog();
    if action.contains(['*', '?']) {
        return Some(format!(
            "`{action}` is a pattern: a request names one action (list a service's actions with `iamlint data actions`)"
        ));
    }
    let Some((service, _)) = action.split_once(':').filter(|(s, n)| !s.is_empty() && !n.is_empty()) else {
        return Some(format!("`{action}` is not an action: write it as `service:Action`, e.g. `s3:GetObject`"));
    };
    if cat.action(action).is_some() {
        return None;
    }
    let what = if cat.service(service).is_some() {
        format!("`{action}` is not an action of `{}`", service.to_ascii_lowercase())
    } else {
        format!("`{service}` in `{action}` is not an AWS service prefix")
    };
    Some(match cat.suggest_action(action) {
        Some(s) => format!("{what}; did you mean `{s}`?"),
        None => format!("{what} (`iamlint data actions {}` lists them)", service.to_ascii_lowercase()),
    })
}

/// Why `key` is not a condition key, or `None` when the catalog knows it.
pub fn context_key_problem(key: &str) -> Option<String> {
    let cat = crate::catalog::catalog();
    let Some((prefix, name)) = key.split_once(':') else {
        return Some(format!("`{key}` is not a condition key: it has no `prefix:` part (e.g. `aws:SourceIp`)"));
    };
    if name.is_empty() || is_provider_key(key) || cat.condition_key(key).is_some() {
        return None;
    }
    let names: Vec<String> = if prefix.eq_ignore_ascii_case("aws") {
        cat.global_keys().iter().map(|g| g.name.clone()).collect()
    } else {
        cat.service(prefix).map(|s| s.condition_keys().iter().map(|k| k.name.to_owned()).collect()).unwrap_or_default()
    };
    let what = format!("`{key}` is not a known condition key");
    Some(match closest(key, names.iter().map(String::as_str)) {
        Some(s) => format!("{what}; did you mean `{s}`?"),
        None => what,
    })
}
