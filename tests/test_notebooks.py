"Every notebook runs top to bottom on CPU (cells flagged `slow` or `cuda` skipped), with its inline fastcore tests."
from pathlib import Path
import pytest
from fastcore.xtras import globtastic
from nbdev.test import test_nb as execute_notebook  # renamed so that pytest does not collect it

from conftest import ROOT

NOTEBOOKS = sorted(Path(p) for p in globtastic(ROOT/'nbs', file_glob='*.ipynb', skip_file_re='^[_.]', skip_folder_re='^[_.]'))

def test_notebooks_found():
    assert len(NOTEBOOKS) >= 5, NOTEBOOKS

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook(nb):
    ok, secs = execute_notebook(nb, skip_flags=['slow', 'cuda'], basepath=str(ROOT))
    assert ok, f"{nb.name} failed (see the traceback above)"

def test_notebooks_open_with_a_python_kernel():
    "Jupyter and Colab open them without asking for a kernel."
    import json
    for nb in NOTEBOOKS:
        spec = json.loads(nb.read_text())['metadata'].get('kernelspec', {})
        assert spec.get('name') == 'python3' and spec.get('language') == 'python', nb.name

def test_every_notebook_installs_the_package_in_colab_first():
    "Opened from its Colab badge, a notebook's first code cell installs the package (and does nothing elsewhere)."
    import json
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text())['cells']
        first = ''.join(next(c for c in cells if c['cell_type'] == 'code')['source'])
        assert "if 'google.colab' in sys.modules:" in first and 'pip' in first, nb.name
