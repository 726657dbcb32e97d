//! What the benchmark reads of a process: wall time, CPU time (user + system of every thread)
//! and peak RSS, from `getrusage`, of this process or of the children it waited for.

use std::time::Instant;

/// CPU seconds (user + system) and peak RSS (KiB) of `who` (`RUSAGE_SELF` or
/// `RUSAGE_CHILDREN`).
fn usage(who: libc::c_int) -> (f64, i64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(who, &mut ru) };
    assert_eq!(rc, 0, "getrusage failed");
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (seconds(ru.ru_utime) + seconds(ru.ru_stime), ru.ru_maxrss)
}

/// A span of this process being measured: wall time and CPU time from its start.
pub struct Span {
    wall: Instant,
    cpu: f64,
}

impl Span {
    pub fn start() -> Span {
        Span {
            wall: Instant::now(),
            cpu: usage(libc::RUSAGE_SELF).0,
        }
    }

    /// Wall and CPU seconds since the start.
    pub fn end(&self) -> (f64, f64) {
        (
            self.wall.elapsed().as_secs_f64(),
            usage(libc::RUSAGE_SELF).0 - self.cpu,
        )
    }
}

/// The peak RSS of this process so far, in KiB.
pub fn maxrss_kib() -> i64 {
    usage(libc::RUSAGE_SELF).1
}

/// Runs `command` (a baseline: `sh -c 'gpg … | curl …'`) and prints its wall time, the CPU
/// time of every process it waited for (the shell, gpg, curl) and the largest peak RSS among
/// them. Fails when the command does.
pub fn run(command: &[String]) -> Result<(), String> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| "run: no command given".to_string())?;
    let (cpu_before, _) = usage(libc::RUSAGE_CHILDREN);
    let start = Instant::now();
    let status = std::process::Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("run: cannot start {program}: {e}"))?;
    let wall = start.elapsed().as_secs_f64();
    let (cpu_after, maxrss) = usage(libc::RUSAGE_CHILDREN);
    if !status.success() {
        return Err(format!("run: {program} failed ({status})"));
    }
    println!("wall_s={wall:.6}");
    println!("cpu_s={:.6}", cpu_after - cpu_before);
    println!("maxrss_kib={maxrss}");
    Ok(())
}
