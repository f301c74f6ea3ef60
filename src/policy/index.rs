//! Paths as a trie of segments, and patterns matched against the trie once.
//!
//! Matching a pattern walks the trie from its first segment: a plain name
//! follows one child, `*` and globs try each child, and `**` visits each
//! (node, pattern position) at most once. A pattern list is then decided
//! for every node in one pass from the roots down, so deciding what a list
//! covers costs the size of the trie, not paths × patterns.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::ControlFlow;

use super::pattern::{Pattern, Segment};
use super::PatternList;

/// A node of a [`PathIndex`]: every prefix of an inserted path is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The empty path, parent of every first segment; never a match.
    pub const ROOT: NodeId = NodeId(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What an inserted path is; a node may be several at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    Module,
    Item,
    ExternalCrate,
}

impl PathKind {
    fn bit(self) -> u8 {
        match self {
            PathKind::Module => 1,
            PathKind::Item => 2,
            PathKind::ExternalCrate => 4,
        }
    }
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Node {
    parent: u32,
    name: u32,
    depth: u32,
    first_child: u32,
    next_sibling: u32,
    kinds: u8,
}

/// The path last inserted by [`PathIndex::insert_next`], segment by
/// segment with its nodes.
#[derive(Debug, Default)]
pub struct Trail<'p>(Vec<(&'p str, u32)>);

/// A trie of `::` segments. Node ids grow with insertion, so a parent's id
/// is always below its children's: one pass in id order visits parents
/// first.
#[derive(Debug, Clone)]
pub struct PathIndex {
    nodes: Vec<Node>,
    names: Vec<Box<str>>,
    name_ids: HashMap<Box<str>, u32>,
    /// By parent node and name id: numbers this index hands out in order,
    /// so a fast hash.
    children: FxHashMap<(u32, u32), u32>,
}

/// A segment's name as the index numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameId(u32);

impl Default for PathIndex {
    fn default() -> PathIndex {
        PathIndex {
            nodes: vec![Node {
                parent: NONE,
                name: NONE,
                depth: 0,
                first_child: NONE,
                next_sibling: NONE,
                kinds: 0,
            }],
            names: Vec::new(),
            name_ids: HashMap::new(),
            children: FxHashMap::default(),
        }
    }
}

