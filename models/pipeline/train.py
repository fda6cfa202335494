"""Trains one model on the packed FIM/plain rows (uint16, rows of ctx+1 tokens).
Deterministic for a given seed and step count; resumable from its checkpoint;
bf16 autocast on CPU (3-4x faster here), CUDA when present. Writes
ckpt.pt, train-log.jsonl and train-summary.json into --out.

Distillation (--teacher CKPT): the loss becomes
(1 - w) * cross-entropy + w * T^2 * KL(teacher_T || student_T) over every
position, with the teacher's logits from the same rows (soft targets, Hinton
et al. 2015); the validation loss stays plain cross-entropy, comparable with
runs without a teacher.

A continuation (--init-from) may train at another context length than the
checkpoint it starts from: the weights do not depend on it (RoPE positions are
computed, not learnt), so only the rest of the shape must agree.

usage: train.py --data DIR [--train-file F] [--val-file F] --out DIR --config JSON --steps N --batch B --lr LR --seed S
                [--teacher CKPT --distill-weight W --distill-temperature T]"""
import argparse, json, math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, Llama  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--train-file", default="train.bin", help="training rows inside --data")
    ap.add_argument("--val-file", default="validation.bin", help="validation rows inside --data (packed at the same length)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--ckpt-every", type=int, default=100)
    ap.add_argument("--no-bf16", action="store_true")
    ap.add_argument("--init-from", help="continue from another run's checkpoint (weights only; fresh optimiser and schedule)")
    ap.add_argument("--teacher", help="checkpoint of a teacher model with the same vocabulary (soft targets)")
    ap.add_argument("--distill-weight", type=float, default=0.5)
    ap.add_argument("--distill-temperature", type=float, default=1.0)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    cfg = Config(**json.loads(a.config))
    os.makedirs(a.out, exist_ok=True)
    def rows(name):
        flat = np.fromfile(os.path.join(a.data, name), dtype="<u2")
        if len(flat) == 0 or len(flat) % (cfg.ctx + 1):
            sys.exit(f"{name}: {len(flat)} tokens are not whole rows of {cfg.ctx + 1} (packed at another context length?)")
        return flat.reshape(-1, cfg.ctx + 1)
    train, val = rows(a.train_file), rows(a.val_file)
    model = Llama(cfg).to(dev)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    nodecay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": nodecay, "weight_decay": 0.0}], lr=a.lr, betas=(0.9, 0.95))
    ckpt_path = os.path.join(a.out, "ckpt.pt")
    step, elapsed, tokens_seen = 0, 0.0, 0
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=dev)
        # A checkpoint is never silently replaced by random weights: another shape is an error,
        # another step count extends (or ends) the run from where it stopped.
        if ck["config"] != cfg.as_dict():
            sys.exit(f"{ckpt_path}: checkpoint of another model shape than --config; delete it to train afresh")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, elapsed, tokens_seen = ck["step"], ck["elapsed"], ck["tokens"]
        extended = f"; schedule changed from {ck['steps']} to {a.steps} steps" if ck["steps"] != a.steps else ""
        print(f"resumed at step {step}{extended}", flush=True)
    elif a.init_from:
        ck = torch.load(a.init_from, map_location=dev)
        if {**ck["config"], "ctx": cfg.ctx} != cfg.as_dict():
            sys.exit(f"--init-from {a.init_from}: its model shape differs from --config")
        model.load_state_dict(ck["model"])
        widened = f", context {ck['config']['ctx']} -> {cfg.ctx}" if ck["config"]["ctx"] != cfg.ctx else ""
        print(f"initialised from {a.init_from} (step {ck['step']}){widened}", flush=True)
    teacher = None
    if a.teacher:
        tk = torch.load(a.teacher, map_location=dev)
        if tk["config"]["vocab"] != cfg.vocab:
            sys.exit(f"--teacher {a.teacher}: vocabulary {tk['config']['vocab']} differs from the student's {cfg.vocab}")
        if tk["config"]["ctx"] < cfg.ctx:
            sys.exit(f"--teacher {a.teacher}: context {tk['config']['ctx']} is shorter than the student's {cfg.ctx}")
        teacher = Llama(Config(**tk["config"])).to(dev)
        teacher.load_state_dict(tk["model"])
        teacher.eval()
        for prm in teacher.parameters():
            prm.requires_grad_(False)
        print(f"distilling from {a.teacher} ({teacher.params()} parameters), weight {a.distill_weight}, temperature {a.distill_temperature}", flush=True)
    # The row order is a fixed permutation per seed: step k always sees the same rows, resumed or not.
    order = np.random.default_rng(a.seed).permutation(len(train))
    warmup = max(1, min(200, a.steps // 10)) if not a.init_from else max(1, min(20, a.steps // 20))

    def lr_at(s):
        if s < warmup:
            return a.lr * (s + 1) / warmup
        p = (s - warmup) / max(1, a.steps - warmup)
        return a.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p)))

    use_bf16 = not a.no_bf16
    ctx_amp = (lambda: torch.autocast(device_type=dev, dtype=torch.bfloat16)) if use_bf16 else None

    def forward(net, x):
        if ctx_amp:
            with ctx_amp():
                return net(x)
        return net(x)

    def loss_on(batch, distil=False):
        x = torch.from_numpy(batch[:, :-1].astype(np.int64)).to(dev)
        y = torch.from_numpy(batch[:, 1:].astype(np.int64)).to(dev)
        logits = forward(model, x).float().reshape(-1, cfg.vocab)
        ce = F.cross_entropy(logits, y.reshape(-1))
        if not (distil and teacher is not None):
            return ce
        with torch.no_grad():
            soft = forward(teacher, x).float().reshape(-1, cfg.vocab)
        t = a.distill_temperature
        kl = F.kl_div(F.log_softmax(logits / t, dim=-1), F.log_softmax(soft / t, dim=-1), log_target=True, reduction="batchmean") * (t * t)
        return (1 - a.distill_weight) * ce + a.distill_weight * kl

    def evaluate():
        model.eval()
        with torch.no_grad():
            rows = val[: min(len(val), 64)]
            losses = [loss_on(rows[i:i + a.batch]).item() for i in range(0, len(rows), a.batch)]
        model.train()
        return float(np.mean(losses))

    log = open(os.path.join(a.out, "train-log.jsonl"), "a")
    rates = []
    last_ckpt = time.time()
    while step < a.steps:
        t0 = time.time()
        idx = [order[(step * a.batch + i) % len(order)] for i in range(a.batch)]
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        loss = loss_on(train[idx], distil=True)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        dt = time.time() - t0
        elapsed += dt
        step += 1
        tokens_seen += a.batch * cfg.ctx
        rates.append(a.batch * cfg.ctx / dt)
        rec = {"step": step, "loss": round(loss.item(), 4), "tokensPerSecond": round(rates[-1])}
        if step % a.eval_every == 0 or step == a.steps:
            rec["valLoss"] = round(evaluate(), 4)
        if step % 20 == 0 or "valLoss" in rec:
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n")
            log.flush()
        if step % a.ckpt_every == 0 or step == a.steps or time.time() - last_ckpt > 120:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "elapsed": elapsed, "tokens": tokens_seen, "config": cfg.as_dict(), "steps": a.steps}, ckpt_path + ".tmp")
            os.replace(ckpt_path + ".tmp", ckpt_path)
            last_ckpt = time.time()
    val_loss = evaluate()
    summary = {
        "params": model.params(), "steps": a.steps, "batch": a.batch, "contextLength": cfg.ctx, "lr": a.lr, "seed": a.seed,
        "tokens": tokens_seen, "wallSeconds": round(elapsed, 1),
        "tokensPerSecondMedian": round(float(np.median(rates))) if rates else None,
        "valLoss": round(val_loss, 4), "device": dev, "bf16": use_bf16, "threads": a.threads, "config": cfg.as_dict(),
        "torch": torch.__version__, "initFrom": a.init_from,
        "teacher": a.teacher, "distillWeight": a.distill_weight if a.teacher else None, "distillTemperature": a.distill_temperature if a.teacher else None,
    }
    with open(os.path.join(a.out, "train-summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
