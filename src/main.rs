//! The `policybook` command: parses arguments, calls the library, prints diagnostics.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use policybook::{Config, Date, Diagnostic, Error, LoadOptions, acks, error::plural, release};

/// Build a policy website, SCORM packages for Moodle, PDFs and signed releases from Markdown.
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
        /// Sign the release with this minisign secret key (default: $POLICYBOOK_SIGN_KEY, then
        /// `sign_key` in policybook.toml). Its password is asked for, or read from
        /// $POLICYBOOK_PASSWORD when no terminal is attached.
        #[arg(long, value_name = "SECRET_KEY")]
        sign: Option<PathBuf>,
        /// Render every page and package again instead of reusing the previous build's files
        /// whose inputs did not change (the output is the same either way).
        #[arg(long)]
        fresh: bool,
    },
    /// Build the website and serve it on this computer; rebuild and reload open pages
    /// whenever a policy, quiz, theme file or the config changes (Ctrl-C stops).
    Serve {
        #[command(flatten)]
        project: ProjectArgs,
        /// Port to serve on (0: any free port).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Address to serve on. Only this computer can reach the default; another address
        /// lets anyone on the network read the pages, drafts included.
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Run every validation and report all problems; writes nothing.
    Check {
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Record every policy version not yet released in policybook.lock, and archive its text in
    /// history/ (run it when a version is approved; commit both).
    Release {
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Create a key pair for signing releases, in minisign's formats (as `minisign -G`).
    Keygen {
        /// Where to write the public key (publish it; auditors verify with it).
        #[arg(short = 'p', value_name = "PUBLIC_KEY")]
        public: PathBuf,
        /// Where to write the secret key (keep it private, outside the project's content).
        #[arg(short = 's', value_name = "SECRET_KEY")]
        secret: PathBuf,
        /// Do not protect the secret key with a password (for unattended signing in CI).
        #[arg(short = 'W')]
        unprotected: bool,
        /// Overwrite existing key files.
        #[arg(short = 'f', long)]
        force: bool,
        /// Project folder: the secret key is refused inside its content/ and output folders.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The project's output folder.
        #[arg(long, value_name = "DIR", default_value = "build")]
        out: PathBuf,
    },
    /// Check a build, a copy of the site, or a SCORM zip against its signed manifest.
    Verify {
        /// A build folder, a site folder (a copy on a shared drive), or a SCORM package.
        path: PathBuf,
        /// The organisation's public key (default: policybook.pub inside the copy, which
        /// proves less: a forger could replace both).
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Reconcile acknowledgements (website receipts, LMS interaction reports) with the release:
    /// who acknowledged the current version, an older one, or none.
    Acks {
        /// Receipts (.json), LMS reports (Moodle's SCORM Interactions or Objectives report as
        /// downloaded: tab-separated .txt, .xlsx or .ods; or .csv, .tsv), or folders of them.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// The release to reconcile against.
        #[arg(long, value_name = "FILE", default_value = "build/manifest.json")]
        manifest: PathBuf,
        /// The people who must acknowledge (columns name, and email or staff_id), as .csv,
        /// .tsv, .txt, .xlsx or .ods.
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
        /// Column names of another LMS's report, e.g. `name=Full name,email=Email,date=Completed`.
        #[arg(long, value_name = "MAP")]
        columns: Option<String>,
        /// Also write the result as CSV (opens in Excel).
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Exit with status 3 when anyone must acknowledge or re-acknowledge (scheduled checks).
        #[arg(long)]
        fail_if_action_needed: bool,
        /// The date acknowledgements expire against, for policies with `reacknowledge`
        /// (default: the download date in a Moodle report's file name, else SOURCE_DATE_EPOCH,
        /// else today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// The review dashboard: per owner, policies overdue for review, due soon and current;
    /// drafts; policies without a quiz; roles without duties; and, given acknowledgement
    /// records (as for `acks`), how many people are on each version.
    Status {
        #[command(flatten)]
        project: ProjectArgs,
        /// Acknowledgement records, as `policybook acks` takes them (receipts, LMS reports,
        /// folders of them): adds acknowledgement coverage per policy.
        #[arg(value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// "Due" means a review date within this many days (default: review_warning_days).
        #[arg(long, value_name = "DAYS")]
        within: Option<u32>,
        /// Print JSON, for scripts.
        #[arg(long)]
        json: bool,
        /// Also write the dashboard as a self-contained HTML page.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Exit with status 3 when any policy is overdue for review (scheduled checks).
        #[arg(long)]
        fail_if_overdue: bool,
        /// The release the records are reconciled against (default: ROOT/build/manifest.json).
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
        /// The people who must acknowledge, as for `acks`.
        #[arg(long, value_name = "FILE")]
        roster: Option<PathBuf>,
        /// Column names of another LMS's report, as for `acks`.
        #[arg(long, value_name = "MAP")]
        columns: Option<String>,
    },
    /// Start a new policy: content/<id>.md with today's date, the review interval and a
    /// standard section skeleton (and quizzes/<id>.toml with --quiz). Never overwrites.
    New {
        /// The policy's title, e.g. "Lone Working Policy".
        title: String,
        /// Its id and file name (default: from the title, e.g. `lone-working`).
        #[arg(long)]
        id: Option<String>,
        /// The category it is listed under on the index.
        #[arg(long, value_name = "CATEGORY")]
        category: Option<String>,
        /// Who owns it (a job title, not a person's name).
        #[arg(long, value_name = "OWNER")]
        owner: Option<String>,
        /// Also start a quiz on it.
        #[arg(long)]
        quiz: bool,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Import Word (.docx) and OpenDocument (.odt) policies as Markdown in content/, with
    /// their document control as front matter. Never overwrites without --force.
    Import {
        /// The documents, or folders of them.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Where the policies go (default: ROOT/content).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Show what would be imported, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace a policy that already exists.
        #[arg(long)]
        force: bool,
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
            ..LoadOptions::default()
        }
    }
}

/// What an incremental build did not redo: ` (reused 1998 of 2000 policies and modules
/// unchanged since the last build)`.
fn reuse_suffix(counts: policybook::reuse::ReuseCounts) -> String {
    let total = counts.reused + counts.rendered;
    if counts.reused == 0 {
        return String::new();
    }
    format!(
        " (reused {} of {total} policies and modules unchanged since the last build)",
        counts.reused
    )
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
        Err(Error::ActionNeeded) => ExitCode::from(3),
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
        Command::Build {
            project,
            out,
            sign,
            fresh,
        } => {
            let signer = match sign_key_path(sign.as_deref(), &project.root)? {
                Some(path) => {
                    release::check_secret_key_location(&path, &project.root, out)?;
                    Some(load_signer(&path)?)
                }
                None => None,
            };
            let report = policybook::build(&project.options(), out, signer.as_ref(), *fresh)?;
            if !cli.quiet {
                print_build_summary(&report, signer.is_some());
            }
            Ok(report.warnings)
        }
        Command::Serve {
            project,
            port,
            bind,
            open,
        } => {
            if !bind.is_loopback() {
                eprintln!(
                    "warning: serving on {bind}: anyone who can reach this computer on the network can read these pages, drafts included"
                );
            }
            let server = policybook::serve::Server::bind(policybook::serve::ServeOptions {
                load: project.options(),
                address: *bind,
                port: *port,
            })?;
            let url = server.url();
            println!("Serving {} at {url} (Ctrl-C stops)", project.root.display());
            if *open {
                open_in_browser(&url);
            }
            let quiet = cli.quiet;
            let format = cli.message_format;
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            server.run(Box::new(move |outcome| match outcome {
                Ok(report) => {
                    print_diagnostics(&report.warnings, format, color);
                    if !quiet {
                        println!(
                            "Built {} in {:.2} s{}; pages reload",
                            plural(report.policies, "policy"),
                            report.elapsed.as_secs_f64(),
                            reuse_suffix(report.reuse),
                        );
                    }
                }
                Err(error) => {
                    print_diagnostics(error.diagnostics(), format, color);
                    eprintln!("error: {error} (still serving the last good build)");
                }
            }))?;
            Ok(Vec::new())
        }
        Command::Check { project } => {
            let project = policybook::load(&project.options())?;
            if !cli.quiet {
                println!(
                    "Checked {}: no errors{}",
                    plural(project.policies.len(), "policy"),
                    warning_suffix(&project.warnings),
                );
                print_drafts(&project);
            }
            Ok(project.warnings)
        }
        Command::Release { project } => {
            let project = policybook::load(&project.options())?;
            let report = policybook::ledger::release(&project)?;
            if !cli.quiet {
                print_release(&report);
            }
            Ok(project.warnings)
        }
        Command::Keygen {
            public,
            secret,
            unprotected,
            force,
            root,
            out,
        } => {
            release::check_secret_key_location(secret, root, out)?;
            let password = if *unprotected {
                None
            } else {
                Some(new_password()?)
            };
            let paths = release::KeyPaths {
                public: public.clone(),
                secret: secret.clone(),
            };
            let info = release::generate_keypair(&paths, password.as_deref(), *force)?;
            if !cli.quiet {
                println!("Key pair {} written:", info.key_id);
                println!(
                    "  public key: {} (publish it; sign builds with the secret key)",
                    public.display()
                );
                println!(
                    "  secret key: {}{}",
                    secret.display(),
                    if *unprotected {
                        " (not password-protected)"
                    } else {
                        ""
                    }
                );
                println!(
                    "Sign a build with: policybook build --sign {}",
                    secret.display()
                );
            }
            Ok(Vec::new())
        }
        Command::Verify { path, pubkey, json } => {
            let key = pubkey
                .as_deref()
                .map(release::load_public_key)
                .transpose()?;
            let report = release::verify_path(path, key.as_ref())?;
            if *json {
                println!("{}", report.to_json());
            } else {
                println!("{}", report.summary());
            }
            match report.failure() {
                None => Ok(Vec::new()),
                Some(why) => Err(Error::Usage(format!("{} is {why}", path.display()))),
            }
        }
        Command::Acks {
            inputs,
            manifest,
            roster,
            columns,
            csv,
            fail_if_action_needed,
            as_of,
        } => {
            let (result, as_of, from) = reconcile_records(
                inputs,
                manifest,
                roster.as_deref(),
                columns.as_deref(),
                *as_of,
            )?;
            if result.policies.iter().any(|p| p.reacknowledge.is_some()) {
                println!("Acknowledgements expire as of {as_of} ({from}).");
            }
            print!("{}", result.table());
            println!("{}", result.summary());
            if let Some(path) = csv {
                std::fs::write(path, result.to_csv()).map_err(|e| Error::io(path, e))?;
            }
            if *fail_if_action_needed && result.needs_action() {
                return Err(Error::ActionNeeded);
            }
            Ok(Vec::new())
        }
        Command::Status {
            project,
            inputs,
            within,
            json,
            html,
            fail_if_overdue,
            manifest,
            roster,
            columns,
        } => {
            let loaded = policybook::load(&project.options())?;
            let acks = if inputs.is_empty() {
                None
            } else {
                let manifest = manifest
                    .clone()
                    .unwrap_or_else(|| project.root.join("build").join("manifest.json"));
                // Expiry is counted on the dashboard's date, so the two agree.
                let (result, _, _) = reconcile_records(
                    inputs,
                    &manifest,
                    roster.as_deref(),
                    columns.as_deref(),
                    Some(loaded.today),
                )?;
                Some(result)
            };
            let within = within.unwrap_or(loaded.config.review_warning_days);
            let dashboard = policybook::status::dashboard(&loaded, within, acks.as_ref());
            if *json {
                let text = serde_json::to_string_pretty(&dashboard)
                    .map_err(|e| Error::Usage(format!("cannot write JSON: {e}")))?;
                println!("{text}");
            } else if !cli.quiet {
                print!("{}", policybook::status::table(&dashboard));
            }
            if let Some(path) = html {
                std::fs::write(path, policybook::status::html(&dashboard))
                    .map_err(|e| Error::io(path, e))?;
            }
            if *fail_if_overdue && dashboard.any_overdue() {
                return Err(Error::ActionNeeded);
            }
            Ok(loaded.warnings)
        }
        Command::New {
            title,
            id,
            category,
            owner,
            quiz,
            project,
        } => {
            let root = &project.root;
            let config = Config::load(root, &root.join(policybook::config::CONFIG_FILE))?;
            let today = policybook::config::resolve_today(project.today, &config)?;
            let request = policybook::new::NewPolicy {
                title,
                id: id.as_deref(),
                category: category.as_deref(),
                owner: owner.as_deref(),
                quiz: *quiz,
            };
            let created = policybook::new::new_policy(root, &config, today, &request)?;
            if !cli.quiet {
                println!("Created policy `{}`:", created.id);
                for file in &created.files {
                    let shown = if root == Path::new(".") {
                        file.clone()
                    } else {
                        root.join(file)
                    };
                    println!("  {}", shown.display());
                }
                println!(
                    "Write it, then see it with `policybook build`; run `policybook release` once it is approved."
                );
            }
            Ok(Vec::new())
        }
        Command::Import {
            files,
            out,
            dry_run,
            force,
            project,
        } => {
            let root = &project.root;
            let options = policybook::import::ImportOptions {
                out: out.clone(),
                dry_run: *dry_run,
                force: *force,
            };
            let report = policybook::import::import(root, files, &options)?;
            if !cli.quiet {
                print!("{}", policybook::import::report::render(&report));
            }
            Ok(Vec::new())
        }
        Command::Init { dir } => {
            let files = policybook::init::init(dir)?;
            if !cli.quiet {
                println!("Created a policybook project in {}:", dir.display());
                for file in files {
                    println!("  {file}");
                }
                println!(
                    "Build it with:\n  cd {}\n  policybook build",
                    shell_word(&dir.display().to_string())
                );
            }
            Ok(Vec::new())
        }
    }
}

/// What `build` made, and where: the site to open first, then the other outputs.
fn print_build_summary(report: &policybook::BuildReport, signed: bool) {
    println!(
        "Built {} into {}: {} pages, {} SCORM packages, {} PDFs{}, in {:.2} s{}",
        plural(report.policies, "policy"),
        report.out.display(),
        report.pages,
        report.packages,
        report.pdfs,
        reuse_suffix(report.reuse),
        report.elapsed.as_secs_f64(),
        warning_suffix(&report.warnings),
    );
    let out = &report.out;
    let mut lines = vec![(
        out.join("site").join("index.html").display().to_string(),
        "the website: open it in a browser (it works from disk or any web server)".to_string(),
    )];
    if report.packages > 0 {
        lines.push((
            format!("{}/", out.join("scorm").display()),
            "SCORM packages to add to Moodle (its README.md says how)".to_string(),
        ));
    }
    if report.pdfs > 0 {
        lines.push((
            format!("{}/", out.join("pdf").display()),
            "a PDF of every policy, for shared drives".to_string(),
        ));
    }
    if out.join("quizzes").is_dir() {
        lines.push((
            format!("{}/", out.join("quizzes").display()),
            "the quizzes as GIFT and Moodle XML, for a question bank".to_string(),
        ));
    }
    let manifest = if signed {
        "every file's SHA-256, signed (policybook verify checks a copy)"
    } else {
        "every file's SHA-256 (policybook verify checks a copy)"
    };
    lines.push((
        out.join("manifest.json").display().to_string(),
        manifest.to_string(),
    ));
    let width = lines
        .iter()
        .map(|(path, _)| path.chars().count())
        .max()
        .unwrap_or(0);
    for (path, what) in lines {
        println!("  {path:width$}  {what}");
    }
}

/// Opens `url` with the desktop's browser; a failure only means the user opens it themselves.
fn open_in_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("note: could not start a browser: open {url} yourself");
    }
}

/// Reads acknowledgement records and reconciles them with the release in `manifest`; returns
/// the result and the date expiry was counted against, with where that date came from.
fn reconcile_records(
    inputs: &[PathBuf],
    manifest: &Path,
    roster: Option<&Path>,
    columns: Option<&str>,
    as_of: Option<Date>,
) -> Result<(acks::Reconciliation, Date, &'static str), Error> {
    let bytes = acks::read_regular_file(manifest)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("{}: not UTF-8 text", manifest.display())))?;
    let release = release::ReleaseManifest::from_json(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}", manifest.display())))?;
    let policies = acks::CurrentPolicy::from_manifest(&release);
    let columns = columns.map(str::parse::<acks::Columns>).transpose()?;
    let (records, invalid) = acks::load_records(inputs, columns.as_ref())?;
    let audiences: Vec<String> = release.audiences.iter().map(|a| a.id.clone()).collect();
    let people = roster
        .map(|path| acks::load_roster_with_audiences(path, &audiences))
        .transpose()?;
    let (as_of, from) = acks_as_of(as_of, &records)?;
    let result = acks::reconcile_on(&policies, &records, people.as_deref(), Some(as_of))
        .with_invalid(invalid);
    Ok((result, as_of, from))
}

