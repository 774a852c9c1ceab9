"Smoke checks of the loaders on the real reference files; skipped, naming the file wanted, when they are absent."
from pathlib import Path
import pytest
from csum_nb.core import skip_reason, shared_data_dir

# The data are found from this checkout (`$CSUM_SHARED_DATA`, else `shared/data` beside it or above it),
# not from wherever the package happens to be installed.
REPO = Path(__file__).resolve().parents[1]

def _need(rel:str) -> Path:
    "The reference file `rel` (a path inside the shared data folder); skips the test, naming it, when absent."
    why = skip_reason(*rel.split("/"), root=REPO)
    if why: pytest.skip(why)
    return shared_data_dir(REPO)/rel

@pytest.mark.real_data
def test_tvsum_annotations():
    from csum_nb.datasets import load_tvsum_annotations
    ann = load_tvsum_annotations(_need("tvsum/ydata-tvsum50-anno.tsv.gz"))
    assert len(ann) == 50
    assert all(a.scores.shape[0] == 20 for a in ann.values())
    assert sum(a.scores.shape[1] for a in ann.values()) == 352_353
    assert min(a.scores.min() for a in ann.values()) == 1 and max(a.scores.max() for a in ann.values()) == 5

@pytest.mark.real_data
def test_youtube_highlights_labels():
    from csum_nb.datasets import load_youtube_highlights
    hl = load_youtube_highlights(_need("youtube_highlights/youtube_highlights_labels.tar.gz"))
    assert len(hl) == 6 and sum(len(v) for v in hl.values()) == 550

@pytest.mark.real_data
def test_youtube_highlights_baselines_sit_at_chance():
    "The real test videos, scored by uniform and by seeded random scores: the same chance AP by UMT's rule; the labels themselves get 1."
    import numpy as np
    from csum_nb.datasets import load_youtube_highlights
    from csum_nb.metrics import highlight_domain_map, random_scores, uniform_scores, video_rng
    hl = load_youtube_highlights(_need("youtube_highlights/youtube_highlights_labels.tar.gz"))
    tests = {d: [h for h in vs.values() if h.split == "test"] for d, vs in hl.items()}
    labels = {d: [h.labels for h in hs] for d, hs in tests.items()}
    uni = highlight_domain_map({d: [uniform_scores(h.n_clips) for h in hs] for d, hs in tests.items()}, labels)["mean"]
    rnd = np.mean([highlight_domain_map({d: [random_scores(h.n_clips, video_rng(i, h.vid)) for h in hs] for d, hs in tests.items()}, labels)["mean"] for i in range(10)])
    assert 0.3 < uni < 0.6 and abs(uni - rnd) < 0.02, (uni, rnd)
    assert highlight_domain_map({d: [(y > 0).astype(float) for y in ys] for d, ys in labels.items()}, labels)["mean"] == 1.0

@pytest.mark.real_data
def test_msva_splits_are_true_five_fold():
    from csum_nb.splits import load_splits, split_coverage
    sp = load_splits(_need("splits/MSVA/tvsum_random_non_overlap_splits.json"))
    cov = split_coverage(sp, [f"video_{i}" for i in range(1, 51)])
    assert cov["protocol"] == "true k-fold"

def test_data_found_beside_the_checkout(tmp_path, monkeypatch):
    "`../shared/data` beside a clone is found from the clone's root; `$CSUM_SHARED_DATA` wins over it."
    (tmp_path/"shared"/"data"/"tvsum").mkdir(parents=True); (tmp_path/"clone").mkdir(); (tmp_path/"other").mkdir()
    monkeypatch.delenv("CSUM_SHARED_DATA", raising=False)
    assert shared_data_dir(tmp_path/"clone") == tmp_path/"shared"/"data"
    why = skip_reason("tvsum", "ydata-tvsum50-anno.tsv.gz", root=tmp_path/"clone")
    assert "tvsum/ydata-tvsum50-anno.tsv.gz" in why and str(tmp_path/"shared"/"data") in why
    monkeypatch.setenv("CSUM_SHARED_DATA", str(tmp_path/"other"))
    assert shared_data_dir(REPO) == tmp_path/"other"
    assert "tvsum/ydata-tvsum50-anno.tsv.gz" in skip_reason("tvsum", "ydata-tvsum50-anno.tsv.gz", root=REPO)
