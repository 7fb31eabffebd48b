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
      return `${value} day${value === 1 ? '' : 's'}`;
  }
}

/** The card spec and a text version (for screen readers and tests) of a leaderboard result. */
export function leaderboardView(
  result: Pick<BoardResult, 'rows' | 'caller' | 'minAnswers'>,
  o: { period: Period; board: Board; callerId: string; names: Map<string, string>; timeZone: string },
): { spec: LeaderboardSpec; text: string } {
  const name = (id: string) => o.names.get(id) ?? 'former member';
  const periodless = o.board === 'elo' || o.board === 'streak';
  const title = `${BOARD_TITLE[o.board]}${periodless ? '' : `, ${PERIOD_TITLE[o.period]}`}`;
  const notes = [
    o.board === 'accuracy' && result.minAnswers ? `Ranked with at least ${result.minAnswers} answers.` : '',
    o.period === 'week' && !periodless ? `Weeks start on Monday (${o.timeZone}).` : '',
    o.board === 'elo' ? 'Elo is current (duels only), whatever the period.' : '',
    o.board === 'streak' ? 'Current streaks: consecutive days with an answer.' : '',
  ].filter(Boolean);
  const inTop = result.rows.some((r) => r.userId === o.callerId);
  const spec: LeaderboardSpec = {
    title,
    valueLabel: BOARD_TITLE[o.board],
    rows: result.rows.map((r) => ({ rank: r.rank, name: name(r.userId), value: formatValue(o.board, r.value), ...(r.userId === o.callerId ? { isCaller: true } : {}) })),
    ...(result.caller && !inTop ? { caller: { rank: result.caller.rank, name: name(o.callerId), value: formatValue(o.board, result.caller.value), isCaller: true } } : {}),
    ...(notes.length ? { footnote: notes.join(' ').slice(0, 200) } : {}),
  };
  const lines = result.rows.map((r) => `${r.rank}. ${name(r.userId)}: ${formatValue(o.board, r.value)}`);
  const you = result.caller ? `You: #${result.caller.rank} with ${formatValue(o.board, result.caller.value)}` : o.board === 'accuracy' && result.minAnswers ? `You are not ranked yet (at least ${result.minAnswers} answers needed).` : 'You are not ranked yet.';
  const text = [`**${title}**`, ...(lines.length ? lines : ['Nobody yet: answer a drop, a sprint or a duel to get on the board.']), you, ...notes].join('\n');
  return { spec, text: text.slice(0, 1900) };
}
