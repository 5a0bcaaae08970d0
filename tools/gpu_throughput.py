"""Throughput of one training step on a GPU: ViT-B/16 on the MTIL protocol (batch 64, bf16 autocast, AdamW), for
Continual-FT and MulKI, each as the package runs it (eager) and with the student's encoders under torch.compile.

    python tools/gpu_throughput.py --out benchmarks/gpu_throughput.json   # on a GPU: under 8 minutes
    python tools/gpu_throughput.py --smoke --out /tmp/smoke.json         # the CPU path the tests run

For each method and variant: the median step time, images per second, peak memory of the step, the model FLOPs
of one step (forward and backward of the student, the teachers' forwards, counted by torch's FlopCounterMode) and
the model-FLOPs utilisation (MFU: FLOPs per second over the device's dense bf16 peak, where the device is known).
The weights are random (ViT-B/16's OpenAI weights cannot be downloaded on every machine): the cost of a step does
not depend on them. The task is MTIL-shaped: CIFAR100's 100 class sentences, random images of the model's size."""
import argparse, json, statistics, sys, time
from pathlib import Path
import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode
from mulki_nb.core import get_device
from mulki_nb.data import ArrayDataset, Task, mtil_prompts
from mulki_nb.models import load_clip, frozen_copy, OFFLINE_ARCH, OFFLINE_PRETRAINED
from mulki_nb.pipeline import make_method
from mulki_nb.training import TrainConfig, class_tokens, make_optimizer, set_train_mode, trainable_parameters
from mulki_nb.training import training_step

# dense bf16 peak of the tensor cores, TFLOP/s, by a part of the device name (the first match counts)
PEAK_TFLOPS = [('H200', 989.4), ('H100 PCIe', 756.0), ('H100', 989.4), ('A100', 312.0), ('L40S', 362.1),
               ('L4', 121.0), ('A10', 125.0), ('T4', 65.0)]


def peak_flops(device_name: str) -> float | None:
    "The device's dense bf16 peak in FLOP/s, or None for a device not in `PEAK_TFLOPS` (a CPU)."
    return next((t * 1e12 for part, t in PEAK_TFLOPS if part in device_name), None)


def input_size(clip) -> int:
    "The side of the model's input images, read off its evaluation preprocessing."
    from PIL import Image
    return clip.preprocess(Image.new('RGB', (300, 300))).shape[-1]


def mtil_shaped_task(clip, classes: str = 'CIFAR100') -> Task:
    "An MTIL data set's class sentences over random images of the model's input size (two per class)."
    p = mtil_prompts()[classes]
    C, size = len(p['classnames']), input_size(clip)
    images = np.random.default_rng(0).integers(0, 256, (2 * C, size, size, 3), dtype=np.uint8)
    data = ArrayDataset(images, np.arange(2 * C) % C)
    return Task(classes, p['classnames'], p['templates'], data, data, 'random images (cost only)')


def _sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize(dev)


def measure(method: str, variant: str, clip, task: Task, batch: int, steps: int, warmup: int) -> dict:
    "One method's step on a fixed batch as at the second task (two teachers): time, memory, FLOPs."
    dev = clip.device
    m = make_method(method)
    m.setup(clip, frozen_copy(clip.model))
    if variant == 'compile':
        clip.model.encode_image = torch.compile(clip.model.encode_image)
        clip.model.encode_text = torch.compile(clip.model.encode_text)
    m.begin_task(clip, task, 1)
    cfg = TrainConfig(steps=10_000, batch_size=batch, lr=1e-6, warmup=1)
    params = trainable_parameters(clip.model, cfg)
    opt, sched = make_optimizer(params, cfg)
    set_train_mode(clip.model, cfg.freeze_bn)
    tokens = class_tokens(clip, task)
    g = torch.Generator().manual_seed(0)
    size = input_size(clip)
    x = torch.randn(batch, 3, size, size, generator=g).to(dev)
    y = torch.randint(0, task.n_classes, (batch,), generator=g).to(dev)
    def step(i): training_step(clip, task, m, x, y, tokens, opt, sched, params, cfg, 1, i)
    flops = None
    if variant == 'eager':
        with FlopCounterMode(display=False) as counter: step(0)
        flops = counter.get_total_flops()
    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
    times = []
    for i in range(warmup + steps):
        _sync(dev)
        start = time.perf_counter()
        step(i)
        _sync(dev)
        if i >= warmup: times.append(time.perf_counter() - start)
    step_s = statistics.median(times)
    peak = torch.cuda.max_memory_allocated(dev) / 2**20 if dev.type == 'cuda' else None
    return dict(step_ms=1000 * step_s, images_per_s=batch / step_s, peak_mib=peak, flops=flops)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--smoke', action='store_true', help='the CPU path: offline model, tiny batch, one step')
    p.add_argument('--methods', default='continual-ft,mulki')
    p.add_argument('--variants', default=None, help='eager,compile (default: both on a GPU, eager on the CPU)')
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--steps', type=int, default=20)
    p.add_argument('--warmup', type=int, default=5)
    p.add_argument('--out', type=Path, default=None)
    a = p.parse_args(argv)
    dev = get_device('cpu' if a.smoke else None)
    arch, pretrained = (OFFLINE_ARCH, OFFLINE_PRETRAINED) if a.smoke else ('ViT-B-16', None)
    batch, steps, warmup = (4, 1, 0) if a.smoke else (a.batch_size, a.steps, a.warmup)
    variants = (a.variants or ('eager,compile' if dev.type == 'cuda' else 'eager')).split(',')
    name = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else f'CPU ({torch.get_num_threads()} threads)'
    peak = peak_flops(name)
    classes = 'MNIST' if a.smoke else 'CIFAR100'  # the class sentences the text tower encodes each step
    results = {}
    for variant in variants:
        for method in a.methods.split(','):
            clip = load_clip(arch, pretrained, str(dev))
            r = measure(method, variant, clip, mtil_shaped_task(clip, classes), batch, steps, warmup)
            results.setdefault(variant, {})[method] = r
            flops = results['eager'][method]['flops'] if 'eager' in results else None
            r['mfu'] = flops / (r['step_ms'] / 1000) / peak if flops and peak else None
            mfu = f"{100 * r['mfu']:.1f} %" if r['mfu'] is not None else 'n/a'
            print(f"{variant:8s} {method:13s} {r['step_ms']:8.1f} ms  {r['images_per_s']:7.1f} images/s  MFU {mfu}",
                  flush=True)
            del clip
            if dev.type == 'cuda': torch.cuda.empty_cache()
    record = dict(device=name, torch=torch.__version__, arch=arch, batch_size=batch, steps=steps, warmup=warmup,
                  classes=f"{classes}: {len(mtil_prompts()[classes]['classnames'])} sentences",
                  peak_flops=peak, command=' '.join(['python', 'tools/gpu_throughput.py', *(argv or sys.argv[1:])]),
                  results=results)
    if a.out: a.out.write_text(json.dumps(record, indent=1) + '\n')


if __name__ == '__main__':
    main()
