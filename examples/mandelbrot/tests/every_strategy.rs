//! A workload from outside the library runs under every strategy, child
//! processes included, with one checksum: in this test binary (whose
//! workers are the test binary itself) and through the program's own
//! command line (whose workers are the program).

use speedup::{Job, Outcome, Strategy, Workload};
use speedup_mandelbrot::{Mandelbrot, Workloads};
use std::process::Command;

speedup::worker_test!(Workloads);

fn small() -> Mandelbrot {
    Mandelbrot {
        width: 120,
        height: 90,
        max_iter: 200,
        rows: 7,
    }
}

#[test]
fn every_strategy_and_worker_count_gives_serials_bits() {
    let image = small();
    let job = Job::new(&image, 1);
    let serial = image.merge(Strategy::Serial.run(&job, 1).unwrap());
    assert_eq!(serial.counts.len(), 120 * 90);
    // The set's area is about 1.5066 of the image's 8.75 square units.
    assert!((serial.inside_share() * 8.75 - 1.51).abs() < 0.1);
    for strategy in Strategy::all() {
        for workers in 1..=3 {
            let parts = strategy.run(&job, workers).unwrap();
            assert_eq!(
                image.merge(parts).checksum(),
                serial.checksum(),
                "{strategy} with {workers} workers"
            );
        }
    }
}

/// The checksum `mandelbrot run` prints.
fn checksum_printed(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mandelbrot"))
        .args(["run", "mandelbrot", "--width", "120", "--height", "90"])
        .args(["--max-iter", "200", "--rows", "7", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    record["checksum"].as_str().unwrap().to_string()
}

#[test]
fn the_programs_own_command_line_runs_it_in_child_processes() {
    let serial = checksum_printed(&["--strategy", "serial"]);
    for strategy in [
        "process-static",
        "process-dynamic",
        "process-pool",
        "scoped",
    ] {
        assert_eq!(
            checksum_printed(&["--strategy", strategy, "--workers", "2"]),
            serial,
            "{strategy}"
        );
    }
    // The library's workloads are there too, as the set lists them.
    let out = Command::new(env!("CARGO_BIN_EXE_mandelbrot"))
        .args([
            "run",
            "integration",
            "--samples",
            "50",
            "--strategy",
            "process",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
