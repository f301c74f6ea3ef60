#!/usr/bin/env bash
# Writes the hostile-input reproducers of the "safe on a stranger's pull
# request" issue (module cycles, super-linear shapes, files that never end,
# stack-deep code, reads outside the workspace) at their full size, and
# measures a binary on each: wall time, peak RSS and exit code.
#
#   benches/hostile.sh /tmp/hostile                      # write the cases
#   benches/hostile.sh /tmp/hostile target/release/cargo-boundaries [SECONDS]
#
# Each case is /tmp/hostile/<name>/ws (the workspace) beside
# /tmp/hostile/<name>/outside (a marker file the tool must never read).
# Every run is bounded: `timeout` (default 60 s) and a 4 GiB address space.
# tests/it/hostile.rs runs the same attacks at smaller sizes under `cargo test`.
set -euo pipefail
out=${1:-/tmp/hostile}
bin=${2:-}
limit=${3:-60}
marker="MARKER-outside-the-workspace-3f1c"

case_dir() { # name -> creates the workspace skeleton, prints its path
    local ws="$out/$1/ws"
    rm -rf "$out/$1" && mkdir -p "$ws/src" "$out/$1/outside"
    # Valid Rust that breaks the policy: read, it would be reported and its
    # line (with the marker) printed.
    printf 'pub fn leak() { std::process::exit(0); } // %s\n' "$marker" > "$out/$1/outside/secret.rs"
    printf '[package]\nname = "t"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n' > "$ws/Cargo.toml"
    printf 'version = 1\n\n[[rule]]\nkind = "forbid"\nfrom = "t"\nto = "std::process::exit"\n' > "$ws/boundaries.toml"
    echo "$ws"
}

repeat() { # count text -> text repeated
    local n=$1 text=$2
    awk -v n="$n" -v t="$text" 'BEGIN { for (i = 0; i < n; i++) printf "%s", t }'
}

