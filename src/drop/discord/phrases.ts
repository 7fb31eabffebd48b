import type { Phrasebook } from '../../platform/errors.js';

/** The refusals of the drop feature, in the words members have always seen. */
export const dropPhrases: Phrasebook = {
  'drop.unknown': () => 'This button does not belong to a drop I know.',
  'drop.gone': () => 'This drop is no longer available.',
  'drop.not-posted': () => 'This question has not been posted yet.',
  'drop.closed': () => 'This question has closed; its answer is in the thread.',
  'drop.no-option': () => 'That option does not exist.',
  'drop.running': () => 'A drop started with /drop is still running in this channel; let it finish (its follow-ups are in its thread) before posting another.',
  'drop.unknown-topic': ({ topic }) => `I have no topic called "${String(topic)}".`,
  'drop.no-chain': () => 'No chain matches that topic.',
};
