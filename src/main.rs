//! The `stance` binary: parses arguments, calls the library, prints. Errors become one line
//! on standard error and exit status 2; a closed output pipe ends quietly with status 0.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator. The solver allocates its vectors once per fit
/// (`model/newton.rs`), so what is left is the vectorizer's many small allocations; measured at
/// this commit (3 runs each): pooled TweetEval stance with character n-grams trains in
/// 1.32-1.37 s against 1.48-1.52 s with glibc, NewsMTSC in 3.7-3.9 s against 3.6 s, and peak
/// memory on NewsMTSC is 338-344 MiB against 369-371 MiB.
///
/// Built with mimalloc's `no_thp` (the process opts out of transparent huge pages): mimalloc 3
/// otherwise backs its arena with 2 MiB pages, and on this benchmark machine (a virtual machine
/// that hands freed memory back to its host) a first touch of a huge page after the machine
/// has been idle a second costs far more than the 4 KiB pages it replaces. NewsMTSC training,
/// 3 runs each with 2 s pauses between: 0.80-0.82 s with huge pages, 0.42-0.47 s without
/// (same model bytes); peak memory 269-288 MiB against 234-238 MiB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<stance::Error>().is_some_and(|s| {
                matches!(s, stance::Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

/// The error and its causes on one line, each cause once. Our errors describe their own
/// source (`data.csv: no such file or directory; check the path`), so the chain stops at the
/// first of them: `{:#}` would repeat the source in the operating system's words.
fn one_line_error(e: &anyhow::Error) -> String {
    let mut line = e.to_string();
    let mut described = false;
    for (i, cause) in e.chain().enumerate() {
        if described {
            break;
        }
        described = cause.downcast_ref::<stance::Error>().is_some();
        let cause = cause.to_string();
        if i > 0 && !line.contains(&cause) {
            line.push_str(": ");
            line.push_str(&cause);
        }
    }
    line
}

/// clap's message for bad arguments as one line: its first paragraph (the error and, for
/// missing arguments, their names), without the usage and tip that follow.
fn one_line(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    first.join(" ").trim_start_matches("error: ").to_string()
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                e.exit();
            }
            eprintln!("stance: error: {} (see `stance --help`)", one_line(&e));
            return ExitCode::from(2);
        }
    };
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stance: error: {}", one_line_error(&e));
            ExitCode::from(2)
        }
    }
}
