//! The kept process pool: the same processes serve run after run, with the
//! same bits as serial, and a run that fails never leaves a broken process
//! in the pool.

use speedup::strategy::RunOptions;
use speedup::strategy::process_pool::run_with;
use speedup::workloads::integration::Integration;
use speedup::{Job, Strategy, Workload};
use std::time::Duration;

speedup::worker_test!();

/// This process's children that still exist, from /proc, sorted.
fn children() -> Vec<u32> {
    let me = std::process::id();
    let mut pids: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
            after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) == Some(me)
        })
        .collect();
    pids.sort();
    pids
}

// One test function: the pool is the process's own, and the steps below
// depend on what the earlier ones left in it.
#[test]
fn a_kept_pool_serves_run_after_run_and_drops_processes_that_failed() {
    let study = Integration {
        samples: 3000,
        ..Default::default()
    };
    let job = Job::new(&study, 7);
    let serial = study.merge(Strategy::Serial.run(&job, 1).unwrap());
    let options = RunOptions::default();

    // The first run starts three processes, on a thread that then ends
    // (Linux kills a worker with the thread that started it, so the pool
    // must start its processes elsewhere); the second run, on this thread,
    // finds the same three.
    let first = std::thread::scope(|scope| {
        scope
            .spawn(|| study.merge(run_with(&job, 3, &options).unwrap()))
            .join()
            .unwrap()
    });
    std::thread::sleep(Duration::from_millis(200));
    let started = children();
    assert_eq!(started.len(), 3, "{started:?}");
    let second = study.merge(run_with(&job, 3, &options).unwrap());
    assert_eq!(children(), started, "the pool kept its processes");
    for output in [&first, &second] {
        assert_eq!(
            speedup::Outcome::checksum(output),
            speedup::Outcome::checksum(&serial)
        );
    }

    // A pool of another size is another set of processes, kept beside it.
    run_with(&job, 2, &options).unwrap();
    assert_eq!(children().len(), 5);

    // A pool of four whose processes fail: the run fails, none of the four
    // stays, and the next run of four starts healthy processes.
    let faulty = RunOptions::with_timeout(Duration::from_secs(5)).with_worker_fault("exit@1");
    let err = run_with(&job, 4, &faulty).unwrap_err().to_string();
    assert!(err.contains("process worker 1"), "{err}");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while children().len() != 5 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(children().len(), 5, "the failed pool's processes are gone");
    let healthy = study.merge(run_with(&job, 4, &options).unwrap());
    assert_eq!(
        speedup::Outcome::checksum(&healthy),
        speedup::Outcome::checksum(&serial)
    );
    assert_eq!(children().len(), 9);

    // A pool whose process hangs: the watchdog, which runs on the pool's
    // kept threads, kills it after the timeout, and the pool is dropped.
    let hanging = RunOptions::with_timeout(Duration::from_secs(1)).with_worker_fault("hang@0");
    let Err(err) = run_with(&job, 1, &hanging) else {
        panic!("a hung process should fail the run");
    };
    let err = err.to_string();
    assert!(err.contains("did not answer within 1 s"), "{err}");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while children().len() != 9 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(children().len(), 9, "the hung pool's process is gone");
}
