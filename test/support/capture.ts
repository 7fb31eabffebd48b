/**
 * Message capture for before/after previews: when BACKPROP_CAPTURE_DIR is set, every state
 * of every message the fake Discord holds (as created, and after each edit) is appended to
 * `<dir>/messages-<pid>.jsonl`, attachments written once each under `<dir>/files/<sha1>`.
 * `npm run preview:messages` (scripts/preview-messages.ts) draws them as Discord would.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface Capturable {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  flags: number;
  origin: string;
  attachments: { filename: string; data: Buffer; content_type?: string }[];
}

const dir = process.env.BACKPROP_CAPTURE_DIR;

export function captureMessage(m: Capturable): void {
  if (!dir) return;
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  const attachments = m.attachments.map((a) => {
    const sha = createHash('sha1').update(a.data).digest('hex');
    const file = path.join(dir, 'files', sha);
    if (!existsSync(file)) writeFileSync(file, a.data);
    return { filename: a.filename, sha };
  });
  const record = { at: Date.now(), id: m.id, channel: m.channel_id, origin: m.origin, flags: m.flags, content: m.content, embeds: m.embeds, components: m.components, attachments };
  appendFileSync(path.join(dir, `messages-${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
}
