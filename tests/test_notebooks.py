"What a reader's Jupyter needs from the notebook files: a kernelspec, GPU cells that skip themselves, results written through `results_path`."
import copy, json, re
from pathlib import Path
import pytest
from nbdev.clean import clean_nb

NBS_DIR = Path(__file__).resolve().parents[1]/"nbs"
NBS = sorted(NBS_DIR.glob("*.ipynb"))
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
KERNELSPEC = {"display_name": "python3", "language": "python", "name": "python3"}  # the form nbdev-clean keeps

def _code_cells(path:Path) -> list:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]

def test_found_the_notebooks(): assert len(NBS) >= 12, NBS

@pytest.mark.parametrize("path", NBS, ids=lambda p: p.name)
def test_kernelspec_kept_by_clean(path):
    "Jupyter opens every notebook with the standard Python 3 kernel without asking, before and after nbdev-clean."
    nb = json.loads(path.read_text())
    assert nb["metadata"].get("kernelspec") == KERNELSPEC, f"{path.name}: kernelspec {nb['metadata'].get('kernelspec')}"
    clean = copy.deepcopy(nb); clean_nb(clean)
    assert clean["metadata"] == {"kernelspec": KERNELSPEC}
    saved = copy.deepcopy(nb)   # as JupyterLab saves it: its own display name, plus language_info
    saved["metadata"] = {"kernelspec": {**KERNELSPEC, "display_name": "Python 3 (ipykernel)"}, "language_info": {"name": "python"}}
    clean_nb(saved)
    assert saved["metadata"] == {"kernelspec": KERNELSPEC}

@pytest.mark.parametrize("path", NBS, ids=lambda p: p.name)
def test_gpu_cells_skip_themselves(path):
    "Jupyter runs `#| gpu` cells too: each puts its work under `if cuda_ready(...)`, so Run All goes on without CUDA."
    for src in _code_cells(path):
        if re.match(r"(#\|[^\n]*\n)*#\|\s*gpu\b", src):
            assert re.search(r"^if cuda_ready\(", src, re.M), f"{path.name}: a #| gpu cell without `if cuda_ready():`\n{src[:300]}"

@pytest.mark.parametrize("path", [p for p in NBS if p.name != "00_core.ipynb"], ids=lambda p: p.name)  # 00_core defines it
def test_results_go_through_results_path(path):
    "No cell names the recorded-results folder itself: writes go through `results_path`, so only CSUM_RECORD=1 rewrites records."
    for src in _code_cells(path):
        assert not re.search(r"""['"]results['"/]""", src), f"{path.name}: a cell names the results folder directly\n{src[:300]}"

def _module_of(path:Path) -> str|None:
    "The module a notebook exports into (`#| default_exp`), e.g. 'data'; '__init__' for the index notebook."
    for src in _code_cells(path):
        m = re.search(r"^#\|\s*default_exp\s+(\S+)", src, re.M)
        if m: return m.group(1)
    return None

# the one deliberate exception to the reading order: the top-k derivation forms successive halving's summary with the
# fused operator of the notebook right after it (engineering kept out of the derivation; the derivation checks it against P @ x)
FORWARD_REFERENCES = {("12_topk.ipynb", "topk_fused")}

def test_reading_order():
    "Each notebook uses only modules of the notebooks before it (the index notebook, which defines the package root, counts as first)."
    order = [p for p in NBS if p.name == "index.ipynb"] + [p for p in NBS if p.name != "index.ipynb"]
    pos = {_module_of(p): i for i, p in enumerate(order) if _module_of(p)}
    late = []
    for i, p in enumerate(order):
        if p.name == "index.ipynb": continue   # the landing page shows the whole package at work
        for src in _code_cells(p):
            for mod in re.findall(r"(?:from|import)\s+csum_nb\.(\w+)", src):
                if mod in pos and pos[mod] > i and (p.name, mod) not in FORWARD_REFERENCES: late.append(f"{p.name} uses csum_nb.{mod} ({order[pos[mod]].name})")
    assert not late, "a notebook uses a module that comes later in the reading order:\n" + "\n".join(sorted(set(late)))

def _markdown_cells(path:Path) -> list:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"]

