import type {
  AudioContextLike,
  AudioNodeLike,
  AudioParamLike,
  AudioTimestampLike,
  GainNodeLike,
  OscillatorNodeLike,
} from './metronome';

/**
 * A fake `AudioContext` for tests of the metronome and of the tasks that use it. Its audio clock follows
 * a performance clock (usually a `FakeClock`): `currentTime` advances in render quanta of 128 frames
 * while `state` is `running` and stands still otherwise. `getOutputTimestamp()` returns what
 * {@link FakeAudioContext.outputTimestamp} gives (by default the frame `outputLagS` behind `currentTime`,
 * presented now) and can be removed (`getOutputTimestamp = undefined`) to test the fallback. Every node
 * it creates is kept, with what was done to it.
 * @example
 * const clock = new FakeClock(1000);
 * const audio = new FakeAudioContext(() => clock.now());
 * const metronome = startMetronome({ context: audio, intervalMs: 500, clicks: 4, clock });
 * await clock.advance(3000);
 * audio.oscillators.map((o) => o.startedAt); // the scheduled click times, s
 */
export class FakeAudioContext implements AudioContextLike {
  readonly sampleRate: number;
  baseLatency?: number = 0.01;
  outputLatency?: number = 0.02;
  /** How far the output trails the rendering in the default output timestamp, s. */
  outputLagS = 0.03;
  readonly destination = new FakeAudioNode();
  readonly oscillators: FakeOscillatorNode[] = [];
  readonly gains: FakeGainNode[] = [];
  /** Every value `getOutputTimestamp()` returned, in order. */
  readonly timestampReads: AudioTimestampLike[] = [];
  /** Number of `resume()` calls. */
  resumeCalls = 0;
  /** Whether `resume()` makes the context run (false: a browser refusing without a user gesture). */
  resumeAllowed = true;
  /** What `getOutputTimestamp()` returns; replace it to script the mapping. */
  outputTimestamp: () => AudioTimestampLike = () => ({
    contextTime: Math.max(0, this.currentTime - this.outputLagS),
    performanceTime: this.now(),
  });
  /** `AudioContext.getOutputTimestamp`; set it to `undefined` to simulate a browser without it. */
  getOutputTimestamp?: () => AudioTimestampLike = () => {
    const stamp = this.outputTimestamp();
    this.timestampReads.push(stamp);
    return stamp;
  };

  private currentState: string;
  /** Audio time accumulated before the last start of running, ms. */
  private frozenMs = 0;
  /** Performance time when the context last started running, ms. */
  private runningSinceMs: number;

  /**
   * @param now - the performance clock the audio clock follows
   * @param options - initial state (default `running`), sample rate (default 48000)
   */
  constructor(
    private readonly now: () => number,
    options: { state?: string; sampleRate?: number } = {},
  ) {
    this.currentState = options.state ?? 'running';
    this.sampleRate = options.sampleRate ?? 48_000;
    this.runningSinceMs = now();
  }

  get state(): string {
    return this.currentState;
  }

  /** Changes the state; the audio clock stops outside `running` and goes on from where it stood. */
  setState(state: string): void {
    if (state === this.currentState) return;
    if (this.currentState === 'running') this.frozenMs += this.now() - this.runningSinceMs;
    if (state === 'running') this.runningSinceMs = this.now();
    this.currentState = state;
  }

  get currentTime(): number {
    const elapsedMs =
      this.frozenMs + (this.currentState === 'running' ? this.now() - this.runningSinceMs : 0);
    const quantum = 128 / this.sampleRate;
    return Math.floor(elapsedMs / 1000 / quantum) * quantum;
  }

  /** The performance clock the audio clock follows, ms. */
  performanceNow(): number {
    return this.now();
  }

  /** The last value `getOutputTimestamp()` returned. */
  get lastTimestamp(): AudioTimestampLike | undefined {
    return this.timestampReads.at(-1);
  }

  resume(): Promise<void> {
    this.resumeCalls++;
    if (this.resumeAllowed && this.currentState !== 'closed') this.setState('running');
    return Promise.resolve();
  }

  createOscillator(): FakeOscillatorNode {
    const node = new FakeOscillatorNode(this);
    this.oscillators.push(node);
    return node;
  }

  createGain(): FakeGainNode {
    const node = new FakeGainNode();
    this.gains.push(node);
    return node;
  }

  /** Every node this context created. */
  get nodes(): FakeAudioNode[] {
    return [...this.oscillators, ...this.gains];
  }
}

/** A fake node: records its connections. */
export class FakeAudioNode implements AudioNodeLike {
  /** Where it is connected now. */
  readonly connections: AudioNodeLike[] = [];
  /** Number of `disconnect()` calls. */
  disconnects = 0;

  connect(destination: AudioNodeLike): AudioNodeLike {
    this.connections.push(destination);
    return destination;
  }

  disconnect(): void {
    this.disconnects++;
    this.connections.length = 0;
  }

  get connected(): boolean {
    return this.connections.length > 0;
  }
}

/** A fake `AudioParam`: records its automation calls. */
export class FakeAudioParam implements AudioParamLike {
  readonly events: { method: string; value: number; time: number }[] = [];
  constructor(public value: number) {}
  setValueAtTime(value: number, startTime: number): this {
    this.events.push({ method: 'setValueAtTime', value, time: startTime });
    return this;
  }
  exponentialRampToValueAtTime(value: number, endTime: number): this {
    this.events.push({ method: 'exponentialRampToValueAtTime', value, time: endTime });
    return this;
  }
}

/** A fake `OscillatorNode`: records `start(when)`, the output timestamp current then, and its stops. */
export class FakeOscillatorNode extends FakeAudioNode implements OscillatorNodeLike {
  readonly frequency = new FakeAudioParam(440);
  /** The `when` of `start(when)`, s. */
  startedAt: number | undefined;
  /** The context's last output timestamp when `start` was called. */
  timestampAtStart: AudioTimestampLike | undefined;
  /** The context's `currentTime` when `start` was called, s. */
  currentTimeAtStart: number | undefined;
  /** The performance clock when `start` was called, ms. */
  performanceTimeAtStart: number | undefined;
  /** Every stop time (`stop()` without a time counts as the context's `currentTime` then). */
  readonly stops: number[] = [];

  constructor(private readonly context: FakeAudioContext) {
    super();
  }

  start(when = 0): void {
    if (this.startedAt !== undefined) throw new DOMException('start() called twice', 'InvalidStateError');
    this.startedAt = when;
    this.timestampAtStart = this.context.lastTimestamp;
    this.currentTimeAtStart = this.context.currentTime;
    this.performanceTimeAtStart = this.context.performanceNow();
  }

  stop(when?: number): void {
    if (this.startedAt === undefined) throw new DOMException('stop() before start()', 'InvalidStateError');
    this.stops.push(when ?? this.context.currentTime);
  }

  /** When it actually stops: its last stop time (the last `stop` call wins, as in Web Audio). */
  get stopTime(): number | undefined {
    return this.stops.at(-1);
  }

  /** Whether it makes a sound at all: started, and not stopped at or before its start. */
  get audible(): boolean {
    return this.startedAt !== undefined && (this.stopTime === undefined || this.stopTime > this.startedAt);
  }
}

/** A fake `GainNode`. */
export class FakeGainNode extends FakeAudioNode implements GainNodeLike {
  readonly gain = new FakeAudioParam(1);
}
