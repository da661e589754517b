//! The mpi strategy as users meet it: `mpirun -n P speedup run ... --strategy mpi`.
//!
//! With `--features mpi` (`cargo test --features mpi --test mpi`) these tests
//! launch the built binary under `mpirun` and check that every workload gives
//! serial's bits at P = 1, 2, 3, that only rank 0 prints, that a binary
//! started by a foreign launcher refuses to run, and that the sweep's launcher
//! puts an mpi curve in the report. Without the feature they check that
//! asking for mpi says how to get it.

use std::process::{Command, Output};

fn speedup(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_speedup"));
    command.args(args);
    command
}

fn output(mut command: impl std::borrow::BorrowMut<Command>) -> Output {
    command.borrow_mut().output().expect("start the command")
}

/// The run failed with one line on stderr containing every one of `words`.
fn assert_fails_naming(out: &Output, words: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "succeeded: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for word in words {
        assert!(stderr.contains(word), "{stderr} lacks {word}");
    }
}

#[test]
fn mpi_in_a_sweep_needs_a_launcher_and_a_launcher_needs_mpi() {
    let out = output(speedup(&[
        "sweep",
        "--workloads",
        "integration",
        "--strategies",
        "mpi",
        "--workers",
        "1",
    ]));
    assert_fails_naming(&out, &["--launcher", "{workers}"]);
    let out = output(speedup(&[
        "sweep",
        "--strategies",
        "serial",
        "--launcher",
        "mpirun -n {workers}",
    ]));
    assert_fails_naming(&out, &["--launcher", "--strategies"]);
}

#[cfg(not(feature = "mpi"))]
#[test]
fn without_the_feature_mpi_says_how_to_rebuild() {
    let out = output(speedup(&["run", "integration", "--strategy", "mpi"]));
    assert_fails_naming(&out, &["--features mpi"]);
}

#[cfg(feature = "mpi")]
mod under_mpirun {
    use super::*;
    use serde_json::Value;

    /// Small parameters for every workload; linear-normal has 2 chunks, so at
    /// P = 3 rank 0 has none of its own.
    const WORKLOADS: [&[&str]; 3] = [
        &["integration", "--samples", "500"],
        &["linear-normal", "--n", "20000"],
        &[
            "ma2",
            "--n-sim",
            "20000",
            "--batch-size",
            "5000",
            "--n-samples",
            "100",
        ],
    ];

    /// `mpirun -n ranks speedup args...`, set up to run as root, beyond the
    /// core count, and with a quick start (OpenMPI's ob1; MPICH ignores these).
    fn mpirun(ranks: usize, args: &[&str]) -> Command {
        let mut command = Command::new("mpirun");
        command
            .args(["-n", &ranks.to_string(), env!("CARGO_BIN_EXE_speedup")])
            .args(args)
            .envs(OPENMPI_ENV);
        command
    }

    const OPENMPI_ENV: [(&str, &str); 5] = [
        ("OMPI_ALLOW_RUN_AS_ROOT", "1"),
        ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
        ("OMPI_MCA_rmaps_base_oversubscribe", "1"),
        ("OMPI_MCA_mpi_yield_when_idle", "1"),
        ("OMPI_MCA_pml", "ob1"),
    ];

