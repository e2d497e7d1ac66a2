/**
 * The UCUM code (https://ucum.org/ucum) of every unit the metric catalogue prints, for FHIR
 * `Quantity.code` with system `http://unitsofmeasure.org`. Counted things that UCUM has no unit for are
 * annotations (`{tap}`, `{count}`), which UCUM defines as the unit 1 with a label; a turn of a spiral is
 * UCUM's `circ` (one full circle). The natural logarithm of a quantity is a pure number: it is the
 * annotation `{ln(...)}` that names what was taken the logarithm of. Every unit of the catalogue must be
 * here (ucum.test.ts checks it); a metric with a new unit fails that test until it is added.
 */
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

export const UCUM_CODES: Readonly<Record<string, string>> = {
  '1': '1',
  '%': '%',
  '%/min': '%/min',
  '0–1': '1',
  '0–4': '{score}',
  '(m/s²)²': 'm2/s4',
  'MIDI velocity': '{MIDI_velocity}',
  Hz: 'Hz',
  cm: 'cm',
  count: '{count}',
  'count/stroke': '{count}/{stroke}',
  'count/turn': '{count}/circ',
  'deg/s': 'deg/s',
  'letters/min': '{letter}/min',
  'ln(mm²/rad²)': '{ln(mm2/rad2)}',
  'ln(mm²/rad⁴)': '{ln(mm2/rad4)}',
  'm/s²': 'm/s2',
  mm: 'mm',
  'mm/s': 'mm/s',
  'mm/s²': 'mm/s2',
  'mm/turn': 'mm/circ',
  ms: 'ms',
  'ms/note': 'ms/{note}',
  'ms/s': 'ms/s',
  'ms/tap': 'ms/{tap}',
  'ms²': 'ms2',
  s: 's',
  turns: 'circ',
};

/**
 * The UCUM code of a catalogue unit.
 * @throws TypeError for a unit that is not mapped (a catalogue change that needs a new entry)
 */
export function ucumCode(unit: string): string {
  const code = UCUM_CODES[unit];
  if (code === undefined) throw new TypeError(`no UCUM code for the unit "${unit}"`);
  return code;
}
