"""How the lessons read, in numbers: lines per code cell (median, 90th percentile, largest), the share of code lines
over 100 characters, visible and hidden tests, and prose words per code line, per notebook and over the stage lessons.

    python tools/lesson_metrics.py            # every notebook, then the stage lessons 09–14 together

Lines are non-blank and leave out `#|` directives, as the style guide measures its anchors."""
import json, re, statistics, sys
from pathlib import Path

NBS = Path(__file__).parent.parent/'nbs'
TEST = re.compile(r'^\s*(test_\w+\(|assert\b)')


def cells(nb: Path) -> list[dict]:
    return json.loads(nb.read_text())['cells']


def measure(notebooks: list[Path]) -> dict:
    "The figures over the code and prose cells of `notebooks`."
    sizes, lines, visible, hidden, words = [], [], 0, 0, 0
    for nb in notebooks:
        for c in cells(nb):
            src = ''.join(c['source'])
            if c['cell_type'] == 'markdown':
                words += len(src.split())
                continue
            code = [l for l in src.splitlines() if l.strip() and not l.lstrip().startswith('#|')]
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
    return (f"| {name} | {m['cells']} | {m['median']:g} / {m['p90']:.0f} / {m['max']} | {100 * m['long']:.1f} % "
            f"| {m['visible']} / {m['hidden']} | {m['words_per_line']:.1f} |")


def main():
    notebooks = sorted(NBS.glob('*.ipynb'))
    print('| notebook | code cells | lines per cell: median / p90 / max | lines > 100 | tests visible / hidden '
          '| prose words per code line |')
    print('|---|---:|---:|---:|---:|---:|')
    for nb in notebooks: print(row(nb.stem, measure([nb])))
    stages = [nb for nb in notebooks if '09' <= nb.stem[:2] <= '14']
    print(row('**stage lessons 09–14**', measure(stages)))


if __name__ == '__main__':
    sys.exit(main())
