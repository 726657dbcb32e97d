"""Python binding of libsendsecure, the XMedius SendSecure client library (C ABI, via ctypes).

::

    import sendsecure

    with sendsecure.Client.login("acme", "demo", "demo-password", "http://127.0.0.1:8080") as client:
        with sendsecure.Safebox("demo@acme.example", subject="Documents", message="Here they are.",
                                recipients=[sendsecure.Recipient("john@example.com")],
                                attachments=["scan.pdf"]) as safebox:
            print(client.submit_safebox(safebox, progress=print).preview_url)

See README.md beside this package for how the library is located, errors and threads.
"""

from __future__ import annotations

from typing import Optional

from . import _ffi
from ._core import live_handles
from ._ffi import LibraryNotFoundError
from .client import Client, SafeboxIterator, SafeboxPage, UserToken, get_user_token
from .errors import (
    AbortedError,
    ArgumentError,
    ApiError,
    AuthError,
    CancelledError,
    CryptoError,
    ConnectError,
    DecodeError,
    HttpError,
    InternalError,
    IOError_,
    NotFoundError,
    Result,
    SendSecureError,
    StateError,
    TLSError,
    TimeoutError_,
)
from .models import (
    ConsentGroup,
    ContactMethod,
    DestinationType,
    Document,
    EnterpriseSettings,
    Event,
    Favorite,
    Message,
    Participant,
    Progress,
    RecipientMatch,
    SafeboxInfo,
    SafeboxResponse,
    SecurityProfile,
)
from .log import disable_logging, enable_logging
from .safebox import Attachment, Recipient, Reply, Safebox

__version__ = "0.1.0"


def load_library(path: Optional[str] = None) -> str:
    """Loads libsendsecure now (it is otherwise loaded at first use) and returns its path.

    With ``path``, that file; otherwise the search of the README: ``$SENDSECURE_LIBRARY``, the
    copy bundled in the package, the source tree's ``target/{release,debug}`` (newest first),
    ``ctypes.util.find_library("sendsecure")``. Raises :class:`LibraryNotFoundError` (an
    ImportError) listing what was tried.
    """
    _ffi.load(path)
    return _ffi.loaded_path() or ""


def library_path() -> Optional[str]:
    """Where libsendsecure was loaded from, or None before its first use."""
    return _ffi.loaded_path()


def library_version() -> str:
    """The loaded library's version (``ss_version``), loading it if needed."""
    return _ffi.dec(_ffi.lib().ss_version()) or ""


__all__ = [
    "enable_logging",
    "disable_logging",
    "AbortedError",
    "ArgumentError",
    "Attachment",
    "ApiError",
    "AuthError",
    "CancelledError",
    "CryptoError",
    "Client",
    "ConnectError",
    "ConsentGroup",
    "ContactMethod",
    "DecodeError",
    "DestinationType",
    "Document",
    "EnterpriseSettings",
    "Event",
    "Favorite",
    "HttpError",
    "IOError_",
    "InternalError",
    "LibraryNotFoundError",
    "Message",
    "NotFoundError",
    "Participant",
    "Progress",
    "Recipient",
    "RecipientMatch",
    "Reply",
    "Result",
    "Safebox",
    "SafeboxInfo",
    "SafeboxIterator",
    "SafeboxPage",
    "SafeboxResponse",
    "SecurityProfile",
    "SendSecureError",
    "StateError",
    "TLSError",
    "TimeoutError_",
    "UserToken",
    "get_user_token",
    "library_path",
    "library_version",
    "live_handles",
    "load_library",
]
