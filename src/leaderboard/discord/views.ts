import { AttachmentBuilder } from 'discord.js';
import { ACCENTS, cardPayload, type CardPayload } from '../../platform/discord/card.js';
import { count } from '../../platform/discord/text.js';
import { POINTS_RULES } from '../../quiz/points.js';
import type { LeaderboardSpec } from '../../render/index.js';
import type { BoardKind as Board, Period } from '../rules.js';
import type { BoardResult } from '../service.js';

const PERIOD_TITLE: Record<Period, string> = { week: 'this week', month: 'this month', all: 'all time' };
const BOARD_TITLE: Record<Board, string> = { points: 'Points', elo: 'Elo', accuracy: 'Accuracy', streak: 'Streak' };

export function formatValue(board: Board, value: number): string {
  switch (board) {
    case 'points':
      return Math.round(value).toLocaleString('en-US');
    case 'elo':
      return Math.round(value).toString();
    case 'accuracy':
      return `${Math.round(value * 100)}%`;
    case 'streak':
      return count(value, 'day');
  }
}

/** Why nobody is on a board yet, and how to get on it. */
const NOBODY: Record<Board, string> = {
  points: 'Nobody has points yet: a right answer in this server earns them, in any mode.',
  accuracy: 'Nobody is ranked yet: answer questions in this server, in any mode.',
  elo: 'Nobody has an Elo yet: finish a /duel to get one.',
  streak: 'No live streaks: answer a question in this server today to start one.',
};

export interface LeaderboardView {
  /** What the image draws. */
  spec: LeaderboardSpec;
  /** The board as text (title, ranks, the caller's place): copyable, read by screen readers. */
  summary: string;
  /** Subtext lines (`-# …`): what the board counts, and how points are earned. */
  footnote: string;
}

/**
 * The image spec and the card's text of a leaderboard result. Every board says in its text
 * and its image's footnote what it ranks and how points are earned (POINTS_RULES, the
 * economy's own words).
 */
export function leaderboardView(
  result: Pick<BoardResult, 'rows' | 'caller' | 'minAnswers' | 'callerAnswers'>,
  o: { period: Period; board: Board; callerId: string; names: Map<string, string>; timeZone: string },
): LeaderboardView {
  const name = (id: string) => o.names.get(id) ?? 'former member';
  const periodless = o.board === 'elo' || o.board === 'streak';
  const title = `${BOARD_TITLE[o.board]}${periodless ? '' : `, ${PERIOD_TITLE[o.period]}`}`;
  const min = result.minAnswers ?? 0;
  const what: Record<Board, string> = {
    points: 'Points earned in this server in the period; members with none are not listed.',
    accuracy: `Right answers out of all answers in this server, every mode (a partial one is not right); ranked from ${count(min, 'answer')}.`,
    elo: 'Elo is current (duels only), whatever the period.',
    streak: 'Current streaks: consecutive days with an answer.',
  };
  const notes = [what[o.board], o.period === 'week' && !periodless ? `Weeks start on Monday (${o.timeZone}).` : ''].filter(Boolean);
  const inTop = result.rows.some((r) => r.userId === o.callerId);
  const spec: LeaderboardSpec = {
    title,
    valueLabel: BOARD_TITLE[o.board],
    rows: result.rows.map((r) => ({ rank: r.rank, name: name(r.userId), value: formatValue(o.board, r.value), ...(r.userId === o.callerId ? { isCaller: true } : {}) })),
    ...(result.caller && !inTop ? { caller: { rank: result.caller.rank, name: name(o.callerId), value: formatValue(o.board, result.caller.value), isCaller: true } } : {}),
    footnote: [...notes, ...POINTS_RULES].join(' '),
  };
  const lines = result.rows.map((r) => `${r.rank}. ${name(r.userId)}: ${formatValue(o.board, r.value)}`);
  const mine = result.callerAnswers ?? 0;
  const unranked =
    o.board === 'accuracy'
      ? `You are not ranked yet: ${count(mine, 'answer')} ${periodless || o.period === 'all' ? 'so far' : PERIOD_TITLE[o.period]}, ${min} needed.`
      : o.board === 'points'
        ? 'You have no points in this period yet.'
        : 'You are not ranked yet.';
  const you = result.caller ? `You: #${result.caller.rank} with ${formatValue(o.board, result.caller.value)}` : unranked;
  const summary = [`### 🏆 ${title}`, ...(lines.length ? lines : [NOBODY[o.board]]), you].join('\n');
  const footnote = [...notes, POINTS_RULES.join(' ')].map((l) => `-# ${l}`).join('\n');
  return { spec, summary, footnote };
}

/** The leaderboard message: a card with the board as text, its image, and the footnote as subtext. */
export function leaderboardCard(view: LeaderboardView, png: Buffer): CardPayload {
  const description = `${view.spec.title}: ${view.spec.rows.length ? view.spec.rows.map((r) => `${r.rank}. ${r.name} ${r.value}`).join(', ') : 'nobody yet'}`;
  return cardPayload(
    { accent: ACCENTS.summary, parts: [{ text: view.summary }, { images: [{ name: 'leaderboard.png', description }] }, { text: view.footnote }] },
    [new AttachmentBuilder(png, { name: 'leaderboard.png', description: description.slice(0, 1000) })],
  );
}
