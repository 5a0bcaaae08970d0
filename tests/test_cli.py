"The `mulki` command end to end: a real tiny run, its outputs, bad arguments, and resume after a kill."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pytest
from mulki_nb.metrics import AccuracyMatrix, summaries

TINY = ['--tasks', 'colours,shapes', '--n-train', '48', '--n-test', '40', '--batch-size', '16']

def mulki(*args, timeout=600):
    return subprocess.run([sys.executable, '-m', 'mulki_nb.cli', *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, 'MULKI_QUIET': '1'})

def test_help_lists_every_option():
    r = mulki('run', '--help')
    assert r.returncode == 0
    for opt in ['--benchmark', '--method', '--out', '--data-root', '--model', '--pretrained', '--steps', '--set', '--quiet']: assert opt in r.stdout

@pytest.mark.parametrize('args,message', [
    (['--benchmark', 'imagenet'], "unknown benchmark 'imagenet'"),
    (['--method', 'ewc'], "unknown method 'ewc'"),
    (['--model', 'ViT-B-61'], 'unknown model'),
    (['--benchmark', 'mtil'], '--data-root'),
    (['--benchmark', 'mtil', '--data-root', '/no/such/dir'], 'does not exist'),
    (['--method', 'mulki', '--set', 'mulki.lambda_eliciting=-1'], 'lambda_eliciting'),
    (['--tasks', 'colours,cifar'], "unknown offline task 'cifar'"),
])
def test_bad_arguments_give_one_clear_error(tmp_path, args, message):
    r = mulki('run', '--out', str(tmp_path/'run'), *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and r.stderr.startswith('mulki: error:'), r.stderr
    assert 'Traceback' not in r.stderr

def test_demo_summaries_come_from_a_real_run(tmp_path):
    out = tmp_path/'run'
    r = mulki('run', '--out', str(out), '--method', 'zero-shot,continual-ft', '--steps', '3', *TINY)
    assert r.returncode == 0, r.stderr
    summary = json.loads((out/'summary.json').read_text())
    for method in ['zero-shot', 'continual-ft']:
        m = AccuracyMatrix.from_json(out/method/'accuracy.json')
        assert m.complete and m.acc.shape == (3, 2)
        for k, v in summaries(m.acc).items(): assert summary['methods'][method][k] == pytest.approx(v)
        assert (out/method/'accuracy.png').stat().st_size > 1000
    zs = AccuracyMatrix.from_json(out/'zero-shot'/'accuracy.json').acc
    assert (zs == zs[0]).all()  # the zero-shot model never changes
    ft = AccuracyMatrix.from_json(out/'continual-ft'/'accuracy.json').acc
    assert not (ft == zs).all()  # training changed the model
    assert 'Transfer' in r.stdout and '| continual-ft |' in r.stdout
    assert (out/'accuracy.png').exists() and (out/'summary.md').exists()

def test_a_run_folder_of_another_config_is_refused(tmp_path):
    out = tmp_path/'run'
    assert mulki('run', '--out', str(out), '--method', 'zero-shot', *TINY).returncode == 0
    r = mulki('run', '--out', str(out), '--method', 'zero-shot', '--seed', '1', *TINY)
    assert r.returncode == 2 and 'another configuration' in r.stderr

def test_killed_run_resumes_to_the_same_matrix(tmp_path):
    args = ['--method', 'continual-ft', '--steps', '6', '--tasks', 'colours,shapes,mnist', '--n-train', '48', '--n-test', '40', '--batch-size', '16']
    ref = tmp_path/'ref'
    assert mulki('run', '--out', str(ref), *args).returncode == 0
    out = tmp_path/'killed'
    p = subprocess.Popen([sys.executable, '-m', 'mulki_nb.cli', 'run', '--out', str(out), *args], env={**os.environ, 'MULKI_QUIET': '1'},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    acc_file, deadline = out/'continual-ft'/'accuracy.json', time.time() + 300
    while time.time() < deadline and p.poll() is None:  # kill once the first task is finished, mid-way through the second
        if acc_file.exists() and len(json.loads(acc_file.read_text())['rows']) >= 2: break
        time.sleep(0.2)
    assert p.poll() is None, 'the run ended before it could be killed'
    time.sleep(1.0); p.send_signal(signal.SIGKILL); p.wait()
    rows_at_kill = len(json.loads(acc_file.read_text())['rows'])
    assert 2 <= rows_at_kill < 4
    r = mulki('run', '--out', str(out), *args)
    assert r.returncode == 0, r.stderr
    a = AccuracyMatrix.from_json(ref/'continual-ft'/'accuracy.json').acc
    b = AccuracyMatrix.from_json(acc_file).acc
    np.testing.assert_allclose(b, a)

# --- every bad input: one line `mulki: error: ...`, exit 2, nothing written, before any model is built -------------
def run_main(*argv):
    "`mulki` in this process (the heavy imports happen once): (exit status, stderr)."
    import contextlib, io
    from mulki_nb.cli import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try: code = main(list(argv))
        except SystemExit as e: code = e.code
    return code, err.getvalue()

def _bad(tmp_path):
    (tmp_path/'a-file').write_text('x')
    (tmp_path/'ckpts').mkdir()
    (tmp_path/'ckpts'/'weights.bin').write_bytes(os.urandom(4096))
    return tmp_path

BAD = [  # (arguments after `run --out <tmp>/run`, what the one line says); {t} is the test's tmp folder
    (['--method', ''], '--method names no method'),
    (['--method', ','], '--method names no method'),
    (['--method', 'zero-shot,zero-shot'], 'names a method twice'),
    (['--out', '{t}/a-file'], 'is a file, not a folder'),
    (['--out', '{t}/a-file/run'], 'a-file is a file, not a folder'),
    (['--out', '/proc/mulki-run'], 'cannot be written'),
    (['--n-test', '0'], '--n-test must be at least 1, not 0'),
    (['--n-train', '-5'], '--n-train must be at least 1, not -5'),
    (['--n-train', '0', '--method', 'zero-shot'], '--n-train must be at least 1, not 0'),
    (['--n-train', '5', '--tasks', 'mnist'], "fewer than one image per class of task 'mnist' (10 classes)"),
    (['--n-train', 'abc'], "argument --n-train: invalid int value: 'abc'"),
    (['--device', 'gpu0'], "unknown device 'gpu0'"),
    (['--seed', '-1'], '--seed must be from 0 to 4294967295, not -1'),
    (['--lr', 'inf'], '--lr must be a finite number > 0, not inf'),
    (['--lr', 'nan'], '--lr must be a finite number > 0, not nan'),
    (['--steps', '0'], '--steps must be at least 1'),
    (['--data-root', '{t}'], '--data-root: MTIL options; the offline benchmark does not use them'),
    (['--order', 'II'], '--order: MTIL options'),
    (['--no-download'], '--no-download: MTIL options'),
    (['--step', '3'], 'unrecognized arguments: --step 3'),
    (['--tasks', ','], '--tasks names no task'),
    (['--method', 'mulki', '--set', 'mulki.lambda_eliciting=abc'], "MulKI lambda_eliciting must be a number in [0, inf), not 'abc'"),
    (['--method', 'mulki', '--set', 'mulki.lambda_elicit=1'], "unknown MulKI option 'lambda_elicit'"),
    (['--pretrained', '{t}/ckpts'], 'is a folder, not a file; pass a checkpoint file inside it (weights.bin)'),
    (['--pretrained', '{t}/ckpts/weights.bin'], 'is not a checkpoint this package can read'),
    (['--model', 'ViT-B-16'], '--model ViT-B-16 needs --pretrained'),
    (['--benchmark', 'mtil', '--data-root', '{t}/a-file'], 'is a file, not a folder'),
    (['--benchmark', 'mtil', '--data-root', '{t}', '--tasks', 'MNIST', '--order', 'II'], '--order does not apply with --tasks'),
    (['--benchmark', 'mtil', '--data-root', '{t}', '--tasks', 'MNST'], "unknown MTIL data sets ['MNST']"),
    (['--benchmark', 'mtil', '--data-root', '{t}', '--tasks', 'MNIST', '--no-download'], 'are not ready: MNIST missing'),
]

@pytest.mark.parametrize('args,message', BAD, ids=[' '.join(a) or "''" for a, _ in BAD])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    t = _bad(tmp_path)
    before = sorted(p.relative_to(t) for p in t.rglob('*'))
    args = [a.format(t=t) for a in args]
    code, err = run_main('run', *([] if '--out' in args else ['--out', str(t/'run')]), *args)
    assert code == 2, err
    assert err.startswith('mulki: error:') and err.count('\n') == 1 and message in err, err
    assert sorted(p.relative_to(t) for p in t.rglob('*')) == before  # nothing written, no run folder made

@pytest.mark.skipif(__import__('torch').cuda.is_available(), reason='this machine has a GPU')
def test_cuda_without_a_gpu(tmp_path):
    code, err = run_main('run', '--out', str(tmp_path/'run'), '--device', 'cuda')
    assert code == 2 and 'no CUDA GPU' in err and err.count('\n') == 1 and not (tmp_path/'run').exists()

def test_offline_openai_fails_at_once_with_the_fix(tmp_path):
    from mulki_nb.models import hub_reachable
    env = {k: v for k, v in os.environ.items() if k != 'HF_HUB_OFFLINE'}  # as a user has it: no offline flag
    code = 'from mulki_nb.models import hub_reachable; print(hub_reachable())'
    if subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True).stdout.strip() == 'True':
        pytest.skip('the Hugging Face hub is reachable from here')
    r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'run', '--out', str(tmp_path/'run'), '--model', 'RN50',
                        '--pretrained', 'openai'], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and r.stderr.count('\n') == 1, r.stderr  # no retry warnings before it
    assert 'no network' in r.stderr and '--pretrained a checkpoint file' in r.stderr
    assert not (tmp_path/'run').exists()

