"Damaged or unexpected state on disk: one line, exit 2, every file left as it was; a full disk; one run a folder."
import errno, hashlib, os, signal, subprocess, sys, time
from pathlib import Path
import pytest, torch

TINY = ['--tasks', 'colours,shapes', '--n-train', '16', '--n-test', '16', '--steps', '1', '--quiet']

def mulki(*args, cwd=None, wait=True):
    cmd = [sys.executable, '-m', 'mulki_nb.cli', 'run', *args]
    env = {**os.environ, 'MULKI_QUIET': '1'}
    if not wait: return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=cwd, env=env)

def files(folder: Path) -> dict:
    "Every file under `folder` with a hash of its bytes."
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file()}

def one_line_error(r, *parts):
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('mulki: error:'), r.stderr[-2000:]
    for part in parts: assert part in lines[0], lines[0]
    return lines[0]

@pytest.fixture(scope='module')
def finished(tmp_path_factory):
    "A finished two-task run of Continual-FT, copied afresh for each test that damages it."
    out = tmp_path_factory.mktemp('finished')/'run'
    r = mulki('--method', 'continual-ft', *TINY, '--out', str(out))
    assert r.returncode == 0, r.stderr
    return out

def copy_of(run: Path, tmp_path: Path) -> Path:
    import shutil
    return Path(shutil.copytree(run, tmp_path/'run'))

@pytest.mark.parametrize('damage,name,what', [
    (lambda f: f.write_bytes(f.read_bytes()[:len(f.read_bytes()) // 2]), 'checkpoint.pt', 'damaged or cut short'),
    (lambda f: f.write_text('{"model": garbage'), 'config.json', 'cannot be read as JSON'),
    (lambda f: f.write_text('[1, 2, oops'), 'accuracy.json', 'cannot be read as JSON'),
])
def test_a_damaged_file_is_one_line_and_left_as_it_was(finished, tmp_path, damage, name, what):
    run = copy_of(finished, tmp_path)
    damage(run/'continual-ft'/name)
    before = files(run)
    r = mulki('--method', 'continual-ft', *TINY, '--out', str(run))
    line = one_line_error(r, str(run/'continual-ft'/name), what, f'remove {run/"continual-ft"}')
    assert len(line) < 400
    assert files(run) == before

def test_accuracy_file_without_its_checkpoint_is_refused(finished, tmp_path):
    run = copy_of(finished, tmp_path)
    (run/'continual-ft'/'checkpoint.pt').unlink()
    before = files(run)
    one_line_error(mulki('--method', 'continual-ft', *TINY, '--out', str(run)), 'accuracy.json', 'cannot resume')
    assert files(run) == before

def test_an_empty_run_folder_name_is_refused(tmp_path):
    one_line_error(mulki('--method', 'zero-shot', *TINY, '--out', '', cwd=tmp_path), 'empty name')
    assert list(tmp_path.iterdir()) == []

def test_a_reference_set_too_large_for_memory_is_refused_before_any_work(tmp_path):
    start = time.time()
    r = mulki('--method', 'zscl', '--set', 'zscl.n_ref=99999999999', *TINY, '--out', str(tmp_path/'run'))
    one_line_error(r, 'n_ref=99999999999 would need about', 'use at most')
    assert time.time() - start < 60 and not (tmp_path/'run').exists()

def test_a_checkpoint_of_another_model_is_summarised(tmp_path):
    import open_clip
    sd = {k: v.half() for k, v in open_clip.create_model('ViT-B-16').state_dict().items()}
    torch.save(sd, tmp_path/'vit_b16.pt')
    del sd
    r = mulki('--method', 'zero-shot', *TINY, '--pretrained', str(tmp_path/'vit_b16.pt'), '--out', str(tmp_path/'run'))
    line = one_line_error(r, 'does not fit this model', 'missing keys', 'unexpected keys', 'ViT-B-16')
    assert len(line) < 700

def test_a_method_on_other_test_sets_is_not_added_to_a_folder(finished, tmp_path):
    run = copy_of(finished, tmp_path)
    before = files(run)
    other = [a if a != '16' else '20' for a in TINY]  # other image counts
    r = mulki('--method', 'zero-shot', *other, '--out', str(run))
    one_line_error(r, 'holds a run of continual-ft', "differs in ['sizes']")
    assert files(run) == before

def test_two_runs_in_one_folder_the_second_is_refused_naming_the_first(tmp_path):
    out = tmp_path/'run'
    longer = [*TINY[:-3], '--steps', '30', '--quiet', '--method', 'continual-ft', '--out', str(out)]
    first = mulki(*longer, wait=False)
    deadline = time.time() + 300
    while not (out/'.lock').exists() and first.poll() is None and time.time() < deadline: time.sleep(0.2)
    assert first.poll() is None, first.communicate()[1]
    one_line_error(mulki(*longer), f'in use by process {first.pid}')
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert (out/'.lock').exists()  # a killed run leaves its lock behind ...
    r = mulki(*longer)  # ... which is seen to be stale: the same command resumes the run
    assert r.returncode == 0, r.stderr
    assert not (out/'.lock').exists()

def _disk_full_after(n: int):
    "A `shutil.disk_usage` that reports plenty of room for `n` calls, then 1 KiB free."
    import shutil
    real, calls = shutil.disk_usage, []
    def usage(path):
        calls.append(path)
        u = real(path)
        return u if len(calls) <= n else u._replace(free=1024)
    return usage

def test_a_full_disk_is_one_line_and_keeps_the_last_checkpoint(tmp_path, monkeypatch, capsys):
    import mulki_nb.core as core
    from mulki_nb.cli import main
    monkeypatch.setenv('MULKI_QUIET', '1')
    monkeypatch.setattr(core.shutil, 'disk_usage', _disk_full_after(1))  # room for the zero-shot row's only
    out = tmp_path/'run'
    assert main(['run', '--method', 'continual-ft', *TINY, '--out', str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'no room on the disk to write' in err[0] and 'checkpoint.pt' in err[0], err
    assert 'MiB' in err[0]
    state = torch.load(out/'continual-ft'/'checkpoint.pt', weights_only=False)
    assert len(state['rows']) == 1  # the last good checkpoint: after the zero-shot row
    assert not list((out/'continual-ft').glob('.*.tmp'))

def test_a_write_that_fails_for_room_is_one_line_and_leaves_no_temporary(tmp_path, monkeypatch):
    import mulki_nb.core as core
    real = core.os.fsync
    def fsync(fd):
        if os.fstat(fd).st_size > 10_000: raise OSError(errno.ENOSPC, 'No space left on device')
        return real(fd)
    monkeypatch.setattr(core.os, 'fsync', fsync)
    with pytest.raises(core.MulkiDataError, match='no room on the disk to write .*big.pt'):
        core.atomic_save(torch.zeros(10_000), tmp_path/'big.pt')
    assert list(tmp_path.iterdir()) == []
