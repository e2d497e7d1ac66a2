import type { Agent } from 'node:https';
import { and, inArray, eq, lt } from 'drizzle-orm';
import webpush from 'web-push';
import type { Db } from '../db/database.js';
import { pushRemindersSent } from '../db/schema.js';
import { REMINDER_NOTIFICATION, type NotificationPayload } from './payload.js';
import {
  dropSubscription,
  markFailure,
  markSuccess,
  subscribedUserIds,
  subscriptionsOf,
  type StoredSubscription,
} from './subscriptions.js';
import { loadVapidKeys, type VapidKeys } from './vapid.js';

/** One item of a person's routine that is due: a stable key and the day (YYYY-MM-DD) it is due on. */
export interface DueReminderItem {
  key: string;
  day: string;
}

/** What is due for a user at a time (the schedule's due function, adapted). */
export type DueFunction = (db: Db, userId: string, now: Date) => Promise<readonly DueReminderItem[]>;

/** Where problems go (Fastify's logger fits). */
export interface PushLog {
  warn(details: object, message: string): void;
}

export interface PushServiceOptions {
  db: Db;
  /** The VAPID subject: how a push service can reach the operator (an https: URL or mailto:). */
  subject: string;
  /** What is due for a user; without it no reminders are sent. */
  due?: DueFunction;
  /** The HTTPS agent for push requests (tests: one that trusts a local certificate). */
  agent?: Agent;
  /** Socket timeout of one push request, ms. */
  timeoutMs?: number;
  log?: PushLog;
}

/** The outcome of sending to a user's subscriptions. */
export interface SendSummary {
  /** Accepted by the push service (2xx). */
  delivered: number;
  /** Failed and kept (server error, network): tried again next time. */
  failed: number;
  /** Answered 404 or 410: the subscription is gone and was deleted. */
  removed: number;
}

/** The outcome of one reminder run. */
export interface ReminderRunSummary {
  /** Users with subscriptions that were looked at. */
  users: number;
  /** Users a reminder was delivered to. */
  reminded: number;
  /** Users whose reminder failed: what is due could not be read, or the database failed (logged). */
  errors: number;
}

/** How long a push service keeps an undelivered reminder: it says "today", so not into the next day. */
const TTL_SECONDS = 6 * 3600;
/** Reminders coalesce at the push service: a device that was offline gets the newest one only. */
const TOPIC = 'dystrack-reminder';
/** How long the sent-reminder rows are kept (days). */
const KEEP_DAYS = 8;

/**
 * Sends Web Push notifications with the server's VAPID keys: a test to a user's own subscriptions, and
 * the reminders of what is due (at most one per user, due item and day).
 */
export class PushService {
  private keysPromise: Promise<VapidKeys> | null = null;

  constructor(private readonly options: PushServiceOptions) {}

  /**
   * Replaces the HTTPS agent of push requests (tests: one trusting a local push service's certificate).
   * @param agent - the agent, or undefined for Node's default
   */
  useAgent(agent: Agent | undefined): void {
    this.options.agent = agent;
  }

  /** The VAPID key pair (loaded or generated once, then kept in memory). */
  keys(): Promise<VapidKeys> {
    this.keysPromise ??= loadVapidKeys(this.options.db).catch((error: unknown) => {
      this.keysPromise = null;
      throw error;
    });
    return this.keysPromise;
  }

  /**
   * Sends a notification to every subscription of a user. A subscription answered with 404 or 410 is
   * deleted; other failures are counted on the subscription and it is kept.
   * @param userId - whose subscriptions
   * @param payload - the notification (no health details)
   * @param now - the time to record
   */
  async sendToUser(userId: string, payload: NotificationPayload, now = new Date()): Promise<SendSummary> {
    const subscriptions = await subscriptionsOf(this.options.db, userId);
    const summary: SendSummary = { delivered: 0, failed: 0, removed: 0 };
    for (const subscription of subscriptions) {
      const outcome = await this.sendOne(subscription, payload, now);
      summary[outcome] += 1;
    }
    return summary;
  }

