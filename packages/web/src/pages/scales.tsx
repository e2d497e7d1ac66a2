import {
  QUESTIONNAIRES,
  getQuestionnaire,
  type CrisisResource,
  type QuestionnaireDefinition,
} from '@dystrack/core';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import {
  crisisResources,
  newIdempotencyKey,
  questionnaireResponses,
  type CrisisMessage,
  type Entry,
  type QuestionnaireData,
  type QuestionnaireWritten,
  type ReferencePoint,
} from '../api/records.js';
import { useTitle } from '../components/use-title.js';
import { dateTimeWords } from '../format.js';
import { ClinicianScalesSection } from './scales-clinician.js';
import { ConfirmDelete, RevisionHistory, useEntries } from './scales-entry-parts.js';
import { CrisisAlert, QuestionnaireRunner, type Answers } from './scales-questionnaire.js';
import { RedFlagSection } from './scales-red-flags.js';
import { ReferenceChooser, referenceWords } from './scales-reference.js';
import { QuestionnaireResult, TotalsTrend, responseHeadline } from './scales-results.js';

/*
 * Questionnaires (/scales): PHQ-9, GAD-7 and the global impression of change filled in one question at a
 * time and scored by the server with core; earlier responses with their totals; totals of licensed
 * clinician scales; and the red-flag checklist.
 */

/** How many questions a questionnaire asks and about when, for its card. */
function aboutWords(def: QuestionnaireDefinition): string {
  const count = def.items.length;
  return def.recallPeriod.startsWith('since')
    ? `${count} questions about the change ${def.recallPeriod}.`
    : `${count} questions about ${def.recallPeriod}.`;
}

const PURPOSE: Record<string, string> = {
  'phq-9': 'How often low mood and related problems bothered you.',
  'gad-7': 'How often worry and anxiety bothered you.',
  pgic: 'Whether your hand feels better or worse than before, in your own view.',
};

type View =
  | { kind: 'overview' }
  | {
      kind: 'fill';
      def: QuestionnaireDefinition;
      key: string;
      edit?: Entry<QuestionnaireData>;
      /** PGIC: the reference point chosen before the questions (undefined until chosen). */
      reference?: ReferencePoint;
    }
  | { kind: 'result'; entry: QuestionnaireWritten };

/** One earlier response in the list: its headline, the answers on request, change, delete, history. */
function ResponseItem({
  entry,
  onEdit,
  onDeleted,
}: {
  entry: Entry<QuestionnaireData>;
  onEdit: () => void;
  onDeleted: (message: string) => void;
}) {
  const def = getQuestionnaire(entry.data.questionnaireId);
  const titleId = `response-${entry.id}`;
  const when = dateTimeWords(entry.data.completedAt);
  const what = `the ${def?.id.toUpperCase() ?? 'questionnaire'} of ${when}`;
  return (
    <li className="entry">
      <article aria-labelledby={titleId}>
        <h4 id={titleId} className="entry__title">
          {responseHeadline(entry.data)}
          <span className="entry__date">{when}</span>
        </h4>
        {entry.data.score.band ? <p>{entry.data.score.band.meaning}</p> : null}
        {entry.data.reference ? <p>Compared with {referenceWords(entry.data.reference)}</p> : null}
        <details className="entry__details">
          <summary>
            Show each answer <span className="visually-hidden">of {what}</span>
          </summary>
          <QuestionnaireResult data={entry.data} headingLevel={3} />
        </details>
        <div className="actions actions--row">
          {def ? (
            <button type="button" className="button button--secondary" onClick={onEdit}>
              Change the answers <span className="visually-hidden">of {what}</span>
            </button>
          ) : null}
          <ConfirmDelete
            what={what}
            onConfirm={async () => {
              await questionnaireResponses.remove(entry.id);
              onDeleted(`Deleted ${what}.`);
            }}
          />
        </div>
        <RevisionHistory
          what={what}
          load={() => questionnaireResponses.history(entry.id)}
          describe={(data) => (
            <p>
              {responseHeadline(data)}
              {data.reference ? `, compared with ${referenceWords(data.reference)}` : null}
            </p>
          )}
        />
      </article>
    </li>
  );
}

