//! Embeds the first pass and fail fixture of every rule, so `iamlint rule CODE` shows real examples
//! (`examples.rs`), writes one fixture test per rule for the integration tests (`fixture_tests.rs`,
//! included by tests/it/rules.rs), and declares the module of every rule file
//! (`rules_<category>.rs`, included by src/rules/<category>/mod.rs), so adding a rule touches its
//! TOML, its Rust file, one registry line and its fixtures.
//!
//! It also compiles the catalog (`catalog_compiled`): `data/actions.json` becomes a word table and a
//! string table that `src/catalog` reads in place, and both JSON files get a generated index, so a
//! run decodes no JSON for the actions and scans neither file.
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// Rule folders are named by code, `<capital letter><3 digits>`; fixtures/ also holds other corpora.
fn is_code(name: &str) -> bool {
    name.len() == 4 && name.as_bytes()[0].is_ascii_uppercase() && name[1..].bytes().all(|b| b.is_ascii_digit())
}

/// `#[path = ..] pub(crate) mod <stem>;` for each file of `src/rules/<category>/` that implements
/// `Check` (helper files stay declared by hand in the category's `mod.rs`).
fn rule_modules(out_dir: &Path) {
    println!("cargo:rerun-if-changed=src/rules");
    let rules = Path::new("src/rules");
    let mut categories: Vec<_> =
        std::fs::read_dir(rules).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    categories.retain(|p| p.is_dir());
    categories.sort();
    for dir in categories {
        println!("cargo:rerun-if-changed={}", dir.display());
        let category = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> =
            std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("mod.rs"));
        files.sort();
        let mut out = String::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            if !text.contains("impl Check for ") {
                continue;
            }
            let stem = file.file_stem().unwrap().to_string_lossy();
            let abs = std::fs::canonicalize(&file).expect("rule file path");
            let _ = writeln!(out, "#[path = {:?}]\npub(crate) mod {stem};", abs.display().to_string());
        }
        std::fs::write(out_dir.join(format!("rules_{category}.rs")), out).unwrap();
    }
}

/// Strings of the compiled catalog, each stored once in one text; referenced as (offset, length).
#[derive(Default)]
struct Strings {
    text: String,
    seen: HashMap<String, (u32, u32)>,
}

impl Strings {
    fn add(&mut self, s: &str) -> (u32, u32) {
        if let Some(&r) = self.seen.get(s) {
            return r;
        }
        let r = (self.text.len() as u32, s.len() as u32);
        self.text.push_str(s);
        self.seen.insert(s.to_owned(), r);
        r
    }
}

/// The word table of the compiled catalog (read by `src/catalog/compiled.rs`, which documents the layout).
#[expect(clippy::struct_field_names, reason = "`words` is the table itself; the rest serve to write it")]
struct Words<'a> {
    words: Vec<u32>,
    strings: &'a mut Strings,
    /// The condition-key types as the data writes them, in order of first use: a key's type is a
    /// position here (`KEY_TYPE_NAMES`), so reading a service parses no type name.
    key_types: Vec<String>,
}

impl Words<'_> {
    fn str(&mut self, s: &str) {
        let (off, len) = self.strings.add(s);
        self.words.extend([off, len]);
    }

    fn field(&mut self, v: &serde_json::Value, key: &str) {
        let s = v.get(key).and_then(serde_json::Value::as_str).unwrap_or_else(|| panic!("missing string `{key}`: {v}"));
        self.str(s);
    }

    /// The condition-key type `v[key]`, as its position in `key_types`.
    fn key_type(&mut self, v: &serde_json::Value, key: &str) {
        let s = v.get(key).and_then(serde_json::Value::as_str).unwrap_or_else(|| panic!("missing string `{key}`: {v}"));
        let code = self.key_types.iter().position(|t| t == s).unwrap_or_else(|| {
            self.key_types.push(s.to_owned());
            self.key_types.len() - 1
        });
        self.words.push(code as u32);
    }

    fn list(&mut self, v: &serde_json::Value, key: &str) {
        let items = v.get(key).and_then(serde_json::Value::as_array).map_or(&[][..], Vec::as_slice);
        self.words.push(items.len() as u32);
        for item in items {
            self.str(item.as_str().unwrap_or_else(|| panic!("`{key}` holds a non-string: {item}")));
        }
    }

    /// Positions of `names` sorted case-insensitively; of names equal up to case, the last one only
    /// (what collecting into a map keyed by the lowercase name keeps).
    fn order(&mut self, names: &[String]) {
        let order = lookup_order(names);
        self.words.push(order.len() as u32);
        self.words.extend(order.iter().map(|&i| i as u32));
    }
}

