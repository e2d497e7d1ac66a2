import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { App } from './app.js';
import { e2eEnabled } from './e2e-flag.js';
import { registerServiceWorker } from './pwa/register.js';
import { queueSender } from './queue/index.js';
import { SessionProvider } from './session/session.js';
import './styles/app.css';

// The end-to-end test hook (and the simulators it reaches) is loaded only when it is on.
if (e2eEnabled()) void import('./e2e-hook.js').then((hook) => hook.installE2eHook());
// Sends what earlier visits left waiting as soon as the session says who is signed in.
queueSender().start();
// The app is cached by its service worker, so that it opens (and tasks can be recorded) without the server.
void registerServiceWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Router>
      <SessionProvider>
        <App />
      </SessionProvider>
    </Router>
  </StrictMode>,
);
