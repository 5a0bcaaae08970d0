"""An MTIL-shaped run end to end: the 11 MTIL data sets in the torchvision layout a user's data root has, filled with
fake images (a uniform colour per class, `tests/fake_mtil.py`), ViT-B/16 with random weights, every method, the MTIL
protocol's training settings with fewer steps. It checks the path a user with the real data and a GPU takes (loaders,
prompts, 1,201 classes, autocast, workers, checkpoints) and records what it costs; its accuracies mean nothing (random
weights, colour-coded images). Writes a JSON record (device, command, times, summaries) for the pipeline notebook.

    python tools/mtil_shaped_run.py --device cuda --json benchmarks/mtil_shaped_gpu.json
"""
import argparse, json, platform, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]/'tests'))
from fake_mtil import build_root, skip_md5_checks  # noqa: E402

METHODS = ['zero-shot', 'continual-ft', 'mulki', 'lwf', 'wise-ft', 'zscl']  # cheapest first

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], allow_abbrev=False)
    p.add_argument('--tasks', default=None, help='comma-separated MTIL data sets (default: all 11, order I)')
    p.add_argument('--methods', default=','.join(METHODS))
    p.add_argument('--per-class', type=int, default=4, help='fake images per class and split')
    p.add_argument('--image-size', type=int, default=32, help='side of the fake images (resized to 224 by CLIP)')
    p.add_argument('--steps', type=int, default=40, help='iterations per task')
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--workers', type=int, default=8, help='DataLoader processes, training and evaluation')
    p.add_argument('--device', default=None)
    p.add_argument('--out', default=None, help='run folder (default: a temporary one)')
    p.add_argument('--json', default=None, help='write the record here')
    return p.parse_args(argv)

def device_name(device: str) -> str:
    import torch
    if device.startswith('cuda'): return torch.cuda.get_device_name(torch.device(device))
    return f'CPU ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)'

def save(record: dict, path: str | None):
    "Write the record (after every method, so that a run cut short keeps what it measured)."
    if path: Path(path).write_text(json.dumps(record, indent=1) + '\n')

def run(args) -> dict:
    import torch
    from mulki_nb.core import get_device
    from mulki_nb.data import MTIL_ORDER_I
    from mulki_nb.pipeline import make_benchmark, run_experiment
    from mulki_nb.training import TrainConfig
    names = args.tasks.split(',') if args.tasks else list(MTIL_ORDER_I)
    work = Path(args.out or tempfile.mkdtemp(prefix='mtil_shaped_'))
    t0 = time.time()
    build_root(work/'data', names, args.per_class, args.image_size)
    skip_md5_checks()
    bench = make_benchmark('mtil', names, data_root=str(work/'data'), download=False)
    prepared_s = time.time() - t0
    device = str(get_device(args.device))
    train = TrainConfig(steps=args.steps, batch_size=args.batch_size, num_workers=args.workers)
    record = dict(device=device_name(device), torch=torch.__version__, command='python ' + ' '.join(sys.argv),
                  model='ViT-B-16', pretrained=None, tasks=bench.names,
                  classes=sum(len(t.classnames) for t in bench), train_images=sum(len(t.train) for t in bench),
                  test_images=sum(len(t.test) for t in bench), steps=args.steps, batch_size=args.batch_size,
                  workers=args.workers, data_s=round(prepared_s, 1), methods={})
    for name in args.methods.split(','):
        if device.startswith('cuda'): torch.cuda.reset_peak_memory_stats()
        t = time.time()
        exp = run_experiment(bench, [name], out=work/'runs', arch='ViT-B-16', pretrained=None, train=train,
                             device=device, progress=False, log=lambda s: print(s[:150], flush=True))
        seconds = time.time() - t
        summary = exp.matrices[name].summaries()
        peak = torch.cuda.max_memory_allocated() / 2**20 if device.startswith('cuda') else None
        record['methods'][name] = dict(wall_s=round(seconds, 1), **{k: round(v, 2) for k, v in summary.items()},
                                       peak_mib=round(peak) if peak else None)
        print(f'{name}: {seconds:.0f} s', flush=True)
        save(record, args.json)
    return record

def main(argv=None):
    args = parse_args(argv)
    print(json.dumps(run(args), indent=1))

if __name__ == '__main__': main()
