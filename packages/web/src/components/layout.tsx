import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Link, useLocation } from 'wouter';
import { useQueueEntries, useSenderStatus } from '../queue/index.js';
import { useSession } from '../session/session.js';
import { AppStatus } from '../pwa/app-status.js';

/** Moves focus to the page's main heading after an in-app navigation, so screen readers announce the new page. */
function useFocusOnNavigate(mainRef: RefObject<HTMLElement | null>): void {
  const [location] = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    }
  }, [location, mainRef]);
}

/** A notice stays for the page it was shown on; navigating on clears it. */
function useNoticeLifetime(): void {
  const [location] = useLocation();
  const { notice, setNotice } = useSession();
  const shownAt = useRef<{ notice: unknown; location: string } | null>(null);
  useEffect(() => {
    if (!notice) {
      shownAt.current = null;
      return;
    }
    if (shownAt.current?.notice !== notice) shownAt.current = { notice, location };
    else if (shownAt.current.location !== location) setNotice(null);
  }, [notice, location, setNotice]);
}

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const current = href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} className="nav__link" aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** A short upload summary in the header, linking to the recordings page. */
function UploadBadge({ userId }: { userId: string }) {
  const entries = useQueueEntries(userId);
  const status = useSenderStatus();
  if (!entries) return null;
  const waiting = entries.filter((e) => e.state === 'waiting' || e.state === 'sending').length;
  const rejected = entries.filter((e) => e.state === 'rejected' && !e.kept).length;
  let text: string | null = null;
  if (rejected > 0)
    text = `${rejected} recording${rejected === 1 ? '' : 's'} refused by the server: please look`;
  else if (waiting > 0 && status === 'offline')
    text = `${waiting} recording${waiting === 1 ? '' : 's'} saved on this device, waiting for the server`;
  else if (waiting > 0 && status === 'needs-sign-in')
    text = `${waiting} recording${waiting === 1 ? '' : 's'} waiting: sign in again to send`;
  else if (waiting > 0) text = `Sending ${waiting} recording${waiting === 1 ? '' : 's'}…`;
  return (
    <div className="upload-badge" role="status">
      {text ? (
        <Link
          href="/recordings"
          className={`upload-badge__link${rejected > 0 ? ' upload-badge__link--warn' : ''}`}
        >
          {text}
        </Link>
      ) : null}
    </div>
  );
}

/** The page frame: skip link, header with the app name, navigation and sign-out, main landmark, footer. */
export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const [, navigate] = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  useFocusOnNavigate(mainRef);
  useNoticeLifetime();
  const user = session.user;
  const isPatient = user?.role === 'patient';
  // a phone signed in for recording only (desk-to-phone hand-over) sees the tasks and nothing else
  const recordOnly = user?.scope === 'record';

  async function onSignOut() {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await session.signOut();
      session.setNotice({
        kind: 'info',
        text: 'You are signed out. Recordings not yet sent stay on this device and are sent the next time you sign in here.',
      });
      navigate('/login');
    } catch (error) {
      setSignOutError(error instanceof Error ? error.message : 'Signing out did not work. Please try again.');
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link href="/" className="brand">
            <svg aria-hidden="true" viewBox="0 0 64 64" width="36" height="36" className="brand__mark">
              <rect width="64" height="64" rx="14" />
              <path d="M14 40c6-14 10-14 14 0s8 14 12 0 6-14 10-6" />
            </svg>
            <span className="brand__name">Dystrack</span>
          </Link>
          {user ? (
            <nav aria-label="Main" className="nav">
              <ul className="nav__list">
                <li>
                  <NavLink href="/">{isPatient ? 'Tasks' : 'Home'}</NavLink>
                </li>
                {isPatient && !recordOnly ? (
                  <>
                    <li>
                      <NavLink href="/trends">Trends</NavLink>
                    </li>
                    <li>
                      <NavLink href="/diary">Diary</NavLink>
                    </li>
                    <li>
                      <NavLink href="/scales">Questionnaires</NavLink>
                    </li>
                    <li>
                      <NavLink href="/treatments">Treatments</NavLink>
                    </li>
                    <li>
                      <NavLink href="/routine">Routine</NavLink>
                    </li>
                    <li>
                      <NavLink href="/recordings">Recordings</NavLink>
                    </li>
                    <li>
                      <NavLink href="/profile">Profile</NavLink>
                    </li>
                    <li>
                      <NavLink href="/sharing">Sharing</NavLink>
                    </li>
                  </>
                ) : null}
                {user.role === 'clinician' && user.roleApproved ? (
                  <li>
                    <NavLink href="/clinic">Patients</NavLink>
                  </li>
                ) : null}
                {user.role === 'researcher' && user.roleApproved ? (
                  <li>
                    <NavLink href="/studies">Studies</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink href="/learn">Learn</NavLink>
                </li>
                {recordOnly ? null : (
                  <li>
                    <NavLink href="/account">Account</NavLink>
                  </li>
                )}
              </ul>
            </nav>
          ) : null}
          {user ? (
            <div className="site-header__user">
              {recordOnly ? (
                <span className="site-header__phone">Recording for {user.displayName} on this phone</span>
              ) : (
                <span className="site-header__name">
                  <span className="visually-hidden">Signed in as </span>
                  {user.displayName}
                </span>
              )}
              <button
                type="button"
                className="button button--secondary button--compact"
                onClick={() => void onSignOut()}
                disabled={signingOut}
              >
                {signingOut ? 'Signing out…' : recordOnly ? 'Sign out of this phone' : 'Sign out'}
              </button>
            </div>
          ) : null}
        </div>
        {user ? <UploadBadge userId={user.id} /> : null}
        {signOutError ? (
          <p className="site-header__error" role="alert">
            {signOutError}
          </p>
        ) : null}
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <AppStatus />
        {session.notice ? (
          <div className={`notice notice--${session.notice.kind}`} role="status">
            <p>{session.notice.text}</p>
            <button type="button" className="button button--link" onClick={() => session.setNotice(null)}>
              Dismiss<span className="visually-hidden"> this message</span>
            </button>
          </div>
        ) : null}
        {children}
      </main>
      <footer className="site-footer">
        <p>
          <strong>Dystrack is not a diagnostic device.</strong> It measures how your hand performs tasks and
          shows change over time; it does not diagnose or treat anything. If you have symptoms and have not
          seen a doctor, please see one, preferably a neurologist who specialises in movement disorders.
        </p>
        <p>
          <Link href="/learn">Learn about focal hand dystonia</Link>: what it is, triggers, treatments, and
          working with it.
        </p>
        <p>Your recordings are stored on this service&rsquo;s own server. Open source, self-hosted.</p>
      </footer>
    </>
  );
}
