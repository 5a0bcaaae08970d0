"""Zero-shot accuracy of the offline heads shipped at an earlier commit, on today's offline benchmark.

    python research/previous_heads_zero_shot.py --commit bf5e095 --out benchmarks/zero_shot_previous_heads.json

The heads file is read from git history (`git show COMMIT:mulki_nb/assets/offline_clip_heads.pt`); the towers,
the benchmark and `evaluate` are today's, so the numbers compare the two alignment recipes and nothing else.
"""
import argparse, json, subprocess, tempfile
from pathlib import Path
import torch
from mulki_nb.data import offline_benchmark
from mulki_nb.models import load_clip, evaluate

def previous_heads(commit: str) -> dict:
    blob = subprocess.run(['git', 'show', f'{commit}:mulki_nb/assets/offline_clip_heads.pt'], capture_output=True, check=True).stdout
    with tempfile.NamedTemporaryFile(suffix='.pt') as f:
        f.write(blob); f.flush()
        return torch.load(f.name, weights_only=True)['heads']

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--commit', default='bf5e095')
    p.add_argument('--out', default='benchmarks/zero_shot_previous_heads.json')
    a = p.parse_args()
    clip = load_clip()
    clip.model.load_state_dict(previous_heads(a.commit), strict=False)
    result = dict(commit=a.commit, zero_shot={t.name: round(evaluate(clip, t), 1) for t in offline_benchmark()})
    Path(a.out).write_text(json.dumps(result, indent=1) + '\n')
    print(result)
