import { describe, expect, it } from 'vitest';
import { sessionContext } from './session-context.js';

const H = 3_600_000;
const T = Date.parse('2026-03-10T12:00:00Z');
const at = (offsetHours: number) => new Date(T + offsetHours * H).toISOString();

describe('sessionContext', () => {
  it('takes each field from the latest entry in the window that noted it', () => {
    const context = sessionContext(T, [
      { at: at(-20), context: { stress: 2, sleepHours: 5 } },
      { at: at(-3), context: { stress: 8 } },
      { at: at(1), context: { cold: true } },
    ]);
    expect(context).toEqual({ stress: 8, sleepHours: 5, cold: true });
  });

  it('ignores entries more than 24 h before or 2 h after the session, and unreadable times', () => {
    const context = sessionContext(T, [
      { at: at(-25), context: { stress: 9 } },
      { at: at(3), context: { anxiety: 9 } },
      { at: 'yesterday', context: { fatigue: 9 } },
      { at: at(-24), context: { alcoholDrinks: 1 } },
    ]);
    expect(context).toEqual({ alcoholDrinks: 1 });
  });
});
