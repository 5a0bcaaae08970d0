"""What holds MulKI's student back inside a task: each loss term's gradient against the cross-entropy's.

    python research/gradient_probe.py --out benchmarks/offline_gradients.json

While the student learns the offline benchmark's second task (mnist, after colours), `GradientProbe` records at every
fourth step each term's gradient size relative to the cross-entropy's and the cosine between them, for MulKI at its
defaults and with stage 3 off (weights that sum to one over the teachers). The MulKI notebook draws the record."""
import argparse, json, time
from pathlib import Path
from mulki_nb.mulki import MulKIConfig, gradient_experiment


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', type=Path, required=True)
    a = p.parse_args(argv)
    configs = {'MulKI': MulKIConfig(), 'weights summing to one': MulKIConfig().without('distinguishing')}
    start = time.time()
    result = gradient_experiment(configs)
    record = dict(tasks=['colours', 'mnist'], probed='mnist', every=4, seconds=round(time.time() - start),
                  configs={k: c.__dict__ for k, c in configs.items()}, terms=result)
    a.out.write_text(json.dumps(record, indent=1) + '\n')
    for name, r in result.items():
        print(name, {k: f'size {v[0]:.2f}, cosine {v[1]:+.2f}' for k, v in r.items()})


if __name__ == '__main__':
    main()
