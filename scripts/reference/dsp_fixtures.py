#!/usr/bin/env python3
"""Reference numbers for Dystrack's DSP building blocks (packages/core/src/analysis/dsp).

The TypeScript ports of scipy.signal.welch, butter(output='sos'), sosfilt/sosfiltfilt, detrend,
numpy.interp, numpy.gradient, numpy.fft.rfft and the descriptive statistics of stats.ts are tested
against the JSON files this script writes to packages/core/src/analysis/dsp/fixtures/. The tests
only read those committed files: Python is never a test dependency.

Regenerate (from the repository root; needs numpy and scipy, e.g. Debian's python3-numpy/-scipy):

    /usr/bin/python3 scripts/reference/dsp_fixtures.py

The inputs are deterministic (numpy.random.default_rng with fixed seeds), so re-running with the
same numpy/scipy versions gives identical files; each file records the versions it was made with.
At the end the script runs the repository's prettier on the files (`npx --no-install prettier
--write`, so `npm run format:check` stays green); without Node it says so and leaves them compact.
Keep the fixtures small: each signal is a few hundred to ~1300 samples (all files ~0.5 MB).
"""

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import scipy.signal as sig
from scipy.stats import rankdata

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "packages" / "core" / "src" / "analysis" / "dsp" / "fixtures"

META = {
    "generator": "scripts/reference/dsp_fixtures.py",
    "python": sys.version.split()[0],
    "numpy": np.__version__,
    "scipy": scipy.__version__,
}


