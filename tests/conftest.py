"Pytest hooks shared by the tests: say how many real-data tests (marked `real_data`) ran, and what the skipped ones wanted."

def pytest_configure(config):
    config.addinivalue_line("markers", "real_data: reads real reference files from the shared data folder (skips when absent)")

def pytest_terminal_summary(terminalreporter):
    "One line `real-data tests: N ran, M skipped`, then each skip's reason (it names the file that was wanted)."
    reps = [r for key in ('passed', 'failed', 'error', 'skipped') for r in terminalreporter.stats.get(key, [])
            if 'real_data' in getattr(r, 'keywords', {})]
    if not reps: return
    skipped = {r.nodeid: r for r in reps if r.skipped}
    ran = {r.nodeid for r in reps if r.when == 'call' and not r.skipped}
    terminalreporter.write_line(f"real-data tests: {len(ran)} ran, {len(skipped)} skipped")
    for nodeid, r in skipped.items():
        reason = r.longrepr[2] if isinstance(r.longrepr, tuple) else str(r.longrepr)
        terminalreporter.write_line(f"  {nodeid.split('::')[-1]}: {reason}")
