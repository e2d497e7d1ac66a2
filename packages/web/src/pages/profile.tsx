import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { getProfile, putProfile } from '../api/endpoints.js';
import type { DystoniaForm, Profile } from '../api/types.js';
import {
  CheckboxGroup,
  ErrorSummary,
  RadioGroup,
  TextAreaField,
  TextField,
  type FormProblem,
} from '../components/form.js';
import { SeeADoctor } from '../components/see-a-doctor.js';
import { useTitle } from '../components/use-title.js';
import { isProfileComplete, useSession } from '../session/session.js';
import { errorMessage, problemsFromApi, useFormProblems } from './form-helpers.js';

const FORM_CHOICES: { value: DystoniaForm; label: string; description: string }[] = [
  { value: 'writers-cramp', label: 'Writer’s cramp', description: 'Trouble when writing by hand.' },
  { value: 'musicians', label: 'Musician’s dystonia', description: 'Trouble when playing an instrument.' },
  { value: 'typists', label: 'Typist’s dystonia', description: 'Trouble when typing on a keyboard.' },
  {
    value: 'tool-use',
    label: 'When using a tool at work',
    description: 'For example a dental or surgical instrument, a tool or a mouse.',
  },
  { value: 'other', label: 'Something else', description: 'Another task, or you are not sure.' },
];

const HAND_CHOICES = [
  { value: 'left', label: 'Left hand' },
  { value: 'right', label: 'Right hand' },
  { value: 'both', label: 'Both hands' },
] as const;

const DOMINANT_CHOICES = [
  { value: 'left', label: 'Left-handed' },
  { value: 'right', label: 'Right-handed' },
  { value: 'ambidextrous', label: 'I use both equally' },
] as const;

const DIAGNOSIS_CHOICES = [
  { value: 'yes', label: 'Yes, a doctor confirmed it' },
  { value: 'no', label: 'No, not yet' },
  { value: 'unsure', label: 'I am not sure' },
] as const;

/** The form's fields as the person edits them (text inputs hold strings). */
interface Draft {
  affectedHands: Profile['affectedHands'];
  dominantHand: Profile['dominantHand'];
  dystoniaForms: DystoniaForm[];
  occupation: string;
  essentialHandTasks: string;
  instrument: string;
  onsetYear: string;
  diagnosisConfirmed: Profile['diagnosisConfirmed'];
}

function toDraft(profile: Profile): Draft {
  return {
    affectedHands: profile.affectedHands,
    dominantHand: profile.dominantHand,
    dystoniaForms: [...profile.dystoniaForms],
    occupation: profile.occupation ?? '',
    essentialHandTasks: profile.essentialHandTasks.join('\n'),
    instrument: profile.instrument ?? '',
    onsetYear: profile.onsetYear === null ? '' : String(profile.onsetYear),
    diagnosisConfirmed: profile.diagnosisConfirmed,
  };
}

/**
 * Checks a profile draft and turns it into the profile to save.
 * @returns the problems (by field id) or the profile
 */
export function draftToProfile(
  draft: Draft,
  base: Profile,
  thisYear: number = new Date().getFullYear(),
): { problems: FormProblem[]; profile: Profile | null } {
  const problems: FormProblem[] = [];
  if (!draft.affectedHands)
    problems.push({ fieldId: 'profile-affected', message: 'Say which hand is affected.' });
  if (!draft.dominantHand)
    problems.push({ fieldId: 'profile-dominant', message: 'Say which hand you write with.' });
  if (draft.dystoniaForms.length === 0) {
    problems.push({
      fieldId: 'profile-forms',
      message: 'Tick at least one answer to “When does it happen?”. Choose “Something else” if none fits.',
    });
  }
  if (!draft.diagnosisConfirmed)
    problems.push({ fieldId: 'profile-diagnosis', message: 'Say whether a doctor confirmed the diagnosis.' });
  let onsetYear: number | null = null;
  if (draft.onsetYear.trim()) {
    onsetYear = Number(draft.onsetYear.trim());
    if (!Number.isInteger(onsetYear) || onsetYear < 1900 || onsetYear > thisYear) {
      problems.push({
        fieldId: 'profile-onset',
        message: `Enter the year as four digits, between 1900 and ${thisYear}, or leave it empty.`,
      });
    }
  }
  const tasks = draft.essentialHandTasks
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (tasks.length > 20)
    problems.push({ fieldId: 'profile-tasks', message: 'Please list at most 20 tasks.' });
  if (tasks.some((task) => task.length > 200))
    problems.push({ fieldId: 'profile-tasks', message: 'Please keep each task under 200 characters.' });
  if (draft.occupation.length > 200)
    problems.push({
      fieldId: 'profile-occupation',
      message: 'Please keep the occupation under 200 characters.',
    });
  if (draft.instrument.length > 200)
    problems.push({
      fieldId: 'profile-instrument',
      message: 'Please keep the instrument under 200 characters.',
    });
  if (problems.length > 0) return { problems, profile: null };
  return {
    problems,
    profile: {
      ...base,
      affectedHands: draft.affectedHands,
      dominantHand: draft.dominantHand,
      dystoniaForms: draft.dystoniaForms,
      occupation: draft.occupation.trim() || null,
      essentialHandTasks: tasks,
      instrument: draft.instrument.trim() || null,
      onsetYear,
      diagnosisConfirmed: draft.diagnosisConfirmed,
    },
  };
}

