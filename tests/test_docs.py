"""The docs site, checked without Quarto (which cannot be installed here; see ../shared/ASSETS.md).

Every notebook goes through nbdev's own processing for the site (`nbdev.serve.proc_nbs`: front matter,
show_doc sections for the exported API, directives), is rendered to HTML by nbconvert with the title block
Quarto would draw, and is opened in headless Chromium. Each page must show its title, every figure the
notebook carries must load, every formula must typeset (MathJax from the `jupyter-server-mathjax` wheel) and
every exported function or class must have its show_doc section.
With `MULKI_SCREENSHOTS=folder` a full-page screenshot of every page is kept there."""
import ast, importlib, json, os, re, shutil
from pathlib import Path

import pytest
import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT / 'nbs').glob('*.ipynb'))
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
CHROMEDRIVER = shutil.which('chromedriver')


def _title_and_description(path: Path) -> tuple[str, str]:
    "The notebook's title cell: `# Title` then `> description`."
    first = json.loads(path.read_text())['cells'][0]
    lines = ''.join(first['source']).splitlines()
    return lines[0].lstrip('# ').strip(), next((l[1:].strip() for l in lines if l.startswith('>')), '')


def _module(path: Path):
    "The module a notebook exports (its `#| default_exp`), or None."
    for c in json.loads(path.read_text())['cells']:
        for l in ''.join(c['source']).splitlines():
            if l.startswith('#| default_exp'): return importlib.import_module('mulki_nb.' + l.split()[-1])


