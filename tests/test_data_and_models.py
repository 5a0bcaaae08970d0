"End-to-end checks of data loading, model loading and their errors."
import numpy as np, pytest, torch
from mulki_nb.core import MulkiDataError, MulkiConfigError
from mulki_nb.data import mtil_task, mtil_benchmark, offline_benchmark, offline_task, array_task, fashion_arrays, OFFLINE_TASKS
from mulki_nb.models import load_clip, evaluate, load_checkpoint, frozen_copy

@pytest.fixture(scope='module')
def clip(): return load_clip()

@pytest.fixture(scope='module')
def bench(): return offline_benchmark(n_train=200, n_test=200)

def test_missing_mtil_root_names_the_fix(tmp_path):
    with pytest.raises(MulkiDataError, match='does not exist'): mtil_task('CIFAR100', tmp_path/'missing')

def test_mtil_download_failure_is_one_clear_error(tmp_path):
    # no internet here: torchvision's download fails, and the error says what to do
    with pytest.raises(MulkiDataError, match='could not load EuroSAT'): mtil_task('EuroSAT', tmp_path, download=True)

def test_unknown_names(tmp_path):
    with pytest.raises(MulkiConfigError, match='unknown MTIL'): mtil_task('ImageNet', tmp_path)
    with pytest.raises(MulkiConfigError, match='unknown offline task'): offline_task('cifar')

def test_classnames_that_do_not_match_the_data():
    x, y = np.zeros((50, 8, 8), np.uint8), np.arange(50) % 5
    with pytest.raises(MulkiDataError, match='do not match'): array_task('t', ['a', 'b', 'c'], ['{}'], x, y, 20, 10)

def test_missing_fashion_mnist_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv('MULKI_CACHE', str(tmp_path))
    with pytest.raises(MulkiDataError, match='dataset-fashion-mnist'): fashion_arrays(tmp_path/'nothing')

def test_offline_benchmark_is_balanced_and_labelled(bench):
    assert len(bench) >= 7 and set(bench.names) >= {'mnist', 'fashion', 'animals', 'digits', 'colours', 'shapes', 'textures'}
    for task in bench:
        labels = task.test.labels
        assert set(labels.tolist()) == set(range(task.n_classes))
        assert np.bincount(labels).min() == np.bincount(labels).max()

def test_default_model_loads_offline_with_zero_shot_ability(clip, bench):
    assert clip.arch == 'mulki-effnet-minilm' and 20e6 < clip.n_params() < 40e6
    for task in bench:
        acc, chance = evaluate(clip, task), 100 / task.n_classes
        assert acc > 1.5 * chance, f"{task.name}: zero-shot {acc:.1f}% vs chance {chance:.1f}%"

def test_unaligned_projections_are_at_chance(bench):
    raw = load_clip(pretrained=None)
    mean = np.mean([evaluate(raw, t) for t in bench])
    assert mean < 25, mean  # the zero-shot ability comes from the shipped heads, not from chance

def test_model_errors(tmp_path):
    with pytest.raises(MulkiConfigError, match='unknown model'): load_clip('ViT-B-61')
    with pytest.raises(MulkiDataError, match='does not exist'): load_clip(pretrained=tmp_path/'none.pt')
    bad = tmp_path/'bad.pt'; bad.write_bytes(b'not a checkpoint')
    with pytest.raises(MulkiDataError, match='is not a checkpoint this package can read'): load_clip(pretrained=bad)

def test_real_clip_download_fails_clearly_offline():
    with pytest.raises(MulkiDataError, match='offline default'): load_clip('RN50', 'openai')

def test_checkpoint_round_trip(clip, tmp_path):
    path = tmp_path/'student.pt'; torch.save(clip.model.state_dict(), path)
    again = load_clip(pretrained=path)
    for (k, a), b in zip(clip.model.state_dict().items(), again.model.state_dict().values()): assert torch.equal(a, b), k

def test_frozen_teacher_gets_no_gradient(clip):
    teacher = frozen_copy(clip.model)
    x = torch.randn(2, 3, 64, 64)
    out = teacher.encode_image(x)
    assert not out.requires_grad and not teacher.training
