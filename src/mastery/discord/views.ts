import type { MasterySpec } from '../../render/index.js';
import type { TopicMastery } from '../rules.js';
import type { Accuracy } from '../store.js';

export interface MasteryFigures {
  topics: TopicMastery[];
  due: number;
  streak: number;
  accuracy: Accuracy | null;
}

/**
 * What /mastery shows: the chart's spec and the message's text. `name` is "Your" or
 * "<name>'s"; `topicTitle` when one topic was asked for; `timeZone` the server's (null in a DM,
 * where the streak is the longest over the member's servers, each in its own zone).
 */
export function masteryView(
  figures: MasteryFigures,
  o: { name: string; self: boolean; topicTitle: string | null; timeZone: string | null },
): { spec: MasterySpec; text: string } {
  const { topics, due, streak, accuracy } = figures;
  const streakNote = o.timeZone === null ? 'Streak: your longest over your servers, each in its time zone.' : `Streak: days with an answer in this server (${o.timeZone}).`;
  const spec: MasterySpec = {
    title: `${o.name} mastery${o.topicTitle ? `: ${o.topicTitle}` : ''}`,
    stats: { due, streak, accuracy30d: accuracy ? accuracy.rate : null },
    topics: topics.map((t) => ({ name: t.title, mastery: t.mastery, seen: t.seen, unseen: t.unseen })),
    footnote: `Mastery = mean recall probability now (FSRS) of the prompts seen.${o.self ? '' : ' Answers given in this server only.'} ${streakNote}`,
  };
  const seen = topics.reduce((n, t) => n + t.seen, 0);
  const text = `${o.name} mastery: ${seen} prompt${seen === 1 ? '' : 's'} seen · ${due} due · streak ${streak} day${streak === 1 ? '' : 's'} · 30-day accuracy ${accuracy ? `${Math.round(accuracy.rate * 100)}% (${accuracy.correct}/${accuracy.total})` : 'n/a'}`;
  return { spec, text };
}
