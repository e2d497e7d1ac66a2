import { lazy, Suspense, type ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation, useSearch, Link } from 'wouter';
import { Layout } from './components/layout.js';
import { useTitle } from './components/use-title.js';
import { TaskPage } from './pages/task.js';

// The task cards and the task pages (the capture routes) are in the first bundle; every other page is loaded
// when it is first opened, so that a capture route loads as little JavaScript as possible.
const HomePage = lazy(async () => ({ default: (await import('./pages/home.js')).HomePage }));
const LogInPage = lazy(async () => ({ default: (await import('./pages/log-in.js')).LogInPage }));
const SignUpPage = lazy(async () => ({ default: (await import('./pages/sign-up.js')).SignUpPage }));
const ResetPage = lazy(async () => ({ default: (await import('./pages/reset.js')).ResetPage }));
const RecoverPage = lazy(async () => ({ default: (await import('./pages/reset.js')).RecoverPage }));
const ProfilePage = lazy(async () => ({ default: (await import('./pages/profile.js')).ProfilePage }));
const AccountPage = lazy(async () => ({ default: (await import('./pages/account.js')).AccountPage }));
const RecordingsPage = lazy(async () => ({
  default: (await import('./pages/recordings.js')).RecordingsPage,
}));
const SoundCheckPage = lazy(async () => ({
  default: (await import('./pages/sound-check.js')).SoundCheckPage,
}));
const MidiImportPage = lazy(async () => ({
  default: (await import('./pages/midi-import.js')).MidiImportPage,
}));
const DiaryPage = lazy(async () => ({ default: (await import('./pages/diary.js')).DiaryPage }));
const ScalesPage = lazy(async () => ({ default: (await import('./pages/scales.js')).ScalesPage }));
const TreatmentsPage = lazy(async () => ({
  default: (await import('./pages/treatments.js')).TreatmentsPage,
}));
const RoutinePage = lazy(async () => ({ default: (await import('./pages/routine.js')).RoutinePage }));
const TrendsPage = lazy(async () => ({ default: (await import('./pages/trends.js')).TrendsPage }));
const CyclesPage = lazy(async () => ({ default: (await import('./pages/cycles.js')).CyclesPage }));
const TriggersPage = lazy(async () => ({ default: (await import('./pages/triggers.js')).TriggersPage }));
const ReportsPage = lazy(async () => ({ default: (await import('./pages/reports.js')).ReportsPage }));
const WorkCapacityPage = lazy(async () => ({
  default: (await import('./pages/work-capacity.js')).WorkCapacityPage,
}));
const VerifyPage = lazy(async () => ({ default: (await import('./pages/work-capacity.js')).VerifyPage }));
const LearnPage = lazy(async () => ({ default: (await import('./pages/learn.js')).LearnPage }));
const HandoverPage = lazy(async () => ({ default: (await import('./pages/handover.js')).HandoverPage }));
const PhonePage = lazy(async () => ({ default: (await import('./pages/handover.js')).PhonePage }));
const RecordOnlyPage = lazy(async () => ({ default: (await import('./pages/handover.js')).RecordOnlyPage }));
const SharingPage = lazy(async () => ({ default: (await import('./pages/sharing.js')).SharingPage }));
const SharingRedeemPage = lazy(async () => ({
  default: (await import('./pages/sharing.js')).SharingRedeemPage,
}));
const ActivityPage = lazy(async () => ({ default: (await import('./pages/activity.js')).ActivityPage }));
const ClinicPage = lazy(async () => ({ default: (await import('./pages/clinic.js')).ClinicPage }));
const ClinicRedeemPage = lazy(async () => ({
  default: (await import('./pages/clinic.js')).ClinicRedeemPage,
}));
const ClinicPatientPage = lazy(async () => ({
  default: (await import('./pages/clinic-patient.js')).ClinicPatientPage,
}));
const StudiesPage = lazy(async () => ({ default: (await import('./pages/studies.js')).StudiesPage }));
const StudyPage = lazy(async () => ({ default: (await import('./pages/studies.js')).StudyPage }));
const ParticipationPage = lazy(async () => ({
  default: (await import('./pages/participation.js')).ParticipationPage,
}));
import { isProfileComplete, useSession } from './session/session.js';

