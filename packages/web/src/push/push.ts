import { ApiError, apiDelete, apiGet, apiPost } from '../api/client.js';
import { SERVICE_WORKER_SCOPE, SERVICE_WORKER_URL } from '../pwa/register.js';

/*
 * Web Push on this device: the service worker (/sw.js, built from src/sw.ts), the browser's push subscription
 * and the server's copy of it. The worker is registered at every start (src/pwa/register.ts: it also keeps
 * the app for offline use); turning notifications on registers it again (a no-op when it is there) before
 * subscribing. Turning notifications off unsubscribes but leaves the worker.
 */

/** The service worker script and its scope (the whole app, so that a notification can open any page). */
export { SERVICE_WORKER_SCOPE, SERVICE_WORKER_URL };

/**
 * How long the browser may take to subscribe. Subscribing goes to the browser maker's push service; when
 * that cannot be reached (offline, blocked network), some browsers never answer, and the button would
 * say "Turning on…" for ever.
 */
export const SUBSCRIBE_TIMEOUT_MS = 30_000;

/** What a push test answered: how many devices the push services took the notification for. */
export interface PushTestResult {
  delivered: number;
  failed: number;
  removed: number;
}

/** Where notifications stand on this device. */
export type NotificationState =
  /** no service worker, Push API or Notification API, or not a secure context */
  | 'unsupported'
  /** the person (or the browser's settings) blocked notifications for this site */
  | 'denied'
  /** supported and allowed or not asked yet, but this device is not subscribed */
  | 'off'
  /** this device is subscribed (and the server has been told) */
  | 'on';

/** Whether this browser can receive Web Push notifications here. */
export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/** The service worker registration of the app, if one was made (does not register). */
async function existingRegistration(): Promise<ServiceWorkerRegistration | undefined> {
  return navigator.serviceWorker.getRegistration(SERVICE_WORKER_SCOPE);
}

/** This device's push subscription, or null (does not register or subscribe). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await existingRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/**
 * Where notifications stand on this device. When it is subscribed, the subscription is sent to the server
 * again (an upsert): browsers renew subscriptions now and then, and this keeps the server's copy current.
 */
export async function readNotificationState(): Promise<NotificationState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const subscription = await currentSubscription();
  if (!subscription || Notification.permission !== 'granted') return 'off';
  try {
    await saveOnServer(subscription);
  } catch (error) {
    // another account's endpoint: this device is not on for the signed-in person
    if (error instanceof ApiError && error.code === 'E_CONFLICT') return 'off';
    throw error;
  }
  return 'on';
}

/** Decodes base64url (the server's VAPID key) into bytes for `applicationServerKey`. */
export function base64urlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The promise's value, or an error with `message` once `ms` have passed. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

async function saveOnServer(subscription: PushSubscription): Promise<void> {
  await apiPost('/api/v1/push/subscriptions', subscription.toJSON());
}

/**
 * Turns notifications on for this device: asks for permission (call it from a click), registers the
 * service worker, subscribes with the server's key and stores the subscription on the server. A
 * subscription made with another key, or stored for another account (the device was used by someone
 * else), is replaced by a new one.
 * @returns the resulting state: `on`, or `denied`/`off` when permission was refused or dismissed
 */
export async function enableNotifications(): Promise<NotificationState> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return 'denied';
  if (permission !== 'granted') return 'off';
  await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await apiGet<{ publicKey: string }>('/api/v1/push/public-key');
  const key = base64urlToBytes(publicKey);
  const subscribe = () =>
    withTimeout(
      registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
      SUBSCRIBE_TIMEOUT_MS,
      'The browser could not reach its notification service. Check the internet connection and try again.',
    );
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await subscribe();
  try {
    await saveOnServer(subscription);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'E_CONFLICT')) throw error;
    // the endpoint is another account's: a fresh subscription gets a new endpoint
    await subscription.unsubscribe();
    await saveOnServer(await subscribe());
  }
  return 'on';
}

/** Turns notifications off for this device: the server forgets the subscription, the browser drops it. */
export async function disableNotifications(): Promise<NotificationState> {
  const subscription = await currentSubscription();
  if (subscription) {
    await apiDelete('/api/v1/push/subscriptions', { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  return pushSupported() && Notification.permission === 'denied' ? 'denied' : 'off';
}

/** Asks the server to send a test notification to every device of the signed-in person. */
export async function sendTestNotification(): Promise<PushTestResult> {
  return apiPost<PushTestResult>('/api/v1/push/test');
}
