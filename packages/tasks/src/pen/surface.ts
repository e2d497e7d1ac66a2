/**
 * The pen surface shared by the spiral, handwriting and precision tasks: a canvas on which ink follows
 * the pen with low latency, over an SVG layer for guides (the spiral template, a start dot).
 *
 * Input handlers only append samples: the shared pointer recorder ({@link attachPointerRecorder})
 * stores every coalesced sample in the task's `pointer` stream, and a requestAnimationFrame loop reads
 * the new rows from the stream and draws them (so drawing never delays or drops a sample). The canvas
 * asks for a `desynchronized` 2-D context where the browser has one (ink drawn without waiting for the
 * compositor). `touch-action: none` keeps the browser from scrolling or zooming while drawing.
 * Palm rejection is {@link InkModel}'s: a resting palm is recorded (its rows keep `pointerType`
 * `touch`) but never drawn or counted as a stroke once a pen is in use.
 */
import { attachPointerRecorder, type MoveMode } from '../capture/pointer';
import type { StreamBuilder } from '../columns';
import { h } from '../dom';
import { InkModel, type InkRow, type InkStroke, type InkSummary } from './ink';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Options of {@link createPenSurface}. */
export interface PenSurfaceOptions {
  /** The task's `pointer` stream: the surface's recorder appends to it, and the ink is drawn from it. */
  stream: StreamBuilder;
  /** Which moves to record (default `pressed`: moves while in contact). */
  moves?: MoveMode;
  /** Called once when the stream was full and a sample had to be dropped. */
  onOverflow?: () => void;
  /** Called (from the frame loop, not the input handler) when an ink stroke starts. */
  onStroke?: (stroke: InkStroke) => void;
  /** Ink colour (default the CSS variable `--dt-ink`, else near-black). */
  inkColor?: string;
  /** Ink line width, CSS px (default 3). */
  inkWidthPx?: number;
  /** Frame scheduling (default `requestAnimationFrame`; tests call {@link PenSurface.flush} instead). */
  requestFrame?: ((callback: () => void) => number) | null;
  cancelFrame?: (handle: number) => void;
}

/** A pen surface: its elements, the ink so far and its controls. */
export interface PenSurface {
  /** The surface: position relative, fills its parent; the guide layer under the ink canvas. */
  root: HTMLElement;
  canvas: HTMLCanvasElement;
  /** SVG layer under the ink for guides (`pointer-events: none`), in CSS px of the surface. */
  guide: SVGSVGElement;
  /** Reads the rows recorded since the last frame and draws them now. */
  flush(): void;
  /** Starts a new drawing (a new trial): erases the ink; rows recorded from now on make the new strokes. */
  clear(): void;
  /** The strokes since the last {@link clear} (after a {@link flush}). */
  ink(): InkModel;
  /** Ink strokes by pointer type and rejected strokes since the last {@link clear} (flushes first). */
  summary(): InkSummary;
  /** The surface's box in client (viewport) coordinates, CSS px: the coordinates the stream holds. */
  rect(): { leftPx: number; topPx: number; widthPx: number; heightPx: number };
  /** Sizes the canvas to the surface (called on resize; call it after the surface is laid out). */
  resize(): void;
  /** Stops recording and drawing and removes the surface. */
  destroy(): void;
}

/** The 2-D context of a canvas, desynchronized where the browser supports it; null where there is none. */
export function inkContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return (
      canvas.getContext('2d', { desynchronized: true, alpha: true }) ??
      (canvas.getContext('2d') as CanvasRenderingContext2D | null)
    );
  } catch {
    return null;
  }
}

/**
 * Creates a pen surface and starts recording pointer events on it into `options.stream`. Append
 * `surface.root` to a laid-out parent, then call `resize()`.
 */