    /// The one JSON line a successful run printed.
    fn record(out: &Output) -> Value {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "failed: {stderr}");
        assert_eq!(stdout.lines().count(), 1, "only rank 0 prints: {stdout}");
        serde_json::from_str(&stdout).expect("one JSON object")
    }

    fn json_run(workload: &[&str], strategy: &str) -> Vec<String> {
        [&["run"], workload, &["--strategy", strategy, "--json"]]
            .concat()
            .into_iter()
            .map(String::from)
            .collect()
    }

    fn strs(args: &[String]) -> Vec<&str> {
        args.iter().map(String::as_str).collect()
    }

    #[test]
    fn every_workload_gives_serials_bits_on_1_2_and_3_ranks() {
        for workload in WORKLOADS {
            let serial = record(&output(speedup(&strs(&json_run(workload, "serial")))));
            for ranks in 1..=3 {
                let mpi = record(&output(mpirun(ranks, &strs(&json_run(workload, "mpi")))));
                let name = workload[0];
                assert_eq!(
                    mpi["checksum"], serial["checksum"],
                    "{name} on {ranks} ranks"
                );
                assert_eq!(mpi["summary"], serial["summary"], "{name} on {ranks} ranks");
                assert_eq!(mpi["workers"], ranks, "{name}");
                assert_eq!(mpi["strategy"], "mpi");
            }
        }
    }

    #[test]
    fn outside_mpirun_it_is_a_one_rank_run() {
        let workload = WORKLOADS[0];
        let serial = record(&output(speedup(&strs(&json_run(workload, "serial")))));
        let alone = record(&output(
            speedup(&strs(&json_run(workload, "mpi"))).envs(OPENMPI_ENV),
        ));
        assert_eq!(alone["checksum"], serial["checksum"]);
        assert_eq!(alone["workers"], 1);
    }

    #[test]
    fn output_file_is_written_once_by_rank_0() {
        let dir = std::env::temp_dir().join(format!("speedup-mpi-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let serial_file = dir.join("serial.json");
        let mpi_file = dir.join("mpi.json");
        let run = |strategy: &str, file: &std::path::Path| -> Vec<String> {
            let mut args = json_run(WORKLOADS[1], strategy);
            args.extend(["--output".into(), file.display().to_string()]);
            args
        };
        record(&output(speedup(&strs(&run("serial", &serial_file)))));
        record(&output(mpirun(3, &strs(&run("mpi", &mpi_file)))));
        assert_eq!(
            std::fs::read(&mpi_file).unwrap(),
            std::fs::read(&serial_file).unwrap()
        );
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["mpi.json", "serial.json"],
            "no stray temporary files"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_binary_started_by_another_mpis_launcher_refuses_to_run() {
        // What a foreign mpirun looks like from inside: it announces 3 ranks,
        // but this MPI library sees a world of 1.
        for variable in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] {
            let out = output(
                speedup(&["run", "integration", "--samples", "50", "--strategy", "mpi"])
                    .envs(OPENMPI_ENV)
                    .env(variable, "3"),
            );
            assert_fails_naming(&out, &["MPI mismatch", &format!("{variable}=3"), "mpirun"]);
            assert!(out.stdout.is_empty());
        }
    }

    #[test]
    fn workers_other_than_the_rank_count_are_refused() {
        let out = output(mpirun(
            2,
            &[
                "run",
                "integration",
                "--samples",
                "50",
                "--strategy",
                "mpi",
                "--workers",
                "3",
            ],
        ));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains("mpirun -n 3"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    #[test]
    fn the_sweep_launches_mpi_and_reports_its_curve() {
        let dir = std::env::temp_dir().join(format!("speedup-mpi-sweep-{}", std::process::id()));
        let mut sweep = speedup(&[
            "sweep",
            "--workloads",
            "integration",
            "--strategies",
            "mpi",
            "--workers",
            "1,2",
            "--rounds",
            "1",
            "--launcher",
            "mpirun -n {workers}",
            "--out",
            dir.to_str().unwrap(),
        ]);
        let out = output(sweep.envs(OPENMPI_ENV));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("speedup.json")).unwrap())
                .unwrap();
        let mpi_workers: Vec<u64> = report["measurements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["strategy"] == "mpi")
            .map(|m| m["workers"].as_u64().unwrap())
            .collect();
        assert_eq!(mpi_workers, [1, 2]);
        assert_eq!(report["mpi_launch"].as_array().unwrap().len(), 2);
        let figure = std::fs::read_to_string(dir.join("integration-speedup.svg")).unwrap();
        assert!(figure.contains(">\nmpi\n</text>"), "the legend names mpi");
        let text = std::fs::read_to_string(dir.join("report.md")).unwrap();
        assert!(text.contains("MPI launch cost"), "{text}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