/// The date `acks` counts expiry against, and where it came from.
fn acks_as_of(
    flag: Option<Date>,
    records: &[acks::AckRecord],
) -> Result<(Date, &'static str), Error> {
    if let Some(date) = flag {
        return Ok((date, "--as-of"));
    }
    if let Some(date) = acks::report_download_date(records) {
        return Ok((
            date,
            "the download date of the LMS report; set another with --as-of",
        ));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let date = Date::from_unix_seconds(epoch.trim()).ok_or_else(|| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH={epoch:?} is not a number of seconds since 1970-01-01"
            ))
        })?;
        return Ok((date, "SOURCE_DATE_EPOCH"));
    }
    Ok((Date::today_utc(), "today; set another with --as-of"))
}

/// The secret key to sign with: the flag, then $POLICYBOOK_SIGN_KEY, then `sign_key` in the
/// config (relative to the project).
fn sign_key_path(flag: Option<&Path>, root: &Path) -> Result<Option<PathBuf>, Error> {
    if let Some(path) = flag {
        return Ok(Some(path.to_path_buf()));
    }
    if let Some(path) = std::env::var_os("POLICYBOOK_SIGN_KEY").filter(|p| !p.is_empty()) {
        return Ok(Some(PathBuf::from(path)));
    }
    let config = Config::load(root, &root.join(policybook::config::CONFIG_FILE))?;
    Ok(config.sign_key.map(|path| root.join(path)))
}