/** Earlier responses, grouped by questionnaire, with the trend of the totals. */
function EarlierResponses({
  entries,
  onEdit,
  onChanged,
}: {
  entries: readonly Entry<QuestionnaireData>[];
  onEdit: (entry: Entry<QuestionnaireData>) => void;
  onChanged: (message: string) => void;
}) {
  const groups = Object.values(QUESTIONNAIRES)
    .map((def) => ({ def, items: entries.filter((entry) => entry.data.questionnaireId === def.id) }))
    .filter((group) => group.items.length > 0);
  if (groups.length === 0) return <p>You have not filled in a questionnaire yet.</p>;
  return (
    <>
      {groups.map(({ def, items }) => (
        <section key={def.id} aria-labelledby={`earlier-${def.id}`} className="earlier">
          <h3 id={`earlier-${def.id}`}>{def.title}</h3>
          <TotalsTrend def={def} entries={items} />
          <ResponseList items={items} onEdit={onEdit} onChanged={onChanged} />
        </section>
      ))}
    </>
  );
}

/** How many responses of a questionnaire are listed before "Show all". */
const LISTED = 3;

/** The latest responses of one questionnaire; the older ones on request (the trend covers them all). */
function ResponseList({
  items,
  onEdit,
  onChanged,
}: {
  items: readonly Entry<QuestionnaireData>[];
  onEdit: (entry: Entry<QuestionnaireData>) => void;
  onChanged: (message: string) => void;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, LISTED);
  return (
    <>
      <ul className="entries">
        {shown.map((entry) => (
          <ResponseItem
            key={`${entry.id}-${entry.revision}`}
            entry={entry}
            onEdit={() => onEdit(entry)}
            onDeleted={onChanged}
          />
        ))}
      </ul>
      {items.length > LISTED ? (
        <button type="button" className="button button--secondary" onClick={() => setAll(!all)}>
          {all ? `Show the latest ${LISTED} only` : `Show all ${items.length} responses`}
        </button>
      ) : null}
    </>
  );
}

