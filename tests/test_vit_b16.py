"The paper's backbone, open_clip's ViT-B-16, through every method and from a local checkpoint file (random weights, CPU)."
import contextlib, copy, dataclasses, io, json
import numpy as np, pytest, torch
from mulki_nb.cli import main
from mulki_nb.data import ArrayDataset, Benchmark, Task
from mulki_nb.metrics import AccuracyMatrix
from mulki_nb.models import load_clip
from mulki_nb.pipeline import METHODS, make_method
from mulki_nb.training import TrainConfig, run_continual

@pytest.fixture(scope='module')
def vit():
    torch.manual_seed(0)
    return load_clip('ViT-B-16', None, 'cpu')  # random weights: nothing to download

def tiny_task() -> Task:
    "Two classes, one template, two training and two test images: the least that exercises every code path."
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 255, (4, 32, 32, 3), dtype=np.uint8), np.array([0, 1, 0, 1])
    return Task('pair', ['cat', 'dog'], ['a photo of a {}.'], ArrayDataset(x[:2], y[:2]), ArrayDataset(x[2:], y[2:]))

OPTIONS = {'zscl': dict(n_ref=4, we_every=1), 'mulki': {}}

@pytest.mark.parametrize('name', METHODS)
def test_every_method_takes_a_step_on_vit_b16(vit, name):
    clip = dataclasses.replace(vit, model=copy.deepcopy(vit.model))
    method = make_method(name, **OPTIONS.get(name, {}))
    cfg = TrainConfig(steps=1, batch_size=2, warmup=1, eval_batch_size=2)
    before = clip.model.visual.conv1.weight.detach().clone()
    m = run_continual(clip, Benchmark('pair', [tiny_task()]), method, cfg, None, progress=False, log=lambda *a: None)
    assert m.complete and m.acc.shape == (2, 1) and np.isfinite(m.acc).all()
    assert clip.model.visual.conv1.weight.shape == (768, 3, 16, 16)  # the ViT-B/16 patch embedding
    assert torch.equal(before, clip.model.visual.conv1.weight) != method.trains  # trained methods moved the weights
    assert all(torch.isfinite(p).all() for p in clip.model.parameters())

def test_cli_runs_vit_b16_with_random_weights(tmp_path, monkeypatch):
    monkeypatch.setenv('MULKI_QUIET', '1')
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(['run', '--out', str(tmp_path), '--model', 'ViT-B-16', '--pretrained', 'none', '--method', 'zero-shot',
                     '--tasks', 'shapes', '--n-train', '8', '--n-test', '8', '--device', 'cpu'])
    assert code == 0, err.getvalue()
    summary = json.loads((tmp_path/'summary.json').read_text())
    assert summary['model'] == 'ViT-B-16' and summary['pretrained'] is None
    assert AccuracyMatrix.from_json(tmp_path/'zero-shot'/'accuracy.json').complete

def test_pretrained_file_with_a_saved_vit_b16_state_dict(vit, tmp_path):
    path = tmp_path/'open_clip_pytorch_model.bin'
    torch.save(vit.model.state_dict(), path)
    clip = load_clip('ViT-B-16', path, 'cpu')
    saved, loaded = vit.model.state_dict(), clip.model.state_dict()
    assert loaded.keys() == saved.keys() and all(torch.equal(loaded[k], saved[k]) for k in saved)
    assert clip.pretrained == str(path)