def arr(a):
    """Float list for JSON (repr round-trips float64 exactly)."""
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def test_signal(seed, n, fs, f0=5.0, amp=1.0, noise=0.3, trend=0.2, offset=0.5):
    """Sine at f0 Hz + white noise + linear trend (units per second) + offset."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / fs
    phase = rng.uniform(0, 2 * np.pi)
    return amp * np.sin(2 * np.pi * f0 * t + phase) + noise * rng.standard_normal(n) + trend * t + offset


WRITTEN = []


def write(name, payload):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps({"meta": META, **payload}, separators=(",", ":")) + "\n")
    WRITTEN.append(path)


def format_with_prettier():
    try:
        subprocess.run(["npx", "--no-install", "prettier", "--write", *map(str, WRITTEN)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as err:
        print(f"prettier did not run ({err}); run `npx prettier --write {OUT.relative_to(ROOT)}`")
    for path in WRITTEN:
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


def welch_cases():
    # (name, seed, n, fs, f0, welch kwargs)
    specs = [
        ("fs60_n154_density", 1, 600, 60.0, 5.0, dict(nperseg=154)),
        ("fs60_n154_spectrum", 1, 600, 60.0, 5.0, dict(nperseg=154, scaling="spectrum")),
        ("fs240_n614_linear", 2, 1301, 240.0, 8.0, dict(nperseg=614, detrend="linear")),
        ("fs100_default_odd_len", 3, 257, 100.0, 6.0, dict()),
        ("fs100_short_default", 4, 200, 100.0, 6.0, dict()),
        ("fs100_n128_ov100_nodetrend", 5, 500, 100.0, 10.0, dict(nperseg=128, noverlap=100, detrend=False)),
        ("fs200_n153_ov50_linear_spectrum", 6, 451, 200.0, 9.0,
         dict(nperseg=153, noverlap=50, detrend="linear", scaling="spectrum")),
        ("fs50_n100_nfft256", 7, 400, 50.0, 4.0, dict(nperseg=100, nfft=256)),
        ("fs100_n256_ov0", 8, 777, 100.0, 3.0, dict(nperseg=256, noverlap=0)),
    ]
    cases = []
    for name, seed, n, fs, f0, kw in specs:
        x = test_signal(seed, n, fs, f0=f0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nperseg > len(x): scipy warns and uses len(x)
            f, p = sig.welch(x, fs=fs, **kw)
        opts = {k: v for k, v in kw.items()}
        cases.append({"name": name, "fs": fs, "options": opts, "x": arr(x), "f": arr(f), "psd": arr(p)})
    write("welch", {"cases": cases})


BUTTER_FS = [60.0, 100.0, 200.0, 240.0]


def butter_designs():
    designs = []
    for fs in BUTTER_FS:
        for order in (2, 3, 4):
            designs.append((order, 10.0, fs, "lowpass"))
            designs.append((order, 0.5, fs, "highpass"))
            designs.append((order, [2.0, 20.0], fs, "bandpass"))
            designs.append((order, [2.0, 0.45 * fs], fs, "bandpass"))
        designs.append((4, 5.0, fs, "highpass"))
        designs.append((3, [0.5, 0.45 * fs], fs, "bandpass"))  # wide band, odd order: real poles
        designs.append((1, 3.0, fs, "lowpass"))
        designs.append((5, [4.0, 12.0], fs, "bandpass"))
    return designs


def butter_cases():
    cases = []
    for order, wn, fs, btype in butter_designs():
        sos = sig.butter(order, wn, btype=btype, fs=fs, output="sos")
        cases.append({"order": order, "cutoff": wn, "fs": fs, "type": btype, "sos": sos.tolist()})
    write("butter", {"cases": cases})


def filtfilt_cases():
    specs = [
        # (name, seed, n, fs, f0, order, cutoff, btype)
        ("lp2_fs100", 11, 300, 100.0, 4.0, 2, 10.0, "lowpass"),
        ("lp3_fs60_odd", 12, 251, 60.0, 6.0, 3, 10.0, "lowpass"),
        ("bp4_fs100", 13, 400, 100.0, 6.0, 4, [2.0, 20.0], "bandpass"),
        ("bp4_fs60_045", 14, 333, 60.0, 7.0, 4, [2.0, 27.0], "bandpass"),
        ("hp2_fs240", 15, 480, 240.0, 9.0, 2, 0.5, "highpass"),
        ("lp2_fs200_minimal_len", 16, 10, 200.0, 5.0, 2, 10.0, "lowpass"),  # padlen 9: n = padlen + 1
        ("bp4_fs100_minimal_len", 17, 28, 100.0, 5.0, 4, [2.0, 20.0], "bandpass"),  # padlen 27
    ]
    cases = []
    for name, seed, n, fs, f0, order, wn, btype in specs:
        x = test_signal(seed, n, fs, f0=f0)
        sos = sig.butter(order, wn, btype=btype, fs=fs, output="sos")
        y = sig.sosfiltfilt(sos, x)
        fwd = sig.sosfilt(sos, x)
        zi = sig.sosfilt_zi(sos)
        ntaps = 2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum())
        cases.append({
            "name": name, "fs": fs, "order": order, "cutoff": wn, "type": btype, "sos": sos.tolist(),
            "padlen": int(3 * ntaps), "x": arr(x), "sosfilt": arr(fwd), "zi": arr(zi), "y": arr(y),
        })
    write("sosfiltfilt", {"cases": cases})


def detrend_cases():
    cases = []
    for seed, n in [(21, 1), (22, 2), (23, 101), (24, 256), (25, 333)]:
        x = test_signal(seed, n, 100.0, trend=3.0, offset=7.0)
        cases.append({
            "x": arr(x),
            "constant": arr(sig.detrend(x, type="constant")),
            "linear": arr(sig.detrend(x, type="linear")),
        })
    write("detrend", {"cases": cases})


def resample_cases():
    cases = []
    for seed, n, native_fs, fs, with_gap in [(31, 200, 60.0, 100.0, False), (32, 301, 240.0, 200.0, True),
                                             (33, 150, 90.0, 100.0, True), (34, 97, 100.0, 100.0, False)]:
        rng = np.random.default_rng(seed)
        dt = 1000.0 / native_fs
        steps = dt * (1 + 0.25 * rng.uniform(-1, 1, n - 1))
        if with_gap:
            steps[n // 2] += 37.0
        t = 1234.567 + np.concatenate(([0.0], np.cumsum(steps)))
        v = test_signal(seed, n, native_fs, f0=3.0)
        count = int(np.floor((t[-1] - t[0]) * fs / 1000.0 + 1e-9)) + 1
        grid = t[0] + (np.arange(count) * 1000.0) / fs
        cases.append({"fs": fs, "tMs": arr(t), "values": arr(v), "t0Ms": float(t[0]),
                      "gridMs": arr(grid), "resampled": arr(np.interp(grid, t, v))})
    # exact hits: integer-ms stamps on the grid
    t = np.array([0.0, 10.0, 20.0, 25.0, 40.0, 50.0])
    v = np.array([1.0, 3.0, -2.0, 4.0, 0.5, 2.0])
    count = int(np.floor((t[-1] - t[0]) * 100.0 / 1000.0 + 1e-9)) + 1
    grid = t[0] + (np.arange(count) * 1000.0) / 100.0
    cases.append({"fs": 100.0, "tMs": arr(t), "values": arr(v), "t0Ms": 0.0, "gridMs": arr(grid),
                  "resampled": arr(np.interp(grid, t, v))})
    write("resample", {"cases": cases})


def gradient_cases():
    cases = []
    for seed, n, dt in [(41, 2, 0.01), (42, 3, 0.005), (43, 200, 0.01), (44, 251, 1 / 240)]:
        x = test_signal(seed, n, 1 / dt)
        cases.append({"dtS": dt, "x": arr(x), "gradient": arr(np.gradient(x, dt))})
    write("gradient", {"cases": cases})


def auc_rank(pos, neg):
    """AUC by the rank (Mann-Whitney) formula with mid-ranks for ties."""
    ranks = rankdata(np.concatenate((pos, neg)))
    n1, n2 = len(pos), len(neg)
    return (ranks[:n1].sum() - n1 * (n1 + 1) / 2) / (n1 * n2)


def stats_cases():
    probs = [0.0, 0.05, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 1.0]
    cases = []
    for seed, n, rounded in [(51, 1, False), (52, 2, False), (53, 7, False), (54, 100, False), (55, 301, True)]:
        rng = np.random.default_rng(seed)
        x = 120 + 35 * rng.standard_normal(n) + 20 * rng.exponential(1.0, n)
        if rounded:
            x = np.round(x)
        med = np.median(x)
        case = {
            "x": arr(x),
            "mean": float(np.mean(x)),
            "median": float(med),
            "probs": probs,
            "quantiles": arr(np.quantile(x, probs, method="linear")),
            "iqr": float(np.quantile(x, 0.75) - np.quantile(x, 0.25)),
            "mad": float(np.median(np.abs(x - med))),
        }
        if n >= 2:
            case["variance"] = float(np.var(x, ddof=1))
            case["sd"] = float(np.std(x, ddof=1))
            case["cvPct"] = float(np.std(x, ddof=1) / np.mean(x) * 100)
            xs = np.arange(n) * 0.5 + 3
            slope, intercept = np.polyfit(xs, x, 1)
            case["lineFit"] = {"x": arr(xs), "slope": float(slope), "intercept": float(intercept)}
            m = np.mean(x)
            case["autocovariance"] = [float(np.sum((x[: n - k] - m) * (x[k:] - m)) / n) for k in range(min(n, 4))]
        cases.append(case)
    auc_cases = []
    for seed, n1, n2, shift, rounded in [(61, 40, 55, 0.6, False), (62, 30, 30, 0.0, True), (63, 5, 8, -1.0, True),
                                         (64, 120, 90, 0.3, True)]:
        rng = np.random.default_rng(seed)
        pos = rng.standard_normal(n1) + shift
        neg = rng.standard_normal(n2)
        if rounded:
            pos, neg = np.round(pos * 2) / 2, np.round(neg * 2) / 2  # many ties
        auc_cases.append({"positive": arr(pos), "negative": arr(neg), "auc": float(auc_rank(pos, neg))})
    write("stats", {"cases": cases, "auc": auc_cases})


def rfft_cases():
    cases = []
    for seed, n in [(71, 1), (72, 2), (73, 3), (74, 5), (75, 16), (76, 97), (77, 154), (78, 256), (79, 614)]:
        x = np.random.default_rng(seed).standard_normal(n)
        X = np.fft.rfft(x)
        cases.append({"x": arr(x), "re": arr(X.real), "im": arr(X.imag)})
    write("rfft", {"cases": cases})


if __name__ == "__main__":
    welch_cases()
    butter_cases()
    filtfilt_cases()
    detrend_cases()
    resample_cases()
    gradient_cases()
    stats_cases()
    rfft_cases()
    format_with_prettier()
