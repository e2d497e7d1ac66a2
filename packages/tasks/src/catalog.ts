import type { TaskDefinition, TaskPlugin } from './contract';
import { handwritingDefinition } from './handwriting/definition';
import { precisionDefinition } from './precision/definition';
import { scaleDefinition } from './scale/definition';
import { spiralDefinition } from './spiral/definition';
import { tappingDefinition } from './tapping/definition';
import { tremorDefinition } from './tremor/definition';
import { typingDefinition } from './typing/definition';

/**
 * Every listed task's definition (titles, hands, parameters, instructions), for the pages that list tasks,
 * and a loader for each task's code with its simulator. The task page imports ./capture-catalog instead,
 * which loads only its own task's definition and capture code (`npm run bench:web` measures it). The
 * registry (`TASKS`) holds the same tasks eagerly, for tests and Node.
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

/**
 * Loads a listed task's plugin with its simulator (tests, the end-to-end hook); resolves with undefined for
 * a task that is not listed.
 * @throws what the dynamic import throws (a chunk that could not be fetched: offline without a cache)
 */
export async function loadTask(id: string): Promise<TaskPlugin | undefined> {
  const load = Object.hasOwn(LOADERS, id) ? LOADERS[id] : undefined;
  return load ? load() : undefined;
}
