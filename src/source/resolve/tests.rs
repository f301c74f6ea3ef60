//! Resolution, a few lines of Rust at a time: each case is the source of
//! one or more crates (inline modules only) and the list of every path the
//! extractor found, as `module: written => resolved [target]`, or
//! `=> skipped` when it cannot be resolved for sure.
//!
//! A case may hold several crates, each starting with `//- name` (add
//! `edition:2015` for that edition). Every crate has the others, `serde`,
//! and `db` (the package `sqlx`) in its extern prelude.

use std::collections::{BTreeMap, BTreeSet};

use super::fixpoint::Names;
use super::tables::{CrateInput, ModuleInput, Tables};
use super::{resolve_ref, Scratch, Target};
use crate::location::LineIndex;
use crate::source::code::ModuleCode;
use crate::source::extract::{module_code, ExtractOptions};
use crate::source::ModuleId;
use crate::workspace::Edition;

struct TestModule {
    path: String,
    crate_index: usize,
    parent: Option<ModuleId>,
    children: BTreeMap<String, ModuleId>,
    public_children: BTreeSet<String>,
    code: ModuleCode,
}

fn flatten(
    mut code: ModuleCode,
    path: String,
    parent: Option<ModuleId>,
    crate_index: usize,
    out: &mut Vec<TestModule>,
) -> ModuleId {
    let id = ModuleId::new(out.len());
    let children = std::mem::take(&mut code.children);
    out.push(TestModule {
        path: path.clone(),
        crate_index,
        parent,
        children: BTreeMap::new(),
        public_children: BTreeSet::new(),
        code,
    });
    for decl in children {
        let Some(inline) = decl.inline else { continue };
        let child = flatten(
            inline,
            format!("{path}::{}", decl.name),
            Some(id),
            crate_index,
            out,
        );
        if decl.is_pub {
            out[id].public_children.insert(decl.name.clone());
        }
        out[id].children.insert(decl.name, child);
    }
    id
}

/// Every path of `source`, resolved, one line each.
fn resolve_all(source: &str) -> String {
    let mut sections: Vec<(String, Edition, String)> = Vec::new();
    for line in source.lines() {
        if let Some(header) = line.trim().strip_prefix("//- ") {
            let mut words = header.split_whitespace();
            let name = words.next().expect("a crate name").to_string();
            let edition = if words.any(|w| w == "edition:2015") {
                Edition::E2015
            } else {
                Edition::E2018OrLater
            };
            sections.push((name, edition, String::new()));
            continue;
        }
        if sections.is_empty() {
            sections.push(("c".to_string(), Edition::E2018OrLater, String::new()));
        }
        let text = &mut sections.last_mut().expect("a section").2;
        text.push_str(line);
        text.push('\n');
    }
    let mut modules = Vec::new();
    let mut roots = Vec::new();
    for (index, (name, _, text)) in sections.iter().enumerate() {
        let file = syn::parse_file(text).expect("test source parses");
        let code = module_code(
            &file.items,
            ExtractOptions {
                include_tests: false,
            },
            &LineIndex::new(text),
        );
        roots.push(flatten(code, name.clone(), None, index, &mut modules));
    }
    let externs: Vec<BTreeMap<String, String>> = sections
        .iter()
        .map(|(own, _, _)| {
            let mut externs: BTreeMap<String, String> = sections
                .iter()
                .filter(|(name, _, _)| name != own)
                .map(|(name, _, _)| (name.clone(), name.clone()))
                .collect();
            externs.insert("serde".into(), "serde".into());
            externs.insert("db".into(), "sqlx".into());
            externs
        })
        .collect();
    let crates: Vec<CrateInput> = sections
        .iter()
        .enumerate()
        .map(|(i, (name, edition, _))| CrateInput {
            name,
            edition: *edition,
            externs: &externs[i],
            root: Some(roots[i]),
        })
        .collect();
    let inputs: Vec<ModuleInput> = modules
        .iter()
        .map(|m| ModuleInput {
            crate_index: m.crate_index,
            parent: m.parent,
            children: &m.children,
            public_children: &m.public_children,
            code: &m.code,
        })
        .collect();
    let names = Names::build(Tables::build(&inputs, &crates));
    let paths: Vec<String> = modules.iter().map(|m| m.path.clone()).collect();
    let mut resolver = names.resolver();
    let mut lines = Vec::new();
    for (id, module) in ModuleId::enumerate(&modules) {
        for raw in &module.code.refs {
            let mut written = raw.path.segments.joined().to_string();
            if raw.path.leading_colon {
                written.insert_str(0, "::");
            }
            let outcome = match resolve_ref(
                &mut resolver,
                &mut Scratch::default(),
                &names,
                &paths,
                id,
                raw,
            ) {
                Some((path, Target::Module(m))) => format!("{path} [{}]", paths[m]),
                Some((path, Target::External(krate))) => format!("{path} [{krate}]"),
                None => "skipped".to_string(),
            };
            lines.push(format!("{}: {written} => {outcome}", module.path));
        }
    }
    lines.join("\n")
}

