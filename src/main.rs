//! `cargo-boundaries`: parses arguments, runs the library, exits with its
//! code (0 clean, 1 violations, 2 could not check).

fn main() {
    return_freed_pages_sooner();
    std::process::exit(cargo_boundaries::run(std::env::args_os().collect()));
}

/// syn allocates a node for almost every token; mimalloc makes parsing
/// markedly faster than the system allocator (on rust-analyzer's 824
/// files, a quarter less CPU time). Built without transparent huge pages
/// (Cargo.toml's `no_thp`): with them it kept half again as much memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long, in milliseconds, mimalloc keeps a freed page before giving it
/// back to the system. Its own default is a second: a run frees the
/// syntax trees and the extracted references on some threads while others
/// allocate, so a second's worth of freed pages is a quarter of the peak.
/// At 10 ms rust-analyzer peaks at 47 MB instead of 69 for the same time.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (`mimalloc.h`; the
/// Rust bindings have no constant for it). The enum keeps retired options
/// in place, so the number is stable; the default is checked before the
/// option is set all the same.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc v3's purge delay when nobody set one.
const MIMALLOC_DEFAULT_PURGE_DELAY_MS: std::ffi::c_long = 1000;

/// Sets mimalloc's purge delay, unless the user chose one
/// (`MIMALLOC_PURGE_DELAY`, read by mimalloc when the process starts) or
/// the option is not the one expected. The crate's only unsafe code: the
/// library forbids it (`lib.rs`).
#[allow(unsafe_code)]
fn return_freed_pages_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: `mi_option_get` and `mi_option_set` read and store a number
    // in mimalloc's option table (an array indexed by the option; 15 is in
    // range), which every later purge reads.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == MIMALLOC_DEFAULT_PURGE_DELAY_MS
        {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
}
