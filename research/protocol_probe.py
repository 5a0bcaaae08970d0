"""Spread over seeds of Continual-FT on the offline validation benchmark: the current protocol and two candidates
of the same compute per task or less; one JSON line per run (bwt: backward forgetting).

    python research/protocol_probe.py > benchmarks/offline_protocol_probe.jsonl
"""
import json, time
from mulki_nb.core import seed_everything
from mulki_nb.data import validation_benchmark
from mulki_nb.metrics import backward_forgetting
from mulki_nb.models import load_clip
from mulki_nb.pipeline import make_benchmark
from mulki_nb.training import ContinualFT, TrainConfig, run_continual

CANDIDATES = {'current (32 x 32, lr 1.15e-4)': dict(),
              'batch 64 x 16 steps, lr 1.15e-4': dict(batch_size=64, steps=16, warmup=3),
              'batch 32 x 32, lr 0.8e-4': dict(lr=0.8e-4)}


def print_ft_run(bench, cfg: TrainConfig, make_clip=load_clip, **labels):
    "Run Continual-FT over `bench` from `make_clip()`; print one JSON line: `labels`, seconds, bwt, summaries."
    start = time.time()
    seed_everything(cfg.seed)
    m = run_continual(make_clip(), bench, ContinualFT(), cfg, progress=False, log=lambda *a: None)
    print(json.dumps(dict(**labels, seed=cfg.seed, seconds=round(time.time() - start, 1),
                          bwt=round(float(backward_forgetting(m.acc)), 2), **m.summaries())), flush=True)


if __name__ == '__main__':
    bench = validation_benchmark(make_benchmark('offline'))
    for name, kw in CANDIDATES.items():
        for seed in range(6):
            print_ft_run(bench, TrainConfig.offline(seed=seed, **kw), candidate=name)