#[track_caller]
fn check(source: &str, expected: &str) {
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(resolve_all(source), expected.join("\n"));
}

#[test]
fn relative_paths_and_imports() {
    check(
        r#"
        pub mod accounts { pub mod storage { pub fn save() {} } }
        mod billing {
            use crate::accounts;
            use crate::accounts::storage as store;
            fn f() { accounts::storage::save(); store::save(); super::accounts::storage::save(); }
        }
        "#,
        r#"
        c::billing: crate::accounts => c::accounts [c::accounts]
        c::billing: crate::accounts::storage => c::accounts::storage [c::accounts::storage]
        c::billing: accounts::storage::save => c::accounts::storage::save [c::accounts::storage]
        c::billing: store::save => c::accounts::storage::save [c::accounts::storage]
        c::billing: super::accounts::storage::save => c::accounts::storage::save [c::accounts::storage]
        "#,
    );
}

#[test]
fn re_exports_are_attributed_to_the_re_exporting_module() {
    check(
        r#"
        pub mod accounts { mod storage { pub struct Db; } pub use self::storage::Db; }
        mod billing {
            use crate::accounts::Db;
            fn f() -> crate::accounts::Db { Db::open() }
        }
        mod shipping {
            use crate::accounts::*;
            fn f() { Db::open(); }
        }
        "#,
        r#"
        c::accounts: self::storage::Db => c::accounts::storage::Db [c::accounts::storage]
        c::billing: crate::accounts::Db => c::accounts::Db [c::accounts]
        c::billing: crate::accounts::Db => c::accounts::Db [c::accounts]
        c::billing: Db::open => c::accounts::Db::open [c::accounts]
        c::shipping: crate::accounts => c::accounts [c::accounts]
        c::shipping: Db::open => c::accounts::Db::open [c::accounts]
        "#,
    );
}

#[test]
fn globs_that_import_each_other_settle() {
    // Every module re-exports every other: each name keeps the one meaning
    // it has where it is defined.
    check(
        r#"
        pub mod a { pub use crate::b::*; pub use crate::c::*; pub mod x { pub fn f() {} } }
        pub mod b { pub use crate::a::*; pub use crate::c::*; pub mod y { pub fn f() {} } }
        pub mod c { pub use crate::a::*; pub use crate::b::*; }
        mod user {
            use crate::c::*;
            fn f() { x::f(); y::f(); z::f(); }
        }
        "#,
        r#"
        c::a: crate::b => c::b [c::b]
        c::a: crate::c => c::c [c::c]
        c::b: crate::a => c::a [c::a]
        c::b: crate::c => c::c [c::c]
        c::c: crate::a => c::a [c::a]
        c::c: crate::b => c::b [c::b]
        c::user: crate::c => c::c [c::c]
        c::user: x::f => c::a::x::f [c::a::x]
        c::user: y::f => c::b::y::f [c::b::y]
        c::user: z::f => skipped
        "#,
    );
}

#[test]
fn a_name_cycle_through_renames_resolves_as_written_and_an_import_cycle_is_skipped() {
    check(
        r#"
        pub mod a { pub use crate::b::y as x; }
        pub mod b { pub use crate::a::x as y; }
        mod loops {
            use self::p as q;
            use self::q as p;
            fn f() { p::g(); q::g(); }
        }
        "#,
        r#"
        c::a: crate::b::y => c::b::y [c::b]
        c::b: crate::a::x => c::a::x [c::a]
        c::loops: self::p => skipped
        c::loops: self::q => skipped
        c::loops: p::g => skipped
        c::loops: q::g => skipped
        "#,
    );
}

