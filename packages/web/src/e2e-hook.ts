import type { Recording } from '@dystrack/core';
import {
  loadTask,
  simulateRecording,
  TASK_DEFINITIONS,
  type SimulateRecordingOptions,
} from '@dystrack/tasks';
import { e2eEnabled } from './e2e-flag.js';
import { enqueueRecording, flushQueue, queueEntries, queueSender } from './queue/index.js';

export { e2eEnabled };

/** What end-to-end tests reach through `window.__dystrack`: the app's own upload path, not a copy. */
export interface E2eHook {
  enqueueRecording: typeof enqueueRecording;
  flushQueue: typeof flushQueue;
  /** A simulated recording of a listed task (its code is loaded on first use, as for the task page). */
  simulate(taskId: string, options: SimulateRecordingOptions): Promise<Recording>;
  /** The listed tasks with their hands, in the app's order. */
  tasks: readonly { id: string; hands: readonly string[] }[];
  queueEntries: typeof queueEntries;
  /** The id of the signed-in user (whose entries the sender sends), or null. */
  signedInUserId: () => string | null;
}

declare global {
  interface Window {
    __dystrack?: E2eHook;
  }
}

/** Installs `window.__dystrack` when {@link e2eEnabled}; never in normal production use. */
export function installE2eHook(): void {
  if (!e2eEnabled()) return;
  window.__dystrack = {
    enqueueRecording,
    flushQueue,
    simulate: async (taskId, options) => {
      const plugin = await loadTask(taskId);
      if (!plugin) throw new Error(`no listed task "${taskId}"`);
      return simulateRecording(plugin, options);
    },
    tasks: TASK_DEFINITIONS.map((definition) => ({ id: definition.id, hands: [...definition.hands] })),
    queueEntries,
    signedInUserId: () => queueSender().user,
  };
}
