"Many seeds: standard errors, paired intervals, the cached zero-shot row, and the quality and ablation runs."
import json, os, subprocess, sys
import numpy as np
import pytest
from scipy import stats
from mulki_nb.metrics import mean_se, paired_difference, compare, learned, run_summaries

def bench(*args):
    return subprocess.run([sys.executable, '-m', 'mulki_nb.bench', *args], capture_output=True, text=True,
                          timeout=900, env={**os.environ, 'MULKI_QUIET': '1'})

def test_standard_error_and_paired_interval_on_a_hand_made_example():
    a, b = [61.0, 63.0, 62.0, 65.0, 64.0], [60.0, 61.5, 61.0, 63.0, 63.5]
    s = mean_se(a)
    assert s['mean'] == 63.0 and s['per_seed'] == a
    assert s['se'] == pytest.approx(np.std(a, ddof=1) / np.sqrt(5))
    p = paired_difference(a, b)
    ci = stats.ttest_rel(a, b).confidence_interval(0.95)  # scipy's paired t-test, as a second opinion
    assert (p['low'], p['high']) == pytest.approx((ci.low, ci.high))
    assert p['mean'] == pytest.approx(1.2)
    assert compare(p, 'A', 'B').startswith('A beats B by 1.2')
    assert 'ties with' in compare(paired_difference([1, 2, 3], [2, 1, 3]), 'A', 'B')

def test_learned_is_the_diagonal():
    acc = np.array([[10, 20], [80, 30], [70, 90]], dtype=float)
    assert learned(acc) == 85.0
    assert run_summaries(acc)['forgetting'] == 10.0

def test_cached_zero_shot_row_equals_a_fresh_evaluation(tmp_path, monkeypatch):
    monkeypatch.setenv('MULKI_CACHE', str(tmp_path))
    import torch
    from mulki_nb.data import offline_benchmark
    from mulki_nb.models import load_clip
    from mulki_nb.training import TrainConfig, evaluate_all, zero_shot_row, zero_shot_key
    bench_ = offline_benchmark(['colours', 'shapes'], n_train=16, n_test=40)
    clip, cfg = load_clip(), TrainConfig.offline()
    fresh = evaluate_all(clip, bench_, batch_size=cfg.eval_batch_size)
    first = zero_shot_row(clip, bench_, cfg, cache=True)  # computes and writes
    files = list((tmp_path/'zero-shot-rows').iterdir())
    assert len(files) == 1 and first == fresh
    files[0].write_text(json.dumps(dict(row=[1.0, 2.0])))  # what is read back is the file's
    assert zero_shot_row(clip, bench_, cfg, cache=True) == [1.0, 2.0]
    files[0].write_text('not json')  # a damaged entry is computed again
    assert zero_shot_row(clip, bench_, cfg, cache=True) == fresh
    key = zero_shot_key(clip, bench_, cfg.eval_batch_size)
    with torch.no_grad(): clip.model.logit_scale.add_(1e-3)  # other weights, another key
    assert zero_shot_key(clip, bench_, cfg.eval_batch_size) != key
    other = offline_benchmark(['colours', 'shapes'], n_train=16, n_test=32)
    assert zero_shot_key(clip, other, cfg.eval_batch_size) != zero_shot_key(clip, bench_, cfg.eval_batch_size)

TINY = ['--tasks', 'colours,shapes', '--n-train', '48', '--n-test', '40', '--steps', '2']

def test_quality_over_seeds_writes_summary_pairs_and_health(tmp_path):
    r = bench('quality', '--methods', 'zero-shot,continual-ft,mulki', '--seeds', '0', '1', '2', '--jobs', '2',
              *TINY, '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    q = json.loads((tmp_path/'quality.json').read_text())
    assert q['seeds'] == [0, 1, 2] and list(q['methods']) == ['zero-shot', 'continual-ft', 'mulki']
    ft = q['methods']['continual-ft']
    assert set(ft) == {'transfer', 'average', 'last', 'learned', 'forgetting'}
    assert len(ft['last']['per_seed']) == 3
    assert ft['last']['se'] == pytest.approx(np.std(ft['last']['per_seed'], ddof=1) / np.sqrt(3))
    assert q['methods']['zero-shot']['last']['se'] == 0.0  # zero-shot does not depend on the seed ...
    assert not (tmp_path/'seed1'/'zero-shot').exists()  # ... so it ran once
    pairs = json.loads((tmp_path/'pairs.json').read_text())
    assert set(pairs) == {'mulki - continual-ft', 'mulki - zero-shot', 'continual-ft - zero-shot'}
    d = pairs['mulki - continual-ft']['average']
    per = np.subtract(q['methods']['mulki']['average']['per_seed'], ft['average']['per_seed'])
    assert d['mean'] == pytest.approx(per.mean()) and d['low'] <= d['mean'] <= d['high']
    health = json.loads((tmp_path/'health.json').read_text())
    assert 'max_seed_se' in health and 'max_seed_std' not in health and 'largest SE' in r.stdout
    lines = (tmp_path/'quality.md').read_text().splitlines()
    assert lines[0].startswith('| method (mean ± SE, n = 3) | Transfer | Average | Last | Learned')
    mats = json.loads((tmp_path/'matrices.json').read_text())
    assert len(mats['mulki']['per_seed']) == 3 and (tmp_path/'seed0'/'accuracy.png').exists()
    # the same run in one process gives the same numbers (resumed from the run folders)
    again = bench('quality', '--methods', 'zero-shot,continual-ft,mulki', '--seeds', '0', '1', '2', *TINY,
                  '--out', str(tmp_path))
    assert again.returncode == 0 and json.loads((tmp_path/'quality.json').read_text()) == q

def test_ablation_reuses_the_quality_runs_of_mulki(tmp_path):
    assert bench('quality', '--methods', 'mulki', '--seeds', '0', '1', *TINY, '--out', str(tmp_path)).returncode == 0
    kept = (tmp_path/'seed0'/'mulki'/'checkpoint.pt').stat().st_mtime_ns
    r = bench('ablation', '--seeds', '0', '1', '--jobs', '2', '--out', str(tmp_path), *TINY)
    assert r.returncode == 0, r.stderr
    assert (tmp_path/'seed0'/'mulki'/'checkpoint.pt').stat().st_mtime_ns == kept  # not trained again
    record = json.loads((tmp_path/'ablation.json').read_text())
    assert list(record['pairs'])[0] == 'without eliciting - MulKI'
    assert record['results']['MulKI']['last'] == json.loads((tmp_path/'quality.json').read_text())[
        'methods']['mulki']['last']['per_seed']
