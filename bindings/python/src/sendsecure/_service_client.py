"""What every service's client shares: the C handle's lifetime (close, ``with``, garbage
collection), the calls running on it, cancellation, and the checked-call helpers."""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from contextlib import contextmanager
from ctypes import byref, c_void_p
from typing import Any, Callable, Iterator, List, Optional

from . import _ffi
from ._core import Temp, _count, check, iterate, took
from .errors import StateError


class _ClientState:
    """The C client and the calls running on it, shared with the finalizer."""

    def __init__(self, address: int, free_name: str, cancel_name: str) -> None:
        self.address: Optional[int] = address
        self.free_name = free_name
        self.cancel_name = cancel_name
        self.cond = threading.Condition()
        self.inflight = 0
        self.threads: Counter = Counter()
        self.closing = False

    def free(self, cancel: bool = False, at_exit: bool = False) -> None:
        with self.cond:
            if self.address is None:
                return
            if not at_exit and self.threads[threading.get_ident()]:
                raise StateError("a Client cannot be closed from inside one of its own calls (a callback)")
            self.closing = True  # no new call starts from now on
            if self.inflight and at_exit:
                self.address = None  # another thread is still in a call at exit: leave it be
                return
            while self.inflight:
                if cancel:
                    # a cancel stops the calls in C at this moment: repeat it for a call that
                    # was about to enter C
                    getattr(_ffi.lib(), self.cancel_name)(self.address)
                self.cond.wait(0.05 if cancel else None)
            address, self.address = self.address, None
        getattr(_ffi.lib(), self.free_name)(address)
        _count(self.free_name, -1)


def _finalize_client(state: _ClientState) -> None:
    state.free(at_exit=True)


class ServiceClient:
    """A service's thread-safe client handle (``ss_client``, ``ss_sendsafely_client``).

    Subclasses make the C handle and call :meth:`_adopt` with it and the names of its free and
    cancel functions.
    """

    _state: _ClientState

    def _adopt(self, address: int, free_name: str, cancel_name: str) -> None:
        self._state = _ClientState(address, free_name, cancel_name)
        _count(free_name, +1)
        self._finalizer = weakref.finalize(self, _finalize_client, self._state)

    @property
    def closed(self) -> bool:
        return self._state.address is None

    def close(self, cancel: bool = False) -> None:
        """Frees the client. Calls running on it in other threads are waited for (or, with
        ``cancel=True``, cancelled first: they raise :class:`CancelledError`). New calls raise
        ValueError. Calling it again does nothing; calling it from a callback of this client's
        call raises :class:`StateError`."""
        self._state.free(cancel=cancel)
        self._finalizer.detach()

    def __enter__(self) -> "ServiceClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def _use(self, closing_ok: bool = False) -> Iterator[int]:
        state = self._state
        me = threading.get_ident()
        with state.cond:
            if state.address is None or (state.closing and not closing_ok):
                raise ValueError(f"this {type(self).__name__} is closed")
            state.inflight += 1
            state.threads[me] += 1
            address = state.address
        try:
            yield address
        finally:
            with state.cond:
                state.inflight -= 1
                state.threads[me] -= 1
                if not state.threads[me]:
                    del state.threads[me]
                state.cond.notify_all()

    def _call(self, function: str, *args: Any) -> None:
        with self._use() as client:
            rc = getattr(_ffi.lib(), function)(client, *args)
            check(rc, function)

    def _call_string(self, function: str, *args: Any) -> Optional[str]:
        out = c_void_p()
        with self._use() as client:
            rc = getattr(_ffi.lib(), function)(client, *args, byref(out))
            check(rc, function)
        return _ffi.take_string(out)

    def _call_read(self, function: str, free: str, reader: Callable[[int], Any], *args: Any) -> Any:
        with self._use() as client, Temp(free) as out:
            rc = getattr(_ffi.lib(), function)(client, *args, out.ref)
            check(rc, function)
            return reader(took(out.out, function))

    def _call_list(self, function: str, prefix: str, reader: Callable[[int], Any], *args: Any) -> List[Any]:
        lib = _ffi.lib()
        count, at = getattr(lib, f"{prefix}_count"), getattr(lib, f"{prefix}_at")
        return self._call_read(
            function,
            f"{prefix}_free",
            lambda p: [reader(item) for item in iterate(count(p), lambda i: at(p, i))],
            *args,
        )

    def cancel(self) -> None:
        """Cancels the calls running on this client at this moment (from any thread, or from a
        callback): each raises :class:`CancelledError` promptly. Later calls are not affected."""
        with self._use(closing_ok=True) as client:
            check(getattr(_ffi.lib(), self._state.cancel_name)(client), self._state.cancel_name)
