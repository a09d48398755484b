//! The `notelint` binary: parse arguments, run, map the outcome to an exit code.
//!
//! Exit codes: 0 no finding at error severity; 1 at least one; 2 usage, configuration or
//! rule-pack error, or a note that could not be read.

mod cli;
mod lsp;
mod serve;
mod setup;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("notelint: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
