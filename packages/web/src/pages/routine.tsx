import { Suspense, lazy, useEffect, useRef, useState, type FormEvent } from 'react';
import { SCHEDULE_VERSION, scheduleSchema, type PlannedInjection, type ScheduleInput } from '@dystrack/core';
import { fieldIssues } from '../api/client.js';
import { getDue, getSchedule, saveSchedule } from '../api/routine.js';
import type { Profile } from '../api/types.js';
import { ErrorSummary, type FormProblem } from '../components/form.js';
import { activityWords } from '../components/due-today.js';
import { useTitle } from '../components/use-title.js';
import { useSession } from '../session/session.js';
import { errorMessage, useFormProblems } from './form-helpers.js';
import { CalendarSection } from './routine-calendar.js';
import {
  BaselineEditor,
  ROUTINE_TASKS,
  RecurringEditor,
  fieldId,
  type DraftBaseline,
  type DraftItem,
  type DraftRecurring,
} from './routine-items.js';

/*
 * The routine (/routine): what to do when. Presets fill in a usual plan, each item is edited with large
 * controls, and one Save stores the whole routine (the server keeps every version). The calendar link and,
 * later, notifications sit below it.
 */

/** The push reminders' settings (components/notifications.tsx), loaded with their own chunk when shown. */
const NotificationsSettings = lazy(() =>
  import('../components/notifications.js').then((m) => ({ default: m.NotificationsSettings })),
);

