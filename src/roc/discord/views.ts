import { AttachmentBuilder } from 'discord.js';
import type { CurveRender } from '../../render/index.js';
import { ACCENTS, cardPayload } from '../../platform/discord/card.js';
import { count } from '../../platform/discord/text.js';
import type { Answer } from '../../platform/discord/replies.js';
import type { CsvColumn, CsvSample } from '../input.js';

const fmt = (x: number) => x.toFixed(4);
const column = (c: CsvColumn) => (c.name ? `\`${c.name.replace(/`/g, "'").slice(0, 40)}\`` : `column ${c.number}`);
const SEPARATORS = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;

/** How the CSV was read, in one line: "Read 1,000 rows: labels from `y_true`, scores from `y_prob` (pandas index column skipped)." */
export function csvReadLine(s: CsvSample): string {
  const notes: string[] = [];
  if (!s.header) notes.push(s.chosenBy === 'values' ? `no header row; column ${s.label.number} is the one holding only 0/1` : 'no header row');
  else if (s.chosenBy === 'values') notes.push(`${column(s.label)} is the column holding only 0/1`);
  if (s.skippedIndex) notes.push(s.header ? 'pandas index column skipped' : 'row-number column skipped');
  if (s.delimiter !== ',') notes.push(`${SEPARATORS[s.delimiter]}-separated${s.decimalComma ? ', decimal commas' : ''}`);
  if (s.minusOneLabels) notes.push('labels -1 read as 0');
  return `Read ${count(s.rows, 'row')}: labels from ${column(s.label)}, scores from ${column(s.score)}${notes.length ? ` (${notes.join('; ')})` : ''}.`;
}

/**
 * /roc's answer, a Components v2 card: how the file was read, AUC and AP, the operating point
 * as text; the two curves in a media gallery; how AUC and AP are computed as subtext.
 */
export function rocAnswer(image: CurveRender, sample: { scores: readonly number[] }, csv: CsvSample | null): Answer {
  const m = image.metrics;
  const lines: string[] = [];
  if (csv) lines.push(csvReadLine(csv));
  lines.push(
    `**AUC = ${fmt(m.auc)}** · **AP = ${fmt(m.averagePrecision)}** · n = ${m.n.toLocaleString('en-US')} (${m.positives.toLocaleString('en-US')} positive, prevalence ${(m.prevalence * 100).toFixed(1)}%)`,
  );
  if (sample.scores.every((s) => s === 0 || s === 1)) {
    lines.push('The scores are only 0 and 1 (hard predictions), so each curve has a single corner; give probabilities or scores for a full curve.');
  }
  if (m.operatingPoint) {
    const op = m.operatingPoint;
    const pct = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
    lines.push(`At threshold ${op.threshold}: TPR ${pct(op.tpr)}, FPR ${pct(op.fpr)}, precision ${pct(op.precision)} (TP ${op.tp}, FP ${op.fp}, TN ${op.tn}, FN ${op.fn})`);
  }
  const description = `ROC (AUC ${fmt(m.auc)}) and PR (AP ${fmt(m.averagePrecision)}) curves`;
  return cardPayload(
    {
      accent: ACCENTS.summary,
      parts: [
        { text: lines.join('\n') },
        { images: [{ name: 'roc-pr.png', description }] },
        { text: '-# AUC counts tied scores as half a win (Mann-Whitney); AP is the step-wise average precision.' },
      ],
    },
    [new AttachmentBuilder(image.png, { name: 'roc-pr.png', description })],
  );
}
