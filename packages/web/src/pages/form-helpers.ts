import { useCallback, useRef, useState } from 'react';
import { ApiError, fieldIssues } from '../api/client.js';
import type { FormProblem } from '../components/form.js';

/** Problems of a form by field id, the summary's ref, and a helper that shows them and moves focus. */
export function useFormProblems() {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const show = useCallback((next: FormProblem[]) => {
    setProblems(next);
    if (next.length > 0) {
      // After React rendered the summary.
      requestAnimationFrame(() => summaryRef.current?.focus());
    }
  }, []);
  const errorOf = useCallback(
    (fieldId: string) => problems.find((p) => p.fieldId === fieldId)?.message ?? null,
    [problems],
  );
  return { problems, show, errorOf, summaryRef };
}

/** Words for an error from the API, for a form-level message. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Please try again.';
}

/**
 * Maps an API error onto form fields: `details.issues` paths to field ids, with the rest as a
 * form-level message.
 * @param fields - API field path → field id
 */
export function problemsFromApi(
  error: unknown,
  fields: Record<string, string>,
  fallbackFieldId: string,
): FormProblem[] {
  const issues = fieldIssues(error);
  const problems: FormProblem[] = [];
  for (const [path, message] of Object.entries(issues)) {
    const fieldId = fields[path];
    if (fieldId) problems.push({ fieldId, message: `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}` });
  }
  if (problems.length === 0) problems.push({ fieldId: fallbackFieldId, message: errorMessage(error) });
  return problems;
}

/** A same-site path to return to after sign-in, or `/`. Refuses other origins (open redirects). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