def _figures(path: Path) -> int:
    "How many figures (PNG/SVG outputs) the committed notebook carries."
    return sum(any(k.startswith('image/') for k in o.get('data', {}))
               for c in json.loads(path.read_text())['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))


def test_readme_is_generated_from_index():
    import runpy
    readme = runpy.run_path(str(ROOT / 'tools' / 'make_readme.py'))['readme'](ROOT / 'nbs' / 'index.ipynb')
    assert (ROOT / 'README.md').read_text() == readme, 'README.md is stale: run `python tools/make_readme.py`'
    for needed in ('make demo', 'make test', 'import', 'Transfer', 'colab'):
        assert needed.lower() in readme.lower(), needed


def test_cells_that_import_do_nothing_else():
    """The docs build runs every cell that imports something (nbdev's `exec_show_docs`), without the cells before
    it: such a cell must only import (the Colab install cell and exported cells stand alone and are exempt)."""
    mixed = []
    for nb in NBS:
        for c in json.loads(nb.read_text())['cells']:
            src = ''.join(c['source'])
            if c['cell_type'] != 'code' or "'google.colab' in sys.modules" in src: continue
            if re.search(r'^#\|\s*(export|exports|exporti|exec_doc)\b|^#\|\s*eval:\s*false', src, re.M): continue
            try: body = ast.parse(src).body
            except SyntaxError: continue  # shell or magic lines: nbdev does not run them either
            imports = [n for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
            if imports and len(imports) < len(body): mixed.append(f"{nb.stem}: {src.splitlines()[0]}")
    assert not mixed, f'cells that import and do more (split the imports into a cell of their own): {mixed}'


def test_sidebar_lists_every_notebook_once():
    import yaml
    side = yaml.safe_load((ROOT / 'nbs' / 'sidebar.yml').read_text())['website']['sidebar']['contents']
    def flat(items):
        for it in items:
            if isinstance(it, dict): yield from flat(it['contents'])
            else: yield it
    listed = list(flat(side))
    assert sorted(listed) == sorted(p.name for p in NBS) and len(set(listed)) == len(listed)
    assert (ROOT / 'nbs' / '_quarto.yml').resolve() == (ROOT / '_quarto.yml').resolve()


def test_every_lesson_notebook_is_committed_with_its_figures():
    "The site shows results without re-running: a notebook that draws something carries the picture."
    for nb in NBS:
        draws = any(c['cell_type'] == 'code' and 'plt.' in ''.join(c['source'])
                    and not any(f in ''.join(c['source']) for f in ('#| export', '#| slow', '#| cuda', '#| eval: false'))
                    for c in json.loads(nb.read_text())['cells'])
        if draws: assert _figures(nb) > 0, f'{nb.name} draws figures but was committed without outputs'


def test_each_stage_page_shows_its_prototypes_on_one_map():
    "Every stage lesson draws the joint UMAP map of the models its ablation compares, and reads it in numbers."
    for stage in ('10_eliciting_ideas', '11_adding_new_ideas', '12_distinguishing_ideas', '13_making_connections'):
        cells = json.loads((ROOT/'nbs'/f'{stage}.ipynb').read_text())['cells']
        drawn = [c for c in cells if c['cell_type'] == 'code' and 'plot_joint_prototypes(models' in ''.join(c['source'])]
        assert len(drawn) == 1, stage
        assert any('image/png' in o.get('data', {}) for o in drawn[0]['outputs']), f'{stage}: the map has no picture'
        read = [c for c in cells if c['cell_type'] == 'code' and 'prototype_reading(' in ''.join(c['source'])]
        assert read and any('text/markdown' in o.get('data', {}) for o in read[0]['outputs']), f'{stage}: no reading'


# cells the site never runs: exported code (nbdev shows its source), and cells flagged slow, cuda or eval: false
NOT_RUN_FOR_THE_SITE = ('#| export', '#| slow', '#| cuda', '#| eval: false')
RETURN_NOTHING = {'zero_grad', 'backward', 'show', 'savefig', 'tight_layout', 'step'}  # and fastcore's test_*


def _displays(source: str) -> bool:
    "Whether a cell's last line shows something: an expression (not `x;`) other than a call known to return None."
    code = '\n'.join(l for l in source.splitlines() if not l.lstrip().startswith(('%', '!')))
    try: tree = ast.parse(code)
    except SyntaxError: return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr) or source.rstrip().endswith(';'): return False
    value = tree.body[-1].value
    if not isinstance(value, ast.Call): return not isinstance(value, ast.Constant)
    name = value.func.id if isinstance(value.func, ast.Name) else getattr(value.func, 'attr', '')
    return not name.startswith('test_') and name not in RETURN_NOTHING


def test_cells_that_display_something_carry_their_output():
    "The site renders committed outputs: a table or value the page promises must have been stored with the notebook."
    missing = [f'{nb.name} cell {i}: {c["source"][-1][:60]!r}' for nb in NBS
               for i, c in enumerate(json.loads(nb.read_text())['cells'])
               if c['cell_type'] == 'code' and not any(f in ''.join(c['source']) for f in NOT_RUN_FOR_THE_SITE)
               and _displays(''.join(c['source'])) and not c.get('outputs')]
    assert not missing, f'cells whose last line displays something have no stored output: {missing}'


def test_cells_the_site_skips_say_what_they_give():
    "A `slow` or `cuda` cell has no output on the page: a neighbour shows a stored result or says why there is none."
    for nb in NBS:
        cells = json.loads(nb.read_text())['cells']
        for i, c in enumerate(cells):
            if c['cell_type'] != 'code' or not any(f in ''.join(c['source']) for f in ('#| slow', '#| cuda')): continue
            near = cells[max(i - 2, 0):i] + cells[i + 1:i + 3]
            told = any((n['cell_type'] == 'code' and n.get('outputs'))
                       or (n['cell_type'] == 'markdown' and 'Not run here' in ''.join(n['source'])) for n in near)
            assert told, f'{nb.name} cell {i} is skipped by the site, and no cell beside it shows a stored result'


LEAKS = ('VBox(children=', 'FloatSlider(', 'IntSlider(', '<All keys matched successfully>', 'HBox(children=')


def test_no_widget_reprs_or_load_messages_on_the_pages():
    "A static page cannot run a widget: its text repr (or a stray `load_state_dict` message) must not be stored."
    for nb in NBS:
        for i, c in enumerate(json.loads(nb.read_text())['cells']):
            for o in c.get('outputs', []):
                text = ''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', ''))
                leaked = [l for l in LEAKS if l in text]
                assert not leaked, f'{nb.name} cell {i} stores {leaked}'


def test_displaying_cells_are_recognised():
    for shows in ('exp.table()', 'x', 'print(a)', 'display(fig)', 'a = 1\nMarkdown(t)'): assert _displays(shows), shows
    for silent in ('x = 1', 'plt.plot(x);', 'test_eq(a, b)', 'm.zero_grad()', 'def f(): pass', '"text"', '%time f()'):
        assert not _displays(silent), silent


@pytest.fixture(scope='module')
def processed(tmp_path_factory):
    "nbdev's processing of every notebook (what nbdev_docs hands to Quarto), in a scratch copy of _proc."
    from nbdev.serve import proc_nbs
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    cache = proc_nbs(ROOT / 'nbs', n_workers=0, force=True)
    return Path(cache)


@pytest.fixture(scope='module')
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip('Chromium not installed: `apt-get install chromium chromium-driver` (Debian) to check the rendered pages')
    from selenium import webdriver
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'): opts.add_argument(a)
    drv = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=opts)
    yield drv
    drv.quit()


def _mathjax_url():
    "MathJax 2 from the `jupyter-server-mathjax` wheel (Quarto brings its own; the CDN is out of reach here)."
    try: import jupyter_server_mathjax
    except ImportError: return None
    js = Path(jupyter_server_mathjax.__file__).parent / 'static' / 'MathJax.js'
    return js.as_uri() + '?config=TeX-AMS-MML_HTMLorMML-full,Safe' if js.exists() else None

MATHJAX_URL = _mathjax_url()

# the wheel ships only MathJax's STIX-Web fonts, not the TeX fonts MathJax looks for first
MATHJAX_FONTS = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": '
                 '{availableFonts: [], preferredFont: null, webFont: "STIX-Web"}});</script>')
