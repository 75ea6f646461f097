//! The catalog's data types: services, actions, resource types, condition keys, managed
//! policies. Decoding from `data/*.json` happens here; lookup logic lives in `mod.rs`.

use foldhash::{HashMap, HashMapExt};
use std::fmt;

use serde::Deserialize;

use super::compiled::{Reader, SERVICE_FIRST_ID, Strs, access_level, find_ignore_case, key_type};
use crate::semantics::wildcard::matches as wildcard_match;

/// The access level the service reference gives an action.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum AccessLevel {
    /// Lists resources (`s3:ListAllMyBuckets`).
    List,
    /// Reads data or metadata (`s3:GetObject`).
    Read,
    /// Creates, changes or deletes (`s3:PutObject`).
    Write,
    /// Changes who may do what (`iam:PutRolePolicy`, `s3:PutBucketPolicy`).
    PermissionsManagement,
    /// Changes only tags (`s3:PutObjectTagging`).
    Tagging,
}

impl AccessLevel {
    /// All levels, in the order the AWS docs list them.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// The identifier used in `data/actions.json` and in CLI output (`PermissionsManagement`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "PermissionsManagement",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// Parse [`AccessLevel::as_str`] output, case-insensitively.
    pub fn parse(s: &str) -> Option<AccessLevel> {
        AccessLevel::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AccessLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AccessLevel::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown access level `{s}`")))
    }
}

/// The data type of a condition key, named as in the service reference.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum KeyType {
    /// `String`
    String,
    /// `ARN`
    Arn,
    /// `Bool`
    Bool,
    /// `Date`
    Date,
    /// `Numeric`
    Numeric,
    /// `IPAddress`
    IpAddress,
    /// `Binary`
    Binary,
    /// `ArrayOfString` (multivalued)
    ArrayOfString,
    /// `ArrayOfARN` (multivalued)
    ArrayOfArn,
    /// `ArrayOfBool` (multivalued)
    ArrayOfBool,
    /// `ArrayOfDate` (multivalued)
    ArrayOfDate,
    /// `ArrayOfNumeric` (multivalued)
    ArrayOfNumeric,
    /// `ArrayOfIPAddress` (multivalued)
    ArrayOfIpAddress,
    /// `ArrayOfBinary` (multivalued)
    ArrayOfBinary,
}

impl KeyType {
    const NAMES: [(KeyType, &'static str); 14] = [
        (KeyType::String, "String"),
        (KeyType::Arn, "ARN"),
        (KeyType::Bool, "Bool"),
        (KeyType::Date, "Date"),
        (KeyType::Numeric, "Numeric"),
        (KeyType::IpAddress, "IPAddress"),
        (KeyType::Binary, "Binary"),
        (KeyType::ArrayOfString, "ArrayOfString"),
        (KeyType::ArrayOfArn, "ArrayOfARN"),
        (KeyType::ArrayOfBool, "ArrayOfBool"),
        (KeyType::ArrayOfDate, "ArrayOfDate"),
        (KeyType::ArrayOfNumeric, "ArrayOfNumeric"),
        (KeyType::ArrayOfIpAddress, "ArrayOfIPAddress"),
        (KeyType::ArrayOfBinary, "ArrayOfBinary"),
    ];

    /// The service reference's spelling (`ArrayOfARN`, `IPAddress`, ...).
    pub fn as_str(self) -> &'static str {
        KeyType::NAMES.iter().find(|(t, _)| *t == self).map_or("String", |(_, n)| n)
    }

    /// Parse the service reference's spelling, case-insensitively.
    pub fn parse(s: &str) -> Option<KeyType> {
        KeyType::NAMES.iter().find(|(_, n)| n.eq_ignore_ascii_case(s)).map(|(t, _)| *t)
    }

    /// Whether the key holds a set of values (an `ArrayOf*` type), so conditions on it need
    /// `ForAllValues:`/`ForAnyValue:`.
    pub fn is_multivalued(self) -> bool {
        self != self.element()
    }

