import type { TaskDefinition, TaskPlugin } from './contract';

/*
 * What a task page loads: the one task's definition, then its run code, each a chunk of its own in the
 * app's build. Nothing here imports a definition statically, so that the capture route's first bundle
 * holds no task's texts and parameters (`npm run bench:web` measures it); ./catalog lists every task
 * for the pages that show them all.
 */

/** What a task page needs to run a task: its definition and `run` (no simulator). */
export type CaptureTask = Pick<TaskPlugin, 'definition' | 'run'>;

const DEFINITION_LOADERS: Readonly<Record<string, () => Promise<TaskDefinition>>> = {
  tapping: () => import('./tapping/definition').then((m) => m.tappingDefinition),
  typing: () => import('./typing/definition').then((m) => m.typingDefinition),
  scale: () => import('./scale/definition').then((m) => m.scaleDefinition),
  spiral: () => import('./spiral/definition').then((m) => m.spiralDefinition),
  handwriting: () => import('./handwriting/definition').then((m) => m.handwritingDefinition),
  precision: () => import('./precision/definition').then((m) => m.precisionDefinition),
  tremor: () => import('./tremor/definition').then((m) => m.tremorDefinition),
};

const RUN_LOADERS: Readonly<Record<string, () => Promise<TaskPlugin['run']>>> = {
  tapping: () => import('./tapping/run').then((m) => m.runTapping),
  typing: () => import('./typing/run').then((m) => m.runTyping),
  scale: () => import('./scale/run').then((m) => m.runScale),
  spiral: () => import('./spiral/run').then((m) => m.runSpiral),
  handwriting: () => import('./handwriting/run').then((m) => m.runHandwriting),
  precision: () => import('./precision/run').then((m) => m.runPrecision),
  tremor: () => import('./tremor/run').then((m) => m.runTremor),
};

/**
 * Loads a listed task's definition; undefined for a task that is not listed.
 * @throws what the dynamic import throws (a chunk that could not be fetched: offline without a cache)
 */
export async function loadTaskDefinition(id: string): Promise<TaskDefinition | undefined> {
  const load = Object.hasOwn(DEFINITION_LOADERS, id) ? DEFINITION_LOADERS[id] : undefined;
  return load ? load() : undefined;
}

/**
 * Loads what a task page needs to run a listed task (definition and run); undefined for a task that is
 * not listed.
 * @throws what the dynamic import throws (a chunk that could not be fetched: offline without a cache)
 */
export async function loadCapture(id: string): Promise<CaptureTask | undefined> {
  if (!Object.hasOwn(RUN_LOADERS, id)) return undefined;
  const [definition, run] = await Promise.all([loadTaskDefinition(id), RUN_LOADERS[id]!()]);
  return definition ? { definition, run } : undefined;
}
