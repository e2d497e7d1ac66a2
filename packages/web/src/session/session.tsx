import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiError } from '../api/client.js';
import { getProfile, getSession, logOut } from '../api/endpoints.js';
import type { Profile, User } from '../api/types.js';
import { queueSender } from '../queue/index.js';
import { lastSession, rememberSession, setSignOutPending, signOutPending } from './last-session.js';

/** Whether a patient finished onboarding (the server sets `onboardedAt` on the first save). */
export function isProfileComplete(profile: Profile | null): boolean {
  if (!profile) return false;
  if (profile.onboardedAt !== undefined) return profile.onboardedAt !== null;
  return Boolean(
    profile.affectedHands &&
    profile.dominantHand &&
    profile.dystoniaForms.length > 0 &&
    profile.diagnosisConfirmed,
  );
}

/** A message to show on the next page (after sign-in, a saved form, …). */
export interface Notice {
  kind: 'success' | 'info';
  text: string;
}

export interface SessionValue {
  /**
   * `loading` until the first answer; `error` when the server could not be asked. With `error` and a `user`,
   * the app is offline: the user is the one the server last confirmed on this device (or in this tab).
   */
  status: 'loading' | 'ready' | 'error';
  error: ApiError | null;
  user: User | null;
  /** The patient's profile (null for other roles and while loading). */
  profile: Profile | null;
  /** Asks the server again who is signed in. */
  refresh(): Promise<void>;
  /** After sign-in or sign-up: the user the server answered with. */
  signedIn(user: User): Promise<void>;
  signOut(): Promise<void>;
  setProfile(profile: Profile): void;
  notice: Notice | null;
  setNotice(notice: Notice | null): void;
}

/** How often the session is asked for again while the server cannot be reached, ms. */
const SESSION_RETRY_MS = 10_000;

const SessionContext = createContext<SessionValue | null>(null);

/** The session: who is signed in, the patient's profile, sign-out. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}

interface State {
  status: SessionValue['status'];
  error: ApiError | null;
  user: User | null;
  profile: Profile | null;
}

/** Ends the server session; a 401 (ended already) counts as done. */
async function endServerSession(): Promise<void> {
  try {
    await logOut();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

async function loadProfile(user: User | null): Promise<Profile | null> {
  // a phone signed in for recording only (desk-to-phone hand-over) may not read the profile
  if (!user || user.role !== 'patient' || user.scope === 'record') return null;
  return getProfile();
}

/**
 * Loads the session on start and keeps the upload sender bound to the signed-in user
 * (entries are only ever sent by the session of the user who made them).
 * @param initial - a known session (tests); skips the first request
 */
export function SessionProvider({
  children,
  initial,
}: {
  children: ReactNode;
  initial?: { user: User | null; profile?: Profile | null };
}) {
  const [state, setState] = useState<State>(() =>
    initial
      ? { status: 'ready', error: null, user: initial.user, profile: initial.profile ?? null }
      : { status: 'loading', error: null, user: null, profile: null },
  );
  const [notice, setNotice] = useState<Notice | null>(null);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    try {
      // a sign-out made while the server could not be reached ends the server session first
      if (signOutPending()) {
        await endServerSession();
        setSignOutPending(false);
      }
      const user = await getSession();
      const profile = await loadProfile(user);
      if (mine === generation.current) setState({ status: 'ready', error: null, user, profile });
    } catch (error) {
      if (mine !== generation.current) return;
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'E_NETWORK', String(error));
      if (apiError.status === 401) setState({ status: 'ready', error: null, user: null, profile: null });
      else
        setState((previous) => {
          // offline: the last user the server confirmed on this device may go on recording
          const known = previous.user ? null : lastSession();
          return known
            ? { status: 'error', error: apiError, user: known.user, profile: known.profile }
            : { ...previous, status: 'error', error: apiError };
        });
    }
  }, []);

  const hasInitial = initial !== undefined;
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loading the session from the server on start
    if (!hasInitial) void refresh();
  }, [refresh, hasInitial]);

  useEffect(() => {
    queueSender().setUser(state.user?.id ?? null);
  }, [state.user?.id]);

  // What the server confirmed is kept for offline starts (a session given as `initial` is not); when the
  // server answers again after being unreachable, what waited is sent at once.
  const wasUnreachable = useRef(false);
  const fromServer = useRef(initial === undefined);
  useEffect(() => {
    if (state.status !== 'ready') {
      wasUnreachable.current ||= state.status === 'error';
      return;
    }
    if (fromServer.current) rememberSession(state.user, state.profile);
    if (wasUnreachable.current && state.user)
      void queueSender()
        .flush({ force: true })
        .catch(() => undefined);
    wasUnreachable.current = false;
  }, [state]);

  // The server answered an upload with 401: the session may have ended. Ask again; if it has, the
  // pages send the person to sign-in, and signing in resumes the uploads.
  useEffect(
    () =>
      queueSender().subscribe((status) => {
        if (status === 'needs-sign-in') void refresh();
      }),
    [refresh],
  );

  // While the server cannot be reached, ask again every few seconds and when the browser comes online.
  const unreachable = state.status === 'error';
  useEffect(() => {
    if (!unreachable) return undefined;
    const retry = () => void refresh();
    const timer = setInterval(retry, SESSION_RETRY_MS);
    window.addEventListener('online', retry);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', retry);
    };
  }, [unreachable, refresh]);

  const signedIn = useCallback(async (user: User) => {
    // signing in replaced the cookie: a sign-out still pending would end this new session
    setSignOutPending(false);
    const mine = ++generation.current;
    const profile = await loadProfile(user).catch(() => null);
    if (mine === generation.current) setState({ status: 'ready', error: null, user, profile });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await endServerSession();
    } catch (error) {
      // No answer (offline): the person is forgotten on this device at once, and the server session is
      // ended at the server's next answer (a shared device must not stay signed in). An HTTP error other
      // than 401 is reported to the caller.
      if (!(error instanceof ApiError && error.status === 0)) throw error;
      setSignOutPending(true);
    }
    ++generation.current;
    queueSender().setUser(null);
    rememberSession(null, null);
    setState({ status: 'ready', error: null, user: null, profile: null });
  }, []);

  const setProfile = useCallback(
    (profile: Profile) => setState((previous) => ({ ...previous, profile })),
    [],
  );

  const value = useMemo<SessionValue>(
    () => ({ ...state, refresh, signedIn, signOut, setProfile, notice, setNotice }),
    [state, refresh, signedIn, signOut, setProfile, notice],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
