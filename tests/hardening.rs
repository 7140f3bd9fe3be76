//! Regression tests for issue 9: the defects outside testing found in the output swap, keys,
//! inputs and messages. Each test is named after the defect it pins down.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::*;

fn example() -> TempDir {
    project(&[
        ("policybook.toml", CONFIG),
        ("content/a.md", &policy("Policy A", "")),
        ("content/b.md", &policy("Policy B", "")),
    ])
}

/// A folder outside the project with one file in it, to see whether a build touches it.
fn bystander() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "precious/keep.txt", "do not delete");
    dir
}

fn assert_untouched(bystander: &TempDir) {
    let kept = bystander.path().join("precious/keep.txt");
    assert_eq!(
        std::fs::read_to_string(&kept).ok().as_deref(),
        Some("do not delete"),
        "{} was deleted",
        kept.display()
    );
}

#[test]
fn a_planted_staging_link_is_refused_and_its_target_kept() {
    for planted in [
        ".build.partial",
        ".build.old",
        ".build.partial.123",
        ".build.old.9",
        ".build.spare",
    ] {
        let dir = example();
        let outside = bystander();
        symlink(outside.path().join("precious"), dir.path().join(planted)).unwrap();
        let err = run_err(dir.path(), &["build"]).join("\n");
        assert!(err.contains("symbolic link"), "{planted}: {err}");
        assert!(err.contains(planted), "{planted}: {err}");
        assert_untouched(&outside);
    }
}

#[test]
fn an_output_folder_that_is_a_link_is_refused() {
    let dir = example();
    let deploy = tempfile::tempdir().unwrap();
    run_ok(
        dir.path(),
        &[
            "build",
            "--out",
            &deploy.path().join("www").to_string_lossy(),
        ],
    );
    write(deploy.path(), "www/site/extra.txt", "kept");
    symlink(deploy.path().join("www"), dir.path().join("build")).unwrap();
    let err = run_err(dir.path(), &["build"]).join("\n");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains("--out"), "{err}");
    assert!(deploy.path().join("www/site/extra.txt").is_file());
    assert!(
        std::fs::symlink_metadata(dir.path().join("build"))
            .unwrap()
            .is_symlink()
    );
    // Nothing was left behind that makes the next build fail.
    std::fs::remove_file(dir.path().join("build")).unwrap();
    run_ok(dir.path(), &["build"]);
}

#[test]
fn a_second_build_into_the_same_output_is_refused_while_one_runs() {
    let dir = example();
    run_ok(dir.path(), &["build"]);
    let before = read_tree(&dir.path().join("build"));
    // Hold the lock as a running build does.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join(".build.lock"))
        .unwrap();
    lock.lock().unwrap();
    write(dir.path(), "content/c.md", &policy("Policy C", ""));
    let err = run_err(dir.path(), &["build"]).join("\n");
    assert!(err.contains("another policybook build"), "{err}");
    assert_eq!(read_tree(&dir.path().join("build")), before);
    drop(lock);
    run_ok(dir.path(), &["build"]);
    assert!(
        dir.path()
            .join("build/site/policies/c/index.html")
            .is_file()
    );
}

#[test]
fn concurrent_builds_never_publish_a_mixture() {
    let dir = example();
    for i in 0..30 {
        write(
            dir.path(),
            &format!("content/p{i:02}.md"),
            &policy(&format!("P {i}"), ""),
        );
    }
    let bin = env!("CARGO_BIN_EXE_policybook");
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(bin)
                .args(["--quiet", "build"])
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outcomes: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    assert!(outcomes.iter().any(|o| o.status.success()));
    for o in outcomes.iter().filter(|o| !o.status.success()) {
        assert!(
            stderr(o).contains("another policybook build"),
            "{}",
            stderr(o)
        );
    }
    let out = stdout(&run(dir.path(), &["verify", "build"]));
    assert!(out.contains("0 modified, 0 missing; 0 unexpected"), "{out}");
    for i in 0..30 {
        let page = dir
            .path()
            .join(format!("build/site/policies/p{i:02}/index.html"));
        assert!(page.is_file(), "{} missing", page.display());
    }
}

