//! One `--command` as the sweep measures it: its name, its template, how
//! the worker count reaches it, and its baseline.
//!
//! Everything that can be wrong with a command is found here, before
//! anything is measured: a program that does not exist, a template that
//! would run the same command at every worker count (no `{workers}` and no
//! `--env`), a name that cannot be a file name or that a strategy already
//! has.

use super::template::{Template, WORKERS, fill};
use crate::names::plain_name;
use crate::strategy::TABLE;
use crate::{Error, Result};
use std::path::Path;

/// A measured program, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    /// The study's name: the workload name in the report, and the label of
    /// its points.
    pub name: String,
    pub template: Template,
    /// Variables set for every run, `(VAR, value)`, `{workers}` not yet
    /// replaced (`--env OMP_NUM_THREADS={workers}`).
    pub env: Vec<(String, String)>,
    /// A true serial program to divide by (`--serial`); by default the
    /// command itself at one worker.
    pub serial: Option<Template>,
    /// Run through `sh -c` (`--shell`) instead of split into words.
    pub shell: bool,
}

/// One ready-to-run command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// How messages and the report show it: `OMP_NUM_THREADS=2 ./solver`.
    pub shown: String,
}

/// The flags given with one `--command`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandFlags {
    pub command: String,
    pub name: Option<String>,
    pub serial: Option<String>,
    pub env: Vec<String>,
}

impl CommandSpec {
    /// Checks one `--command` with its `--name`, `--serial` and `--env`.
    pub fn new(flags: &CommandFlags, shell: bool) -> Result<CommandSpec> {
        let template = Template::split(&flags.command);
        let what = format!("--command `{}`", template.text());
        let env = flags
            .env
            .iter()
            .map(|e| parse_env(e))
            .collect::<Result<Vec<_>>>()?;
        if template.program().is_empty() {
            return Err(Error::new("--command '' has no program to run"));
        }
        if !shell {
            check_program(template.program()).map_err(|e| e.context(&what))?;
        }
        if !template.has_placeholder() && !env.iter().any(|(_, v)| v.contains(WORKERS)) {
            return Err(Error::new(format!(
                "{what} has no {WORKERS} and no --env sets it: every worker count would run \
                 the same command (write where the count goes, as in \
                 \"sort --parallel={WORKERS}\", or add --env OMP_NUM_THREADS={WORKERS})"
            )));
        }
        let serial = match &flags.serial {
            Some(text) => {
                let serial = Template::split(text);
                if serial.program().is_empty() {
                    return Err(Error::new("--serial '' has no program to run"));
                }
                if !shell {
                    let what = format!("--serial `{}`", serial.text());
                    check_program(serial.program()).map_err(|e| e.context(what))?;
                }
                Some(serial)
            }
            None => None,
        };
        let name = match &flags.name {
            Some(name) => name.clone(),
            None => default_name(template.program()),
        };
        check_name(&name)?;
        Ok(CommandSpec {
            name,
            template,
            env,
            serial,
            shell,
        })
    }

    /// The command at `workers`.
    pub fn at(&self, workers: usize) -> Invocation {
        self.invocation(&self.template, workers)
    }

    /// The run every speedup is divided by: `--serial`, or the command at one worker.
    pub fn baseline(&self) -> Invocation {
        self.invocation(self.serial.as_ref().unwrap_or(&self.template), 1)
    }

    /// What the baseline is, as the report states it.
    pub fn baseline_description(&self) -> String {
        let shown = self.baseline().shown;
        match self.serial {
            Some(_) => format!("`{shown}`, a serial program (--serial)"),
            None => format!("`{shown}`, the command at {WORKERS} = 1"),
        }
    }

    fn invocation(&self, template: &Template, workers: usize) -> Invocation {
        let env: Vec<(String, String)> = self
            .env
            .iter()
            .map(|(var, value)| (var.clone(), fill(value, workers)))
            .collect();
        let (program, args) = if self.shell {
            let text = fill(template.text(), workers);
            ("sh".to_string(), vec!["-c".to_string(), text])
        } else {
            let mut words = template.words_at(workers);
            let program = words.remove(0);
            (program, words)
        };
        let line = if self.shell {
            fill(template.text(), workers)
        } else {
            template.words_at(workers).join(" ")
        };
        let shown = env
            .iter()
            .map(|(var, value)| format!("{var}={value} "))
            .collect::<String>()
            + &line;
        Invocation {
            program,
            args,
            env,
            shown,
        }
    }
}

