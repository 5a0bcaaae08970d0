"""Where Continual-FT's spread over seeds comes from, on the offline validation benchmark. Three groups of runs:
seed 0 with the pre-trained weights perturbed at the size of floating-point rounding (each weight times
1 + 1e-6 N(0, 1), a different draw per run; draw 0 is unperturbed), seeds 1-4 of the same protocol, and seeds 0-4
of a protocol with twice the steps at half the learning rate. One JSON line per run (bwt: backward forgetting).

    python research/spread_probe.py > benchmarks/offline_spread_probe.jsonl
"""
from functools import partial
import torch
from mulki_nb.data import validation_benchmark
from mulki_nb.models import load_clip
from mulki_nb.pipeline import make_benchmark
from mulki_nb.training import TrainConfig
from protocol_probe import print_ft_run


def perturbed_clip(draw: int):
    "The offline default model, each weight multiplied by 1 + 1e-6 N(0, 1) (draw 0: unchanged)."
    clip = load_clip()
    if draw == 0:
        return clip
    g = torch.Generator().manual_seed(draw)
    with torch.no_grad():
        for p in clip.model.parameters():
            p.mul_(1 + 1e-6 * torch.randn(p.shape, generator=g))
    return clip


if __name__ == '__main__':
    bench = validation_benchmark(make_benchmark('offline'))
    for draw in range(5):
        print_ft_run(bench, TrainConfig.offline(seed=0), partial(perturbed_clip, draw),
                     group='seed 0, rounding-size perturbations', draw=draw)
    for seed in range(1, 5):
        print_ft_run(bench, TrainConfig.offline(seed=seed), group='seeds, current protocol', draw=0)
    base = TrainConfig.offline()
    slower = dict(steps=2 * base.steps, lr=base.lr / 2, warmup=2 * base.warmup)
    for seed in range(5):
        print_ft_run(bench, TrainConfig.offline(seed=seed, **slower), group='seeds, twice the steps at half the lr',
                     draw=0)
