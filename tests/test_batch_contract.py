"One error contract for padded batches: the same bad batch gets the same `BatchError`, with the same message, from every public function that takes it."
import re
import pytest
import torch
from csum_nb.batch import BatchError, check_features, masked_mean
from csum_nb.requirements import representativeness, coverage, effective_clips, sparsity, diversity, summary_requirements
from csum_nb.distance import mean_distance, flat_windows, sequence_embedding, dist_n, WindowProjector
from csum_nb.loss import csum_loss_from_selection
from csum_nb.topk import TOPK_SELECTORS, relaxed_max, topk_temperature, topk_feature_error, successive_halving_topk

B, T, D, K = 2, 6, 3, 2
g = torch.Generator().manual_seed(0)
X = torch.randn(B, T, D, generator=g)                          # features
S = torch.randn(B, T, generator=g)                             # scores
M = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])       # a valid mask
P = torch.softmax(torch.randn(B, K, T, generator=g), -1)       # selection weights
SUMM = P @ X                                                   # summaries (B,K,D)
torch.manual_seed(0); H = WindowProjector(D, 4, n=1, hidden=8)

# (name, f(features, mask), what the caller calls the features and the mask, what the mask is matched to)
FEATURES = [
    ("check_features", lambda x, m: check_features(x, m), "x", "mask", "x"),
    ("masked_mean", lambda x, m: masked_mean(x, m), "x", "mask", "x"),
    ("representativeness", lambda x, m: representativeness(x, SUMM, m), "x", "mask", "x"),
    ("coverage", lambda x, m: coverage(x, SUMM, m), "x", "mask", "x"),
    ("diversity", lambda x, m: diversity(x, m), "summary", "summary_mask", "summary"),
    ("summary_requirements", lambda x, m: summary_requirements(x, P, m), "x", "mask", "x"),
    ("mean_distance", lambda x, m: mean_distance(SUMM, x, None, m), "y", "y_mask", "y"),
    ("dist_n", lambda x, m: dist_n(SUMM, x, H, y_mask=m), "y", "y_mask", "y"),
    ("flat_windows", lambda x, m: flat_windows(x, 1, m), "x", "mask", "x"),
    ("sequence_embedding", lambda x, m: sequence_embedding(x, m, H), "x", "mask", "x"),
    ("WindowProjector", lambda x, m: H(x, m), "x", "mask", "x"),
    ("csum_loss_from_selection", lambda x, m: csum_loss_from_selection(x, P, H, m), "x", "mask", "x"),
    *[(name, (lambda sel: lambda x, m: sel(x, S, K, m))(sel), "x", "mask", "x") for name, sel in TOPK_SELECTORS.items()],
    ("relaxed_max", lambda x, m: relaxed_max(x, S, 1., m), "x", "mask", "x"),
    ("topk_feature_error", lambda x, m: topk_feature_error(successive_halving_topk, x, S, K, m), "x", "mask", "x"),
]
SELECTIONS = [  # functions whose "features" are the selection weights P (B,k,T)
    ("effective_clips", lambda p, m: effective_clips(p, m), "P", "mask", "P"),
    ("sparsity", lambda p, m: sparsity(p, m), "P", "mask", "P"),
]
SCORES = [("topk_temperature", lambda s, m: topk_temperature(s, K, m), "s", "mask", "s")]
ALL = [(*c, X) for c in FEATURES] + [(*c, P) for c in SELECTIONS] + [(*c, S) for c in SCORES]
ids = lambda cases: [c[0] for c in cases]

def _error(f, *args) -> BatchError:
    with pytest.raises(BatchError) as e: f(*args)
    assert isinstance(e.value, ValueError) and not isinstance(e.value, TypeError)
    return e.value

@pytest.mark.parametrize("name,f,xname,mname,like,x", ALL, ids=ids(ALL))
def test_float_mask(name, f, xname, mname, like, x):
    "A float mask was a TypeError in some modules and a ValueError in others; now one BatchError and one message."
    assert str(_error(f, x, M.float())) == f"{mname} must be a bool tensor, got a float32 tensor of shape (2, 6) on cpu"

@pytest.mark.parametrize("name,f,xname,mname,like,x", ALL, ids=ids(ALL))
def test_mask_shape_and_device(name, f, xname, mname, like, x):
    assert str(_error(f, x, M[:, :5])) == f"{mname} must have shape (B,T)=(2, 6) to match {like}, got a bool tensor of shape (2, 5) on cpu"
    assert str(_error(f, x, M.to("meta"))) == f"{mname} must be on cpu like {like}, got a bool tensor of shape (2, 6) on meta"

@pytest.mark.parametrize("name,f,xname,mname,like,x", ALL, ids=ids(ALL))
def test_item_without_valid_clip(name, f, xname, mname, like, x):
    m = M.clone(); m[1] = False
    assert str(_error(f, x, m)) == f"{mname} has no valid clip in batch item(s) [1]"

@pytest.mark.parametrize("name,f,xname,mname,like,x", ALL, ids=ids(ALL))
def test_features_dtype_and_rank(name, f, xname, mname, like, x):
    dims = {3: "(B,k,T)" if xname == "P" else "(B,T,D)", 2: "(B,T)"}[x.ndim]
    assert str(_error(f, x.long(), M)) == f"{xname} must be a floating-point tensor, got an int64 tensor of shape {tuple(x.shape)} on cpu"
    assert str(_error(f, x[0], M)) == f"{xname} must be a {dims} tensor, got a float32 tensor of shape {tuple(x[0].shape)} on cpu"

CHECKED_VALUES = [c for c in ALL if c[0] not in TOPK_SELECTORS and c[0] not in ("relaxed_max", "topk_feature_error", "topk_temperature")]
@pytest.mark.parametrize("name,f,xname,mname,like,x", CHECKED_VALUES, ids=ids(CHECKED_VALUES))
def test_nonfinite_values(name, f, xname, mname, like, x):
    "NaN or infinity at a valid position is named with the batch item; under the mask it is ignored."
    bad = x.clone(); bad[(1, 2) if x.ndim == 2 else (1, 0, 2)] = float("nan")
    assert str(_error(f, bad, M)) == f"{xname} has NaN or infinite values at valid positions in batch item(s) [1]"
    pad = x.clone(); pad[(1, 5) if x.ndim == 2 else (1, 0, 5) if xname == "P" else (1, 5, 0)] = float("nan")
    f(pad, M)  # padding may hold anything

SELECTORS = [c for c in ALL if c[0] in TOPK_SELECTORS or c[0] in ("relaxed_max", "topk_feature_error")]
@pytest.mark.parametrize("name,f,xname,mname,like,x", SELECTORS, ids=ids(SELECTORS))
def test_nonfinite_scores(name, f, xname, mname, like, x):
    "The selectors check the scores they rank (not the features, which they read only where they select)."
    global S
    keep, S = S, S.clone(); S[0, 3] = float("inf")
    try: assert str(_error(f, x, M)) == "s has NaN or infinite values at valid positions in batch item(s) [0]"
    finally: S = keep

def test_message_forms():
    "Structure messages read `{arg} must ..., got {dtype, shape, device}`; value messages end with the batch items at fault."
    msgs = []
    for name, f, xname, mname, like, x in ALL:
        for bad_x, bad_m in [(x, M.float()), (x.long(), M), (x, M[:, :5])]:
            with pytest.raises(BatchError) as e: f(bad_x, bad_m)
            msgs.append(str(e.value))
    assert all(re.fullmatch(r"\w+ must .+, got an? \w+ tensor of shape \([\d, ]*\) on \w+", m) for m in msgs), msgs
