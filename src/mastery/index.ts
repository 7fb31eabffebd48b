/** FSRS cards and what they say about a member: what /mastery reads. */
export { MasteryQueries, masterySql, MASTERED_RETRIEVABILITY, STREAK_MAX_DAYS, chainMastered } from './mastery.js';
export type { Accuracy, ChainCandidate, DueCard, MasteryOverview, Scope, TopicMastery } from './mastery.js';
export { scheduler, Rating, State, type Grade } from './fsrs.js';
