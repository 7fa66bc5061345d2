//! The mentorbot binary. Everything, the async runtime included, lives in the library, so the
//! program's futures are compiled once there rather than again in this crate.

fn main() -> std::process::ExitCode {
    mentorbot::app::main()
}
