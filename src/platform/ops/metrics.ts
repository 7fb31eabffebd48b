import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type InteractionOutcome = 'ok' | 'user_error' | 'unavailable' | 'error' | 'unknown';

export interface Metrics {
  registry: Registry;
  interactions: Counter<'command' | 'kind' | 'outcome'>;
  interactionSeconds: Histogram<'command' | 'kind'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'backprop_' });
  return {
    registry,
    interactions: new Counter({
      name: 'backprop_interactions_total',
      help: 'Interactions handled, by command (or component route), kind and outcome',
      labelNames: ['command', 'kind', 'outcome'],
      registers: [registry],
    }),
    interactionSeconds: new Histogram({
      name: 'backprop_interaction_duration_seconds',
      help: 'Time from receiving an interaction to finishing its handler',
      labelNames: ['command', 'kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
