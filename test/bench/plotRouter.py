#!/usr/bin/env python3
"""Plots bench-results/router.json: quality against the share of requests sent
to the remote model, for the learned router and random routing, with small
only, large only and the oracle marked (as in the routing papers' figures).
One column per split (test, real, both), one row per quality measure.

Usage: /usr/bin/python3 test/bench/plotRouter.py bench-results/router.json bench-results/router.png
Needs Debian's python3-matplotlib (scripts/setup.sh installs it)."""
import json
import sys

import matplotlib

matplotlib.use("Agg")  # no display: write the file only
import matplotlib.pyplot as plt  # noqa: E402


def main(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as handle:
        result = json.load(handle)
    columns = [("test split (held out)", result["splits"]["test"]), ("real code (held out)", result["splits"]["real"]), ("both", result["pooled"])]
    rows = [("exactMatch", "exact match"), ("compileKeep", "compile-keep")]
    figure, axes = plt.subplots(len(rows), len(columns), figsize=(15, 9), squeeze=False)
    for r, (key, label) in enumerate(rows):
        for c, (title, split) in enumerate(columns):
            ax = axes[r][c]
            figures = split[key]
            curve = figures["curve"]
            shares = [p["remoteShare"] * 100 for p in curve]
            ax.plot(shares, [p["quality"] * 100 for p in curve], marker="o", markersize=3, label="learned router")
            ax.plot(shares, [p["randomQuality"] * 100 for p in curve], linestyle="--", label="random routing")
            ax.axhline(figures["smallOnlyQuality"] * 100, color="tab:gray", linewidth=1, label="small only")
            ax.axhline(figures["largeOnlyQuality"] * 100, color="tab:red", linewidth=1, label="large only")
            ax.axhline(figures["oracleQuality"] * 100, color="tab:green", linewidth=1, linestyle=":", label="oracle")
            shipped = figures["shippedThreshold"]
            ax.plot([shipped["remoteShare"] * 100], [shipped["quality"] * 100], marker="*", markersize=12, color="black", linestyle="none", label="shipped threshold")
            ax.set_title(f"{title}: {label} ({figures['cases']} cases)\nAPGR {figures['apgr']:.2f} (random {figures['randomApgr']:.2f})", fontsize=10)
            ax.set_xlabel("requests sent to the remote model (%)")
            ax.set_ylabel(f"{label} (%)")
            ax.set_xlim(0, 100)
            ax.set_ylim(0, max(figures["oracleQuality"] * 100 * 1.15, 5))
            ax.grid(alpha=0.3)
            if r == 0 and c == 0:
                ax.legend(fontsize=8, loc="lower right")
    figure.suptitle("COBOL Assist router: cobol-slm-small locally, cobol-slm-large remote (bench:router)")
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    print(f"[bench:router] plot written to {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
