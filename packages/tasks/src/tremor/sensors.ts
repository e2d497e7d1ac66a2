/**
 * The motion sensors behind a small interface, so that tests and end-to-end stubs can hand in a fake
 * ({@link FakeSensorSource} in ./testing), and the recorder that writes their raw samples into the
 * task's streams.
 *
 * Browser sources: `devicemotion` events (with the iOS permission request, which must be called from
 * a click), and the Generic Sensor API `Accelerometer` and `Gyroscope` where they exist (Chromium),
 * asked for at a chosen frequency. In headless Chromium nothing real arrives: `devicemotion` fires once
 * with every field null and `new Accelerometer()` errors (`NotReadableError`) unless CDP's
 * `Emulation.setSensorOverrideEnabled` is on before the page adds its listener (platform-findings 5d).
 */
import type { Clock } from '../clock';
import type { StreamBuilder } from '../columns';

/** Three axes of a reading (`null` where the platform gives none). */
export interface XyzLike {
  readonly x: number | null;
  readonly y: number | null;
  readonly z: number | null;
}

/** The parts of a `DeviceMotionEvent` that are recorded. */
export interface DeviceMotionLike {
  /** `Event.timeStamp`, ms on the performance clock. */
  readonly timeStamp: number;
  /** Gravity removed, m/s². */
  readonly acceleration: XyzLike | null;
  /** m/s². */
  readonly accelerationIncludingGravity: XyzLike | null;
  /** deg/s. */
  readonly rotationRate: {
    readonly alpha: number | null;
    readonly beta: number | null;
    readonly gamma: number | null;
  } | null;
  /** ms (the hardware interval; some old iOS versions give seconds: the value is stored as given). */
  readonly interval: number | null;
}

/** A Generic Sensor reading (`Accelerometer`, `Gyroscope`): the sensor object itself at a `reading` event. */
export interface SensorReadingLike extends XyzLike {
  /** `Sensor.timestamp`, ms on the performance clock (null before the first reading). */
  readonly timestamp: number | null;
}

/** What the sensor source tells the recorder. */
export interface SensorHandlers {
  motion(event: DeviceMotionLike): void;
  accelerometer(reading: SensorReadingLike): void;
  gyroscope(reading: SensorReadingLike): void;
  /** A sensor failed (not readable, not allowed): which one and the error's name and message. */
  error(sensor: 'motion' | 'accelerometer' | 'gyroscope', message: string): void;
}

/** The outcome of the permission request. */
export type SensorPermission = 'granted' | 'denied' | 'not-required';

/** Which sensor APIs the browser has (not whether a sensor delivers: that is seen after a trial). */
export interface SensorApis {
  deviceMotion: boolean;
  accelerometer: boolean;
  gyroscope: boolean;
}

/** A source of motion readings: the browser's, or a fake. */
export interface SensorSource {
  readonly apis: SensorApis;
  /**
   * iOS: `DeviceMotionEvent.requestPermission()`. Call it synchronously inside a click handler
   * (Safari refuses it otherwise). Resolves `not-required` where the browser asks for no permission.
   */
  requestPermission(): Promise<SensorPermission>;
  /**
   * Starts the sensors: `handlers` get every reading from now on. Returns the function that stops them.
   * @param options.frequencyHz - what the Generic Sensors are asked for
   * @param options.clock - the run's clock (fakes schedule their readings on it)
   */
  start(handlers: SensorHandlers, options: { frequencyHz: number; clock: Clock }): () => void;
}

/** A Generic Sensor as the browser has it (the DOM typings do not declare the API). */
interface GenericSensor extends EventTarget, SensorReadingLike {
  start(): void;
  stop(): void;
}
type GenericSensorConstructor = new (options: {
  frequency: number;
  referenceFrame?: 'device' | 'screen';
}) => GenericSensor;