/// Loads a secret key, asking for its password on the terminal, or reading
/// $POLICYBOOK_PASSWORD when none is attached.
fn load_signer(path: &Path) -> Result<release::SecretKeyHandle, Error> {
    if let Some(password) = release::password_from_env(release::PASSWORD_ENV) {
        return release::load_secret_key(path, Some(&password));
    }
    match release::load_secret_key(path, None) {
        Err(Error::Usage(message))
            if message.contains("password-protected") && std::io::stdin().is_terminal() =>
        {
            let prompt = format!("Password for {}: ", path.display());
            let password = rpassword::prompt_password(prompt).map_err(|e| Error::io(path, e))?;
            release::load_secret_key(path, Some(&password))
        }
        other => other,
    }
}

/// A password for a new secret key: typed twice on a terminal, else $POLICYBOOK_PASSWORD.
fn new_password() -> Result<String, Error> {
    if let Some(password) = release::password_from_env(release::PASSWORD_ENV) {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(format!(
            "no terminal to ask for a password: set {} or use -W for a key without one",
            release::PASSWORD_ENV
        )));
    }
    let io = |e| Error::io("terminal", e);
    let first = rpassword::prompt_password("Password for the new secret key: ").map_err(io)?;
    let again = rpassword::prompt_password("The same password again: ").map_err(io)?;
    if first != again {
        return Err(Error::Usage(
            "the two passwords differ; nothing was written".to_owned(),
        ));
    }
    if first.is_empty() {
        return Err(Error::Usage(
            "empty password: use -W for a key without one".to_owned(),
        ));
    }
    Ok(first)
}

