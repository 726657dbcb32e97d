//! Keeping SIGPIPE from killing the host program.
//!
//! A write to a connection the server has closed (e.g. a server refusing the client
//! certificate after the TLS handshake, or dropping a connection while a request is sent)
//! raises SIGPIPE in the writing thread. Rust programs ignore SIGPIPE, but a C program does not
//! unless it chose to: the signal would end it silently. The socket writes of the I/O layer
//! (writev) cannot ask not to raise it, so the library blocks SIGPIPE in the threads where it
//! writes: the write then fails with EPIPE, which the library reports as a broken connection.
//!
//! - Its own threads (the runtime's workers and blocking threads) block SIGPIPE for good.
//! - A calling thread blocks it for the duration of a blocking call ([`Guard`]); before the
//!   call returns, a SIGPIPE raised in the thread meanwhile (pending, since blocked) is taken
//!   off, and the thread's signal mask is restored. Callbacks run during the call (on the
//!   calling thread) run with SIGPIPE blocked too. If the host already blocks SIGPIPE in that
//!   thread, nothing is changed.

/// Blocks SIGPIPE in the current thread for good (the library's own threads).
pub(crate) fn block_in_library_thread() {
    #[cfg(unix)]
    // SAFETY: plain signal-mask calls on local, initialised sets.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// SIGPIPE blocked in the calling thread while it lives (see the module's documentation).
pub(crate) struct Guard {
    /// The thread's signal mask before, when it was changed.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    previous: Option<libc::sigset_t>,
}

impl Guard {
    /// Blocks SIGPIPE in the calling thread, unless it is blocked already.
    pub(crate) fn block() -> Guard {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            // SAFETY: plain signal-mask calls on local, initialised sets.
            unsafe {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                libc::sigaddset(&mut set, libc::SIGPIPE);
                let mut previous: libc::sigset_t = std::mem::zeroed();
                if libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut previous) != 0
                    || libc::sigismember(&previous, libc::SIGPIPE) == 1
                {
                    return Guard { previous: None };
                }
                Guard {
                    previous: Some(previous),
                }
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        Guard {}
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if let Some(previous) = self.previous.take() {
            // SAFETY: plain signal calls on local, initialised sets; a zero timeout never
            // waits.
            unsafe {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                libc::sigaddset(&mut set, libc::SIGPIPE);
                let zero = libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                };
                // Take off the SIGPIPE raised by a write of this call, if any (one at most:
                // standard signals do not queue), so that restoring the mask does not deliver it.
                while libc::sigtimedwait(&set, std::ptr::null_mut(), &zero) == libc::SIGPIPE {}
                libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;

    fn sigpipe_blocked() -> bool {
        // SAFETY: reads this thread's mask into a local set.
        unsafe {
            let mut mask: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut mask);
            libc::sigismember(&mask, libc::SIGPIPE) == 1
        }
    }

    #[test]
    fn a_sigpipe_raised_during_a_call_is_taken_off_and_the_mask_restored() {
        std::thread::spawn(|| {
            assert!(!sigpipe_blocked());
            {
                let _guard = Guard::block();
                assert!(sigpipe_blocked());
                // What a write to a closed connection does to the writing thread.
                // SAFETY: sends SIGPIPE to this thread, where it is blocked.
                unsafe { libc::pthread_kill(libc::pthread_self(), libc::SIGPIPE) };
                // SAFETY: reads the pending set into a local set.
                let pending = unsafe {
                    let mut pending: libc::sigset_t = std::mem::zeroed();
                    libc::sigpending(&mut pending);
                    libc::sigismember(&pending, libc::SIGPIPE) == 1
                };
                assert!(pending, "blocked, the signal waits");
                // Nested: already blocked, left as is.
                drop(Guard::block());
                assert!(sigpipe_blocked());
            }
            // Unblocked again, nothing pending: had it been delivered with the default action
            // (Rust's test harness ignores it, a C program would not), it would be now.
            assert!(!sigpipe_blocked());
            // SAFETY: reads the pending set into a local set.
            let pending = unsafe {
                let mut pending: libc::sigset_t = std::mem::zeroed();
                libc::sigpending(&mut pending);
                libc::sigismember(&pending, libc::SIGPIPE) == 1
            };
            assert!(!pending);
        })
        .join()
        .unwrap();
    }
}