fn lookup_order(names: &[String]) -> Vec<usize> {
    let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, n) in lower.iter().enumerate() {
        last.insert(n, i);
    }
    let mut order: Vec<usize> = last.into_values().collect();
    order.sort_by(|&a, &b| lower[a].cmp(&lower[b]));
    order
}

/// `"key":{...}` members, one per line, as (key, start, end) byte ranges of the value.
fn line_members(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let body = line.trim_end_matches('\n').trim_end_matches('\r');
        let body = body.strip_suffix(',').unwrap_or(body);
        let Some(rest) = body.strip_prefix('"') else { continue };
        let Some(end) = rest.find("\":") else { continue };
        let value_start = start + 1 + end + 2;
        out.push((rest[..end].to_owned(), value_start, start + body.len()));
    }
    out
}

fn names_of(items: &[serde_json::Value]) -> Vec<String> {
    items.iter().map(|i| i.get("name").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()).collect()
}

/// One service record: see `src/catalog/compiled.rs` for the layout.
fn service_record(w: &mut Words<'_>, service: &serde_json::Value) {
    let empty = Vec::new();
    let arr = |v: &serde_json::Value, key: &str| -> Vec<serde_json::Value> {
        v.get(key).and_then(serde_json::Value::as_array).unwrap_or(&empty).clone()
    };
    let actions = arr(service, "actions");
    let resources = arr(service, "resourceTypes");
    let keys = arr(service, "conditionKeys");
    let resource_names = names_of(&resources);
    let resource_last: HashMap<String, usize> =
        resource_names.iter().enumerate().map(|(i, n)| (n.to_ascii_lowercase(), i)).collect();
    w.field(service, "prefix");
    w.field(service, "name");
    w.words.push(actions.len() as u32);
    for a in &actions {
        w.field(a, "name");
        w.field(a, "access");
        let rows = arr(a, "resourceTypes");
        w.words.push(rows.len() as u32);
        for row in &rows {
            w.field(row, "name");
            w.words.push(u32::from(row.get("required").and_then(serde_json::Value::as_bool).expect("`required`")));
            w.list(row, "conditionKeys");
            w.list(row, "dependentActions");
            let name = row.get("name").and_then(serde_json::Value::as_str).unwrap_or_default();
            w.words.push(resource_last.get(&name.to_ascii_lowercase()).map_or(u32::MAX, |&i| i as u32));
        }
        w.list(a, "conditionKeys");
        w.list(a, "dependentActions");
    }
    w.words.push(resources.len() as u32);
    for r in &resources {
        w.field(r, "name");
        w.list(r, "arns");
        w.list(r, "conditionKeys");
    }
    w.words.push(keys.len() as u32);
    for k in &keys {
        w.field(k, "name");
        w.key_type(k, "type");
    }
    w.order(&names_of(&actions));
    w.order(&resource_names);
}

/// Check that every member object has only the fields the compiled layout keeps, so a new field in
/// the data fails the build instead of vanishing.
fn check_fields(v: &serde_json::Value, allowed: &[&str], what: &str) {
    if let Some(map) = v.as_object() {
        for k in map.keys() {
            assert!(allowed.contains(&k.as_str()), "data/actions.json: unknown {what} field `{k}`");
        }
    }
}

