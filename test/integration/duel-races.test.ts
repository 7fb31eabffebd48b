import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import { DuelService } from '../../src/duel/service.js';
import { UserError } from '../../src/errors.js';
import { AnswerStore } from '../../src/mastery/answer-store.js';
import { migratedDatabase, type MigratedDatabase } from '../support/app-db.js';

const bank = loadBank();
let db: MigratedDatabase;
let duels: DuelService;
let now = new Date('2026-06-11T10:00:00.000Z');

beforeAll(async () => {
  db = await migratedDatabase('duel_races');
  duels = new DuelService(db.prisma, bank, new AnswerStore(db.prisma, bank, () => now), () => now);
});
afterAll(async () => db?.drop());

describe('duel races', () => {
  // A click that arrives as the timer closes the round used to deadlock in PostgreSQL: the
  // answer's insert held its key and waited for the duel row, the close held the row and waited
  // for the key. The player saw "something went wrong" (CI, 2026-11-27).
  it('a late click racing the timer that closes the round is either stored or refused as over, never an error', async () => {
    const rounds = 20;
    const duel = await duels.challenge({ guildId: 'g', channelId: 'c', challengerId: 'ann', opponent: { id: 'bob', bot: false }, topic: null, level: null, rounds, seconds: 5 });
    await duels.accept(duel.id, 'bob');
    const outcomes: string[] = [];
    for (let round = 0; round < rounds; round++) {
      await duels.answer(duel.id, round, 'ann', 0);
      now = new Date(now.getTime() + 6_000); // past the deadline: bob's click is late
      const [click, close] = await Promise.allSettled([duels.answer(duel.id, round, 'bob', 0), duels.closeRound(duel.id, round)]);
      expect(close.status).toBe('fulfilled');
      expect(close.status === 'fulfilled' && close.value?.duel.round).toBe(round === rounds - 1 ? round : round + 1);
      if (click.status === 'rejected') {
        expect(click.reason).toBeInstanceOf(UserError);
        expect((click.reason as Error).message).toBe('This round is over.');
        outcomes.push('over');
      } else {
        expect(click.value).toMatchObject({ stored: true, late: true, points: 0 });
        outcomes.push('late');
      }
    }
    // Every round has exactly one row per player; bob's is a late answer (option 0) or the blank.
    const rows = await db.prisma.duelAnswer.findMany({ where: { duelId: duel.id, userId: 'bob' }, orderBy: { round: 'asc' } });
    expect(rows.map((r) => r.round)).toEqual(Array.from({ length: rounds }, (_, i) => i));
    expect(rows.every((r) => r.points === 0)).toBe(true);
    expect(rows.map((r) => (r.optionId === null ? 'over' : 'late'))).toEqual(outcomes);
    // Each stored late answer is in the answer store too, once.
    const stored = await db.prisma.answer.count({ where: { userId: 'bob', mode: 'duel' } });
    expect(stored).toBe(outcomes.filter((o) => o === 'late').length);
  });
});
