import { Link, useLocation } from 'wouter';
import { useSession } from '../session/session.js';
import { applyUpdate, useUpdateWaiting } from './register.js';
import './app-status.css';

/**
 * Two notices at the top of every page: that the app is offline (the server cannot be reached, and the
 * person is the one last signed in on this device), and that a new version of the app is ready. The new
 * version is never offered during a task, so that switching cannot reload a page in the middle of one.
 */
export function AppStatus() {
  const session = useSession();
  const [location] = useLocation();
  const updateWaiting = useUpdateWaiting();
  const offline = session.status === 'error' && session.user !== null;
  const inTask = location.startsWith('/tasks/');
  return (
    <>
      {offline ? (
        <div className="notice app-status app-status--offline" role="status">
          <p className="app-status__text">
            <strong>Offline: the Dystrack server cannot be reached.</strong> You are using the app as{' '}
            {session.user?.displayName}, as last signed in on this device. Tasks you record are saved on this
            device and sent when the server answers. <Link href="/recordings">See what is waiting</Link>.
          </p>
          <button type="button" className="button button--secondary" onClick={() => void session.refresh()}>
            Try the server again
          </button>
        </div>
      ) : null}
      {updateWaiting && !inTask ? (
        <div className="notice app-status" role="status">
          <p className="app-status__text">
            A new version of Dystrack is ready. Switching reloads this page; nothing you recorded is lost.
          </p>
          <button type="button" className="button button--primary" onClick={applyUpdate}>
            Use the new version
          </button>
        </div>
      ) : null}
    </>
  );
}
