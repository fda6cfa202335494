"""Reads one of the project's GGUF files back into a training checkpoint, so a
committed model can be trained further when its PyTorch checkpoint is gone
(checkpoints live in the git-ignored models/.work/). Q8_0 and F16 tensors are
dequantised; the weights then differ from the lost checkpoint by Q8_0's
rounding (max |x| / 254 per block of 32), far below what one training step
moves them. The checkpoint carries no optimiser state: train.py's
--init-from takes weights only.

usage: import_gguf.py MODEL.gguf OUT_CKPT.pt"""
import os, struct, sys
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_writer import GGML_F16, GGML_F32, GGML_Q8_0, GGUF_MAGIC, ALIGN, dequantize_q8_0  # noqa: E402

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


class _Reader:
    def __init__(self, blob):
        self.blob, self.at = blob, 0

    def take(self, fmt):
        value = struct.unpack_from(fmt, self.blob, self.at)
        self.at += struct.calcsize(fmt)
        return value[0] if len(value) == 1 else value

    def string(self):
        n = self.take("<Q")
        s = self.blob[self.at:self.at + n].decode("utf-8")
        self.at += n
        return s

    def value(self, vtype):
        if vtype == 8:
            return self.string()
        if vtype == 9:
            inner, count = self.take("<I"), self.take("<Q")
            return [self.value(inner) for _ in range(count)]
        return self.take(_SCALARS[vtype])


def read_gguf(path):
    """(metadata dict, {name: float32 array in PyTorch (row-major) shape})."""
    blob = open(path, "rb").read()
    r = _Reader(blob)
    magic, version, n_tensors, n_kv = r.take("<IIQQ")
    if magic != GGUF_MAGIC or version != 3:
        raise ValueError(f"{path}: not a GGUF v3 file")
    meta = {}
    for _ in range(n_kv):
        key = r.string()
        meta[key] = r.value(r.take("<I"))
    infos = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.take("<Q") for _ in range(r.take("<I"))]
        gtype, offset = r.take("<IQ")
        infos.append((name, tuple(reversed(dims)), gtype, offset))
    base = r.at + (-r.at) % ALIGN
    tensors = {}
    for name, shape, gtype, offset in infos:
        count = int(np.prod(shape))
        start = base + offset
        if gtype == GGML_F32:
            arr = np.frombuffer(blob, dtype="<f4", count=count, offset=start).reshape(shape)
        elif gtype == GGML_F16:
            arr = np.frombuffer(blob, dtype="<f2", count=count, offset=start).astype(np.float32).reshape(shape)
        elif gtype == GGML_Q8_0:
            arr = dequantize_q8_0(blob[start:start + count // 32 * 34], shape)
        else:
            raise ValueError(f"{path}: tensor {name} has GGML type {gtype}, which this reader does not handle")
        tensors[name] = np.array(arr, dtype=np.float32)
    return meta, tensors


def _decimal(x):
    # GGUF stores these as float32: 1e-5 comes back as 9.9999997e-06; train.py compares configs exactly.
    return float(f"{x:.7g}")


def to_checkpoint(path):
    meta, t = read_gguf(path)
    if meta.get("general.architecture") != "llama":
        raise ValueError(f"{path}: architecture {meta.get('general.architecture')!r}, expected 'llama'")
    layers = meta["llama.block_count"]
    config = dict(vocab=meta["llama.vocab_size"], dim=meta["llama.embedding_length"], layers=layers,
                  heads=meta["llama.attention.head_count"], ffn=meta["llama.feed_forward_length"],
                  ctx=meta["llama.context_length"], kv_heads=meta["llama.attention.head_count_kv"],
                  rope_base=_decimal(meta["llama.rope.freq_base"]), eps=_decimal(meta["llama.attention.layer_norm_rms_epsilon"]))
    # The inverse of export_gguf.py's naming.
    names = {"tok.weight": "token_embd.weight", "norm.weight": "output_norm.weight", "out.weight": "output.weight"}
    for i in range(layers):
        for ours, theirs in (("attn_norm", "attn_norm"), ("wq", "attn_q"), ("wk", "attn_k"), ("wv", "attn_v"), ("wo", "attn_output"),
                             ("ffn_norm", "ffn_norm"), ("w_gate", "ffn_gate"), ("w_up", "ffn_up"), ("w_down", "ffn_down")):
            names[f"blocks.{i}.{ours}.weight"] = f"blk.{i}.{theirs}.weight"
    state = {ours: torch.from_numpy(t[theirs].copy()) for ours, theirs in names.items()}
    return {"model": state, "step": 0, "elapsed": 0.0, "tokens": 0, "config": config, "steps": 0, "importedFrom": os.path.basename(path)}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ck = to_checkpoint(sys.argv[1])
    tmp = sys.argv[2] + ".tmp"
    torch.save(ck, tmp)
    os.replace(tmp, sys.argv[2])
    print(f"imported {sys.argv[1]} -> {sys.argv[2]} ({sum(v.numel() for v in ck['model'].values())} parameters)")
