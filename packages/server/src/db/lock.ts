import { closeSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CodedError } from '@dystrack/core';

/** What the lock file holds: who owns the embedded database. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** What the owner is doing: `serve`, `backup`, … */
  purpose: string;
}

export const LOCK_FILE = 'dystrack.lock';

/** Whether a process with this pid is alive on this host. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the lock file of a data directory, or null when there is none (or it is unreadable). */
export function readLock(dataDir: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** The live owner of a data directory other than this process, or null. */
export function liveOwner(dataDir: string): LockOwner | null {
  const owner = readLock(dataDir);
  if (!owner || owner.pid === process.pid) return null;
  if (owner.hostname !== hostname()) return owner; // cannot check another host's processes: assume alive
  return isAlive(owner.pid) ? owner : null;
}

/**
 * Takes the single-owner lock of a PGlite data directory. Two processes on one PGlite directory
 * silently lose writes, so a second owner is refused while the first one lives; a lock left by a
 * process that died (SIGKILL, power loss) is taken over.
 * @returns a function that releases the lock
 * @throws CodedError `E_DATABASE_LOCKED` naming the live owner
 */
export function acquireLock(dataDir: string, purpose: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), purpose };
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  writeSync(fd, JSON.stringify(owner));
  closeSync(fd);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(temp, path); // atomic: fails when a lock file exists
        return () => release(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readLock(dataDir);
      if (current && current.pid === process.pid) return () => release(path);
      const live = liveOwner(dataDir);
      if (live) {
        throw new CodedError(
          'E_DATABASE_LOCKED',
          `The database in ${dataDir} is in use by process ${live.pid} (${live.purpose}, since ${live.startedAt}). ` +
            'Stop that process first: one embedded database can have only one owner.',
          { owner: live },
        );
      }
      // stale lock of a dead process: remove it and try again
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw new CodedError('E_DATABASE_LOCKED', `Could not take the lock of ${dataDir}.`);
  } finally {
    unlinkSync(temp);
  }
}

function release(path: string): void {
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    if (current.pid === process.pid) unlinkSync(path);
  } catch {
    // already gone
  }
}
