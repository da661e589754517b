//! Results through shared memory instead of the pipe.
//!
//! A process worker's results must reach its parent, and the obvious road
//! is the pipe its requests come by. But a pipe holds 64 kB: a part of
//! 80 kB (10,000 draws of linear-normal) is written in two halves, and
//! each half waits until the parent has woken up and copied the last one
//! out. Per run of linear-normal that is 800 kB copied twice, through a
//! dozen hand-overs between two processes that, on a busy machine, are not
//! even running at the same time.
//!
//! Shared memory removes the hand-overs. The parent creates a memory file
//! (`memfd_create`) for each child and both map it: the child copies each
//! part into it, one after another, and sends only a small frame down the
//! pipe saying where the part lies; the parent decodes straight from the
//! mapping. (Python's `multiprocessing.shared_memory` is the same idea.)
//! Every job starts again at the front of the region, which is safe because
//! the parent has read every part of a job before it sends the next job.
//!
//! Where any step fails (another OS, a system that refuses the mapping, a
//! part larger than the region) the part simply goes down the pipe as
//! before: shared memory is a shortcut, never a requirement.
//!
//! All the `unsafe` code of the process strategies lives in this file: raw
//! system calls, and a slice over memory the kernel maps.

use std::process::{Child, Command};

/// The variable that tells a child where its region is: `"FD BYTES"`.
pub const REPLIES_ENV: &str = "SPEEDUP_WORKER_REPLIES";

/// The size of each child's region: room for the parts of a whole job at
/// the workloads' defaults many times over (linear-normal's are 800 kB in
/// all). Memory is used only where the child writes; larger parts take the
/// pipe.
pub const CAPACITY: usize = 16 << 20;

/// A mapped region shared by a parent and one child.
pub struct SharedRegion {
    address: *mut u8,
    len: usize,
    /// The memory file, until the child has inherited it (parent side).
    file: Option<std::os::fd::OwnedFd>,
}

// The region is only ever used by the thread that holds the worker process
// it belongs to; moving it between threads (a kept pool) is fine.
unsafe impl Send for SharedRegion {}

impl SharedRegion {
    /// A new region for a child about to start, or `None` where shared
    /// memory is not to be had (the parts then take the pipe).
    pub fn create() -> Option<SharedRegion> {
        platform::create(CAPACITY)
    }

    /// Starts `command` as the child that inherits the region, telling it
    /// where to find it.
    pub fn spawn_child(&self, command: &mut Command) -> std::io::Result<Child> {
        match &self.file {
            Some(file) => platform::spawn_inheriting(command, file, self.len),
            None => command.spawn(),
        }
    }

    /// After the child has started: the parent no longer needs the file,
    /// only its mapping.
    pub fn started(&mut self) {
        self.file = None;
    }

    /// The region named by [`REPLIES_ENV`], mapped for writing, in a child.
    pub fn of_this_worker() -> Option<SharedRegion> {
        let value = std::env::var(REPLIES_ENV).ok()?;
        let (fd, len) = value.split_once(' ')?;
        platform::open_inherited(fd.parse().ok()?, len.parse().ok()?)
    }

    /// The `len` bytes at `offset`, if the region holds them (parent side).
    ///
    /// Only bytes the child has finished writing are ever asked for: the
    /// frame that names them comes after them, through the pipe.
    pub fn bytes(&self, offset: u64, len: u64) -> Option<&[u8]> {
        let end = offset.checked_add(len)?;
        if end > self.len as u64 {
            return None;
        }
        // SAFETY: the mapping is `self.len` bytes, readable, and lives as
        // long as `self`; the range is inside it (checked above).
        let all = unsafe { std::slice::from_raw_parts(self.address, self.len) };
        Some(&all[offset as usize..end as usize])
    }

    /// Copies `bytes` to `offset` (child side); `false` if they do not fit.
    pub fn write(&mut self, offset: usize, bytes: &[u8]) -> bool {
        let Some(end) = offset.checked_add(bytes.len()).filter(|&e| e <= self.len) else {
            return false;
        };
        // SAFETY: the child maps the region writable, the range is inside
        // it, and the parent reads it only after this write (see `bytes`).
        let all = unsafe { std::slice::from_raw_parts_mut(self.address, self.len) };
        all[offset..end].copy_from_slice(bytes);
        true
    }
}

impl Drop for SharedRegion {
    fn drop(&mut self) {
        platform::unmap(self.address, self.len);
    }
}

/// Where parts go in a child: one after another in its region, from the
/// front again at every job.
pub struct PartWriter {
    region: Option<SharedRegion>,
    next: usize,
}

impl PartWriter {
    /// The writer of this worker process: its region, if it was given one.
    pub fn of_this_worker() -> PartWriter {
        PartWriter {
            region: SharedRegion::of_this_worker(),
            next: 0,
        }
    }

    /// A new job: its parent has read every part of the last one.
    pub fn start_job(&mut self) {
        self.next = 0;
    }

