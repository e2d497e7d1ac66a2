import type { Dataset } from '../check.js';

/** Every data set adapter, in the order the table prints them. */
export const DATASETS: Dataset[] = [];
