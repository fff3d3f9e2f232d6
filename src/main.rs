use std::process::ExitCode;

fn main() -> ExitCode {
    spotcheck::cli::run()
}
