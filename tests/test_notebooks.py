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
