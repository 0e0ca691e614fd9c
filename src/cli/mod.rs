//! The command line: argument definitions (one table of flags that also makes `--help`) and
//! one small function per subcommand that calls the library and prints. Results go to
//! standard output, messages and progress to standard error.

mod args;
mod evaluate;
mod predict;
mod progress;
mod suggest;
mod train;
mod tune;

pub use args::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Train(a) => train::run(a),
        Command::Predict(a) => predict::run(a),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Suggest(a) => suggest::run(a),
        Command::Tune(a) => tune::run(a),
    }
}
