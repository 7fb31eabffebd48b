/**
 * The FSRS card rules now live in rules.ts. This re-export stays only for answer-store.ts
 * (being changed on another branch) and practice's Discord adapter; point them at rules.ts
 * and delete this file.
 */
export { emptyCard, isGrade, Rating, review, type CardState, type Grade } from './rules.js';
