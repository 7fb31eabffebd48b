import { AttachmentBuilder } from 'discord.js';
import { ACCENTS, cardPayload, type CardPayload } from '../../platform/discord/card.js';
import type { MasterySpec } from '../../render/index.js';
import { count } from '../../platform/discord/text.js';
import { DRILL_RECENT, MASTERY_HORIZON_DAYS, type TopicMastery } from '../rules.js';
import type { Accuracy } from '../store.js';

export interface MasteryFigures {
  topics: TopicMastery[];
  due: number;
  streak: number;
  accuracy: Accuracy | null;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** What a topic's row says beside its bar: questions seen, those whose latest answer was wrong, drill answers counted. */
export function topicDetail(t: TopicMastery): string {
  const parts = [`${t.seen} of ${count(t.seen + t.unseen, 'question')}`];
  if (t.lastWrong) parts.push(`${t.lastWrong} wrong`);
  if (t.drills) parts.push(count(t.drills, 'drill'));
  return parts.join(' · ');
}

/** The measure in one sentence (rules.MASTERY_HORIZON_DAYS has the reasons). */
export const MASTERY_MEASURE =
  `Mastery: FSRS's chance of recalling each question ${MASTERY_HORIZON_DAYS === 7 ? 'a week' : `${MASTERY_HORIZON_DAYS} days`} from now, 0 if the last answer was wrong (half if partial); ` +
  `a drill kind counts by its last ${DRILL_RECENT} answers.`;

export interface MasteryView {
  /** What the chart draws. */
  spec: MasterySpec;
  /** The summary as text: started topics, questions seen, due, streak, accuracy, the weakest topic. */
  text: string;
  /** The measure and the streak in plain words (the card's subtext and the chart's footnote). */
  footnote: string;
}

/**
 * What /mastery shows: the chart's spec, the card's text and its footnote. Only started topics get a row
 * (a bar at 0 % for a topic never tried says nothing); the others are counted on one line.
 * `name` is "Your" or "<name>'s"; `topicTitle` when one topic was asked for; `timeZone` the
 * server's (null in a DM, where the streak is the longest over the member's servers).
 */
export function masteryView(
  figures: MasteryFigures,
  o: { name: string; self: boolean; topicTitle: string | null; timeZone: string | null },
): MasteryView {
  const { topics, due, streak, accuracy } = figures;
  const started = topics.filter((t) => t.started);
  const notStarted = topics.length - started.length;
  const streakNote = o.timeZone === null ? 'Streak: your longest over your servers.' : `Streak: days with an answer here (${o.timeZone}).`;
  const spec: MasterySpec = {
    title: `${o.name} mastery${o.topicTitle ? `: ${o.topicTitle}` : ''}`,
    stats: { due, streak, accuracy30d: accuracy ? accuracy.rate : null },
    topics: started.map((t) => ({ name: t.title, mastery: t.mastery, seen: t.seen, unseen: t.unseen, detail: topicDetail(t) })),
    ...(notStarted ? { notStarted } : {}),
    footnote: `${MASTERY_MEASURE}${o.self ? '' : ' Answers given in this server only.'} ${streakNote}`,
  };
  const footnote = spec.footnote!;
  const seen = topics.reduce((n, t) => n + t.seen, 0);
  const drills = topics.reduce((n, t) => n + t.drills, 0);
  const startedText = o.topicTitle ? (started.length ? 'started' : 'not started') : `${count(started.length, 'topic')} started${notStarted ? `, ${notStarted} not started` : ''}`;
  const summary = [
    `${o.name} mastery: ${startedText}`,
    `${count(seen, 'question')} seen`,
    ...(drills ? [`${count(drills, 'drill')} counted`] : []),
    `${due} due`,
    `streak ${count(streak, 'day')}`,
    `30-day accuracy ${accuracy ? `${pct(accuracy.rate)} (${accuracy.correct}/${accuracy.total})` : 'n/a'}`,
  ].join(' · ');
  const weakest = started.length > 1 ? started.reduce((a, b) => (b.mastery < a.mastery ? b : a)) : null;
  const text = weakest ? `${summary}\nWeakest: ${weakest.title}, ${pct(weakest.mastery)}.` : summary;
  return { spec, text, footnote };
}

/** The /mastery message: a card with the summary as text, the chart in a media gallery, and the measure as subtext. */
export function masteryCard(view: MasteryView, png: Buffer): CardPayload {
  const description = `${view.spec.title}: ${view.spec.topics.map((t) => `${t.name} ${pct(t.mastery)}`).join(', ') || 'no topic started yet'}`;
  return cardPayload(
    { accent: ACCENTS.summary, parts: [{ text: view.text }, { images: [{ name: 'mastery.png', description }] }, { text: `-# ${view.footnote}` }] },
    [new AttachmentBuilder(png, { name: 'mastery.png', description: description.slice(0, 1000) })],
  );
}
