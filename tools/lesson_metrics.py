"""How the lessons read, in numbers: lines per code cell (median, 90th percentile, largest), the
share of code lines over 100 characters, visible and hidden tests, and prose words per code line,
per notebook, over the stage lessons and over every notebook.

    python tools/lesson_metrics.py            # the table
    python tools/lesson_metrics.py --check    # and exit 1 if a target is missed (as the test does)

Lines are non-blank and leave out `#|` directives, as the style guide measures its anchors.
The targets: no code line over 100 characters (in the notebooks and in the package) and no cell
over 40 lines in any notebook; 90 % of the cells at most 12 lines over the stage lessons
(09_distillation and 10–14; the API pages 09a and 09b are not lessons). The row over every
notebook is reported, not held to the 12 lines: API cells hold whole functions with a comment
per parameter."""
import argparse, json, re, statistics, sys
from pathlib import Path

NBS = Path(__file__).parent.parent/'nbs'
PKG = Path(__file__).parent.parent/'mulki_nb'
TEST = re.compile(r'^\s*(test_\w+\(|assert\b)')
TARGETS = dict(p90=12, max=40, long=0.0)


def cells(nb: Path) -> list[dict]:
    return json.loads(nb.read_text())['cells']


def code_lines(src: str) -> list[str]:
    "The lines that count: not blank, not a `#|` directive."
    return [l for l in src.splitlines() if l.strip() and not l.lstrip().startswith('#|')]


def measure(notebooks: list[Path]) -> dict:
    "The figures over the code and prose cells of `notebooks`."
    sizes, lines, visible, hidden, words = [], [], 0, 0, 0
    for nb in notebooks:
        for c in cells(nb):
            src = ''.join(c['source'])
            if c['cell_type'] == 'markdown':
                words += len(src.split())
                continue
            code = code_lines(src)
            if not code: continue
            sizes.append(len(code))
            lines += code
            tests = sum(bool(TEST.match(l)) for l in code)
            if '#| hide' in src: hidden += tests
            else: visible += tests
    p90 = statistics.quantiles(sizes, n=10, method='inclusive')[-1] if len(sizes) > 1 else sizes[0]
    return dict(cells=len(sizes), median=statistics.median(sizes), p90=p90, max=max(sizes),
                long=sum(len(l) > 100 for l in lines) / len(lines), visible=visible, hidden=hidden,
                words_per_line=words / len(lines))


def row(name: str, m: dict) -> str:
    return (f"| {name} | {m['cells']} | {m['median']:g} / {m['p90']:.0f} / {m['max']} "
            f"| {100 * m['long']:.1f} % | {m['visible']} / {m['hidden']} "
            f"| {m['words_per_line']:.1f} |")


def long_module_lines() -> list[str]:
    "`module:line` of every line over 100 characters in the package, nbdev's generated lines aside."
    found = []
    for py in sorted(PKG.glob('*.py')):
        if py.stem == '_modidx': continue
        text = py.read_text().splitlines()
        in_all = False
        for i, line in enumerate(text, 1):
            in_all = line.startswith('__all__') or (in_all and line.startswith(' '))
            # nbdev writes these: the docstring, `__all__` and the cell markers
            generated = i == 1 or in_all or line.startswith('# %%')
            if len(line) > 100 and not generated: found.append(f'{py.stem}:{i}')
    return found


def misses(per_notebook: dict, groups: dict) -> list[str]:
    "Every target missed: the largest cell and long lines per notebook, the 90th percentile per group."
    found = [f"{n}: a cell of {m['max']} lines (at most {TARGETS['max']})"
             for n, m in per_notebook.items() if m['max'] > TARGETS['max']]
    found += [f"{n}: {100 * m['long']:.1f} % of code lines over 100 characters"
              for n, m in per_notebook.items() if m['long'] > TARGETS['long']]
    lessons = groups['**stage lessons 09–14**']
    if lessons['p90'] > TARGETS['p90']:
        found.append(f"stage lessons: 90th percentile {lessons['p90']:g} lines per cell "
                     f"(at most {TARGETS['p90']})")
    modules = long_module_lines()
    if modules: found.append(f"{len(modules)} package lines over 100 characters: {modules[:5]} …")
    return found


def figures() -> tuple[dict, dict]:
    "({notebook: figures}, {group: figures}) over every notebook of nbs/."
    notebooks = sorted(NBS.glob('*.ipynb'))
    per_notebook = {nb.stem: measure([nb]) for nb in notebooks}
    stages = [nb for nb in notebooks if nb.stem == '09_distillation' or '10' <= nb.stem[:2] <= '14']
    groups = {'**stage lessons 09–14**': measure(stages), '**every notebook**': measure(notebooks)}
    return per_notebook, groups


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--check', action='store_true', help='exit 1 if a target is missed')
    a = p.parse_args(argv)
    per_notebook, groups = figures()
    print('| notebook | code cells | lines per cell: median / p90 / max | lines > 100 '
          '| tests visible / hidden | prose words per code line |')
    print('|---|---:|---:|---:|---:|---:|')
    for name, m in {**per_notebook, **groups}.items(): print(row(name, m))
    if not a.check: return 0
    found = misses(per_notebook, groups)
    for line in found: print('missed:', line)
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