    /// The type of one value: `ArrayOfString` → `String`; scalar types map to themselves.
    #[must_use]
    pub fn element(self) -> KeyType {
        match self {
            KeyType::ArrayOfString => KeyType::String,
            KeyType::ArrayOfArn => KeyType::Arn,
            KeyType::ArrayOfBool => KeyType::Bool,
            KeyType::ArrayOfDate => KeyType::Date,
            KeyType::ArrayOfNumeric => KeyType::Numeric,
            KeyType::ArrayOfIpAddress => KeyType::IpAddress,
            KeyType::ArrayOfBinary => KeyType::Binary,
            scalar => scalar,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for KeyType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        KeyType::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown condition key type `{s}`")))
    }
}

/// A resource type an action can act on, as listed for that action.
#[derive(Clone, Debug)]
pub struct ActionResource {
    /// Resource type name, e.g. `object`; look it up with [`Service::resource_type`].
    pub name: &'static str,
    /// Whether the action always needs this resource type (`*` in the AWS docs tables).
    pub required: bool,
    /// Condition keys listed on this row of the action table.
    pub condition_keys: Strs,
    /// Other actions needed when this resource type is involved.
    pub dependent_actions: Strs,
    /// Index of the resource type in its service, resolved when the catalog is compiled.
    pub(crate) index: Option<usize>,
}

/// One action of a service.
#[derive(Clone, Debug)]
pub struct Action {
    /// Canonical action name without the prefix, e.g. `GetObject`.
    pub name: &'static str,
    /// Access level.
    pub access: AccessLevel,
    /// Resource types, in the reference's order (required ones first).
    pub resource_types: Vec<ActionResource>,
    /// Condition keys the action supports, besides those of its resource types.
    pub condition_keys: Strs,
    /// Other actions the call also needs.
    pub dependent_actions: Strs,
}

/// A resource type of a service.
#[derive(Clone, Debug)]
pub struct ResourceType {
    /// Name, e.g. `object`.
    pub name: &'static str,
    /// ARN formats with `${...}` placeholders, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub arns: Strs,
    /// `arns` tokenised, on first use.
    pub(crate) patterns: std::sync::OnceLock<Vec<super::arn::ArnPattern>>,
    /// Condition keys that apply to resources of this type.
    pub condition_keys: Strs,
}

/// A condition key a service defines.
#[derive(Clone, Debug)]
pub struct KeyDef {
    /// Canonical name; may be templated, e.g. `s3:ExistingObjectTag/<key>`.
    pub name: &'static str,
    /// Data type.
    pub key_type: KeyType,
}

/// A service of the service authorization reference, with case-insensitive indexes.
#[derive(Debug)]
pub struct Service {
    /// Position in the compiled catalog's services (data order).
    index: usize,
    prefix: &'static str,
    name: &'static str,
    actions: Vec<Action>,
    resource_types: Vec<ResourceType>,
    condition_keys: Vec<KeyDef>,
    /// Positions of `actions` sorted by lowercase name, for binary search.
    action_order: Vec<u32>,
    /// Positions of `resource_types` sorted by lowercase name.
    resource_order: Vec<u32>,
    /// The condition-key lookup, built on the first key lookup (most services read for one file
    /// never get one).
    key_lookup: std::sync::OnceLock<KeyLookup>,
}

/// A service's condition keys by lowercase name, and the templated ones as globs.
#[derive(Debug)]
struct KeyLookup {
    index: HashMap<String, usize>,
    /// Keys whose names hold placeholders, as (glob pattern, index into `condition_keys`).
    templated: Vec<(String, usize)>,
}

impl KeyLookup {
    fn new(keys: &[KeyDef]) -> KeyLookup {
        let mut index = HashMap::new();
        let mut templated = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            match template_glob(k.name) {
                Some(glob) => templated.push((glob, i)),
                None => {
                    index.insert(k.name.to_ascii_lowercase(), i);
                }
            }
        }
        KeyLookup { index, templated }
    }
}

impl Service {
    /// Read one service record of the compiled catalog (layout in `compiled.rs`).
    pub(super) fn read(index: usize, r: &mut Reader) -> Service {
        let prefix = r.str();
        let name = r.str();
        // The access level of each action is compiled by universe id too: a table read, not a parse.
        let first_id = SERVICE_FIRST_ID[index] as usize;
        let actions = (0..r.count())
            .map(|i| {
                let name = r.str();
                let _as_written = r.str();
                let access = access_level(first_id + i);
                let resource_types = (0..r.count())
                    .map(|_| ActionResource {
                        name: r.str(),
                        required: r.word() != 0,
                        condition_keys: r.list(),
                        dependent_actions: r.list(),
                        index: Some(r.word()).filter(|&i| i != u32::MAX).map(|i| i as usize),
                    })
                    .collect();
                Action { name, access, resource_types, condition_keys: r.list(), dependent_actions: r.list() }
            })
            .collect();
        let resource_types = (0..r.count())
            .map(|_| ResourceType {
                name: r.str(),
                arns: r.list(),
                patterns: std::sync::OnceLock::new(),
                condition_keys: r.list(),
            })
            .collect();
        let condition_keys: Vec<KeyDef> = (0..r.count())
            .map(|_| {
                let name = r.str();
                KeyDef { name, key_type: key_type(r.word()) }
            })
            .collect();
        let action_order = r.order();
        let resource_order = r.order();
        Service {
            index,
            prefix,
            name,
            actions,
            resource_types,
            condition_keys,
            action_order,
            resource_order,
            key_lookup: std::sync::OnceLock::new(),
        }
    }