interface SensorScope {
  DeviceMotionEvent?: { requestPermission?: () => Promise<string> };
  Accelerometer?: GenericSensorConstructor;
  Gyroscope?: GenericSensorConstructor;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

function errorText(event: Event): string {
  const error = (event as Event & { error?: { name?: string; message?: string } }).error;
  return error ? `${error.name ?? 'Error'}: ${error.message ?? ''}` : event.type;
}

/** The browser's sensors (`window` by default). */
export function createBrowserSensors(scope: SensorScope = window as unknown as SensorScope): SensorSource {
  const apis: SensorApis = {
    deviceMotion: typeof scope.DeviceMotionEvent === 'function',
    accelerometer: typeof scope.Accelerometer === 'function',
    gyroscope: typeof scope.Gyroscope === 'function',
  };
  return {
    apis,
    requestPermission() {
      const request = scope.DeviceMotionEvent?.requestPermission;
      if (typeof request !== 'function') return Promise.resolve('not-required');
      try {
        return request.call(scope.DeviceMotionEvent).then(
          (state) => (state === 'granted' ? 'granted' : 'denied'),
          () => 'denied',
        );
      } catch {
        return Promise.resolve('denied');
      }
    },
    start(handlers, { frequencyHz }) {
      const stops: (() => void)[] = [];
      const onMotion = (event: Event) => handlers.motion(event as unknown as DeviceMotionLike);
      scope.addEventListener('devicemotion', onMotion);
      stops.push(() => scope.removeEventListener('devicemotion', onMotion));
      const generic = [
        ['accelerometer', scope.Accelerometer],
        ['gyroscope', scope.Gyroscope],
      ] as const;
      for (const [name, Constructor] of generic) {
        if (typeof Constructor !== 'function') continue;
        try {
          const sensor = new Constructor({ frequency: frequencyHz, referenceFrame: 'device' });
          const onReading = () => handlers[name](sensor);
          const onError = (event: Event) => handlers.error(name, errorText(event));
          sensor.addEventListener('reading', onReading);
          sensor.addEventListener('error', onError);
          sensor.start();
          stops.push(() => {
            sensor.stop();
            sensor.removeEventListener('reading', onReading);
            sensor.removeEventListener('error', onError);
          });
        } catch (error) {
          // SecurityError (permissions policy), ReferenceError: the trial falls back to devicemotion.
          handlers.error(name, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        }
      }
      return () => {
        for (const stop of stops.reverse()) stop();
      };
    },
  };
}

/** The streams the recorder writes (`accelerometer`/`gyroscope` only where the API exists). */
export interface SensorStreams {
  motion: StreamBuilder;
  accelerometer: StreamBuilder | null;
  gyroscope: StreamBuilder | null;
}

/** A running recorder. */
export interface SensorRecorder {
  /** Whether readings are written now (the run arms it from the countdown to the end of a trial). */
  arm(on: boolean): void;
  /** Streams that were full (readings were dropped). */
  readonly full: ReadonlySet<string>;
  /** Sensor errors, in order (`accelerometer: NotReadableError: …`). */
  readonly errors: readonly string[];
  /** Stops the sensors. */
  stop(): void;
}

/**
 * Starts `source` and writes each reading, raw, as one row of its stream while armed: the event's or
 * sensor's own time stamp, the values in the units the platform gives (the column names say them).
 * Nothing else happens in the handlers; rates and gaps are computed after each trial.
 */
export function startSensorRecorder(
  source: SensorSource,
  streams: SensorStreams,
  options: { frequencyHz: number; clock: Clock },
): SensorRecorder {
  let armed = false;
  const full = new Set<string>();
  const errors: string[] = [];
  const m = streams.motion;
  const mc = {
    t: m.f64('timeStampMs'),
    ax: m.f64('accXMPerS2'),
    ay: m.f64('accYMPerS2'),
    az: m.f64('accZMPerS2'),
    gx: m.f64('accGravXMPerS2'),
    gy: m.f64('accGravYMPerS2'),
    gz: m.f64('accGravZMPerS2'),
    alpha: m.f64('rotAlphaDegPerS'),
    beta: m.f64('rotBetaDegPerS'),
    gamma: m.f64('rotGammaDegPerS'),
    interval: m.f64('intervalMs'),
  };
  const xyzWriter = (stream: StreamBuilder | null, unit: 'MPerS2' | 'RadPerS') => {
    if (!stream) return () => {};
    const t = stream.f64('timeStampMs');
    const x = stream.f64(`x${unit}`);
    const y = stream.f64(`y${unit}`);
    const z = stream.f64(`z${unit}`);
    return (r: SensorReadingLike) => {
      if (!armed) return;
      if (!stream.hasRoom()) {
        full.add(stream.name);
        return;
      }
      t.push(r.timestamp);
      x.push(r.x);
      y.push(r.y);
      z.push(r.z);
      stream.endRow();
    };
  };
  const accelerometer = xyzWriter(streams.accelerometer, 'MPerS2');
  const gyroscope = xyzWriter(streams.gyroscope, 'RadPerS');
  const stop = source.start(
    {
      motion(e) {
        if (!armed) return;
        if (!m.hasRoom()) {
          full.add(m.name);
          return;
        }
        mc.t.push(e.timeStamp);
        mc.ax.push(e.acceleration?.x);
        mc.ay.push(e.acceleration?.y);
        mc.az.push(e.acceleration?.z);
        mc.gx.push(e.accelerationIncludingGravity?.x);
        mc.gy.push(e.accelerationIncludingGravity?.y);
        mc.gz.push(e.accelerationIncludingGravity?.z);
        mc.alpha.push(e.rotationRate?.alpha);
        mc.beta.push(e.rotationRate?.beta);
        mc.gamma.push(e.rotationRate?.gamma);
        mc.interval.push(e.interval);
        m.endRow();
      },
      accelerometer,
      gyroscope,
      error(sensor, message) {
        if (errors.length < 20) errors.push(`${sensor}: ${message}`.slice(0, 200));
      },
    },
    options,
  );
  let stopped = false;
  return {
    arm(on) {
      armed = on;
    },
    full,
    errors,
    stop() {
      if (stopped) return;
      stopped = true;
      armed = false;
      stop();
    },
  };
}
