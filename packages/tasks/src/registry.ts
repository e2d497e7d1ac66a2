import type { TaskPlugin } from './contract';
import { handwriting } from './handwriting';
import { precision } from './precision';
import { scale } from './scale';
import { spiral } from './spiral';
import { tapping } from './tapping';
import { tremor } from './tremor';
import { typing } from './typing';

/**
 * Every task that really runs, in the order the app lists them. To add a task, write its folder
 * (definition, run, simulate, tests) and add one line here; the registry tests then check it.
 */
export const TASKS: readonly TaskPlugin[] = Object.freeze([
  tapping,
  typing,
  scale,
  spiral,
  handwriting,
  precision,
  tremor,
]);

/** The task with this id, or undefined when no such task runs in this release. */
export function getTask(id: string): TaskPlugin | undefined {
  return TASKS.find((task) => task.definition.id === id);
}
