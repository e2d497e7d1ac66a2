import { TASK_RECORDING_SPECS, type ColumnType, type Stream, type TaskId } from '@dystrack/core';
import type { ColumnChunk, JsonValue, StreamChunk, TaskCapture } from './contract';

/**
 * Column builders: input handlers append values to growable typed arrays, so that recording an event
 * allocates nothing (arrays double their capacity now and then). A row is complete when
 * {@link StreamBuilder.endRow} checks that every column got exactly one value; snapshots hold only
 * complete rows, as the plain arrays of core's stream schema.
 */

const INITIAL_CAPACITY = 256;

abstract class NumericColumn<A extends Float64Array | Int32Array | Uint8Array> {
  protected data: A;
  length = 0;

  constructor(protected readonly make: (capacity: number) => A) {
    this.data = make(INITIAL_CAPACITY);
  }

  protected grow(): void {
    if (this.length < this.data.length) return;
    const next = this.make(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  /** A copy of the values from index `from` up to `to` (excluded), as stored (f64: NaN for null). */
  slice(from: number, to: number): A {
    // a copy, not a view: a view keeps the whole (possibly outgrown) buffer alive, and storing it
    // in IndexedDB would clone the whole buffer
    return this.data.slice(from, to) as A;
  }
}

/** Numbers, `null` where the platform gave no value (kept as NaN inside, `null` in snapshots). */
export class F64Column extends NumericColumn<Float64Array> {
  readonly type = 'f64';
  constructor() {
    super((n) => new Float64Array(n));
  }
  /** Appends a value; anything that is not a finite number (undefined, null, NaN) is stored as `null`. */
  push(value: number | null | undefined): void {
    this.grow();
    this.data[this.length++] = typeof value === 'number' && Number.isFinite(value) ? value : NaN;
  }
  get(index: number): number | null {
    const value = this.data[index]!;
    return Number.isNaN(value) ? null : value;
  }
  values(rows: number): (number | null)[] {
    const out = new Array<number | null>(rows);
    for (let i = 0; i < rows; i++) out[i] = this.get(i);
    return out;
  }
}

/** 32-bit integers (`pointerId`, bit masks, key locations); a missing value is stored as -1. */
export class I32Column extends NumericColumn<Int32Array> {
  readonly type = 'i32';
  constructor() {
    super((n) => new Int32Array(n));
  }
  /** Appends an integer; a missing value (undefined, null, non-integer) is stored as -1. */
  push(value: number | null | undefined): void {
    this.grow();
    this.data[this.length++] = typeof value === 'number' && Number.isInteger(value) ? value : -1;
  }
  get(index: number): number {
    return this.data[index]!;
  }
  values(rows: number): number[] {
    return Array.from(this.data.subarray(0, rows));
  }
}

/** Booleans. */
export class BoolColumn extends NumericColumn<Uint8Array> {
  readonly type = 'bool';
  constructor() {
    super((n) => new Uint8Array(n));
  }
  push(value: boolean): void {
    this.grow();
    this.data[this.length++] = value ? 1 : 0;
  }
  get(index: number): boolean {
    return this.data[index] === 1;
  }
  values(rows: number): boolean[] {
    const out = new Array<boolean>(rows);
    for (let i = 0; i < rows; i++) out[i] = this.data[i] === 1;
    return out;
  }
}

/** Short strings (event types, key codes); the platform's own string values are stored, not copied. */
export class StrColumn {
  readonly type = 'str';
  private readonly data: string[] = [];
  get length(): number {
    return this.data.length;
  }
  push(value: string): void {
    this.data.push(value);
  }
  get(index: number): string {
    return this.data[index]!;
  }
  values(rows: number): string[] {
    return this.data.slice(0, rows);
  }
  /** The values from index `from` up to `to` (excluded). */
  slice(from: number, to: number): string[] {
    return this.data.slice(from, to);
  }
}

export type AnyColumn = F64Column | I32Column | BoolColumn | StrColumn;
const MAKE: Record<ColumnType, () => AnyColumn> = {
  f64: () => new F64Column(),
  i32: () => new I32Column(),
  bool: () => new BoolColumn(),
  str: () => new StrColumn(),
};

/**
 * One raw stream under construction: named typed columns of equal length.
 * @example
 * const s = new StreamBuilder('keyboard', { type: 'str', timeStampMs: 'f64' }, 12_000);
 * const type = s.str('type'), t = s.f64('timeStampMs'); // once, outside the handler
 * type.push(event.type); t.push(event.timeStamp); s.endRow(); // per event
 */
export class StreamBuilder {
  private readonly columns = new Map<string, AnyColumn>();
  private committed = 0;

  /**
   * @param name - the stream's name, for error messages
   * @param layout - column name → type
   * @param maxRows - most rows the stream may hold (core's `StreamSpec.maxRows`)
   */
  constructor(
    readonly name: string,
    layout: Readonly<Record<string, ColumnType>>,
    readonly maxRows: number,
  ) {
    for (const [column, type] of Object.entries(layout)) this.columns.set(column, MAKE[type]());
  }

  /** Complete rows so far. */
  get rows(): number {
    return this.committed;
  }

  /** Whether `n` more rows fit under `maxRows`. */
  hasRoom(n = 1): boolean {
    return this.committed + n <= this.maxRows;
  }

  /** The column names, in layout order. */
  columnNames(): string[] {
    return [...this.columns.keys()];
  }

  /** Whether the stream has this column. */
  has(column: string): boolean {
    return this.columns.has(column);
  }

  f64(column: string): F64Column {
    return this.column(column, 'f64') as F64Column;
  }
  i32(column: string): I32Column {
    return this.column(column, 'i32') as I32Column;
  }
  bool(column: string): BoolColumn {
    return this.column(column, 'bool') as BoolColumn;
  }
  str(column: string): StrColumn {
    return this.column(column, 'str') as StrColumn;
  }

  private column(name: string, type: ColumnType): AnyColumn {
    const column = this.columns.get(name);
    if (!column) throw new RangeError(`stream "${this.name}" has no column "${name}"`);
    if (column.type !== type)
      throw new TypeError(`column "${this.name}.${name}" is ${column.type}, not ${type}`);
    return column;
  }

  /**
   * Completes the row that the columns' `push` calls have just written.
   * @throws Error naming the column when a column got no value or two (a bug in the handler)
   */
  endRow(): void {
    const expected = this.committed + 1;
    for (const [name, column] of this.columns) {
      if (column.length !== expected) {
        throw new Error(
          `column "${this.name}.${name}" has ${column.length} values, row ${expected} needs ${expected}`,
        );
      }
    }
    this.committed = expected;
  }

  /** The complete rows from row `fromRow` on, in the columns' own form (fresh arrays: later appends do not change it). */
  chunk(fromRow: number): StreamChunk {
    const columns: Record<string, ColumnChunk> = {};
    for (const [name, column] of this.columns) {
      columns[name] = { type: column.type, values: column.slice(fromRow, this.committed) } as ColumnChunk;
    }
    return { fromRow, rows: this.committed - fromRow, columns };
  }

  /** The complete rows as core's `Stream` (fresh plain arrays: later appends do not change it). */
  snapshot(): Stream {
    const columns: Stream['columns'] = {};
    for (const [name, column] of this.columns) {
      columns[name] = {
        type: column.type,
        values: column.values(this.committed),
      } as Stream['columns'][string];
    }
    return { columns };
  }
}

/** Common marker labels. Tasks may add their own (at most 64 characters). */
export const MARKERS = {
  trialStart: 'trial-start',
  trialEnd: 'trial-end',
  abort: 'abort',
  stop: 'stop',
} as const;

/**
 * All streams of one run of a task, built from core's recording spec of the task so that a stream
 * or column the spec does not declare cannot be recorded. Every run has `markers` and `visibility`.
 */
export class StreamSet {
  private readonly builders = new Map<string, StreamBuilder>();
  readonly markers: StreamBuilder;
  private readonly markerTime: F64Column;
  private readonly markerLabel: StrColumn;

  constructor(readonly taskId: TaskId) {
    this.markers = this.stream('markers');
    this.markerTime = this.markers.f64('timeStampMs');
    this.markerLabel = this.markers.str('label');
    this.stream('visibility');
  }

  /**
   * The builder of a stream, created on first use.
   * @param name - a stream of the task's spec
   * @param columns - the columns to record (default: all of the spec; required columns are always included)
   * @throws RangeError for a stream or column the spec does not declare
   */
  stream(name: string, columns?: readonly string[]): StreamBuilder {
    const existing = this.builders.get(name);
    if (existing) return existing;
    const spec = TASK_RECORDING_SPECS[this.taskId].streams[name];
    if (!spec) throw new RangeError(`the ${this.taskId} task has no stream "${name}"`);
    const layout: Record<string, ColumnType> = {};
    for (const [column, columnSpec] of Object.entries(spec.columns)) {
      if (!columns || !columnSpec.optional || columns.includes(column)) layout[column] = columnSpec.type;
    }
    for (const column of columns ?? []) {
      if (!spec.columns[column])
        throw new RangeError(`stream "${name}" of ${this.taskId} has no column "${column}"`);
    }
    const builder = new StreamBuilder(name, layout, spec.maxRows);
    this.builders.set(name, builder);
    return builder;
  }

  /** The builder of a stream the run has created, or undefined (without creating it). */
  get(name: string): StreamBuilder | undefined {
    return this.builders.get(name);
  }

  /**
   * What is new since a previous checkpoint: the rows each stream completed after the `handed` count
   * (a stream missing from `handed` is new: all its rows, possibly none), and the new counts to hand
   * to the next call. Streams come in the order they were created, as in {@link snapshot}.
   */
  chunksSince(handed: ReadonlyMap<string, number>): {
    streams: Record<string, StreamChunk>;
    rows: Map<string, number>;
  } {
    const streams: Record<string, StreamChunk> = {};
    const rows = new Map<string, number>();
    for (const [name, builder] of this.builders) {
      const from = handed.get(name);
      if (from === undefined || builder.rows > from) streams[name] = builder.chunk(from ?? 0);
      rows.set(name, builder.rows);
    }
    return { streams, rows };
  }

  /** Appends a marker row, unless the markers stream is full (then it returns false). */
  mark(label: string, timeStampMs: number): boolean {
    if (!this.markers.hasRoom()) return false;
    this.markerTime.push(timeStampMs);
    this.markerLabel.push(label.slice(0, 64));
    this.markers.endRow();
    return true;
  }

  /**
   * Duration of the run: from the first `trial-start` marker to the last `trial-end` marker,
   * or to `nowMs` while no trial has ended after it; 0 before any trial started.
   */
  durationMs(nowMs: number): number {
    let start: number | null = null;
    let end: number | null = null;
    for (let i = 0; i < this.markers.rows; i++) {
      const label = this.markerLabel.get(i);
      const time = this.markerTime.get(i);
      if (time === null) continue;
      if (label === MARKERS.trialStart && start === null) start = time;
      else if (label === MARKERS.trialEnd && start !== null) end = time;
    }
    if (start === null) return 0;
    return Math.max(0, (end ?? nowMs) - start);
  }

  /** Snapshots of every stream created so far. */
  snapshot(): Record<string, Stream> {
    const streams: Record<string, Stream> = {};
    for (const [name, builder] of this.builders) streams[name] = builder.snapshot();
    return streams;
  }

  /** The capture so far: every stream, the given flags and params, the duration up to `nowMs`. */
  capture(flags: readonly string[], params: Record<string, JsonValue>, nowMs: number): TaskCapture {
    return {
      streams: this.snapshot(),
      flags: [...flags],
      durationMs: this.durationMs(nowMs),
      params: { ...params },
    };
  }
}
