import { describe, expect, it } from 'vitest';
import { CodedError, ERRORS, isErrorCode } from './catalogue.js';

describe('error catalogue', () => {
  it('has E_ codes with an HTTP error status and a sentence for a message', () => {
    for (const [code, { status, message }] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^E_[A-Z][A-Z0-9_]*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(message).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('the internal error blames the server and says nothing was lost', () => {
    expect(ERRORS.E_INTERNAL).toEqual({
      status: 500,
      message: expect.stringContaining('Nothing you sent was lost'),
    });
  });

  it('isErrorCode accepts catalogue codes only, not inherited properties', () => {
    expect(isErrorCode('E_CSRF')).toBe(true);
    expect(isErrorCode('E_NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('CodedError', () => {
  it('carries the code, its status and the default message', () => {
    const error = new CodedError('E_RECORDING_CONFLICT');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'CodedError',
      code: 'E_RECORDING_CONFLICT',
      status: 409,
      message: ERRORS.E_RECORDING_CONFLICT.message,
    });
  });

  it('toBody is { code, message } without details and { code, message, details } with them, never a stack', () => {
    expect(new CodedError('E_FORBIDDEN').toBody()).toEqual({
      code: 'E_FORBIDDEN',
      message: ERRORS.E_FORBIDDEN.message,
    });
    const body = new CodedError('E_VALIDATION', 'Bad name.', {
      issues: [{ path: 'name', message: 'x' }],
    }).toBody();
    expect(body).toEqual({
      code: 'E_VALIDATION',
      message: 'Bad name.',
      details: { issues: [{ path: 'name', message: 'x' }] },
    });
    expect(JSON.stringify(body)).not.toContain('stack');
    expect(Object.keys(new CodedError('E_INTERNAL').toBody())).toEqual(['code', 'message']);
  });
});
