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
