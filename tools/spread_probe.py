"""Where Continual-FT's spread over seeds comes from, on the offline validation benchmark. Three groups of runs:
seed 0 with the pre-trained weights perturbed at the size of floating-point rounding (each weight times
1 + 1e-6 N(0, 1), a different draw per run; draw 0 is unperturbed), seeds 1-4 of the same protocol, and seeds 0-4
of a protocol with twice the steps at half the learning rate. One JSON line per run (bwt: backward forgetting).

    python tools/spread_probe.py > benchmarks/offline_spread_probe.jsonl
"""
import json, time
import torch
from mulki_nb.core import seed_everything
from mulki_nb.data import validation_benchmark
from mulki_nb.metrics import backward_forgetting
from mulki_nb.models import load_clip
from mulki_nb.pipeline import make_benchmark
from mulki_nb.training import ContinualFT, TrainConfig, run_continual

def perturbed_clip(draw: int):
    "The offline default model, each weight multiplied by 1 + 1e-6 N(0, 1) (draw 0: unchanged)."
    clip = load_clip()
    if draw:
        g = torch.Generator().manual_seed(draw)
        with torch.no_grad():
            for p in clip.model.parameters(): p.mul_(1 + 1e-6 * torch.randn(p.shape, generator=g))
    return clip

def run(group: str, cfg: TrainConfig, draw: int = 0):
    start = time.time()
    seed_everything(cfg.seed)
    m = run_continual(perturbed_clip(draw), bench, ContinualFT(), cfg, progress=False, log=lambda *a: None)
    print(json.dumps(dict(group=group, seed=cfg.seed, draw=draw, seconds=round(time.time() - start, 1),
                          bwt=round(float(backward_forgetting(m.acc)), 2), **m.summaries())), flush=True)

bench = validation_benchmark(make_benchmark('offline'))
for draw in range(5): run('seed 0, rounding-size perturbations', TrainConfig.offline(seed=0), draw)
for seed in range(1, 5): run('seeds, current protocol', TrainConfig.offline(seed=seed))
half = TrainConfig.offline()
for seed in range(5): run('seeds, twice the steps at half the lr',
                          TrainConfig.offline(seed=seed, steps=2 * half.steps, lr=half.lr / 2, warmup=2 * half.warmup))
