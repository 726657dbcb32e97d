"""Only there to tag the wheel: a wheel carrying a copy of libsendsecure in
src/sendsecure/native/ is platform-specific (py3-none-<platform>), one without it is pure
(py3-none-any). Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel

NATIVE = Path(__file__).resolve().parent / "src" / "sendsecure" / "native"


def bundles_library() -> bool:
    return any(
        p.is_file()
        for pattern in ("*sendsecure*.so", "*sendsecure*.dylib", "*sendsecure*.dll")
        for p in NATIVE.glob(pattern)
    )


class MaybeBinaryDistribution(Distribution):
    def has_ext_modules(self):  # a platform wheel (files at its root, platlib) with a library
        return bundles_library()


class BdistWheel(bdist_wheel):
    def get_tag(self):
        python, abi, platform = super().get_tag()
        if bundles_library():
            # Any CPython 3 (ctypes, no extension module), but only this platform.
            return "py3", "none", platform
        return python, abi, platform


setup(distclass=MaybeBinaryDistribution, cmdclass={"bdist_wheel": BdistWheel})
