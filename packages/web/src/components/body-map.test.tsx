import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiaryBodyMap } from '@dystrack/core';
import { BodyMap } from './body-map.js';

/** The map with its own state, reporting every change. */
function Harness({ initial, changes }: { initial: DiaryBodyMap; changes: DiaryBodyMap[] }) {
  const [value, setValue] = useState(initial);
  return (
    <BodyMap
      idPrefix="map"
      value={value}
      onChange={(next) => {
        changes.push(next);
        setValue(next);
      }}
    />
  );
}

afterEach(cleanup);

describe('body map', () => {
  it('toggles a region of the figure with Space and Enter, and the list follows', () => {
    const changes: DiaryBodyMap[] = [];
    render(<Harness initial={{ left: [], right: [] }} changes={changes} />);
    const neck = screen.getByRole('checkbox', { name: 'Neck, your left side' });
    expect(neck.getAttribute('tabindex')).toBe('0');
    expect(neck.getAttribute('aria-checked')).toBe('false');
    const leftList = screen.getByRole('group', { name: 'Your left side' });
    const listNeck = within(leftList).getByRole('checkbox', { name: 'Neck' }) as HTMLInputElement;
    expect(listNeck.checked).toBe(false);

    neck.focus();
    expect(document.activeElement).toBe(neck);
    fireEvent.keyDown(neck, { key: ' ' });
    expect(neck.getAttribute('aria-checked')).toBe('true');
    expect(listNeck.checked).toBe(true);
    expect(changes.at(-1)).toEqual({ left: ['neck'], right: [] });

    fireEvent.keyDown(neck, { key: 'Enter' });
    expect(neck.getAttribute('aria-checked')).toBe('false');
    expect(listNeck.checked).toBe(false);
    // other keys do nothing
    fireEvent.keyDown(neck, { key: 'a' });
    expect(changes).toHaveLength(2);
  });

  it('every region of both sides is a Tab stop of its own, the right side (left of the picture) first', () => {
    render(<Harness initial={{ left: [], right: [] }} changes={[]} />);
    const figure = screen.getByRole('group', { name: /Body map, front view/ });
    const regions = within(figure).getAllByRole('checkbox');
    expect(regions).toHaveLength(20);
    expect(regions.every((r) => r.getAttribute('tabindex') === '0')).toBe(true);
    expect(regions.slice(0, 10).every((r) => r.getAttribute('data-side') === 'right')).toBe(true);
    expect(regions.slice(10).every((r) => r.getAttribute('data-side') === 'left')).toBe(true);
    // the person's sides are named on the figure
    expect(figure.textContent).toContain('Your right');
    expect(figure.textContent).toContain('Your left');
  });

  it('a click on the figure or on the list marks the same region, in body-map order', () => {
    const changes: DiaryBodyMap[] = [];
    render(<Harness initial={{ left: [], right: ['forearm'] }} changes={changes} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Fingers, your right side' }));
    expect(changes.at(-1)).toEqual({ left: [], right: ['fingers', 'forearm'] });
    const rightList = screen.getByRole('group', { name: 'Your right side' });
    fireEvent.click(within(rightList).getByRole('checkbox', { name: 'Forearm' }));
    expect(changes.at(-1)).toEqual({ left: [], right: ['fingers'] });
    expect(
      screen.getByRole('checkbox', { name: 'Forearm, your right side' }).getAttribute('aria-checked'),
    ).toBe('false');
    expect(
      screen.getByRole('checkbox', { name: 'Fingers, your right side' }).getAttribute('aria-checked'),
    ).toBe('true');
  });
});