# the implementation is the lesson: these pages show the source of their losses and classes, not only signatures
SOURCE_IN_VIEW = {'09_distillation': ['def class_prototypes(', 'class Views', 'def kd_rows('],
                  '10_eliciting_ideas': ['def prototype_alignment_loss(', 'class RunningPrototypes'],
                  '11_adding_new_ideas': ['def relations(', 'def adding_losses(', 'def feature_loss('],
                  '12_distinguishing_ideas': ['def teacher_weights('],
                  '13_making_connections': ['def interpolate_weights(', 'class WeightAverage'],
                  '14_mulki': ['class MulKIConfig', 'class MulKI(', 'def loss_terms(']}
QUARTO_ATTRS = re.compile(r'\)\{target="_blank"[^}]*\}')  # `[source](url){target=…}`: attributes Quarto reads


def _render(proc_nb: Path, title: str, description: str, out: Path) -> Path:
    "HTML of a processed notebook, with the title block that Quarto makes from the front matter."
    nb = nbformat.read(proc_nb, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type != 'raw']  # the front matter: Quarto consumes it
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(f'# {title}\n\n*{description}*'))
    for c in nb.cells:  # Quarto hides the code of `#| echo: false` cells
        if c.cell_type == 'code' and '#| echo: false' in c.source: c.metadata.setdefault('tags', []).append('remove_input')
        for o in c.get('outputs', []):
            if 'text/markdown' in o.get('data', {}): o.data['text/markdown'] = QUARTO_ATTRS.sub(')', o.data['text/markdown'])
    exporter = HTMLExporter(template_name='lab', **({'mathjax_url': MATHJAX_URL} if MATHJAX_URL else {}))
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}), enabled=True)
    html, _ = exporter.from_notebook_node(nb, resources={'metadata': {'name': title}})
    out.write_text(html.replace('</head>', MATHJAX_FONTS + '</head>', 1) if MATHJAX_URL else html)
    return out


