//! Link-time settings for the mentorbot binary.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let libc = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && libc == "gnu" {
        // Relative relocations packed (glibc 2.36+, binutils 2.38+): the loader reads a few
        // kilobytes at start instead of 2 MB of them, which otherwise stay resident.
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
