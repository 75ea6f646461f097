//! The action universe: every catalog action under a dense id, and action patterns as bitsets over it.
//!
//! An `Action` element (`s3:Get*`, `*`, a `NotAction` list) becomes an [`ActionSet`] once per run:
//! patterns are expanded through [`Catalog::expand`] on first use and cached for every later file and
//! thread. Questions like "which permissions-management actions does this statement name" are then word
//! operations on precomputed class sets ([`Universe::level`]), not a walk over every action.
//!
//! The universe's names, access levels and resource-type flags are tables `build.rs` writes from the
//! data (`compiled::ACTION_NAMES` and its neighbours), in the order of [`Catalog::actions`]: building
//! it decodes no service and visits no action (its sets are compiled as bit words), and an action's id
//! is its service's first id plus its place in the service.

use super::compiled::{
    ACCESS_SETS, ACTION_SORT_RANK, SERVICE_FIRST_ID, access_level, access_levels, action_count, action_id, action_name,
};
use super::{AccessLevel, ActionRef, catalog};
use foldhash::{HashMap, HashMapExt};
use std::sync::{Arc, OnceLock, RwLock};

/// A set of catalog actions, one bit per action id.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ActionSet {
    words: Vec<u64>,
}

impl ActionSet {
    /// The empty set over a universe of `len` actions.
    pub fn empty(len: usize) -> Self {
        ActionSet { words: vec![0; len.div_ceil(64)] }
    }

    /// Adds action `id`.
    pub fn insert(&mut self, id: usize) {
        self.words[id / 64] |= 1 << (id % 64);
    }

    /// Whether action `id` is in the set.
    pub fn contains(&self, id: usize) -> bool {
        self.words.get(id / 64).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    /// Adds every action of `other`.
    pub fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Keeps only the actions also in `other`.
    pub fn intersect_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// The actions of a universe of `len` actions that are not in the set.
    #[must_use]
    pub fn complement(&self, len: usize) -> ActionSet {
        let mut out = ActionSet { words: self.words.iter().map(|w| !w).collect() };
        if !len.is_multiple_of(64)
            && let Some(last) = out.words.last_mut()
        {
            *last &= (1u64 << (len % 64)) - 1;
        }
        out
    }

    /// How many actions the set holds.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set holds no action.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// The ids in the set, ascending.
    pub fn ids(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let bit = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(i * 64 + bit)
            })
        })
    }
}

/// Every catalog action with a dense id, in catalog order (service prefix, then action name).
pub struct Universe {
    len: usize,
    by_level: Vec<(AccessLevel, ActionSet)>,
    patterns: RwLock<HashMap<String, Arc<ActionSet>>>,
}

impl std::fmt::Debug for Universe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Universe").field("actions", &self.len()).finish_non_exhaustive()
    }
}

static UNIVERSE: OnceLock<Universe> = OnceLock::new();

/// The process-wide universe, built on first call from the compiled tables.
pub fn universe() -> &'static Universe {
    UNIVERSE.get_or_init(Universe::build)
}

/// The universe when some analysis has already built it: a lookup that can also be answered from the
/// catalog asks it only then, so a run of plain action names never pays for building it.
pub fn built_universe() -> Option<&'static Universe> {
    UNIVERSE.get()
}

impl Universe {
    fn build() -> Universe {
        let len = action_count();
        let words = len.div_ceil(64);
        let by_level = AccessLevel::ALL
            .iter()
            .map(|&l| {
                let mut s = ActionSet::empty(len);
                for (code, _) in access_levels().iter().enumerate().filter(|(_, x)| **x == l) {
                    s.union_with(&ActionSet { words: ACCESS_SETS[code * words..][..words].to_vec() });
                }
                (l, s)
            })
            .collect();
        Universe { len, by_level, patterns: RwLock::new(HashMap::new()) }
    }

