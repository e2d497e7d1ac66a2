/**
 * A fake sensor source for tests and end-to-end stubs: readings can be emitted one by one, or fed
 * automatically on the run's clock (in batches every `batchMs`, each reading with its own time stamp,
 * as a browser delivers them late but stamped).
 */
import type { Clock } from '../clock';
import type {
  DeviceMotionLike,
  SensorApis,
  SensorHandlers,
  SensorPermission,
  SensorReadingLike,
  SensorSource,
} from './sensors';

/** The signal an automatic feed delivers. */
export interface FakeFeed {
  /** `devicemotion` rate, Hz (0: none). Default 60. */
  motionHz?: number;
  /** Generic Sensor rate, Hz (0: none). Default 100. */
  sensorHz?: number;
  /** Linear acceleration at a time, m/s² (default: a 6-Hz, 0.3-m/s² RMS tremor on x). */
  acceleration?: (tMs: number) => readonly [number, number, number];
  /** Gravity in device axes, m/s² (default [0, 0, 9.81]). */
  gravity?: readonly [number, number, number];
  /** Rotation rate, deg/s, [x, y, z] (default 0). */
  rotation?: (tMs: number) => readonly [number, number, number];
  /** How often readings are delivered, ms (default 100). */
  batchMs?: number;
}

const DEFAULT_TREMOR = (tMs: number): readonly [number, number, number] => [
  0.3 * Math.SQRT2 * Math.sin((2 * Math.PI * 6 * tMs) / 1000),
  0,
  0,
];

/** A {@link SensorSource} driven by the test. */
export class FakeSensorSource implements SensorSource {
  readonly apis: SensorApis;
  /** What `requestPermission` resolves with next (default `not-required`). */
  permission: SensorPermission = 'not-required';
  /** Number of `requestPermission` calls. */
  permissionCalls = 0;
  /** Number of `start` calls, and whether it is started now. */
  starts = 0;
  started = false;
  /** The frequency the last `start` asked for. */
  frequencyHz: number | null = null;
  private handlers: SensorHandlers | null = null;
  private timer: number | null = null;
  private clock: Clock | null = null;

  private readonly feed: FakeFeed | null;

  constructor(options: { apis?: Partial<SensorApis>; feed?: FakeFeed | null } = {}) {
    this.feed = options.feed ?? null;
    this.apis = { deviceMotion: true, accelerometer: true, gyroscope: true, ...options.apis };
  }

  requestPermission(): Promise<SensorPermission> {
    this.permissionCalls++;
    return Promise.resolve(this.permission);
  }

  start(handlers: SensorHandlers, options: { frequencyHz: number; clock: Clock }): () => void {
    this.starts++;
    this.started = true;
    this.handlers = handlers;
    this.frequencyHz = options.frequencyHz;
    this.clock = options.clock;
    if (this.feed) this.startFeed(this.feed, options.clock);
    return () => {
      this.started = false;
      this.handlers = null;
      if (this.timer !== null) this.clock?.clearTimeout(this.timer);
      this.timer = null;
    };
  }

  /** Delivers a `devicemotion` event (when started). */
  emitMotion(event: DeviceMotionLike): void {
    this.handlers?.motion(event);
  }

  /** Delivers an `Accelerometer` reading (when started). */
  emitAccelerometer(reading: SensorReadingLike): void {
    this.handlers?.accelerometer(reading);
  }

  /** Delivers a `Gyroscope` reading (when started). */
  emitGyroscope(reading: SensorReadingLike): void {
    this.handlers?.gyroscope(reading);
  }

  /** Reports a sensor error (when started). */
  emitError(sensor: 'motion' | 'accelerometer' | 'gyroscope', message: string): void {
    this.handlers?.error(sensor, message);
  }

  private startFeed(feed: FakeFeed, clock: Clock): void {
    const motionMs = feed.motionHz === 0 ? 0 : 1000 / (feed.motionHz ?? 60);
    const sensorMs = feed.sensorHz === 0 ? 0 : 1000 / (feed.sensorHz ?? 100);
    const batchMs = feed.batchMs ?? 100;
    const acceleration = feed.acceleration ?? DEFAULT_TREMOR;
    const gravity = feed.gravity ?? [0, 0, 9.81];
    const rotation = feed.rotation ?? (() => [0, 0, 0] as const);
    let nextMotion = clock.now();
    let nextSensor = clock.now();
    const tick = () => {
      const now = clock.now();
      while (motionMs > 0 && nextMotion <= now) {
        const t = nextMotion;
        const [ax, ay, az] = acceleration(t);
        const [rx, ry, rz] = rotation(t);
        this.emitMotion({
          timeStamp: t,
          acceleration: { x: ax, y: ay, z: az },
          accelerationIncludingGravity: { x: ax + gravity[0], y: ay + gravity[1], z: az + gravity[2] },
          rotationRate: { alpha: rz, beta: rx, gamma: ry },
          interval: Math.round(motionMs),
        });
        nextMotion += motionMs;
      }
      while (sensorMs > 0 && nextSensor <= now) {
        const t = nextSensor;
        const [ax, ay, az] = acceleration(t);
        const [rx, ry, rz] = rotation(t);
        if (this.apis.accelerometer)
          this.emitAccelerometer({
            timestamp: t,
            x: ax + gravity[0],
            y: ay + gravity[1],
            z: az + gravity[2],
          });
        const rad = Math.PI / 180;
        if (this.apis.gyroscope) this.emitGyroscope({ timestamp: t, x: rx * rad, y: ry * rad, z: rz * rad });
        nextSensor += sensorMs;
      }
      this.timer = clock.setTimeout(tick, batchMs);
    };
    this.timer = clock.setTimeout(tick, batchMs);
  }
}
