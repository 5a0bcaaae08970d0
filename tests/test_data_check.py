"`mulki data check` and the check before an MTIL run, on fake data roots with sets removed, truncated and corrupted."
import os, shutil, subprocess, sys
from pathlib import Path
import pytest
from mulki_nb.data import MTIL_ORDER_I, MTIL_FOLDERS, check_mtil_root, check_mtil_set
from mulki_nb.cli import data_problems
from fake_mtil import build_root, skip_md5_checks

@pytest.fixture(scope='module')
def clean_root(tmp_path_factory):
    "Every MTIL set laid out whole (fake, tiny); tests copy it before damaging it."
    root = tmp_path_factory.mktemp('mtil')
    build_root(root, MTIL_ORDER_I)
    return root

@pytest.fixture
def root(clean_root, tmp_path, monkeypatch):
    skip_md5_checks(monkeypatch.setattr)  # fake archives cannot match the real md5 sums
    shutil.copytree(clean_root, tmp_path/'data')
    return tmp_path/'data'

@pytest.fixture(scope='module')
def fake_sizes(clean_root):
    "The fake sets' own split sizes: against them a whole fake set is present."
    import torchvision.datasets.cifar as cifar, torchvision.datasets.flowers102 as flowers
    with pytest.MonkeyPatch.context() as mp:
        skip_md5_checks(mp.setattr)
        return {s.name: s.counts for s in check_mtil_root(clean_root)}

def mulki(*args):
    return subprocess.run([sys.executable, '-m', 'mulki_nb.cli', *map(str, args)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, 'MULKI_QUIET': '1'})

def test_a_whole_root_is_present(root, fake_sizes):
    report = check_mtil_root(root, expected=fake_sizes, full=True)
    assert [s.status for s in report] == ['present'] * 11, [s.line() for s in report]
    assert all(s.fix == '' for s in report)

def test_against_the_real_split_sizes_a_small_root_is_incomplete(root):
    for s in check_mtil_root(root):
        assert s.status == 'incomplete' and 'fewer images than the splits' in s.detail, s.line()
        assert s.counts[0] < s.expected[0]

def test_removed_sets_are_missing_with_what_to_do(root, fake_sizes):
    for name in ('StanfordCars', 'Caltech101', 'MNIST'): shutil.rmtree(root/MTIL_FOLDERS[name])
    report = {s.name: s for s in check_mtil_root(root, expected=fake_sizes)}
    assert [n for n, s in report.items() if s.status == 'missing'] == ['Caltech101', 'MNIST', 'StanfordCars']
    assert 'cars_test_annos_withlabels.mat' in report['StanfordCars'].fix
    assert 'caltech-101.zip' in report['Caltech101'].fix and str(root) in report['Caltech101'].fix
    assert 'downloads allowed' in report['MNIST'].fix

def test_truncated_sets_are_incomplete(root, fake_sizes):
    listed = sorted((root/'dtd'/'dtd'/'images').rglob('*.jpg'))
    for f in listed[:5]: f.unlink()                       # an index that lists absent files
    folder = sorted((root/'eurosat'/'2750').iterdir())[0]
    for f in sorted(folder.iterdir())[:3]: f.unlink()     # a folder-listed set with fewer images
    report = {s.name: s for s in check_mtil_root(root, ['DTD', 'EuroSAT'], expected=fake_sizes)}
    assert report['DTD'].status == 'incomplete' and '5 listed images are absent' in report['DTD'].detail
    assert report['EuroSAT'].status == 'incomplete' and report['EuroSAT'].counts != fake_sizes['EuroSAT']
    assert 'remove' in report['EuroSAT'].fix

def test_corrupted_sets_are_damaged(root, fake_sizes):
    image = sorted((root/'food-101'/'images').rglob('*.jpg'))[7]
    image.write_bytes(b'not an image')
    (root/'cifar-100-python'/'train').write_bytes(b'garbage')
    shutil.rmtree(sorted((root/'eurosat'/'2750').iterdir())[-1])  # the last class is gone
    report = {s.name: s for s in check_mtil_root(root, ['Food', 'CIFAR100', 'EuroSAT'], full=True, expected=fake_sizes)}
    assert report['Food'].status == 'damaged' and '1 images do not decode' in report['Food'].detail
    assert report['CIFAR100'].status == 'damaged' and 'torchvision cannot read it' in report['CIFAR100'].detail
    assert report['EuroSAT'].status == 'damaged' and 'give 9 classes, not 10' in report['EuroSAT'].detail

def test_the_command_lists_every_set(root):
    shutil.rmtree(root/MTIL_FOLDERS['MNIST'])
    r = mulki('data', 'check', '--root', root, '--tasks', 'DTD,MNIST,EuroSAT')
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f'MTIL data under {root}:' and len(lines) == 5
    assert lines[1].split()[:2] == ['DTD', 'incomplete'] and lines[2].split()[:2] == ['MNIST', 'missing']
    assert lines[-1] == '0 of 3 data sets present; 3 need attention.'
    r = mulki('data', 'check', '--root', root/'nowhere')
    assert r.returncode == 2 and 'does not exist' in r.stderr

def test_an_mtil_run_stops_before_any_model_with_every_problem(root, tmp_path):
    shutil.rmtree(root/MTIL_FOLDERS['MNIST'])
    r = mulki('run', '--benchmark', 'mtil', '--data-root', root, '--tasks', 'DTD,MNIST', '--no-download',
              '--model', 'ViT-B-16', '--pretrained', 'none', '--out', tmp_path/'run')
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert '2 of 2 MTIL data sets' in r.stderr and 'DTD' in r.stderr and 'MNIST' in r.stderr
    assert not (tmp_path/'run').exists()

def test_downloads_allowed_leave_downloadable_sets_to_torchvision(root, fake_sizes):
    for name in ('MNIST', 'StanfordCars'): shutil.rmtree(root/MTIL_FOLDERS[name])
    assert 'StanfordCars' in data_problems(str(root), ['MNIST', 'StanfordCars'], download=True)
    assert 'MNIST' not in data_problems(str(root), ['MNIST', 'StanfordCars'], download=True)
    assert 'MNIST' in data_problems(str(root), ['MNIST', 'StanfordCars'], download=False)
