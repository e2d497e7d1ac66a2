import type { TaskDefinition, TaskPlugin } from './contract';
import { handwritingDefinition } from './handwriting/definition';
import { precisionDefinition } from './precision/definition';
import { scaleDefinition } from './scale/definition';
import { spiralDefinition } from './spiral/definition';
import { tappingDefinition } from './tapping/definition';
import { tremorDefinition } from './tremor/definition';
import { typingDefinition } from './typing/definition';

/**
 * What the app needs before a task runs: the definitions of the listed tasks (titles, hands,
 * parameters: small) and a loader for each task's code. The app imports this module, not the registry,
 * so that a task page downloads only its own task's capture code (`npm run bench:web` measures it) and
 * the task cards download none. The registry (`TASKS`) holds the same tasks eagerly, for tests and Node.
 */
export const TASK_DEFINITIONS: readonly TaskDefinition[] = Object.freeze([
  tappingDefinition,
  typingDefinition,
  scaleDefinition,
  spiralDefinition,
  handwritingDefinition,
  precisionDefinition,
  tremorDefinition,
]);

/** The listed task's definition, or undefined. */
export function taskDefinition(id: string): TaskDefinition | undefined {
  return TASK_DEFINITIONS.find((definition) => definition.id === id);
}

/** Each listed task's code, loaded on first use (a chunk of its own in the app's build). */
const LOADERS: Readonly<Record<string, () => Promise<TaskPlugin>>> = {
  tapping: () => import('./tapping').then((m) => m.tapping),
  typing: () => import('./typing').then((m) => m.typing),
  scale: () => import('./scale').then((m) => m.scale),
  spiral: () => import('./spiral').then((m) => m.spiral),
  handwriting: () => import('./handwriting').then((m) => m.handwriting),
  precision: () => import('./precision').then((m) => m.precision),
  tremor: () => import('./tremor').then((m) => m.tremor),
};

/** What a task page needs to run a task: its definition and `run` (no simulator). */
export type CaptureTask = Pick<TaskPlugin, 'definition' | 'run'>;

/** Each listed task's run code alone, for the task page (the simulators stay out of the capture route). */
const CAPTURE_LOADERS: Readonly<Record<string, () => Promise<CaptureTask>>> = {
  tapping: () => import('./tapping/run').then((m) => ({ definition: tappingDefinition, run: m.runTapping })),
  typing: () => import('./typing/run').then((m) => ({ definition: typingDefinition, run: m.runTyping })),
  scale: () => import('./scale/run').then((m) => ({ definition: scaleDefinition, run: m.runScale })),
  spiral: () => import('./spiral/run').then((m) => ({ definition: spiralDefinition, run: m.runSpiral })),
  handwriting: () =>
    import('./handwriting/run').then((m) => ({ definition: handwritingDefinition, run: m.runHandwriting })),
  precision: () =>
    import('./precision/run').then((m) => ({ definition: precisionDefinition, run: m.runPrecision })),
  tremor: () => import('./tremor/run').then((m) => ({ definition: tremorDefinition, run: m.runTremor })),
};

/**
 * Loads what a task page needs to run a listed task (definition and run); undefined for a task that is
 * not listed.
 * @throws what the dynamic import throws (a chunk that could not be fetched: offline without a cache)
 */
export async function loadCapture(id: string): Promise<CaptureTask | undefined> {
  const load = Object.hasOwn(CAPTURE_LOADERS, id) ? CAPTURE_LOADERS[id] : undefined;
  return load ? load() : undefined;
}

/**
 * Loads a listed task's plugin with its simulator (tests, the end-to-end hook); resolves with undefined for
 * a task that is not listed.
 * @throws what the dynamic import throws (a chunk that could not be fetched: offline without a cache)
 */
export async function loadTask(id: string): Promise<TaskPlugin | undefined> {
  const load = Object.hasOwn(LOADERS, id) ? LOADERS[id] : undefined;
  return load ? load() : undefined;
}
