import { lazy, Suspense } from 'react';
import { TASK_DEFINITIONS, type Hand, type TaskDefinition } from '@dystrack/tasks';
import { Link } from 'wouter';
import type { Profile } from '../api/types.js';
import { useTitle } from '../components/use-title.js';
import { approxDurationWords, handWords, inputsWords } from '../format.js';
import { useQueueEntries } from '../queue/index.js';
import { useSession } from '../session/session.js';
import { SeeADoctor } from '../components/see-a-doctor.js';

// What is due today needs the schedule model (zod, the questionnaire definitions): loaded after the home page
// shows, so that the first bundle (the home page and the capture routes) stays small.
const DueToday = lazy(async () => ({ default: (await import('../components/due-today.js')).DueToday }));

function isAffected(hand: Hand, profile: Profile | null): boolean {
  const affected = profile?.affectedHands;
  if (!affected) return false;
  return affected === 'both' || hand === affected || hand === 'both';
}

/** One card per task of the registry: title, summary, duration, inputs, and a Start button per hand. */
export function TaskCards({ tasks, profile }: { tasks: readonly TaskDefinition[]; profile: Profile | null }) {
  if (tasks.length === 0) return <p>No tasks are available in this version.</p>;
  return (
    <ul className="task-cards">
      {tasks.map((definition) => {
        const headingId = `task-${definition.id}-title`;
        return (
          <li key={definition.id} className="task-card">
            <article aria-labelledby={headingId}>
              <h3 id={headingId}>{definition.title}</h3>
              <p>{definition.summary}</p>
              <dl className="facts facts--compact">
                <div>
                  <dt>Takes</dt>
                  <dd>{approxDurationWords(definition.approxDurationS)}</dd>
                </div>
                <div>
                  <dt>You can use</dt>
                  <dd>{inputsWords(definition.inputs)}</dd>
                </div>
              </dl>
              <div className="task-card__starts">
                {definition.hands.map((hand) => (
                  <Link
                    key={hand}
                    href={`/tasks/${definition.id}/${hand}`}
                    className="button button--primary button--start"
                  >
                    Start with the {handWords(hand)}
                    {isAffected(hand, profile) ? (
                      <span className="button__note">your affected hand</span>
                    ) : null}
                  </Link>
                ))}
              </div>
            </article>
          </li>
        );
      })}
    </ul>
  );
}

/** What waits on this device, as one line with a link. */
function QueueSummary({ userId }: { userId: string }) {
  const entries = useQueueEntries(userId);
  if (!entries) return null;
  const incomplete = entries.filter((e) => e.state === 'incomplete').length;
  const rejected = entries.filter((e) => e.state === 'rejected' && !e.kept).length;
  if (incomplete === 0 && rejected === 0) return null;
  const parts: string[] = [];
  if (rejected > 0)
    parts.push(`${rejected} recording${rejected === 1 ? ' was' : 's were'} refused by the server`);
  if (incomplete > 0)
    parts.push(`${incomplete} incomplete recording${incomplete === 1 ? ' is' : 's are'} kept on this device`);
  return (
    <div className="notice notice--info">
      <p>
        {parts.join(', and ')}.{' '}
        <Link href="/recordings">See what you can do with {incomplete + rejected === 1 ? 'it' : 'them'}</Link>
        .
      </p>
    </div>
  );
}

/** Home: the task cards for patients; the account's status for other roles. */
export function HomePage({ tasks = TASK_DEFINITIONS }: { tasks?: readonly TaskDefinition[] }) {
  const session = useSession();
  const user = session.user!;
  const isPatient = user.role === 'patient';
  useTitle(isPatient ? 'Tasks' : 'Home');

  if (!isPatient) {
    const role = user.role;
    return (
      <div className="page page--narrow">
        <h1>Welcome, {user.displayName}</h1>
        {role !== 'admin' && !user.roleApproved ? (
          <div className="notice notice--info">
            <p>
              Your {role} account is waiting for approval by an administrator of this Dystrack service. Until
              then you can only manage your account.
            </p>
          </div>
        ) : (
          <>
            {role === 'clinician' ? (
              <p className="lead">
                <Link href="/clinic">Your patients</Link>: the patients who share their data with you, what
                changed since your last visit, invitations and supervised recordings in the clinic.
              </p>
            ) : null}
            {role === 'researcher' ? (
              <p className="lead">
                <Link href="/studies">Your studies</Link>: define a study, enrol participants by consent and
                download de-identified data.
              </p>
            ) : null}
            <p>
              You are signed in with a {role} account. The measurement tasks are for patient accounts; you can
              manage your sign-in on the <Link href="/account">Account</Link> page.
            </p>
          </>
        )}
      </div>
    );
  }

  const diagnosis = session.profile?.diagnosisConfirmed;
  // a phone signed in for recording only (desk-to-phone hand-over): the tasks, nothing that needs more access
  const recordOnly = user.scope === 'record';
  return (
    <div className="page">
      <h1>Tasks</h1>
      <p className="lead">
        Hello, {user.displayName}. Choose a task and the hand to measure. Doing the same tasks regularly, with
        both hands, shows how your hand changes over time.
      </p>
      <QueueSummary userId={user.id} />
      {recordOnly ? null : (
        <Suspense fallback={null}>
          <DueToday />
        </Suspense>
      )}
      {diagnosis === 'no' || diagnosis === 'unsure' ? <SeeADoctor /> : null}
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading" className="visually-hidden">
          Available tasks
        </h2>
        <TaskCards tasks={tasks} profile={session.profile} />
        {recordOnly ? null : (
          <>
            <p className="home__import">
              Played on a digital piano that this browser cannot connect to?{' '}
              <Link href="/import/midi">Import a .mid file</Link>.
            </p>
            <p className="home__import">
              Easier on your phone (the tremor task uses its motion sensors)?{' '}
              <Link href="/handover">Record on your phone</Link> without typing your password there.
            </p>
            <p className="home__import">
              Invited to take part in research? <Link href="/participation">Research studies</Link>: join a
              study with the researcher’s code, or see the studies you take part in.
            </p>
          </>
        )}
      </section>
      <section aria-labelledby="checks-heading" className="device-checks">
        <h2 id="checks-heading">Device checks</h2>
        <p>
          <Link href="/sound-check">Sound timing check</Link>: measures once how late the metronome’s clicks
          reach you on this device, so that tapping with the beat also shows how far ahead of the beat you
          tap.
        </p>
      </section>
    </div>
  );
}
