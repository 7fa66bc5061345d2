//! Link-time settings for the mentorbot binary.

use std::process::Command;

fn main() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    // Relative relocations packed: the loader reads a few kilobytes at start instead of 2 MB of
    // them, which otherwise stay resident. The binary then needs glibc 2.36 or later, so only
    // where it is built to run here (not cross-compiled) on such a glibc, and on x86_64, where
    // Rust links with its own lld, which knows the option (binutils' ld needs 2.38).
    let native = var("TARGET") == var("HOST");
    if native
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && glibc_at_least(2, 36)
    {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    // The functions that run, placed together (see link/hot-functions.txt): in release builds,
    // whose names the list holds, and only with Rust's own lld (the default linker for x86_64
    // Linux when the toolchain ships it), as GNU ld does not know the option.
    let hot_functions = format!("{}/link/hot-functions.txt", var("CARGO_MANIFEST_DIR"));
    if var("TARGET") == "x86_64-unknown-linux-gnu"
        && var("PROFILE") == "release"
        && std::path::Path::new(&hot_functions).exists()
        && links_with_rust_lld()
    {
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={hot_functions}");
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
    println!("cargo:rerun-if-changed={hot_functions}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// The version of the C library here, as `getconf GNU_LIBC_VERSION` gives it ("glibc 2.36").
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(output) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let mut numbers = text
        .trim()
        .trim_start_matches("glibc ")
        .split('.')
        .map(|n| n.parse::<u32>().ok());
    match (numbers.next().flatten(), numbers.next().flatten()) {
        (Some(found_major), Some(found_minor)) => (found_major, found_minor) >= (major, minor),
        _ => false,
    }
}

/// Whether rustc links with the lld it ships: the toolchain has it, and the build names no
/// linker of its own.
fn links_with_rust_lld() -> bool {
    let named_linker = std::env::var("CARGO_ENCODED_RUSTFLAGS")
        .unwrap_or_default()
        .contains("link")
        || std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let Ok(output) = Command::new(rustc).args(["--print", "sysroot"]).output() else {
        return false;
    };
    let sysroot = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let lld = format!("{sysroot}/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld");
    !named_linker && std::path::Path::new(&lld).exists()
}