// `fold_hash`, shared with src/catalog/compiled.rs.
include!("src/catalog/fold_hash.rs");

/// Per action (in universe order), the place of its full name when all are sorted as `str`s.
fn sort_ranks(names: &str, ends: &[u32]) -> Vec<u16> {
    assert!(ends.len() <= usize::from(u16::MAX) + 1, "too many actions for a u16 rank");
    let name = |id: usize| &names[if id == 0 { 0 } else { ends[id - 1] as usize }..ends[id] as usize];
    let mut sorted: Vec<usize> = (0..ends.len()).collect();
    sorted.sort_by(|&a, &b| name(a).cmp(name(b)));
    let mut rank = vec![0u16; ends.len()];
    for (r, &id) in sorted.iter().enumerate() {
        rank[id] = r as u16;
    }
    rank
}

/// The action lookup table: 2^16 slots of little-endian `u16` action ids (`u16::MAX` = empty), open
/// addressing with linear probing from `fold_hash(name) >> 16`. Of names equal up to case the last
/// one keeps the slot, as in the other lookup orders.
fn action_table(names: &str, ends: &[u32]) -> Vec<u8> {
    const SLOTS: usize = 1 << 16;
    assert!(ends.len() < usize::from(u16::MAX) && ends.len() * 3 < SLOTS * 2, "action table too full");
    let name = |id: usize| &names[if id == 0 { 0 } else { ends[id - 1] as usize }..ends[id] as usize];
    let mut table = vec![u16::MAX; SLOTS];
    for id in 0..ends.len() {
        let mut i = (fold_hash(name(id)) >> 16) as usize;
        loop {
            let at = table[i];
            if at == u16::MAX || name(usize::from(at)).eq_ignore_ascii_case(name(id)) {
                table[i] = id as u16;
                break;
            }
            i = (i + 1) % SLOTS;
        }
    }
    table.iter().flat_map(|x| x.to_le_bytes()).collect()
}

// Filling and matching sample ARNs, shared with src/catalog/arn.rs.
include!("src/catalog/arn_fill.rs");
include!("src/catalog/arn_match.rs");

/// The account the compiled "can name" flags are decided in. Every account id gives the same flags
/// (`check_account_field` holds the data to what that needs); other accounts ask the catalog.
const SAMPLE_ACCOUNT: &str = "111122223333";
/// Where the account goes in a compiled sample template: no format holds it (`check_account_field`).
const ACCOUNT_MARK: &str = "\0";
/// The bit of an `ACTION_SAMPLES` entry that says the action can name the sample.
const NAMEABLE: u16 = 1 << 15;

/// The sample resources of every action, in universe order (read by `src/catalog/compiled.rs`): the
/// first ARN format of each of its resource types, filled with `SAMPLE_NAME` and `ACCOUNT_MARK`.
#[derive(Default)]
struct SampleTables {
    /// Each distinct template once.
    templates: Vec<String>,
    /// Per template, the byte offset of its `ACCOUNT_MARK` (`u8::MAX`: it has none).
    account_at: Vec<u8>,
    ids: HashMap<String, u16>,
    /// Per action, its templates' ids in order, with `NAMEABLE` set when the action can name the
    /// sample (in an account id).
    entries: Vec<u16>,
    /// Per action, where its entries end.
    ends: Vec<u32>,
    /// Each distinct ARN format once.
    formats: Vec<String>,
    format_ids: HashMap<String, u16>,
    /// Per action, the formats of all its resource types in order (what `ActionRef::can_name_arn`
    /// matches against), as positions in `formats`.
    action_formats: Vec<u16>,
    /// Per action, where its entries of `action_formats` end.
    format_ends: Vec<u32>,
}

