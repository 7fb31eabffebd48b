// The drop engine (src/drop/engine.ts) imports nextRun from here; the schedule's rules are in
// rules.ts. Remove this file once the engine imports rules.js.
export { nextRun } from './rules.js';
