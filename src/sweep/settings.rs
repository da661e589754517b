//! A workload's flags for a whole study: `--set WORKLOAD:FLAG=VALUE` and
//! `--sizes WORKLOAD:FLAG=V1,V2,...`, read with the very flags that
//! `speedup run WORKLOAD` takes.
//!
//! A sweep measures each workload at one set of parameters. Which flags a
//! workload has, and what values they accept, is already written down once:
//! in its parameter struct, as `clap` flags (`workloads/`). So a study's
//! settings are not parsed here at all: they are turned back into a command
//! line (`linear-normal --n=1e6`) and handed to the same parser `speedup
//! run` uses ([`workload_with`]). A new workload's flags work in a sweep
//! without a line of code here, and a bad value gets the same message in
//! both.

use crate::flags;
use crate::workload::WorkloadSet;
use crate::{Error, Result};

/// One flag of a workload, with its value (none for a switch like `--spin`).
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Without its dashes: `serial-fraction`.
    pub name: String,
    pub value: Option<String>,
}

impl Flag {
    /// As typed on the command line: `--serial-fraction=0.3`, `--spin`.
    pub fn arg(&self) -> String {
        match &self.value {
            Some(value) => format!("--{}={value}", self.name),
            None => format!("--{}", self.name),
        }
    }

    /// As the report states it: `--serial-fraction 0.3`, `--spin`.
    pub fn shown(&self) -> String {
        match &self.value {
            Some(value) => format!("--{} {value}", self.name),
            None => format!("--{}", self.name),
        }
    }
}

/// `--set WORKLOAD:FLAG=VALUE` (or `WORKLOAD:FLAG` for a switch): one flag
/// for every point of a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub workload: String,
    pub flag: Flag,
}

/// `--sizes WORKLOAD:FLAG=V1,V2,...`: the sizes a workload is measured at,
/// each as typed (it names the size's points) and as a number (it places
/// them on the size axis).
#[derive(Debug, Clone, PartialEq)]
pub struct SizeList {
    pub workload: String,
    pub flag: String,
    pub values: Vec<(String, f64)>,
}

/// Splits `WORKLOAD:REST`, naming the form expected when there is no colon.
fn split_workload<'t>(text: &'t str, form: &str) -> Result<(&'t str, &'t str)> {
    match text.split_once(':') {
        Some((workload, rest)) if !workload.trim().is_empty() && !rest.trim().is_empty() => {
            Ok((workload.trim(), rest.trim()))
        }
        _ => Err(Error::new(format!("'{text}' is not {form}"))),
    }
}

/// Parses `WORKLOAD:FLAG=VALUE` or `WORKLOAD:FLAG` for the workloads of `S`,
/// checking that the workload has the flag and that it takes the value.
pub fn parse_setting<S: WorkloadSet>(text: &str) -> Result<Setting> {
    let (workload, rest) = split_workload(
        text,
        "WORKLOAD:FLAG=VALUE, like amdahl:serial-fraction=0.3 (or amdahl:spin)",
    )?;
    let flag = match rest.split_once('=') {
        Some((name, value)) => Flag {
            name: bare(name),
            value: Some(value.trim().to_string()),
        },
        None => Flag {
            name: bare(rest),
            value: None,
        },
    };
    workload_with::<S>(workload, std::slice::from_ref(&flag))?;
    Ok(Setting {
        workload: workload.to_string(),
        flag,
    })
}

/// Parses `WORKLOAD:FLAG=V1,V2,...` for the workloads of `S`: every value a
/// number the flag takes, none twice.
pub fn parse_sizes<S: WorkloadSet>(text: &str) -> Result<SizeList> {
    let form = "WORKLOAD:FLAG=SIZES, like linear-normal:n=1e5,1e6,1e7";
    let (workload, rest) = split_workload(text, form)?;
    let Some((name, values)) = rest.split_once('=') else {
        return Err(Error::new(format!("'{text}' is not {form}")));
    };
    let flag = bare(name);
    let mut sizes: Vec<(String, f64)> = Vec::new();
    for value in values.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        let number = flags::number(&value.replace('_', ""))
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| {
                Error::new(format!(
                    "size '{value}' of --{flag} is not a number: sizes are numbers, placed on the size axis"
                ))
            })?;
        if sizes.iter().any(|(_, n)| *n == number) {
            return Err(Error::new(format!(
                "size {value} of --{flag} is named twice (each size is measured once)"
            )));
        }
        workload_with::<S>(
            workload,
            &[Flag {
                name: flag.clone(),
                value: Some(value.to_string()),
            }],
        )?;
        sizes.push((value.to_string(), number));
    }
    if sizes.is_empty() {
        return Err(Error::new(format!("no sizes in '{text}' ({form})")));
    }
    Ok(SizeList {
        workload: workload.to_string(),
        flag,
        values: sizes,
    })
}

/// Parses several `--sizes` in one text, separated by `;` (the
/// `SPEEDUP_SIZES` variable of `cargo bench`).
pub fn parse_size_lists<S: WorkloadSet>(text: &str) -> Result<Vec<SizeList>> {
    text.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(parse_sizes::<S>)
        .collect()
}

/// A flag's name as typed, without leading dashes.
fn bare(name: &str) -> String {
    name.trim().trim_start_matches('-').to_string()
}

