/*
 * The personal schedule on the server: storage, what is due (`dueForUser`, also for reminders), and the
 * calendar feed.
 */
export * from './store.js';
export * from './calendar.js';
