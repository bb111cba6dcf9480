"""What a process that runs torch on the CPU need not keep of it.

PyPI's torch for Linux is a CUDA build. Imported on a machine without a GPU it still
loads its CUDA libraries, and the loader reads about 280 MB of them into memory
(libnvJitLink, libcublasLt, libnvrtc…) that the CPU never runs; torchvision then makes
torch ask whether triton, its kernel compiler, is installed, which imports it (~90 MB,
50 ms). photosearch never compiles a model, and on the CPU never calls CUDA, so:

- ``keep_triton_out`` marks triton absent before anything imports torch (torch then
  answers "no triton", as on a machine without it); called from ``photosearch.core``;
- ``return_freed_memory`` asks the C allocator to give back what freed weights leave
  behind (glibc keeps it for reuse, and torch's and onnxruntime's next big buffers do
  not always fit in it: exporting the text side then peaked 0.33 GB higher);
- ``page_out_cuda_libraries`` hands the CUDA libraries' resident pages back to the kernel
  (``madvise(MADV_PAGEOUT)``) once a model is loaded on the CPU. They are clean pages of
  files: nothing is lost, and a page that is needed after all is read again.

Measured (benchmarks/bench_memory.py): an index run with the default model peaks
~370 MB lower. Best-effort: on another OS, an older kernel or a CPU-only torch they do
nothing.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

MADV_PAGEOUT = 21   # Linux 5.4+
_CUDA_PARTS = ("/nvidia/", "/cuda", "libtorch_cuda", "libc10_cuda", "libcudart",
               "libnvjpeg", "libnvrtc", "libnvJitLink", "libcublas", "libcudnn", "libnccl",
               "libcusparse", "libcufft", "libcurand", "libcusolver", "libnvToolsExt")


def keep_triton_out() -> None:
    """Make ``import triton`` fail fast unless something already imported it."""
    if "triton" not in sys.modules and not os.environ.get("PHOTOSEARCH_TRITON"):
        sys.modules["triton"] = None  # type: ignore[assignment]


def return_freed_memory() -> None:
    """``malloc_trim(0)`` where the C library is glibc; after freeing a model's weights."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):    # musl and others: nothing to ask
        pass


def page_out_cuda_libraries() -> int:
    """Hand back the resident pages of CUDA libraries mapped into this process; returns
    how many bytes of mappings were advised (0 where nothing was, or it cannot)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        with open("/proc/self/maps") as maps:
            ranges = [_range(line) for line in maps if _is_cuda(line)]
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
        madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    except (OSError, AttributeError) as e:
        log.debug("CUDA libraries not paged out: %s", e)
        return 0
    advised = 0
    for start, end in ranges:
        if madvise(start, end - start, MADV_PAGEOUT) == 0:
            advised += end - start
    return advised


def _is_cuda(line: str) -> bool:
    parts = line.split(maxsplit=5)
    return len(parts) == 6 and any(p in parts[5] for p in _CUDA_PARTS)


def _range(line: str) -> tuple[int, int]:
    start, end = line.split(maxsplit=1)[0].split("-")
    return int(start, 16), int(end, 16)
