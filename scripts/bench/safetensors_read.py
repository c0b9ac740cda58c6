"""Reads a safetensors file (what @xling/core's writeSafetensors writes) with numpy alone, for the
benchmarks' PyTorch replicas: ({name: array}, metadata). numpy is imported on use, so a replica
can import this before pinned_threads.pin() sizes the thread pools."""
import json

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def read_safetensors(path):
    import numpy as np

    with open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        dt = np.dtype(DTYPES[t["dtype"]])
        start, end = t["data_offsets"]
        out[name] = np.frombuffer(raw, dtype=dt, count=(end - start) // dt.itemsize, offset=8 + n + start).reshape(t["shape"])
    return out, header.get("__metadata__") or {}
