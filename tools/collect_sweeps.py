"""Gather the validation sweeps of every method into one record for the MulKI notebook's search figures.

    python tools/collect_sweeps.py runs/sweep/*/ --out benchmarks/offline_sweep.json

Each argument is the `--out` folder of one finished `mulki sweep` call. Each row of its
`sweep.json` is one trial: its options come from there, its five validation summaries (Transfer, Average, Last,
Learned, Forgetting) from the run folders' `accuracy.json`, averaged over the sweep's seeds. The record keeps every
trial of every method in the order its first run finished, with the sweep it came from and the runs it cost."""
import argparse, json
from pathlib import Path
import numpy as np
from mulki_nb.metrics import METRICS, RUN_METRICS, run_summaries, AccuracyMatrix


def trials(folder: Path) -> list[dict]:
    "The trials of one sweep folder: method, options, seeds, the five summaries and when its first run finished."
    if not (folder/'sweep.json').exists(): raise SystemExit(f'{folder} holds no sweep.json: is the sweep finished?')
    out = []
    for row in json.loads((folder/'sweep.json').read_text()):
        options = {k: v for k, v in row.items() if k not in METRICS}
        point = folder/'_'.join(f'{k}={v}' for k, v in options.items())
        files = sorted(point.glob('seed*/*/accuracy.json'))
        if not files: raise SystemExit(f'{point} holds no finished run')
        config = json.loads((files[0].parent/'config.json').read_text())
        runs = [run_summaries(AccuracyMatrix.from_json(f).acc) for f in files]
        seeds = [json.loads((f.parent/'config.json').read_text())['train']['seed'] for f in files]
        out.append(dict(method=config['method'], options=options, sweep=folder.name, seeds=seeds, runs=len(files),
                        benchmark=config['benchmark'], steps=config['train']['steps'],
                        started=min(f.stat().st_mtime for f in files),
                        **{k: round(float(np.mean([r[k] for r in runs])), 2) for k in RUN_METRICS}))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('folders', nargs='+', type=Path)
    p.add_argument('--out', type=Path, required=True)
    a = p.parse_args(argv)
    by_method = {}
    for folder in a.folders:
        for t in trials(folder): by_method.setdefault(t.pop('method'), []).append(t)
    record = {}
    for method, ts in by_method.items():
        ts.sort(key=lambda t: t['started'])
        for k, t in enumerate(ts): t['trial'] = k + 1
        for t in ts: t.pop('started')
        record[method] = dict(budget_runs=sum(t['runs'] for t in ts), trials=ts)
        best = max(ts, key=lambda t: t['average'])
        print(f"{method}: {len(ts)} trials, {record[method]['budget_runs']} runs; best validation Average "
              f"{best['average']} at {best['options']} (trial {best['trial']})")
    a.out.write_text(json.dumps(record, indent=1) + '\n')


if __name__ == '__main__':
    main()
