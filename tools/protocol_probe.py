"""Spread over seeds of Continual-FT on the offline validation benchmark: the current protocol and two candidates
of the same compute per task or less; one JSON line per run (bwt: backward forgetting).

    python tools/protocol_probe.py > benchmarks/offline_protocol_probe.jsonl
"""
import json, time
from mulki_nb.data import validation_benchmark
from mulki_nb.pipeline import make_benchmark, run_experiment
from mulki_nb.training import TrainConfig
from mulki_nb.metrics import backward_forgetting
CANDIDATES = {'current (32 x 32, lr 1.15e-4)': dict(),
              'batch 64 x 16 steps, lr 1.15e-4': dict(batch_size=64, steps=16, warmup=3),
              'batch 32 x 32, lr 0.8e-4': dict(lr=0.8e-4)}
bench = validation_benchmark(make_benchmark('offline'))
for name, kw in CANDIDATES.items():
    for seed in range(6):
        start = time.time()
        cfg = TrainConfig.offline(seed=seed, **kw)
        exp = run_experiment(bench, ['continual-ft'], None, train=cfg, progress=False, log=lambda *a: None)
        m = exp.matrices['continual-ft']
        print(json.dumps(dict(candidate=name, seed=seed, seconds=round(time.time() - start, 1),
                              bwt=round(float(backward_forgetting(m.acc)), 2), **m.summaries())), flush=True)
