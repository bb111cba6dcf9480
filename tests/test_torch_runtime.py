"""What an index or query process keeps of torch: triton is never imported, and the
CUDA libraries a CUDA build of torch reads in are handed back on the CPU. Each check runs
in a child process, so the test process's own imports do not count."""

from __future__ import annotations

import json
import mmap
import subprocess
import sys

import pytest
from conftest import ROOT

from photosearch.core.torch_runtime import _is_cuda, page_out_cuda_libraries

IMPORTS = """
import json, sys
import photosearch.core  # noqa: F401
import torch, torchvision  # noqa: F401
print(json.dumps({"triton": sys.modules.get("triton") is not None,
                  "sum": float(torch.ones(3, 3).sum())}))
"""

def _child(script: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_torchvision_after_the_core_leaves_triton_out():
    out = _child(IMPORTS)
    assert out == {"triton": False, "sum": 9.0}


def _resident_kb(path: str) -> int:
    """kB of ``path``'s mappings resident in this process."""
    total, counting = 0, False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head = line.split(maxsplit=1)[0]
            if not head.endswith(":"):          # a mapping's first line
                counting = line.rstrip().endswith(path)
            elif counting and head == "Rss:":
                total += int(line.split()[1])
    return total


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")
def test_pages_of_cuda_libraries_are_handed_back_and_read_again_when_needed(tmp_path):
    """A stand-in library file (the real ones are shared with every process here that
    imported torch, and the kernel keeps shared pages resident)."""
    lib = tmp_path / "nvidia" / "cu13" / "lib" / "libstandin.so"
    lib.parent.mkdir(parents=True)
    data = bytes(range(256)) * (32 << 12)      # 32 MB
    lib.write_bytes(data)
    with open(lib, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as m:
        assert sum(m[i + 1] for i in range(0, len(m), 4096)) > 0   # every page read in
        before = _resident_kb(str(lib))
        assert before > 30_000
        assert page_out_cuda_libraries() >= len(data)
        assert _resident_kb(str(lib)) < before / 4
        assert m[:256] == data[:256] and m[-256:] == data[-256:]   # nothing lost


def test_only_cuda_libraries_are_named():
    assert _is_cuda("7f0-7f1 r--p 0 08:01 5 /x/site-packages/nvidia/cu13/lib/libnvrtc.so.13")
    assert _is_cuda("7f0-7f1 r-xp 0 08:01 5 /x/site-packages/torch/lib/libtorch_cuda.so")
    assert not _is_cuda("7f0-7f1 r-xp 0 08:01 5 /x/site-packages/torch/lib/libtorch_cpu.so")
    assert not _is_cuda("7f0-7f1 rw-p 0 00:00 0")
