"The package's layering: no import cycle among its modules, imports inside functions included."
import ast
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
