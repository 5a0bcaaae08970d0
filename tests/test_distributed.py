"""`torchrun --nproc_per_node 2 -m mulki_nb.cli run …` on the CPU (gloo): the gradient average is the full batch's
gradient, a run writes one run folder, matches the one-process run within a stated tolerance, resumes after a
kill, and every method runs under it."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pytest
from mulki_nb.metrics import AccuracyMatrix, run_summaries

ENV = {**os.environ, 'MULKI_QUIET': '1', 'OMP_NUM_THREADS': '1'}
TORCHRUN = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2']
TINY = ['--tasks', 'colours,shapes,mnist', '--n-train', '64', '--n-test', '80', '--batch-size', '16', '--steps', '6',
        '--lr', '2e-5']

def run(*args, procs=2, **kw):
    cmd = [*TORCHRUN[:-1], str(procs), '-m', 'mulki_nb.cli', 'run', *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=ENV, **kw)

def matrix(folder, method='continual-ft'): return AccuracyMatrix.from_json(Path(folder)/method/'accuracy.json').acc

WORKER = '''
import sys, torch, torch.nn.functional as F
from mulki_nb.distributed import start, rank, world_size, average_gradients, stop
from mulki_nb.models import load_clip
from mulki_nb.data import offline_benchmark, make_loader
from mulki_nb.training import class_tokens
start('cpu')
clip = load_clip()
clip.model.eval()  # no dropout: the two runs must see the same function
task = offline_benchmark(['shapes'], n_train=32, n_test=10)[0]
x, y = next(iter(make_loader(task.train, clip.preprocess, 16)))  # no augmentation
params = [p for n, p in clip.model.named_parameters() if p.requires_grad and n != 'logit_scale']
def grad(x, y):
    for p in params: p.grad = None
    logits = clip.logit_scale() * clip.encode_images(x) @ F.normalize(clip.model.encode_text(class_tokens(clip, task)), dim=-1).T
    F.cross_entropy(logits, y).backward()
mine = slice(rank() * 8, rank() * 8 + 8)
grad(x[mine], y[mine])
average_gradients(params)
averaged = torch.cat([p.grad.flatten() for p in params])
if rank() == 0:
    grad(x, y)  # the whole batch in one process
    whole = torch.cat([p.grad.flatten() for p in params])
    torch.save(dict(averaged=averaged, whole=whole), sys.argv[1])
stop()
'''

def test_the_averaged_gradient_is_the_full_batch_gradient(tmp_path):
    (tmp_path/'worker.py').write_text(WORKER)
    r = subprocess.run([*TORCHRUN, str(tmp_path/'worker.py'), str(tmp_path/'grads.pt')], capture_output=True,
                       text=True, timeout=600, env=ENV)
    assert r.returncode == 0, r.stderr[-2000:]
    import torch
    g = torch.load(tmp_path/'grads.pt')
    assert g['whole'].norm() > 0
    assert (g['averaged'] - g['whole']).norm() / g['whole'].norm() < 1e-4

def test_two_processes_match_one_within_tolerance_and_resume_after_a_kill(tmp_path):
    one = tmp_path/'one'
    r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'run', '--method', 'continual-ft', *TINY, '--out', str(one)],
                       capture_output=True, text=True, timeout=900, env=ENV)
    assert r.returncode == 0, r.stderr
    two = tmp_path/'two'
    r = run('--method', 'continual-ft', *TINY, '--out', two)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.count('| continual-ft |') == 1  # rank 0 alone prints
    assert sorted(p.name for p in two.iterdir()) == ['accuracy.png', 'continual-ft', 'summary.json', 'summary.md']
    assert sorted(p.name for p in (two/'continual-ft').iterdir()) == [
        'accuracy.csv', 'accuracy.json', 'accuracy.png', 'checkpoint.pt', 'config.json']
    a1, a2 = matrix(one), matrix(two)
    assert (a1[0] == a2[0]).all()  # sharded evaluation adds up to the one-process accuracy exactly
    # training differs: each process draws its own augmentations; the summaries stay within 3 points
    s1, s2 = run_summaries(a1), run_summaries(a2)
    assert all(abs(s1[k] - s2[k]) <= 3 for k in s1), (s1, s2)

    killed = tmp_path/'killed'
    p = subprocess.Popen([*TORCHRUN, '-m', 'mulki_nb.cli', 'run', '--method', 'continual-ft', *TINY, '--out', str(killed)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, start_new_session=True)
    acc = killed/'continual-ft'/'accuracy.json'
    deadline = time.time() + 600
    while time.time() < deadline and p.poll() is None:
        if acc.exists() and len(json.loads(acc.read_text())['rows']) >= 2: break  # one task learned
        time.sleep(0.5)
    assert p.poll() is None, 'the run ended before it could be killed'
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    assert not (killed/'continual-ft'/'accuracy.csv').exists()
    r = run('--method', 'continual-ft', *TINY, '--out', killed)
    assert r.returncode == 0, r.stderr[-2000:]
    np.testing.assert_allclose(matrix(killed), a2)  # the resumed run ends where the uninterrupted one did

def test_every_method_runs_under_torchrun(tmp_path):
    methods = 'zero-shot,continual-ft,lwf,zscl,wise-ft,mulki'
    r = run('--method', methods, '--tasks', 'colours,shapes', '--n-train', '48', '--n-test', '40', '--batch-size', '16',
            '--steps', '3', '--set', 'zscl.n_ref=16', '--out', tmp_path/'all')
    assert r.returncode == 0, r.stderr[-3000:]
    summary = json.loads((tmp_path/'all'/'summary.json').read_text())
    assert list(summary['methods']) == methods.split(',')
    for m in methods.split(','): assert AccuracyMatrix.from_json(tmp_path/'all'/m/'accuracy.json').complete

def test_a_batch_that_does_not_split_is_refused(tmp_path):
    r = run('--method', 'continual-ft', '--tasks', 'colours', '--batch-size', '15', '--out', tmp_path/'odd')
    assert r.returncode != 0 and 'a batch of 15 does not split over 2 processes' in r.stderr
    assert not (tmp_path/'odd').exists()
