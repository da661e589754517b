//! A child process that leads a process group of its own: waited for with a
//! limit, timed to the moment it is reaped, and killed with everything it
//! started.
//!
//! Two kinds of program are started this way: an MPI launch
//! (`launcher.rs`), whose `mpirun` starts ranks, and a command measured by
//! `speedup sweep --command` (`command/`), which may start helpers of its
//! own. Either may hang, and either must not outlive the sweep. So the child
//! starts as the leader of a new process group, goes on the interrupt
//! handler's list (`interrupt.rs`: Ctrl-C and SIGTERM kill it), and past its
//! limit the whole group is killed and the leader reaped.
//!
//! **Reaped here, not by `std`.** The child is reaped with `wait4`, which
//! returns, besides the exit status, the CPU time the child (and every
//! descendant it waited for) spent in user and system mode: how a measured
//! command shows whether it used its workers. On Linux the wait blocks on a
//! pidfd, so the exit is seen the moment it happens (polling would add up to
//! a pause to every time); elsewhere, or on kernels without pidfds, it polls
//! (`child_exit.rs`). Once reaped, the pid may belong to someone else: the
//! group is then never signalled again.

use crate::interrupt::{self, Interruptible};
use crate::lock::lock;
use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How a child ended: its status and the CPU time it used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exit {
    pub status: ExitStatus,
    /// User plus system CPU seconds of the child and the descendants it
    /// waited for (`None` where the system does not say).
    pub cpu_s: Option<f64>,
}

/// A started child, leader of its own process group, on the interrupt
/// handler's list while it is held.
#[derive(Debug)]
pub struct GroupChild {
    pid: u32,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    child: Child,
    /// Set once the child is reaped; from then on its pid is not ours.
    exit: Option<Exit>,
}

impl GroupChild {
    /// Starts `command` as the leader of a process group of its own, on the
    /// interrupt handler's list.
    pub fn start(command: &mut Command) -> std::io::Result<Arc<GroupChild>> {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(command, 0);
        let child = command.spawn()?;
        let started = Arc::new(GroupChild {
            pid: child.id(),
            state: Mutex::new(State { child, exit: None }),
        });
        interrupt::track_child(Arc::clone(&started) as Arc<dyn Interruptible>);
        Ok(started)
    }

    /// How the child ended, waiting at most `limit` (a child that hangs must
    /// not hang the sweep); `None` if it still runs then.
    pub fn wait(&self, limit: Duration) -> Option<Exit> {
        #[cfg(target_os = "linux")]
        if let Some(exited) = self.wait_on_pidfd(limit) {
            return exited.then(|| self.try_reap()).flatten();
        }
        crate::child_exit::poll_within(limit, || self.try_reap())
    }

    /// Kills every process of the child's group (the child and whatever it
    /// started), then reaps the child.
    pub fn kill(&self) {
        let mut state = lock(&self.state);
        if state.exit.is_some() {
            return;
        }
        // Only while the child is not yet reaped: until then its pid, the
        // group's number, cannot have been given to anyone else.
        #[cfg(unix)]
        // SAFETY: kill with a negative pid signals one process group; it
        // touches no memory.
        unsafe {
            libc::kill(-(self.pid as libc::pid_t), libc::SIGKILL);
        }
        let _ = state.child.kill();
        let exit = reap(&mut state.child, true);
        state.exit = exit.or(state.exit);
    }

    /// The exit, if the child has exited (reaping it then).
    fn try_reap(&self) -> Option<Exit> {
        let mut state = lock(&self.state);
        if state.exit.is_none() {
            state.exit = reap(&mut state.child, false);
        }
        state.exit
    }

    /// Waits up to `limit` for the child to exit on a pidfd: `Some(true)`
    /// once it exited, `Some(false)` if it still runs, `None` where pidfds
    /// are not available (then the caller polls).
    #[cfg(target_os = "linux")]
    fn wait_on_pidfd(&self, limit: Duration) -> Option<bool> {
        use std::os::fd::{FromRawFd, OwnedFd};
        // SAFETY: pidfd_open takes a pid and flags and returns a new file
        // descriptor, which OwnedFd closes.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, self.pid as libc::pid_t, 0) };
        if fd < 0 {
            return None;
        }
        let fd = unsafe { OwnedFd::from_raw_fd(fd as i32) };
        let mut poll = libc::pollfd {
            fd: std::os::fd::AsRawFd::as_raw_fd(&fd),
            events: libc::POLLIN,
            revents: 0,
        };
        let deadline = std::time::Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let ms = left.as_millis().min(i32::MAX as u128) as i32 + 1;
            // SAFETY: one pollfd of our own, for the length of the call.
            let ready = unsafe { libc::poll(&mut poll, 1, ms) };
            if ready > 0 {
                return Some(true);
            }
            if ready < 0 {
                if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                    return None;
                }
            } else if left.is_zero() {
                return Some(false);
            }
        }
    }
}

/// Reaps `child` if it has exited (or, with `block`, once it exits),
/// reading its resource usage; `None` while it runs.
fn reap(child: &mut Child, block: bool) -> Option<Exit> {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        let mut status = 0;
        // SAFETY: wait4 writes the status and the rusage into our own
        // zeroed values; the pid is our unreaped child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if block { 0 } else { libc::WNOHANG };
        let pid = child.id() as libc::pid_t;
        let reaped = loop {
            let reaped = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
            let interrupted = reaped < 0
                && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted;
            if !interrupted {
                break reaped;
            }
        };
        if reaped == pid {
            let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
            return Some(Exit {
                status: ExitStatus::from_raw(status),
                cpu_s: Some(seconds(usage.ru_utime) + seconds(usage.ru_stime)),
            });
        }
        if reaped == 0 {
            return None;
        }
    }
    // Not unix, or the child was reaped elsewhere: std knows its status.
    let status = if block {
        child.wait().ok()
    } else {
        child.try_wait().ok().flatten()
    }?;
    Some(Exit {
        status,
        cpu_s: None,
    })
}

/// The Ctrl-C handler stops such a child like a worker process (`interrupt.rs`).
impl Interruptible for GroupChild {
    fn is_running(&self) -> bool {
        self.try_reap().is_none()
    }

    fn interrupt(&self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_child_is_reaped_with_its_status_and_cpu_time() {
        let child = GroupChild::start(Command::new("sh").args(["-c", "exit 3"])).unwrap();
        let exit = child.wait(Duration::from_secs(60)).expect("sh exits");
        assert_eq!(exit.status.code(), Some(3));
        assert!(exit.cpu_s.is_some_and(|c| c >= 0.0), "{exit:?}");
        assert!(!child.is_running());
        // Killing a reaped child signals no one and keeps its exit.
        child.kill();
        assert_eq!(child.wait(Duration::ZERO), Some(exit));
    }

    #[test]
    #[cfg(unix)]
    fn a_child_past_its_limit_is_still_running_and_then_killed() {
        let child = GroupChild::start(Command::new("sleep").arg("100")).unwrap();
        assert_eq!(child.wait(Duration::from_millis(50)), None);
        assert!(child.is_running());
        child.kill();
        assert!(!child.is_running());
        let exit = child.wait(Duration::ZERO).expect("reaped by kill");
        assert!(!exit.status.success());
    }
}
