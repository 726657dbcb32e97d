"""Plumbing shared by the public classes: checked calls, owned handles, callback trampolines."""

from __future__ import annotations

import ctypes
import itertools
import signal
import threading
import weakref
from collections import Counter
from ctypes import c_void_p
from typing import Any, Callable, Dict, Iterator, Optional

from . import _ffi
from .errors import Result, SendSecureError, error_class
from .models import Progress

# --- errors ----------------------------------------------------------------------------------


def _read_text(fn) -> str:
    size = fn(None, 0)
    if not size:
        return ""
    buf = ctypes.create_string_buffer(size + 1)
    fn(buf, size + 1)
    return buf.raw[:size].decode("utf-8", "replace")


def last_error(rc: int, function: str) -> SendSecureError:
    """The exception for a failed call, from this thread's last error.

    Must run on the thread of the failed call, before any other fallible libsendsecure call on
    it (frees and accessors do not touch the last error, so a garbage collection in between is
    harmless).
    """
    lib = _ffi.lib()
    message = _read_text(lib.ss_last_error_message)
    http_status = int(lib.ss_last_error_http_status())
    api_code = int(lib.ss_last_error_api_code())
    body = _read_text(lib.ss_last_error_body) or None
    api_code_name = _read_text(lib.ss_last_error_api_code_name)
    if lib.ss_last_error_code() != rc:  # should not happen; never report another call's details
        message, http_status, api_code, body, api_code_name = "", 0, 0, None, ""
    if not message:
        message = _ffi.dec(lib.ss_result_str(rc)) or "unknown error"
    try:
        code: Any = Result(rc)
    except ValueError:
        code = rc
    cls = error_class(rc, http_status)
    return cls(message, code, http_status, body, api_code, function, api_code_name)


def check(rc: int, function: str) -> None:
    """Raises the exception of a failed call (``rc`` not ``SS_OK``)."""
    if rc != 0:
        raise last_error(rc, function)


def took(out: c_void_p, function: str) -> int:
    """The address a successful call wrote to its out-parameter (never NULL after SS_OK)."""
    if not out.value:
        raise SendSecureError(f"{function} succeeded but returned NULL", Result.ERR_PANIC, function=function)
    return out.value


# --- owned handles ---------------------------------------------------------------------------

_live: Counter = Counter()
_live_lock = threading.Lock()


def live_handles() -> Dict[str, int]:
    """How many handles of each kind this process holds and has not freed yet, by free function.

    A debugging aid: after ``gc.collect()``, a count that keeps growing is a leak.
    """
    with _live_lock:
        return {name: count for name, count in _live.items() if count}


def _count(free_name: str, delta: int) -> None:
    with _live_lock:
        _live[free_name] += delta


def free_handle(free_name: str, address: int) -> None:
    """Frees a C handle with its ``_free`` function and updates the live counts."""
    getattr(_ffi.lib(), free_name)(address)
    _count(free_name, -1)


class Owned:
    """A Python object owning one C handle, freed exactly once.

    Freed by :meth:`close`, at the end of a ``with`` block, or when the object is garbage
    collected (``weakref.finalize``, which also runs at interpreter exit): never twice, never
    from ``__del__`` on a half-built object.
    """

    _free_name = ""  # e.g. "ss_safebox_free"
    _kind = "handle"  # for messages

    def _own(self, address: int, extra: Optional[Callable[[], None]] = None) -> None:
        self._address: Optional[int] = address
        _count(self._free_name, +1)
        self._finalizer = weakref.finalize(self, _release, self._free_name, address, extra)

    @property
    def _ptr(self) -> int:
        address = getattr(self, "_address", None)
        if not address:
            raise ValueError(f"this {self._kind} is closed")
        return address

    @property
    def closed(self) -> bool:
        """Whether the handle was freed."""
        return not getattr(self, "_address", None)

    def close(self) -> None:
        """Frees the C handle now. Calling it again does nothing."""
        finalizer = getattr(self, "_finalizer", None)
        self._address = None
        if finalizer is not None:
            finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _release(free_name: str, address: int, extra: Optional[Callable[[], None]]) -> None:
    try:
        free_handle(free_name, address)
    finally:
        if extra is not None:
            extra()


class Temp:
    """A handle received from a call and freed when the ``with`` block ends (for results that
    are copied into Python objects at once: lists, infos, responses)."""

    def __init__(self, free_name: str) -> None:
        self.free_name = free_name
        self.out = c_void_p()

    @property
    def ref(self):
        return ctypes.byref(self.out)

    def __enter__(self) -> "Temp":
        return self

    def __exit__(self, *exc_info) -> None:
        if self.out.value:
            address, self.out.value = self.out.value, None
            getattr(_ffi.lib(), self.free_name)(address)


# --- callbacks -------------------------------------------------------------------------------
#
# One trampoline of each kind for the whole process: the user_data pointer is a key into
# _contexts, so no per-call ctypes closure has to be kept alive, and a key that is no longer
# registered (never expected) simply stops the call. Callbacks run on the thread that made the
# C call, holding the GIL; whatever they raise is kept (never crosses into C) and re-raised by
# the caller after the call returns.

_keys = itertools.count(1)
_contexts: Dict[int, Any] = {}


def register(context: Any) -> int:
    key = next(_keys)
    _contexts[key] = context
    return key