function Loading() {
  return (
    <div className="page page--narrow">
      <h1>Dystrack</h1>
      <p role="status">Loading…</p>
    </div>
  );
}

function ServerUnreachable() {
  const session = useSession();
  useTitle('Cannot reach the server');
  return (
    <div className="page page--narrow">
      <h1>Cannot reach the server</h1>
      <div className="notice notice--error" role="alert">
        <p>{session.error?.message ?? 'The Dystrack server did not answer.'}</p>
      </div>
      <p>
        Recordings already saved on this device are safe; they are sent once the server can be reached and you
        are signed in.
      </p>
      <div className="actions">
        <button type="button" className="button button--primary" onClick={() => void session.refresh()}>
          Try again
        </button>
      </div>
    </div>
  );
}

function NotFound() {
  useTitle('Page not found');
  return (
    <div className="page page--narrow">
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link href="/">Go to the start page</Link>
      </p>
    </div>
  );
}

/**
 * Pages for signed-in users: others are sent to sign-in (and come back after); patients who have not
 * completed their profile are sent to onboarding first. `patientOnly` pages send other roles home, and
 * so do `role` pages (clinician or researcher pages) for anyone but an approved account of that role.
 */
function Protected({
  children,
  patientOnly = false,
  role,
  allowIncompleteProfile = false,
  recordScope = false,
}: {
  children: ReactNode;
  patientOnly?: boolean;
  /** A page of an approved clinician or researcher. */
  role?: 'clinician' | 'researcher';
  allowIncompleteProfile?: boolean;
  /** Whether a phone signed in for recording only (hand-over) may open the page. */
  recordScope?: boolean;
}) {
  const session = useSession();
  const [location] = useLocation();
  const search = useSearch();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'error' && !session.user) return <ServerUnreachable />;
  if (!session.user) {
    const next = location + (search ? `?${search}` : '');
    return <Redirect to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const isPatient = session.user.role === 'patient';
  if (patientOnly && !isPatient) return <Redirect to="/" replace />;
  // the home page says when a clinician or researcher account still waits for approval
  if (role && (session.user.role !== role || !session.user.roleApproved)) return <Redirect to="/" replace />;
  if (session.user.scope === 'record') return recordScope ? <>{children}</> : <RecordOnlyPage />;
  if (isPatient && !allowIncompleteProfile && !isProfileComplete(session.profile))
    return <Redirect to="/onboarding" replace />;
  return <>{children}</>;
}

/** Public pages wait for the session too, so that a signed-in user is not shown the sign-in form for a moment. */
function Public({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.status === 'loading') return <Loading />;
  return <>{children}</>;
}

