/** A DuelService over a test database, for tests that play duels or only rate their results. */
import { AnswerStore } from '../../src/answers/store.js';
import { loadBank, type Bank } from '../../src/bank/load.js';
import { DuelService } from '../../src/duel/service.js';
import { DuelStore } from '../../src/duel/store.js';
import { duelPhrases } from '../../src/duel/discord/phrases.js';
import type { Database } from '../../src/platform/db/client.js';
import { refusalOf } from './phrases.js';

let realBank: Bank | undefined;

export function duelService(db: Database, opts: { bank?: Bank; answers?: AnswerStore; clock?: () => Date } = {}): DuelService {
  const bank = opts.bank ?? (realBank ??= loadBank());
  const clock = opts.clock ?? (() => new Date());
  return new DuelService(db, new DuelStore(db.prisma), bank, opts.answers ?? new AnswerStore(db.prisma, bank, clock), clock);
}

/** A duel refusal in the words members read (the duel adapter's phrasebook); other errors are rethrown. */
export const refusal = (p: Promise<unknown>): Promise<string> => refusalOf(duelPhrases, p);
