export * from './period.js';
export * from './queries.js';
