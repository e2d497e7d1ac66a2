import {
  BODY_REGION_LABELS,
  BODY_REGIONS,
  BODY_SIDE_LABELS,
  sideRegionWords,
  type BodyRegion,
  type BodySide,
  type DiaryBodyMap,
} from '@dystrack/core';
import type { KeyboardEvent } from 'react';

/*
 * Where the symptoms were: a front-view figure whose regions are toggles (one tap or Space marks a
 * region, again clears it; nothing to drag), and the same choices as plain check boxes grouped by side.
 * The figure faces the person, so their right side is on the left of the picture; both sides are
 * labelled with the person's own words.
 */

/** Width of the figure's coordinate system; the left side is the right side mirrored. */
const WIDTH = 360;
const HEIGHT = 720;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  rx: number;
}

/**
 * The regions of the person's right side (the left of the picture). Sizes leave every region at least
 * about 40 × 44 units (about 40 px where the figure is drawn 22rem wide, less on a narrow
 * phone); the lists beside it are the larger targets.
 */
const RIGHT_SIDE: Readonly<Record<Exclude<BodyRegion, 'face' | 'fingers'>, Box>> = {
  neck: { x: 140, y: 110, w: 40, h: 46, rx: 6 },
  shoulder: { x: 46, y: 158, w: 80, h: 52, rx: 24 },
  'upper-arm': { x: 54, y: 212, w: 66, h: 96, rx: 14 },
  forearm: { x: 54, y: 310, w: 66, h: 96, rx: 14 },
  wrist: { x: 56, y: 408, w: 62, h: 44, rx: 10 },
  hand: { x: 48, y: 454, w: 78, h: 58, rx: 18 },
  trunk: { x: 128, y: 158, w: 52, h: 252, rx: 8 },
  legs: { x: 130, y: 414, w: 48, h: 296, rx: 20 },
};
/** The fingers: a box for the hit area (a tap between two fingers counts), drawn as four fingers. */
const FINGERS: Box = { x: 48, y: 514, w: 78, h: 66, rx: 10 };
const FINGER_GAP = 3;
/** The right half of the face (left of the picture): half an ellipse. */
const FACE_RIGHT = 'M180 6 A48 52 0 0 0 180 110 Z';

/** The order regions are reached with Tab on each side: from the head down, then trunk and leg. */
const TAB_ORDER: readonly BodyRegion[] = [
  'face',
  'neck',
  'shoulder',
  'upper-arm',
  'forearm',
  'wrist',
  'hand',
  'fingers',
  'trunk',
  'legs',
];

/** Mirrors a box of the right side onto the left side. */
function mirror(box: Box, side: BodySide): Box {
  return side === 'right' ? box : { ...box, x: WIDTH - box.x - box.w };
}

function centre(region: BodyRegion, side: BodySide): { cx: number; cy: number } {
  if (region === 'face') return { cx: side === 'right' ? 156 : 204, cy: 58 };
  if (region === 'fingers') {
    // on a middle finger, not in a gap between two
    const box = mirror(FINGERS, side);
    const finger = (box.w - 3 * FINGER_GAP) / 4;
    const middle = side === 'right' ? 1 : 2;
    return { cx: box.x + middle * (finger + FINGER_GAP) + finger / 2, cy: box.y + box.h / 2 };
  }
  const box = mirror(RIGHT_SIDE[region], side);
  return { cx: box.x + box.w / 2, cy: box.y + box.h / 2 };
}

/** The outline of a region, drawn twice: once as the region, once as its focus ring. */
function Shape({ region, side, className }: { region: BodyRegion; side: BodySide; className: string }) {
  if (region === 'face') {
    return (
      <path
        className={className}
        d={FACE_RIGHT}
        transform={side === 'left' ? `matrix(-1 0 0 1 ${WIDTH} 0)` : undefined}
      />
    );
  }
  if (region === 'fingers') {
    const box = mirror(FINGERS, side);
    const gap = FINGER_GAP;
    const width = (box.w - 3 * gap) / 4;
    return (
      <g className={className}>
        {[0, 1, 2, 3].map((i) => (
          <rect
            key={i}
            x={box.x + i * (width + gap)}
            y={box.y}
            width={width}
            // the middle fingers are the longest
            height={box.h - (i === 1 || i === 2 ? 0 : 12)}
            rx={box.rx}
          />
        ))}
      </g>
    );
  }
  const box = mirror(RIGHT_SIDE[region], side);
  return <rect className={className} x={box.x} y={box.y} width={box.w} height={box.h} rx={box.rx} />;
}

