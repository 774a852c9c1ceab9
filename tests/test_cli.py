"End-to-end checks of the installed `csum` command, run as a user would run it (a subprocess)."
import hashlib, json, os, re, shlex, shutil, subprocess, sys, time
from pathlib import Path
import h5py, numpy as np, pytest

CSUM = shutil.which("csum") or str(Path(sys.executable).parent/"csum")

def csum(*args, check=True):
    r = subprocess.run([CSUM, *map(str, args)], capture_output=True, text=True, timeout=600,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})
    if check and r.returncode != 0: raise AssertionError(f"csum {args} -> {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r

def sha256(p): return hashlib.sha256(Path(p).read_bytes()).hexdigest()

def test_help_lists_commands():
    r = csum("--help")
    assert "data" in r.stdout and "eval" in r.stdout

@pytest.fixture(scope="module")
def tvsum(tmp_path_factory):
    p = tmp_path_factory.mktemp("synth")/"tvsum.h5"
    csum("data", "synth", "tvsum", "-o", p, "--seed", "0")
    return p

def test_synth_is_deterministic_and_seed_dependent(tvsum, tmp_path):
    csum("data", "synth", "tvsum", "-o", tmp_path/"again.h5", "--seed", "0")
    csum("data", "synth", "tvsum", "-o", tmp_path/"other.h5", "--seed", "1")
    assert sha256(tvsum) == sha256(tmp_path/"again.h5")
    assert sha256(tvsum) != sha256(tmp_path/"other.h5")

def test_info_json_describes_tvsum_like_set(tvsum):
    info = json.loads(csum("data", "info", tvsum, "--json").stdout)
    assert len(info["videos"]) == 50
    assert {v["n_users"] for v in info["videos"]} == {20}
    assert all(v["n_steps"] == -(-v["n_frames"] // 15) for v in info["videos"])

def test_info_on_a_public_schema_file(tmp_path):
    "A file written with plain h5py the way the public eccv16 files are (float scalars, bytes name) reads back."
    rng = np.random.default_rng(0)
    with h5py.File(tmp_path/"pub.h5", "w") as f:
        for i, n_frames in enumerate([301, 452], 1):
            g = f.create_group(f"video_{i}"); picks = np.arange(0, n_frames, 15)
            g["features"] = rng.random((len(picks), 1024)).astype(np.float32)
            g["picks"] = picks; g["n_steps"] = float(len(picks)); g["n_frames"] = float(n_frames)
            cps = np.array([[0, 99], [100, 199], [200, n_frames - 1]])
            g["change_points"] = cps.astype(np.float64); g["n_frame_per_seg"] = cps[:, 1] - cps[:, 0] + 1
            us = np.zeros((3, n_frames), np.float32); us[:, 100:140] = 1; g["user_summary"] = us
            g["gtscore"] = rng.random(len(picks)).astype(np.float32); g["gtsummary"] = (g["gtscore"][()] > .5).astype(np.float32)
            g["video_name"] = np.bytes_(f"clip {i}")
    info = json.loads(csum("data", "info", tmp_path/"pub.h5", "--json").stdout)
    assert [v["n_frames"] for v in info["videos"]] == [301, 452]
    assert [v["n_segs"] for v in info["videos"]] == [3, 3]

def test_bad_file_fails_with_a_precise_message(tvsum, tmp_path):
    bad = tmp_path/"bad.h5"; shutil.copy(tvsum, bad)
    with h5py.File(bad, "r+") as f:
        cp = f["video_4/change_points"][()]; cp[1, 0] -= 5; f["video_4/change_points"][...] = cp
    r = csum("data", "info", bad, check=False)
    assert r.returncode == 2
    assert "bad.h5" in r.stderr and "video_4" in r.stderr and "change_points" in r.stderr

def test_eval_beats_random_with_annotator_means(tvsum, tmp_path):
    from csum_nb.data import load_h5
    from csum_nb.metrics import save_scores
    with load_h5(tvsum) as ds: save_scores(tmp_path/"gt.h5", {k: ds[k].gtscore for k in ds})
    res = json.loads(csum("eval", "--data", tvsum, "--scores", tmp_path/"gt.h5", "--json").stdout)
    assert res["summary"]["f1"] > res["baselines"]["random"]["f1"]
    assert res["summary"]["tau"] > 0.1
    assert list(res["baselines"]) == ["random", "uniform", "human", "feature_norm", "novelty"]
    assert list(res["references"]) == ["latent_importance"]   # the synthetic file stores its hidden importance

def test_highlights_synth_is_deterministic_and_reads_back(tmp_path):
    from csum_nb.datasets import load_youtube_highlights
    from csum_nb.synthetic import tree_sha256
    for name in ("a", "b"): csum("data", "synth", "highlights", "-o", tmp_path/name, "--seed", 0)   # seed dependence: 07_synthetic
    assert tree_sha256(tmp_path/"a") == tree_sha256(tmp_path/"b")
    hl = load_youtube_highlights(tmp_path/"a")
    assert len(hl) == 6 and all(len(v) > 0 for v in hl.values())

def test_verify_exit_codes(tvsum, tmp_path):
    assert "schema  ok" in csum("data", "verify", tvsum).stdout
    bad = tmp_path/"bad.h5"; shutil.copy(tvsum, bad)
    with h5py.File(bad, "r+") as f: f["video_9/features"][0, 0] = np.nan
    r = csum("data", "verify", bad, check=False)
    assert r.returncode == 2 and "bad.h5: video_9/features: NaN or inf at clip 0" in r.stdout
    assert r.stderr.startswith("csum: error: bad.h5: video_9/features: NaN or inf at clip 0")
    (tmp_path/"text.h5").write_text("not HDF5\n")
    r = csum("data", "verify", tmp_path/"text.h5", check=False)
    assert r.returncode == 2 and "None" not in r.stdout + r.stderr and "text.h5: not a readable HDF5 file" in r.stderr

def test_download_offline_fails_fast(tmp_path):
    t0 = time.monotonic()
    r = csum("data", "download", "summe", "-o", tmp_path, "--url", "http://127.0.0.1:9/x.h5", "--timeout", "3", check=False)
    assert time.monotonic() - t0 < 30 and r.returncode == 2
    assert "cannot download summe" in r.stderr and "eccv16_dataset_summe_google_pool5.h5" in r.stderr
    assert list(tmp_path.iterdir()) == []

def test_readme_quick_start(tmp_path):
    "The README's quick start is exactly two commands: install + run on the embedded data, and the test suite."
    readme = (Path(__file__).parents[1]/"README.md").read_text()
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", readme, re.S).group(1)
    cmds = [l.strip() for l in block.splitlines() if l.strip() and not l.strip().startswith("#")]
    assert len(cmds) == 2 and cmds[1] == "bash .ci/run", cmds
    parts = [c.strip() for c in cmds[0].split("&&")]
    assert "pip install torch==2.13.0" in parts and 'pip install -e ".[dev]"' in parts
    assert parts.index("pip install torch==2.13.0") < parts.index('pip install -e ".[dev]"'), "CPU torch must come first"
    runs = [p for p in parts if p.startswith("csum ")]   # the package's own commands (the install is what this test runs under)
    assert runs, f"command 1 runs nothing of the package: {cmds[0]}"
    for part in runs:   # run as written, in a fresh folder
        r = subprocess.run([CSUM, *shlex.split(part)[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                           env={**os.environ, "OMP_NUM_THREADS": "1"})
        assert r.returncode == 0 and r.stdout.strip(), (part, r.stdout, r.stderr)


# --- the command at the edges, run as installed (the cli notebook checks each edge in-process, with main) ---

def error_line(r) -> str:
    "The one stderr line of a failed command: exit 2, `csum: error: …`, no traceback, no Python repr, no bare errno."
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert lines[-1].startswith("csum: error: ") and not any(x in r.stderr for x in ("Traceback", "['", "[Errno", '"')), r.stderr
    return lines[-1]

@pytest.fixture(scope="module")
def summe(tmp_path_factory):
    "A synthetic SumMe-like file (25 videos), its annotators' mean scores in natural and in reversed key order."
    from csum_nb.data import load_h5
    from csum_nb.metrics import save_scores
    d = tmp_path_factory.mktemp("summe"); p = d/"summe.h5"
    csum("data", "synth", "summe", "-o", p, "--seed", "0")
    with load_h5(p) as ds: gt = {k: ds[k].gtscore for k in ds}
    save_scores(d/"gt.npz", gt); save_scores(d/"reversed.npz", {k: gt[k] for k in reversed(list(gt))})
    return p, d, gt

def eval_json(*args):
    res = json.loads(csum("eval", *args, "--json").stdout); res.pop("seconds"); return res

def test_random_baseline_does_not_depend_on_key_order(summe):
    p, d, _ = summe
    a, b = (eval_json("--data", p, "--scores", d/f, "--n-draws", "3") for f in ("gt.npz", "reversed.npz"))
    assert a["baselines"]["random"] == b["baselines"]["random"] and a == b

@pytest.fixture(scope="module")
def highlights(tmp_path_factory):
    "A synthetic highlights folder, as `csum data synth highlights` writes it."
    p = tmp_path_factory.mktemp("hl")/"hl"
    csum("data", "synth", "highlights", "-o", p)
    return p

def test_summary_json_footer_and_highlights_hint(summe, highlights, tmp_path):
    from csum_nb.data import load_h5
    from csum_nb.metrics import save_scores
    p, d, _ = summe
    assert "videos" not in eval_json("--data", p, "--scores", d/"gt.npz", "--summary", "--n-draws", "1")
    out = csum("eval", "--data", p, "--scores", d/"gt.npz", "--summary", "--no-baselines").stdout
    assert all(x not in out for x in ("human =", "random =", "feature_norm ="))
    with load_h5(highlights/"features.h5") as ds: save_scores(tmp_path/"hl.npz", {k: np.linspace(0, 1, len(ds[k].picks)) for k in ds})
    line = error_line(csum("eval", "--data", highlights/"features.h5", "--scores", tmp_path/"hl.npz", check=False))
    assert "/user_summary: 1 user" in line and "--no-baselines" in line
    csum("eval", "--data", highlights/"features.h5", "--scores", tmp_path/"hl.npz", "--no-baselines")

def test_a_text_file_named_h5_is_one_line(summe, tmp_path):
    p, _, _ = summe
    (tmp_path/"scores.h5").write_text("video_1 0.1 0.2\n")
    assert "scores.h5: not a readable HDF5 file" in error_line(csum("eval", "--data", p, "--scores", tmp_path/"scores.h5", check=False))
    assert "scores.h5: not a readable HDF5 file" in error_line(csum("data", "info", tmp_path/"scores.h5", check=False))

def test_synth_outputs_match_their_names(tmp_path):
    (tmp_path/"mine").mkdir(); (tmp_path/"mine"/"keep.txt").write_text("x")
    cases = {(".",): "is a folder; name the file to write", (str(tmp_path),): "is a folder",
             (str(tmp_path/"out.npz"),): "is written as .h5; name it so (e.g. -o " + str(tmp_path/"out.h5"),
             ("highlights", str(tmp_path/"highlights.h5")): "synthetic highlights are a folder",
             ("highlights", str(tmp_path/"mine")): "refusing to replace it"}
    for args, says in cases.items():
        kind, out = (args if len(args) == 2 else ("summe", args[0]))
        r = subprocess.run([CSUM, "data", "synth", kind, "-o", out], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert says in error_line(r), (args, r.stderr)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["mine"] and (tmp_path/"mine"/"keep.txt").read_text() == "x"

def test_info_understands_a_highlights_folder(highlights):
    out = csum("data", "info", highlights).stdout
    assert "YouTube Highlights labels, 6 domains" in out and "total" in out
    info = json.loads(csum("data", "info", highlights, "--json").stdout)
    assert info["totals"]["videos"] == 72 and len(info["domains"]) == 6

def test_help_imports_neither_torch_nor_h5py():
    probe = ("import sys, contextlib, io\nfrom csum_nb.cli import main\n"
             "for argv in (['--help'], ['eval', '--help'], ['data', '--help']):\n"
             "    with contextlib.redirect_stdout(io.StringIO()):\n        try: main(argv)\n        except SystemExit: pass\n"
             "print(sorted({'torch', 'h5py'} & set(sys.modules)))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stderr

@pytest.mark.parametrize("bug", ["ValueError('operands could not be broadcast')", "KeyError('picks')", "TypeError('bad operand')"])
def test_a_bug_keeps_its_traceback(bug):
    "An exception that is not bad input (not a CsumError, not an OSError) is not dressed up as a user error."
    probe = (f"import sys, csum_nb.cli as cli\ndef buggy(args): raise {bug}\ncli.cmd_data_list = buggy\nsys.exit(cli.main(['data', 'list']))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "Traceback" in r.stderr and bug.split("(")[0] in r.stderr and "csum: error" not in r.stderr, r.stderr

@pytest.fixture(scope="module")
def scenes_video(tmp_path_factory):
    "A 12-second video of four coloured scenes with a tone each (written with PyAV)."
    from csum_nb.video import make_test_video
    return make_test_video(tmp_path_factory.mktemp("video")/"scenes.mp4", scenes=4, seconds=3.0)

def test_summarize_writes_the_four_outputs(scenes_video, tmp_path):
    r = csum("summarize", scenes_video, "-o", tmp_path/"out", "--encoder", "random", "--quiet")
    assert sorted(p.name for p in (tmp_path/"out").iterdir()) == ["keyframes.png", "scores.png", "summary.json", "summary.mp4"]
    s = json.loads((tmp_path/"out"/"summary.json").read_text())
    assert any(x["selected"] for x in s["shots"]) and "summary.mp4" in r.stdout

def test_features_build_an_unlabelled_dataset_that_data_info_reads(scenes_video, tmp_path):
    csum("features", scenes_video, "-o", tmp_path/"mine.h5", "--encoder", "random", "--quiet")
    info = json.loads(csum("data", "info", tmp_path/"mine.h5", "--json").stdout)
    assert len(info["videos"]) == 1 and info["videos"][0]["n_users"] == 0

def test_summarize_refuses_a_file_that_is_not_a_video(tmp_path):
    (tmp_path/"notes.mp4").write_text("not a video")
    r = csum("summarize", tmp_path/"notes.mp4", "-o", tmp_path/"out", "--encoder", "random", check=False)
    assert r.returncode == 2 and r.stderr.startswith("csum: error:") and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path/"out").exists()

def test_fit_then_summarize_with_the_model(scenes_video, tmp_path):
    "csum features -> csum fit -> csum summarize --checkpoint, as a practitioner chains them, and the usual mistakes."
    from csum_nb.video import make_test_video
    make_test_video(tmp_path/"second.mp4", scenes=3, seconds=3.0)
    csum("features", scenes_video, tmp_path/"second.mp4", "-o", tmp_path/"mine.h5", "--encoder", "random", "--quiet")
    r = csum("fit", tmp_path/"mine.h5", "-o", tmp_path/"model.pt", "--epochs", "2", "--quiet")
    assert (tmp_path/"model.pt").is_file() and "--checkpoint" in r.stdout
    csum("summarize", scenes_video, "-o", tmp_path/"out", "--encoder", "random", "--quiet", "--checkpoint", tmp_path/"model.pt")
    s = json.loads((tmp_path/"out"/"summary.json").read_text())
    assert s["checkpoint"] == str(tmp_path/"model.pt") and s["scores_from"].startswith("model model.pt: transformer, csum regime")
    for args, msg in [(("fit", tmp_path/"mine.h5", "-o", tmp_path/"model.pt", "--epochs", "2"), "holds a run already"),
                      (("fit", tmp_path/"mine.h5", "-o", tmp_path/"m2.pt", "--backbone", "resnet"), "resnet"),
                      (("fit", tmp_path/"nope.h5", "-o", tmp_path/"m3.pt"), "nope.h5"),
                      (("summarize", scenes_video, "-o", tmp_path/"o2", "--checkpoint", tmp_path/"missing.pt", "--encoder", "random"), "missing.pt: no such checkpoint"),
                      (("summarize", scenes_video, "-o", tmp_path/"o3", "--checkpoint", tmp_path/"model.pt"), "summarize with --encoder random")]:
        r = csum(*args, check=False)
        assert r.returncode == 2 and r.stderr.startswith("csum: error:") and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert not (tmp_path/"m2.pt").exists() and not (tmp_path/"m2.pt.run").exists() and not (tmp_path/"m3.pt.run").exists()

# --- csum train: a short cross-validation as a user runs it, and its refusals ---

@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    "A small TVSum-like file: 10 videos of 170 to 240 clips with 32-d features (a training epoch takes a fraction of a second)."
    from csum_nb.synthetic import write_synthetic, TVSumConfig
    return write_synthetic("tvsum", tmp_path_factory.mktemp("tiny")/"tiny.h5", seed=0,
                           cfg=TVSumConfig(feat_dim=32, videos_per_category=1, minutes=(1.4, 2.0)))

TINY_RUN = ("--backbone", "transformer", "--epochs", "2", "--batch-size", "3", "--n-folds", "2", "--folds", "0", "--quiet")

def test_train_writes_a_cross_validation_and_resumes_it(tiny, tmp_path):
    out = tmp_path/"run"
    r = csum("train", "--data", tiny, "--out", out, *TINY_RUN)
    assert "transformer (csum)" in r.stdout and "random" in r.stdout and "cv.md" in r.stdout
    assert {"cv.md", "cv.csv", "cv.json", "config.json", "fold_0"} <= {p.name for p in out.iterdir()}
    assert {"model.pt", "checkpoint.pt", "history.csv", "curves.png", "scores.h5", "eval.json"} <= {p.name for p in (out/"fold_0").iterdir()}
    cv = json.loads((out/"cv.json").read_text())
    assert [f["fold"] for f in cv["folds"]] == [0] and cv["folds"][0]["epoch"] == 2 and cv["folds"][0]["n_test"] == 5
    row = cv["summary"]["transformer (csum)"]
    assert all(np.isfinite(row[m]["mean"]) for m in ("f1", "tau", "rho"))
    # a finished run resumed is evaluated again from its saved model: the same numbers
    csum("train", "--data", tiny, "--out", out, *TINY_RUN, "--resume")
    assert json.loads((out/"cv.json").read_text())["summary"] == cv["summary"]
    # without --resume the folder is not overwritten
    before = sha256(out/"cv.json")
    line = error_line(csum("train", "--data", tiny, "--out", out, *TINY_RUN, check=False))
    assert "exists and is not empty" in line and sha256(out/"cv.json") == before

def test_train_refuses_bad_input_before_writing(tiny, tmp_path):
    nan = tmp_path/"nan.h5"; shutil.copy(tiny, nan)
    with h5py.File(nan, "r+") as f: f["video_4/features"][7, 3] = np.nan
    (tmp_path/"splits.json").write_text(json.dumps([{"train_keys": ["video_1", "video_2", "video_3"], "test_keys": ["video_12"]}]))
    out = tmp_path/"never"
    cases = {("--backbone", "resnet"): "config: backbone: unknown backbone 'resnet'; known: vslstm, dpplstm, vasnet, msva, transformer",
             ("--regime", "weak"): "config: regime: unknown regime 'weak'; known: csum, supervised",
             ("--splits", tmp_path/"splits.json"): "splits.json: split 0: test_keys: key 'video_12' is not a video of tiny (10 videos)",
             ("--data", nan): "nan.h5: video_4/features: NaN or inf at clip 7",
             ("--n", "300"): "clips, fewer than the window length n=300",
             ("--k-fraction", "1.5"): "config: k_fraction: must be a fraction in (0, 1]",
             ("--device", "gpu"): "config: device: 'gpu' is not a device name",
             ("--folds", "4"): "fold 4 does not exist: the splits have 2 folds"}
    for extra, says in cases.items():
        args = ["--data", tiny, "--out", out, *TINY_RUN]
        for i in range(0, len(extra), 2):   # a case's flag replaces the default run's value of that flag
            if extra[i] in args: args[args.index(extra[i]) + 1] = extra[i + 1]
            else: args += [extra[i], extra[i + 1]]
        line = error_line(csum("train", *args, check=False))
        assert says in line, (extra, line)
        assert not out.exists(), extra


def test_train_msva_with_two_feature_sources(tmp_path):
    "--sources: MSVA reads the motion-like second source of a synthetic file; a file without it, or a one-source backbone, is refused."
    from csum_nb.synthetic import write_synthetic, TVSumConfig
    mot = write_synthetic("tvsum", tmp_path/"motion.h5", seed=0, cfg=TVSumConfig(feat_dim=32, videos_per_category=1, minutes=(1.4, 2.0),
                                                                                extra_sources=("motion",), motion_dim=8))
    run = ["--backbone", "msva", "--sources", "features,features_motion", *TINY_RUN[2:], "--epochs", "1"]
    r = csum("train", "--data", mot, "--out", tmp_path/"two", *run)
    assert "msva (csum)" in r.stdout and json.loads((tmp_path/"two"/"config.json").read_text())["sources"] == ["features", "features_motion"]
    plain = tmp_path/"plain.h5"
    with h5py.File(shutil.copy(mot, plain), "r+") as f: del f["video_1/features_motion"]
    line = error_line(csum("train", "--data", plain, "--out", tmp_path/"never", *run, check=False))
    assert "plain.h5: video_1/features_motion: missing dataset" in line and not (tmp_path/"never").exists()
    run[1] = "vasnet"
    line = error_line(csum("train", "--data", mot, "--out", tmp_path/"never", *run, check=False))
    assert "config: sources: backbone 'vasnet' reads one feature source" in line and not (tmp_path/"never").exists()

# --- csum reproduce: the Table 1 analog on two tiny sets, and its refusals ---

@pytest.fixture(scope="module")
def tiny_summe(tmp_path_factory):
    "A small SumMe-like file: 8 videos of 170 to 240 clips with 32-d features."
    from csum_nb.synthetic import write_synthetic, SumMeConfig
    return write_synthetic("summe", tmp_path_factory.mktemp("tiny_summe")/"tiny_summe.h5", seed=0,
                           cfg=SumMeConfig(feat_dim=32, n_videos=8, minutes=(1.4, 2.0)))

TINY_REPRO = ("--backbones", "transformer", "--epochs", "1", "--folds", "0", "--n-folds", "2", "--max-videos", "6", "--device", "cpu", "--quiet")

def test_reproduce_writes_the_table_and_the_runs(tiny, tiny_summe, tmp_path):
    out = tmp_path/"t1"
    r = csum("reproduce", "--data", tiny, tiny_summe, "--out", out, *TINY_REPRO)
    assert "| transformer (csum) |" in r.stdout and "| transformer (supervised) |" in r.stdout and "paper, real data: TVSum F1 % / τ / ρ" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == ["runs", "table1.csv", "table1.json", "table1.md", "table1.png"]
    t = json.loads((out/"table1.json").read_text())
    assert t["datasets"] == ["tvsum", "summe"] and t["measurements"] == {"tvsum": 1, "summe": 1}
    rows = {x["row"]: x for x in t["rows"]}
    assert {"random", "uniform", "human", "feature_norm", "novelty", "reference: latent_importance"} <= set(rows)
    assert rows["transformer (csum)"]["paper"] is None and rows["transformer (csum)"]["cells"]["summe"]["f1"]["n"] == 1
    assert sorted(p.name for p in (out/"runs"/"tvsum").iterdir()) == ["transformer-csum", "transformer-supervised"]
    assert (out/"runs"/"summe"/"transformer-csum"/"seed_0"/"fold_0"/"history.csv").is_file()
    line = error_line(csum("reproduce", "--data", tiny, tiny_summe, "--out", out, *TINY_REPRO, check=False))
    assert "exists and is not empty; resume the reproduction in it (--resume)" in line

def test_reproduce_refuses_bad_input_before_writing(tiny, tiny_summe, tmp_path):
    nan = tmp_path/"nan_summe.h5"; shutil.copy(tiny_summe, nan)
    with h5py.File(nan, "r+") as f: f["video_2/features"][3, 1] = np.nan
    out = tmp_path/"never"
    cases = {("--backbones", "transformer", "resnet"): "config: backbone: unknown backbone 'resnet'",
             ("--regimes", "csum", "weak"): "config: regime: unknown regime 'weak'",
             ("--data", tiny, tiny): "a second TVSum-like dataset after tiny.h5",
             ("--data", tiny, nan): "nan_summe.h5: video_2/features: NaN or inf at clip 3"}
    for extra, says in cases.items():
        args = ["--data", tiny, tiny_summe, "--out", out, *TINY_REPRO]
        flag = extra[0]
        if flag in args:   # the case's flag and values replace the default run's
            i = args.index(flag); j = i + 1
            while j < len(args) and not str(args[j]).startswith("--"): j += 1
            args[i:j] = extra
        else: args += list(extra)
        line = error_line(csum("reproduce", *args, check=False))
        assert says in line, (extra, line)
        assert not out.exists(), extra

def test_ctrl_c_is_one_line():
    "Ctrl-C (KeyboardInterrupt) ends the command with one line and exit status 130, not a traceback."
    probe = ("import sys, csum_nb.cli as cli\ndef stopped(args): raise KeyboardInterrupt\ncli.cmd_data_list = stopped\nsys.exit(cli.main(['data', 'list']))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert r.returncode == 130 and "Traceback" not in r.stderr and r.stderr.startswith("csum: interrupted"), r.stderr

def test_a_device_that_is_not_there_is_one_line(scenes_video, tmp_path):
    for args in (("summarize", scenes_video, "-o", tmp_path/"o", "--encoder", "random", "--device", "banana"),
                 ("features", scenes_video, "-o", tmp_path/"f.h5", "--encoder", "random", "--device", "banana")):
        r = csum(*args, check=False)
        assert r.returncode == 2 and r.stderr.startswith("csum: error: device 'banana' is not a device name"), r.stderr
    assert not (tmp_path/"o").exists() and not (tmp_path/"f.h5").exists()


# --- csum highlights train|eval|predict and csum reproduce --table 2 (31_highlights_cli runs them at length) ---

TINY_UMT = {"backbone_kwargs": {"d_model": 16, "n_heads": 2, "d_ff": 32}, "proj_dim": 8, "proj_hidden": 16}   # a UMT small enough for tests

def test_highlights_train_eval_predict(highlights, tmp_path):
    cfg = tmp_path/"tiny.json"; cfg.write_text(json.dumps(TINY_UMT)); m = tmp_path/"dog_model"
    r = csum("highlights", "train", "--data", highlights, "--domain", "dog", "--regime", "unsupervised", "--audio", "--pretrain-epochs", 1,
             "--config", cfg, "--device", "cpu", "--out", m)
    assert "dog, unsupervised, audio: sigma" in r.stdout and sorted(p.name for p in m.iterdir()) == ["highlights.json", "model.pt", "runs"]
    info = json.loads((m/"highlights.json").read_text())
    ev = json.loads(csum("highlights", "eval", "--model", m, "--data", highlights, "--json").stdout)
    assert list(ev["domains"]) == ["dog"] and set(ev["mean"]) == {"model", "random", "uniform"}
    assert ev["domains"]["dog"]["test_videos"] == len(info["test_keys"]) and 0 <= ev["mean"]["model"]["ap"] <= 1
    pr = json.loads(csum("highlights", "predict", "--model", m, "--features", highlights/"features.h5", "--key=" + info["test_keys"][0]).stdout)
    hs = pr["videos"][info["test_keys"][0]]["highlights"]
    assert hs and all(h["start_frame"] < h["end_frame"] and h["end_s"] == h["end_frame"] / 30 for h in hs)

def _edit_labels(folder, domain, split, fn):
    "Apply `fn(clips, labels) -> (clips, labels)` to the label files of every `split` video of `domain`."
    lists = json.loads((folder/domain/"vlist.json").read_text())
    for ids, name in lists:
        if not name.lower().startswith(split[:4]): continue
        for vid in ids:
            ml = json.loads((folder/domain/vid/"match_label.json").read_text()); c, l = fn(ml[0], ml[1])
            (folder/domain/vid/"clip.json").write_text(json.dumps(c)); (folder/domain/vid/"match_label.json").write_text(json.dumps([c, l]))

def test_highlights_bad_input_is_one_line(highlights, tmp_path):
    "Each mistake in the data ends in one line and exit 2, before --out exists (31_highlights_cli and 90_cli test these and more in-process)."
    out = tmp_path/"never"
    bad = {name: tmp_path/name for name in ("no_positive", "short_labels", "no_clips", "mute")}
    for p in bad.values(): shutil.copytree(highlights, p)
    _edit_labels(bad["no_positive"], "dog", "test", lambda c, l: (c, [min(x, 0) for x in l]))
    _edit_labels(bad["short_labels"], "dog", "train", lambda c, l: (c, l[:-1]))
    _edit_labels(bad["no_clips"], "dog", "train", lambda c, l: ([], []))
    with h5py.File(bad["mute"]/"features.h5", "r+") as f:
        for k in f: del f[k]["audio"]
    cases = {("train", "--domain", "cats"): "no domain 'cats'",
             ("train", "--domain", "dog", "--data", bad["no_positive"]): "domain dog: none of its 6 test videos has a highlight clip",
             ("train", "--domain", "dog", "--data", bad["short_labels"]): "labels for",
             ("train", "--domain", "dog", "--data", bad["no_clips"]): "no clips (the video is shorter than one 2-s clip)",
             ("train", "--domain", "dog", "--data", bad["mute"], "--audio"): "audio was asked for (leave out --audio)"}
    for args, says in cases.items():
        r = csum("highlights", *args, "--out", out, check=False)
        line = error_line(r)
        assert says in line and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
        assert not out.exists(), args