#[test]
fn an_interrupted_swap_is_restored_not_deleted() {
    let dir = example();
    run_ok(dir.path(), &["build"]);
    // A crash between "build → .build.old.N" and ".build.partial.N → build".
    std::fs::rename(dir.path().join("build"), dir.path().join(".build.old.4242")).unwrap();
    // A build that fails before writing anything keeps the only complete copy.
    write(dir.path(), "content/broken.md", "no front matter\n");
    run_err(dir.path(), &["build"]);
    assert!(dir.path().join(".build.old.4242/site/index.html").is_file());
    // One that fails while writing (a broken template) puts it back in place.
    std::fs::remove_file(dir.path().join("content/broken.md")).unwrap();
    write(
        dir.path(),
        "themes/default/templates/policy.html",
        "{{ nonsense(",
    );
    run_err(dir.path(), &["build"]);
    assert!(
        dir.path().join("build/site/index.html").is_file(),
        "the previous build was not restored"
    );
    std::fs::remove_file(dir.path().join("themes/default/templates/policy.html")).unwrap();
    run_ok(dir.path(), &["build"]);
    assert!(!dir.path().join(".build.old.4242").exists());
}

#[test]
fn an_output_deleted_by_hand_is_not_brought_back_from_the_spare() {
    let dir = example();
    run_ok(dir.path(), &["build"]);
    run_ok(dir.path(), &["build"]);
    assert!(dir.path().join(".build.spare/site/index.html").is_file());
    std::fs::remove_dir_all(dir.path().join("build")).unwrap();
    // A build that fails while writing leaves no output rather than the one before last.
    write(
        dir.path(),
        "themes/default/templates/policy.html",
        "{{ nonsense(",
    );
    run_err(dir.path(), &["build"]);
    assert!(!dir.path().join("build").exists());
}

#[test]
fn a_leftover_that_cannot_be_deleted_is_a_warning_and_cleaned_later() {
    let dir = example();
    run_ok(dir.path(), &["build"]);
    // What a build that was killed leaves: its staging folder, here one that cannot be deleted.
    let leftover = dir.path().join(".build.partial.4242");
    write(&leftover, "site/policies/a/index.html", "half written");
    make_undeletable(&leftover.join("site/policies/a"), true);
    let out = run(dir.path(), &["build"]);
    make_undeletable(&leftover.join("site/policies/a"), false);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("could not delete"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("build/site/index.html").is_file());
    run_ok(dir.path(), &["build"]);
    assert!(!leftover.exists());
}

#[test]
fn build_leaves_no_staging_folder_and_keeps_one_spare() {
    let dir = example();
    run_ok(dir.path(), &["build"]);
    run_ok(dir.path(), &["build"]);
    run_ok(dir.path(), &["build", "--fresh"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".build"))
        .collect();
    names.sort();
    assert_eq!(names, [".build.lock", ".build.spare"]);
}

/// Makes the files in `dir` undeletable: read-only for a normal user; immutable for root,
/// whom permissions do not stop (`chattr`, from e2fsprogs, on the machine's ext4).
fn make_undeletable(dir: &Path, on: bool) {
    use std::os::unix::fs::PermissionsExt;
    if is_root() {
        let status = std::process::Command::new("chattr")
            .arg(if on { "+i" } else { "-i" })
            .arg(dir)
            .status()
            .expect("chattr (e2fsprogs) is needed to make a folder undeletable as root");
        assert!(status.success(), "chattr failed on {}", dir.display());
    } else {
        let mode = if on { 0o555 } else { 0o755 };
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn keygen_refuses_one_file_named_twice() {
    let dir = example();
    let out = run(
        dir.path(),
        &[
            "keygen",
            "-W",
            "-p",
            "./same.key",
            "-s",
            "same.key",
            "--force",
        ],
    );
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stderr(&out).contains("both"), "{}", stderr(&out));
    assert!(!dir.path().join("same.key").exists());
}

/// A key pair made outside the project; returns (public, secret) paths.
fn outside_keypair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (public, secret) = (dir.join("org.pub"), dir.join("org.key"));
    run_ok(
        dir,
        &[
            "keygen",
            "-W",
            "-p",
            &public.to_string_lossy(),
            "-s",
            &secret.to_string_lossy(),
        ],
    );
    (public, secret)
}

