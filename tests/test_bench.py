"The study commands (`mulki quality | cost | sweep | ablation`) run on a tiny setting and write output of the right shape (timings are never asserted)."
import json, os, shlex, subprocess, sys

def bench(*args):
    return subprocess.run([sys.executable, '-m', 'mulki_nb.cli', *args], capture_output=True, text=True, timeout=900,
                          env={**os.environ, 'MULKI_QUIET': '1'})

def test_cost_table(tmp_path):
    out = tmp_path/'cost.json'
    r = bench('cost', '--methods', 'continual-ft,mulki', '--batch-size', '8', '--steps', '1', '--warmup', '0', '--out', str(out))
    assert r.returncode == 0, r.stderr
    c = json.loads(out.read_text())
    assert set(c['methods']) == {'continual-ft', 'mulki', 'mulki (cached teachers)'}
    assert c['methods']['continual-ft']['ratio'] == 1.0 and all(m['step_s'] > 0 for m in c['methods'].values())
    assert c['teacher_forward_s'] > 0 and '| mulki |' in r.stdout

def test_repeated_seeds_are_refused():
    r = bench('quality', '--seeds', '0', '0')
    assert r.returncode == 2 and 'seed 0 twice' in r.stderr

def test_unknown_method_is_an_error():
    r = bench('cost', '--methods', 'continual-ft,ewc')
    assert r.returncode == 2 and "unknown method 'ewc'" in r.stderr

def test_a_planned_quality_run_merges_from_its_run_folders(tmp_path):
    "Each command of `--plan` runs one job; the same command without --plan then merges them all."
    opts = ['--methods', 'zero-shot,continual-ft', '--seeds', '0', '1', '--tasks', 'colours,shapes', '--n-train', '48',
            '--n-test', '40', '--steps', '2', '--out', str(tmp_path/'q')]
    env = {**os.environ, 'MULKI_QUIET': '1'}
    plan = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'quality', *opts, '--plan'], capture_output=True,
                          text=True, env=env, timeout=300)
    assert plan.returncode == 0, plan.stderr
    commands = plan.stdout.splitlines()
    assert len(commands) == 3 and all('--no-summary' in c for c in commands)  # zero-shot once
    for c in commands:
        argv = shlex.split(c)
        assert argv[:2] == ['mulki', 'quality'], c
        r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', *argv[1:]], capture_output=True, text=True, env=env, timeout=600)
        assert r.returncode == 0, r.stderr
    assert not (tmp_path/'q'/'quality.json').exists()  # jobs write only their run folders
    r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'quality', *opts], capture_output=True, text=True,
                       env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path/'q'/'quality.json').read_text())
    assert summary['seeds'] == [0, 1] and len(summary['methods']['continual-ft']['last']['per_seed']) == 2

def test_gpu_throughput_script_runs_its_cpu_path(tmp_path):
    "The GPU throughput script's smoke path: every method measured, FLOPs counted, no MFU without a known peak."
    out = tmp_path/'gpu.json'
    r = subprocess.run([sys.executable, 'tools/gpu_throughput.py', '--smoke', '--out', str(out)], capture_output=True,
                       text=True, timeout=600, env={**os.environ, 'MULKI_QUIET': '1'})
    assert r.returncode == 0, r.stderr
    record = json.loads(out.read_text())
    assert record['device'].startswith('CPU') and record['peak_flops'] is None
    for method in ('continual-ft', 'mulki'):
        m = record['results']['eager'][method]
        assert m['images_per_s'] > 0 and m['flops'] > 0 and m['mfu'] is None
    sys.path.insert(0, 'tools')
    from gpu_throughput import peak_flops
    assert peak_flops('NVIDIA H100 80GB HBM3') == 989.4e12 and peak_flops('NVIDIA H100 PCIe') == 756e12
    assert peak_flops('NVIDIA H200') == 989.4e12 and peak_flops('Tesla T4') == 65e12 and peak_flops('CPU') is None


def test_ablation_options_read_as_mulki_run_reads_them(capsys):
    "`mulki ablation --set` takes `mulki.OPTION=VALUE`, checked before any run, as `mulki run --set` does."
    from mulki_nb.cli import main
    assert main(['ablation', '--set', 'lambda_inter=0', '--seeds', '0']) == 2
    assert 'METHOD.OPTION=VALUE' in capsys.readouterr().err
    assert main(['ablation', '--set', 'mulki.lambda_intr=0', '--seeds', '0']) == 2
    assert "unknown MulKI option 'lambda_intr'" in capsys.readouterr().err


def test_the_first_name_of_the_study_commands_is_the_same_command_line():
    "`python -m mulki_nb.bench` (as the study commands were first called) runs `mulki`'s own entry point."
    from mulki_nb import bench, cli
    assert bench.main is cli.main
