"What a reader's Jupyter needs from the notebook files: a kernelspec, GPU cells that skip themselves, results written through `results_path`."
import copy, json, re
from pathlib import Path
import pytest
from nbdev.clean import clean_nb

NBS = sorted((Path(__file__).resolve().parents[1]/"nbs").glob("*.ipynb"))
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
