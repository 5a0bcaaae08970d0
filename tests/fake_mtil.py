"""A fake MTIL data root: each of the 11 data sets laid out as its torchvision class reads it, with tiny images.

Every fake image is a uniform colour that encodes its class index, so a test can check that each image comes back with
the label, and hence the class name and prompts, it was filed under. Folder names are built from the class names in
`mtil_prompts.json` (numbered where torchvision sorts folders, so that sorting keeps their order). The md5 checks of the
real CIFAR-100 and Flowers-102 archives cannot pass on fake files: `skip_md5_checks` switches only those off.
Used by `test_mtil_loaders.py` and by `tools/mtil_shaped_run.py` (the same layout, scaled up, for a GPU run)."""
import io, json, pickle
from pathlib import Path
import numpy as np
from PIL import Image

PER_CLASS = 3  # images per class and split (data sets without a fixed split get 2 x per_class, cut 80/20 by the loader)

def colour(k: int) -> tuple[int, int, int]: return (k % 256, k // 256, 77)

def class_of(img) -> int:
    a = np.asarray(img)
    if a.ndim == 2: return int(a[0, 0])  # MNIST: the grey level is the class
    return int(a[0, 0, 0]) + 256 * int(a[0, 0, 1])

_png = {}
def class_png(k: int, size: int = 8) -> bytes:
    "A size x size image of class k's colour (PNG bytes: lossless; PIL reads it whatever the file is called)."
    if (k, size) not in _png:
        buf = io.BytesIO()
        Image.new('RGB', (size, size), colour(k)).save(buf, 'PNG')
        _png[k, size] = buf.getvalue()
    return _png[k, size]

def put(path: Path, data: bytes | str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data)

def slug(name: str) -> str: return name.replace(' ', '_').replace('/', '_')

def build(name: str, root: Path, classes: list[str], per_class: int = PER_CLASS, size: int = 8):
    "Lay out `name` under `root` as its torchvision class reads it, `per_class` images per class and split."
    C, n = len(classes), per_class
    def png(k): return class_png(k, size)
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
        (d/'devkit').mkdir(parents=True, exist_ok=True)
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

def skip_md5_checks(setattr=setattr):
    "The fake archives cannot match the md5 sums of the real ones: switch off only that check (`setattr` may be pytest's monkeypatch)."
    import torchvision.datasets.cifar as cifar, torchvision.datasets.flowers102 as flowers
    setattr(cifar, 'check_integrity', lambda *a, **k: True)
    setattr(flowers, 'check_integrity', lambda *a, **k: True)

def build_root(root: Path, names, per_class: int = PER_CLASS, size: int = 8):
    "Lay out every data set in `names` under `root`."
    from mulki_nb.data import mtil_prompts
    for name in names: build(name, Path(root), mtil_prompts()[name]['classnames'], per_class, size)
