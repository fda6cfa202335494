"""LLaMA-architecture decoder in PyTorch, laid out the way llama.cpp's `llama`
architecture computes it (RMSNorm, SwiGLU, rotary embeddings on adjacent pairs
= GGML's "normal" RoPE, no biases, untied output), so its weights go into GGUF
without permutation."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, vocab, dim, layers, heads, ffn, ctx, kv_heads=None, rope_base=10000.0, eps=1e-5):
        self.vocab, self.dim, self.layers, self.heads, self.ffn, self.ctx = vocab, dim, layers, heads, ffn, ctx
        self.kv_heads = kv_heads or heads
        self.rope_base, self.eps = rope_base, eps

    def as_dict(self):
        return dict(vocab=self.vocab, dim=self.dim, layers=self.layers, heads=self.heads, ffn=self.ffn,
                    ctx=self.ctx, kv_heads=self.kv_heads, rope_base=self.rope_base, eps=self.eps)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).type_as(x) * self.weight


def rope_tables(head_dim, ctx, base):
    inv = 1.0 / (base ** (torch.arange(0, head_dim, 2).float() / head_dim))
    ang = torch.outer(torch.arange(ctx).float(), inv)
    return torch.cos(ang), torch.sin(ang)


def apply_rope(x, cos, sin):
    # x: (B, H, T, D); rotate adjacent pairs (x[2i], x[2i+1]).
    # Computed in the activation dtype: float conversions of (B, H, T, D) tensors cost more than the matmuls here.
    T = x.shape[2]
    xr = x.reshape(*x.shape[:-1], -1, 2)
    a, b = xr[..., 0], xr[..., 1]
    c, s = cos[:T].to(x.dtype), sin[:T].to(x.dtype)
    out = torch.stack((a * c - b * s, a * s + b * c), dim=-1)
    return out.flatten(-2)


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        hd = cfg.dim // cfg.heads
        self.cfg, self.hd = cfg, hd
        self.attn_norm = RMSNorm(cfg.dim, cfg.eps)
        self.wq = nn.Linear(cfg.dim, cfg.heads * hd, bias=False)
        self.wk = nn.Linear(cfg.dim, cfg.kv_heads * hd, bias=False)
        self.wv = nn.Linear(cfg.dim, cfg.kv_heads * hd, bias=False)
        self.wo = nn.Linear(cfg.heads * hd, cfg.dim, bias=False)
        self.ffn_norm = RMSNorm(cfg.dim, cfg.eps)
        self.w_gate = nn.Linear(cfg.dim, cfg.ffn, bias=False)
        self.w_up = nn.Linear(cfg.dim, cfg.ffn, bias=False)
        self.w_down = nn.Linear(cfg.ffn, cfg.dim, bias=False)

    def forward(self, x, cos, sin):
        B, T, _ = x.shape
        if not hasattr(self, "mask") or self.mask.device != x.device:
            self.mask = torch.triu(torch.ones(self.cfg.ctx, self.cfg.ctx, dtype=torch.bool, device=x.device), 1)
        h = self.attn_norm(x)
        q = self.wq(h).view(B, T, self.cfg.heads, self.hd).transpose(1, 2)
        k = self.wk(h).view(B, T, self.cfg.kv_heads, self.hd).transpose(1, 2)
        v = self.wv(h).view(B, T, self.cfg.kv_heads, self.hd).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if self.cfg.kv_heads != self.cfg.heads:
            rep = self.cfg.heads // self.cfg.kv_heads
            k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        # torch 1.13 (Debian) has no scaled_dot_product_attention.
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.hd))
        att = att.masked_fill(self.mask[:T, :T], float("-inf"))
        a = torch.softmax(att, dim=-1).type_as(v) @ v
        x = x + self.wo(a.transpose(1, 2).reshape(B, T, -1))
        h = self.ffn_norm(x)
        return x + self.w_down(F.silu(self.w_gate(h)) * self.w_up(h))


class Llama(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))
        self.norm = RMSNorm(cfg.dim, cfg.eps)
        self.out = nn.Linear(cfg.dim, cfg.vocab, bias=False)
        cos, sin = rope_tables(cfg.dim // cfg.heads, cfg.ctx, cfg.rope_base)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        self.apply(self._init)
        for b in self.blocks:
            nn.init.normal_(b.wo.weight, std=0.02 / math.sqrt(2 * cfg.layers))
            nn.init.normal_(b.w_down.weight, std=0.02 / math.sqrt(2 * cfg.layers))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, idx):
        x = self.tok(idx)
        for b in self.blocks:
            x = b(x, self.cos, self.sin)
        return self.out(self.norm(x))

    def params(self):
        return sum(p.numel() for p in self.parameters())
