"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which cannot be installed here).

Markdown cells are copied; code cells become ```python blocks unless `#| echo: false`; `#| hide` cells are
dropped; markdown and text outputs are kept, so tables a cell computes appear in the README."""
import sys
from pathlib import Path
from execnb.nbio import read_nb
from nbdev.process import extract_directives

def _output_md(o) -> str:
    if o.get('output_type') == 'stream': return '```\n' + ''.join(o['text']).rstrip() + '\n```'
    data = o.get('data', {})
    if 'text/markdown' in data: return ''.join(data['text/markdown']).strip()
    if 'text/plain' in data and 'image/png' not in data: return '```\n' + ''.join(data['text/plain']).rstrip() + '\n```'
    return ''

def readme(nb_path='nbs/index.ipynb') -> str:
    parts = []
    for c in read_nb(nb_path).cells:
        d = extract_directives(c, remove=False)
        if 'hide' in d: continue
        body = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#|')).strip()
        if c.cell_type == 'markdown': parts.append(body); continue
        if body and d.get('echo:', ['true'])[0] != 'false': parts.append('```python\n' + body + '\n```')
        parts += [m for m in map(_output_md, c.get('outputs', [])) if m]
    return '\n\n'.join(p for p in parts if p) + '\n'

if __name__ == '__main__':
    Path(sys.argv[1] if len(sys.argv) > 1 else 'README.md').write_text(readme())