write_cases() {
    local ws
    # 1. module cycles
    ws=$(case_dir cycle-self)
    echo '#[path = "lib.rs"] pub mod me;' > "$ws/src/lib.rs"
    ws=$(case_dir cycle-path-pair)
    echo '#[path = "a.rs"] pub mod a;' > "$ws/src/lib.rs"
    echo '#[path = "b.rs"] pub mod b;' > "$ws/src/a.rs"
    echo '#[path = "a.rs"] pub mod a;' > "$ws/src/b.rs"
    ws=$(case_dir cycle-file-symlink)
    echo 'pub mod a;' > "$ws/src/lib.rs"
    echo 'pub mod b;' > "$ws/src/a.rs"
    mkdir -p "$ws/src/a" && ln -s ../a.rs "$ws/src/a/b.rs"
    ws=$(case_dir cycle-dir-symlink)
    echo 'pub mod a;' > "$ws/src/lib.rs"
    mkdir -p "$ws/src/a" && echo 'pub mod a;' > "$ws/src/a/mod.rs" && ln -s . "$ws/src/a/a"
    ws=$(case_dir cycle-cfg-attr)
    echo '#[cfg_attr(unix, path = "lib.rs")] pub mod x;' > "$ws/src/lib.rs"
    # Not a cycle, but 2^40 modules out of 41 files if followed.
    ws=$(case_dir include-twice)
    echo '#[path = "f0.rs"] pub mod x;' > "$ws/src/lib.rs"
    for i in $(seq 0 39); do
        printf '#[path = "f%d.rs"] pub mod a;\n#[path = "f%d.rs"] pub mod b;\n' $((i + 1)) $((i + 1)) > "$ws/src/f$i.rs"
    done
    echo 'pub fn f() {}' > "$ws/src/f40.rs"

    # 3. super-linear shapes
    ws=$(case_dir long-line)
    { printf 'pub fn f() { '; repeat 80000 'let _ = std::process::id(); '; printf '}\n'; } > "$ws/src/lib.rs"
    ws=$(case_dir many-lines)
    { printf 'pub fn f() {\n'; repeat 80000 'let _ = std::process::id();\n'; printf '}\n'; } > "$ws/src/lib.rs"
    ws=$(case_dir nested-macro)
    # 328 KB nested 900 deep: deep, but within what the parser takes.
    { printf 'm! {\n'; repeat 900 "x { std::process::id(); crate::a::b(); $(repeat 40 'pad pad ')\n";
      repeat 900 '}'; printf '\n}\n'; } > "$ws/src/lib.rs"
    ws=$(case_dir inline-modules)
    awk 'BEGIN { for (i = 0; i < 20000; i++) printf "mod m%d { fn f() { crate::x(); } }\n", i }' > "$ws/src/lib.rs"
    ws=$(case_dir mod-chain)
    echo 'pub mod a;' > "$ws/src/lib.rs"
    local dir="$ws/src"
    for _ in $(seq 2000); do
        echo 'pub mod a; pub fn f() { crate::x(); }' > "$dir/a.rs"
        mkdir "$dir/a" && dir="$dir/a"
    done
    echo 'pub fn f() {}' > "$dir/a.rs"
    ws=$(case_dir huge-file)
    awk 'BEGIN { for (i = 0; i < 400000; i++) printf "pub fn f%d() { let _ = std::process::id(); }\n", i }' > "$ws/src/lib.rs"

    # 4. files that never end
    ws=$(case_dir fifo-root)
    mkfifo "$ws/src/lib.rs"
    ws=$(case_dir dev-zero-root)
    ln -s /dev/zero "$ws/src/lib.rs"

    # 5. stack-deep code
    ws=$(case_dir deep-generics)
    { printf 'pub type T = '; repeat 1500 'Vec<'; printf 'u8'; repeat 1500 '>'; printf ';\n'; } > "$ws/src/lib.rs"
    ws=$(case_dir deep-inline-modules)
    { repeat 2000 'mod m { '; repeat 2000 '} '; echo; } > "$ws/src/lib.rs"
    ws=$(case_dir deep-parens)
    { printf 'pub fn f() -> u8 { '; repeat 3000 '('; printf '1'; repeat 3000 ')'; printf ' }\n'; } > "$ws/src/lib.rs"
    ws=$(case_dir deep-blocks)
    { printf 'pub fn f() { '; repeat 3000 '{ '; repeat 3000 '} '; printf '}\n'; } > "$ws/src/lib.rs"
    ws=$(case_dir long-sum)
    # 14 MB, one expression: parsed in a loop, but 3.5 million levels deep.
    { printf 'pub fn f() -> u32 { 1'; repeat 3500000 ' + 1'; printf ' }\n'; } > "$ws/src/lib.rs"
    ws=$(case_dir deep-macro)
    { printf 'm! { '; repeat 20000 '{'; repeat 20000 '}'; printf ' }\n'; } > "$ws/src/lib.rs"

    # 6. reads outside the workspace
    ws=$(case_dir root-symlink-outside)
    ln -s "$out/root-symlink-outside/outside/secret.rs" "$ws/src/lib.rs"
    ws=$(case_dir lib-path-outside)
    printf '\n[lib]\npath = "../outside/secret.rs"\n' >> "$ws/Cargo.toml"
    sed -i 's/^\[workspace\]$//' "$ws/Cargo.toml" && printf '[workspace]\n' >> "$ws/Cargo.toml"
    ws=$(case_dir bin-symlink-outside)
    echo 'pub fn f() {}' > "$ws/src/lib.rs"
    mkdir -p "$ws/src/bin" && ln -s "$out/bin-symlink-outside/outside/secret.rs" "$ws/src/bin/x.rs"
    sed -i 's/from = "t"/from = ["t", "x"]/' "$ws/boundaries.toml"
    ws=$(case_dir member-outside)
    printf '[workspace]\nmembers = ["../outside/m"]\n' > "$ws/Cargo.toml"
    mkdir -p "$out/member-outside/outside/m/src"
    printf '[package]\nname = "m"\nversion = "0.1.0"\nedition = "2021"\nworkspace = "../../ws"\n' \
        > "$out/member-outside/outside/m/Cargo.toml"
    cp "$out/member-outside/outside/secret.rs" "$out/member-outside/outside/m/src/lib.rs"
    sed -i 's/from = "t"/from = "m"/' "$ws/boundaries.toml"

    # 8.5 cfg_attr alternatives: every one that exists is read
    ws=$(case_dir cfg-attr-alternatives)
    printf '#[cfg_attr(a, path = "x_a.rs")]\n#[cfg_attr(b, path = "x_b.rs")]\npub mod x;\n' > "$ws/src/lib.rs"
    echo 'pub fn a() {}' > "$ws/src/x_a.rs"
    echo 'pub fn b() {}' > "$ws/src/x_b.rs"
    echo 'pub fn c() {}' > "$ws/src/x.rs"
}

measure() {
    printf '%-24s %10s %12s %5s  %s\n' case seconds peak_rss_mb exit note
    for dir in "$out"/*/; do
        local name ws log rc
        name=$(basename "$dir")
        ws="$dir/ws"
        log=$(mktemp)
        rc=0
        prlimit --as=4294967296 -- /usr/bin/time -v timeout -s KILL "$limit" \
            "$bin" check --color never --manifest-path "$ws/Cargo.toml" \
            >"$log.out" 2>"$log" </dev/null || rc=$?
        local secs="" rss="" note=""
        secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
        rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
        [ "$rc" = 137 ] && note="killed at the time limit"
        grep -q "$marker" "$log.out" "$log" && note="$note PRINTED THE OUTSIDE MARKER"
        [ "$rc" = 134 ] && note="$note aborted"
        printf '%-24s %10s %12s %5s  %s\n' "$name" "$secs" "$rss" "$rc" "$note"
        rm -f "$log" "$log.out"
    done
}

if [ -z "$bin" ]; then
    write_cases
else
    [ -d "$out" ] || write_cases
    measure
fi
