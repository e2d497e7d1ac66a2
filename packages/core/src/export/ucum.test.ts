import { describe, expect, it } from 'vitest';
import { metricCatalogue } from '../analysis/analyze.js';
import { UCUM_CODES, ucumCode } from './ucum.js';

/**
 * The UCUM atoms the codes may use (prefixed forms spelt out), from the UCUM specification's tables:
 * base units (m, s, rad), derived ones (Hz, deg, circ, min) and the unity and percent.
 */
const ATOMS = new Set(['1', '%', 'ms', 's', 'min', 'Hz', 'mm', 'cm', 'm', 'rad', 'deg', 'circ']);

/**
 * Problems of a UCUM expression by the grammar of UCUM section 2: terms joined by `.` and `/`, each an
 * atom with an optional integer exponent and/or an annotation in braces (printable ASCII without braces).
 */
function ucumProblems(code: string): string[] {
  const problems: string[] = [];
  const terms: string[] = [];
  let term = '';
  let depth = 0;
  for (const ch of code) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (depth === 0 && (ch === '/' || ch === '.')) {
      terms.push(term);
      term = '';
    } else term += ch;
  }
  terms.push(term);
  if (depth !== 0) problems.push(`unbalanced braces in "${code}"`);
  if (code.startsWith('/')) terms.shift(); // a leading division ("/min") is allowed
  for (const t of terms) {
    const match = /^([^{}\d-]*)(-?\d+)?(\{[!-z|~]*\})?$/.exec(t);
    if (!match || t === '') {
      problems.push(`"${t}" is not a UCUM term`);
      continue;
    }
    const [, atom, exponent, annotation] = match;
    if (atom === '' && exponent === undefined && annotation === undefined)
      problems.push(`empty term in "${code}"`);
    if (atom === '' && exponent !== undefined && exponent !== '1') problems.push(`"${t}" is not a UCUM term`);
    if (atom !== '' && !ATOMS.has(atom!)) problems.push(`"${atom}" is not a known UCUM atom`);
  }
  return problems;
}

describe('UCUM codes of the catalogue units', () => {
  it('every metric of the catalogue has a unit that maps to a well-formed UCUM code', () => {
    for (const metric of metricCatalogue()) {
      const code = ucumCode(metric.unit);
      expect(ucumProblems(code), `${metric.task}/${metric.id} (${metric.unit} → ${code})`).toEqual([]);
    }
  });

  it('every mapped unit is used by the catalogue (no stale entries)', () => {
    const used = new Set(metricCatalogue().map((m) => m.unit));
    expect(Object.keys(UCUM_CODES).filter((unit) => !used.has(unit))).toEqual([]);
  });

  it('maps the common units to their plain UCUM codes and counted things to annotations', () => {
    expect(ucumCode('ms')).toBe('ms');
    expect(ucumCode('Hz')).toBe('Hz');
    expect(ucumCode('m/s²')).toBe('m/s2');
    expect(ucumCode('(m/s²)²')).toBe('m2/s4');
    expect(ucumCode('count')).toBe('{count}');
    expect(ucumCode('turns')).toBe('circ');
  });

  it('refuses a unit it does not know, and the grammar check finds broken codes', () => {
    expect(() => ucumCode('furlongs')).toThrow(/no UCUM code for the unit "furlongs"/);
    expect(ucumProblems('m/s²')).not.toEqual([]);
    expect(ucumProblems('{MIDI velocity}')).not.toEqual([]);
    expect(ucumProblems('parsec')).not.toEqual([]);
  });
});
