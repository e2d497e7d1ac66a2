// A realistic recording for the benchmarks, made without the browser.

/** A 3-minute copy-typing session: keydown/keyup pairs of a slow, uneven typist (about 1.3 keys/s). */
export function typingRecording() {
  let seed = 42;
  const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const codes = [
    'KeyT',
    'KeyH',
    'KeyE',
    'Space',
    'KeyQ',
    'KeyU',
    'KeyI',
    'KeyC',
    'KeyK',
    'KeyB',
    'KeyR',
    'KeyO',
    'KeyW',
    'KeyN',
  ];
  const type = [];
  const timeStampMs = [];
  const code = [];
  const repeat = [];
  const isComposing = [];
  let t = 1523.105;
  while (t < 180_000) {
    const c = codes[Math.floor(rand() * codes.length)];
    const hold = 70 + rand() * 60;
    type.push('keydown', 'keyup');
    timeStampMs.push(Math.round(t * 1000) / 1000, Math.round((t + hold) * 1000) / 1000);
    code.push(c, c);
    repeat.push(false, false);
    isComposing.push(false, false);
    t += 500 + rand() * 500;
  }
  return {
    id: '00000000-0000-4000-8000-000000000000',
    schemaVersion: 1,
    taskId: 'typing',
    taskVersion: '1.0.0',
    hand: 'both',
    startedAt: '2026-11-26T09:00:00.000Z',
    durationMs: 180_000,
    params: { textId: 'en-pangrams-1' },
    device: {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      platform: 'Linux x86_64',
      language: 'en-GB',
      hardwareConcurrency: 8,
      maxTouchPoints: 0,
      screenWidthPx: 1920,
      screenHeightPx: 1080,
      devicePixelRatio: 1,
      inputDevice: 'laptop keyboard',
    },
    timing: {
      crossOriginIsolated: true,
      resolutionMs: 0.005,
      pollingEstimateHz: 125,
      hiddenCount: 0,
      hiddenMs: 0,
      timeOriginMs: 1795683600000.123,
    },
    context: {
      selfRating0to10: 4,
      taskLoadHoursLast24h: 3,
      botulinumToxin: 'received',
      daysSinceBotulinumToxin: 41,
      medication: null,
    },
    streams: {
      keyboard: {
        columns: {
          type: { type: 'str', values: type },
          timeStampMs: { type: 'f64', values: timeStampMs },
          code: { type: 'str', values: code },
          repeat: { type: 'bool', values: repeat },
          isComposing: { type: 'bool', values: isComposing },
        },
      },
    },
    flags: [],
  };
}