export function createPenSurface(options: PenSurfaceOptions): PenSurface {
  const { stream } = options;
  const canvas = h('canvas', {
    className: 'dt-pen-canvas',
    style: { position: 'absolute', inset: '0', width: '100%', height: '100%', touchAction: 'none' },
  });
  const guide = document.createElementNS(SVG_NS, 'svg');
  guide.setAttribute('class', 'dt-pen-guide');
  guide.setAttribute('aria-hidden', 'true');
  Object.assign(guide.style, {
    position: 'absolute',
    inset: '0',
    width: '100%',
    height: '100%',
    pointerEvents: 'none',
    overflow: 'visible',
  });
  const root = h(
    'div',
    {
      className: 'dt-pen-surface',
      style: {
        position: 'relative',
        flex: '1',
        minHeight: '240px',
        touchAction: 'none',
        userSelect: 'none',
        overflow: 'hidden',
        background: 'var(--dt-pen-bg, #fff)',
      },
    },
    guide,
    canvas,
  );
  root.style.setProperty('-webkit-user-select', 'none');
  root.style.setProperty('-webkit-touch-callout', 'none');

  const context = inkContext(canvas);
  const detach = attachPointerRecorder(root, stream, {
    moves: options.moves ?? 'pressed',
    onOverflow: () => options.onOverflow?.(),
  });
  // Mouse: keep the stroke on the surface when the pointer slides off (touch and pen capture implicitly).
  const capture = (event: Event) => {
    const e = event as PointerEvent;
    if (e.pointerType !== 'mouse') return;
    try {
      root.setPointerCapture?.(e.pointerId);
    } catch {
      // an inactive pointer id (synthetic events) cannot be captured
    }
  };
  root.addEventListener('pointerdown', capture);
  const noMenu = (event: Event) => event.preventDefault();
  root.addEventListener('contextmenu', noMenu);

  const col = {
    type: stream.str('type'),
    pointerId: stream.i32('pointerId'),
    pointerType: stream.str('pointerType'),
    x: stream.f64('xPx'),
    y: stream.f64('yPx'),
    isPrimary: stream.has('isPrimary') ? stream.bool('isPrimary') : null,
    buttons: stream.has('buttonsMaskId') ? stream.i32('buttonsMaskId') : null,
  };
  let model = new InkModel();
  let nextRow = stream.rows;
  /** Per ink stroke, how many of its coordinates are drawn. */
  let drawn = new Map<InkStroke, number>();
  let box = { leftPx: 0, topPx: 0, widthPx: 0, heightPx: 0 };
  const dpr = () => (typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1);

  const measure = () => {
    const r = root.getBoundingClientRect();
    box = { leftPx: r.left, topPx: r.top, widthPx: r.width, heightPx: r.height };
  };
  const style = () => {
    if (!context) return;
    const color =
      options.inkColor ?? (getComputedStyle(root).getPropertyValue('--dt-ink').trim() || 'rgb(17, 24, 39)');
    context.strokeStyle = color;
    context.lineWidth = options.inkWidthPx ?? 3;
    context.lineCap = 'round';
    context.lineJoin = 'round';
  };
  /** Draws a stroke's coordinates from index `from` (a multiple of 2) on. */
  const drawStroke = (stroke: InkStroke, from: number) => {
    if (!context) return;
    const p = stroke.points;
    const start = Math.max(0, from - 2); // from the last point drawn, so segments join
    context.beginPath();
    let pen = false;
    let dots = 0;
    for (let i = start; i + 1 < p.length; i += 2) {
      const x = p[i]! - box.leftPx;
      const y = p[i + 1]! - box.topPx;
      if (Number.isNaN(x)) {
        pen = false;
        continue;
      }
      if (!pen) {
        context.moveTo(x, y);
        pen = true;
        dots++;
      } else context.lineTo(x, y);
    }
    // a single contact point: draw a dot
    if (p.length === 2 && dots === 1) context.lineTo(p[0]! - box.leftPx + 0.01, p[1]! - box.topPx);
    context.stroke();
    drawn.set(stroke, p.length);
  };
  const redraw = () => {
    drawn = new Map();
    if (!context) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    for (const stroke of model.ink()) drawStroke(stroke, 0);
  };

  const flush = () => {
    const end = stream.rows;
    if (end <= nextRow) return;
    measure();
    let full = false;
    const started: InkStroke[] = [];
    for (let i = nextRow; i < end; i++) {
      const row: InkRow = {
        type: col.type.get(i),
        pointerId: col.pointerId.get(i),
        pointerType: col.pointerType.get(i),
        isPrimary: col.isPrimary ? col.isPrimary.get(i) : null,
        x: col.x.get(i),
        y: col.y.get(i),
        buttons: col.buttons ? col.buttons.get(i) : null,
      };
      const change = model.push(row);
      full ||= change.redraw;
      if (change.started && change.stroke) started.push(change.stroke);
    }
    nextRow = end;
    if (full) redraw();
    else
      for (const stroke of model.ink())
        if ((drawn.get(stroke) ?? 0) < stroke.points.length) drawStroke(stroke, drawn.get(stroke) ?? 0);
    for (const stroke of started) if (!stroke.rejected) options.onStroke?.(stroke);
  };

  const resize = () => {
    measure();
    canvas.width = Math.max(1, Math.round(box.widthPx * dpr()));
    canvas.height = Math.max(1, Math.round(box.heightPx * dpr()));
    guide.setAttribute('viewBox', `0 0 ${Math.max(1, box.widthPx)} ${Math.max(1, box.heightPx)}`);
    if (context) {
      context.setTransform(dpr(), 0, 0, dpr(), 0, 0);
      style();
    }
    redraw();
  };

  const requestFrame =
    options.requestFrame === undefined
      ? typeof requestAnimationFrame === 'function'
        ? (cb: () => void) => requestAnimationFrame(cb)
        : null
      : options.requestFrame;
  const cancelFrame =
    options.cancelFrame ?? (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame : () => {});
  let frame: number | null = null;
  let alive = true;
  const loop = () => {
    frame = null;
    if (!alive) return;
    flush();
    frame = requestFrame ? requestFrame(loop) : null;
  };
  if (requestFrame) frame = requestFrame(loop);

  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => resize()) : null;
  observer?.observe(root);

  return {
    root,
    canvas,
    guide,
    flush,
    clear() {
      flush();
      // a pen once used on this surface keeps palms out of the next drawing too
      const penSeen = model.penSeen;
      model = new InkModel();
      model.penSeen = penSeen;
      nextRow = stream.rows;
      redraw();
    },
    ink: () => model,
    summary() {
      flush();
      return model.summary();
    },
    rect() {
      measure();
      return { ...box };
    },
    resize,
    destroy() {
      alive = false;
      if (frame !== null) cancelFrame(frame);
      observer?.disconnect();
      detach();
      root.removeEventListener('pointerdown', capture);
      root.removeEventListener('contextmenu', noMenu);
      root.remove();
    },
  };
}