impl SampleTables {
    /// The samples of every action of `service`, as the run time's `ActionRef::resource_types` sees
    /// its rows: a row names the last resource type of that name (up to case), and rows that name none
    /// are skipped; so are types without an ARN format.
    fn add_service(&mut self, service: &serde_json::Value) {
        let list = |v: &serde_json::Value, key: &str| -> Vec<serde_json::Value> {
            v.get(key).and_then(serde_json::Value::as_array).cloned().unwrap_or_default()
        };
        let types = list(service, "resourceTypes");
        let arns: Vec<Vec<String>> = types
            .iter()
            .map(|t| list(t, "arns").iter().map(|a| a.as_str().expect("ARN formats are strings").to_owned()).collect())
            .collect();
        for format in arns.iter().flatten() {
            check_account_field(format);
        }
        let last: HashMap<String, usize> =
            names_of(&types).iter().enumerate().map(|(i, n)| (n.to_ascii_lowercase(), i)).collect();
        for action in list(service, "actions") {
            let formats: Vec<&[String]> = list(&action, "resourceTypes")
                .iter()
                .filter_map(|row| {
                    let name = row.get("name").and_then(serde_json::Value::as_str).unwrap_or_default();
                    last.get(&name.to_ascii_lowercase()).map(|&i| arns[i].as_slice())
                })
                .collect();
            for format in formats.iter().copied().flatten() {
                let next = self.formats.len();
                let id = *self.format_ids.entry(format.clone()).or_insert_with(|| {
                    assert!(next < usize::from(u16::MAX), "too many ARN formats for the table");
                    next as u16
                });
                if id as usize == next {
                    self.formats.push(format.clone());
                }
                self.action_formats.push(id);
            }
            self.format_ends.push(self.action_formats.len() as u32);
            for first in formats.iter().filter_map(|f| f.first()) {
                // What `ActionRef::can_name_arn` answers for the sample: one of the action's formats
                // shares a string with it.
                let sample = policy_tokens(&fill_format(first, SAMPLE_ACCOUNT, SAMPLE_NAME));
                let nameable =
                    formats.iter().copied().flatten().any(|f| patterns_intersect(&format_tokens(f), &sample));
                let template = fill_format(first, ACCOUNT_MARK, SAMPLE_NAME);
                let next = self.templates.len();
                let id = *self.ids.entry(template.clone()).or_insert_with(|| {
                    assert!(next < usize::from(NAMEABLE), "too many sample templates for the table");
                    next as u16
                });
                if id as usize == next {
                    // Where the account goes, so the run time fills without searching.
                    let mut marks = template.match_indices(ACCOUNT_MARK).map(|(at, _)| at);
                    let at = marks.next().map_or(u8::MAX, |at| u8::try_from(at).unwrap_or(u8::MAX));
                    assert!(
                        marks.next().is_none() && (at < u8::MAX || !template.contains(ACCOUNT_MARK)),
                        "sample template `{template}`: the table allows one account within the first 254 bytes"
                    );
                    self.account_at.push(at);
                    self.templates.push(template);
                }
                self.entries.push(id | if nameable { NAMEABLE } else { 0 });
            }
            self.ends.push(self.entries.len() as u32);
        }
    }
}

/// Holds `data/actions.json` to what makes the compiled flags right for every account id: the account
/// placeholder stands only in the account field (the fifth), and no format spells a digit there.
///
/// Why that is enough: before its fifth `:` neither a sample nor a format has a wildcard that spans a
/// `:`, so a string both match splits field by field, and the account (all digits) meets only the
/// other format's account field. With no digit written there, the digits are taken by placeholders
/// whatever they are, so one account id answers for all.
fn check_account_field(format: &str) {
    let fields: Vec<&str> = format.splitn(6, ':').collect();
    assert!(!format.contains(ACCOUNT_MARK), "data/actions.json: ARN format `{format}` holds the account mark");
    for (i, field) in fields.iter().enumerate() {
        assert!(
            i == 4 || !field.contains("${Account}"),
            "data/actions.json: ARN format `{format}` has the account outside its account field; the compiled \
             sample flags (build.rs, `check_account_field`) do not allow for that"
        );
    }
    if let Some(account) = fields.get(4).filter(|_| fields.len() == 6) {
        assert!(
            !format_tokens(account).iter().any(|t| matches!(t, Tok::Lit(c) if c.is_ascii_digit())),
            "data/actions.json: ARN format `{format}` spells a digit in its account field; the compiled sample \
             flags (build.rs, `check_account_field`) do not allow for that"
        );
    }
}