def test_help_and_version_need_no_torch():
    code = ("import sys\nfrom mulki_nb.cli import main\n"
            "for a in (['--help'], ['run', '--help'], ['--version']):\n"
            "    try: main(a)\n    except SystemExit as e: assert e.code == 0\n"
            "print('torch' in sys.modules, 'open_clip' in sys.modules)")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == 'False False', r.stdout + r.stderr
    from mulki_nb import __version__
    assert f'mulki {__version__}' in r.stdout and '--no-download' in r.stdout

def test_the_method_list_is_the_registry_and_list_shows_it():
    from mulki_nb.pipeline import METHODS, method_registry
    assert sorted(METHODS) == sorted(method_registry())
    r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'list'], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.splitlines()[0].split(None, 1)[1] == ', '.join(METHODS), r.stdout

# --- the paths that must work ---------------------------------------------------------------------------------------
def test_one_task_run_logs_a_line_per_task_writes_null_transfer_and_feeds_pretrained(tmp_path):
    "A one-task run (progress on, output to a pipe): valid JSON with Transfer null; its checkpoint.pt then loads as --pretrained."
    out = tmp_path/'run'
    args = ['--tasks', 'colours', '--n-train', '48', '--n-test', '40', '--batch-size', '16', '--steps', '2']
    loud = {k: v for k, v in os.environ.items() if k != 'MULKI_QUIET'}  # CI sets it; this test reads the log
    r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'run', '--out', str(out), '--method', 'continual-ft', *args],
                       capture_output=True, text=True, timeout=600, env=loud)
    assert r.returncode == 0, r.stderr
    assert '\r' not in r.stdout + r.stderr  # no progress bar redrawn into a pipe
    assert len([l for l in r.stdout.splitlines() if l.startswith('continual-ft after colours')]) == 1
    def strict(text): return json.loads(text, parse_constant=lambda c: pytest.fail(f'{c} is not JSON'))
    assert strict((out/'summary.json').read_text())['methods']['continual-ft']['transfer'] is None
    assert strict((out/'continual-ft'/'accuracy.json').read_text())['transfer'] is None
    ft = AccuracyMatrix.from_json(out/'continual-ft'/'accuracy.json').acc
    # continue from the run: its checkpoint is the model, so zero-shot evaluation of it scores the run's last row
    again = tmp_path/'again'
    r = mulki('run', '--out', str(again), '--method', 'zero-shot', '--pretrained', str(out/'continual-ft'/'checkpoint.pt'), *args)
    assert r.returncode == 0, r.stderr
    np.testing.assert_allclose(AccuracyMatrix.from_json(again/'zero-shot'/'accuracy.json').acc[0], ft[-1])
    # a zero-shot run keeps no copy of the weights, and its checkpoint says so when used as --pretrained
    import torch
    assert torch.load(again/'zero-shot'/'checkpoint.pt', weights_only=True)['model'] is None
    r = mulki('run', '--out', str(tmp_path/'third'), '--method', 'zero-shot', '--pretrained', str(again/'zero-shot'/'checkpoint.pt'), *args)
    assert r.returncode == 2 and 'holds no model weights' in r.stderr
    # a temporary file left by a kill during a checkpoint write is removed when the run resumes
    stale = out/'continual-ft'/'.checkpoint.pt.k9x2.tmp'
    stale.write_bytes(b'cut short')
    assert mulki('run', '--out', str(out), '--method', 'continual-ft', *args).returncode == 0
    assert not stale.exists()

def test_divergence_stops_with_one_line_and_keeps_the_last_good_checkpoint(tmp_path):
    out = tmp_path/'run'
    r = mulki('run', '--out', str(out), '--method', 'continual-ft', '--lr', '1e30', '--steps', '3', *TINY)
    assert r.returncode == 1 and r.stderr.count('\n') == 1, r.stderr
    assert r.stderr.startswith('mulki: error: continual-ft diverged:') and 'lower learning rate' in r.stderr
    import torch
    kept = torch.load(out/'continual-ft'/'checkpoint.pt', weights_only=True)
    assert len(kept['rows']) == 1 and all(torch.isfinite(v).all() for v in kept['model'].values())
    assert not (out/'summary.json').exists()


def test_make_method_names_the_unknown_option():
    "An option a method does not take is named, with the ones it takes."
    import pytest
    from mulki_nb.core import MulkiConfigError
    from mulki_nb.pipeline import make_method
    with pytest.raises(MulkiConfigError, match=r"'lwf' does not take options \['wieght'\]; it takes .*'weight'"):
        make_method('lwf', wieght=1)
    with pytest.raises(MulkiConfigError, match="unknown MulKI option 'lambda_intr'"):
        make_method('mulki', lambda_intr=0)