    /// How many actions the catalog knows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the catalog knows no action.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The full name (`s3:GetObject`) of action `id`.
    pub fn name(&self, id: usize) -> &'static str {
        action_name(id)
    }

    /// The place of action `id`'s full name among all of them in `str` order (the order of sorting the
    /// names as strings: `iot-device-tester:` before `iot:`, unlike the universe's service-then-action order).
    pub fn sort_rank(&self, id: usize) -> u16 {
        ACTION_SORT_RANK[id]
    }

    /// The access level of action `id`.
    pub fn access_level(&self, id: usize) -> AccessLevel {
        access_level(id)
    }

    /// Whether action `id` has a resource type (can be granted on something narrower than `*`).
    pub fn scopable(&self, id: usize) -> bool {
        super::compiled::scopable(id)
    }

    /// Every action of access level `level`, computed once.
    pub fn level(&self, level: AccessLevel) -> &ActionSet {
        &self.by_level.iter().find(|(l, _)| *l == level).expect("every level has a set").1
    }

    /// The id of a concrete action name, case-insensitively.
    pub fn id(&self, name: &str) -> Option<usize> {
        action_id(name)
    }

    /// The id of a catalog action.
    pub fn id_of(&self, a: &ActionRef<'_>) -> usize {
        let (s, i) = a.position();
        SERVICE_FIRST_ID[s] as usize + i
    }

    /// The actions `pattern` matches (as [`Catalog::expand`]), cached across files and threads.
    pub fn pattern(&self, pattern: &str) -> Arc<ActionSet> {
        let key = pattern.to_ascii_lowercase();
        if let Some(s) = self.patterns.read().ok().and_then(|m| m.get(&key).cloned()) {
            return s;
        }
        let mut set = ActionSet::empty(self.len());
        if pattern == "*" {
            // Every action: no service needs decoding.
            set = set.complement(self.len());
        } else {
            for a in catalog().expand(pattern) {
                set.insert(self.id_of(&a));
            }
        }
        let set = Arc::new(set);
        if let Ok(mut m) = self.patterns.write() {
            m.entry(key).or_insert_with(|| set.clone());
        }
        set
    }

    /// The actions an action element covers: the union of its patterns, or for a `NotAction` element
    /// every action none of them matches (as [`Catalog::complement`]).
    pub fn element(&self, patterns: &[&str], negated: bool) -> ActionSet {
        let mut set = ActionSet::empty(self.len());
        for p in patterns {
            set.union_with(&self.pattern(p));
        }
        if negated { set.complement(self.len()) } else { set }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_expand_and_complement() {
        let u = universe();
        let cat = catalog();
        for p in ["*", "s3:Get*", "iam:*Policy*", "*:Describe*", "ec2:?escribe*", "nosuchservice:*", "S3:getobject"] {
            let set = u.pattern(p);
            let expanded: Vec<String> = cat.expand(p).iter().map(super::super::ActionRef::full_name).collect();
            let named: Vec<String> = set.ids().map(|i| u.name(i).to_string()).collect();
            assert_eq!(named, expanded, "{p}");
            assert_eq!(set.len(), expanded.len(), "{p}");
        }
        let not = ["iam:*", "organizations:*", "sts:AssumeRole"];
        let set = u.element(&not, true);
        let complement: Vec<String> = cat.complement(&not).iter().map(super::super::ActionRef::full_name).collect();
        let named: Vec<String> = set.ids().map(|i| u.name(i).to_string()).collect();
        assert_eq!(named, complement);
    }

    #[test]
    fn levels_partition_the_universe() {
        let u = universe();
        let mut all = ActionSet::empty(u.len());
        let mut total = 0;
        for l in [
            AccessLevel::List,
            AccessLevel::Read,
            AccessLevel::Write,
            AccessLevel::PermissionsManagement,
            AccessLevel::Tagging,
        ] {
            total += u.level(l).len();
            all.union_with(u.level(l));
        }
        assert_eq!(total, u.len());
        assert_eq!(all.len(), u.len());
        let pm = u.id("iam:PutRolePolicy").unwrap();
        assert!(u.level(AccessLevel::PermissionsManagement).contains(pm));
        assert_eq!(u.name(pm), "iam:PutRolePolicy");
        assert!(!u.level(AccessLevel::Read).contains(pm));
        assert_eq!(u.id("iam:putrolepolicy"), Some(pm));
        assert_eq!(u.id("iam:Put*"), None);
    }

    #[test]
    fn compiled_tables_are_the_catalog_in_order() {
        let u = universe();
        let cat = catalog();
        assert_eq!(u.len(), cat.actions().count());
        for (i, a) in cat.actions().enumerate() {
            assert_eq!(u.name(i), a.full_name());
            assert_eq!(u.access_level(i), a.access_level(), "{}", u.name(i));
            assert_eq!(u.id_of(&a), i, "{}", u.name(i));
            assert_eq!(u.id(&a.full_name().to_ascii_lowercase()), Some(i), "{}", u.name(i));
        }
        assert_eq!(u.id("s3:NoSuchAction"), None);
    }

    #[test]
    fn scopable_is_having_a_resource_type() {
        let u = universe();
        let cat = catalog();
        let mut unscopable = 0;
        for id in 0..u.len() {
            let a = cat.action(u.name(id)).expect("every universe name is in the catalog");
            assert_eq!(u.scopable(id), a.resource_types().next().is_some(), "{}", u.name(id));
            unscopable += usize::from(!u.scopable(id));
        }
        // Both kinds exist, so the set is not trivially all or nothing.
        assert!(unscopable > 0 && unscopable < u.len());
        assert!(!u.scopable(u.id("sts:GetCallerIdentity").unwrap()));
        assert!(u.scopable(u.id("s3:GetObject").unwrap()));
    }

    #[test]
    fn sort_ranks_order_ids_as_their_names_sort() {
        let u = universe();
        let mut by_rank: Vec<usize> = (0..u.len()).collect();
        by_rank.sort_by_key(|&id| u.sort_rank(id));
        let ranked: Vec<&str> = by_rank.iter().map(|&id| u.name(id)).collect();
        let mut sorted: Vec<&str> = (0..u.len()).map(|id| u.name(id)).collect();
        sorted.sort_unstable();
        assert_eq!(ranked, sorted);
        // Every rank once, so sorting by rank needs no tie-break.
        let mut ranks: Vec<u16> = (0..u.len()).map(|id| u.sort_rank(id)).collect();
        ranks.sort_unstable();
        assert!(ranks.iter().enumerate().all(|(i, &r)| usize::from(r) == i));
        // The universe's own order is not the names' order (`iot-device-tester:` sorts before `iot:`).
        let (iot, tester) = (u.id("iot:Connect").unwrap(), u.id("iot-device-tester:CheckVersion").unwrap());
        assert!(iot < tester && u.sort_rank(tester) < u.sort_rank(iot));
    }

    #[test]
    fn complement_stays_inside_the_universe() {
        let s = ActionSet::empty(70);
        let c = s.complement(70);
        assert_eq!(c.len(), 70);
        assert_eq!(c.ids().last(), Some(69));
        let mut one = ActionSet::empty(70);
        one.insert(3);
        one.insert(65);
        assert_eq!(one.ids().collect::<Vec<_>>(), vec![3, 65]);
        let mut i = c.clone();
        i.intersect_with(&one);
        assert_eq!(i, one);
        assert!(ActionSet::empty(70).is_empty());
    }
}
