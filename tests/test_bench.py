"The benchmark scripts run on a tiny setting and write output of the right shape (timings are never asserted)."
import json, os, subprocess, sys

def bench(*args):
    return subprocess.run([sys.executable, '-m', 'mulki_nb.bench', *args], capture_output=True, text=True, timeout=900,
                          env={**os.environ, 'MULKI_QUIET': '1'})

def test_quality_table_over_seeds(tmp_path):
    "Two seeds in two processes (--jobs 2), then one table over both."
    r = bench('quality', '--methods', 'zero-shot,continual-ft', '--seeds', '0', '1', '--jobs', '2', '--tasks', 'colours,shapes',
              '--n-train', '48', '--n-test', '40', '--steps', '2', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    res = json.loads((tmp_path/'quality.json').read_text())
    assert list(res) == ['zero-shot', 'continual-ft']
    assert all(len(v) == 2 for m in res.values() for v in m.values())
    lines = (tmp_path/'quality.md').read_text().splitlines()
    assert lines[0] == '| method | Transfer | Average | Last |' and len(lines) == 4 and '±' in lines[2]
    assert (tmp_path/'seed1'/'continual-ft'/'accuracy.json').exists()
    summary = json.loads((tmp_path/'quality_summary.json').read_text())
    assert set(summary['continual-ft']) == {'transfer', 'average', 'last'} and len(summary['zero-shot']['last']) == 2
    health = json.loads((tmp_path/'health.json').read_text())
    assert set(health['zero_shot']) == set(health['chance']) == {'colours', 'shapes'}
    assert health['chance']['shapes'] == 12.5 and 'benchmark health' in r.stdout
    zs = json.loads((tmp_path/'seed0'/'zero-shot'/'accuracy.json').read_text())
    assert abs(health['zero_shot']['colours'] - zs['rows'][0][0]) < 0.06  # one test set for every seed

def test_cost_table(tmp_path):
    out = tmp_path/'cost.json'
    r = bench('cost', '--methods', 'continual-ft,mulki', '--batch-size', '8', '--steps', '1', '--warmup', '0', '--out', str(out))
    assert r.returncode == 0, r.stderr
    c = json.loads(out.read_text())
    assert set(c['methods']) == {'continual-ft', 'mulki', 'mulki (cached teachers)'}
    assert c['methods']['continual-ft']['ratio'] == 1.0 and all(m['step_s'] > 0 for m in c['methods'].values())
    assert c['teacher_forward_s'] > 0 and '| mulki |' in r.stdout

def test_parallel_seeds_need_a_run_folder():
    r = bench('quality', '--seeds', '0', '1', '--jobs', '2')
    assert r.returncode == 2 and '--jobs needs --out' in r.stderr

def test_unknown_method_is_an_error():
    r = bench('cost', '--methods', 'continual-ft,ewc')
    assert r.returncode == 2 and "unknown method 'ewc'" in r.stderr