/** The zone this device is in: the routine's times are meant there. */
function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Today's date on this device, `YYYY-MM-DD`. */
function todayHere(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

let nextId = 0;
/** A new item id, unique within the routine (letters, digits and - only, as the model asks). */
function newItemId(kind: string): string {
  nextId += 1;
  return `${kind}-${Date.now().toString(36)}-${nextId}`;
}

/**
 * Tasks that suit the forms of dystonia in the profile, for the presets (the person changes them freely):
 * writing for writer's cramp, typing for typists, the precision task for tool users, tapping otherwise.
 */
export function suggestedTasks(profile: Profile | null): string[] {
  const forms = profile?.dystoniaForms ?? [];
  const tasks: string[] = [];
  if (forms.includes('writers-cramp')) tasks.push('handwriting', 'spiral');
  if (forms.includes('typists')) tasks.push('typing');
  if (forms.includes('tool-use')) tasks.push('precision');
  if (forms.includes('musicians') || tasks.length === 0) tasks.push('tapping');
  return [...new Set(tasks)].filter((task) => ROUTINE_TASKS.includes(task));
}

/** "Tasks twice a week, diary daily": the suggested tasks on Monday and Thursday at 18:00, the diary at 20:00. */
export function twiceAWeekPreset(profile: Profile | null, today: string): DraftItem[] {
  return [
    ...suggestedTasks(profile).map((activity): DraftRecurring => ({
      id: newItemId('task'),
      type: 'recurring',
      activity,
      repeat: { kind: 'weekdays', weekdays: ['mon', 'thu'] },
      time: '18:00',
    })),
    {
      id: newItemId('diary'),
      type: 'recurring',
      activity: 'diary',
      repeat: { kind: 'interval', everyDays: 1, startDate: today },
      time: '20:00',
    },
  ];
}

/** "Baseline block before injections": three sessions of the suggested tasks in the 14 days before. */
export function baselinePreset(profile: Profile | null): DraftBaseline {
  return {
    id: newItemId('baseline'),
    type: 'baseline',
    activities: suggestedTasks(profile),
    sessions: 3,
    daysBefore: 14,
    time: '10:00',
    nextInjectionDate: null,
    intervalDays: null,
  };
}

/** Adds preset items, leaving out a recurring activity the routine already plans. */
function addItems(items: DraftItem[], added: DraftItem[]): { items: DraftItem[]; count: number } {
  const planned = new Set(items.flatMap((i) => (i.type === 'recurring' ? [i.activity] : [])));
  const fresh = added.filter((i) => i.type !== 'recurring' || !planned.has(i.activity));
  return { items: [...items, ...fresh], count: fresh.length };
}

/** Problems of a routine by the field they belong to (paths as in `details.issues`). */
function problemsOf(issues: Record<string, string>): FormProblem[] {
  return Object.entries(issues).map(([path, message]) => {
    const index = /^items\.(\d+)/.exec(path)?.[1];
    const label = index !== undefined ? `Reminder ${Number(index) + 1}: ` : '';
    // the field's own id when it has one, else its item's, else the list
    const candidates = [path, path.replace(/\.\d+$/, ''), index !== undefined ? `items.${index}` : 'items'];
    const target =
      candidates.find(
        (candidate) => typeof document !== 'undefined' && document.getElementById(fieldId(candidate)),
      ) ?? 'items';
    return {
      fieldId: fieldId(target),
      message: `${label}${message[0]?.toUpperCase() ?? ''}${message.slice(1)}`,
    };
  });
}

/** Issues of a routine checked in the browser with the same model the server uses. */
function localIssues(schedule: ScheduleInput): Record<string, string> {
  const result = scheduleSchema.safeParse(schedule);
  const out: Record<string, string> = {};
  if (result.success) return out;
  for (const issue of result.error.issues) out[issue.path.join('.')] ??= issue.message;
  return out;
}

/** The routine page. */
export function RoutinePage() {
  useTitle('Routine');
  const session = useSession();
  const profile = session.profile;
  const [items, setItems] = useState<DraftItem[] | null>(null);
  const [savedZone, setSavedZone] = useState<string | null>(null);
  const [injections, setInjections] = useState<PlannedInjection[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const { problems, show, errorOf: errorOfField, summaryRef } = useFormProblems();
  const listRef = useRef<HTMLDivElement>(null);
  const zone = deviceTimeZone();
  const today = todayHere();

  useEffect(() => {
    const controller = new AbortController();
    getSchedule(controller.signal).then(
      (stored) => {
        setItems((stored.schedule?.items as DraftItem[] | undefined) ?? []);
        setSavedZone(stored.schedule?.timeZone ?? null);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setLoadError(errorMessage(e));
      },
    );
    getDue(controller.signal).then(
      (due) => setInjections(due?.injections ?? []),
      () => undefined, // only the injection dates come from here: the page works without them
    );
    return () => controller.abort();
  }, []);

  const errorOf = (path: string) => errorOfField(fieldId(path));

  function update(index: number, item: DraftItem) {
    setItems((current) => current && current.map((old, i) => (i === index ? item : old)));
  }

  function remove(index: number) {
    setItems((current) => current && current.filter((_, i) => i !== index));
    setStatus(`Reminder ${index + 1} is removed. Save to keep the change.`);
    listRef.current?.focus();
  }

  function add(added: DraftItem[], what: string) {
    if (!items) return;
    const next = addItems(items, added);
    setItems(next.items);
    setStatus(
      next.count === 0
        ? `Nothing added: your routine already has ${what}.`
        : `Added ${next.count} reminder${next.count === 1 ? '' : 's'} (${what}). Check the days and times, then save.`,
    );
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!items) return;
    setStatus(null);
    const schedule: ScheduleInput = { version: SCHEDULE_VERSION, timeZone: zone, items };
    const issues = localIssues(schedule);
    if (Object.keys(issues).length > 0) {
      show(problemsOf(issues));
      return;
    }
    show([]);
    setBusy(true);
    try {
      const stored = await saveSchedule(schedule);
      setItems((stored.schedule?.items as DraftItem[] | undefined) ?? []);
      setSavedZone(stored.schedule?.timeZone ?? zone);
      setStatus('Your routine is saved. The Tasks page shows what is due, and a calendar link follows it.');
      getDue().then(
        (due) => setInjections(due?.injections ?? []),
        () => undefined,
      );
    } catch (error) {
      const issues = fieldIssues(error);
      show(
        Object.keys(issues).length > 0
          ? problemsOf(issues)
          : [{ fieldId: 'routine-save', message: `The routine could not be saved: ${errorMessage(error)}` }],
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page page--narrow routine">
      <h1>Routine</h1>
      <p className="lead">
        Plan what to do when. The Tasks page then shows what is due today, and your calendar can remind you.
      </p>
      {loadError ? (
        <p className="field__error" role="alert">
          Your routine could not be loaded: {loadError}
        </p>
      ) : null}
      {items === null && !loadError ? <p role="status">Loading your routine…</p> : null}
      {items !== null ? (
        <>
          <section className="panel" aria-labelledby="presets-heading">
            <h2 id="presets-heading">Start from a usual plan</h2>
            <p className="muted">Each adds reminders below; change them as you like before saving.</p>
            <div className="routine-presets">
              <button
                type="button"
                className="button button--secondary routine-preset"
                onClick={() =>
                  add(twiceAWeekPreset(profile, today), 'tasks twice a week and the diary daily')
                }
              >
                Tasks twice a week, diary daily
                <span className="button__note">
                  {suggestedTasks(profile).map(activityWords).join(', ')} on Monday and Thursday; the diary
                  every evening
                </span>
              </button>
              <button
                type="button"
                className="button button--secondary routine-preset"
                onClick={() => add([baselinePreset(profile)], 'a baseline block')}
              >
                Baseline block before injections
                <span className="button__note">
                  3 sessions in the 14 days before each botulinum-toxin injection
                </span>
              </button>
            </div>
          </section>

          <form
            onSubmit={(event) => void onSubmit(event)}
            noValidate
            className="form"
            aria-labelledby="items-heading"
          >
            <ErrorSummary problems={problems} summaryRef={summaryRef} />
            <div className="routine-items__head">
              <h2 id="items-heading">Your reminders</h2>
              <p className="muted">
                Times are in your time zone here, {zone}.
                {savedZone && savedZone !== zone
                  ? ` The saved routine was planned in ${savedZone}; saving plans it in ${zone}.`
                  : ''}
              </p>
            </div>
            <div id={fieldId('items')} ref={listRef} tabIndex={-1} className="routine-items">
              {items.length === 0 ? (
                <p>No reminders yet. Start from a usual plan above, or add one below.</p>
              ) : null}
              {items.map((item, index) =>
                item.type === 'recurring' ? (
                  <RecurringEditor
                    key={item.id}
                    item={item}
                    index={index}
                    label={`Reminder ${index + 1}`}
                    onChange={(next) => update(index, next)}
                    onRemove={() => remove(index)}
                    errorOf={errorOf}
                    today={today}
                  />
                ) : (
                  <BaselineEditor
                    key={item.id}
                    item={item}
                    index={index}
                    label={`Reminder ${index + 1}`}
                    onChange={(next) => update(index, next)}
                    onRemove={() => remove(index)}
                    errorOf={errorOf}
                    injection={injections.find((i) => i.itemId === item.id)}
                  />
                ),
              )}
            </div>
            <div className="actions">
              <button
                type="button"
                className="button button--secondary"
                onClick={() =>
                  add(
                    [
                      {
                        id: newItemId('task'),
                        type: 'recurring',
                        activity: suggestedTasks(profile)[0] ?? 'tapping',
                        repeat: { kind: 'weekdays', weekdays: ['mon'] },
                        time: '18:00',
                      },
                    ],
                    'a new reminder',
                  )
                }
              >
                Add a task, diary or questionnaire
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => add([baselinePreset(profile)], 'a baseline block')}
              >
                Add a baseline block
              </button>
            </div>
            <div className="actions">
              <button
                type="submit"
                id="routine-save"
                className="button button--primary button--large"
                disabled={busy}
              >
                {busy ? 'Saving…' : 'Save the routine'}
              </button>
            </div>
            <p role="status" className="status-line">
              {status}
            </p>
          </form>

          <CalendarSection />

          {/* NOTIFICATIONS: the push reminders' settings, in their own lazy boundary */}
          <Suspense fallback={<p role="status">Loading the notification settings…</p>}>
            <NotificationsSettings />
          </Suspense>
        </>
      ) : null}
    </div>
  );
}