  /**
   * One reminder run: for each user with a subscription, asks what is due at `now`; items not reminded
   * yet on their day are claimed in `push_reminders_sent` and one notification is sent for all of them.
   * When no subscription took it, the claim is released so that the next run tries again. Claiming
   * before sending keeps two servers on one database from reminding twice.
   * @param now - the time of the run
   */
  async sendDueReminders(now = new Date()): Promise<ReminderRunSummary> {
    const { db, due } = this.options;
    const summary: ReminderRunSummary = { users: 0, reminded: 0, errors: 0 };
    if (!due) return summary;
    for (const userId of await subscribedUserIds(db)) {
      summary.users += 1;
      try {
        if (await this.remindUser(userId, due, now)) summary.reminded += 1;
      } catch (error) {
        // one person's unreadable routine or a database hiccup must not stop the others' reminders
        summary.errors += 1;
        this.options.log?.warn({ err: error, userId }, 'reminders: could not remind this user');
      }
    }
    const oldest = new Date(now.getTime() - KEEP_DAYS * 86_400_000).toISOString().slice(0, 10);
    await db.delete(pushRemindersSent).where(lt(pushRemindersSent.day, oldest));
    return summary;
  }

  /**
   * Reminds one user of what is due and not reminded yet; true when a device took the reminder.
   * @throws whatever reading what is due or the database throws
   */
  private async remindUser(userId: string, due: DueFunction, now: Date): Promise<boolean> {
    const { db } = this.options;
    const items = await due(db, userId, now);
    const unique = new Map(items.map((item) => [`${item.day}\u0000${item.key}`, item]));
    if (unique.size === 0) return false;
    const claimed = await db
      .insert(pushRemindersSent)
      .values(
        [...unique.values()].map((item) => ({
          patientId: userId,
          day: item.day,
          itemKey: item.key,
          sentAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ day: pushRemindersSent.day, itemKey: pushRemindersSent.itemKey });
    if (claimed.length === 0) return false;
    const sent = await this.sendToUser(userId, REMINDER_NOTIFICATION, now);
    if (sent.delivered > 0) return true;
    // no device took it: release the claim, so that the next run tries again
    for (const day of new Set(claimed.map((row) => row.day))) {
      await db.delete(pushRemindersSent).where(
        and(
          eq(pushRemindersSent.patientId, userId),
          eq(pushRemindersSent.day, day),
          inArray(
            pushRemindersSent.itemKey,
            claimed.filter((row) => row.day === day).map((row) => row.itemKey),
          ),
        ),
      );
    }
    return false;
  }

  private async sendOne(
    subscription: StoredSubscription,
    payload: NotificationPayload,
    now: Date,
  ): Promise<keyof SendSummary> {
    const { db, subject, agent, timeoutMs = 10_000 } = this.options;
    const keys = await this.keys();
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          contentEncoding: 'aes128gcm',
          TTL: TTL_SECONDS,
          urgency: 'normal',
          topic: TOPIC,
          timeout: timeoutMs,
          ...(agent ? { agent } : {}),
        },
      );
      await markSuccess(db, subscription, now);
      return 'delivered';
    } catch (error) {
      const status = error instanceof webpush.WebPushError ? error.statusCode : null;
      if (status === 404 || status === 410) {
        await dropSubscription(db, subscription);
        return 'removed';
      }
      const words = status !== null ? `HTTP ${status}` : errorWords(error);
      await markFailure(db, subscription, now, words);
      this.options.log?.warn(
        { endpointOrigin: new URL(subscription.endpoint).origin, error: words },
        'push: send failed',
      );
      return 'failed';
    }
  }
}

/** A short description of a network error: its code, else its message. */
function errorWords(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof message === 'string') return message;
  }
  return String(error);
}

/**
 * The VAPID subject for a server: its public https address, or a placeholder mailto: that names no one
 * when there is none (push services accept it; they use it only to contact the operator).
 * @param publicUrl - PUBLIC_URL
 */
export function vapidSubject(publicUrl: string | undefined): string {
  if (publicUrl?.startsWith('https://')) return new URL(publicUrl).origin;
  return 'mailto:push@dystrack.invalid';
}

/** The push service of each open database's app (see {@link pushServiceOf}). */
const services = new WeakMap<Db, PushService>();

/**
 * Makes `service` the one {@link pushServiceOf} returns for its database (the push routes do this when
 * the app is built), so that tests and tools reach the app's instance.
 */
export function registerPushService(db: Db, service: PushService): void {
  services.set(db, service);
}

/**
 * The push service of the app built on this database, e.g. to run `sendDueReminders` at a chosen time
 * in a test, or to give it an HTTPS agent that trusts a local push service.
 * @throws Error when no app was built on the database
 */
export function pushServiceOf(db: Db): PushService {
  const service = services.get(db);
  if (!service) throw new Error('no app with push routes was built on this database');
  return service;
}
