#!/usr/bin/env python3
"""numpy/scipy reference pipeline for `npm run bench:analysis` (bench/analysis.mjs).

Reads the same contract input files as the TypeScript core (CSV files and Standard MIDI Files, as defined in
the analysis contract, ../shared/docs/analysis-contract.md beside the repository) and computes the contract's required metric IDs
(plus the precision task's project IDs) independently of the core, with numpy and scipy. Each file is parsed
and analysed in a warm loop inside this one process (warm-up runs, then timed runs; process start-up and
imports are not timed), and the median time is reported.

Usage:
  python3 bench/analysis_reference.py MANIFEST.json
    MANIFEST.json: {"runs": 21, "warmup": 3, "files": [{"task": "spiral", "path": "/tmp/.../x.csv"}, ...]}
    prints {"python", "numpy", "scipy", "results": [RESULT, ...]} on stdout
  python3 bench/analysis_reference.py --serve
    (what bench/analysis.mjs uses, so that each file is timed right after the JS side, under the same machine
    load): prints {"python", "numpy", "scipy"}, then answers each request line {"task", "path", "runs",
    "warmup"} on stdin with one RESULT line
  RESULT: {"task", "path", "ms": [timed runs], "median_ms", "metrics": {id: value or null}}
          or {"task", "path", "error": "..."}
Warm-up: at least `warmup` runs and 250 ms, as on the JS side.

Definitions follow the analysis contract and the measures.md sections it points to; where the contract leaves
a free parameter (resampling rate, Welch segment length, ...), the value the core documents in its metric
definitions (`dystrack metrics`) is used, so that the two sides compute the same quantity:
- typing (5.4): contract row rules (sort by down_ms, auto-repeat dropped, 0 < hold < 1000 ms kept); medians,
  IQR by linear interpolation (type 7 = numpy's default percentile).
- tapping (6.3): every row is a tap; ITI over all intervals; asynchrony pairs each tap with the nearest click
  within half the click interval on the tap's side.
- scale (2.3): one-way 15-note two-octave C-major runs matched at every index on any C, scanning on after a
  match from the run's last note (up-and-down runs share their top note).
- spiral (3.3, corrections 7-9): centre by least squares of r = a + b*theta (Nelder-Mead from the first pen-down
  point and from the centroid, the better kept); radial residual of the raw pen-down samples, resampled to
  100 Hz per pen-down segment (np.interp on the real time stamps); scipy.signal.welch (2-s Hann windows, 50 %
  overlap, linear detrend, density) averaged over all windows of all segments; 3-12 Hz peak refined by the
  parabola through log-PSD; P_band over |f - f_peak| <= 1 Hz; A_pp = 2*sqrt(2)*sqrt(P_band). SWVI on the
  monotonic theta grid (2 degree steps) of the positions resampled to 100 Hz and low-passed (2nd-order
  Butterworth, 10 Hz, sosfiltfilt) per segment, without the first and last 0.1 s of each segment.
- handwriting (4.3): resampled to 200 Hz (>= 133 Hz delivered) or the native rate, 2nd-order Butterworth 10 Hz
  forward-backward, np.gradient; strokes between zero crossings of vy with the 30 ms / 0.5 mm noise guard
  (the stroke with the least travel merged first); NIV = interior local maxima of speed per stroke.
- tremor (7.3, corrections 1, 9-11, 20): repeated stamps dropped (first kept); natural cubic spline onto a
  uniform grid at the delivered rate (rounded); 4th-order Butterworth band-pass 2 Hz - min(20, 0.45 fs),
  sosfiltfilt; Welch (nperseg = round(2.56 fs), Hann, 50 %) of each axis, summed; 3-12 Hz peak refined on
  log-PSD; P_band over |f - f_peak| <= 1 Hz; RMS, displacement, relative band power (1-20 Hz).
- precision (project IDs, no contract definition): deviation tip - target resampled to 100 Hz per segment;
  RMS, 95th percentile, time within 1 mm; tremor spectrum as the spiral of the x and y deviation, summed.
- pen row rules: t_ms non-decreasing; of a run of repeated stamps the last sample is kept (as the core's pen
  reader does); segments split at pen_down = 0 and at gaps > 50 ms.
"""
import io
import json
import math
import sys
import time
import csv

import numpy as np
import scipy
from scipy import interpolate, optimize, signal

GAP_MS = 50.0
PEN_FS = 100.0
PEN_NPERSEG = 200


