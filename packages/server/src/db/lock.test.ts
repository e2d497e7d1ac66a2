import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodedError } from '@dystrack/core';
import { LOCK_FILE, acquireLock, liveOwner, readLock, type LockOwner } from './lock.js';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dystrack-lock-test-'));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A live process that is not this one (it waits on its stdin until killed). */
async function otherProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  children.push(child);
  await once(child, 'spawn');
  return child.pid!;
}

/** The pid of a process that has exited. */
async function deadProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

function writeLock(owner: Partial<LockOwner>, file = LOCK_FILE): string {
  const full: LockOwner = {
    pid: 1,
    hostname: hostname(),
    startedAt: '2024-01-01T00:00:00.000Z',
    purpose: 'serve',
    ...owner,
  };
  const text = JSON.stringify(full);
  writeFileSync(join(dir, file), text);
  return text;
}

/** The claim a process creates while it removes a stale lock with this content. */
function claimFile(staleText: string): string {
  return `${LOCK_FILE}.claim-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
}

function lockError(run: () => unknown): CodedError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected the lock to be refused');
}

describe('acquireLock', () => {
  it('writes the owner into the lock file and removes it on release', () => {
    const release = acquireLock(dir, 'backup');
    expect(readLock(dir)).toMatchObject({ pid: process.pid, hostname: hostname(), purpose: 'backup' });
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second owner in the same process: two openers of one directory lose writes', () => {
    const release = acquireLock(dir, 'serve');
    try {
      const error = lockError(() => acquireLock(dir, 'backup'));
      expect(error.code).toBe('E_DATABASE_LOCKED');
      expect(error.message).toContain('this process');
    } finally {
      release();
    }
    acquireLock(dir, 'backup')();
  });

  it('refuses while a live server owns the directory, naming its pid and telling to stop the server first', async () => {
    const pid = await otherProcess();
    writeLock({ pid, purpose: 'serve' });
    const error = lockError(() => acquireLock(dir, 'backup'));
    expect(error.code).toBe('E_DATABASE_LOCKED');
    expect(error.message).toContain(`process ${pid}`);
    expect(error.message).toContain('Stop the server first');
    expect(readLock(dir)?.pid).toBe(pid);
    expect(liveOwner(dir)?.pid).toBe(pid);
  });

  it('takes over a lock left by a process that died', async () => {
    const pid = await deadProcess();
    writeLock({ pid });
    expect(liveOwner(dir)).toBeNull();
    const release = acquireLock(dir, 'serve');
    expect(readLock(dir)?.pid).toBe(process.pid);
    release();
  });

  it('takes over a lock with its own pid that it does not hold (an earlier process had the same pid, as pid 1 in a container)', () => {
    writeLock({ pid: process.pid });
    const release = acquireLock(dir, 'serve');
    expect(readLock(dir)).toMatchObject({ pid: process.pid, purpose: 'serve' });
    release();
  });

  it('takes over an empty or unreadable lock file', () => {
    writeFileSync(join(dir, LOCK_FILE), '');
    acquireLock(dir, 'serve')();
    writeFileSync(join(dir, LOCK_FILE), '{"pid":');
    acquireLock(dir, 'serve')();
  });

  it('refuses a lock of another host, whose processes it cannot see, and says how to clear it', () => {
    writeLock({ pid: process.pid, hostname: `not-${hostname()}` });
    const error = lockError(() => acquireLock(dir, 'serve'));
    expect(error.code).toBe('E_DATABASE_LOCKED');
    expect(error.message).toContain(`on host not-${hostname()}`);
    expect(error.message).toContain(`remove ${join(dir, LOCK_FILE)}`);
  });

  it('a release after the lock passed to another owner leaves the new owner’s lock alone', async () => {
    const release = acquireLock(dir, 'serve');
    release();
    const pid = await otherProcess();
    writeLock({ pid });
    release();
    expect(readLock(dir)?.pid).toBe(pid);
  });

  it('takes over a stale lock even when a process died in the middle of taking it over', async () => {
    const stale = writeLock({ pid: await deadProcess() });
    writeLock({ pid: await deadProcess(), purpose: 'claim' }, claimFile(stale));
    const release = acquireLock(dir, 'serve');
    expect(readLock(dir)?.pid).toBe(process.pid);
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not remove a stale lock while another live process is taking it over: it gives up and says to try again', async () => {
    const stale = writeLock({ pid: await deadProcess() });
    writeLock({ pid: await otherProcess(), purpose: 'claim' }, claimFile(stale));
    const error = lockError(() => acquireLock(dir, 'serve'));
    expect(error.code).toBe('E_DATABASE_LOCKED');
    expect(error.message).toContain('try again');
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(stale);
  });
});
