/** Answers, FSRS cards and what they say about a member: the store every mode writes to and /mastery reads. */
export { AnswerStore, eventKeyOf, RESPONSE_TIMES, GIVEN_MAX_CHARS, ratingFor, conceptRootToResurface, resurfacedDue, capGiven } from './answer-store.js';
export type { AnswerEvent, AnswerEventRef, AnswerMode, RecordResult, Verdict } from './answer-store.js';
export { MasteryQueries, masterySql, MASTERED_RETRIEVABILITY, STREAK_MAX_DAYS, chainMastered } from './mastery.js';
export type { Accuracy, ChainCandidate, DueCard, MasteryOverview, Scope, TopicMastery } from './mastery.js';
export { scheduler, Rating, State, type Grade } from './fsrs.js';
