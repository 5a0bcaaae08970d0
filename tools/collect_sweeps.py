"""Gather the validation sweeps of every method into one record for the MulKI notebook's sweep figure.

    python tools/collect_sweeps.py runs/sweep/* --out benchmarks/offline_sweep.json

Each argument is the `--out` folder of one `python -m mulki_nb.bench sweep` call; the method and the options
are read from the run folders it wrote, the scores from its `sweep.json` (validation Transfer/Average/Last,
means over the sweep's seeds). Rows of the same method and options met twice are kept once."""
import argparse, json
from pathlib import Path
from mulki_nb.metrics import METRICS


def sweep_rows(folder: Path) -> list[dict]:
    "The rows of one sweep folder, each with its method, options and validation summaries."
    summaries = sorted(folder.glob('*/seed*/summary.json'))
    if not summaries: raise SystemExit(f'{folder} holds no run folder: is it the --out of a sweep?')
    first = json.loads(summaries[0].read_text())
    method = next(iter(first['methods']))
    seeds = sorted({json.loads(p.read_text())['train']['seed'] for p in summaries})
    steps = first['train']['steps']
    rows = []
    for row in json.loads((folder / 'sweep.json').read_text()):
        options = {k: v for k, v in row.items() if k not in METRICS}
        scores = {k: row[k] for k in METRICS}
        rows.append(dict(method=method, options=options, seeds=seeds, steps=steps, benchmark=first['benchmark'],
                         **scores))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('folders', nargs='+', type=Path)
    p.add_argument('--out', type=Path, required=True)
    a = p.parse_args(argv)
    by_method = {}
    for folder in a.folders:
        for row in sweep_rows(folder):
            runs = by_method.setdefault(row.pop('method'), [])
            if all(r['options'] != row['options'] for r in runs): runs.append(row)
    for runs in by_method.values(): runs.sort(key=lambda r: -r['average'])
    a.out.write_text(json.dumps(by_method, indent=1) + '\n')
    for method, runs in by_method.items():
        best = runs[0]
        print(f"{method}: {len(runs)} runs; best validation Average {best['average']} at {best['options']}")


if __name__ == '__main__':
    main()