#[test]
fn an_explicit_name_shadows_a_glob() {
    check(
        r#"
        pub mod accounts { pub mod storage { pub fn save() {} } pub mod api { pub fn notify() {} } }
        pub mod other { pub mod api { pub fn notify() {} } }
        mod billing {
            use crate::accounts::*;
            use crate::other::api;
            mod storage { pub fn save() {} }
            fn f() { storage::save(); api::notify(); }
        }
        "#,
        r#"
        c::billing: crate::accounts => c::accounts [c::accounts]
        c::billing: crate::other::api => c::other::api [c::other::api]
        c::billing: storage::save => c::billing::storage::save [c::billing::storage]
        c::billing: api::notify => c::other::api::notify [c::other::api]
        "#,
    );
}

#[test]
fn two_globs_with_different_meanings_are_ambiguous_and_the_same_meaning_is_not() {
    check(
        r#"
        pub mod one { pub mod db { pub fn get() {} } pub mod util { pub fn id() {} } }
        pub mod two { pub mod db { pub fn get() {} } pub use crate::one::util; }
        pub mod three { pub use crate::one::*; }
        mod user {
            use crate::one::*;
            use crate::two::*;
            fn f() { db::get(); util::id(); }
        }
        mod same {
            use crate::one::*;
            use crate::three::*;
            fn f() { db::get(); }
        }
        "#,
        r#"
        c::two: crate::one::util => c::one::util [c::one::util]
        c::three: crate::one => c::one [c::one]
        c::user: crate::one => c::one [c::one]
        c::user: crate::two => c::two [c::two]
        c::user: db::get => skipped
        c::user: util::id => skipped
        c::same: crate::one => c::one [c::one]
        c::same: crate::three => c::three [c::three]
        c::same: db::get => c::one::db::get [c::one::db]
        "#,
    );
}

#[test]
fn use_super_glob_sees_private_names_and_other_globs_only_public_ones() {
    check(
        r#"
        mod shipping {
            use crate::rows::helpers as rows;
            mod hidden { pub fn f() {} }
            mod label {
                use super::*;
                fn f() { rows::save(); hidden::f(); }
            }
        }
        mod rows { pub mod helpers { pub fn save() {} } }
        mod outsider {
            use crate::shipping::*;
            fn f() { hidden::f(); }
        }
        "#,
        r#"
        c::shipping: crate::rows::helpers => c::rows::helpers [c::rows::helpers]
        c::shipping::label: super => c::shipping [c::shipping]
        c::shipping::label: rows::save => c::rows::helpers::save [c::rows::helpers]
        c::shipping::label: hidden::f => c::shipping::hidden::f [c::shipping::hidden]
        c::outsider: crate::shipping => c::shipping [c::shipping]
        c::outsider: hidden::f => skipped
        "#,
    );
}

#[test]
fn a_value_position_does_not_mean_a_module_of_the_same_name() {
    // tokio's `future`: a private module and the function it re-exports.
    check(
        r#"
        pub mod future {
            mod block_on { pub fn block_on() {} }
            pub(crate) use block_on::block_on;
            fn here() { self::block_on(); }
        }
        mod runtime {
            use crate::future::block_on;
            fn f() { crate::future::block_on(); }
        }
        "#,
        r#"
        c::future: block_on::block_on => c::future::block_on::block_on [c::future::block_on]
        c::future: self::block_on => c::future::block_on::block_on [c::future::block_on]
        c::runtime: crate::future::block_on => c::future::block_on [c::future]
        c::runtime: crate::future::block_on => c::future::block_on [c::future]
        "#,
    );
}

