//! The `policybook` command: parses arguments, calls the library, prints diagnostics.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use policybook::{Date, Diagnostic, Error, LoadOptions, error::plural};

/// Build a policy website (and, later, SCORM packages and signed releases) from Markdown.
#[derive(Parser)]
#[command(name = "policybook", version, about, propagate_version = true)]
struct Cli {
    /// Print only warnings and errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// How to print problems: `human` (with the source line) or `short` (one line each).
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
}

#[derive(Subcommand)]
enum Command {
    /// Build the website into OUT/site/ (the previous build is replaced only on success).
    Build {
        #[command(flatten)]
        project: ProjectArgs,
        /// Output folder.
        #[arg(long, value_name = "DIR", default_value = "build")]
        out: PathBuf,
    },
    /// Run every validation and report all problems; writes nothing.
    Check {
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Create a new project, with a config and an example policy, in DIR.
    Init {
        /// Folder to create (must be empty or not exist).
        dir: PathBuf,
    },
}

#[derive(Args)]
struct ProjectArgs {
    /// Project folder (the one holding policybook.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Date for review status, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, the config's `today`,
    /// or the current date).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

impl ProjectArgs {
    fn options(&self) -> LoadOptions {
        LoadOptions {
            root: self.root.clone(),
            today: self.today,
        }
    }
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match run(&cli) {
        Ok(warnings) => {
            print_diagnostics(&warnings, cli.message_format, color);
            ExitCode::SUCCESS
        }
        Err(error) => {
            print_diagnostics(error.diagnostics(), cli.message_format, color);
            eprintln!(
                "{}: {error}",
                if color {
                    "\x1b[1;31merror\x1b[0m"
                } else {
                    "error"
                }
            );
            ExitCode::FAILURE
        }
    }
}

/// Runs the command; returns the warnings to print.
fn run(cli: &Cli) -> Result<Vec<Diagnostic>, Error> {
    match &cli.command {
        Command::Build { project, out } => {
            let report = policybook::build(&project.options(), out)?;
            if !cli.quiet {
                println!(
                    "Built {} into {}: {} pages, {} SCORM packages, in {:.2} s{}",
                    plural(report.policies, "policy").replace("policys", "policies"),
                    report.out.display(),
                    report.pages,
                    report.packages,
                    report.elapsed.as_secs_f64(),
                    warning_suffix(&report.warnings),
                );
            }
            Ok(report.warnings)
        }
        Command::Check { project } => {
            let project = policybook::load(&project.options())?;
            if !cli.quiet {
                println!(
                    "Checked {}: no errors{}",
                    plural(project.policies.len(), "policy").replace("policys", "policies"),
                    warning_suffix(&project.warnings),
                );
            }
            Ok(project.warnings)
        }
        Command::Init { dir } => {
            let files = policybook::init::init(dir)?;
            if !cli.quiet {
                println!("Created a policybook project in {}:", dir.display());
                for file in files {
                    println!("  {file}");
                }
                println!("Build it with: policybook build --root {}", dir.display());
            }
            Ok(Vec::new())
        }
    }
}

fn warning_suffix(warnings: &[Diagnostic]) -> String {
    if warnings.is_empty() {
        String::new()
    } else {
        format!(", {}", plural(warnings.len(), "warning"))
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], format: MessageFormat, color: bool) {
    for d in diagnostics {
        match format {
            MessageFormat::Human => eprintln!("{}", d.render(color)),
            MessageFormat::Short => eprintln!("{d}"),
        }
    }
}
