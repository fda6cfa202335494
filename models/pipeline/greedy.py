"""Greedy continuation with the PyTorch model in float32, for comparing with
node-llama-cpp token for token. Reads {"prompts": [[ids...]], "tokens": N} as
JSON on stdin, prints {"outputs": [[ids...]], "margins": [[top1 - top2 logit...]]}
(a near-zero margin is a tie that float rounding order may break either way).

usage: greedy.py CKPT < request.json"""
import json, os, sys
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, Llama  # noqa: E402


def main():
    torch.set_num_threads(1)
    ck = torch.load(sys.argv[1], map_location="cpu")
    model = Llama(Config(**ck["config"]))
    model.load_state_dict(ck["model"])
    model.eval()
    req = json.load(sys.stdin)
    outs, margins = [], []
    with torch.no_grad():
        for prompt in req["prompts"]:
            ids = list(prompt)
            gen, marg = [], []
            for _ in range(req["tokens"]):
                logits = model(torch.tensor([ids[-model.cfg.ctx:]]))[0, -1]
                top = torch.topk(logits, 2)
                nxt = int(top.indices[0])
                gen.append(nxt)
                marg.append(float(top.values[0] - top.values[1]))
                ids.append(nxt)
                if nxt == 0:
                    break
            outs.append(gen)
            margins.append(marg)
    print(json.dumps({"outputs": outs, "margins": margins}))


if __name__ == "__main__":
    main()
