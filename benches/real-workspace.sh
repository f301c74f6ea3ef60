#!/usr/bin/env bash
# Builds a real 52-crate workspace out of this project's own dependency
# tree (the sources `cargo fetch` put in the cargo registry), to measure
# `check` and to see the diagrams of a real, large workspace:
#
#   cargo fetch && benches/real-workspace.sh /tmp/realws
#   cargo run --release -- graph --manifest-path /tmp/realws/Cargo.toml --level crates --format svg -o crates.svg
#
# Nothing is copied into this repository; the workspace is written to the
# folder given (default /tmp/realws).
set -euo pipefail
out=${1:-/tmp/realws}
registry=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)
crates="syn proc-macro2 quote serde serde_core serde_json serde_derive toml toml_parser toml_datetime
toml_writer serde_spanned winnow clap clap_builder clap_derive clap_lex anstream anstyle miette
miette-derive petgraph fixedbitset indexmap hashbrown equivalent rayon rayon-core crossbeam-deque
crossbeam-epoch crossbeam-utils either walkdir same-file strsim thiserror thiserror-impl cargo_metadata
cargo-platform camino semver unicode-ident itoa memchr ryu tokio bytes pin-project-lite mio regex
regex-syntax regex-automata aho-corasick"
rm -rf "$out" && mkdir -p "$out/crates"
members=()
for name in $crates; do
    source=$(ls -d "$registry$name"-[0-9]* 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$source" ] || continue
    cp -r "$source" "$out/crates/$name"
    sed -i '/^\[workspace\]/d' "$out/crates/$name/Cargo.toml"
    members+=("\"crates/$name\"")
done
(IFS=,; printf '[workspace]\nresolver = "2"\nmembers = [%s]\n' "${members[*]}") > "$out/Cargo.toml"
cat > "$out/boundaries.toml" <<'POLICY'
version = 1

# The parsing stack stays free of the async runtime.
[[rule]]
kind = "forbid"
name = "parsers-not-async"
from = ["syn", "toml", "serde_json", "regex"]
to = ["tokio", "mio"]

[[rule]]
kind = "acyclic"
name = "no-crate-cycles"
modules = ["syn", "serde", "serde_json", "toml", "clap", "clap_builder", "miette", "petgraph", "rayon", "rayon_core", "tokio", "regex", "regex_syntax", "regex_automata"]
POLICY
echo "wrote $out with ${#members[@]} crates"
