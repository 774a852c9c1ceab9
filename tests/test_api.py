"The public Python surface: what `import csum_nb` gives and costs, and the input contracts the docstrings state."
import importlib, subprocess, sys
import pytest

def test_import_is_light_and_entry_points_load_on_first_use():
    probe = ("import sys, csum_nb\nheavy = lambda: sorted({'torch', 'h5py', 'csum_nb.metrics'} & set(sys.modules))\n"
             "csum_nb.__version__, csum_nb.CsumError, dir(csum_nb); before = heavy(); csum_nb.evaluate; print(before, heavy())")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "[] ['csum_nb.metrics', 'h5py', 'torch']", r.stderr

def test_top_level_names():
    import csum_nb
    for name, mod in csum_nb._API.items(): assert getattr(csum_nb, name) is getattr(importlib.import_module(f"csum_nb.{mod}"), name), name
    assert {"evaluate", "load_h5", "csum_loss", "successive_halving_topk", "dist_n"} <= set(dir(csum_nb))
    assert not hasattr(csum_nb, "nosuch")
    from csum_nb.data import DataError, MissingVideoError
    from csum_nb.datasets import UnknownDatasetError, DownloadError
    for e in (DataError, MissingVideoError, UnknownDatasetError, DownloadError): assert issubclass(e, csum_nb.CsumError), e
    assert issubclass(DataError, ValueError) and issubclass(MissingVideoError, KeyError) and issubclass(DownloadError, ConnectionError)

def test_loss_expects_l2_normalised_embeddings():
    "csum_loss does not normalise: raw embeddings give a loss on another scale, which is why its docstring asks for unit vectors."
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F
    from csum_nb.loss import csum_loss
    from csum_nb.distance import sequence_embedding, dist_n
    g = torch.Generator().manual_seed(0)
    v, s = torch.randn(8, 64, generator=g), torch.randn(8, 64, generator=g)
    raw, unit = csum_loss(v, s).item(), csum_loss(F.normalize(v, dim=-1), F.normalize(s, dim=-1)).item()
    assert raw > 10 * unit, (raw, unit)
    e = sequence_embedding(torch.randn(3, 12, 16, generator=g), None, None, n=2)   # what csum_loss_from_selection feeds it
    assert torch.allclose(e.norm(dim=-1), torch.ones(3))
    assert "L2-normalised" in csum_loss.__doc__ and "a similarity" in dist_n.__doc__.splitlines()[0]