function toggled(value: DiaryBodyMap, side: BodySide, region: BodyRegion): DiaryBodyMap {
  const list = value[side];
  const next = list.includes(region) ? list.filter((r) => r !== region) : [...list, region];
  // body-map order, so that the same marks always give the same entry
  return { ...value, [side]: BODY_REGIONS.filter((r) => next.includes(r)) };
}

/** An invisible box that takes taps in the gaps of a region drawn in parts. */
function HitArea({ box }: { box: Box }) {
  return <rect className="body-map__hit" x={box.x} y={box.y} width={box.w} height={box.h} />;
}

function FigureRegion({
  region,
  side,
  checked,
  onToggle,
}: {
  region: BodyRegion;
  side: BodySide;
  checked: boolean;
  onToggle: () => void;
}) {
  const { cx, cy } = centre(region, side);
  function onKeyDown(event: KeyboardEvent<SVGGElement>) {
    if (event.key === ' ' || event.key === 'Enter') {
      // Space would scroll the page, Enter would send the form.
      event.preventDefault();
      onToggle();
    }
  }
  return (
    <g
      role="checkbox"
      aria-checked={checked}
      aria-label={sideRegionWords({ side, region })}
      tabIndex={0}
      className={`body-map__region body-map__region--${region}`}
      data-region={region}
      data-side={side}
      onClick={onToggle}
      onKeyDown={onKeyDown}
    >
      <title>{sideRegionWords({ side, region })}</title>
      {region === 'fingers' ? <HitArea box={mirror(FINGERS, side)} /> : null}
      <Shape region={region} side={side} className="body-map__shape" />
      <Shape region={region} side={side} className="body-map__ring" />
      {checked ? (
        <text className="body-map__check" x={cx} y={cy} aria-hidden="true">
          ✓
        </text>
      ) : null}
    </g>
  );
}

export interface BodyMapProps {
  value: DiaryBodyMap;
  onChange: (value: DiaryBodyMap) => void;
  /** Prefix of the ids inside (several maps can be on one page). */
  idPrefix: string;
  legend?: string;
}

/** The body map of both sides: the figure and, beside it, the same regions as check boxes. */
export function BodyMap({ value, onChange, idPrefix, legend = 'Where were the symptoms?' }: BodyMapProps) {
  const hintId = `${idPrefix}-hint`;
  const captionId = `${idPrefix}-caption`;
  // The picture's left column first: it is the person's right side.
  const sides: readonly BodySide[] = ['right', 'left'];
  return (
    <fieldset className="choices body-map" id={idPrefix} tabIndex={-1} aria-describedby={hintId}>
      <legend>{legend}</legend>
      <p id={hintId} className="field__hint">
        Tap each place where you had symptoms; tap it again to clear it. With a keyboard: Tab to a place, then
        Space. The figure faces you, so your right side is on the left of the picture.
      </p>
      <div className="body-map__layout">
        <figure className="body-map__figure">
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            className="body-map__svg"
            role="group"
            aria-labelledby={captionId}
          >
            <text className="body-map__side-label" x={8} y={34} textAnchor="start" aria-hidden="true">
              Your right
            </text>
            <text className="body-map__side-label" x={WIDTH - 8} y={34} textAnchor="end" aria-hidden="true">
              Your left
            </text>
            {sides.map((side) =>
              TAB_ORDER.map((region) => (
                <FigureRegion
                  key={`${side}-${region}`}
                  region={region}
                  side={side}
                  checked={value[side].includes(region)}
                  onToggle={() => onChange(toggled(value, side, region))}
                />
              )),
            )}
          </svg>
          <figcaption id={captionId} className="body-map__caption">
            Body map, front view: your right side on the left of the picture, your left side on the right.
          </figcaption>
        </figure>
        <div className="body-map__lists">
          {sides.map((side) => (
            <fieldset key={side} className="choices body-map__list">
              <legend>{BODY_SIDE_LABELS[side]} side</legend>
              {BODY_REGIONS.map((region) => {
                const id = `${idPrefix}-${side}-${region}`;
                return (
                  <div className="choice" key={region}>
                    <input
                      type="checkbox"
                      id={id}
                      checked={value[side].includes(region)}
                      onChange={() => onChange(toggled(value, side, region))}
                    />
                    <label htmlFor={id}>{BODY_REGION_LABELS[region]}</label>
                  </div>
                );
              })}
            </fieldset>
          ))}
        </div>
      </div>
    </fieldset>
  );
}