/// Lists the versions not yet released, when the project keeps a release ledger.
fn print_drafts(project: &policybook::Project) {
    let drafts: Vec<_> = project
        .policies
        .iter()
        .filter(|p| project.release_state(p) == policybook::ledger::ReleaseState::Draft)
        .collect();
    if drafts.is_empty() {
        return;
    }
    println!(
        "{} not released yet (run `policybook release` once approved):",
        plural(drafts.len(), "draft")
    );
    for p in drafts {
        println!("  {} version {} ({})", p.id, p.version, p.path.display());
    }
}

fn print_release(report: &policybook::ledger::ReleaseReport) {
    if report.released.is_empty() && report.moved.is_empty() {
        println!("Nothing to release: every policy version is already in policybook.lock.");
        return;
    }
    for r in &report.released {
        println!(
            "Released {} version {} (sha256:{}), archived as {}{}",
            r.id,
            r.version,
            &r.digest[..policybook::digest::SHORT_LEN],
            r.archive,
            if r.approved.is_none() {
                " (no `approved:` date recorded)"
            } else {
                ""
            }
        );
    }
    for (id, source) in &report.moved {
        println!("Recorded the new file of {id}: {source}");
    }
    println!("Commit policybook.lock and history/ with the policies.");
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

/// `text` as one word for a POSIX shell: quoted only when it needs to be.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./-+,:@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
