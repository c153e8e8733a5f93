//! The `autogen` binary: parse the command line, run, report.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = autogen_cli::Cli::parse();
    match autogen_cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", autogen_cli::one_line(&error));
            ExitCode::from(2)
        }
    }
}
