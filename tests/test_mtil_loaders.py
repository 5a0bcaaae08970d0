"""Each of the 11 MTIL loaders on a tiny fake data root laid out as torchvision expects, and the error when a data set is missing.

Every fake image is a uniform colour that encodes its class index, so the test can check that each image comes back with
the label, and hence the class name and prompts, it was filed under. Folder names are built from the class names in
`mtil_prompts.json` (numbered where torchvision sorts folders, so that sorting keeps their order); only the md5 checks of
the real CIFAR-100 and Flowers-102 archives are switched off."""
import io, json, pickle
from pathlib import Path
import numpy as np, pytest
from PIL import Image
from mulki_nb.core import MulkiDataError
from mulki_nb.data import MTIL_ORDER_I, mtil_prompts, mtil_task, _labels
from mulki_nb.pipeline import make_benchmark

PER_CLASS = 3  # images per class and split (data sets without a fixed split get 2 x PER_CLASS, cut 80/20 by the loader)

def colour(k: int) -> tuple[int, int, int]: return (k % 256, k // 256, 77)

def class_of(img) -> int:
    a = np.asarray(img)
    if a.ndim == 2: return int(a[0, 0])  # MNIST: the grey level is the class
    return int(a[0, 0, 0]) + 256 * int(a[0, 0, 1])

_png = {}
def png(k: int) -> bytes:
    "An 8x8 image of class k's colour (PNG bytes: lossless; PIL reads it whatever the file is called)."
    if k not in _png:
        buf = io.BytesIO(); Image.new('RGB', (8, 8), colour(k)).save(buf, 'PNG'); _png[k] = buf.getvalue()
    return _png[k]

def put(path: Path, data: bytes | str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data)

def slug(name: str) -> str: return name.replace(' ', '_').replace('/', '_')

def build(name: str, root: Path, classes: list[str]):
    "Lay out `name` under `root` as its torchvision class reads it."
    C, n = len(classes), PER_CLASS
    splits = {'train': [(k, i) for k in range(C) for i in range(n)], 'test': [(k, n + i) for k in range(C) for i in range(n)]}
    if name == 'MNIST':
        raw = root/'MNIST'/'raw'
        for split, prefix in (('train', 'train'), ('test', 't10k')):
            ks = [k for k, _ in splits[split]]
            images = np.stack([np.full((28, 28), k, np.uint8) for k in ks])
            put(raw/f'{prefix}-images-idx3-ubyte', (2051).to_bytes(4, 'big') + b''.join(d.to_bytes(4, 'big') for d in images.shape) + images.tobytes())
            put(raw/f'{prefix}-labels-idx1-ubyte', (2049).to_bytes(4, 'big') + len(ks).to_bytes(4, 'big') + bytes(ks))
    elif name == 'CIFAR100':
        base = root/'cifar-100-python'
        for split in ('train', 'test'):
            ks = [k for k, _ in splits[split]]
            data = np.stack([np.concatenate([np.full(1024, c, np.uint8) for c in colour(k)]) for k in ks])
            put(base/split, pickle.dumps({'data': data, 'fine_labels': ks, 'coarse_labels': [0] * len(ks)}))
        put(base/'meta', pickle.dumps({'fine_label_names': [slug(c) for c in classes], 'coarse_label_names': ['x']}))
    elif name == 'Aircraft':
        data = root/'fgvc-aircraft-2013b'/'data'
        put(data/'variants.txt', '\n'.join(classes) + '\n')
        for split, tv in (('train', 'trainval'), ('test', 'test')):
            lines = [f'{k:03d}{i:04d} {classes[k]}' for k, i in splits[split]]
            put(data/f'images_variant_{tv}.txt', '\n'.join(lines) + '\n')
            for k, i in splits[split]: put(data/'images'/f'{k:03d}{i:04d}.jpg', png(k))
    elif name == 'DTD':
        d = root/'dtd'/'dtd'
        for split in ('train', 'test'):
            lines = [f'{k:02d}{slug(classes[k])}/{k}_{i}.jpg' for k, i in splits[split]]
            put(d/'labels'/f'{split}1.txt', '\n'.join(lines) + '\n')
            for line, (k, _) in zip(lines, splits[split]): put(d/'images'/line, png(k))
    elif name == 'Food':
        d = root/'food-101'
        for split in ('train', 'test'):
            meta = {}
            for k, i in splits[split]: meta.setdefault(f'{k:03d}{slug(classes[k])}', []).append(f'{k:03d}{slug(classes[k])}/{i}')
            put(d/'meta'/f'{split}.json', json.dumps(meta))
            for folder, ims in meta.items():
                for im in ims: put(d/'images'/f'{im}.jpg', png(int(folder[:3])))
    elif name == 'OxfordPet':
        d = root/'oxford-iiit-pet'
        for split, tv in (('train', 'trainval'), ('test', 'test')):
            lines = [f'{slug(classes[k])}_{i} {k + 1} 1 1' for k, i in splits[split]]
            put(d/'annotations'/f'{tv}.txt', '\n'.join(lines) + '\n')
            for k, i in splits[split]: put(d/'images'/f'{slug(classes[k])}_{i}.jpg', png(k))
    elif name == 'Flowers':
        from scipy.io import savemat
        d = root/'flowers-102'
        ids = {s: [] for s in splits}; labels = {}
        for split in ('train', 'test'):
            for k, i in splits[split]:
                image_id = len(labels) + 1; labels[image_id] = k + 1; ids[split].append(image_id)
                put(d/'jpg'/f'image_{image_id:05d}.jpg', png(k))
        d.mkdir(parents=True, exist_ok=True)
        savemat(d/'imagelabels.mat', {'labels': np.array([labels[i] for i in sorted(labels)])})
        savemat(d/'setid.mat', {'trnid': np.array(ids['train']), 'valid': np.array(ids['train']), 'tstid': np.array(ids['test'])})
    elif name == 'StanfordCars':
        from scipy.io import savemat
        d = root/'stanford_cars'
        (d/'devkit').mkdir(parents=True)
        savemat(d/'devkit'/'cars_meta.mat', {'class_names': np.array(classes, dtype=object)})
        for split, mat, folder in (('train', d/'devkit'/'cars_train_annos.mat', 'cars_train'),
                                   ('test', d/'cars_test_annos_withlabels.mat', 'cars_test')):
            annos = np.zeros(len(splits[split]), dtype=[('fname', object), ('class', object)])
            for j, (k, i) in enumerate(splits[split]):
                annos[j] = (f'{k:03d}_{i}.jpg', k + 1); put(d/folder/f'{k:03d}_{i}.jpg', png(k))
            savemat(mat, {'annotations': annos})
    elif name == 'Caltech101':
        d = root/'caltech101'/'101_ObjectCategories'
        put(d/'BACKGROUND_Google'/'image_0001.jpg', png(0))  # not a class: torchvision drops it
        for k in range(C):
            for i in range(2 * n): put(d/f'{k:03d}{slug(classes[k])}'/f'image_{i + 1:04d}.jpg', png(k))
    elif name == 'EuroSAT':
        for k in range(C):
            for i in range(2 * n): put(root/'eurosat'/'2750'/f'{k:02d}{slug(classes[k])}'/f'{k}_{i}.jpg', png(k))
    elif name == 'SUN397':
        d = root/'SUN397'
        put(d/'ClassName.txt', ''.join(f'/x/c{k:03d}\n' for k in range(C)))
        for k in range(C):
            for i in range(2 * n): put(d/'x'/f'c{k:03d}'/f'sun_{i}.jpg', png(k))
    else: raise KeyError(name)

@pytest.fixture
def no_md5(monkeypatch):
    "The fake archives cannot match the md5 sums of the real ones: only that check is switched off."
    import torchvision.datasets.cifar as cifar, torchvision.datasets.flowers102 as flowers
    monkeypatch.setattr(cifar, 'check_integrity', lambda *a, **k: True)
    monkeypatch.setattr(flowers, 'check_integrity', lambda *a, **k: True)

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