/** The questionnaires page. */
export function ScalesPage() {
  useTitle('Questionnaires');
  const [view, setView] = useState<View>({ kind: 'overview' });
  const { entries, reload } = useEntries(questionnaireResponses);
  const [message, setMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const changedView = useRef(false);
  const completedAt = useRef<string | null>(null);
  // The administrator's support services, fetched as the page opens so that the crisis message of PHQ-9
  // question 9 can show them at once; null while not known (a failed fetch keeps the general line).
  const [resources, setResources] = useState<CrisisResource[] | null>(null);
  useEffect(() => {
    let live = true;
    crisisResources().then(
      (list) => live && setResources(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  // a new view starts at the top, read from its heading
  useEffect(() => {
    if (!changedView.current) return;
    window.scrollTo?.({ top: 0 });
    headingRef.current?.focus();
  }, [view]);

  const show = (next: View) => {
    changedView.current = true;
    setView(next);
  };

  const start = (def: QuestionnaireDefinition, edit?: Entry<QuestionnaireData>) => {
    completedAt.current = null;
    show({ kind: 'fill', def, key: newIdempotencyKey(), edit });
  };

  if (view.kind === 'fill' && view.def.id === 'pgic' && !view.reference) {
    const fill = view;
    return (
      <div className="page page--narrow records">
        <h1 ref={headingRef} tabIndex={-1}>
          {fill.edit ? 'Change your answers' : 'Questionnaires'}
        </h1>
        <ReferenceChooser
          initial={fill.edit?.data.reference}
          onChosen={(reference) => show({ ...fill, reference })}
          onCancel={() => show({ kind: 'overview' })}
        />
      </div>
    );
  }

  if (view.kind === 'fill') {
    const { def, key, edit, reference } = view;
    return (
      <div className="page page--narrow records">
        <h1 ref={headingRef} tabIndex={-1}>
          {edit ? 'Change your answers' : 'Questionnaires'}
        </h1>
        <QuestionnaireRunner
          key={key}
          def={def}
          crisisResources={resources}
          context={reference ? `Compared with ${referenceWords(reference)}.` : undefined}
          initial={edit?.data.answers}
          saveLabel={edit ? 'Save the changed answers' : 'Save my answers'}
          onCancel={() => show({ kind: 'overview' })}
          onSave={async (answers: Answers) => {
            // the time of the first try to save: a retry sends the same body with the same key
            completedAt.current ??= edit?.data.completedAt ?? new Date().toISOString();
            const body = {
              questionnaireId: def.id,
              answers,
              completedAt: completedAt.current,
              ...(reference ? { reference } : {}),
            };
            // the key was made when the questionnaire was opened: every try to save sends the same one
            const written = edit
              ? await questionnaireResponses.update(edit.id, body)
              : await questionnaireResponses.saveNew(body, key);
            reload();
            show({ kind: 'result', entry: written });
          }}
        />
      </div>
    );
  }

  if (view.kind === 'result') {
    const { entry } = view;
    const crisis: CrisisMessage | null = entry.crisis;
    return (
      <div className="page page--narrow records">
        <h1 ref={headingRef} tabIndex={-1}>
          Your answers are saved
        </h1>
        {crisis ? <CrisisAlert answers={entry.data.answers} saved={crisis} /> : null}
        <QuestionnaireResult data={entry.data} />
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => show({ kind: 'overview' })}>
            Back to the questionnaires
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="page page--narrow records">
      <h1 ref={headingRef} tabIndex={-1}>
        Questionnaires
      </h1>
      <p className="lead">
        Short questionnaires about how you feel and how your hand has changed, the totals of rating scales
        from your clinic, and a checklist of signs to show a doctor.
      </p>
      <p>
        <Link href="/learn/documenting-it">What your answers and numbers mean, and how to share them</Link>
      </p>
      <nav aria-label="On this page" className="records-toc">
        <ul className="link-list">
          <li>
            <a href="#fill-heading">Fill in a questionnaire</a>
          </li>
          <li>
            <a href="#earlier-heading">Your earlier answers</a>
          </li>
          <li>
            <a href="#clinician-heading">Clinician rating scales</a>
          </li>
          <li>
            <a href="#red-flags-heading">Signs to check with a doctor</a>
          </li>
        </ul>
      </nav>
      <p role="status" className="status-line">
        {message}
      </p>
      <section aria-labelledby="fill-heading" className="records-section">
        <h2 id="fill-heading">Fill in a questionnaire</h2>
        <p>
          Nobody watches these answers as you give them: they are kept for you, to look back on and to show
          your doctor. One question at a time; you can go back and check everything before saving.
        </p>
        <ul className="questionnaire-cards">
          {Object.values(QUESTIONNAIRES).map((def) => (
            <li key={def.id} className="questionnaire-card">
              <h3>{def.title}</h3>
              <p>{PURPOSE[def.id] ?? def.stem}</p>
              <p className="muted">{aboutWords(def)}</p>
              <button type="button" className="button button--primary" onClick={() => start(def)}>
                Start <span className="visually-hidden">the {def.title}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="earlier-heading" className="records-section">
        <h2 id="earlier-heading">Your earlier answers</h2>
        {entries.state === 'loading' ? <p role="status">Loading your answers…</p> : null}
        {entries.state === 'error' ? (
          <div className="notice notice--error" role="alert">
            <p>Your earlier answers could not be loaded: {entries.message}</p>
            <button type="button" className="button button--secondary" onClick={reload}>
              Try again
            </button>
          </div>
        ) : null}
        {entries.state === 'ready' ? (
          <EarlierResponses
            entries={entries.value}
            onEdit={(entry) => {
              const def = getQuestionnaire(entry.data.questionnaireId);
              if (def) start(def, entry);
            }}
            onChanged={(text) => {
              setMessage(text);
              reload();
            }}
          />
        ) : null}
      </section>
      <ClinicianScalesSection />
      <RedFlagSection />
    </div>
  );
}
