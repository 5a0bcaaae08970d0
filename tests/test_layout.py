"The package's layering: no import cycle among its modules, imports inside functions included."
import ast, json, re
from pathlib import Path

PKG = Path(__file__).parent.parent/'mulki_nb'

def import_graph() -> dict[str, set[str]]:
    "Module → the package modules it imports anywhere in its source (top level or inside a function)."
    mods = {p.stem for p in PKG.glob('*.py') if p.stem not in ('_modidx', '__init__')}
    graph = {}
    for m in mods:
        deps = set()
        for n in ast.walk(ast.parse((PKG/f'{m}.py').read_text())):
            if isinstance(n, ast.ImportFrom) and n.module and (n.level or n.module.startswith('mulki_nb')):
                deps |= {n.module.split('.')[-1]} & mods
            if isinstance(n, ast.ImportFrom) and (n.module == 'mulki_nb' or (n.level and not n.module)):
                deps |= {a.name for a in n.names} & mods
            if isinstance(n, ast.Import):
                deps |= {a.name.split('.')[-1] for a in n.names if a.name.startswith('mulki_nb.')} & mods
        graph[m] = deps - {m}
    return graph

def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    "One cycle of `graph` as a path that returns to its start, or None."
    state, path = {}, []
    def visit(u):
        state[u] = 'open'
        path.append(u)
        for v in sorted(graph[u]):
            if state.get(v) == 'open': return path[path.index(v):] + [v]
            if v not in state and (c := visit(v)): return c
        state[u] = 'done'
        path.pop()
    for u in sorted(graph):
        if u not in state and (c := visit(u)): return c

def test_the_finder_finds_a_cycle():
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': {'b'}, 'b': set()}) is None

def test_no_import_cycle_in_the_package():
    graph = import_graph()
    assert {'core', 'training', 'mulki', 'cli'} <= set(graph)
    assert find_cycle(graph) is None, ' → '.join(find_cycle(graph))

NBS = Path(__file__).parent.parent/'nbs'

def exported_by() -> dict[str, str]:
    "Module name → the notebook that exports it (its `#| default_exp`)."
    found = {}
    for nb in sorted(NBS.glob('*.ipynb')):
        for cell in json.loads(nb.read_text())['cells']:
            m = re.match(r'#\|\s*default_exp\s+(\S+)', ''.join(cell['source']))
            if m: found[m.group(1)] = nb.stem
    return found

def imported_modules(nb: Path) -> set[str]:
    "The package modules a notebook's code cells import."
    code = '\n'.join(''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code')
    return set(re.findall(r'^\s*(?:from|import)\s+mulki_nb\.(\w+)', code, re.M))

def test_stage_lessons_lean_only_on_earlier_chapters():
    "A stage lesson (09–13) imports nothing that a later notebook exports: each lesson stands on what came before."
    home = exported_by()
    assert home['mulki'] == '14_mulki' and home['core'] == '00_core'
    lessons = [nb for nb in sorted(NBS.glob('*.ipynb')) if '09' <= nb.stem[:2] <= '13']
    assert len(lessons) >= 5
    for nb in lessons:
        later = sorted(m for m in imported_modules(nb) if home[m] > nb.stem)
        assert not later, f'{nb.stem} imports {later}, exported by later notebooks {[home[m] for m in later]}'

def test_lessons_meet_the_cell_and_line_targets():
    "Cells of at most 40 lines, 90 % of a stage lesson's at most 12, lines ≤ 100 characters (lesson_metrics)."
    import sys
    sys.path.insert(0, str(Path(__file__).parent.parent/'tools'))
    import lesson_metrics as lm
    missed = lm.misses(*lm.figures())
    assert not missed, '\n'.join(missed)