/** Onboarding (first visit, `/onboarding`) and later edits (`/profile`) of the patient's profile. */
export function ProfilePage({ onboarding = false }: { onboarding?: boolean }) {
  useTitle(onboarding ? 'About your hand' : 'Your profile');
  const session = useSession();
  const [, navigate] = useLocation();
  const [loaded, setLoaded] = useState<{ profile: Profile } | { error: string } | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { problems, show, errorOf, summaryRef } = useFormProblems();

  // Always start from the server's copy, so that saving never overwrites answers with empty ones.
  useEffect(() => {
    const controller = new AbortController();
    getProfile(controller.signal)
      .then((profile) => {
        setLoaded({ profile });
        setDraft(toDraft(profile));
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ error: errorMessage(error) });
      });
    return () => controller.abort();
  }, [attempt]);

  const title = onboarding ? 'About your hand' : 'Your profile';

  if (!loaded || (!draft && !('error' in loaded))) {
    return (
      <div className="page page--narrow">
        <h1>{title}</h1>
        <p role="status">Loading your profile…</p>
      </div>
    );
  }
  if ('error' in loaded || !draft) {
    return (
      <div className="page page--narrow">
        <h1>{title}</h1>
        <div role="alert" className="notice notice--error">
          <p>Your profile could not be loaded: {'error' in loaded ? loaded.error : ''}</p>
        </div>
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  const base = loaded.profile;
  const update = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(null);
    setDraft((previous) => (previous ? { ...previous, [key]: value } : previous));
  };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const { problems: found, profile } = draftToProfile(draft, base);
    show(found);
    if (!profile) return;
    setBusy(true);
    try {
      const stored = await putProfile(profile);
      const wasComplete = isProfileComplete(session.profile);
      session.setProfile(stored);
      setLoaded({ profile: stored });
      if (onboarding || !wasComplete) {
        session.setNotice({
          kind: 'success',
          text: 'Thank you. Your profile is saved. You can change it any time on the Profile page.',
        });
        navigate('/', { replace: true });
      } else {
        setSaved('Your profile is saved.');
      }
    } catch (error) {
      show(
        problemsFromApi(
          error,
          {
            affectedHands: 'profile-affected',
            dominantHand: 'profile-dominant',
            dystoniaForms: 'profile-forms',
            occupation: 'profile-occupation',
            essentialHandTasks: 'profile-tasks',
            instrument: 'profile-instrument',
            onsetYear: 'profile-onset',
            diagnosisConfirmed: 'profile-diagnosis',
          },
          'profile-affected',
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  const showInstrument = draft.dystoniaForms.includes('musicians') || draft.instrument !== '';

  return (
    <div className="page page--narrow">
      <h1>{title}</h1>
      {onboarding ? (
        <p className="lead">
          A few questions before your first measurement. They help you and your doctor read the results. You
          can change the answers later.
        </p>
      ) : null}
      <p>
        <Link href="/learn/working-with-it">Learn about working with focal hand dystonia</Link>
      </p>
      <ErrorSummary problems={problems} summaryRef={summaryRef} />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="form">
        <RadioGroup
          id="profile-affected"
          name="affectedHands"
          legend="Which hand is affected?"
          choices={HAND_CHOICES}
          value={draft.affectedHands}
          onChange={(value) => update('affectedHands', value)}
          error={errorOf('profile-affected')}
        />
        <RadioGroup
          id="profile-dominant"
          name="dominantHand"
          legend="Which hand do you write with?"
          choices={DOMINANT_CHOICES}
          value={draft.dominantHand}
          onChange={(value) => update('dominantHand', value)}
          error={errorOf('profile-dominant')}
        />
        <CheckboxGroup
          id="profile-forms"
          name="dystoniaForms"
          legend="When does it happen?"
          hint="Tick all that apply; at least one."
          choices={FORM_CHOICES}
          values={draft.dystoniaForms}
          onChange={(values) => update('dystoniaForms', values)}
          error={errorOf('profile-forms')}
        />
        {showInstrument ? (
          <TextField
            id="profile-instrument"
            label="Your instrument (optional)"
            hint="For example piano, guitar, violin."
            value={draft.instrument}
            onChange={(value) => update('instrument', value)}
            error={errorOf('profile-instrument')}
            maxLength={200}
          />
        ) : null}
        <TextField
          id="profile-occupation"
          label="Your occupation (optional)"
          value={draft.occupation}
          onChange={(value) => update('occupation', value)}
          error={errorOf('profile-occupation')}
          autoComplete="organization-title"
          maxLength={200}
        />
        <TextAreaField
          id="profile-tasks"
          label="Hand tasks that matter most to you (optional)"
          hint="One per line. For example: writing prescriptions, typing reports, playing scales."
          value={draft.essentialHandTasks}
          onChange={(value) => update('essentialHandTasks', value)}
          error={errorOf('profile-tasks')}
          rows={4}
        />
        <TextField
          id="profile-onset"
          label="Year the symptoms started (optional)"
          hint="Four digits, for example 2019. A guess is fine."
          value={draft.onsetYear}
          onChange={(value) => update('onsetYear', value)}
          error={errorOf('profile-onset')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={4}
          className="field--short"
        />
        <RadioGroup
          id="profile-diagnosis"
          name="diagnosisConfirmed"
          legend="Has a doctor confirmed that it is dystonia?"
          choices={DIAGNOSIS_CHOICES}
          value={draft.diagnosisConfirmed}
          onChange={(value) => update('diagnosisConfirmed', value)}
          error={errorOf('profile-diagnosis')}
        />
        <div aria-live="polite">
          {draft.diagnosisConfirmed === 'no' || draft.diagnosisConfirmed === 'unsure' ? <SeeADoctor /> : null}
        </div>
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : onboarding ? 'Save and continue' : 'Save the profile'}
          </button>
        </div>
        <div role="status" className="status-line">
          {saved}
        </div>
      </form>
    </div>
  );
}
