import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { ApiError, CSRF_COOKIE, CSRF_HEADER, apiRequest, readCookie } from '../api/client.js';
import { downloadBlob, downloadFrom } from '../download.js';
import { RadioGroup, TextField, type Choice } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { DateRangeFields, monthsBefore, periodProblem } from './reports.js';
import { localToday } from './scales-entry-parts.js';
import { calendarDateWords } from './scales-reference.js';
import './work-capacity.css';

/*
 * The signed work-capacity report (for an employer, insurer or attorney) and its checking: the patient
 * issues reports, shares one with an assessor through an expiring read-only link and withdraws links;
 * the public verification page checks a report PDF, or opens a shared report from its link.
 */

/** A signed report as the server lists it. */
export interface IssuedReport {
  id: string;
  issuedAt: string;
  period: { from: string; to: string };
  recordings: number;
  code: string;
}

/** A share link as the server lists it (without its token). */
export interface ShareLink {
  id: string;
  reportId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  state: 'open' | 'expired' | 'revoked';
  url?: string;
}

/** The verification of a report, as the server answers it. */
export interface Verification {
  overall: 'matches' | 'altered' | 'erased';
  summary: string;
  signature: string;
  chainIntact: boolean;
  checkedAgainstServer: boolean;
  problems: string[];
  code: string;
  reportId: string;
  issuedAt: string;
  period: { from: string; to: string };
  analysisVersion: string;
  recordings: {
    id: string;
    taskId: string;
    hand: string;
    startedAt: string;
    provenance: 'self' | 'supervised';
    status: 'matches' | 'altered' | 'erased' | 'missing';
    words: string;
  }[];
}

/** Where the PDF of an issued report is downloaded (as it was issued). */
export function reportPdfUrl(id: string): string {
  return `/api/v1/attest/reports/${encodeURIComponent(id)}/pdf`;
}

const SHARE_DAYS: Choice<'7' | '14' | '30' | '90'>[] = [
  { value: '7', label: '1 week' },
  { value: '14', label: '2 weeks' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days (the longest)' },
];

const STATE_WORDS: Record<ShareLink['state'], string> = {
  open: 'open',
  expired: 'expired',
  revoked: 'withdrawn',
};

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';
}

function ShareControls({ report, onShared }: { report: IssuedReport; onShared: () => void }) {
  const [days, setDays] = useState<'7' | '14' | '30' | '90'>('14');
  const [link, setLink] = useState<ShareLink | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const share = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await apiRequest<ShareLink>('/api/v1/attest/share-links', {
        method: 'POST',
        body: { reportId: report.id, days: Number(days) },
      });
      setLink(response.body);
      onShared();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="work-capacity__share">
      <RadioGroup
        legend="How long may the assessor open it?"
        name={`share-days-${report.id}`}
        choices={SHARE_DAYS}
        value={days}
        onChange={setDays}
      />
      <button type="button" className="button button--secondary" onClick={() => void share()} disabled={busy}>
        Make a read-only link to this report
      </button>
      {error ? <p role="alert">{error}</p> : null}
      {link?.url ? (
        <div role="status">
          <p>
            Give this link to the assessor. It is shown only now; it opens this report and its check until{' '}
            {calendarDateWords(link.expiresAt.slice(0, 10))}, and nothing else of your record.
          </p>
          <TextField label="Read-only link" value={link.url} onChange={() => undefined} readOnly />
        </div>
      ) : null}
    </div>
  );
}

interface Lists {
  reports: IssuedReport[];
  links: ShareLink[];
}

/** The patient's issued reports and share links. */
async function fetchLists(signal?: AbortSignal): Promise<Lists> {
  const [issued, shared] = await Promise.all([
    apiRequest<{ reports: IssuedReport[] }>('/api/v1/attest/reports', { signal }),
    apiRequest<{ links: ShareLink[] }>('/api/v1/attest/share-links', { signal }),
  ]);
  return { reports: issued.body.reports, links: shared.body.links };
}

