"""Run notebooks top to bottom in a Jupyter kernel, as a reader's "Run All" does, without writing them back.

Unlike `nbdev-test`, this runs every cell, `#| slow` and `#| gpu` ones included, in a real IPython kernel
(the `python3` kernelspec of this environment) with the notebook's folder as working directory. Cells that
need CUDA must skip themselves; slow cells are held to `$CSUM_SLOW_BUDGET_S`. The executed copies go to
`--out` (a temporary folder by default). It also checks that no file under a notebook folder's `results/`
(the recorded results) was rewritten: only `CSUM_RECORD=1` may do that.

    python .ci/run_notebooks.py [--workers 2] [--timeout 900] [--out DIR] nbs/*.ipynb
"""
import argparse, os, re, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime
from pathlib import Path


def _seconds(cell) -> float:
    "Wall time of one executed cell from the timestamps the kernel client records."
    t = cell.get('metadata', {}).get('execution', {})
    try: a, b = (datetime.fromisoformat(t[k].replace('Z', '+00:00')) for k in ('iopub.execute_input', 'shell.execute_reply'))
    except (KeyError, ValueError): return 0.
    return (b - a).total_seconds()


def run_one(path:str, out_dir:str, timeout:int) -> dict:
    "Execute one notebook in a fresh `python3` kernel; a kernel that dies before it starts is started once more."
    res = _run_once(path, out_dir, timeout)
    if res["error"] and "before replying to kernel_info" in res["error"]:   # the kernel never ran a cell: start-up, not the notebook
        first = res["error"]; res = _run_once(path, out_dir, timeout); res["retried"] = first
    return res


def _run_once(path:str, out_dir:str, timeout:int) -> dict:
    "Execute one notebook in a fresh `python3` kernel; return its time, slowest cells and the error if any."
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name='python3', allow_errors=False,
                            resources={'metadata': {'path': str(path.parent)}})
    t0, error = time.perf_counter(), None
    log = open(Path(out_dir)/f"{path.stem}.kernel.log", 'w')   # the kernel process's own stderr (not cell output)
    try: client.execute(stderr=log)
    except (CellExecutionError, CellTimeoutError) as e:
        failed = next((i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and
                       any(o.get('output_type') == 'error' for o in c.get('outputs', []))), None)
        where = (f"cell {failed} (id {nb.cells[failed].get('id')}), which begins {nb.cells[failed].source.splitlines()[0]!r}"
                 if failed is not None else "a cell")
        error = where + "\n" + re.sub(r'\x1b\[[0-9;]*m', '', str(e))[-3000:]   # without the terminal colours
    except Exception as e:
        log.flush(); tail = Path(log.name).read_text()[-1500:]
        error = f"{type(e).__name__}: {e}" + (f"\nkernel stderr:\n{tail}" if tail.strip() else "")
    finally: log.close()
    seconds = time.perf_counter() - t0
    nbformat.write(nb, Path(out_dir)/path.name)
    cells = sorted(((_seconds(c), i) for i, c in enumerate(nb.cells) if c.cell_type == 'code'), reverse=True)[:3]
    return dict(name=path.name, seconds=seconds, slowest=cells, error=error)


def _results_state(paths) -> dict:
    "(inode, mtime, size) of every file under the `results/` folders beside the notebooks."
    state = {}
    for d in {Path(p).parent/'results' for p in paths}:
        for f in sorted(d.rglob('*')) if d.is_dir() else []:
            if f.is_file(): st = f.stat(); state[str(f)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return state


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='+', help='notebooks to run')
    ap.add_argument('--workers', type=int, default=2, help='notebooks run at the same time, each in its own kernel')
    ap.add_argument('--timeout', type=int, default=900, help='seconds one cell may take')
    ap.add_argument('--out', default=None, help='folder for the executed copies (default: a temporary folder)')
    a = ap.parse_args()
    os.environ.pop('MPLBACKEND', None)   # a reader's kernel draws inline, as ipykernel sets up when nothing else is asked for
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec('python3')
    print(f"kernel python3: {spec.argv[0]} (this interpreter: {sys.executable}); "
          f"CSUM_SLOW_BUDGET_S={os.environ.get('CSUM_SLOW_BUDGET_S', 'unset')}, CSUM_RECORD={os.environ.get('CSUM_RECORD', 'unset')}")
    out = a.out or tempfile.mkdtemp(prefix='csum_nb_run_')
    Path(out).mkdir(parents=True, exist_ok=True)
    # longest first, so that two workers finish together
    nbs = sorted(a.notebooks, key=lambda p: -Path(p).stat().st_size)
    before, t0, failed = _results_state(nbs), time.perf_counter(), []
    with ProcessPoolExecutor(a.workers) as ex:
        futs = [ex.submit(run_one, p, out, a.timeout) for p in nbs]
        for f in as_completed(futs):
            r = f.result()
            slow = ', '.join(f"cell {i} {s:.0f}s" for s, i in r['slowest'])
            print(f"{r['name']:>28}: {r['seconds']:6.1f}s  {'FAILED' if r['error'] else 'ok':6}  (slowest: {slow})", flush=True)
            if r.get('retried'): print(f"{'':>28}  (its first kernel died before starting; started again: {r['retried'].splitlines()[0]})", flush=True)
            if r['error']: failed.append(r)
    print(f"ran {len(nbs)} notebooks in {time.perf_counter() - t0:.0f}s with {a.workers} workers; executed copies in {out}")
    for r in failed: print(f"\nFAIL: {r['name']} stopped at {r['error']}")
    after = _results_state(nbs)
    rewritten = sorted(p for p in before if after.get(p) != before[p]) + sorted(set(after) - set(before))
    if rewritten and os.environ.get('CSUM_RECORD') != '1':
        print("\nFAIL: running the notebooks rewrote recorded results (only CSUM_RECORD=1 may):\n  " + "\n  ".join(rewritten))
    if failed or (rewritten and os.environ.get('CSUM_RECORD') != '1'): sys.exit(1)


if __name__ == '__main__': main()
