/**
 * Numerical derivatives on a uniform grid.
 */
import { CodedError } from '../../errors/catalogue.js';

/**
 * Derivative of uniformly sampled `values` (spacing `dtS` seconds) like numpy.gradient(values, dtS)
 * with edge_order 1: central differences (v[i+1] − v[i−1])/(2·dt) inside, one-sided differences at
 * the two ends. Units: value units per second. Throws CodedError E_TOO_FEW_EVENTS for fewer than 2
 * samples (numpy raises there too) and RangeError when dtS is not positive.
 */
export function gradient(values: ArrayLike<number>, dtS: number): Float64Array<ArrayBuffer> {
  const n = values.length;
  if (!(dtS > 0) || !Number.isFinite(dtS)) throw new RangeError(`gradient: dtS must be positive, got ${dtS}`);
  if (n < 2) {
    throw new CodedError('E_TOO_FEW_EVENTS', `A derivative needs at least 2 samples; the signal has ${n}.`);
  }
  const out = new Float64Array(n);
  const twoDt = 2 * dtS;
  for (let i = 1; i < n - 1; i++) out[i] = (values[i + 1]! - values[i - 1]!) / twoDt;
  out[0] = (values[1]! - values[0]!) / dtS;
  out[n - 1] = (values[n - 1]! - values[n - 2]!) / dtS;
  return out;
}