/// `VAR=value` of `--env`.
fn parse_env(text: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((var, value)) if !var.is_empty() && !var.contains(char::is_whitespace) => {
            Ok((var.to_string(), value.to_string()))
        }
        _ => Err(Error::new(format!(
            "--env '{text}' is not VAR=VALUE: write it as in OMP_NUM_THREADS={WORKERS}"
        ))),
    }
}

/// A program's name without its folder: `/usr/bin/sort` is `sort`.
fn default_name(program: &str) -> String {
    Path::new(program)
        .file_name()
        .map_or(program.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The name becomes a file name and a point label: plain, and not a
/// strategy's or the ceiling's.
fn check_name(name: &str) -> Result<()> {
    plain_name(name).map_err(|e| e.context("--name"))?;
    if TABLE.iter().any(|e| e.label == name) || name == crate::measure::CEILING {
        return Err(Error::new(format!(
            "--name '{name}' is the name of a strategy's points: give the command another \
             with --name"
        )));
    }
    Ok(())
}

/// Refuses a program that cannot be started: a path that is not a file, or
/// a name found nowhere on `PATH`.
fn check_program(program: &str) -> Result<()> {
    let found = if program.contains('/') {
        Path::new(program).is_file()
    } else {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
    };
    if found {
        Ok(())
    } else if program.contains('/') {
        Err(Error::new(format!("there is no program {program}")))
    } else {
        Err(Error::new(format!("there is no program {program} on PATH")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(command: &str) -> CommandFlags {
        CommandFlags {
            command: command.into(),
            ..CommandFlags::default()
        }
    }

    #[test]
    fn a_command_is_named_after_its_program_and_filled_in_at_each_count() {
        let spec = CommandSpec::new(&flags("/bin/sh -c echo{workers}"), false).unwrap();
        assert_eq!(spec.name, "sh");
        let at = spec.at(3);
        assert_eq!(
            (at.program.as_str(), at.args.as_slice()),
            ("/bin/sh", &["-c".to_string(), "echo3".into()][..])
        );
        assert_eq!(at.shown, "/bin/sh -c echo3");
        assert_eq!(spec.baseline().shown, "/bin/sh -c echo1");
        assert_eq!(
            spec.baseline_description(),
            "`/bin/sh -c echo1`, the command at {workers} = 1"
        );
    }

    #[test]
    fn env_serial_and_shell_change_what_runs() {
        let with = CommandFlags {
            command: "sh -c true".into(),
            name: Some("omp".into()),
            serial: Some("sh -c exit".into()),
            env: vec!["OMP_NUM_THREADS={workers}".into()],
        };
        let spec = CommandSpec::new(&with, false).unwrap();
        assert_eq!(spec.name, "omp");
        assert_eq!(spec.at(2).env, [("OMP_NUM_THREADS".into(), "2".into())]);
        assert_eq!(spec.at(2).shown, "OMP_NUM_THREADS=2 sh -c true");
        assert_eq!(spec.baseline().shown, "OMP_NUM_THREADS=1 sh -c exit");
        let shell = CommandSpec::new(&flags("sort -k{workers} | head"), true).unwrap();
        assert_eq!(shell.at(2).program, "sh");
        assert_eq!(shell.at(2).args, ["-c", "sort -k2 | head"]);
    }

    #[test]
    fn bad_commands_are_refused_by_name() {
        let err = |f: CommandFlags| CommandSpec::new(&f, false).unwrap_err().to_string();
        assert_eq!(
            err(flags("no-such-program-xyz {workers}")),
            "--command `no-such-program-xyz {workers}`: there is no program \
             no-such-program-xyz on PATH"
        );
        assert!(err(flags("sh -c true")).contains("has no {workers} and no --env"));
        assert!(err(flags("  ")).contains("no program"));
        let mut bad_env = flags("sh {workers}");
        bad_env.env = vec!["{workers}".into()];
        assert!(err(bad_env).contains("is not VAR=VALUE"));
        let mut named = flags("sh {workers}");
        named.name = Some("serial".into());
        assert!(err(named).contains("'serial' is the name of a strategy"));
        named = flags("sh {workers}");
        named.name = Some("a/b".into());
        assert!(err(named).contains("path separator"));
    }
}