def unregister(key: int) -> None:
    _contexts.pop(key, None)


def _keep(error_holder: Any, error: BaseException) -> None:
    if getattr(error_holder, "error", None) is None:
        error_holder.error = error


@_ffi.PROGRESS_CB
def _progress_trampoline(user_data, progress):
    try:
        scope = _contexts.get(user_data or 0)
        if scope is None or scope.error is not None:
            return 1
        if scope.progress is None:
            return 0  # still called: Python gets a chance to handle Ctrl-C
        p = progress.contents
        report = Progress(
            p.attachment_index,
            p.attachment_count,
            p.attachment_bytes_sent,
            p.attachment_bytes_total,
            p.bytes_sent,
            p.bytes_total,
        )
        return 1 if scope.progress(report) is True else 0
    except BaseException as e:  # noqa: BLE001 - KeyboardInterrupt too: it must not cross C
        try:
            _keep(scope, e)
        except BaseException:  # noqa: BLE001
            pass
        return 1


@_ffi.WRITE_CB
def _write_trampoline(user_data, buf, length):
    try:
        scope = _contexts.get(user_data or 0)
        if scope is None or scope.error is not None:
            return -1
        if length:
            scope.write(ctypes.string_at(buf, length))
        return length
    except BaseException as e:  # noqa: BLE001
        try:
            _keep(scope, e)
        except BaseException:  # noqa: BLE001
            pass
        return -1


@_ffi.READ_CB
def _read_trampoline(user_data, buf, length):
    try:
        stream = _contexts.get(user_data or 0)
        if stream is None or stream.error is not None:
            return -1
        return stream.read_into(buf, length) if length else 0
    except BaseException as e:  # noqa: BLE001
        try:
            _keep(stream, e)
        except BaseException:  # noqa: BLE001
            pass
        return -1


@_ffi.REWIND_CB
def _rewind_trampoline(user_data):
    try:
        stream = _contexts.get(user_data or 0)
        if stream is None or stream.error is not None:
            return 1
        stream.rewind()
        return 0
    except BaseException as e:  # noqa: BLE001
        try:
            _keep(stream, e)
        except BaseException:  # noqa: BLE001
            pass
        return 1


PROGRESS_TRAMPOLINE = _progress_trampoline
WRITE_TRAMPOLINE = _write_trampoline
READ_TRAMPOLINE = _read_trampoline
REWIND_TRAMPOLINE = _rewind_trampoline


def _add_note(error: BaseException, note: str) -> None:
    if hasattr(error, "add_note"):  # Python 3.11+
        error.add_note(note)


class CallScope:
    """The callbacks of one C call: a progress callable and/or a write target.

    ``with CallScope(progress) as scope:`` then pass ``PROGRESS_TRAMPOLINE, scope.key`` to the
    call; after it, :meth:`finish` raises what a callback raised, or the call's own error.
    """

    def __init__(self, progress: Optional[Callable[[Progress], Any]] = None, write=None) -> None:
        if progress is not None and not callable(progress):
            raise TypeError("progress must be callable (it receives a sendsecure.Progress)")
        self.progress = progress
        self.write = write
        self.error: Optional[BaseException] = None
        self.key = 0
        self._sigint: Any = None

    def __enter__(self) -> "CallScope":
        self.key = register(self)
        self._catch_sigint()
        return self

    def __exit__(self, *exc_info) -> None:
        self._release_sigint()
        unregister(self.key)

    # Python runs signal handlers in the main thread at the next bytecode, which during a C call
    # is the first instruction of a callback: a KeyboardInterrupt raised there, before the
    # trampoline's try block, would be swallowed by ctypes ("Exception ignored"). So while a
    # call with callbacks runs on the main thread, the SIGINT handler is wrapped: what it raises
    # is kept, stops the call at its next callback, and is re-raised when the call returns.

    def _catch_sigint(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        try:
            previous = signal.getsignal(signal.SIGINT)
        except (ValueError, AttributeError):  # not the main interpreter, or no SIGINT
            return
        if not callable(previous):
            return

        def handler(signum, frame, previous=previous):
            try:
                previous(signum, frame)
            except BaseException as e:  # noqa: BLE001
                _keep(self, e)

        try:
            signal.signal(signal.SIGINT, handler)
        except ValueError:
            return
        self._sigint = previous

    def _release_sigint(self) -> None:
        if self._sigint is not None:
            previous, self._sigint = self._sigint, None
            signal.signal(signal.SIGINT, previous)

    def finish(self, rc: int, function: str, streams=()) -> None:
        """After the call: raise the first exception of a callback (progress, write, one of
        ``streams``' reads, or a SIGINT handler), else the call's error, else nothing. Reads
        the last error first, so that nothing can clear it."""
        failure = last_error(rc, function) if rc != 0 else None
        self._release_sigint()  # a signal handled until here is in self.error
        raised = self.error
        for stream in streams:
            if raised is None and stream.error is not None:
                raised = stream.error
            stream.error = None
        self.error = None
        if raised is not None:
            _add_note(raised, f"raised in a callback of {function}, which was stopped ({failure or 'completed'})")
            raise raised
        if failure is not None:
            raise failure


def iterate(count: int, at: Callable[[int], int]) -> Iterator[int]:
    """The non-NULL items ``at(0) .. at(count - 1)`` of a C list."""
    for index in range(count):
        item = at(index)
        if item:
            yield item