/// Writes `texts` as one static text `name` and the static `ends_name` of where each ends: one text
/// and its ends rather than a slice of `&str`, since every pointer of a static slice is one more
/// relocation for the loader at every start.
fn text_table(index: &mut String, name: &str, doc: &str, ends_name: &str, texts: &[String]) {
    let mut ends = Vec::with_capacity(texts.len());
    let mut all = String::new();
    for t in texts {
        all.push_str(t);
        ends.push(all.len() as u32);
    }
    let _ = writeln!(index, "/// {doc}, one after the other.\npub(in crate::catalog) static {name}: &str = {all:?};");
    let _ = writeln!(
        index,
        "/// Where each entry of `{name}` ends.\npub(in crate::catalog) static {ends_name}: &[u32] = &{ends:?};"
    );
}

/// Writes `entries`, the entries of every action one action after the other, as the static `name`,
/// and `ends`, where each action's entries end, as the static `ends_name`.
fn per_action_table(index: &mut String, name: &str, doc: &str, ends_name: &str, entries: &[u16], ends: &[u32]) {
    let _ = writeln!(
        index,
        "/// Per action, where its entries of `{name}` end.\npub(in crate::catalog) static {ends_name}: &[u32] = &{ends:?};"
    );
    let _ = writeln!(index, "/// {doc}.\npub(in crate::catalog) static {name}: &[u16] = &{entries:?};");
}

