/**
 * What a push carries: the notification's title and body and the page a click opens. Nothing here may
 * say anything about a person's health, tasks, symptoms or treatments: a notification shows on the lock
 * screen and passes through the browser maker's push service, so it says only that something is due.
 */
export interface NotificationPayload {
  title: string;
  body: string;
  /** A path of this app (the service worker opens same-origin URLs only). */
  url: string;
}

/** The daily reminder. */
export const REMINDER_NOTIFICATION: NotificationPayload = {
  title: 'Dystrack: something is due today',
  body: 'Open Dystrack to see what is planned',
  url: '/routine',
};

/** The notification of the "send a test notification" button. */
export const TEST_NOTIFICATION: NotificationPayload = {
  title: 'Dystrack: test notification',
  body: 'Notifications work on this device',
  url: '/routine',
};
