"""Writes a trained checkpoint as GGUF for llama.cpp's `llama` architecture,
with the byte-level BPE vocabulary, merges and FIM token ids in the metadata.

usage: export_gguf.py CKPT TOKENIZER_JSON OUT.gguf {f32|f16|q8_0} NAME [psm|spm]"""
import json, os, sys
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_writer import GGUFWriter, FILE_TYPE, T_STRING, T_INT32  # noqa: E402

# Must match models/pipeline/tokenizer.ts
EOT, FIM_PRE, FIM_SUF, FIM_MID, FIM_PAD = 0, 1, 2, 3, 4
N_SPECIAL = 5


def export(ckpt_path, tok_path, out, kind, name, fim_order="psm"):
    ck = torch.load(ckpt_path, map_location="cpu")
    c = ck["config"]
    sd = {k: v.float().numpy() for k, v in ck["model"].items()}
    tok = json.load(open(tok_path))
    assert len(tok["tokens"]) == c["vocab"], "tokenizer and model vocabularies differ"
    w = GGUFWriter()
    w.add("general.architecture", "llama")
    w.add("general.name", name)
    w.add("general.file_type", FILE_TYPE[kind])
    w.add("general.quantization_version", 2)
    w.add("llama.context_length", c["ctx"])
    w.add("llama.embedding_length", c["dim"])
    w.add("llama.block_count", c["layers"])
    w.add("llama.feed_forward_length", c["ffn"])
    w.add("llama.attention.head_count", c["heads"])
    w.add("llama.attention.head_count_kv", c["kv_heads"])
    w.add("llama.rope.dimension_count", c["dim"] // c["heads"])
    w.add("llama.rope.freq_base", float(c["rope_base"]))
    w.add("llama.attention.layer_norm_rms_epsilon", float(c["eps"]))
    w.add("llama.vocab_size", c["vocab"])
    w.add("tokenizer.ggml.model", "gpt2")
    w.add("tokenizer.ggml.pre", "trillion")
    w.add_array("tokenizer.ggml.tokens", tok["tokens"], T_STRING)
    w.add_array("tokenizer.ggml.token_type", [3 if i < N_SPECIAL else 1 for i in range(len(tok["tokens"]))], T_INT32)
    w.add_array("tokenizer.ggml.merges", tok["merges"], T_STRING)
    w.add("tokenizer.ggml.bos_token_id", EOT)
    w.add("tokenizer.ggml.eos_token_id", EOT)
    w.add("tokenizer.ggml.eot_token_id", EOT)
    w.add("tokenizer.ggml.padding_token_id", FIM_PAD)
    w.add("tokenizer.ggml.fim_pre_token_id", FIM_PRE)
    w.add("tokenizer.ggml.fim_suf_token_id", FIM_SUF)
    w.add("tokenizer.ggml.fim_mid_token_id", FIM_MID)
    w.add("tokenizer.ggml.fim_pad_token_id", FIM_PAD)
    # Not a llama.cpp key: the FIM order the model was trained to answer, read by COBOL Assist's model host.
    w.add("cobol_assist.fim_order", fim_order)
    w.add("tokenizer.ggml.add_bos_token", True)
    w.add("tokenizer.ggml.add_eos_token", False)
    w.add_tensor("token_embd.weight", sd["tok.weight"], kind)
    for i in range(c["layers"]):
        p = f"blocks.{i}."
        g = f"blk.{i}."
        w.add_tensor(g + "attn_norm.weight", sd[p + "attn_norm.weight"], "f32")
        w.add_tensor(g + "attn_q.weight", sd[p + "wq.weight"], kind)
        w.add_tensor(g + "attn_k.weight", sd[p + "wk.weight"], kind)
        w.add_tensor(g + "attn_v.weight", sd[p + "wv.weight"], kind)
        w.add_tensor(g + "attn_output.weight", sd[p + "wo.weight"], kind)
        w.add_tensor(g + "ffn_norm.weight", sd[p + "ffn_norm.weight"], "f32")
        w.add_tensor(g + "ffn_gate.weight", sd[p + "w_gate.weight"], kind)
        w.add_tensor(g + "ffn_up.weight", sd[p + "w_up.weight"], kind)
        w.add_tensor(g + "ffn_down.weight", sd[p + "w_down.weight"], kind)
    w.add_tensor("output_norm.weight", sd["norm.weight"], "f32")
    w.add_tensor("output.weight", sd["out.weight"], kind)
    w.write(out)


if __name__ == "__main__":
    if len(sys.argv) not in (6, 7) or sys.argv[6:] not in ([], ["psm"], ["spm"]):
        sys.exit(__doc__)
    export(*sys.argv[1:7])
