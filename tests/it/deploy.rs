//! The deployment recipes in `deploy/`, checked with the tools that judge them where they run.

use std::process::Command;

/// The highest exposure `systemd-analyze security` may give the unit (0 is best, 10 worst;
/// it rated the unit 7.1 before its sandboxing lines).
const MOST_EXPOSURE: f64 = 2.0;

#[test]
fn the_systemd_unit_is_sandboxed() {
    let Ok(version) = Command::new("systemd-analyze").arg("--version").output() else {
        // scripts/test.sh installs it, and asks for it to be there.
        assert!(
            std::env::var_os("SPOTCHECK_TESTS_NEED_SYSTEMD").is_none(),
            "systemd-analyze is not installed"
        );
        eprintln!("skipped: systemd-analyze is not installed here");
        return;
    };
    assert!(version.status.success());
    // An instance of the template, as `systemctl enable spotcheck@8081` makes.
    let folder = tempfile::tempdir().unwrap();
    let unit = folder.path().join("spotcheck@8081.service");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/spotcheck@.service"),
        &unit,
    )
    .unwrap();
    let output = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--no-pager"])
        .arg(&unit)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    let exposure: f64 = report
        .lines()
        .find_map(|line| {
            let rest = line.split("Overall exposure level for ").nth(1)?;
            rest.split(": ").nth(1)?.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or_else(|| {
            panic!(
                "no overall exposure in:\n{report}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    eprintln!("systemd-analyze security: {exposure}");
    assert!(
        exposure <= MOST_EXPOSURE,
        "exposure {exposure} (at most {MOST_EXPOSURE}):\n{report}"
    );
}
