"""The project's GGUF writer (format version 3): metadata key/values, tensor
infos, aligned tensor data; F32, F16 and Q8_0 (llama.cpp's reference
quantisation: blocks of 32, scale = max|x| / 127 stored as f16, int8 = round(x /
scale)). Written in Python because the weights live in numpy here, which gives
exact IEEE f16 rounding and vectorised quantisation."""
import struct
import numpy as np

GGUF_MAGIC = 0x46554747
ALIGN = 32
T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32, T_FLOAT32, T_BOOL, T_STRING, T_ARRAY, T_UINT64, T_INT64, T_FLOAT64 = range(13)
GGML_F32, GGML_F16, GGML_Q8_0 = 0, 1, 8
FILE_TYPE = {"f32": 0, "f16": 1, "q8_0": 7}


def _str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _value(v, vtype=None):
    if vtype is None:
        if isinstance(v, bool):
            vtype = T_BOOL
        elif isinstance(v, int):
            vtype = T_UINT32
        elif isinstance(v, float):
            vtype = T_FLOAT32
        elif isinstance(v, str):
            vtype = T_STRING
        else:
            raise TypeError(f"unsupported metadata value {v!r}")
    if vtype == T_BOOL:
        return struct.pack("<I", T_BOOL), struct.pack("<?", v)
    if vtype == T_UINT32:
        return struct.pack("<I", T_UINT32), struct.pack("<I", v)
    if vtype == T_INT32:
        return struct.pack("<I", T_INT32), struct.pack("<i", v)
    if vtype == T_FLOAT32:
        return struct.pack("<I", T_FLOAT32), struct.pack("<f", v)
    if vtype == T_STRING:
        return struct.pack("<I", T_STRING), _str(v)
    raise TypeError(vtype)


def quantize_q8_0(x):
    """x: float32 array with last dim divisible by 32 -> bytes in GGML block_q8_0 layout."""
    blocks = x.astype(np.float32).reshape(-1, 32)
    amax = np.abs(blocks).max(axis=1)
    d = amax / 127.0
    inv = np.where(d != 0, 1.0 / np.where(d != 0, d, 1), 0.0).astype(np.float32)
    q = np.round(blocks * inv[:, None]).astype(np.int8)
    out = np.zeros(len(blocks), dtype=[("d", "<f2"), ("q", "i1", (32,))])
    out["d"] = d.astype(np.float16)
    out["q"] = q
    return out.tobytes()


def dequantize_q8_0(raw, shape):
    arr = np.frombuffer(raw, dtype=[("d", "<f2"), ("q", "i1", (32,))])
    return (arr["q"].astype(np.float32) * arr["d"].astype(np.float32)[:, None]).reshape(shape)


class GGUFWriter:
    def __init__(self):
        self.kv = []  # (key, type bytes, value bytes)
        self.tensors = []  # (name, shape (numpy order), ggml type, bytes)

    def add(self, key, value, vtype=None):
        t, b = _value(value, vtype)
        self.kv.append((key, t, b))

    def add_array(self, key, values, vtype):
        body = struct.pack("<IQ", vtype, len(values))
        if vtype == T_STRING:
            body += b"".join(_str(v) for v in values)
        elif vtype == T_INT32:
            body += np.asarray(values, dtype="<i4").tobytes()
        elif vtype == T_FLOAT32:
            body += np.asarray(values, dtype="<f4").tobytes()
        else:
            raise TypeError(vtype)
        self.kv.append((key, struct.pack("<I", T_ARRAY), body))

    def add_tensor(self, name, array, kind):
        a = np.ascontiguousarray(array, dtype=np.float32)
        if kind == "q8_0" and a.ndim == 2 and a.shape[-1] % 32 == 0:
            self.tensors.append((name, a.shape, GGML_Q8_0, quantize_q8_0(a)))
        elif kind in ("f16", "q8_0") and a.ndim == 2:
            self.tensors.append((name, a.shape, GGML_F16, a.astype("<f2").tobytes()))
        else:
            self.tensors.append((name, a.shape, GGML_F32, a.astype("<f4").tobytes()))

    def write(self, path):
        head = struct.pack("<IIQQ", GGUF_MAGIC, 3, len(self.tensors), len(self.kv))
        for key, t, b in self.kv:
            head += _str(key) + t + b
        offset = 0
        infos = b""
        for name, shape, gtype, data in self.tensors:
            dims = list(reversed(shape))  # GGML lists the fastest-varying dimension first
            infos += _str(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
            infos += struct.pack("<IQ", gtype, offset)
            offset += len(data)
            offset += (-offset) % ALIGN
        blob = head + infos
        blob += b"\0" * ((-len(blob)) % ALIGN)
        with open(path, "wb") as f:
            f.write(blob)
            for _, _, _, data in self.tensors:
                f.write(data)
                f.write(b"\0" * ((-len(data)) % ALIGN))
