"Precision on each kind of GPU (faked), metric inputs, and the package found from the folder above a clone."
import json, os, subprocess, sys
import numpy as np, pytest, torch
from conftest import ROOT
from mulki_nb.core import MulkiConfigError, amp_dtype, autocast, grad_scaler
from mulki_nb.metrics import AccuracyMatrix, summaries, transfer

@pytest.mark.parametrize('capability,dtype,scaled', [((7, 5), torch.float16, True),    # T4, the free Colab GPU
                                                      ((7, 0), torch.float16, True),    # V100
                                                      ((8, 0), torch.bfloat16, False),  # A100
                                                      ((9, 0), torch.bfloat16, False)]) # H100
def test_autocast_dtype_and_scaler_follow_the_compute_capability(monkeypatch, capability, dtype, scaled):
    monkeypatch.setattr(torch.cuda, 'get_device_capability', lambda device=None: capability)
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'is_bf16_supported', lambda *a, **k: True)
    assert amp_dtype('cuda') == dtype and amp_dtype('cuda:0') == dtype
    assert autocast('cuda').fast_dtype == dtype
    assert grad_scaler('cuda').is_enabled() == scaled

def test_cpu_trains_in_fp32_without_a_scaler():
    assert amp_dtype('cpu') is None and not grad_scaler('cpu').is_enabled()

@pytest.mark.parametrize('bad', [np.nan, -1.0, 100.5, np.inf])
def test_metrics_refuse_values_that_are_not_percentages(bad):
    acc = np.array([[50.0, 40.0], [60.0, bad], [55.0, 70.0]])
    for f in (summaries, transfer):
        with pytest.raises(MulkiConfigError, match='percentages from 0 to 100'): f(acc)
    with pytest.raises(MulkiConfigError, match='percentages from 0 to 100'): AccuracyMatrix(['a', 'b']).add_row([50.0, bad])

def test_one_task_matrix_writes_null_transfer(tmp_path):
    m = AccuracyMatrix(['a'], [[40.0], [60.0]], 'one')
    text = m.to_json(tmp_path/'acc.json').read_text()
    assert 'NaN' not in text and json.loads(text)['transfer'] is None and json.loads(text)['average'] == 60.0

def test_assets_are_found_from_the_folder_above_the_clone(tmp_path):
    "`python -m mulki_nb.cli` run where the clone folder is itself called mulki_nb (what an editable install sees)."
    (tmp_path/'mulki_nb').symlink_to(ROOT, target_is_directory=True)
    code = "from mulki_nb.core import asset_path; print(asset_path('mtil_prompts.json').is_file())"
    r = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == 'True', r.stderr
    r = subprocess.run([sys.executable, '-m', 'mulki_nb.cli', 'list'], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and 'mulki' in r.stdout, r.stderr

def test_license_is_the_apache_license():
    text = (ROOT/'LICENSE').read_text()
    assert 'Apache License' in text and 'Version 2.0, January 2004' in text and 'END OF TERMS AND CONDITIONS' in text
    assert 'license = apache2' in (ROOT/'settings.ini').read_text()
