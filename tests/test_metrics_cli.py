"`mulki metrics FILE`: the published MTIL tables from ZSCL's own matrices, and every kind of bad input as one line."
import contextlib, io, json, os, subprocess, sys
from pathlib import Path
import pytest
from mulki_nb.metrics import AccuracyMatrix
from mulki_nb.cli import main

DATA = Path(__file__).parent/'data'

def metrics(*args):
    "`mulki metrics ARGS` in this process (what the console script runs): its status, stdout and stderr."
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try: code = main(['metrics', *map(str, args)])
        except SystemExit as e: code = e.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())

def summaries(*args) -> dict:
    r = metrics(*args, '--json')
    assert r.returncode == 0, r.stderr
    records = json.loads(r.stdout)
    assert len(records) == 1
    return records[0]

# Transfer / Average / Last as ZSCL's paper prints them (Tables 3 and 10)
PUBLISHED = [('zscl_zscl_order_I.csv', (68.1, 75.4, 83.6)), ('zscl_continualft_order_I.csv', (44.6, 55.9, 77.3)),
             ('zscl_zscl_order_II.csv', (64.2, 74.5, 83.4)), ('zscl_lwf_order_II.csv', (53.2, 62.2, 71.9))]

@pytest.mark.parametrize('name,table', PUBLISHED)
def test_published_matrices_give_the_published_tables(name, table):
    s = summaries(DATA/name)
    assert (round(s['transfer'], 1), round(s['average'], 1), round(s['last'], 1)) == table
    assert s['zero_shot_row'] is False and s['scale'] == 'percent' and len(s['tasks']) == 11
    assert s['learned'] > s['last'] and s['forgetting'] > 0

def test_the_published_npy_file_as_it_is():
    from_npy = summaries(DATA/'zscl_t3_7.npy', '--rows', '11', '--drop-column', '3')
    from_csv = summaries(DATA/'zscl_zscl_order_I.csv')
    for k in ('transfer', 'average', 'last', 'learned', 'forgetting'): assert from_npy[k] == pytest.approx(from_csv[k])

def test_text_output_says_how_it_read_the_matrix():
    r = metrics(DATA/'zscl_zscl_order_I.csv')
    assert r.returncode == 0
    assert 'no zero-shot row, read as percent' in r.stdout and 'Transfer 68.1  Average 75.4  Last 83.6' in r.stdout

def test_a_run_folder_gives_one_line_per_method(tmp_path):
    for method, rows in [('zero-shot', [[50, 40]] * 3), ('continual-ft', [[50, 40], [90, 30], [60, 95]])]:
        (tmp_path/method).mkdir()
        AccuracyMatrix(['a', 'b'], rows, method).to_json(tmp_path/method/'accuracy.json')
    r = metrics(tmp_path, '--json')
    assert r.returncode == 0, r.stderr
    found = {Path(s['source'].split(' ')[0]).parent.name: s for s in json.loads(r.stdout)}
    assert found['continual-ft']['zero_shot_row'] and found['continual-ft']['last'] == pytest.approx(77.5)
    assert found['zero-shot']['forgetting'] == 0

def test_fractions_are_read_and_said(tmp_path):
    f = tmp_path/'m.tsv'
    f.write_text('0.5\t0.4\n0.9\t0.3\n0.6\t0.95\n')
    s = summaries(f)
    assert s['scale'] == 'fraction' and s['zero_shot_row'] and s['last'] == pytest.approx(77.5)

@pytest.mark.parametrize('text,args,message', [
    ('1,2,3\n4,5,6\n', [], '2 × 3: an accuracy matrix is T × T'),
    ('1,2\n3,oops\n', [], "row 2, column 2 holds 'oops', not a number"),
    ('1,2\n3,250\n', [], 'holds 250, outside 0–100 (read as percent)'),
    ('0.1,0.2\n0.3,1.5\n', ['--scale', 'fraction'], 'outside 0–1 (read as fraction)'),
    ('1,2\n3,4\n', ['--zero-shot-row', 'first'], 'needs a (T+1) × T matrix'),
    ('1,2\n3,4\n5,6\n', ['--zero-shot-row', 'none'], 'needs a square matrix'),
    ('1,2\n3,4\n', ['--tasks', 'a,b,c'], '2 tasks but 3 names'),
    ('', [], 'holds no rows'),
])
def test_bad_matrices_give_one_line(tmp_path, text, args, message):
    f = tmp_path/'m.csv'
    f.write_text(text)
    r = metrics(f, *args)
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert r.stderr.startswith('mulki: error:') and len(r.stderr.strip().splitlines()) == 1

def test_missing_file_and_empty_folder(tmp_path):
    for path, message in [(tmp_path/'nothing.csv', 'does not exist'), (tmp_path, 'holds no accuracy.json')]:
        r = metrics(path)
        assert r.returncode == 2 and message in r.stderr

def test_the_console_command_runs():
    r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'metrics', str(DATA/'zscl_zscl_order_I.csv')],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and 'Transfer 68.1' in r.stdout