/** The patient's page: issue a signed report, share it with an assessor, withdraw links. */
export function WorkCapacityPage() {
  useTitle('Work-capacity report');
  const today = localToday();
  const [from, setFrom] = useState(monthsBefore(today, 6));
  const [to, setTo] = useState(today);
  const [reports, setReports] = useState<IssuedReport[] | null>(null);
  const [links, setLinks] = useState<ShareLink[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [making, setMaking] = useState(false);
  const [made, setMade] = useState<IssuedReport | null>(null);
  const problem = periodProblem(from, to);

  const apply = useCallback((lists: Lists) => {
    setReports(lists.reports);
    setLinks(lists.links);
    setError(null);
  }, []);
  const fail = useCallback((caught: unknown) => {
    if (!(caught instanceof ApiError && caught.code === 'E_ABORTED')) setError(errorText(caught));
  }, []);
  const load = useCallback(() => fetchLists().then(apply, fail), [apply, fail]);

  useEffect(() => {
    const controller = new AbortController();
    fetchLists(controller.signal).then(apply, fail);
    return () => controller.abort();
  }, [apply, fail]);

  /** Issues a report of the period (the server signs and keeps it), then downloads its PDF. */
  const make = async () => {
    setMaking(true);
    setMade(null);
    setError(null);
    try {
      const response = await apiRequest<IssuedReport & { pdf: string }>('/api/v1/attest/reports', {
        method: 'POST',
        body: { from, to },
      });
      setMade(response.body);
      downloadFrom(response.body.pdf);
      await load();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setMaking(false);
    }
  };

  const revoke = async (id: string) => {
    try {
      await apiRequest(`/api/v1/attest/share-links/${id}`, { method: 'DELETE' });
      await load();
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  return (
    <div className="page work-capacity">
      <h1>Work-capacity report</h1>
      <section className="card" aria-labelledby="wc-about">
        <h2 id="wc-about">What it is for</h2>
        <p>
          A PDF for an employer, an insurer or an attorney. It takes the occupation and the essential hand
          tasks from your profile and says, in plain words, what your recordings show for each: whether the
          measure is worse than your own usual range or than your other hand, how often, how much, how much it
          varies from day to day, and how it changed over the period and with treatment.
        </p>
        <p>
          Every recording is listed with how it was made: recorded by you at home, or supervised in a clinic.
          The report says openly that effort is not verified. It is not a diagnosis and not legal advice.
        </p>
        <p>
          The server signs the report so that anyone can check it was not changed. If you later erase a
          recording, a check of the report says so, with the date.
        </p>
      </section>

      <DateRangeFields today={today} from={from} to={to} onFrom={setFrom} onTo={setTo} problem={problem} />
      <button
        type="button"
        className="button button--primary"
        disabled={problem !== null || making}
        onClick={() => void make()}
      >
        {making ? 'Making the signed report…' : 'Make and download the signed report (PDF)'}
      </button>
      <p role="status" className="status-line">
        {making
          ? 'The server gathers the period’s recordings and signs the report; this takes a few seconds.'
          : null}
        {made ? (
          <>
            Made the report of {calendarDateWords(made.period.from)} to {calendarDateWords(made.period.to)},
            verification code <strong>{made.code}</strong>. Its download has started; if it did not,{' '}
            <a href={reportPdfUrl(made.id)} download>
              download the PDF
            </a>
            .
          </>
        ) : null}
      </p>

      {error ? <p role="alert">{error}</p> : null}
      <section aria-labelledby="wc-issued">
        <h2 id="wc-issued">Reports you have made</h2>
        {reports === null ? <p>Loading…</p> : null}
        {reports?.length === 0 ? <p>None yet.</p> : null}
        <ul className="work-capacity__list">
          {reports?.map((report) => {
            const reportLinks = links.filter((l) => l.reportId === report.id);
            return (
              <li key={report.id} className="card">
                <h3>
                  {calendarDateWords(report.period.from)} to {calendarDateWords(report.period.to)}
                </h3>
                <p>
                  Made {report.issuedAt.slice(0, 16).replace('T', ' ')} UTC, {report.recordings} recording
                  {report.recordings === 1 ? '' : 's'}. Verification code <strong>{report.code}</strong>{' '}
                  (printed on every page of the PDF).
                </p>
                <p>
                  <a className="button button--secondary" href={reportPdfUrl(report.id)} download>
                    Download this report (PDF)
                  </a>
                </p>
                <ShareControls report={report} onShared={() => void load()} />
                {reportLinks.length ? (
                  <ul aria-label="Links to this report">
                    {reportLinks.map((l) => (
                      <li key={l.id}>
                        Link made {l.createdAt.slice(0, 10)}, {STATE_WORDS[l.state]}
                        {l.state === 'open'
                          ? ` until ${calendarDateWords(l.expiresAt.slice(0, 10))}`
                          : ''}{' '}
                        {l.state === 'open' ? (
                          <button
                            type="button"
                            className="button button--secondary"
                            onClick={() => void revoke(l.id)}
                          >
                            Withdraw this link
                          </button>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}

/** The bytes of a file as base64. */
async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The share token in the address (`/verify#share=…`), taken out of the address bar. */
function takeShareToken(): string | null {
  const match = /^#share=([A-Za-z0-9_-]{20,100})$/.exec(window.location.hash);
  if (!match) return null;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return match[1]!;
}

const OVERALL_TITLES: Record<Verification['overall'], string> = {
  matches: 'Matches: the report is unaltered',
  altered: 'Altered: this is not the report the server issued',
  erased: 'Unaltered, but recordings were erased since',
};

function VerificationResult({ result }: { result: Verification }) {
  return (
    <section
      className={`card verify__result verify__result--${result.overall}`}
      aria-labelledby="verify-result"
    >
      <h2 id="verify-result">{OVERALL_TITLES[result.overall]}</h2>
      <p>{result.summary}</p>
      <p>
        Verification code of this report: <strong>{result.code}</strong>. It must be the code printed at the
        foot of every page of the report you hold.
      </p>
      <p>
        Report of {calendarDateWords(result.period.from)} to {calendarDateWords(result.period.to)}, issued{' '}
        {result.issuedAt.slice(0, 16).replace('T', ' ')} UTC, analysis version {result.analysisVersion}.
      </p>
      <table>
        <caption>Each recording of the report</caption>
        <thead>
          <tr>
            <th scope="col">Started (UTC)</th>
            <th scope="col">Task and hand</th>
            <th scope="col">How it was made</th>
            <th scope="col">Check</th>
          </tr>
        </thead>
        <tbody>
          {result.recordings.map((r) => (
            <tr key={r.id}>
              <td>{r.startedAt.slice(0, 16).replace('T', ' ')}</td>
              <td>
                {r.taskId}, {r.hand}
              </td>
              <td>{r.provenance === 'self' ? 'self-recorded at home' : 'supervised in clinic'}</td>
              <td>{r.words}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Effort is not verified for any recording. This check says nothing about what the measurements mean.
      </p>
    </section>
  );
}

/** The public page: check a report PDF, or open a report shared by its owner (`/verify#share=…`). */
export function VerifyPage() {
  useTitle('Check a report');
  const [token] = useState(takeShareToken);
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(token !== null);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    apiRequest<Verification>('/api/v1/shared-reports/verification', {
      method: 'POST',
      body: { token },
      signal: controller.signal,
    })
      .then((response) => setResult(response.body))
      .catch((caught: unknown) => {
        if (!(caught instanceof ApiError && caught.code === 'E_ABORTED')) setError(errorText(caught));
      })
      .finally(() => setBusy(false));
    return () => controller.abort();
  }, [token]);

  const check = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const response = await apiRequest<Verification>('/api/v1/attest/verify', {
        method: 'POST',
        body: { pdf: await fileBase64(file) },
      });
      setResult(response.body);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    setError(null);
    try {
      const csrf = readCookie(CSRF_COOKIE);
      const response = await fetch('/api/v1/shared-reports/report.pdf', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(csrf ? { [CSRF_HEADER]: csrf } : {}) },
        body: JSON.stringify({ token }),
        credentials: 'same-origin',
      });
      if (!response.ok)
        throw new ApiError(
          response.status,
          'E_TOKEN_INVALID',
          'The report could not be downloaded: the link may have expired or been withdrawn.',
        );
      downloadBlob(
        `dystrack-work-capacity-${result?.period.from ?? ''}-to-${result?.period.to ?? ''}.pdf`,
        await response.blob(),
      );
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  return (
    <div className="page verify">
      <h1>{token ? 'A report shared with you' : 'Check a Dystrack report'}</h1>
      {token ? (
        <p>
          Someone shared a signed Dystrack work-capacity report with you. Below is its check against the
          server; you can download the report itself. The link opens this report only.
        </p>
      ) : (
        <>
          <p>
            Choose a Dystrack work-capacity report (PDF). The check says whether it is the report the server
            issued, and for each recording “matches”, “altered” or “recording erased by its owner on” a date.
            Nothing is kept.
          </p>
          <div className="field">
            <label htmlFor="verify-file">Report PDF</label>
            <input
              id="verify-file"
              type="file"
              accept="application/pdf,.pdf,application/json,.json"
              onChange={(e) => void check(e)}
              disabled={busy}
            />
          </div>
        </>
      )}
      {busy ? <p role="status">Checking…</p> : null}
      {error ? <p role="alert">{error}</p> : null}
      {result ? <VerificationResult result={result} /> : null}
      {token && result ? (
        <button type="button" className="button button--primary" onClick={() => void download()}>
          Download the report (PDF)
        </button>
      ) : null}
    </div>
  );
}
