//! The `speedup` command line. Each subcommand lives in its own file in `cli/`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // First thing: if this process was started as a process-strategy worker,
    // serve chunks and exit (see `strategy/worker.rs`).
    speedup::worker_hook();
    cli::main()
}
