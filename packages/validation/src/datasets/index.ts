import type { Dataset } from '../check.js';
import { aalto136mKeystrokesSample } from './aalto-136m-keystrokes-sample.js';
import { etDbsTabletSpirals } from './et-dbs-tablet-spirals.js';
import { neuroqwertyMitCsxpd } from './neuroqwerty-mit-csxpd.js';
import { uciPdSpiralTablet } from './uci-pd-spiral-tablet.js';
import { vienna4x22Piano } from './vienna4x22-piano.js';

/** Every data set adapter, in the order the table prints them. */
export const DATASETS: Dataset[] = [
  vienna4x22Piano,
  etDbsTabletSpirals,
  uciPdSpiralTablet,
  neuroqwertyMitCsxpd,
  aalto136mKeystrokesSample,
];
