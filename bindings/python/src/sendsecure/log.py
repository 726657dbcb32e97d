"""The library's log records, bridged to Python's :mod:`logging` (``ss_set_log_callback``).

Off until :func:`enable_logging` is called. Records come from the calling thread or from the
library's I/O threads; they never hold a token, a password or a query string.
"""

from __future__ import annotations

import atexit
import logging
import threading
from typing import Optional

from . import _ffi
from ._core import check

# ss_log_level
_TO_PYTHON = {1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO, 4: logging.DEBUG, 5: logging.DEBUG}


def _from_python(level: int) -> int:
    if level <= logging.DEBUG:
        return 4
    if level <= logging.INFO:
        return 3
    if level <= logging.WARNING:
        return 2
    return 1


_lock = threading.Lock()
_callback = None  # the ctypes callback, kept alive while the library may call it


def enable_logging(logger: Optional[logging.Logger] = None, level: int = logging.DEBUG) -> None:
    """Sends the library's records up to ``level`` to ``logger`` (default: ``sendsecure``).

    At ``logging.DEBUG`` there is one record per request (method, path, status, duration); retries
    are at ``INFO``. Calling it again replaces the previous setting.
    """
    target = logger if logger is not None else logging.getLogger("sendsecure")

    def forward(_user_data, c_level, message):
        try:
            target.log(_TO_PYTHON.get(c_level, logging.DEBUG), message.decode("utf-8", "replace"))
        except Exception:  # never let a logging failure cross into C
            pass

    global _callback
    with _lock:
        callback = _ffi.LOG_CB(forward)
        check(_ffi.lib().ss_set_log_callback(callback, None, _from_python(level)), "ss_set_log_callback")
        _callback = callback  # the old one is no longer called once the call above returned


def disable_logging() -> None:
    """Turns the library's log off (the default)."""
    global _callback
    with _lock:
        if _ffi.loaded_path() is None:
            return
        check(_ffi.lib().ss_set_log_callback(_ffi.LOG_CB(), None, 0), "ss_set_log_callback")
        _callback = None


# No callback into a finalizing interpreter from the library's threads.
atexit.register(disable_logging)
