"""Execute notebooks in place so they are committed with their outputs (the docs site never re-runs them).

Cells are skipped exactly as `nbdev_test` skips them (`#| eval: false`, and the `slow`/`cuda` flags unless
named with --flags); a skipped cell keeps the outputs it has, e.g. those of a `cuda` cell run on a GPU. Every
cell that runs gets its outputs anew, and a cell that ends in `;` keeps what it prints, as in Jupyter.
Every notebook starts from the same random state (seed 0), whichever notebooks ran before it in this process, so
that running one notebook gives the outputs that running them all gives.
Run `nbdev_clean` afterwards (it keeps outputs: clear_all = False).

    python tools/run_notebooks.py nbs/10_eliciting_ideas.ipynb ...   # or no argument: every notebook
"""
import argparse, os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.config import get_config
from nbdev.process import extract_directives
from mulki_nb.core import seed_everything

class Shell(CaptureShell):
    """execnb's shell, except for a cell that ends in `;`: execnb drops what such a cell prints, where
    Jupyter keeps it (the `;` only hides the last value). An extra last line, `pass`, hides that value
    the same way and keeps the printed lines."""
    def run_cell(self, raw_cell, *args, **kwargs):
        if raw_cell.rstrip().endswith(';'): raw_cell += '\npass'
        return super().run_cell(raw_cell, *args, **kwargs)

def run_notebook(path: Path, flags=()) -> float:
    skip = set(get_config().tst_flags.split()) - set(flags)
    def no_eval(cell):
        if cell.cell_type != 'code' or 'nbdev_export' + '()' in cell.source: return True
        d = extract_directives(cell, remove=False)
        return d.get('eval:', [''])[0].lower() == 'false' or bool(skip & d.keys())
    nb, start = read_nb(path), time.time()
    for cell in nb.cells:  # execnb keeps a cell's old outputs when it gives none: no stale output
        if not no_eval(cell): cell.outputs = []
    seed_everything(0)
    with working_directory(path.parent):
        Shell(path, mpl_format='png').run_all(nb, exc_stop=True, preproc=no_eval)
    write_nb(nb, path)
    return time.time() - start

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', type=Path)
    p.add_argument('--flags', nargs='*', default=[], help='test flags to run too, e.g. cuda')
    a = p.parse_args()
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    for nb in a.notebooks or sorted(Path('nbs').glob('*.ipynb')):
        print(f'{nb}: {run_notebook(nb.resolve(), a.flags):.0f} s', flush=True)