#[test]
fn type_macro_and_unknown_positions() {
    check(
        r#"
        pub mod time {
            pub mod sleep { pub struct Sleep; }
            pub fn sleep() -> sleep::Sleep { sleep::Sleep }
            pub mod select {
                pub fn helper() {}
                macro_rules! inner { () => {} }
                pub(crate) use inner as select;
            }
            pub(crate) use select::select;
        }
        mod user {
            fn f() {
                let _: crate::time::sleep::Sleep = crate::time::sleep();
                crate::time::select!();
                println!("{:?}", crate::time::sleep);
                println!("{:?}", crate::time::select::helper());
            }
            #[derive(crate::time::select)]
            struct S;
        }
        "#,
        r#"
        c::time: sleep::Sleep => c::time::sleep::Sleep [c::time::sleep]
        c::time: sleep::Sleep => c::time::sleep::Sleep [c::time::sleep]
        c::time: select::select => c::time::select::select [c::time::select]
        c::time::select: inner => c::time::select::inner [c::time::select]
        c::user: crate::time::sleep::Sleep => c::time::sleep::Sleep [c::time::sleep]
        c::user: crate::time::sleep => c::time::sleep [c::time]
        c::user: crate::time::select => c::time::select [c::time]
        c::user: crate::time::sleep => skipped
        c::user: crate::time::select::helper => c::time::select::helper [c::time::select]
        c::user: crate::time::select => c::time::select [c::time]
        "#,
    );
}

#[test]
fn a_private_module_is_imported_only_inside_its_parent() {
    check(
        r#"
        pub mod net {
            mod tcp { pub struct Stream; }
            pub fn tcp() {}
            mod inner { use super::tcp; }
        }
        mod user { use crate::net::tcp; }
        "#,
        r#"
        c::net::inner: super::tcp => c::net::tcp [c::net::tcp]
        c::user: crate::net::tcp => c::net::tcp [c::net]
        "#,
    );
}

#[test]
fn extern_prelude_renames_workspace_crates_and_self_imports() {
    // A crate re-exported by `pub extern crate` is the facade's, as any
    // re-export is its module's.
    check(
        r#"
        //- app
        use serde;
        use db::Pool;
        mod inner {
            fn f() { serde::de::x(); lib::api::call(); ::db::Row::new(); facade::inner::api::call(); }
        }
        fn g() { serde::ser::y(); }
        //- lib
        pub mod api { pub fn call() {} }
        //- facade
        pub extern crate lib as inner;
        fn f() { crate::inner::api::call(); }
        "#,
        r#"
        app: serde => serde [serde]
        app: db::Pool => sqlx::Pool [sqlx]
        app: serde::ser::y => serde::ser::y [serde]
        app::inner: serde::de::x => serde::de::x [serde]
        app::inner: lib::api::call => lib::api::call [lib::api]
        app::inner: ::db::Row::new => sqlx::Row::new [sqlx]
        app::inner: facade::inner::api::call => facade::inner::api::call [facade]
        facade: ::lib => lib [lib]
        facade: crate::inner::api::call => lib::api::call [lib::api]
        "#,
    );
}

#[test]
fn an_import_named_like_its_crate_does_not_hide_the_crate() {
    // `use quote::{quote, ToTokens};`: the macro `quote` is no type, so
    // `quote::` still starts from the crate.
    check(
        r#"
        use serde::{serde, Serialize};
        fn f() { serde::de::x(); }
        "#,
        r#"
        c: serde::serde => serde::serde [serde]
        c: serde::Serialize => serde::Serialize [serde]
        c: serde::de::x => serde::de::x [serde]
        "#,
    );
}

#[test]
fn edition_2015_use_paths_are_crate_relative() {
    check(
        r#"
        //- old edition:2015
        pub mod accounts { pub mod storage { pub fn save() {} } }
        mod billing {
            use accounts::storage;
            fn f() { storage::save(); ::accounts::storage::save(); }
        }
        "#,
        r#"
        old::billing: accounts::storage => old::accounts::storage [old::accounts::storage]
        old::billing: storage::save => old::accounts::storage::save [old::accounts::storage]
        old::billing: ::accounts::storage::save => old::accounts::storage::save [old::accounts::storage]
        "#,
    );
}

#[test]
fn an_extern_crate_item_names_the_crate() {
    check(
        r#"
        extern crate serde as sd;
        mod inner { fn f() { crate::sd::de::x(); } }
        "#,
        r#"
        c: ::serde => serde [serde]
        c::inner: crate::sd::de::x => serde::de::x [serde]
        "#,
    );
}