fn catalog_compiled(out_dir: &Path) {
    println!("cargo:rerun-if-changed=data/actions.json");
    println!("cargo:rerun-if-changed=src/catalog/fold_hash.rs");
    println!("cargo:rerun-if-changed=src/catalog/arn_fill.rs");
    println!("cargo:rerun-if-changed=src/catalog/arn_match.rs");
    println!("cargo:rerun-if-changed=data/managed-policies.json");
    let actions = std::fs::read_to_string("data/actions.json").expect("data/actions.json");
    let policies = std::fs::read_to_string("data/managed-policies.json").expect("data/managed-policies.json");
    let mut strings = Strings::default();
    let mut w = Words { words: Vec::new(), strings: &mut strings, key_types: Vec::new() };
    let mut index = String::from(
        "/// (prefix, first word of the record), in data order.\npub(in crate::catalog) static SERVICES: &[(&str, u32)] = &[\n",
    );
    // The action universe (src/catalog/universe.rs): every action in data order, which is the order
    // of `Catalog::actions`, so an action's id is its service's first id plus its place in the service.
    let mut first_ids: Vec<u32> = Vec::new();
    let mut full_names = String::new();
    let mut name_ends: Vec<u32> = Vec::new();
    let mut access_names: Vec<String> = Vec::new();
    let mut access: Vec<u8> = Vec::new();
    let mut scopable: Vec<bool> = Vec::new();
    let mut samples = SampleTables::default();
    let services = line_members(&actions);
    for (key, start, end) in &services {
        let v: serde_json::Value = serde_json::from_str(&actions[*start..*end])
            .unwrap_or_else(|e| panic!("data/actions.json: service `{key}`: {e}"));
        check_fields(&v, &["prefix", "name", "actions", "resourceTypes", "conditionKeys"], "service");
        for a in v.get("actions").and_then(serde_json::Value::as_array).into_iter().flatten() {
            check_fields(a, &["name", "access", "resourceTypes", "conditionKeys", "dependentActions"], "action");
            for row in a.get("resourceTypes").and_then(serde_json::Value::as_array).into_iter().flatten() {
                check_fields(row, &["name", "required", "conditionKeys", "dependentActions"], "action resource");
            }
        }
        for r in v.get("resourceTypes").and_then(serde_json::Value::as_array).into_iter().flatten() {
            check_fields(r, &["name", "arns", "conditionKeys"], "resource type");
        }
        for k in v.get("conditionKeys").and_then(serde_json::Value::as_array).into_iter().flatten() {
            check_fields(k, &["name", "type"], "condition key");
        }
        let _ = writeln!(index, "    ({key:?}, {}),", w.words.len());
        service_record(&mut w, &v);
        samples.add_service(&v);
        first_ids.push(name_ends.len() as u32);
        let prefix = v.get("prefix").and_then(serde_json::Value::as_str).expect("service `prefix`");
        for a in v.get("actions").and_then(serde_json::Value::as_array).into_iter().flatten() {
            let name = a.get("name").and_then(serde_json::Value::as_str).expect("action `name`");
            let level = a.get("access").and_then(serde_json::Value::as_str).expect("action `access`");
            full_names.push_str(prefix);
            full_names.push(':');
            full_names.push_str(name);
            name_ends.push(full_names.len() as u32);
            let code = access_names.iter().position(|l| l == level).unwrap_or_else(|| {
                access_names.push(level.to_string());
                access_names.len() - 1
            });
            access.push(code as u8);
            let rows = a.get("resourceTypes").and_then(serde_json::Value::as_array).map_or(0, Vec::len);
            scopable.push(rows > 0);
        }
    }
    first_ids.push(name_ends.len() as u32);
    index.push_str("];\n");
    let _ = writeln!(
        index,
        "/// Per service in data order, the universe id of its first action; one more entry for the end.\npub(in crate::catalog) static SERVICE_FIRST_ID: &[u32] = &{first_ids:?};"
    );
    let _ = writeln!(
        index,
        "/// Every action's full name (`s3:GetObject`), in universe order, one after the other.\npub(in crate::catalog) static ACTION_NAMES: &str = {full_names:?};"
    );
    let _ = writeln!(
        index,
        "/// Where each name of `ACTION_NAMES` ends.\npub(in crate::catalog) static ACTION_NAME_ENDS: &[u32] = &{name_ends:?};"
    );
    let _ = writeln!(
        index,
        "/// The access levels as the data writes them, for `ACTION_ACCESS`.\npub(in crate::catalog) static ACCESS_NAMES: &[&str] = &{access_names:?};"
    );
    let _ = writeln!(
        index,
        "/// Per action, its access level (a position in `ACCESS_NAMES`).\npub(in crate::catalog) static ACTION_ACCESS: &[u8] = &{access:?};"
    );
    // The universe's sets as bit words (bit `id % 64` of word `id / 64`), so building it copies words
    // instead of walking every action once per set.
    let words = name_ends.len().div_ceil(64);
    let mut level_words = vec![0u64; access_names.len() * words];
    let mut scopable_words = vec![0u64; words];
    for (id, (&code, &typed)) in access.iter().zip(&scopable).enumerate() {
        level_words[usize::from(code) * words + id / 64] |= 1 << (id % 64);
        scopable_words[id / 64] |= u64::from(typed) << (id % 64);
    }
    let _ = writeln!(
        index,
        "/// Per access level of `ACCESS_NAMES`, its actions as a bit set of {words} words, one level after the other.\npub(in crate::catalog) static ACCESS_SETS: &[u64] = &{level_words:?};"
    );
    let _ = writeln!(
        index,
        "/// The actions that have a resource type, as a bit set.\npub(in crate::catalog) static SCOPABLE_SET: &[u64] = &{scopable_words:?};"
    );
    text_table(
        &mut index,
        "SAMPLE_TEMPLATES",
        "The distinct sample templates (a filled ARN format with `\\0` where the account goes)",
        "SAMPLE_TEMPLATE_ENDS",
        &samples.templates,
    );
    let _ = writeln!(
        index,
        "/// Per template, the byte offset of its `\\0` (255: it has none).\npub(in crate::catalog) static SAMPLE_ACCOUNT_AT: &[u8] = &{:?};",
        samples.account_at
    );
    per_action_table(
        &mut index,
        "ACTION_SAMPLES",
        &format!(
            "The samples of every action: a position in `SAMPLE_TEMPLATES`, with the top bit ({NAMEABLE}) set when the action can name it"
        ),
        "ACTION_SAMPLE_ENDS",
        &samples.entries,
        &samples.ends,
    );
    text_table(
        &mut index,
        "ARN_FORMATS",
        "The distinct ARN formats of resource types",
        "ARN_FORMAT_ENDS",
        &samples.formats,
    );
    per_action_table(
        &mut index,
        "ACTION_FORMATS",
        "The ARN formats of every action's resource types (positions in `ARN_FORMATS`), action after action",
        "ACTION_FORMAT_ENDS",
        &samples.action_formats,
        &samples.format_ends,
    );
    let _ = writeln!(
        index,
        "/// Per action, the place of its full name among all of them in `str` order.\npub(in crate::catalog) static ACTION_SORT_RANK: &[u16] = &{:?};",
        sort_ranks(&full_names, &name_ends)
    );
    let _ = writeln!(
        index,
        "/// The condition-key types as the data writes them; a key's type in a service record is a position here.\npub(in crate::catalog) static KEY_TYPE_NAMES: &[&str] = &{:?};",
        w.key_types
    );
    let service_keys: Vec<String> = services.iter().map(|(k, _, _)| k.clone()).collect();
    let _ = writeln!(
        index,
        "/// Positions in `SERVICES` sorted by lowercase prefix (last of equal ones).\npub(in crate::catalog) static SERVICE_ORDER: &[u16] = &{:?};",
        lookup_order(&service_keys)
    );
    let members = line_members(&policies);
    index.push_str("/// (name, value start, value end) in `data/managed-policies.json`, in data order.\npub(in crate::catalog) static POLICIES: &[(&str, u32, u32)] = &[\n");
    for (key, start, end) in &members {
        let _ = writeln!(index, "    ({key:?}, {start}, {end}),");
    }
    index.push_str("];\n");
    let policy_keys: Vec<String> = members.iter().map(|(k, _, _)| k.clone()).collect();
    let mut exact: Vec<usize> = (0..policy_keys.len()).collect();
    exact.sort_by(|&a, &b| policy_keys[a].cmp(&policy_keys[b]).then(b.cmp(&a)));
    exact.dedup_by(|a, b| policy_keys[*a] == policy_keys[*b]);
    let _ = writeln!(
        index,
        "/// Positions in `POLICIES` sorted by name (last of equal ones).\npub(in crate::catalog) static POLICY_ORDER: &[u16] = &{exact:?};"
    );
    let _ = writeln!(
        index,
        "/// Positions in `POLICIES` sorted by lowercase name (last of equal ones).\npub(in crate::catalog) static POLICY_ORDER_CI: &[u16] = &{:?};",
        lookup_order(&policy_keys)
    );
    assert!(services.len() < usize::from(u16::MAX) && members.len() < usize::from(u16::MAX));
    let bytes: Vec<u8> = w.words.iter().flat_map(|x| x.to_le_bytes()).collect();
    std::fs::write(out_dir.join("catalog.words"), bytes).unwrap();
    std::fs::write(out_dir.join("catalog.strings"), &strings.text).unwrap();
    std::fs::write(out_dir.join("catalog.action_table"), action_table(&full_names, &name_ends)).unwrap();
    std::fs::write(out_dir.join("catalog_index.rs"), index).unwrap();
}