    /// Puts `bytes` in the region and returns where; `None` when they must
    /// take the pipe.
    pub fn place(&mut self, bytes: &[u8]) -> Option<u64> {
        let region = self.region.as_mut()?;
        let offset = self.next;
        region.write(offset, bytes).then(|| {
            self.next = offset + bytes.len();
            offset as u64
        })
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use super::SharedRegion;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
    use std::process::{Child, Command};
    use std::sync::Mutex;

    pub fn create(len: usize) -> Option<SharedRegion> {
        // SAFETY: plain system calls on a name we own and the fd they return.
        unsafe {
            let fd = libc::memfd_create(c"speedup-replies".as_ptr(), libc::MFD_CLOEXEC);
            if fd < 0 {
                return None;
            }
            let file = OwnedFd::from_raw_fd(fd);
            if libc::ftruncate(fd, len as libc::off_t) != 0 {
                return None;
            }
            let address = map(fd, len, libc::PROT_READ)?;
            Some(SharedRegion {
                address,
                len,
                file: Some(file),
            })
        }
    }

    /// One child at a time is started with a region open for inheriting.
    static SPAWNING: Mutex<()> = Mutex::new(());

    /// The file is close-on-exec, so that no other child inherits it. For
    /// the moment of this child's start it is not, under a lock that keeps
    /// our other workers from starting in that moment.
    ///
    /// (Clearing the flag in a `pre_exec` hook would be simpler, but a hook
    /// makes the standard library start the child with `fork`, which copies
    /// the parent's page tables: a lab 4 run, its parent grown to hundreds
    /// of megabytes, spent 5–10 ms in every `fork`, ten times a bare start.
    /// Without a hook it uses `posix_spawn`, which shares them.)
    pub fn spawn_inheriting(
        command: &mut Command,
        file: &OwnedFd,
        len: usize,
    ) -> std::io::Result<Child> {
        let fd = file.as_raw_fd();
        command.env(super::REPLIES_ENV, format!("{fd} {len}"));
        let _one_at_a_time = SPAWNING.lock().unwrap_or_else(|e| e.into_inner());
        set_close_on_exec(fd, false)?;
        let spawned = command.spawn();
        set_close_on_exec(fd, true)?;
        spawned
    }

    fn set_close_on_exec(fd: RawFd, on: bool) -> std::io::Result<()> {
        let flags = if on { libc::FD_CLOEXEC } else { 0 };
        // SAFETY: fcntl on a file we hold open.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, flags) } == -1 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn open_inherited(fd: RawFd, len: usize) -> Option<SharedRegion> {
        // SAFETY: the fd was opened by our parent for us; a wrong number
        // fails fstat or mmap, and the region is used only if both succeed.
        unsafe {
            let mut stat: libc::stat = std::mem::zeroed();
            if libc::fstat(fd, &mut stat) != 0 || (stat.st_size as u64) < len as u64 {
                return None;
            }
            let address = map(fd, len, libc::PROT_READ | libc::PROT_WRITE)?;
            libc::close(fd);
            Some(SharedRegion {
                address,
                len,
                file: None,
            })
        }
    }

    unsafe fn map(fd: RawFd, len: usize, protection: libc::c_int) -> Option<*mut u8> {
        // SAFETY: a fresh shared mapping of a file we hold; the kernel picks
        // the address.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                protection,
                libc::MAP_SHARED,
                fd,
                0,
            )
        };
        (address != libc::MAP_FAILED).then_some(address as *mut u8)
    }

    pub fn unmap(address: *mut u8, len: usize) {
        // SAFETY: the mapping made in `map`, unmapped once, when its region drops.
        unsafe {
            libc::munmap(address as *mut libc::c_void, len);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use super::SharedRegion;
    use std::os::fd::{OwnedFd, RawFd};
    use std::process::{Child, Command};

    pub fn create(_len: usize) -> Option<SharedRegion> {
        None
    }
    pub fn spawn_inheriting(
        command: &mut Command,
        _file: &OwnedFd,
        _len: usize,
    ) -> std::io::Result<Child> {
        command.spawn()
    }
    pub fn open_inherited(_fd: RawFd, _len: usize) -> Option<SharedRegion> {
        None
    }
    pub fn unmap(_address: *mut u8, _len: usize) {}
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_region_holds_what_is_written_and_refuses_what_does_not_fit() {
        let mut region = SharedRegion::create().expect("memfd works on Linux");
        // The parent's mapping is read-only; map the same file again for
        // writing, as the child does.
        let fd = std::os::fd::AsRawFd::as_raw_fd(region.file.as_ref().unwrap());
        let dup = unsafe { libc::dup(fd) };
        let mut child = platform::open_inherited(dup, CAPACITY).unwrap();
        assert!(child.write(100, b"part"));
        assert_eq!(region.bytes(100, 4), Some(&b"part"[..]));
        assert!(!child.write(CAPACITY - 2, b"part"));
        assert_eq!(region.bytes(CAPACITY as u64 - 2, 4), None);
        assert_eq!(region.bytes(u64::MAX, 2), None);
        region.started();
        assert!(region.file.is_none());
    }

    #[test]
    fn parts_follow_one_another_and_a_job_starts_at_the_front() {
        let region = SharedRegion::create().unwrap();
        let fd = std::os::fd::AsRawFd::as_raw_fd(region.file.as_ref().unwrap());
        let mut writer = PartWriter {
            region: platform::open_inherited(unsafe { libc::dup(fd) }, CAPACITY),
            next: 0,
        };
        assert_eq!(writer.place(b"one"), Some(0));
        assert_eq!(writer.place(b"two"), Some(3));
        assert_eq!(region.bytes(0, 6), Some(&b"onetwo"[..]));
        assert_eq!(writer.place(&vec![0; CAPACITY]), None, "takes the pipe");
        writer.start_job();
        assert_eq!(writer.place(b"three"), Some(0));
        let mut without = PartWriter {
            region: None,
            next: 0,
        };
        assert_eq!(without.place(b"one"), None, "no region: the pipe");
    }
}
