"""Each of the 11 MTIL loaders on a tiny fake data root (`fake_mtil.py`), and the error when a data set is missing."""
import numpy as np, pytest
from mulki_nb.core import MulkiDataError
from mulki_nb.data import MTIL_ORDER_I, mtil_prompts, mtil_task, _labels
from mulki_nb.pipeline import make_benchmark
from fake_mtil import PER_CLASS, build, class_of, skip_md5_checks

@pytest.fixture
def no_md5(monkeypatch): skip_md5_checks(monkeypatch.setattr)

@pytest.mark.parametrize('name', MTIL_ORDER_I)
def test_loader_on_a_fake_root(name, tmp_path, no_md5):
    classes = mtil_prompts()[name]['classnames']
    build(name, tmp_path, classes)
    task = mtil_task(name, tmp_path, download=False)
    assert task.classnames == classes and task.templates == mtil_prompts()[name]['templates']
    assert len(task.train) + len(task.test) == 2 * PER_CLASS * len(classes)
    labels = _labels(task.train)
    assert set(labels.tolist()) == set(range(len(classes)))  # every class is trained on
    for ds in (task.train, task.test):  # each image comes back under the class it was filed under
        for j in np.random.default_rng(0).choice(len(ds), min(len(ds), 12), replace=False):
            img, y = ds[int(j)]
            assert y == class_of(img), (name, j, y, class_of(img))
    assert task.prompts()[0][0] == task.templates[0].format(classes[0])
    sub = mtil_task(name, tmp_path, download=False, n_train=len(classes), n_test=len(classes))
    assert len(sub.train) == len(sub.test) == len(classes)

@pytest.mark.parametrize('name', MTIL_ORDER_I)
def test_missing_data_set_is_one_clear_error(name, tmp_path):
    with pytest.raises(MulkiDataError, match=f'could not load {name} from .*place the torchvision layout of {name}') as e:
        mtil_task(name, tmp_path, download=False)
    assert '\n' not in str(e.value)

def test_tasks_run_in_the_given_order_and_only_they_are_loaded(tmp_path, no_md5):
    for name in ('CIFAR100', 'Aircraft'): build(name, tmp_path, mtil_prompts()[name]['classnames'])
    bench = make_benchmark('mtil', ['CIFAR100', 'Aircraft'], data_root=str(tmp_path), download=False)
    assert bench.names == ['CIFAR100', 'Aircraft']  # not the benchmark's order (Aircraft first), and nothing else loaded
