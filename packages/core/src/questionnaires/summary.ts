import { answerOf, findOption, scoreQuestionnaire } from './scoring.js';
import type { ScoreResult } from './scoring.js';
import type { QuestionnaireAnswers, QuestionnaireDefinition } from './types.js';

/**
 * A completed questionnaire shown back to the person: each question with the chosen answer, the total,
 * its band and what the band means in plain words. Nothing here diagnoses.
 */
export interface SummaryItem {
  readonly linkId: string;
  readonly prefix?: string;
  readonly text: string;
  /** The chosen answer's text (or the person's own words); null when unanswered. */
  readonly answer: string | null;
}

export interface QuestionnaireSummary {
  readonly questionnaireId: string;
  readonly version: string;
  readonly title: string;
  readonly stem: string;
  readonly items: readonly SummaryItem[];
  readonly score: ScoreResult;
  /** e.g. "Total 12 of 27 (moderate)", "Total not given: …", or for PGIC "Overall: A little better". */
  readonly headline: string;
  /** The band's meaning, or the reason no total was given. */
  readonly meaning: string;
  /** What the score is and is not; shown with every result. */
  readonly note: string;
}

/** Summarises a completed questionnaire (throws like `scoreQuestionnaire` on invalid answers). */
export function summarizeQuestionnaire(
  def: QuestionnaireDefinition,
  answers: QuestionnaireAnswers,
): QuestionnaireSummary {
  const score = scoreQuestionnaire(def, answers);
  const items: SummaryItem[] = def.items.map((item) => {
    const given = answerOf(answers, item.linkId);
    const answer =
      given === undefined ? null : item.kind === 'text' ? given : (findOption(item, given)?.text ?? null);
    return {
      linkId: item.linkId,
      ...(item.kind === 'choice' && item.prefix !== undefined ? { prefix: item.prefix } : {}),
      text: item.text,
      answer,
    };
  });

  let headline: string;
  if (score.total === null) {
    headline = 'No total';
  } else if (def.scoring.kind === 'single') {
    const scored = def.scoring.item;
    headline = `Overall: ${items.find((item) => item.linkId === scored)?.answer ?? ''}`;
  } else {
    const band = score.band ? ` (${score.band.label.toLowerCase()})` : '';
    const prorated = score.prorated
      ? `, estimated from ${def.scoring.items.length - score.missing.length} of ${def.scoring.items.length} answers`
      : '';
    headline = `Total ${score.total} of ${score.max}${band}${prorated}`;
  }
  return {
    questionnaireId: def.id,
    version: def.version,
    title: def.title,
    stem: def.stem,
    items,
    score,
    headline,
    meaning: score.band?.meaning ?? score.noTotalReason ?? '',
    note: def.resultNote,
  };
}

/** The summary as plain text (for a printout, an e-mail to oneself or a screen reader). */
export function summaryToText(summary: QuestionnaireSummary): string {
  const lines = [summary.title, '', summary.stem, ''];
  for (const item of summary.items) {
    const label = item.prefix ? `${item.prefix}. ` : '';
    lines.push(`${label}${item.text}`, `   ${item.answer ?? '(not answered)'}`);
  }
  lines.push('', summary.headline, summary.meaning, '', summary.note);
  return lines.join('\n');
}