/// Every `rules/<CODE>.toml` as a `CompiledMeta` literal (`rule_metas.rs`, read by src/rules/meta.rs),
/// so no TOML is parsed at run time. Sorted by code.
fn rule_metas(out_dir: &Path) {
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> =
        std::fs::read_dir("rules").map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut out = String::from("&[\n");
    for file in files {
        let code = file.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{code}.toml: {e}"));
        let allowed = ["code", "name", "category", "severity", "summary", "fix", "why", "instead", "references"];
        for key in table.keys() {
            assert!(allowed.contains(&key.as_str()), "rules/{code}.toml: unknown field `{key}`");
        }
        let text_of = |key: &str| -> Option<String> {
            table
                .get(key)
                .map(|v| v.as_str().unwrap_or_else(|| panic!("rules/{code}.toml: `{key}` is not a string")).to_owned())
        };
        let required = |key: &str| text_of(key).unwrap_or_else(|| panic!("rules/{code}.toml: missing `{key}`"));
        let references: Vec<String> = table
            .get("references")
            .map(|v| v.as_array().unwrap_or_else(|| panic!("rules/{code}.toml: `references` is not a list")))
            .into_iter()
            .flatten()
            .map(|r| r.as_str().unwrap_or_else(|| panic!("rules/{code}.toml: a reference is not a string")).to_owned())
            .collect();
        let _ = writeln!(
            out,
            "    CompiledMeta {{ file: {code:?}, code: {:?}, name: {:?}, category: {:?}, severity: {:?}, summary: {:?}, fix: {:?}, why: {:?}, instead: {:?}, references: &{references:?} }},",
            required("code"),
            required("name"),
            required("category"),
            required("severity"),
            required("summary"),
            text_of("fix"),
            required("why"),
            required("instead"),
        );
    }
    out.push_str("]\n");
    std::fs::write(out_dir.join("rule_metas.rs"), out).unwrap();
}