/** The routes of the app inside the shared layout. */
export function App() {
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/login">
            <Public>
              <LogInPage />
            </Public>
          </Route>
          <Route path="/signup">
            <Public>
              <SignUpPage />
            </Public>
          </Route>
          <Route path="/reset">
            <Public>
              <ResetPage />
            </Public>
          </Route>
          <Route path="/recover">
            <Public>
              <RecoverPage />
            </Public>
          </Route>
          <Route path="/onboarding">
            <Protected patientOnly allowIncompleteProfile>
              <ProfilePage onboarding />
            </Protected>
          </Route>
          <Route path="/profile">
            <Protected patientOnly>
              <ProfilePage />
            </Protected>
          </Route>
          <Route path="/account">
            <Protected allowIncompleteProfile>
              <AccountPage />
            </Protected>
          </Route>
          <Route path="/recordings">
            <Protected patientOnly recordScope>
              <RecordingsPage />
            </Protected>
          </Route>
          <Route path="/sound-check">
            <Protected recordScope>
              <SoundCheckPage />
            </Protected>
          </Route>
          <Route path="/import/midi">
            <Protected patientOnly>
              <MidiImportPage />
            </Protected>
          </Route>
          <Route path="/diary">
            <Protected patientOnly>
              <DiaryPage />
            </Protected>
          </Route>
          <Route path="/scales">
            <Protected patientOnly>
              <ScalesPage />
            </Protected>
          </Route>
          <Route path="/treatments">
            <Protected patientOnly>
              <TreatmentsPage />
            </Protected>
          </Route>
          <Route path="/routine">
            <Protected patientOnly>
              <RoutinePage />
            </Protected>
          </Route>
          <Route path="/trends">
            <Protected patientOnly>
              <TrendsPage />
            </Protected>
          </Route>
          <Route path="/trends/cycles">
            <Protected patientOnly>
              <CyclesPage />
            </Protected>
          </Route>
          <Route path="/trends/triggers">
            <Protected patientOnly>
              <TriggersPage />
            </Protected>
          </Route>
          <Route path="/reports">
            <Protected patientOnly>
              <ReportsPage />
            </Protected>
          </Route>
          <Route path="/reports/work-capacity">
            <Protected patientOnly>
              <WorkCapacityPage />
            </Protected>
          </Route>
          <Route path="/verify">
            <Public>
              <VerifyPage />
            </Public>
          </Route>
          <Route path="/learn/:slug?">
            {(params) => (
              <Public>
                <LearnPage slug={params.slug} />
              </Public>
            )}
          </Route>
          <Route path="/handover">
            <Protected patientOnly>
              <HandoverPage />
            </Protected>
          </Route>
          <Route path="/sharing">
            <Protected patientOnly>
              <SharingPage />
            </Protected>
          </Route>
          <Route path="/sharing/redeem">
            <Protected patientOnly>
              <SharingRedeemPage />
            </Protected>
          </Route>
          <Route path="/activity">
            <Protected patientOnly>
              <ActivityPage />
            </Protected>
          </Route>
          <Route path="/participation">
            <Protected patientOnly>
              <ParticipationPage />
            </Protected>
          </Route>
          <Route path="/clinic">
            <Protected role="clinician">
              <ClinicPage />
            </Protected>
          </Route>
          <Route path="/clinic/redeem">
            <Protected role="clinician">
              <ClinicRedeemPage />
            </Protected>
          </Route>
          <Route path="/clinic/patients/:patientId/tasks/:taskId/:hand">
            {(params) => (
              <Protected role="clinician">
                <TaskPage
                  key={`${params.patientId}/${params.taskId}/${params.hand}`}
                  taskId={params.taskId}
                  hand={params.hand}
                  forPatientId={params.patientId}
                />
              </Protected>
            )}
          </Route>
          <Route path="/clinic/patients/:patientId/:section?">
            {(params) => (
              <Protected role="clinician">
                <ClinicPatientPage patientId={params.patientId} section={params.section} />
              </Protected>
            )}
          </Route>
          <Route path="/studies">
            <Protected role="researcher">
              <StudiesPage />
            </Protected>
          </Route>
          <Route path="/studies/:studyId">
            {(params) => (
              <Protected role="researcher">
                <StudyPage studyId={params.studyId} />
              </Protected>
            )}
          </Route>
          <Route path="/phone">
            <Public>
              <PhonePage />
            </Public>
          </Route>
          <Route path="/tasks/:taskId/:hand">
            {(params) => (
              <Protected patientOnly recordScope>
                <TaskPage key={`${params.taskId}/${params.hand}`} taskId={params.taskId} hand={params.hand} />
              </Protected>
            )}
          </Route>
          <Route path="/">
            <Protected recordScope>
              <HomePage />
            </Protected>
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}
