import { useId, useState } from 'react';
import { downloadText } from '../download.js';

/**
 * Shows fresh recovery codes once, with a download button, and asks the person to confirm they
 * saved them before going on.
 */
export function RecoveryCodes({
  codes,
  username,
  onDone,
  doneLabel = 'Continue',
}: {
  codes: string[];
  username: string;
  onDone: () => void;
  doneLabel?: string;
}) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checkboxId = useId();
  const headingId = useId();

  function download() {
    const lines = [
      'Dystrack recovery codes',
      `User name: ${username}`,
      `Made: ${new Date().toISOString()}`,
      '',
      'Each code works once. Use one to set a new password if you forget yours.',
      'Keep this file somewhere safe, away from this device if you can.',
      '',
      ...codes,
      '',
    ];
    downloadText(`dystrack-recovery-codes-${username}.txt`, lines.join('\n'));
  }

  return (
    <section className="panel recovery-codes" aria-labelledby={headingId}>
      <h2 id={headingId}>Your recovery codes</h2>
      <p>
        If you forget your password, one of these codes lets you set a new one.{' '}
        <strong>They are shown only now.</strong> Download them or write them down, and keep them somewhere
        safe. Each code works once.
      </p>
      <ol className="recovery-codes__list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={download}>
          Download the codes as a text file
        </button>
      </div>
      <div className={`choice choice--confirm${error ? ' field--error' : ''}`}>
        <input
          type="checkbox"
          id={checkboxId}
          checked={saved}
          onChange={(event) => {
            setSaved(event.target.checked);
            setError(null);
          }}
          aria-describedby={error ? `${checkboxId}-error` : undefined}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor={checkboxId}>I saved my recovery codes</label>
      </div>
      {error ? (
        <p id={`${checkboxId}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            if (!saved) {
              setError('Please save the codes first, then tick “I saved my recovery codes”.');
              document.getElementById(checkboxId)?.focus();
              return;
            }
            onDone();
          }}
        >
          {doneLabel}
        </button>
      </div>
    </section>
  );
}
