#!/usr/bin/env bash
# Prints the source files rustc reads for a crates.io library, from the
# dep-info (`.d`) files of `cargo check`, one path per line relative to the
# crate's folder (files outside it, such as generated ones, left out), sorted: the list tests/it/depinfo.rs compares the module
# tree with. Each extra argument is a set of RUSTFLAGS for one more check
# (other cfgs, other backends); the lists are joined.
#
#   benches/depinfo.sh rustix 1.1.6 '--cfg rustix_use_libc' > tests/data/depinfo/rustix-1.1.6.txt
#
# FEATURES overrides `--all-features` (some crates have features that only
# build inside the standard library). The crate comes from the registry
# through `cargo fetch`; nothing of it is kept.
set -euo pipefail
name=$1
version=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/fetch/src"
touch "$work/fetch/src/lib.rs"
printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n%s = "=%s"\n\n[workspace]\n' \
    "$name" "$version" > "$work/fetch/Cargo.toml"
cargo fetch --quiet --manifest-path "$work/fetch/Cargo.toml"
source=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version" | head -n 1)
cp -r "$source" "$work/crate"
grep -q '^\[workspace\]' "$work/crate/Cargo.toml" || printf '\n[workspace]\n' >> "$work/crate/Cargo.toml"

features=(--all-features)
[ -n "${FEATURES:-}" ] && features=(--features "$FEATURES")
run=0
for flags in "" "$@"; do
    run=$((run + 1))
    RUSTFLAGS="$flags" cargo check --quiet --lib "${features[@]}" \
        --manifest-path "$work/crate/Cargo.toml" --target-dir "$work/target-$run" >&2
    crate=${name//-/_}
    # The first line of the library's .d file: `out: in1 in2 ...`.
    head -n 1 "$work/target-$run"/debug/deps/"$crate"-*.d | cut -d: -f2- | tr ' ' '\n'
done | grep -v '^$' | while read -r file; do
    # rustc names a `#[path]` file as written (`bits/../../x86/x.rs`); the
    # tree names it by its real path.
    realpath -m -s --relative-to="$work/crate" "$file"
done | grep -v -e '^\.\./' -e '^/' | sort -u
