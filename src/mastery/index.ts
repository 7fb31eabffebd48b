/** The answer store, as the modes that record answers use it (mastery itself: import service.ts, rules.ts or store.ts). */
export { AnswerStore, RESPONSE_TIMES, ratingFor } from './answer-store.js';
export type { Verdict } from './answer-store.js';
export type { Grade } from './rules.js';
