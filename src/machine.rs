//! The machine a study ran on: the first thing a reader of a speedup figure
//! needs, because "2× on 2 cores" and "2× on 64 cores" are different stories.
//!
//! Everything here is best effort: a field that cannot be read says
//! `unknown` rather than failing the run that measured the numbers.

use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the measurements of a report were taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    pub cpu_model: String,
    pub logical_cpus: usize,
    pub physical_cores: usize,
    pub os: String,
    pub rustc: String,
    pub speedup_version: String,
    /// The day of the measurements, `YYYY-MM-DD` (UTC).
    pub date: String,
}

impl Machine {
    /// A machine that does not exist, with `physical` cores and `logical`
    /// CPUs: what a report drawn from made-up measurements (an example, a
    /// test) says it ran on.
    pub fn imagined(physical: usize, logical: usize) -> Machine {
        Machine {
            cpu_model: "Test CPU".into(),
            logical_cpus: logical,
            physical_cores: physical,
            os: "test".into(),
            rustc: "rustc".into(),
            speedup_version: "0".into(),
            date: "2025-01-01".into(),
        }
    }

    /// Describes this machine, now.
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        Machine {
            cpu_model: cpu_model(&cpuinfo).unwrap_or_else(|| std::env::consts::ARCH.to_string()),
            logical_cpus: num_cpus::get().max(1),
            physical_cores: num_cpus::get_physical().max(1),
            os: os_name(),
            rustc: rustc_version(),
            speedup_version: env!("CARGO_PKG_VERSION").to_string(),
            date: utc_date(SystemTime::now()),
        }
    }

    /// A short directory name: CPU model words plus the logical CPU count,
    /// e.g. `amd-epyc-2cpu` or `intel-core-i7-9700k-8cpu`.
    pub fn slug(&self) -> String {
        slug(&self.cpu_model, self.logical_cpus)
    }
}

/// Words of a CPU model name that say nothing about the chip.
const NOISE: &[&str] = &[
    "(r)",
    "(tm)",
    "cpu",
    "processor",
    "with",
    "radeon",
    "graphics",
];

/// The slug of a CPU model name and a logical CPU count.
pub fn slug(cpu_model: &str, logical_cpus: usize) -> String {
    let lower = cpu_model
        .to_lowercase()
        .replace("(r)", " ")
        .replace("(tm)", " ");
    let words: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || c == '@')
        .take_while(|w| !w.ends_with("ghz"))
        .filter(|w| !w.is_empty() && !NOISE.contains(w) && !w.ends_with("-core"))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    let model = if words.is_empty() {
        "cpu".to_string()
    } else {
        words.join("-")
    };
    format!("{model}-{logical_cpus}cpu")
}

/// The `model name` line of /proc/cpuinfo (x86), or what ARM calls it.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    ["model name", "Model", "Hardware", "cpu model"]
        .iter()
        .find_map(|key| {
            cpuinfo.lines().find_map(|line| {
                let (k, v) = line.split_once(':')?;
                (k.trim() == *key && !v.trim().is_empty()).then(|| v.trim().to_string())
            })
        })
}

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|v| v.trim().to_string())
        .ok();
    match (pretty, kernel) {
        (Some(p), Some(k)) => format!("{p} (kernel {k})"),
        (Some(p), None) => p,
        (None, Some(k)) => format!("{} {k}", std::env::consts::OS),
        (None, None) => std::env::consts::OS.to_string(),
    }
}

/// `rustc --version` of the toolchain on the PATH (or `$RUSTC`).
fn rustc_version() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// `YYYY-MM-DD` of a time, in UTC (Howard Hinnant's days-to-civil algorithm).
pub fn utc_date(time: SystemTime) -> String {
    let days = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn slugs_keep_the_model_words_and_the_cpu_count() {
        assert_eq!(slug("AMD EPYC", 2), "amd-epyc-2cpu");
        assert_eq!(
            slug("Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz", 8),
            "intel-core-i7-9700k-8cpu"
        );
        assert_eq!(
            slug("AMD Ryzen 9 5950X 16-Core Processor", 32),
            "amd-ryzen-9-5950x-32cpu"
        );
        assert_eq!(slug("", 4), "cpu-4cpu");
    }

    #[test]
    fn cpu_model_is_read_from_cpuinfo() {
        let text = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n";
        assert_eq!(cpu_model(text).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(cpu_model("processor : 0\n"), None);
    }

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(utc_date(UNIX_EPOCH), "1970-01-01");
        let leap_day = UNIX_EPOCH + Duration::from_secs(11_016 * 86_400);
        assert_eq!(utc_date(leap_day), "2000-02-29");
    }
}