/// A TOML data file as JSON in `OUT_DIR` (`data/global-condition-keys.toml`,
/// `rules/privesc/methods.toml`): the code reads it with the same `Deserialize` types, and JSON reads
/// about ten times faster than TOML at start-up.
fn toml_as_json(out_dir: &Path, source: &str, out: &str) {
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
    let json = serde_json::to_string(&table).expect("TOML values convert to JSON");
    std::fs::write(out_dir.join(out), json).unwrap();
}

fn main() {
    println!("cargo:rerun-if-changed=fixtures");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    toml_as_json(Path::new(&out_dir), "data/global-condition-keys.toml", "global-condition-keys.json");
    toml_as_json(Path::new(&out_dir), "rules/privesc/methods.toml", "privesc-methods.json");
    rule_metas(Path::new(&std::env::var("OUT_DIR").unwrap()));
    rule_modules(Path::new(&std::env::var("OUT_DIR").unwrap()));
    catalog_compiled(Path::new(&std::env::var("OUT_DIR").unwrap()));
    let root = Path::new("fixtures");
    let mut out = String::from("&[\n");
    // `#[test] fn s101() { fixture_cases("S101"); }` for each rule folder, and the list of their codes.
    let mut tests = String::new();
    let mut test_codes = Vec::new();
    let mut codes: Vec<_> =
        std::fs::read_dir(root).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    codes.sort();
    for code_dir in codes {
        let Some(code) = code_dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if is_code(&code) {
            let _ = writeln!(tests, "#[test]\nfn {}() {{\n    fixture_cases({code:?});\n}}\n", code.to_lowercase());
            test_codes.push(code.clone());
        }
        for kind in ["fail", "pass"] {
            let dir = code_dir.join(kind);
            let mut files: Vec<_> =
                std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|e| e == "json"));
            files.sort();
            if let Some(first) = files.first() {
                let abs = std::fs::canonicalize(first).expect("fixture path");
                let name = first.file_name().unwrap().to_string_lossy();
                let _ =
                    writeln!(out, "    ({code:?}, {kind:?}, {name:?}, include_str!({:?})),", abs.display().to_string());
            }
        }
    }
    out.push_str("]\n");
    let _ = writeln!(tests, "const FIXTURE_CODES: &[&str] = &{test_codes:?};");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("examples.rs"), out).unwrap();
    std::fs::write(Path::new(&out_dir).join("fixture_tests.rs"), tests).unwrap();
}