    /// Position in the compiled catalog's services (data order).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Service prefix, e.g. `s3`.
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// Human name, e.g. `Amazon S3`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// All actions, sorted case-insensitively by name.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// An action by name (without prefix), case-insensitively.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.action_index(name).map(|i| &self.actions[i])
    }

    /// The index in [`Service::actions`] of the action `name` (without prefix), case-insensitively.
    pub fn action_index(&self, name: &str) -> Option<usize> {
        find_ignore_case(&self.action_order, name, |i| self.actions[i].name)
    }

    /// All resource types, sorted by name.
    pub fn resource_types(&self) -> &[ResourceType] {
        &self.resource_types
    }

    /// A resource type by name, case-insensitively.
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        find_ignore_case(&self.resource_order, name, |i| self.resource_types[i].name).map(|i| &self.resource_types[i])
    }

    /// All condition keys the service defines (including `aws:` keys it lists).
    pub fn condition_keys(&self) -> &[KeyDef] {
        &self.condition_keys
    }

    /// The key definition for `name`: an exact (case-insensitive) match first, then a
    /// templated one (`s3:ExistingObjectTag/team` → `s3:ExistingObjectTag/<key>`).
    pub fn condition_key(&self, name: &str) -> Option<&KeyDef> {
        let lookup = self.key_lookup.get_or_init(|| KeyLookup::new(&self.condition_keys));
        if let Some(&i) = lookup.index.get(&name.to_ascii_lowercase()) {
            return Some(&self.condition_keys[i]);
        }
        lookup
            .templated
            .iter()
            .find(|(glob, _)| wildcard_match(glob, name, true))
            .map(|&(_, i)| &self.condition_keys[i])
    }
}

/// If `name` holds `${...}` or `<...>` placeholders, a glob where each placeholder is `?*`
/// (one or more characters). Literal `*`/`?` do not occur in key names.
pub(crate) fn template_glob(name: &str) -> Option<String> {
    if !name.contains("${") && !name.contains('<') {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let close = match c {
            '$' if rest[1..].starts_with('{') => Some('}'),
            '<' => Some('>'),
            _ => None,
        };
        if let Some(close) = close
            && let Some(end) = rest.find(close)
        {
            out.push_str("?*");
            rest = &rest[end + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

/// An AWS managed policy.
#[derive(Clone, Debug)]
pub struct ManagedPolicy {
    pub(crate) name: &'static str,
    pub(crate) path: String,
    pub(crate) version_id: String,
    pub(crate) updated: String,
    pub(crate) document: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawPolicy {
    path: String,
    version_id: String,
    updated: String,
    document: serde_json::Value,
}

impl ManagedPolicy {
    /// Decode one policy line of `data/managed-policies.json`.
    pub(crate) fn decode(name: &'static str, json: &str) -> Result<Self, serde_json::Error> {
        let raw: RawPolicy = serde_json::from_str(json)?;
        Ok(ManagedPolicy {
            name,
            path: raw.path,
            version_id: raw.version_id,
            updated: raw.updated,
            // serde_json's map is ordered by key, so this is the stored minified text.
            document: raw.document.to_string(),
        })
    }

    /// Policy name, e.g. `PowerUserAccess`.
    pub fn name(&self) -> &str {
        self.name
    }

    /// Path with leading and trailing `/`, e.g. `/service-role/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// ARN in the `aws` partition, e.g. `arn:aws:iam::aws:policy/service-role/X`.
    pub fn arn(&self) -> String {
        self.arn_in("aws")
    }

    /// ARN in another partition (`aws-cn`, `aws-us-gov`, ...).
    pub fn arn_in(&self, partition: &str) -> String {
        format!("arn:{partition}:iam::aws:policy{}{}", self.path, self.name)
    }

    /// Default version id, e.g. `v5`.
    pub fn version_id(&self) -> &str {
        &self.version_id
    }

    /// When AWS last updated the policy (ISO 8601, from the snapshot).
    pub fn updated(&self) -> &str {
        &self.updated
    }

    /// The policy document as minified JSON text.
    pub fn document(&self) -> &str {
        &self.document
    }
}

#[cfg(test)]
mod tests {
    use super::{AccessLevel, KeyType, template_glob};

    #[test]
    fn access_levels_round_trip() {
        for l in AccessLevel::ALL {
            assert_eq!(AccessLevel::parse(l.as_str()), Some(l));
        }
        assert_eq!(AccessLevel::parse("bogus"), None);
    }

    #[test]
    fn key_types() {
        assert_eq!(KeyType::parse("ArrayOfARN"), Some(KeyType::ArrayOfArn));
        assert_eq!(KeyType::parse("ipaddress"), Some(KeyType::IpAddress));
        assert!(KeyType::ArrayOfString.is_multivalued());
        assert!(!KeyType::Bool.is_multivalued());
        assert_eq!(KeyType::ArrayOfArn.element(), KeyType::Arn);
        assert_eq!(KeyType::Arn.to_string(), "ARN");
    }

    #[test]
    fn template_globs() {
        assert_eq!(template_glob("aws:SourceIp"), None);
        assert_eq!(template_glob("aws:RequestTag/${TagKey}").as_deref(), Some("aws:RequestTag/?*"));
        assert_eq!(template_glob("s3:ExistingObjectTag/<key>").as_deref(), Some("s3:ExistingObjectTag/?*"));
        assert_eq!(
            template_glob("codebuild:secondarySources/${id}.location").as_deref(),
            Some("codebuild:secondarySources/?*.location")
        );
    }
}
