//! Helpers shared by the benchmarks.

/// The bot to run: this build's binary, or the program `MENTORBOT_BINARY` names (another build
/// to compare with, or a wrapper such as `link/profile.sh`'s).
pub fn mentorbot_binary() -> String {
    std::env::var("MENTORBOT_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_mentorbot").to_string())
}

/// Resident memory of a process in MiB, from /proc.
pub fn resident_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}