impl PathIndex {
    /// Adds `path` (and its prefixes), marking it as `kind` when given.
    pub fn insert<'p>(
        &mut self,
        path: impl IntoIterator<Item = &'p str>,
        kind: Option<PathKind>,
    ) -> NodeId {
        let mut node = NodeId::ROOT.0;
        for segment in path {
            node = self.child_or_insert(node, segment);
        }
        if let Some(kind) = kind {
            self.nodes[node as usize].kinds |= kind.bit();
        }
        NodeId(node)
    }

    /// Adds `path` as [`insert`](Self::insert) does, reusing the nodes of
    /// the prefix it shares with the path inserted before through the same
    /// `trail`: sorted or grouped paths skip most lookups.
    pub fn insert_next<'p>(
        &mut self,
        trail: &mut Trail<'p>,
        path: impl IntoIterator<Item = &'p str>,
        kind: Option<PathKind>,
    ) -> NodeId {
        let mut node = NodeId::ROOT.0;
        let mut depth = 0;
        for segment in path {
            match trail.0.get(depth) {
                Some(&(seen, seen_node)) if seen == segment => node = seen_node,
                _ => {
                    trail.0.truncate(depth);
                    node = self.child_or_insert(node, segment);
                    trail.0.push((segment, node));
                }
            }
            depth += 1;
        }
        trail.0.truncate(depth);
        if let Some(kind) = kind {
            self.nodes[node as usize].kinds |= kind.bit();
        }
        NodeId(node)
    }

    /// The number of the name `segment`, given it the first time.
    pub fn name_id(&mut self, segment: &str) -> NameId {
        NameId(match self.name_ids.get(segment) {
            Some(&name) => name,
            None => {
                let name = self.names.len() as u32;
                self.names.push(segment.into());
                self.name_ids.insert(segment.into(), name);
                name
            }
        })
    }

    /// Adds the child `name` of `parent`, marking it as `kind` when given:
    /// [`insert`](Self::insert) of the parent's path and one more segment,
    /// for a caller that numbered the segment already.
    pub fn insert_child(&mut self, parent: NodeId, name: NameId, kind: Option<PathKind>) -> NodeId {
        let node = self.child_or_insert_named(parent.0, name.0);
        if let Some(kind) = kind {
            self.nodes[node as usize].kinds |= kind.bit();
        }
        NodeId(node)
    }

    fn child_or_insert(&mut self, parent: u32, segment: &str) -> u32 {
        let name = self.name_id(segment).0;
        self.child_or_insert_named(parent, name)
    }

    fn child_or_insert_named(&mut self, parent: u32, name: u32) -> u32 {
        if let Some(&child) = self.children.get(&(parent, name)) {
            return child;
        }
        let child = self.nodes.len() as u32;
        let depth = self.nodes[parent as usize].depth + 1;
        let next_sibling = self.nodes[parent as usize].first_child;
        self.nodes.push(Node {
            parent,
            name,
            depth,
            first_child: NONE,
            next_sibling,
            kinds: 0,
        });
        self.nodes[parent as usize].first_child = child;
        self.children.insert((parent, name), child);
        child
    }

    /// How many nodes there are, the root included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1
    }

    /// How many segments a node's path has.
    pub fn depth(&self, node: NodeId) -> usize {
        self.nodes[node.index()].depth as usize
    }

    pub fn parent(&self, node: NodeId) -> Option<NodeId> {
        let parent = self.nodes[node.index()].parent;
        (parent != NONE).then_some(NodeId(parent))
    }

    /// Whether the path was inserted as `kind`.
    pub fn is(&self, node: NodeId, kind: PathKind) -> bool {
        self.nodes[node.index()].kinds & kind.bit() != 0
    }

    fn is_any(&self, node: u32, kinds: &[PathKind]) -> bool {
        let bits = kinds.iter().fold(0, |bits, kind| bits | kind.bit());
        self.nodes[node as usize].kinds & bits != 0
    }

    /// The node's last segment (empty for the root).
    pub fn segment(&self, node: NodeId) -> &str {
        match self.nodes[node.index()].name {
            NONE => "",
            name => &self.names[name as usize],
        }
    }

    /// The ancestor-or-self of `node` with `depth` segments.
    pub fn ancestor(&self, mut node: NodeId, depth: usize) -> NodeId {
        while self.depth(node) > depth {
            node = NodeId(self.nodes[node.index()].parent);
        }
        node
    }

    /// Whether `ancestor` is `node` or lies above it.
    pub fn contains(&self, ancestor: NodeId, node: NodeId) -> bool {
        self.depth(node) >= self.depth(ancestor)
            && self.ancestor(node, self.depth(ancestor)) == ancestor
    }

    /// The node's path, `a::b::c`.
    pub fn path(&self, node: NodeId) -> String {
        let mut segments = Vec::with_capacity(self.depth(node));
        let mut at = node;
        while at != NodeId::ROOT {
            segments.push(self.segment(at));
            at = NodeId(self.nodes[at.index()].parent);
        }
        segments.reverse();
        segments.join("::")
    }

    fn children_of(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        let mut child = self.nodes[node as usize].first_child;
        std::iter::from_fn(move || {
            let current = child;
            (current != NONE).then(|| {
                child = self.nodes[current as usize].next_sibling;
                current
            })
        })
    }

    fn child_named(&self, node: u32, name: &str) -> Option<u32> {
        let name = *self.name_ids.get(name)?;
        self.children.get(&(node, name)).copied()
    }

    /// Every node whose path `pattern` matches exactly (the pattern's
    /// matches, not what lies below them).
    pub fn matches(&self, pattern: &Pattern) -> Vec<NodeId> {
        let mut found = Vec::new();
        let _ = self.walk(&[NodeId::ROOT], &pattern.segments, &mut |node| {
            found.push(node);
            ControlFlow::<()>::Continue(())
        });
        found
    }

    /// Whether some node strictly below one of `starts` is of one of
    /// `kinds` and has a path below that start which `pattern` matches
    /// (a pattern relative to each start).
    pub fn matches_below(&self, starts: &[NodeId], pattern: &Pattern, kinds: &[PathKind]) -> bool {
        self.walk(starts, &pattern.segments, &mut |node| {
            if self.is_any(node.0, kinds) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break()
    }

    /// Whether a node of one of `kinds` has a path `pattern` matches.
    pub fn matches_any(&self, pattern: &Pattern, kinds: &[PathKind]) -> bool {
        self.matches_below(&[NodeId::ROOT], pattern, kinds)
    }

    /// Calls `found` on each node below one of `starts` whose path below
    /// that start `segments` match, until it breaks. A state is a node
    /// whose own segment is still to be matched against `segments[at..]`.
    fn walk<B>(
        &self,
        starts: &[NodeId],
        segments: &[Segment],
        found: &mut impl FnMut(NodeId) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        if segments.is_empty() {
            return ControlFlow::Continue(());
        }
        // `rest_is_any[at]`: the segments from `at` on can match nothing.
        let mut rest_is_any = vec![true; segments.len() + 1];
        for at in (0..segments.len()).rev() {
            rest_is_any[at] = rest_is_any[at + 1] && segments[at] == Segment::Any;
        }
        // Without `**` a state is reached once; with it, each is kept once.
        let width = segments.len() + 1;
        let mut seen = segments
            .contains(&Segment::Any)
            .then(|| vec![0u64; (self.nodes.len() * width).div_ceil(64)]);
        let mut reported = seen
            .as_ref()
            .map(|_| vec![0u64; self.nodes.len().div_ceil(64)]);
        let mut stack: Vec<(u32, usize)> = Vec::new();
        for start in starts {
            self.push_children(&mut stack, start.0, &segments[0], 0);
        }
        while let Some((node, at)) = stack.pop() {
            if let Some(seen) = &mut seen {
                if !set_bit(seen, node as usize * width + at) {
                    continue;
                }
            }
            // Matched after consuming this node's segment at `next`.
            let next = match &segments[at] {
                Segment::Any => {
                    // Zero segments: this node against what follows `**`;
                    // one more: stay on `**` for the children.
                    if at + 1 < segments.len() {
                        stack.push((node, at + 1));
                    }
                    at
                }
                Segment::Name(name) => {
                    if *self.names[self.nodes[node as usize].name as usize] != **name {
                        continue;
                    }
                    at + 1
                }
                Segment::One => at + 1,
                glob => {
                    if !glob.matches_name(&self.names[self.nodes[node as usize].name as usize]) {
                        continue;
                    }
                    at + 1
                }
            };
            if rest_is_any[next] {
                let first = reported
                    .as_mut()
                    .is_none_or(|reported| set_bit(reported, node as usize));
                if first {
                    found(NodeId(node))?;
                }
            }
            if next < segments.len() {
                self.push_children(&mut stack, node, &segments[next], next);
            }
        }
        ControlFlow::Continue(())
    }

    /// Pushes the states of `node`'s children that may match `segment` at
    /// `at`: the one child of that name, or every child.
    fn push_children(
        &self,
        stack: &mut Vec<(u32, usize)>,
        node: u32,
        segment: &Segment,
        at: usize,
    ) {
        match segment {
            Segment::Name(name) => {
                stack.extend(self.child_named(node, name).map(|child| (child, at)))
            }
            _ => stack.extend(self.children_of(node).map(|child| (child, at))),
        }
    }

    /// What `list` decides for every node at once.
    pub fn decide(&self, list: &PatternList) -> Decision {
        let included_components: Vec<Decision> = list
            .include_components
            .iter()
            .map(|c| self.decide(c))
            .collect();
        let excluded_components: Vec<Decision> = list
            .exclude_components
            .iter()
            .map(|c| self.decide(c))
            .collect();
        let count = self.nodes.len();
        let mut matched = vec![false; count];
        for pattern in &list.include {
            for node in self.matches(pattern) {
                matched[node.index()] = true;
            }
        }
        let mut excluded_own = vec![false; count];
        for pattern in &list.exclude {
            for node in self.matches(pattern) {
                excluded_own[node.index()] = true;
            }
        }
        let only_exclusions = list.include.is_empty() && list.include_components.is_empty();
        let has_exclusions = !list.exclude.is_empty() || !list.exclude_components.is_empty();
        let mut decision = Decision {
            covers: vec![false; count],
            matches: vec![false; count],
            member: vec![NONE; count],
        };
        // Below a match of one of the list's own patterns, and that match.
        let mut covered_own = vec![false; count];
        let mut own_member = vec![NONE; count];
        for node in 1..count {
            let parent = self.nodes[node].parent as usize;
            covered_own[node] = matched[node] || covered_own[parent];
            excluded_own[node] = excluded_own[node] || excluded_own[parent];
            own_member[node] = match own_member[parent] {
                NONE if matched[node] => node as u32,
                member => member,
            };
            let excluded = excluded_own[node] || excluded_components.iter().any(|c| c.covers[node]);
            if excluded {
                continue;
            }
            decision.covers[node] = if only_exclusions {
                has_exclusions
            } else {
                covered_own[node] || included_components.iter().any(|c| c.covers[node])
            };
            decision.matches[node] =
                matched[node] || included_components.iter().any(|c| c.matches[node]);
            // The shallowest member: members are all ancestors-or-self.
            decision.member[node] = std::iter::once(own_member[node])
                .chain(included_components.iter().map(|c| c.member[node]))
                .filter(|&member| member != NONE)
                .min_by_key(|&member| self.nodes[member as usize].depth)
                .unwrap_or(NONE);
        }
        decision
    }
}

/// Sets a bit; whether it was clear.
fn set_bit(bits: &mut [u64], at: usize) -> bool {
    let (word, bit) = (at / 64, 1u64 << (at % 64));
    let clear = bits[word] & bit == 0;
    bits[word] |= bit;
    clear
}

/// A pattern list decided for every node of an index: the answers of
/// [`PatternList::covers`], [`PatternList::matches`] and
/// [`PatternList::member_len`] on each node's path.
#[derive(Debug, Clone)]
pub struct Decision {
    covers: Vec<bool>,
    matches: Vec<bool>,
    member: Vec<u32>,
}

impl Decision {
    pub fn covers(&self, node: NodeId) -> bool {
        self.covers[node.index()]
    }

    pub fn matches(&self, node: NodeId) -> bool {
        self.matches[node.index()]
    }

    /// The member the node lies in: its shallowest ancestor-or-self that
    /// the list matches, unless the list excludes the node.
    pub fn member(&self, node: NodeId) -> Option<NodeId> {
        match self.member[node.index()] {
            NONE => None,
            member => Some(NodeId(member)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(paths: &[&str]) -> PathIndex {
        let mut index = PathIndex::default();
        for path in paths {
            index.insert(path.split("::"), Some(PathKind::Module));
        }
        index
    }

    fn matched(index: &PathIndex, pattern: &str) -> Vec<String> {
        let pattern = Pattern::parse(pattern, 0..0).unwrap();
        let mut paths: Vec<String> = index
            .matches(&pattern)
            .into_iter()
            .map(|n| index.path(n))
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn a_pattern_matches_nodes_exactly() {
        let index = index(&["shop::a::storage", "shop::b::x::storage", "shop_api::c"]);
        assert_eq!(matched(&index, "shop::*::storage"), ["shop::a::storage"]);
        assert_eq!(
            matched(&index, "shop::**::storage"),
            ["shop::a::storage", "shop::b::x::storage"]
        );
        assert_eq!(matched(&index, "shop*"), ["shop", "shop_api"]);
        assert_eq!(
            matched(&index, "**"),
            [
                "shop",
                "shop::a",
                "shop::a::storage",
                "shop::b",
                "shop::b::x",
                "shop::b::x::storage",
                "shop_api",
                "shop_api::c"
            ]
        );
        assert_eq!(matched(&index, "shop::**"), matched(&index, "shop::**::**"));
        assert!(matched(&index, "nope::**").is_empty());
    }

    #[test]
    fn a_relative_pattern_matches_strictly_below_its_start() {
        let mut index = index(&["shop::a::storage", "shop::b"]);
        let shop = index.insert(["shop"], None);
        let pattern = |text| Pattern::parse(text, 0..0).unwrap();
        let modules = [PathKind::Module];
        assert!(index.matches_below(&[shop], &pattern("a::storage"), &modules));
        assert!(index.matches_below(&[shop], &pattern("**"), &modules));
        assert!(!index.matches_below(&[shop], &pattern("shop"), &modules));
        assert!(!index.matches_below(&[shop], &pattern("storage"), &modules));
        assert!(index.matches_below(&[shop], &pattern("**::storage"), &modules));
        assert!(!index.matches_below(&[shop], &pattern("a"), &[PathKind::Item]));
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn segment() -> impl Strategy<Value = String> {
            prop::sample::select(vec!["a", "b", "ab", "a_b", "x"]).prop_map(String::from)
        }

        fn paths() -> impl Strategy<Value = Vec<Vec<String>>> {
            prop::collection::vec(prop::collection::vec(segment(), 1..5), 1..16)
        }

        fn pattern() -> impl Strategy<Value = Pattern> {
            let segment = prop::sample::select(vec!["a", "b", "ab", "*", "**", "a*", "*b", "x"]);
            prop::collection::vec(segment, 1..5)
                .prop_map(|segments| Pattern::parse(&segments.join("::"), 0..0).unwrap())
        }

        fn flat_list() -> impl Strategy<Value = PatternList> {
            (
                prop::collection::vec(pattern(), 0..3),
                prop::collection::vec(pattern(), 0..2),
            )
                .prop_map(|(include, exclude)| PatternList {
                    include,
                    exclude,
                    ..PatternList::default()
                })
        }

        fn list() -> impl Strategy<Value = PatternList> {
            (
                flat_list(),
                prop::collection::vec(flat_list(), 0..2),
                prop::collection::vec(flat_list(), 0..2),
            )
                .prop_map(|(list, include_components, exclude_components)| {
                    PatternList {
                        include_components,
                        exclude_components,
                        ..list
                    }
                })
        }

        /// Every node with its path, the root left out.
        fn nodes(index: &PathIndex) -> Vec<(NodeId, Vec<String>)> {
            (1..index.len())
                .map(|n| {
                    let node = NodeId(n as u32);
                    let path = index.path(node).split("::").map(String::from).collect();
                    (node, path)
                })
                .collect()
        }

        fn build(paths: &[Vec<String>]) -> PathIndex {
            let mut index = PathIndex::default();
            for (i, path) in paths.iter().enumerate() {
                let kind = [PathKind::Module, PathKind::Item][i % 2];
                index.insert(path.iter().map(String::as_str), Some(kind));
            }
            index
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn a_decision_answers_as_the_list_does(paths in paths(), list in list()) {
                let index = build(&paths);
                let decision = index.decide(&list);
                for (node, path) in nodes(&index) {
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    prop_assert_eq!(decision.covers(node), list.covers(&path), "covers {:?}", path);
                    prop_assert_eq!(decision.matches(node), list.matches(&path), "matches {:?}", path);
                    prop_assert_eq!(
                        decision.member(node).map(|m| index.depth(m)),
                        list.member_len(&path),
                        "member of {:?}", path
                    );
                }
            }

            #[test]
            fn inserting_after_a_trail_builds_the_same_trie(paths in paths()) {
                let index = build(&paths);
                let mut trailed = PathIndex::default();
                let mut trail = Trail::default();
                for (i, path) in paths.iter().enumerate() {
                    let kind = [PathKind::Module, PathKind::Item][i % 2];
                    let node = trailed.insert_next(&mut trail, path.iter().map(String::as_str), Some(kind));
                    prop_assert_eq!(trailed.path(node), path.join("::"));
                }
                prop_assert_eq!(trailed.len(), index.len());
                for n in 0..index.len() {
                    let node = NodeId(n as u32);
                    prop_assert_eq!(trailed.path(node), index.path(node));
                    for kind in [PathKind::Module, PathKind::Item] {
                        prop_assert_eq!(trailed.is(node, kind), index.is(node, kind));
                    }
                }
            }

            #[test]
            fn matching_finds_what_the_pattern_matches(paths in paths(), pattern in pattern()) {
                let index = build(&paths);
                let mut found: Vec<NodeId> = index.matches(&pattern);
                found.sort();
                let expected: Vec<NodeId> = nodes(&index)
                    .into_iter()
                    .filter(|(_, path)| {
                        pattern.matches(&path.iter().map(String::as_str).collect::<Vec<_>>())
                    })
                    .map(|(node, _)| node)
                    .collect();
                prop_assert_eq!(found, expected);
            }

            #[test]
            fn matching_below_starts_is_relative(
                paths in paths(),
                pattern in pattern(),
                picks in prop::collection::vec(any::<prop::sample::Index>(), 1..3),
            ) {
                let index = build(&paths);
                let all = nodes(&index);
                let mut starts: Vec<NodeId> = picks.iter().map(|p| all[p.index(all.len())].0).collect();
                starts.sort();
                starts.dedup();
                for kinds in [&[PathKind::Module][..], &[PathKind::Module, PathKind::Item]] {
                    let expected = starts.iter().any(|&start| {
                        let prefix = index.depth(start);
                        all.iter().any(|(node, path)| {
                            path.len() > prefix
                                && index.contains(start, *node)
                                && kinds.iter().any(|&k| index.is(*node, k))
                                && pattern.matches(
                                    &path[prefix..].iter().map(String::as_str).collect::<Vec<_>>(),
                                )
                        })
                    });
                    prop_assert_eq!(index.matches_below(&starts, &pattern, kinds), expected);
                }
            }
        }
    }
}