def nan_to_none(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def js_round(x):
    """Math.round of JavaScript (halves up), not Python's banker's rounding."""
    return math.floor(x + 0.5)


# ---------------------------------------------------------------- CSV


def read_numeric_csv(data):
    """A contract CSV file whose cells are all numbers -> {column name: float64 array} (numpy's C parser)."""
    text = data.decode('utf-8-sig')
    newline = text.index('\n')
    header = [name.strip().strip('"') for name in text[:newline].strip('\r').split(',')]
    table = np.loadtxt(io.StringIO(text[newline + 1 :]), delimiter=',', ndmin=2, dtype=np.float64)
    return {name: table[:, i] for i, name in enumerate(header)}


def read_text_csv(data):
    """A contract CSV file with text cells -> {column name: list of str} (the csv module)."""
    rows = csv.reader(io.StringIO(data.decode('utf-8-sig')))
    header = [name.strip() for name in next(rows)]
    columns = [[] for _ in header]
    for row in rows:
        if not row:
            continue
        for i, cell in enumerate(row):
            columns[i].append(cell.strip())
    return dict(zip(header, columns))


# ---------------------------------------------------------------- typing


def typing(data):
    cols = read_text_csv(data)
    down = np.array(cols['down_ms'], dtype=np.float64)
    up = np.array(cols['up_ms'], dtype=np.float64)
    ident = cols.get('code') or cols.get('key')
    order = np.lexsort((up, down))  # by down_ms, ties by up_ms
    d = down[order].tolist()
    u = up[order].tolist()
    ids = [ident[i] for i in order.tolist()]
    last_up = {}
    kept_down, kept_up = [], []
    for di, ui, key in zip(d, u, ids):
        if key:
            previous = last_up.get(key)
            if previous is not None and di < previous:
                continue  # auto-repeat: pressed again before its previous release
            last_up[key] = ui
        hold = ui - di
        if 0 < hold < 1000:
            kept_down.append(di)
            kept_up.append(ui)
    kd = np.array(kept_down)
    ku = np.array(kept_up)
    hold = ku - kd
    iki = np.diff(kd)
    flight = kd[1:] - ku[:-1]
    q1, q3 = np.percentile(hold, [25, 75]) if hold.size >= 2 else (np.nan, np.nan)
    return {
        'keystroke_count': kd.size,
        'hold_time_median_ms': np.median(hold) if hold.size else np.nan,
        'hold_time_iqr_ms': q3 - q1,
        'iki_median_ms': np.median(iki) if iki.size else np.nan,
        'flight_time_median_ms': np.median(flight) if flight.size else np.nan,
    }


# ---------------------------------------------------------------- tapping


def tapping(data):
    cols = read_text_csv(data)
    down_all = np.array(cols['down_ms'], dtype=np.float64)
    up_all = np.array(cols['up_ms'], dtype=np.float64)
    if np.any(np.diff(down_all) < 0):
        raise ValueError('E_NONMONOTONIC_TIME')
    keep = np.ones(down_all.size, bool)
    keep[1:] = np.diff(down_all) != 0  # a repeated down_ms is dropped
    down = down_all[keep]
    up = up_all[keep]
    iti = np.diff(down)
    out = {
        'tap_count': down.size,
        'iti_mean_ms': iti.mean() if iti.size else np.nan,
        'iti_cv_pct': iti.std(ddof=1) / iti.mean() * 100 if iti.size >= 2 else np.nan,
        'dwell_median_ms': np.median(up - down),
        'asynchrony_sd_ms': np.nan,
    }
    if 'beat_ms' in cols:
        beats = np.unique(np.array([float(c) for c in cols['beat_ms'] if c != ''], dtype=np.float64))
        if beats.size >= 2:
            after = np.searchsorted(beats, down, 'left')  # first click at or after the tap
            before = after - 1
            a_idx = np.minimum(after, beats.size - 1)
            b_idx = np.maximum(before, 0)
            use_before = (after >= beats.size) | (
                (before >= 0) & (down - beats[b_idx] <= beats[a_idx] - down)
            )
            k = np.where(use_before, b_idx, a_idx)
            click = beats[k]
            a = down - click
            prev_interval = np.where(k > 0, click - beats[np.maximum(k - 1, 0)], np.nan)
            next_interval = np.where(k + 1 < beats.size, beats[np.minimum(k + 1, beats.size - 1)] - click, np.nan)
            interval = np.where(
                a < 0,
                np.where(k > 0, prev_interval, next_interval),
                np.where(k + 1 < beats.size, next_interval, prev_interval),
            )
            paired = a[np.abs(a) <= interval / 2]
            out['asynchrony_sd_ms'] = paired.std(ddof=1) if paired.size >= 2 else np.nan
    return out


# ---------------------------------------------------------------- scale (Standard MIDI File)


def _varlen(data, p):
    value = 0
    while True:
        byte = data[p]
        p += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, p


def read_midi_notes(data):
    """A minimal Standard MIDI File reader: note-ons with velocity > 0 as (ms, pitch, velocity), in the
    order of the merged tracks (absolute tick, then track, then file order). Running status, meta and
    system-exclusive events, Set Tempo (piecewise tick -> ms, 120 bpm before the first) and SMPTE time
    divisions are handled; a note-on with velocity 0 is a note-off (note-offs are not needed for the
    contract metrics, which use onsets and note-on velocities only)."""
    if data[:4] != b'MThd':
        raise ValueError('E_MIDI_MALFORMED: no MThd header')
    header_length = int.from_bytes(data[4:8], 'big')
    declared = int.from_bytes(data[10:12], 'big')
    division = int.from_bytes(data[12:14], 'big')
    pos = 8 + header_length
    notes = []  # (tick, track, index, pitch, velocity)
    tempos = []  # (tick, track, index, us per quarter)
    track = 0
    while track < declared:
        chunk = data[pos : pos + 4]
        length = int.from_bytes(data[pos + 4 : pos + 8], 'big')
        p = pos + 8
        end = p + length
        pos = end
        if end > len(data):
            raise ValueError('E_MIDI_MALFORMED: truncated chunk')
        if chunk != b'MTrk':
            continue
        tick = 0
        running = 0
        index = 0
        while p < end:
            delta, p = _varlen(data, p)
            tick += delta
            status = data[p]
            if status >= 0x80:
                p += 1
            else:
                status = running
            if status == 0xFF:
                meta = data[p]
                length_, p = _varlen(data, p + 1)
                if meta == 0x51 and length_ == 3:
                    tempos.append((tick, track, index, int.from_bytes(data[p : p + 3], 'big')))
                p += length_
            elif status == 0xF0 or status == 0xF7:
                length_, p = _varlen(data, p)
                p += length_
            else:
                running = status
                kind = status & 0xF0
                if kind == 0xC0 or kind == 0xD0:
                    p += 1
                else:
                    if kind == 0x90 and data[p + 1] > 0:
                        notes.append((tick, track, index, data[p], data[p + 1]))
                    p += 2
            index += 1
        track += 1
    notes.sort()
    ticks = np.array([n[0] for n in notes], dtype=np.float64)
    if division & 0x8000:
        fps = 256 - (division >> 8)
        ticks_per_second = (30000 / 1001 if fps == 29 else fps) * (division & 0xFF)
        ms = ticks * 1000 / ticks_per_second
    else:
        tempos.sort()
        seg_tick = [0.0]
        seg_ms = [0.0]
        seg_us = [500000.0]
        for tick, _, _, us in tempos:
            start_ms = seg_ms[-1] + (tick - seg_tick[-1]) * seg_us[-1] / (1000 * division)
            if tick == seg_tick[-1]:
                seg_ms[-1], seg_us[-1] = start_ms, us
            else:
                seg_tick.append(tick)
                seg_ms.append(start_ms)
                seg_us.append(us)
        seg_tick = np.array(seg_tick)
        k = np.searchsorted(seg_tick, ticks, 'right') - 1
        ms = np.array(seg_ms)[k] + (ticks - seg_tick[k]) * np.array(seg_us)[k] / (1000 * division)
    pitch = np.array([n[3] for n in notes], dtype=np.int64)
    velocity = np.array([n[4] for n in notes], dtype=np.float64)
    return ms, pitch, velocity


UP_STEPS = np.array([0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23, 24])
DOWN_STEPS = -(24 - UP_STEPS[::-1])
RUN = 15


def scale(data):
    onset, pitch, velocity = read_midi_notes(data)
    order = np.argsort(onset, kind='stable')
    onset, pitch, velocity = onset[order], pitch[order], velocity[order]
    n = pitch.size
    out = {'note_count': n}
    runs = []
    if n >= RUN:
        windows = np.lib.stride_tricks.sliding_window_view(pitch, RUN) - pitch[: n - RUN + 1, None]
        is_c = pitch[: n - RUN + 1] % 12 == 0
        candidate = is_c & (np.all(windows == UP_STEPS, axis=1) | np.all(windows == DOWN_STEPS, axis=1))
        i = 0
        for start in np.flatnonzero(candidate).tolist():
            if start >= i:
                runs.append(start)
                i = start + RUN - 1  # the next run may start on this run's last note
    if not runs:
        out.update(ioi_mean_ms=np.nan, ioi_sd_ms=np.nan, line_fit_residual_rms_ms=np.nan, velocity_sd=np.nan)
        return out
    idx = np.array(runs)[:, None] + np.arange(RUN)
    t = onset[idx]
    ioi = np.diff(t, axis=1)
    k = np.arange(RUN, dtype=np.float64)
    kc = k - k.mean()
    slope = (t - t.mean(axis=1, keepdims=True)) @ kc / (kc @ kc)
    fitted = t.mean(axis=1, keepdims=True) + slope[:, None] * kc
    residual = t - fitted
    out['ioi_mean_ms'] = ioi.mean()
    out['ioi_sd_ms'] = ioi.std(axis=1, ddof=1).mean()
    out['line_fit_residual_rms_ms'] = np.sqrt((residual**2).sum(axis=1) / RUN).mean()
    out['velocity_sd'] = velocity[idx].std(axis=1, ddof=1).mean()
    return out


# ---------------------------------------------------------------- pen tasks


def read_pen(data):
    cols = read_numeric_csv(data)
    t = cols['t_ms']
    dt = np.diff(t)
    if np.any(dt < 0):
        raise ValueError('E_NONMONOTONIC_TIME')
    keep = np.append(dt > 0, True)  # of repeated stamps, the last sample is kept
    pen = {name: values[keep] for name, values in cols.items()}
    pressure = pen.get('pressure')
    if pressure is not None and (np.any(pressure < 0) or np.any(pressure > 1)):
        raise ValueError('E_INPUT_VALUE: pressure outside 0-1')
    return pen


def pen_segments(pen):
    """Pen-down segments as (start, end) index pairs: split at pen_down = 0 and at gaps > 50 ms."""
    t = pen['t_ms']
    n = t.size
    down = np.ones(n, bool) if 'pen_down' not in pen else pen['pen_down'] == 1
    gap = np.zeros(n, bool)
    gap[1:] = np.diff(t) > GAP_MS
    prev_down = np.r_[False, down[:-1]]
    next_down = np.r_[down[1:], False]
    next_gap = np.r_[gap[1:], True]
    starts = np.flatnonzero(down & (~prev_down | gap))
    ends = np.flatnonzero(down & (~next_down | next_gap)) + 1
    return list(zip(starts.tolist(), ends.tolist()))


def speed_and_pressure(pen, segments):
    t, x, y = pen['t_ms'], pen['x_mm'], pen['y_mm']
    length = 0.0
    down_ms = 0.0
    count = 0
    pressure_sum = 0.0
    pressure = pen.get('pressure')
    for s, e in segments:
        length += np.hypot(np.diff(x[s:e]), np.diff(y[s:e])).sum()
        down_ms += t[e - 1] - t[s]
        count += e - s
        if pressure is not None:
            pressure_sum += pressure[s:e].sum()
    speed = length / (down_ms / 1000) if down_ms > 0 else np.nan
    mean_pressure = pressure_sum / count if pressure is not None and count else np.nan
    return speed, mean_pressure


def resample(t, values, fs):
    """Linear interpolation on the real time stamps onto t0 + k/fs up to the last stamp."""
    count = int(math.floor((t[-1] - t[0]) * fs / 1000 + 1e-9)) + 1
    grid = t[0] + np.arange(count) * (1000 / fs)
    return np.interp(grid, t, values)


def pooled_welch(pen, segments, channels):
    """Welch PSD (2-s Hann, 50 %, linear detrend, density) of every 100-Hz segment with a whole window,
    channels summed, averaged over all windows of all segments; None when no segment is 2 s long."""
    t = pen['t_ms']
    total = None
    windows = 0
    for s, e in segments:
        if e - s < 2:
            continue
        resampled = [resample(t[s:e], c[s:e], PEN_FS) for c in channels]
        n = resampled[0].size
        if n < PEN_NPERSEG:
            continue
        count = (n - PEN_NPERSEG // 2) // (PEN_NPERSEG // 2)
        f, psd = signal.welch(
            np.vstack(resampled), fs=PEN_FS, nperseg=PEN_NPERSEG, noverlap=PEN_NPERSEG // 2, detrend='linear'
        )
        contribution = psd.sum(axis=0) * count
        total = contribution if total is None else total + contribution
        windows += count
    if total is None:
        return None
    return f, total / windows


def parabolic_vertex(f, y, i):
    """Vertex of the parabola through (f, y) at bins i-1, i, i+1, kept within them; f[i] when not concave."""
    if i < 1 or i >= len(f) - 1:
        return f[i]
    x0, x1, x2 = f[i - 1], f[i], f[i + 1]
    s01 = (y[i] - y[i - 1]) / (x1 - x0)
    s12 = (y[i + 1] - y[i]) / (x2 - x1)
    a = (s12 - s01) / (x2 - x0)
    if not (a < 0) or not math.isfinite(a):
        return x1
    b = s01 + a * (x1 - x0)
    return min(max(x1 - b / (2 * a), x0), x2)


def pen_tremor_peak(f, psd):
    """3-12 Hz peak of a pen spectrum: (frequency, band power, relative band power) or None."""
    band = np.flatnonzero((f >= 3) & (f <= 12))
    if band.size == 0:
        return None
    i = band[np.argmax(psd[band])]
    if not psd[i] > 0:
        return None
    with np.errstate(divide='ignore'):
        log_psd = np.log(psd[i - 1 : i + 2]) if 1 <= i < f.size - 1 else None
    fp = parabolic_vertex(f[i - 1 : i + 2], log_psd, 1) if log_psd is not None else f[i]
    fp = min(12.0, max(3.0, fp))
    df = f[1] - f[0]
    p_band = psd[np.abs(f - fp) <= 1].sum() * df
    p_total = psd[(f >= 1) & (f <= 20)].sum() * df
    return fp, p_band, p_band / p_total if p_total > 0 else np.nan


def unwrapped_angles(x, y, cx, cy):
    return np.unwrap(np.arctan2(y - cy, x - cx))


def line_fit(theta, r):
    tc = theta - theta.mean()
    rc = r - r.mean()
    stt = tc @ tc
    s_tr = tc @ rc
    b = s_tr / stt if stt > 0 else 0.0
    a = r.mean() - b * theta.mean()
    return a, b, max(0.0, rc @ rc - b * s_tr)


def fit_spiral(x, y):
    extent = max(np.ptp(x), np.ptp(y))
    if not extent > 0 or x.size < 3:
        return None

    def cost(c):
        dx = x - c[0]
        dy = y - c[1]
        return line_fit(np.unwrap(np.arctan2(dy, dx)), np.hypot(dx, dy))[2]

    best = None
    step = 0.05 * extent
    for start in ((x[0], y[0]), (x.mean(), y.mean())):
        simplex = np.array([start, (start[0] + step, start[1]), (start[0], start[1] + step)])
        result = optimize.minimize(
            cost,
            np.array(start),
            method='Nelder-Mead',
            options={'initial_simplex': simplex, 'xatol': 1e-7 * extent, 'fatol': np.inf, 'maxiter': 500},
        )
        if best is None or result.fun < best.fun:
            best = result
    cx, cy = best.x
    raw = unwrapped_angles(x, y, cx, cy)
    sign = -1.0 if raw[-1] - raw[0] < 0 else 1.0
    theta = sign * (raw - raw[0])
    r = np.hypot(x - cx, y - cy)
    a, b, _ = line_fit(theta, r)
    return cx, cy, sign, a, b, theta, r


def lowpass_positions(pen, segments, fs):
    """Per pen-down segment: x and y resampled to fs and low-passed (2nd-order Butterworth 10 Hz,
    sosfiltfilt), or skipped when too short (fewer than 10 grid samples or not more than the pad length)."""
    t, x, y = pen['t_ms'], pen['x_mm'], pen['y_mm']
    sos = signal.butter(2, 10, 'lowpass', fs=fs, output='sos') if 10 < fs / 2 else None
    pieces = []
    for s, e in segments:
        if e - s < 2 or not t[e - 1] > t[s]:
            continue
        rx = resample(t[s:e], x[s:e], fs)
        ry = resample(t[s:e], y[s:e], fs)
        if rx.size < 10:
            continue
        if sos is not None:
            if rx.size <= 9:  # sosfiltfilt's default pad length for one section
                continue
            rx = signal.sosfiltfilt(sos, rx)
            ry = signal.sosfiltfilt(sos, ry)
        pieces.append((t[s], rx, ry))
    return pieces


def swvi(pieces, fit):
    if not pieces:
        return np.nan
    cx, cy, sign = fit[0], fit[1], fit[2]
    x = np.concatenate([p[1] for p in pieces])
    y = np.concatenate([p[2] for p in pieces])
    theta = sign * unwrapped_angles(x, y, cx, cy)
    r = np.hypot(x - cx, y - cy)
    running = np.maximum.accumulate(theta)
    keep = np.r_[True, theta[1:] > running[:-1]]  # theta above every earlier theta
    ft, fr = theta[keep], r[keep]
    if ft.size < 2:
        return np.nan
    step = 2 * math.pi / 180
    count = int(math.floor((ft[-1] - ft[0]) / step + 1e-9)) + 1
    if count < 3:
        return np.nan
    grid_r = np.interp(ft[0] + np.arange(count) * step, ft, fr)
    lag = js_round(2 * math.pi / step)
    if count - lag < 2:
        return np.nan
    w = grid_r[lag:] - grid_r[:-lag]
    m = w.mean()
    return w.std(ddof=1) / abs(m) if m != 0 else np.nan


def spiral(data):
    pen = read_pen(data)
    segments = pen_segments(pen)
    idx = np.concatenate([np.arange(s, e) for s, e in segments]) if segments else np.array([], int)
    if idx.size < 3:
        raise ValueError('E_TOO_FEW_EVENTS')
    speed, pressure = speed_and_pressure(pen, segments)
    out = {
        'mean_speed_mm_per_s': speed,
        'pressure_mean': pressure,
        'tremor_peak_frequency_hz': np.nan,
        'tremor_amplitude_pp_mm': np.nan,
        'spiral_width_variability': np.nan,
    }
    fit = fit_spiral(pen['x_mm'][idx], pen['y_mm'][idx])
    if fit is None:
        return out
    cx, cy, sign, a, b, theta, r = fit
    residual = np.zeros(pen['t_ms'].size)
    residual[idx] = r - (a + b * theta)
    spectrum = pooled_welch(pen, segments, [residual])
    if spectrum is not None:
        peak = pen_tremor_peak(*spectrum)
        if peak is None:
            out['tremor_amplitude_pp_mm'] = 0.0
        else:
            out['tremor_peak_frequency_hz'] = peak[0]
            out['tremor_amplitude_pp_mm'] = 2 * math.sqrt(2) * math.sqrt(peak[1])
    # the first and last 0.1 s of each low-passed segment are left out (filter transients), as the core
    # documents for its theta grid
    edge = js_round(0.1 * PEN_FS)
    pieces = [
        (t0, x[edge:-edge], y[edge:-edge])
        for t0, x, y in lowpass_positions(pen, segments, PEN_FS)
        if x.size - 2 * edge >= 4
    ]
    out['spiral_width_variability'] = swvi(pieces, fit)
    return out


def interior_maxima_bounds(v):
    """Local maxima of v, plateaus counted once: (first, last) index of each maximum's plateau."""
    d = np.diff(v)
    nz = np.flatnonzero(d)  # diffs that are not 0
    sgn = np.sign(d[nz])
    peak = np.flatnonzero((sgn[:-1] > 0) & (sgn[1:] < 0))
    first = nz[peak] + 1  # the sample the rise reaches
    last = nz[peak + 1]  # the sample the fall leaves
    return first, last


def handwriting(data):
    pen = read_pen(data)
    segments = pen_segments(pen)
    speed, pressure = speed_and_pressure(pen, segments)
    t = pen['t_ms']
    intervals = np.concatenate([np.diff(t[s:e]) for s, e in segments]) if segments else np.array([])
    intervals = intervals[intervals > 0]
    native = 1000 / np.median(intervals) if intervals.size else np.nan
    fs = 200.0 if native >= 133 else native
    up_durations, down_durations, niv = [], [], []
    if math.isfinite(fs):
        for t0, x, y in lowpass_positions(pen, segments, fs):
            dt = 1 / fs
            vx = np.gradient(x, dt)
            vy = np.gradient(y, dt)
            v = np.hypot(vx, vy)
            ts = (t0 + np.arange(x.size) * (1000 / fs)) / 1000
            nz = np.flatnonzero(vy != 0)
            change = np.flatnonzero(np.sign(vy[nz[1:]]) != np.sign(vy[nz[:-1]]))
            before = nz[change]
            after = nz[change + 1]
            frac = vy[before] / (vy[before] - vy[after])
            ct = ts[before] + frac * (ts[after] - ts[before])
            cy = y[before] + frac * (y[after] - y[before])
            while ct.size >= 2:  # noise guard: merge the spurious stroke with the least travel, repeat
                travel = np.abs(np.diff(cy))
                spurious = (np.diff(ct) * 1000 < 30) | (travel < 0.5)
                if not spurious.any():
                    break
                k = int(np.argmin(np.where(spurious, travel, np.inf)))
                keep = np.ones(ct.size, bool)
                keep[k : k + 2] = False
                before, after, ct, cy = before[keep], after[keep], ct[keep], cy[keep]
            if ct.size < 2:
                continue
            duration = np.diff(ct)
            is_up = vy[after[:-1]] < 0
            up_durations.append(duration[is_up])
            down_durations.append(duration[~is_up])
            start = after[:-1]
            end = before[1:] + 1
            first, last = interior_maxima_bounds(v)
            # a maximum counts inside samples [start, end) when its rise starts at or after `start`
            # and its fall ends before `end`
            lo = np.searchsorted(first, start + 1, 'left')
            hi = np.searchsorted(last, end - 2, 'right')
            niv.append(np.maximum(hi - lo, 0))
    up = np.concatenate(up_durations) if up_durations else np.array([])
    down = np.concatenate(down_durations) if down_durations else np.array([])
    strokes = np.concatenate(niv) if niv else np.array([])
    return {
        'stroke_frequency_hz': 1 / (up.mean() + down.mean()) if up.size and down.size else np.nan,
        'niv_per_stroke': strokes.mean() if strokes.size else np.nan,
        'mean_speed_mm_per_s': speed,
        'pressure_mean': pressure,
    }


def precision(data):
    pen = read_pen(data)
    segments = pen_segments(pen)
    speed, pressure = speed_and_pressure(pen, segments)
    has_target = 'target_x_mm' in pen and 'target_y_mm' in pen
    dx = pen['x_mm'] - pen['target_x_mm'] if has_target else pen['x_mm']
    dy = pen['y_mm'] - pen['target_y_mm'] if has_target else pen['y_mm']
    out = {
        'path_deviation_rms_mm': np.nan,
        'path_deviation_p95_mm': np.nan,
        'time_within_1mm_pct': np.nan,
        'tremor_peak_frequency_hz': np.nan,
        'tremor_amplitude_pp_mm': np.nan,
        'mean_speed_mm_per_s': speed,
        'pressure_mean': pressure,
    }
    t = pen['t_ms']
    if has_target:
        parts = [
            np.hypot(resample(t[s:e], dx[s:e], PEN_FS), resample(t[s:e], dy[s:e], PEN_FS))
            for s, e in segments
            if e - s >= 2
        ]
        if parts:
            distance = np.concatenate(parts)
            out['path_deviation_rms_mm'] = math.sqrt((distance**2).mean())
            out['path_deviation_p95_mm'] = np.percentile(distance, 95)
            out['time_within_1mm_pct'] = 100 * (distance <= 1).mean()
    spectrum = pooled_welch(pen, segments, [dx, dy])
    if spectrum is not None:
        peak = pen_tremor_peak(*spectrum)
        if peak is None:
            out['tremor_amplitude_pp_mm'] = 0.0
        else:
            out['tremor_peak_frequency_hz'] = peak[0]
            out['tremor_amplitude_pp_mm'] = 2 * math.sqrt(2) * math.sqrt(peak[1])
    return out


# ---------------------------------------------------------------- tremor


def tremor(data):
    cols = read_numeric_csv(data)
    t = cols['t_ms']
    if np.any(np.diff(t) < 0):
        raise ValueError('E_NONMONOTONIC_TIME')
    keep = np.r_[True, np.diff(t) != 0]  # of repeated stamps, the first sample is kept
    t = t[keep]
    axes = [cols[name][keep] for name in ('ax', 'ay', 'az')]
    delivered = 1000 / np.median(np.diff(t))
    fs = max(1, js_round(delivered))
    nperseg = js_round(2.56 * fs)
    count = int(math.floor((t[-1] - t[0]) * fs / 1000 + 1e-9)) + 1
    if count < nperseg:
        raise ValueError('E_TOO_FEW_EVENTS')
    xs = (t - t[0]) / 1000
    grid = np.arange(count) / fs
    uniform = interpolate.CubicSpline(xs, np.vstack(axes), axis=1, bc_type='natural')(grid)
    high = min(20.0, 0.45 * fs)
    sos = signal.butter(4, [2, high], 'bandpass', fs=fs, output='sos')
    filtered = signal.sosfiltfilt(sos, uniform, axis=1)
    f, psd = signal.welch(filtered, fs=fs, nperseg=nperseg, axis=1)
    psd = psd.sum(axis=0)
    band = np.flatnonzero((f >= 3) & (f <= min(12.0, high)))
    nan = {
        'tremor_peak_frequency_hz': np.nan,
        'tremor_rms_m_per_s2': np.nan,
        'tremor_displacement_rms_cm': np.nan,
        'relative_band_power': np.nan,
    }
    if band.size == 0:
        return nan
    i = band[np.argmax(psd[band])]
    fp = f[i]
    if 1 <= i < f.size - 1 and np.all(psd[i - 1 : i + 2] > 0):
        fp = min(max(parabolic_vertex(f[i - 1 : i + 2], np.log10(psd[i - 1 : i + 2]), 1), 3.0), min(12.0, high))
    df = f[1] - f[0]
    p_band = psd[(f >= fp - 1) & (f <= fp + 1)].sum() * df
    p_total = psd[(f >= 1) & (f <= 20)].sum() * df
    rms = math.sqrt(p_band)
    return {
        'tremor_peak_frequency_hz': fp,
        'tremor_rms_m_per_s2': rms,
        'tremor_displacement_rms_cm': 100 * rms / (2 * math.pi * fp) ** 2,
        'relative_band_power': p_band / p_total if p_total > 0 else np.nan,
    }


TASKS = {
    'typing': typing,
    'tapping': tapping,
    'scale': scale,
    'spiral': spiral,
    'handwriting': handwriting,
    'precision': precision,
    'tremor': tremor,
}


BATCH_MS = 5.0


class Prepared:
    """One file read, analysed once and warmed up (at least `warmup` runs and 250 ms), ready for timed
    samples: each of as many consecutive runs as take about BATCH_MS (at least one), its time divided by
    its runs."""

    def __init__(self, task, path, warmup):
        with open(path, 'rb') as handle:
            self.data = handle.read()
        self.analyse = TASKS[task]
        self.metrics = self.analyse(self.data)
        warm_start = time.perf_counter()
        done = 0
        while done < max(warmup, 1) or time.perf_counter() - warm_start < 0.25:
            self.analyse(self.data)
            done += 1
        per_run_ms = (time.perf_counter() - warm_start) * 1000 / done
        self.batch = max(1, math.ceil(BATCH_MS / per_run_ms))

    def sample(self):
        start = time.perf_counter()
        for _ in range(self.batch):
            self.metrics = self.analyse(self.data)
        return (time.perf_counter() - start) * 1000 / self.batch

    def metric_values(self):
        return {key: nan_to_none(value) for key, value in self.metrics.items()}


def measure(task, path, runs, warmup):
    """Parse + analysis of one file: `runs` timed samples after the warm-up (see Prepared); the metrics
    of the last run."""
    entry = {'task': task, 'path': path}
    try:
        prepared = Prepared(task, path, warmup)
        times = [prepared.sample() for _ in range(runs)]
        entry['ms'] = times
        entry['batch'] = prepared.batch
        entry['median_ms'] = float(np.median(times))
        entry['metrics'] = prepared.metric_values()
    except Exception as error:  # reported per file; the other files go on
        entry['error'] = f'{type(error).__name__}: {error}'
    return entry


def versions():
    return {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__}


def main():
    if sys.argv[1:] == ['--serve']:
        # one request per line on stdin, one JSON answer per line; the first line out gives the versions.
        # {"op": "prepare", "task", "path", "warmup"} reads, analyses and warms up a file (answer: its
        # metrics and batch); {"op": "sample"} times one sample of it (answer: {"ms"}), so that the caller
        # can interleave these samples with its own
        print(json.dumps(versions()), flush=True)
        prepared = None
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                if request['op'] == 'prepare':
                    prepared = None
                    prepared = Prepared(request['task'], request['path'], int(request['warmup']))
                    answer = {'batch': prepared.batch, 'metrics': prepared.metric_values()}
                else:
                    answer = {'ms': prepared.sample()}
            except Exception as error:  # reported per file; the other files go on
                answer = {'error': f'{type(error).__name__}: {error}'}
            print(json.dumps(answer), flush=True)
        return
    with open(sys.argv[1], encoding='utf-8') as handle:
        manifest = json.load(handle)
    runs = int(manifest.get('runs', 21))
    warmup = int(manifest.get('warmup', 3))
    results = [measure(item['task'], item['path'], runs, warmup) for item in manifest['files']]
    json.dump({**versions(), 'results': results}, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
