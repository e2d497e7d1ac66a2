import {
  CalibrationError,
  forgetLatencyCalibration,
  localStorageOf,
  readLatencyCalibration,
  openMicrophone,
  resumeAudio,
  runLoopbackCalibration,
  saveLatencyCalibration,
  type LatencyCalibration,
  type MicrophoneLike,
} from '@dystrack/tasks';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useTitle } from '../components/use-title.js';

/** Clicks of one check. */
const CLICKS = 12;
/** The recorder worklet, served from the app's `public/` folder. */
const WORKLET_URL = '/audio/loopback-recorder.js';

type State =
  | { step: 'idle' }
  | { step: 'running'; played: number }
  | { step: 'done'; calibration: LatencyCalibration }
  | { step: 'failed'; message: string };

const ms = (value: number) =>
  Math.abs(value) < 0.05 ? 'less than 0.1 ms' : `${Math.round(value * 10) / 10} ms`;

/** This browser's stored check, if it is readable and recent (the device is compared when a task plays). */
function storedCalibration(): LatencyCalibration | null {
  const found = readLatencyCalibration(localStorageOf(window));
  return 'calibration' in found ? found.calibration : null;
}

/** What went wrong, in words a person can act on. */
function failureMessage(error: unknown): string {
  if (error instanceof CalibrationError) {
    return error.reason === 'too-few-heard'
      ? `The microphone heard only ${error.clicksHeard} of the ${error.clicksPlayed} clicks clearly. Turn the volume up, play the clicks through the device’s own or wired speakers (not headphones), keep the room quiet, and try again.`
      : 'The delay changed from one click to the next, which happens with wireless speakers or headphones and with some sound enhancements. Use the device’s own or wired speakers and try again.';
  }
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'The microphone was not allowed. Allow this site to use the microphone (in the address bar or the browser’s site settings) and try again. Nothing is recorded: the sound is only measured on this device.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'No microphone was found. The check needs one (laptops, tablets and phones have one built in); connect a microphone or use another device.';
  if (name === 'NotSupportedError' || name === 'TypeError')
    return 'This browser cannot run the check. Current versions of Chrome, Edge, Firefox and Safari can.';
  if (name === 'NotReadableError')
    return 'The microphone is in use by another program or could not be started. Close other programs that use it and try again.';
  return `The check could not run (${error instanceof Error ? error.message : String(error)}).`;
}

/**
 * The sound timing check (loop-back latency calibration, measures.md 6.5): the metronome clicks through
 * the speakers, the microphone hears them, and the delay the browser does not account for is stored on
 * this device. Tapping with the beat then also shows the mean asynchrony, corrected by it.
 */
export function SoundCheckPage() {
  useTitle('Sound timing check');
  const [stored, setStored] = useState<LatencyCalibration | null>(() => storedCalibration());
  const [state, setState] = useState<State>({ step: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = () => {
    const AudioContextClass = window.AudioContext as typeof AudioContext | undefined;
    if (!AudioContextClass || !navigator.mediaDevices?.getUserMedia) {
      setState({ step: 'failed', message: failureMessage(new DOMException('', 'NotSupportedError')) });
      return;
    }
    const context = new AudioContextClass({ latencyHint: 'interactive' });
    // resumed inside the click, so that the browser lets it play
    const resumed = resumeAudio(context);
    const abort = new AbortController();
    controller.current = abort;
    setState({ step: 'running', played: 0 });
    let microphone: MicrophoneLike | null = null;
    void (async () => {
      try {
        await resumed;
        microphone = await openMicrophone(context, navigator.mediaDevices, WORKLET_URL);
        const calibration = await runLoopbackCalibration({
          context,
          microphone,
          clicks: CLICKS,
          signal: abort.signal,
          onProgress: (played) => setState({ step: 'running', played }),
        });
        saveLatencyCalibration(window.localStorage, calibration);
        setStored(calibration);
        setState({ step: 'done', calibration });
      } catch (error) {
        if (!abort.signal.aborted) setState({ step: 'failed', message: failureMessage(error) });
        else setState({ step: 'idle' });
      } finally {
        microphone?.close();
        void context.close();
        controller.current = null;
      }
    })();
  };

  const forget = () => {
    const storage = localStorageOf(window);
    if (storage) forgetLatencyCalibration(storage);
    setStored(null);
    setState({ step: 'idle' });
  };

  return (
    <div className="page page--narrow sound-check">
      <h1>Sound timing check</h1>
      <p>
        When you tap along with the metronome, each click reaches your ears a little later than the browser
        reports, by a few to several tens of milliseconds depending on the speakers. This check measures that
        delay once, with the microphone, so that your results can also show how far ahead of or behind the
        beat you tap. How evenly you tap is measured without it.
      </p>
      <h2>Before you start</h2>
      <ul className="sound-check__steps">
        <li>Use the speakers you will tap with: the device’s own or wired ones, not wireless headphones.</li>
        <li>Turn the volume up to a clearly audible level and keep the room quiet.</li>
        <li>Do not touch the device while it clicks (about 10 seconds).</li>
        <li>
          Your browser asks to use the microphone. The sound is measured on this device only: nothing is
          recorded or sent.
        </li>
      </ul>

      <div role="status" aria-live="polite" className="sound-check__status">
        {state.step === 'running' ? (
          <>
            <p>
              Listening… click {state.played} of {CLICKS}.
            </p>
            <progress max={CLICKS} value={state.played} aria-label="Clicks played" />
          </>
        ) : null}
        {state.step === 'done' ? (
          <div className="notice notice--success">
            <p>
              Done. On this device the clicks reach you about{' '}
              <strong>{ms(state.calibration.correctionMs)}</strong> later than the browser reports. The sound
              took {ms(state.calibration.roundTripMs)} from the speaker to the microphone and back into the
              browser, steady to within {ms(state.calibration.roundTripSdMs)} over{' '}
              {state.calibration.clicksHeard} of {state.calibration.clicksPlayed} clicks.
            </p>
            {state.calibration.inputLatencyKnown ? null : (
              <p>
                This browser does not say how long the microphone takes, so the delay may be slightly smaller
                than measured.
              </p>
            )}
            <p>
              From now on, tapping with the beat on this device also shows how far ahead of the beat you tap.
            </p>
          </div>
        ) : null}
      </div>
      {state.step === 'failed' ? (
        <div className="notice notice--error" role="alert">
          <p>{state.message}</p>
        </div>
      ) : null}

      <div className="actions">
        {state.step === 'running' ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => controller.current?.abort()}
          >
            Cancel
          </button>
        ) : (
          <button type="button" className="button button--primary" onClick={start}>
            {state.step === 'failed' ? 'Try again' : stored ? 'Check again' : 'Start the check'}
          </button>
        )}
        <Link href="/" className="button button--secondary">
          Back to the tasks
        </Link>
      </div>

      <h2>On this device</h2>
      {stored ? (
        <>
          <p>
            Checked on {new Date(stored.measuredAt).toLocaleDateString()}: clicks reach you{' '}
            {ms(stored.correctionMs)} after the time the browser gives. The check is used for 30 days, and
            again after a change of speakers or browser.
          </p>
          <button type="button" className="button button--secondary" onClick={forget}>
            Forget this check
          </button>
        </>
      ) : (
        <p>No sound timing check yet.</p>
      )}
    </div>
  );
}
