"""The library itself: how it is located, and every ctypes prototype against the header."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sendsecure
from sendsecure import _ffi

from conftest import REPO

HEADER = REPO / "include" / "sendsecure.h"

# C types of the header -> the type words of sendsecure._ffi (a set where the binding may
# choose, e.g. a `const char *` result copied at once or kept as a pointer).
_ARG_WORDS = [
    (r"^const struct ss_client_options \*$", {"options"}),
    (r"^struct ss_client_options \*$", {"options"}),
    (r"^(const )?struct ss_\w+ \*$", {"handle"}),
    (r"^struct ss_\w+ \*\*$", {"out"}),
    (r"^const struct ss_\w+ \*\*$", {"out"}),
    (r"^const char \*$", {"str"}),
    (r"^char \*\*$", {"ostr"}),
    (r"^char \*$", {"buf", "ptr"}),
    (r"^const uint8_t \*$", {"bytes"}),
    (r"^const int64_t \*$", {"ids"}),
    (r"^const uint64_t \*$", {"u64s"}),
    (r"^const char \*const \*$", {"strs"}),
    (r"^void \*$", {"userdata"}),
    (r"^ss_progress_cb$", {"progress_cb"}),
    (r"^ss_write_cb$", {"write_cb"}),
    (r"^ss_read_cb$", {"read_cb"}),
    (r"^ss_rewind_cb$", {"rewind_cb"}),
    (r"^ss_log_cb$", {"log_cb"}),
    (r"^bool$", {"bool"}),
    (r"^int32_t$", {"i32"}),
    (r"^uint32_t$", {"u32"}),
    (r"^int64_t$", {"i64"}),
    (r"^uint64_t$", {"u64"}),
    (r"^size_t$", {"size"}),
]
_RESULT_WORDS = [
    (r"^ss_result$", {"result"}),
    (r"^void$", {"void"}),
    (r"^const char \*$", {"cstr", "cptr"}),
    (r"^const struct ss_\w+ \*$", {"handle"}),
    (r"^bool$", {"bool"}),
    (r"^int32_t$", {"i32"}),
    (r"^int64_t$", {"i64"}),
    (r"^uint64_t$", {"u64"}),
    (r"^size_t$", {"size"}),
]


def _words(c_type: str, table) -> set:
    c_type = re.sub(r"\s*(\*+)", r" \1", re.sub(r"\s+", " ", c_type).strip()).strip()
    for pattern, words in table:
        if re.match(pattern, c_type):
            return words
    raise AssertionError(f"unmapped C type {c_type!r}")


def header_prototypes() -> dict:
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    prototypes = {}
    for match in re.finditer(r"^([A-Za-z_][\w \*]*?)\b(ss_\w+)\s*\(([^;{]*?)\)\s*;", text, flags=re.M):
        result, name, args = match.group(1), match.group(2), match.group(3)
        params = []
        if args.strip() not in ("", "void"):
            for arg in args.split(","):
                arg = re.sub(r"\s+", " ", arg.strip())
                # drop the parameter name: the last identifier
                c_type = re.sub(r"\b\w+$", "", arg).strip()
                params.append(c_type)
        prototypes[name] = (result.strip(), params)
    return prototypes


needs_header = pytest.mark.skipif(
    not HEADER.is_file(), reason="include/sendsecure.h not found (not in the source tree)"
)


@needs_header
def test_every_prototype_matches_the_header():
    header = header_prototypes()
    assert len(header) > 150, "the header parser found too few functions"
    mismatches = []
    for name, (result, args) in _ffi.signatures().items():
        if name not in header:
            mismatches.append(f"{name}: not in the header")
            continue
        c_result, c_args = header[name]
        if result not in _words(c_result, _RESULT_WORDS):
            mismatches.append(f"{name}: result {result} but the header says {c_result}")
        if len(args) != len(c_args):
            mismatches.append(f"{name}: {len(args)} arguments but the header has {len(c_args)}")
            continue
        for i, (word, c_type) in enumerate(zip(args, c_args)):
            if word not in _words(c_type, _ARG_WORDS):
                mismatches.append(f"{name}: argument {i} is {word} but the header says {c_type}")
    assert not mismatches, "\n".join(mismatches)


@needs_header
def test_every_header_function_is_declared():
    missing = sorted(set(header_prototypes()) - set(_ffi.signatures()))
    assert not missing, f"functions of include/sendsecure.h without a prototype in sendsecure/_ffi.py: {missing}"


_CTYPES_OF = {
    "uint32_t": "c_uint",
    "int64_t": "c_long",
    "uint64_t": "c_ulong",
    "size_t": "c_ulong",
    "bool": "c_bool",
    "const char *": "c_char_p",
}


def _ctype_name(t) -> str:
    import ctypes

    # c_int64 etc. are aliases: compare by size and kind, through the canonical names
    if t is ctypes.c_char_p:
        return "c_char_p"
    if t is ctypes.c_bool:
        return "c_bool"
    signed = t(-1).value == -1
    return {(4, False): "c_uint", (8, True): "c_long", (8, False): "c_ulong", (4, True): "c_int"}[
        (ctypes.sizeof(t), signed)
    ]


@needs_header
@pytest.mark.parametrize(
    "struct, cls", [("ss_client_options", _ffi.ClientOptions), ("ss_progress", _ffi.ProgressStruct)]
)
def test_struct_layouts_match_the_header(struct, cls):
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    body = re.search(r"typedef struct " + struct + r" \{(.*?)\} " + struct + ";", text, flags=re.S).group(1)
    header_fields = []
    for declaration in body.split(";"):
        declaration = re.sub(r"\s+", " ", declaration).strip()
        if declaration:
            c_type, name = re.match(r"(.*?)\s*(\w+)$", declaration).groups()
            header_fields.append((name, _CTYPES_OF[re.sub(r"\s*\*", " *", c_type).strip()]))
    binding_fields = [(name, _ctype_name(t)) for name, t in cls._fields_]
    assert binding_fields == header_fields, f"{struct} changed: update sendsecure._ffi.{cls.__name__}"


@needs_header
def test_result_codes_match_the_header():
    text = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    body = re.search(r"^enum ss_result\b[^{;]*\{(.*?)\};", text, flags=re.S | re.M).group(1)
    header = {name[len("SS_") :]: int(value) for name, value in re.findall(r"\b(SS_\w+)\s*=\s*(\d+)", body)}
    assert len(header) > 15, "the header parser found too few result codes"
    binding = {member.name: int(member) for member in sendsecure.Result}
    assert binding == header, "ss_result changed: update sendsecure.Result (and its exception classes)"


def test_every_result_code_has_its_exception_class():
    from sendsecure import errors

    assert errors.error_class(sendsecure.Result.ERR_TLS) is sendsecure.TLSError
    assert issubclass(sendsecure.TLSError, sendsecure.ConnectError)
    for code in sendsecure.Result:
        if code is not sendsecure.Result.OK:
            assert errors.error_class(code) is not sendsecure.SendSecureError, f"{code.name} has no class"


def test_structs_match_the_library():
    lib = _ffi.lib()
    buffer = _ffi.OptionsBuffer()
    lib.ss_client_options_init(buffer.options)
    # struct_size is the library's sizeof(ss_client_options): the binding's struct is the same
    import ctypes

    assert buffer.options.struct_size == ctypes.sizeof(
        _ffi.ClientOptions
    ), "ss_client_options changed: update sendsecure._ffi.ClientOptions"
    assert buffer.options.connect_timeout_ms == 30000
    assert buffer.options.upload_concurrency >= 1
    assert ctypes.sizeof(_ffi.ProgressStruct) == 2 * ctypes.sizeof(ctypes.c_size_t) + 4 * 8


def test_version_and_result_names():
    assert sendsecure.library_version().startswith("0.1.")
    assert sendsecure.library_version() == sendsecure.__version__
    lib = _ffi.lib()
    for code in sendsecure.Result:
        assert lib.ss_result_str(code) != b"unknown result code"
    assert (
        lib.ss_result_str(len(sendsecure.Result)) == b"unknown result code"
    ), "a result code was added: add it to Result"


# --- locating the library, each case in a fresh interpreter ----------------------------------


def _run(code: str, env_updates: dict, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SENDSECURE_LIBRARY", "CARGO_TARGET_DIR")}
    env.update(env_updates)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(sendsecure.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
    )
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def _library() -> str:
    return sendsecure.load_library()


def test_env_variable_is_used(tmp_path):
    result = _run("import sendsecure; print(sendsecure.load_library())", {"SENDSECURE_LIBRARY": _library()}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == _library()


def test_env_variable_naming_a_missing_file_is_an_error(tmp_path):
    code = """
        import sendsecure
        try:
            sendsecure.load_library()
        except sendsecure.LibraryNotFoundError as e:
            assert isinstance(e, ImportError)
            print(e)
    """
    result = _run(code, {"SENDSECURE_LIBRARY": str(tmp_path / "nothing.so")}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "$SENDSECURE_LIBRARY" in result.stdout and "nothing.so: no such file" in result.stdout
    # no fallback to another copy when the variable is set
    assert "source tree" not in result.stdout


def test_bundled_copy_comes_before_the_source_tree(tmp_path):
    bundled = tmp_path / "native" / Path(_library()).name
    bundled.parent.mkdir()
    shutil.copy(_library(), bundled)
    code = f"""
        import sendsecure
        from sendsecure import _ffi
        from pathlib import Path
        _ffi._bundled_candidates = lambda: [Path({str(bundled)!r})]
        print(sendsecure.load_library())
    """
    result = _run(code, {}, REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(bundled)


@pytest.mark.skipif(not HEADER.is_file(), reason="not in the source tree")
def test_source_tree_build_is_found_from_the_repository(tmp_path):
    code = """
        import sendsecure
        from sendsecure import _ffi
        _ffi._bundled_candidates = lambda: []  # as in a package installed without a copy
        print(sendsecure.load_library())
    """
    result = _run(code, {}, REPO)
    assert result.returncode == 0, result.stderr
    found = Path(result.stdout.strip())
    assert found.parent.parent == REPO / "target" and found.parent.name in ("debug", "release")


def test_find_library_is_the_last_resort_and_the_error_lists_every_place(tmp_path):
    code = """
        import ctypes.util, sendsecure
        from sendsecure import _ffi
        _ffi._bundled_candidates = lambda: [_ffi.Path("/nonexistent/native/libsendsecure.so")]
        _ffi.source_root = lambda: None
        ctypes.util.find_library = lambda name: None
        try:
            sendsecure.load_library()
        except sendsecure.LibraryNotFoundError as e:
            print(e)
    """
    result = _run(code, {}, tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "libsendsecure was not found" in text
    assert "bundled in the package" in text and "find_library('sendsecure')" in text
    assert "SENDSECURE_LIBRARY" in text


def test_loading_another_path_after_the_first_is_refused(tmp_path):
    other = tmp_path / Path(_library()).name
    shutil.copy(_library(), other)
    with pytest.raises(sendsecure.LibraryNotFoundError, match="already loaded"):
        sendsecure.load_library(str(other))
    assert sendsecure.load_library(_library()) == _library()
