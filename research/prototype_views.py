"""Image prototypes and class sentences of the models each stage page compares, after the whole offline sequence.

    python research/prototype_views.py --runs runs/quality/seed0 --out benchmarks/offline_prototype_views.npz

For the pre-trained model and for the final model of each run folder under `--runs` (a quality run's seed folder,
with the ablation's variants beside the methods: continual-ft, mulki, without-eliciting, …): on the test images of
one task learned early in the sequence (mnist, learned second), each class's image prototype (the normalised mean
of its test images' embeddings) and its class sentence (the prompt-ensembled text embedding), and the model's
accuracy on the task. The stage notebooks draw them on one joint map."""
import argparse
from pathlib import Path
import numpy as np
import torch
from mulki_nb.data import make_loader
from mulki_nb.distillation import class_prototypes
from mulki_nb.models import load_clip, evaluate
from mulki_nb.pipeline import make_benchmark

FOLDERS = {'Continual-FT': 'continual-ft', 'MulKI': 'mulki', 'MulKI without eliciting': 'without-eliciting',
           'MulKI without adding': 'without-adding', 'MulKI without distinguishing': 'without-distinguishing',
           'MulKI without connections': 'without-connections'}


@torch.no_grad()
def views(clip, task) -> tuple[np.ndarray, np.ndarray]:
    "(image prototypes, class sentences) of `clip.model` on `task`'s test images, each (C, D)."
    x, y = map(torch.cat, zip(*make_loader(task.test, clip.preprocess, 256)))
    P, _ = class_prototypes(clip.encode_images(x).float(), y.to(clip.device), task.n_classes)
    return P.cpu().numpy(), clip.class_embeddings(task).float().cpu().numpy()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--runs', type=Path, required=True)
    p.add_argument('--task', default='mnist')
    p.add_argument('--out', type=Path, required=True)
    a = p.parse_args(argv)
    task = make_benchmark('offline', [a.task])[0]
    record = dict(classnames=np.array(task.classnames), task=np.array(a.task))
    models = {'pre-trained': None, **FOLDERS}
    for name, folder in models.items():
        clip = load_clip()
        if folder is not None:
            state = torch.load(a.runs/folder/'checkpoint.pt', map_location='cpu', weights_only=False)
            clip.model.load_state_dict(state['model'])
        P, Q = views(clip, task)
        record[f'{name}|image'], record[f'{name}|text'] = P, Q
        record[f'{name}|accuracy'] = np.array(evaluate(clip, task))
        print(f'{name}: accuracy on {a.task} {float(record[f"{name}|accuracy"]):.1f}')
    np.savez_compressed(a.out, **record)


if __name__ == '__main__':
    main()
