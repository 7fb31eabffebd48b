import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { answerWhenReady } from '../../src/platform/discord/replies.js';

/** The calls a command made on its interaction, in order. */
function interaction(createdAgoMs = 0, channel: 'sendable' | 'forbidden' | 'none' = 'sendable') {
  const calls: { call: string; options?: unknown }[] = [];
  const fake = {
    createdTimestamp: Date.now() - createdAgoMs,
    channel:
      channel === 'none'
        ? null
        : {
            isSendable: () => true,
            send: async (options: unknown) => {
              calls.push({ call: 'channel.send', options });
              if (channel === 'forbidden') throw Object.assign(new Error('Missing Permissions'), { code: 50013 });
              return { id: 'posted' };
            },
          },
    deleteReply: async () => {
      calls.push({ call: 'deleteReply' });
    },
    reply: async (options: unknown) => {
      calls.push({ call: 'reply', options });
      return { resource: { message: { id: 'replied' } } };
    },
    deferReply: async (options: unknown) => {
      calls.push({ call: 'deferReply', options });
    },
    editReply: async (options: unknown) => {
      calls.push({ call: 'editReply', options });
      return { id: 'edited' };
    },
  };
  return { calls, it: fake as unknown as RepliableInteraction };
}
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('answerWhenReady', () => {
  it('answers at once with work that is done in time: no placeholder', async () => {
    const { calls, it: i } = interaction();
    const sent = await answerWhenReady(i, after(5, { content: 'AUC = 1.0000' }), { budgetMs: 200 });
    expect(calls).toEqual([{ call: 'reply', options: { content: 'AUC = 1.0000', flags: 0, withResponse: true } }]);
    expect(sent).toEqual({ id: 'replied' });
  });

  it('lets a refusal made in time through untouched, having shown nothing', async () => {
    const { calls, it: i } = interaction();
    const refusal = new Error('bad CSV');
    await expect(answerWhenReady(i, Promise.reject(refusal), { budgetMs: 200 })).rejects.toBe(refusal);
    expect(calls).toEqual([]);
  });

  it('defers privately when the work takes longer: the channel sees only the answer, never a placeholder', async () => {
    const slow = interaction();
    const sent = await answerWhenReady(slow.it, after(120, { content: 'drawn' }), { budgetMs: 30 });
    expect(slow.calls).toEqual([
      { call: 'deferReply', options: { flags: MessageFlags.Ephemeral } },
      { call: 'channel.send', options: { content: 'drawn' } },
      { call: 'deleteReply' },
    ]);
    expect(sent).toEqual({ id: 'posted' });
    const mine = interaction();
    await answerWhenReady(mine.it, after(120, { content: 'step 3' }), { budgetMs: 30, private: true });
    expect(mine.calls).toEqual([
      { call: 'deferReply', options: { flags: MessageFlags.Ephemeral } },
      { call: 'editReply', options: { content: 'step 3' } },
    ]);
    const quick = interaction();
    await answerWhenReady(quick.it, after(1, { content: 'step 3' }), { budgetMs: 200, private: true });
    expect(quick.calls[0]!.options).toMatchObject({ flags: MessageFlags.Ephemeral });
  });

  it('a slow refusal reaches only the member: the private placeholder is all that was shown', async () => {
    const slow = interaction();
    const refusal = new Error('bad formula');
    await expect(answerWhenReady(slow.it, after(120, null).then(() => Promise.reject(refusal)), { budgetMs: 30 })).rejects.toBe(refusal);
    expect(slow.calls).toEqual([{ call: 'deferReply', options: { flags: MessageFlags.Ephemeral } }]);
  });

  it('where the bot may not post in the channel, a slow answer is shown in the placeholder instead', async () => {
    for (const where of ['forbidden', 'none'] as const) {
      const slow = interaction(0, where);
      await answerWhenReady(slow.it, after(60, { content: 'drawn' }), { budgetMs: 10 });
      expect(slow.calls.map((c) => c.call).filter((c) => c !== 'channel.send')).toEqual(['deferReply', 'editReply']);
    }
  });

  it('counts from when Discord created the interaction, so a late arrival defers sooner', async () => {
    // Created 2.4 s ago: 0.1 s of the 2.5 s left before it must be acknowledged.
    const { calls, it: i } = interaction(2_400);
    const started = performance.now();
    let deferredAt = 0;
    const work = after(400, { content: 'late' });
    const deferred = (i as unknown as { deferReply: (o: unknown) => Promise<void> }).deferReply;
    (i as unknown as { deferReply: (o: unknown) => Promise<void> }).deferReply = async (o) => {
      deferredAt = performance.now() - started;
      await deferred(o);
    };
    await answerWhenReady(i, work, { budgetMs: 2_000 });
    expect(calls.map((c) => c.call)).toEqual(['deferReply', 'channel.send', 'deleteReply']);
    expect(deferredAt).toBeLessThan(300);
  });
});
