"Smoke checks of the loaders on the real reference files; skipped with a message when they are absent."
import pytest
from csum_nb.core import skip_reason, shared_data_dir

def _need(*rel):
    why = skip_reason(*rel)
    if why: pytest.skip(why)
    return shared_data_dir().joinpath(*rel)

def test_tvsum_annotations():
    from csum_nb.data import load_tvsum_annotations
    ann = load_tvsum_annotations(_need("tvsum", "ydata-tvsum50-anno.tsv.gz"))
    assert len(ann) == 50
    assert all(a.scores.shape[0] == 20 for a in ann.values())
    assert sum(a.scores.shape[1] for a in ann.values()) == 352_353
    assert min(a.scores.min() for a in ann.values()) == 1 and max(a.scores.max() for a in ann.values()) == 5

def test_youtube_highlights_labels():
    from csum_nb.data import load_youtube_highlights
    hl = load_youtube_highlights(_need("youtube_highlights", "youtube_highlights_labels.tar.gz"))
    assert len(hl) == 6 and sum(len(v) for v in hl.values()) == 550

def test_msva_splits_are_true_five_fold():
    from csum_nb.data import load_splits, split_coverage
    sp = load_splits(_need("splits", "MSVA", "tvsum_random_non_overlap_splits.json"))
    cov = split_coverage(sp, [f"video_{i}" for i in range(1, 51)])
    assert cov["protocol"] == "true k-fold"
