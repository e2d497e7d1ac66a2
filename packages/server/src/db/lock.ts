import { createHash, randomUUID } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { CodedError } from '@dystrack/core';

/** What the lock file holds: who owns the embedded database. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** What the owner is doing: `serve`, `backup`, … */
  purpose: string;
  /** Random: makes every lock file's content unique, even for a later process with the same pid. */
  nonce?: string;
}

export const LOCK_FILE = 'dystrack.lock';

/** Lock files this process holds (resolved paths): a second open in the same process is refused too. */
const held = new Set<string>();

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
  return parseOwner(readText(join(dataDir, LOCK_FILE)));
}

/** The live owner of a data directory other than this process, or null. */
export function liveOwner(dataDir: string): LockOwner | null {
  const path = resolve(dataDir, LOCK_FILE);
  const owner = readLock(dataDir);
  if (!owner) return null;
  return isLive(owner, held.has(path)) ? owner : null;
}

/**
 * Takes the single-owner lock of a PGlite data directory. Two processes on one PGlite directory
 * silently lose writes, so a second owner is refused while the first one lives (also a second open
 * inside the same process); a lock left by a process that died (SIGKILL, power loss, or a container
 * restart that reuses the pid) is taken over.
 * @param dataDir - the data directory; created when missing
 * @param purpose - what the owner does (`serve`, `backup`, …), shown to a process that is refused
 * @returns a function that releases the lock
 * @throws CodedError `E_DATABASE_LOCKED` naming the live owner
 */
export function acquireLock(dataDir: string, purpose: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(dataDir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    purpose,
    nonce: randomUUID(),
  };
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  try {
    for (let attempt = 0; attempt < 400; attempt++) {
      try {
        linkSync(temp, path); // atomic: fails when a lock file exists, so the file is never half-written
        held.add(path);
        return () => release(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = readText(path);
      if (text === null) continue; // released in the meantime
      const current = parseOwner(text);
      if (current && isLive(current, held.has(path))) throw lockedError(dataDir, current);
      if (!removeIfUnchanged(path, text, temp)) sleep(5); // another process is taking it over: let it finish
    }
    throw new CodedError('E_DATABASE_LOCKED', `Could not take the lock of ${dataDir}; try again.`);
  } finally {
    unlinkSync(temp);
  }
}

/** Whether the owner named in a lock file still runs. */
function isLive(owner: LockOwner, heldHere: boolean): boolean {
  // Cannot check another host's processes (a shared or network file system): assume alive.
  if (owner.hostname !== hostname()) return true;
  // Our own pid: held by this process, or left by an earlier process that had the same pid (pid 1 in a container).
  if (owner.pid === process.pid) return heldHere;
  return isAlive(owner.pid);
}

/**
 * Removes a stale file if it still holds `text`, with at most one remover at a time. Several processes
 * may find the same stale lock at once; a slower one must never delete the lock a faster one has just
 * taken. So removing needs a claim, a file named after the stale content, created exclusively: the one
 * process that creates it checks that the lock is still the stale one (nobody else can change it while
 * it exists: only a claimant removes it, and a new lock cannot be linked over it), removes it and drops
 * the claim. A claim left by a process that died while holding it is itself stale, removed the same way.
 * @param target - the stale file
 * @param text - its content when it was judged stale
 * @param me - a file with this process's owner record, linked as the claim
 * @returns false when another live process holds the claim (try again shortly)
 */
function removeIfUnchanged(target: string, text: string, me: string, depth = 0): boolean {
  const claim = `${target}.claim-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  try {
    linkSync(me, claim);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const claimText = readText(claim);
    if (claimText === null) return true; // just finished
    const claimant = parseOwner(claimText);
    if (claimant && isLive(claimant, false)) return false;
    if (depth < 3) removeIfUnchanged(claim, claimText, me, depth + 1);
    return false;
  }
  try {
    if (readText(target) === text) unlinkSync(target);
  } finally {
    unlinkSync(claim);
  }
  return true;
}

/** Blocks for a few milliseconds (the lock is taken synchronously, at startup only). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockedError(dataDir: string, owner: LockOwner): CodedError {
  const who =
    owner.pid === process.pid && owner.hostname === hostname()
      ? 'this process'
      : `process ${owner.pid}${owner.hostname === hostname() ? '' : ` on host ${owner.hostname}`}`;
  const elsewhere =
    owner.hostname === hostname()
      ? ''
      : ` If that process no longer runs (for example an old container), remove ${join(dataDir, LOCK_FILE)}.`;
  return new CodedError(
    'E_DATABASE_LOCKED',
    `The database in ${dataDir} is in use by ${who} (dystrack ${owner.purpose}, since ${owner.startedAt}). ` +
      `Stop ${owner.purpose === 'serve' ? 'the server' : 'that process'} first, then try again: ` +
      `an embedded database can have only one owner.${elsewhere}`,
    { owner },
  );
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseOwner(text: string | null): LockOwner | null {
  if (text === null) return null;
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') return null;
    return {
      pid: owner.pid,
      hostname: owner.hostname,
      startedAt: String(owner.startedAt),
      purpose: String(owner.purpose),
    };
  } catch {
    return null;
  }
}

function release(path: string): void {
  if (!held.delete(path)) return; // released already
  const current = parseOwner(readText(path));
  if (current && current.pid === process.pid && current.hostname === hostname()) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
