//! `--command` with the flags that belong to it, in the order typed.
//!
//! `--name`, `--serial` and `--env` each belong to the `--command` before
//! them:
//!
//! ```text
//! speedup sweep --command "sort --parallel={workers} big.txt" --name sort-big \
//!               --command "./solver" --env OMP_NUM_THREADS={workers} --serial "./solver-serial"
//! ```
//!
//! clap collects each flag's values in a list of its own and forgets how
//! they interleave, so the order is read from the arguments themselves: only
//! which flag came when, the values still being clap's.

use crate::command::CommandFlags;
use crate::{Error, Result};
use std::collections::VecDeque;

/// The flags that belong to a `--command`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Command,
    Name,
    Serial,
    Env,
}

impl Kind {
    const ALL: [(Kind, &'static str); 4] = [
        (Kind::Command, "--command"),
        (Kind::Name, "--name"),
        (Kind::Serial, "--serial"),
        (Kind::Env, "--env"),
    ];
}

/// The values clap collected, flag by flag.
#[derive(Debug, Default)]
pub struct Values {
    pub commands: Vec<String>,
    pub names: Vec<String>,
    pub serials: Vec<String>,
    pub envs: Vec<String>,
}

/// Each `--command` with its own `--name`, `--serial` and `--env`, reading
/// the order from `args` (the program's arguments).
pub fn group(values: Values, args: impl IntoIterator<Item = String>) -> Result<Vec<CommandFlags>> {
    let mut lists: [VecDeque<String>; 4] = [
        values.commands.into(),
        values.names.into(),
        values.serials.into(),
        values.envs.into(),
    ];
    let mut grouped: Vec<CommandFlags> = Vec::new();
    for kind in kinds_in_order(args) {
        let (_, flag) = Kind::ALL.iter().find(|(k, _)| *k == kind).unwrap();
        let Some(value) = lists[kind as usize].pop_front() else {
            return Err(Error::new(format!(
                "cannot tell which value of {flag} is which"
            )));
        };
        if kind == Kind::Command {
            grouped.push(CommandFlags {
                command: value,
                ..CommandFlags::default()
            });
            continue;
        }
        let Some(last) = grouped.last_mut() else {
            return Err(Error::new(format!(
                "{flag} belongs to the --command before it, and there is none"
            )));
        };
        let twice = match kind {
            Kind::Name => last.name.replace(value).is_some(),
            Kind::Serial => last.serial.replace(value).is_some(),
            _ => {
                last.env.push(value);
                false
            }
        };
        if twice {
            return Err(Error::new(format!(
                "{flag} is given twice for the --command `{}`",
                last.command
            )));
        }
    }
    Ok(grouped)
}

/// Which of the four flags came when, skipping their values.
fn kinds_in_order(args: impl IntoIterator<Item = String>) -> Vec<Kind> {
    let mut kinds = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        for (kind, flag) in Kind::ALL {
            if arg == flag {
                kinds.push(kind);
                args.next(); // its value, whatever it looks like
            } else if arg.strip_prefix(flag).is_some_and(|v| v.starts_with('=')) {
                kinds.push(kind);
            }
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn each_flag_belongs_to_the_command_before_it() {
        let args = strings(&[
            "speedup",
            "sweep",
            "--command",
            "a {workers}",
            "--env",
            "X={workers}",
            "--command=b",
            "--name",
            "--env",
            "--serial",
            "b1",
            "--env=Y=1",
        ]);
        let values = Values {
            commands: strings(&["a {workers}", "b"]),
            names: strings(&["--env"]),
            serials: strings(&["b1"]),
            envs: strings(&["X={workers}", "Y=1"]),
        };
        let grouped = group(values, args).unwrap();
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].env, ["X={workers}"]);
        assert_eq!(
            (grouped[0].name.as_deref(), grouped[0].serial.as_deref()),
            (None, None)
        );
        assert_eq!(grouped[1].name.as_deref(), Some("--env"));
        assert_eq!(grouped[1].serial.as_deref(), Some("b1"));
        assert_eq!(grouped[1].env, ["Y=1"]);
    }

    #[test]
    fn a_flag_without_its_command_or_given_twice_is_refused() {
        let early = group(
            Values {
                names: strings(&["x"]),
                ..Values::default()
            },
            strings(&["--name", "x"]),
        );
        assert!(early.unwrap_err().to_string().contains("there is none"));
        let twice = group(
            Values {
                commands: strings(&["a"]),
                names: strings(&["x", "y"]),
                ..Values::default()
            },
            strings(&["--command", "a", "--name", "x", "--name", "y"]),
        );
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .contains("--name is given twice")
        );
    }
}