def _images(md:str) -> list:
    "(description, target) of the markdown images of `md`, leaving out code (fenced blocks and `inline` spans)."
    return IMAGE.findall(re.sub(r"`[^`\n]*`", "", "\n".join(_outside_fences(md))))

def _outside_fences(md:str) -> list:
    "The lines of a markdown text that are not inside a fenced code block."
    out, fence = [], False
    for ln in md.split("\n"):
        if ln.strip().startswith("```"): fence = not fence; continue
        if not fence: out.append(ln)
    return out

@pytest.mark.parametrize("path", NBS, ids=lambda p: p.name)
def test_headings_in_their_own_cells(path):
    "A heading is a markdown cell of its own (nbdev's title cell, `# Title` + `> summary`, excepted), so the outline reads as a list."
    for i, md in enumerate(_markdown_cells(path)[1:], 1):
        lines = [l for l in _outside_fences(md) if l.strip()]
        if any(re.match(r"#{1,6} ", l) for l in lines):
            assert len(lines) == 1, f"{path.name}: markdown cell {i} mixes a heading with text:\n{md[:300]}"


@pytest.mark.parametrize("path", NBS, ids=lambda p: p.name)
def test_image_links_point_to_files(path):
    "Every markdown image of a notebook names a file that exists (relative to the notebooks' folder), with a description."
    for md in _markdown_cells(path):
        for alt, target in _images(md):
            assert (NBS_DIR/target).is_file(), f"{path.name}: image {target} does not exist"
            assert len(alt.split()) >= 3, f"{path.name}: image {target} needs a description of what it shows, got {alt!r}"

def _figure_calls(src:str) -> tuple[list, list]:
    "(calls that make a figure, names given to `save_figure`) at the top level of a code cell (function bodies are left out)."
    import ast
    tree = ast.parse("\n".join(l for l in src.split("\n") if not l.lstrip().startswith(("%", "!"))))
    made, saved = [], []
    def visit(node):
        for ch in ast.iter_child_nodes(node):
            if isinstance(ch, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)): continue
            if isinstance(ch, ast.Call):
                f = ch.func; name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else None
                if (owner == "plt" and name in ("subplots", "figure", "subplot_mosaic")) or (name.startswith("plot_") and owner != "ax"): made.append(name)
                if name == "save_figure":
                    arg = ch.args[1] if len(ch.args) > 1 else next((k.value for k in ch.keywords if k.arg == "name"), None)
                    saved.append(arg.value if isinstance(arg, ast.Constant) else None)
            visit(ch)
    visit(tree)
    return made, saved

@pytest.mark.parametrize("path", [p for p in NBS if p.name != "00_core.ipynb"], ids=lambda p: p.name)   # 00_core defines save_figure
def test_figures_are_saved_and_shown(path):
    "A cell that draws a figure saves it with `save_figure(fig, 'NN_name')`, and the notebook's markdown shows `results/NN_name.png`."
    shown = {t for md in _markdown_cells(path) for _, t in _images(md)}
    prefix = path.name.split("_")[0] + "_"
    for src in _code_cells(path):
        if re.match(r"#\|\s*exports?\b", src): continue   # library code returns its figures; the notebook cell that calls it saves them
        made, saved = _figure_calls(src)
        if made: assert saved, f"{path.name}: a cell draws a figure ({made[0]}) without save_figure:\n{src[:300]}"
        for name in saved:
            assert isinstance(name, str), f"{path.name}: save_figure needs a literal name, so that this test can find its picture:\n{src[:300]}"
            assert name.startswith(prefix), f"{path.name}: figure {name} must be named after its notebook ({prefix}...)"
            assert f"results/{name}.png" in shown, f"{path.name}: figure {name} is saved but no markdown shows results/{name}.png"

def test_every_recorded_figure_is_shown():
    "Each PNG in nbs/results is shown by some notebook (no orphan pictures left behind by a rename)."
    shown = {t for p in NBS for md in _markdown_cells(p) for _, t in _images(md)}
    orphans = [f.name for f in sorted((NBS_DIR/"results").glob("*.png")) if f"results/{f.name}" not in shown]
    assert not orphans, f"recorded figures no notebook shows: {orphans}"