@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_page_renders_in_a_browser(nb, processed, browser, tmp_path):
    proc_nb = processed / nb.name
    assert proc_nb.exists(), f'nbdev did not process {nb.name}'
    front = nbformat.read(proc_nb, as_version=4).cells[0]
    title, description = _title_and_description(nb)
    assert front.cell_type == 'raw', 'nbdev made no front matter'
    import yaml
    meta = yaml.safe_load(front.source.strip().strip('-'))
    assert meta['title'] == title and meta.get('description') == description, 'front matter lacks the title or description'

    browser.get(_render(proc_nb, title, description, tmp_path / f'{nb.stem}.html').as_uri())
    assert browser.title == title
    assert browser.find_element('tag name', 'h1').text.strip().startswith(title)

    if MATHJAX_URL:  # every formula typesets: no TeX error, no display maths left as source
        browser.set_script_timeout(60)
        assert browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "if (!window.MathJax || !MathJax.Hub) return done(false); MathJax.Hub.Queue(() => done(true));")
        errors = browser.execute_script(  # TeX errors, undefined macros (drawn in red) and processing errors
            "return MathJax.Hub.getAllJax().filter(j => j.texError || /<merror|mathcolor=.red/.test(j.root.toMathML('')))"
            ".map(j => j.originalText);")
        assert not errors, f'formulas that do not typeset: {errors}'
        text = browser.find_element('tag name', 'body').text
        assert 'Math Processing Error' not in text and '$$' not in text, 'maths left as TeX source or not processed'

    imgs = browser.execute_script(
        "return [...document.images].map(i => [i.src.slice(0, 40), i.complete && i.naturalWidth > 0]);")
    local = [ok for src, ok in imgs if not src.startswith('http')]
    external = [src for src, ok in imgs if src.startswith('http')]
    assert all('colab' in s or 'shields' in s for s in external), f'unexpected remote images: {external}'
    assert all(local), f'{local.count(False)} broken image(s) on {nb.name}'
    assert len(local) >= _figures(nb), 'a figure of the notebook is missing from the page'

    page = browser.find_element('tag name', 'body').text
    hidden = [src for src in SOURCE_IN_VIEW.get(nb.stem, []) if src not in page]
    assert not hidden, f'{nb.name} does not show the source of: {hidden}'

    shots = os.environ.get('MULKI_SCREENSHOTS')  # a folder: keep a full-page screenshot of every page
    if shots:
        browser.set_window_size(1200, 800)
        height = browser.execute_script('return document.documentElement.scrollHeight')
        browser.set_window_size(1200, min(height + 120, 16000))
        Path(shots).mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(Path(shots) / f'{nb.stem}.png'))

    mod = _module(nb)
    if mod is None: return
    headings = {h.strip().split('(')[0].strip() for h in browser.execute_script(
        "return [...document.querySelectorAll('h2, h3, h4')].map(h => h.textContent.replace('¶', ''));")}
    import inspect  # functions and classes; type aliases such as `core.Count` have no section
    api = [n for n in getattr(mod, '__all__', [])
           if (inspect.isfunction(getattr(mod, n, None)) or inspect.isclass(getattr(mod, n, None)))
           and getattr(getattr(mod, n), '__module__', '') == mod.__name__]
    missing = [n for n in api if n not in headings]
    assert not missing, f'no show_doc section on {nb.name} for: {missing}'


def _public_callables():
    "(name, callable) of every public function, method and dataclass the package exports."
    import dataclasses, importlib, inspect, pkgutil
    import mulki_nb
    for m in pkgutil.iter_modules(mulki_nb.__path__):
        if m.name.startswith('_'): continue
        mod = importlib.import_module(f'mulki_nb.{m.name}')
        for name in getattr(mod, '__all__', []):
            obj = getattr(mod, name)
            if getattr(obj, '__module__', None) != mod.__name__: continue
            if inspect.isfunction(obj): yield f'{m.name}.{name}', obj
            if not inspect.isclass(obj): continue
            if dataclasses.is_dataclass(obj): yield f'{m.name}.{name}', obj  # its fields
            for k, v in vars(obj).items():
                f = v.__func__ if isinstance(v, (classmethod, staticmethod)) else v
                generated = k == '__init__' and dataclasses.is_dataclass(obj)
                if inspect.isfunction(f) and (not k.startswith('_') or k == '__init__') and not generated:
                    yield f'{m.name}.{name}.{k}', f


def test_public_parameters_are_documented():
    ("Every parameter of a public function, method or dataclass field has its docments comment "
     "(`*args` and `**kwargs` aside: docments cannot read theirs; the docstring says what they take).")
    import inspect
    from fastcore.docments import docments
    missing = {}
    for name, f in _public_callables():
        params = [n for n, p in inspect.signature(f).parameters.items()
                  if n not in ('self', 'cls') and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        notes = docments(f)
        lacking = [p for p in params if not notes.get(p)]
        if lacking: missing[name] = lacking
    assert not missing, '\n'.join(f'{k}: {v}' for k, v in sorted(missing.items()))
