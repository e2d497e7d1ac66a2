import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRE_SESSION_QUESTIONS, typing } from '@dystrack/tasks';
import { PreSessionForm } from './pre-session.js';

afterEach(cleanup);

function renderForm(initialParams = {}) {
  const onStart = vi.fn();
  render(
    <PreSessionForm
      questions={PRE_SESSION_QUESTIONS}
      onStart={onStart}
      startLabel="Start"
      parameters={typing.definition.parameters}
      initialParams={initialParams}
    />,
  );
  return onStart;
}

const group = (name: RegExp) => screen.queryByRole('group', { name });

describe('PreSessionForm with asked task parameters', () => {
  it('asks a question that depends on another answer only when it applies, and passes only what was asked', () => {
    const onStart = renderForm();
    // copy text by default: the text is asked, the drill finger is not
    expect(group(/Which text will you copy/)).not.toBeNull();
    expect(group(/which finger troubles you most/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(onStart.mock.calls[0]![0].params).toEqual({ mode: 'copy', text: 'en', storeText: false });

    fireEvent.click(within(group(/What will you type/)!).getByLabelText(/Key drills/));
    expect(group(/Which text will you copy/)).toBeNull();
    fireEvent.click(within(group(/which finger troubles you most/)!).getByLabelText('Ring finger'));
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(onStart.mock.calls[1]![0].params).toEqual({ mode: 'drill', finger: 'ring', storeText: false });
  });

  it('asks a yes/no parameter (keep the typed text: no by default) and passes a boolean', () => {
    const onStart = renderForm();
    const keep = group(/Keep what you type/)!;
    expect((within(keep).getByLabelText(/No: keep only which keys/) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(keep).getByLabelText(/Yes: also keep the characters/));
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(onStart.mock.calls[0]![0].params).toMatchObject({ storeText: true });
  });

  it('starts from the remembered choices, booleans included', () => {
    const onStart = renderForm({ mode: 'drill', finger: 'middle', storeText: true });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(onStart.mock.calls[0]![0].params).toEqual({ mode: 'drill', finger: 'middle', storeText: true });
  });
});
