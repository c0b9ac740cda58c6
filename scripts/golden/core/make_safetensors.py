"""Writes a safetensors file with numpy only (independent of xling's encoder) so the core tests
can check that xling decodes what the reference layout produces, and prints the float16 bits
numpy gives for edge values. Run: /usr/bin/python3 scripts/golden/core/make_safetensors.py"""
import json, struct, sys
import numpy as np

out = "packages/core/src/__fixtures__"
tensors = {
    "a_f32": np.arange(6, dtype=np.float32).reshape(2, 3) / 7,
    "b_i32": np.array([-1, 0, 7], dtype=np.int32),
    "c_f16": np.array([0.1, -2.5, 65504, 1e-7, 3.14159], dtype=np.float16),
}
header, offset, blobs = {"__metadata__": {"made_by": "numpy " + np.__version__}}, 0, []
for name in sorted(tensors):
    t = tensors[name]
    raw = t.tobytes(order="C")
    dtype = {"float32": "F32", "int32": "I32", "float16": "F16"}[str(t.dtype)]
    header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
    blobs.append(raw)
    offset += len(raw)
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(f"{out}/numpy.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

edge = np.array([0.0, -0.0, 1.0, 0.1, 65504.0, 65520.0, 1e-8, 6e-8, 5.96e-8, 6.1e-5, 2049.0, 2051.0, -3.3e-6, 1e6], dtype=np.float32)
json.dump(
    {"generator": f"numpy {np.__version__}", "float32": [float(x) for x in edge.astype(np.float64)],
     "float16_bits": [int(b) for b in edge.astype(np.float16).view(np.uint16)],
     "tensors": {k: v.astype(np.float64).ravel().tolist() for k, v in tensors.items()}},
    open(f"{out}/float16.json", "w"), indent=1)
print("ok", file=sys.stderr)
