"""How much the training seed moves the offline results: per method and summary, the values over every seed
folder given, their std, the std over seeds of each task's final accuracy, and how many seed pairs would meet
the health target on the spread (every summary's two-seed std at most 2 points).

    python research/seed_spread.py runs/quality_final/seed0 runs/quality_final/seed1 runs/seedstudy/seed{2,3,4,5} \
        --methods continual-ft lwf wise-ft mulki --out benchmarks/offline_seed_spread.json
"""
import argparse, itertools, json
from pathlib import Path
import numpy as np
from mulki_nb.metrics import METRICS


def spread(folders: list[Path], methods: list[str], target: float = 2.0) -> dict:
    "The spread record of the runs in `folders` (one folder per seed, as `mulki quality --out` writes them)."
    runs = [{m: json.loads((f/m/'accuracy.json').read_text()) for m in methods} for f in folders]
    tasks = runs[0][methods[0]]['tasks']
    values = {m: {k: [round(r[m][k], 2) for r in runs] for k in METRICS} for m in methods}
    final = {m: np.array([r[m]['rows'][-1] for r in runs]) for m in methods}
    pairs = list(itertools.combinations(range(len(runs)), 2))
    seeds = [f.name.removeprefix('seed') for f in folders]
    worst = {f'{seeds[a]},{seeds[b]}': round(max(abs(v[a] - v[b]) / 2 for m in methods for v in values[m].values()), 2)
             for a, b in pairs}
    return dict(folders=[str(f) for f in folders], seeds=seeds, methods=methods, tasks=tasks, target=target,
                values=values,
                std={m: {k: round(float(np.std(v)), 2) for k, v in values[m].items()} for m in methods},
                final_task_std={m: dict(zip(tasks, np.round(final[m].std(0), 1).tolist())) for m in methods},
                pair_max_std=worst, pairs_meeting_target=sum(w <= target for w in worst.values()))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('folders', nargs='+', type=Path)
    p.add_argument('--methods', nargs='+', default=['continual-ft', 'lwf', 'wise-ft', 'mulki'])
    p.add_argument('--out', type=Path)
    a = p.parse_args()
    record = spread(a.folders, a.methods)
    text = json.dumps(record, indent=1)
    if a.out: a.out.write_text(text + '\n')
    print(text)


if __name__ == '__main__': main()
