import type { TaskDefinition, TaskPlugin } from './contract';

/*
 * What a task page loads: the one task's definition, then its run code, each a chunk of its own in the
 * app's build. Nothing here imports a definition statically, so that the capture route's first bundle
 * holds no task's texts and parameters (`npm run bench:web` measures it); ./catalog lists every task
 * for the pages that show them all.
 */

/** What a task page needs to run a task: its definition and `run` (no simulator). */
export type CaptureTask = Pick<TaskPlugin, 'definition' | 'run'>;

/** Each listed task's definition and run code, each loaded on its own (the simulators stay out). */
const LOADERS: Readonly<
  Record<string, { definition: () => Promise<TaskDefinition>; run: () => Promise<TaskPlugin['run']> }>
> = {
  tapping: {
    definition: () => import('./tapping/definition').then((m) => m.tappingDefinition),
    run: () => import('./tapping/run').then((m) => m.runTapping),
  },
  typing: {
    definition: () => import('./typing/definition').then((m) => m.typingDefinition),
    run: () => import('./typing/run').then((m) => m.runTyping),
  },
  scale: {
    definition: () => import('./scale/definition').then((m) => m.scaleDefinition),
    run: () => import('./scale/run').then((m) => m.runScale),
  },
  spiral: {
    definition: () => import('./spiral/definition').then((m) => m.spiralDefinition),
    run: () => import('./spiral/run').then((m) => m.runSpiral),
  },
  handwriting: {
    definition: () => import('./handwriting/definition').then((m) => m.handwritingDefinition),
    run: () => import('./handwriting/run').then((m) => m.runHandwriting),
  },
  precision: {
    definition: () => import('./precision/definition').then((m) => m.precisionDefinition),
    run: () => import('./precision/run').then((m) => m.runPrecision),
  },
  tremor: {
    definition: () => import('./tremor/definition').then((m) => m.tremorDefinition),
    run: () => import('./tremor/run').then((m) => m.runTremor),
  },
};

/** A listed task's loaders; undefined for any other id (also `constructor` and the like). */
const loadersOf = (id: string) => (Object.hasOwn(LOADERS, id) ? LOADERS[id] : undefined);

/**
 * Loads a listed task's definition; undefined for a task that is not listed.
 * @throws what the dynamic import throws (a chunk that could not be fetched: offline without a cache)
 */
export async function loadTaskDefinition(id: string): Promise<TaskDefinition | undefined> {
  return loadersOf(id)?.definition();
}

/**
 * Loads what a task page needs to run a listed task (definition and run); undefined for a task that is
 * not listed.
 * @throws what the dynamic import throws (a chunk that could not be fetched: offline without a cache)
 */
export async function loadCapture(id: string): Promise<CaptureTask | undefined> {
  const loaders = loadersOf(id);
  if (!loaders) return undefined;
  const [definition, run] = await Promise.all([loaders.definition(), loaders.run()]);
  return { definition, run };
}