/// The workload `name` of the set `S` with `flags`, exactly as `speedup run
/// NAME` would read them; an unknown workload, a flag it does not have or a
/// value the flag refuses is an error of one line naming it.
///
/// The parameters are not validated together here (`--n-samples` against
/// `--n-sim`): that is [`WorkloadSet::validate`]'s job, once every flag of a
/// study is known.
pub fn workload_with<S: WorkloadSet>(name: &str, flags: &[Flag]) -> Result<S> {
    let defaults = S::with_defaults(name)?;
    if flags.is_empty() {
        return Ok(defaults);
    }
    let command = S::augment_subcommands(clap::Command::new("speedup").no_binary_name(true));
    let known = flag_names(&command, name);
    if let Some(flag) = flags.iter().find(|f| !known.contains(&f.name)) {
        let listed: Vec<String> = known.iter().map(|k| format!("--{k}")).collect();
        return Err(Error::new(format!(
            "{name} has no flag --{} (its flags: {})",
            flag.name,
            listed.join(", ")
        )));
    }
    let args = std::iter::once(name.to_string()).chain(flags.iter().map(Flag::arg));
    let shown: Vec<String> = flags.iter().map(Flag::shown).collect();
    let what = format!("{name} {}", shown.join(" "));
    let matches = command
        .try_get_matches_from(args)
        .map_err(|e| Error::new(format!("{what}: {}", first_line(&e))))?;
    S::from_arg_matches(&matches).map_err(|e| Error::new(format!("{what}: {}", first_line(&e))))
}

/// The long flags of the workload `name` (help aside), without dashes.
fn flag_names(command: &clap::Command, name: &str) -> Vec<String> {
    command
        .find_subcommand(name)
        .into_iter()
        .flat_map(|sub| sub.get_arguments())
        .filter_map(|arg| arg.get_long())
        .filter(|long| *long != "help")
        .map(String::from)
        .collect()
}

/// The first line of a clap error, without its `error: `: it names the
/// problem (`invalid value 'x' for '--n <N>': must be a whole number`).
fn first_line(err: &clap::Error) -> String {
    let text = err.to_string();
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("bad flags")
        .trim_start_matches("error: ");
    // The flag and value are named already: keep the rule alone.
    match line
        .strip_prefix("invalid value ")
        .and_then(|rest| rest.split_once(">': "))
    {
        Some((_, rule)) => rule.to_string(),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::AnyWorkload;
    use crate::workloads::amdahl::Amdahl;

    fn setting_error(text: &str) -> String {
        parse_setting::<AnyWorkload>(text).unwrap_err().to_string()
    }

    fn sizes_error(text: &str) -> String {
        parse_sizes::<AnyWorkload>(text).unwrap_err().to_string()
    }

    #[test]
    fn settings_read_the_flags_speedup_run_takes() {
        let set = parse_setting::<AnyWorkload>("amdahl:serial-fraction=0.3").unwrap();
        assert_eq!(set.workload, "amdahl");
        assert_eq!(set.flag.arg(), "--serial-fraction=0.3");
        let spin = parse_setting::<AnyWorkload>("amdahl:--spin").unwrap();
        assert_eq!((spin.flag.name.as_str(), &spin.flag.value), ("spin", &None));
        let flags = [set.flag, spin.flag];
        let built = workload_with::<AnyWorkload>("amdahl", &flags).unwrap();
        let expected = Amdahl {
            serial_fraction: 0.3,
            spin: true,
            ..Amdahl::default()
        };
        assert_eq!(built, AnyWorkload::Amdahl(expected));
    }

    #[test]
    fn sizes_are_numbers_in_the_order_given() {
        let sizes = parse_sizes::<AnyWorkload>("linear-normal:--n=1e5, 1e6,1_000").unwrap();
        assert_eq!(
            (sizes.workload.as_str(), sizes.flag.as_str()),
            ("linear-normal", "n")
        );
        let values: Vec<f64> = sizes.values.iter().map(|v| v.1).collect();
        assert_eq!(values, [1e5, 1e6, 1e3]);
        assert_eq!(sizes.values[0].0, "1e5");
        let lists =
            parse_size_lists::<AnyWorkload>("ma2:n-sim=1e4,2e4; integration:samples=100").unwrap();
        assert_eq!(lists.len(), 2);
    }

    #[test]
    fn bad_settings_and_sizes_say_what_is_wrong_in_one_line() {
        for (error, wanted) in [
            (
                sizes_error("fft:n=1,2"),
                "unknown workload 'fft' (choose integration",
            ),
            (
                sizes_error("linear-normal:m=1,2"),
                "linear-normal has no flag --m (its flags: --n)",
            ),
            (
                sizes_error("linear-normal:n=1e5,many"),
                "size 'many' of --n is not a number",
            ),
            (
                sizes_error("linear-normal:n=1.5"),
                "linear-normal --n 1.5: must be a whole number, like 1000",
            ),
            (
                sizes_error("linear-normal:n=1e5,1e5"),
                "size 1e5 of --n is named twice",
            ),
            (
                sizes_error("linear-normal:n="),
                "no sizes in 'linear-normal:n='",
            ),
            (sizes_error("linear-normal"), "is not WORKLOAD:FLAG=SIZES"),
            (sizes_error("linear-normal:n"), "is not WORKLOAD:FLAG=SIZES"),
            (
                setting_error("amdahl:serial-fraction=half"),
                "amdahl --serial-fraction half: must be a number, like 0.5",
            ),
            (
                setting_error("amdahl:speed=2"),
                "amdahl has no flag --speed (its flags: --serial-fraction, --work, --spin)",
            ),
            (
                setting_error("amdahl:spin=yes"),
                "amdahl --spin yes: unexpected value 'yes' for '--spin'",
            ),
            (setting_error(":n=2"), "is not WORKLOAD:FLAG=VALUE"),
            (setting_error("amdahl:help"), "amdahl has no flag --help"),
        ] {
            assert!(error.contains(wanted), "{error:?} lacks {wanted:?}");
            assert!(!error.contains('\n'), "{error:?}");
        }
    }
}