#[test]
fn a_secret_key_among_theme_files_is_never_published() {
    let keys = tempfile::tempdir().unwrap();
    let (_, secret) = outside_keypair(keys.path());
    let dir = example();
    std::fs::create_dir_all(dir.path().join("themes/default/assets")).unwrap();
    let planted = dir.path().join("themes/default/assets/org.key");
    std::fs::copy(&secret, &planted).unwrap();
    let err = run_err(dir.path(), &["build"]).join("\n");
    assert!(err.contains("looks like a minisign secret key"), "{err}");
    assert!(!dir.path().join("build").exists());
    // Nor may a build sign with it.
    let err = run_err(
        dir.path(),
        &["build", "--sign", "themes/default/assets/org.key"],
    )
    .join("\n");
    assert!(err.contains("themes/ folder"), "{err}");
    for folder in ["content", "quizzes"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        let key = format!("{folder}/org.key");
        std::fs::copy(&secret, dir.path().join(&key)).unwrap();
        let err = run_err(dir.path(), &["build", "--sign", &key]).join("\n");
        assert!(err.contains(&format!("{folder}/ folder")), "{err}");
    }
}

#[test]
fn no_input_is_read_through_a_symbolic_link() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "theme/assets/leak.txt", "outside file");
    write(outside.path(), "content/x.md", &policy("Outside", ""));
    write(outside.path(), "quizzes/q.toml", "title = \"Q\"\n");
    write(
        outside.path(),
        "credentials",
        "password = hunter2\n[[role]]\n",
    );
    write(outside.path(), "policybook.toml", CONFIG);
    let cases: [(&str, &str); 5] = [
        ("themes/default", "theme"),
        ("content", "content"),
        ("quizzes", "quizzes"),
        ("content/roles.toml", "credentials"),
        ("policybook.toml", "policybook.toml"),
    ];
    for (link, target) in cases {
        let dir = example();
        let path = dir.path().join(link);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else if path.exists() {
            std::fs::remove_file(&path).unwrap();
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(outside.path().join(target), &path).unwrap();
        let out = run(dir.path(), &["build"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{link}: built through the link");
        assert!(err.contains("symbolic link"), "{link}: {err}");
        assert!(err.contains(link), "{link}: {err}");
        assert!(
            !err.contains("hunter2"),
            "{link}: printed the linked file: {err}"
        );
        assert!(!dir.path().join("build").exists(), "{link}");
    }
}

#[test]
fn signed_builds_are_byte_identical() {
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = outside_keypair(keys.path());
    let dir = example();
    let secret = secret.to_string_lossy().into_owned();
    run_ok(dir.path(), &["build", "--sign", &secret]);
    let first = read_tree(&dir.path().join("build"));
    run_ok(dir.path(), &["build", "--sign", &secret]);
    let second = read_tree(&dir.path().join("build"));
    let differing: Vec<&String> = first
        .keys()
        .filter(|path| first.get(*path) != second.get(*path))
        .collect();
    assert!(differing.is_empty(), "differ between runs: {differing:?}");
    assert!(first.contains_key("manifest.json.minisig"));
    // Still a signature stock minisign accepts.
    let out = std::process::Command::new("minisign")
        .arg("-Vm")
        .arg(dir.path().join("build/manifest.json"))
        .arg("-p")
        .arg(&public)
        .output()
        .expect("minisign (Debian package) is needed; scripts/test installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn verify_refuses_a_fifo_instead_of_blocking() {
    let dir = example();
    let fifo = dir.path().join("pipe.zip");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = run_with_deadline(dir.path(), &["verify", "pipe.zip"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("neither a folder nor a file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verify_refuses_a_zip_with_data_before_its_first_entry() {
    let dir = example();
    run_ok(dir.path(), &["build"]);
    let zip = dir.path().join("build/scorm/a-scorm12.zip");
    let mut bytes = b"MZ-prepended".to_vec();
    bytes.extend(std::fs::read(&zip).unwrap());
    std::fs::write(dir.path().join("prepended.zip"), bytes).unwrap();
    let err = run_err(dir.path(), &["verify", "prepended.zip"]).join("\n");
    assert!(err.contains("data before the first entry"), "{err}");
}

#[test]
fn verify_says_an_unsigned_build_is_unverified_not_altered() {
    let dir = example();
    run_ok(dir.path(), &["build"]);
    let err = run_err(dir.path(), &["verify", "build"]).join("\n");
    assert!(err.contains("is not verified: it is not signed"), "{err}");
    assert!(!err.contains("not intact"), "{err}");
}

#[test]
fn verify_finds_a_signed_manifest_that_lacks_a_policys_page() {
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = outside_keypair(keys.path());
    let dir = example();
    run_ok(dir.path(), &["build", "--sign", &secret.to_string_lossy()]);
    // What a raced build could publish: b's page gone, and a manifest written from what was
    // there, signed.
    let build = dir.path().join("build");
    std::fs::remove_file(build.join("site/policies/b/index.html")).unwrap();
    let manifest_path = build.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["path"] != "site/policies/b/index.html");
    std::fs::write(
        &manifest_path,
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    let signed = std::process::Command::new("minisign")
        .args(["-S", "-s"])
        .arg(&secret)
        .arg("-m")
        .arg(&manifest_path)
        .args(["-t", "re-signed"])
        .output()
        .expect("minisign (Debian package) is needed; scripts/test installs it");
    assert!(
        signed.status.success(),
        "{}",
        String::from_utf8_lossy(&signed.stderr)
    );
    let out = run(
        dir.path(),
        &["verify", "build", "--pubkey", &public.to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("`b` is in the manifest, but its page is not"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("not intact"), "{}", stderr(&out));
}

#[test]
fn an_unclosed_comment_in_a_policy_is_an_error_with_its_line() {
    let dir = example();
    let text =
        policy("Policy A", "").replace("## 2. Rules", "<!-- draft: rewrite this\n\n## 2. Rules");
    write(dir.path(), "content/a.md", &text);
    let line = text.lines().position(|l| l.starts_with("<!--")).unwrap() + 1;
    let err = run_err(dir.path(), &["--message-format", "short", "build"]).join("\n");
    assert!(
        err.contains(&format!(
            "content/a.md:{line}:1: error: `<!--` is never closed"
        )),
        "{err}"
    );
    assert!(!dir.path().join("build").exists());
}

#[test]
fn messages_name_the_line_and_the_fix() {
    // Non-UTF-8 config and role register: the line of the first bad byte.
    let dir = example();
    std::fs::write(
        dir.path().join("content/roles.toml"),
        b"[[role]]\nid = \"staff\"\ntitle = \"Caf\xe9 staff\"\n",
    )
    .unwrap();
    let err = run_err(dir.path(), &["--message-format", "short", "check"]).join("\n");
    assert!(
        err.contains("content/roles.toml:3:13: error: the file is not valid UTF-8"),
        "{err}"
    );
    let dir = example();
    std::fs::write(
        dir.path().join("policybook.toml"),
        b"organisation = \"Test\"\ntitle = \"Polic\xefes\"\n",
    )
    .unwrap();
    let err = run_err(dir.path(), &["--message-format", "short", "check"]).join("\n");
    assert!(
        err.contains("policybook.toml:2:15: error: the file is not valid UTF-8"),
        "{err}"
    );

    // A file name that is not UTF-8.
    let dir = example();
    let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"caf\xe9.md");
    std::fs::write(dir.path().join("content").join(name), policy("Cafe", "")).unwrap();
    let err = run_err(dir.path(), &["check"]).join("\n");
    assert!(
        err.contains("the file name `caf\u{fffd}` is not valid UTF-8"),
        "{err}"
    );
    assert!(!err.contains("`` is not a valid policy id"), "{err}");

    // A field given twice, in words a policy owner uses.
    let dir = example();
    write(dir.path(), "content/a.md", &policy("A", "title: Again\n"));
    let err = run_err(dir.path(), &["check"]).join("\n");
    assert!(err.contains("`title` is given twice"), "{err}");
    assert!(!err.contains("DuplicateKeyPolicy"), "{err}");

    // An organisation name too long to sign is refused at its line, signing or not.
    let dir = example();
    let long = CONFIG.replace("Test Org", &"O".repeat(5000));
    write(dir.path(), "policybook.toml", &long);
    let err = run_err(dir.path(), &["--message-format", "short", "check"]).join("\n");
    assert!(
        err.contains("policybook.toml:1:1: error: `organisation` is 5000 characters long"),
        "{err}"
    );
}

#[test]
fn lone_cr_line_endings_are_read_alike_in_every_format() {
    let dir = example();
    let cr = |text: &str| text.replace('\n', "\r");
    write(dir.path(), "policybook.toml", &cr(CONFIG));
    write(
        dir.path(),
        "content/roles.toml",
        &cr("[[role]]\nid = \"staff\"\ntitle = \"Staff\"\ndescription = \"Everyone\"\n"),
    );
    write(
        dir.path(),
        "content/a.md",
        &cr(&policy("Policy A", "").replace("## 2. Rules", "## 2. Rules {role=staff}")),
    );
    run_ok(dir.path(), &["build"]);
    assert!(
        dir.path()
            .join("build/site/roles/staff/index.html")
            .is_file()
    );
}
