/**
 * Draws captured messages as a Discord client shows them, for reviewing what members read.
 *
 *   BACKPROP_CAPTURE_DIR=/tmp/cap npx vitest run test/e2e     # capture (test/support/capture.ts)
 *   npm run preview:messages -- --in /tmp/cap --out /tmp/previews [--width 600]
 *
 * One PNG per message kind and theme (dark and light): the first state seen of each kind
 * (a question before it is answered, a closed round after it closed...). The drawing follows
 * Discord's desktop layout: avatar and name, content, embeds (colour bar, author, title,
 * description, fields, image, footer) or a Components v2 container (accent bar, text displays,
 * media gallery, separators), buttons, attached images. Markdown: headings, -# subtext,
 * quotes, bullets, **bold**, *italic*, `code`, code blocks, mentions and <t:…> timestamps.
 * Images are scaled to Discord's preview box (at most 520 × 350 px). Also prints JSON with
 * the number of visible characters of every kind (median and max).
 */
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCanvas, loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { registerFonts } from '../src/render/fonts.js';
import { FONT_FAMILY, MONO_FONT_FAMILY } from '../src/render/draw.js';
import { commandLine } from '../src/platform/cli.js';

interface Record_ {
  at: number;
  id: string;
  channel: string;
  origin: string;
  flags: number;
  content: string;
  embeds: Embed[];
  components: Node[];
  attachments: { filename: string; sha: string }[];
}
interface Embed {
  color?: number;
  author?: { name?: string };
  title?: string;
  description?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  image?: { url?: string };
  thumbnail?: { url?: string };
  footer?: { text?: string };
}
interface Node {
  type: number;
  content?: string;
  label?: string;
  style?: number;
  disabled?: boolean;
  emoji?: { name?: string };
  custom_id?: string;
  accent_color?: number | null;
  components?: Node[];
  items?: { media: { url: string }; description?: string }[];
  spacing?: number;
  divider?: boolean;
  options?: { label: string }[];
  placeholder?: string;
  accessory?: Node;
  file?: { url: string };
}

const THEMES = {
  dark: { bg: '#313338', text: '#dbdee1', muted: '#949ba4', strong: '#f2f3f5', embed: '#2b2d31', border: '#1e1f22', code: '#1e1f22', mention: '#c9cdfb', mentionBg: 'rgba(88,101,242,0.3)', secondary: '#4e5058', link: '#00a8fc' },
  light: { bg: '#ffffff', text: '#313338', muted: '#5c5e66', strong: '#060607', embed: '#f2f3f5', border: '#e3e5e8', code: '#ebedef', mention: '#505cdc', mentionBg: 'rgba(88,101,242,0.15)', secondary: '#6d6f78', link: '#006ce7' },
} as const;
type Theme = (typeof THEMES)[keyof typeof THEMES];
const BUTTON_COLOURS: Record<number, string> = { 1: '#5865f2', 3: '#248046', 4: '#da373c', 5: '#4e5058' };

// ---- markdown to styled runs --------------------------------------------------------------

interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  mention?: boolean;
  link?: boolean;
}
interface Block {
  kind: 'p' | 'h1' | 'h2' | 'h3' | 'sub' | 'quote' | 'bullet' | 'codeblock';
  runs: Run[];
}

function relative(unix: number, now: number): string {
  const s = Math.round(unix - now / 1000);
  const a = Math.abs(s);
  const [n, unit] = a < 60 ? [a, 'second'] : a < 3600 ? [Math.round(a / 60), 'minute'] : a < 86400 ? [Math.round(a / 3600), 'hour'] : [Math.round(a / 86400), 'day'];
  const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return s >= 0 ? `in ${phrase}` : `${phrase} ago`;
}

function inlineRuns(line: string, now: number): Run[] {
  const runs: Run[] = [];
  const re = /(\[[^\]]+\]\(https?:[^)\s]+\)|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|<@&?\d+>|<#\d+>|<t:(\d+)(?::[tTdDfFR])?>|__[^_]+__)/g;
  let last = 0;
  for (const m of line.matchAll(re)) {
    if (m.index > last) runs.push({ text: line.slice(last, m.index) });
    const t = m[0];
    if (t.startsWith('[')) runs.push({ text: t.slice(1, t.indexOf('](')), link: true });
    else if (t.startsWith('**') || t.startsWith('__')) runs.push({ text: t.slice(2, -2), bold: true });
    else if (t.startsWith('*')) runs.push({ text: t.slice(1, -1), italic: true });
    else if (t.startsWith('`')) runs.push({ text: t.slice(1, -1), code: true });
    else if (t.startsWith('<@&')) runs.push({ text: '@study-role', mention: true });
    else if (t.startsWith('<@')) runs.push({ text: '@member', mention: true });
    else if (t.startsWith('<#')) runs.push({ text: '#channel', mention: true });
    else if (t.startsWith('<t:')) runs.push({ text: t.endsWith(':R>') ? relative(Number(m[2]), now) : new Date(Number(m[2]) * 1000).toUTCString().slice(0, 22), code: false, mention: true });
    last = m.index + t.length;
  }
  if (last < line.length) runs.push({ text: line.slice(last) });
  // a link inside bold or italics: its text
  return runs.map((r) => ({ ...r, text: r.text.replace(/\[([^\]]+)\]\(https?:[^)\s]+\)/g, '$1') }));
}

function blocks(md: string, now: number): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
      out.push({ kind: 'codeblock', runs: [{ text: body.join('\n'), code: true }] });
      continue;
    }
    const m = /^(#{1,3} |-# |> |[-*] )/.exec(line);
    const prefix = m?.[1];
    const rest = prefix ? line.slice(prefix.length) : line;
    const kind: Block['kind'] = prefix === '# ' ? 'h1' : prefix === '## ' ? 'h2' : prefix === '### ' ? 'h3' : prefix === '-# ' ? 'sub' : prefix === '> ' ? 'quote' : prefix ? 'bullet' : 'p';
    out.push({ kind, runs: inlineRuns(rest, now) });
  }
  return out;
}

// ---- layout and drawing -------------------------------------------------------------------

const SIZES: Record<Block['kind'], number> = { p: 16, h1: 24, h2: 20, h3: 17, sub: 13, quote: 16, bullet: 16, codeblock: 14 };

function setFont(ctx: SKRSContext2D, size: number, run: Run, heading: boolean) {
  const weight = run.bold || heading ? 'bold' : 'normal';
  const style = run.italic ? 'italic' : 'normal';
  ctx.font = `${style} ${weight} ${size}px ${run.code ? MONO_FONT_FAMILY : FONT_FAMILY}`;
}

/** Draws (or only measures, when `draw` is false) markdown in a column; returns its height. */
function markdown(ctx: SKRSContext2D, md: string, x: number, y: number, width: number, t: Theme, now: number, draw: boolean, colour = t.text): number {
  let top = y;
  for (const b of blocks(md, now)) {
    const size = SIZES[b.kind];
    const lineH = Math.round(size * 1.375);
    const heading = b.kind.startsWith('h');
    const indent = b.kind === 'quote' ? 16 : b.kind === 'bullet' ? 20 : b.kind === 'codeblock' ? 8 : 0;
    if (b.kind === 'codeblock') {
      ctx.font = `${size}px ${MONO_FONT_FAMILY}`;
      const lines = b.runs[0]!.text.split('\n');
      const h = lines.length * lineH + 16;
      if (draw) {
        ctx.fillStyle = t.code;
        ctx.fillRect(x, top, width, h);
        ctx.fillStyle = t.text;
        lines.forEach((l, i) => ctx.fillText(l, x + 8, top + 8 + (i + 1) * lineH - 5));
      }
      top += h + 4;
      continue;
    }
    // words with their run style, wrapped greedily
    const words: { text: string; run: Run }[] = [];
    for (const r of b.runs) for (const w of r.text.split(/(?<= )/)) if (w) words.push({ text: w, run: r });
    let lineX = 0;
    let lines = 1;
    const placed: { text: string; run: Run; x: number; line: number }[] = [];
    for (const w of words) {
      setFont(ctx, size, w.run, heading);
      const wWidth = ctx.measureText(w.text).width;
      if (lineX + wWidth > width - indent && lineX > 0) {
        lines++;
        lineX = 0;
      }
      placed.push({ ...w, x: lineX, line: lines });
      lineX += wWidth;
    }
    const h = Math.max(1, lines) * lineH + (heading ? 6 : 0);
    if (draw) {
      if (b.kind === 'quote') {
        ctx.fillStyle = t.muted;
        ctx.fillRect(x, top, 4, h);
      }
      if (b.kind === 'bullet') {
        ctx.fillStyle = colour;
        ctx.beginPath();
        ctx.arc(x + 8, top + lineH / 2, 2.5, 0, Math.PI * 2);
        ctx.fill();
      }
      for (const p of placed) {
        setFont(ctx, size, p.run, heading);
        const px = x + indent + p.x;
        const py = top + (p.line - 1) * lineH;
        const w = ctx.measureText(p.text).width;
        if (p.run.code) {
          ctx.fillStyle = t.code;
          ctx.fillRect(px, py + 2, w, lineH - 2);
        }
        if (p.run.mention) {
          ctx.fillStyle = t.mentionBg;
          ctx.fillRect(px, py + 2, w, lineH - 2);
        }
        ctx.fillStyle = p.run.link ? t.link : p.run.mention ? t.mention : b.kind === 'sub' ? t.muted : heading || p.run.bold ? t.strong : colour;
        ctx.fillText(p.text, px, py + lineH - 5);
      }
    }
    top += h;
  }
  return top - y;
}

interface Ctx {
  ctx: SKRSContext2D;
  t: Theme;
  now: number;
  images: Map<string, Image>;
  draw: boolean;
}

function imageBox(img: Image, maxW = 520, maxH = 350): { w: number; h: number } {
  const s = Math.min(1, maxW / img.width, maxH / img.height);
  return { w: Math.round(img.width * s), h: Math.round(img.height * s) };
}

function drawImage(c: Ctx, name: string, x: number, y: number, maxW: number): number {
  const img = c.images.get(name.replace(/^attachment:\/\//, ''));
  if (!img) return 0;
  const { w, h } = imageBox(img, maxW);
  if (c.draw) c.ctx.drawImage(img, x, y, w, h);
  return h + 8;
}

function buttonsRow(c: Ctx, row: Node, x: number, y: number, width = 520): number {
  let bx = x;
  let by = y;
  for (const b of row.components ?? []) {
    if (b.type === 3 || b.type >= 5) {
      // select menu
      if (c.draw) {
        c.ctx.fillStyle = c.t.code;
        c.ctx.fillRect(bx, by, 400, 40);
        c.ctx.fillStyle = c.t.muted;
        c.ctx.font = `15px ${FONT_FAMILY}`;
        c.ctx.fillText(b.placeholder ?? 'Make a selection', bx + 12, by + 25);
      }
      return by - y + 48;
    }
    const label = `${b.emoji?.name ? `${b.emoji.name} ` : ''}${b.label ?? ''}`;
    c.ctx.font = `500 14px ${FONT_FAMILY}`;
    const w = Math.max(60, c.ctx.measureText(label).width + 32);
    if (bx + w > x + width && bx > x) {
      // Discord wraps a row's buttons that do not fit the column
      bx = x;
      by += 40;
    }
    if (c.draw) {
      c.ctx.globalAlpha = b.disabled ? 0.5 : 1;
      c.ctx.fillStyle = BUTTON_COLOURS[b.style ?? 2] ?? c.t.secondary;
      if ((b.style ?? 2) === 2) c.ctx.fillStyle = c.t.secondary;
      c.ctx.beginPath();
      c.ctx.roundRect(bx, by, w, 32, 4);
      c.ctx.fill();
      c.ctx.fillStyle = '#ffffff';
      c.ctx.fillText(label, bx + (w - c.ctx.measureText(label).width) / 2, by + 21);
      c.ctx.globalAlpha = 1;
    }
    bx += w + 8;
  }
  return by - y + 40;
}

function v2(c: Ctx, nodes: Node[], x: number, y: number, width: number): number {
  let top = y;
  for (const n of nodes) {
    if (n.type === 17) {
      const pad = 16;
      const inner = v2({ ...c, draw: false }, n.components ?? [], x + pad, 0, width - 2 * pad);
      const h = inner + 2 * pad - 8;
      if (c.draw) {
        c.ctx.fillStyle = c.t.embed;
        c.ctx.beginPath();
        c.ctx.roundRect(x, top, width, h, 8);
        c.ctx.fill();
        if (n.accent_color != null) {
          c.ctx.fillStyle = `#${n.accent_color.toString(16).padStart(6, '0')}`;
          c.ctx.fillRect(x, top, 4, h);
        }
        v2(c, n.components ?? [], x + pad, top + pad, width - 2 * pad);
      }
      top += h + 8;
    } else if (n.type === 10) {
      top += markdown(c.ctx, n.content ?? '', x, top, width, c.t, c.now, c.draw) + 8;
    } else if (n.type === 12) {
      for (const item of n.items ?? []) top += drawImage(c, item.media.url, x, top, Math.min(width, 520));
    } else if (n.type === 14) {
      if (c.draw && n.divider !== false) {
        c.ctx.fillStyle = c.t.border;
        c.ctx.fillRect(x, top + (n.spacing === 2 ? 12 : 6), width, 1);
      }
      top += n.spacing === 2 ? 26 : 14;
    } else if (n.type === 1) {
      top += buttonsRow(c, n, x, top, width);
    } else if (n.type === 9) {
      top += v2(c, n.components ?? [], x, top, width - (n.accessory ? 90 : 0));
    }
  }
  return top - y;
}

function embed(c: Ctx, e: Embed, x: number, y: number): number {
  const width = 520;
  const pad = 16;
  const inner = width - 2 * pad - 4;
  const body = (d: Ctx, top0: number) => {
    let top = top0;
    const m = (s: string, size = 'p', colour?: string) => (top += markdown(d.ctx, size === 'title' ? `**${s}**` : size === 'sub' ? `-# ${s}` : s, x + pad + 4, top, inner, d.t, d.now, d.draw, colour) + 4);
    if (e.author?.name) m(e.author.name, 'sub');
    if (e.title) m(e.title, 'title');
    if (e.description) m(e.description);
    for (const f of e.fields ?? []) {
      m(f.name, 'title');
      m(f.value);
    }
    if (e.image?.url) top += drawImage(d, e.image.url, x + pad + 4, top, inner);
    if (e.footer?.text) m(e.footer.text, 'sub');
    return top - top0;
  };
  const h = body({ ...c, draw: false }, 0) + 2 * pad - 4;
  if (c.draw) {
    c.ctx.fillStyle = c.t.embed;
    c.ctx.beginPath();
    c.ctx.roundRect(x, y, width, h, 4);
    c.ctx.fill();
    c.ctx.fillStyle = e.color ? `#${e.color.toString(16).padStart(6, '0')}` : c.t.border;
    c.ctx.fillRect(x, y, 4, h);
    body(c, y + pad);
  }
  return h + 8;
}

function message(c: Ctx, r: Record_, width: number): number {
  const x = 72;
  const colW = width - x - 16;
  let top = 16;
  if (c.draw) {
    c.ctx.fillStyle = '#5865f2';
    c.ctx.beginPath();
    c.ctx.arc(36, 36, 20, 0, Math.PI * 2);
    c.ctx.fill();
    c.ctx.font = `bold 16px ${FONT_FAMILY}`;
    c.ctx.fillStyle = c.t.strong;
    c.ctx.fillText('Backprop', x, top + 16);
    const w = c.ctx.measureText('Backprop').width;
    c.ctx.fillStyle = '#5865f2';
    c.ctx.fillRect(x + w + 6, top + 3, 30, 16);
    c.ctx.fillStyle = '#fff';
    c.ctx.font = `bold 10px ${FONT_FAMILY}`;
    c.ctx.fillText('APP', x + w + 10, top + 15);
    if (r.flags & 64) {
      c.ctx.font = `12px ${FONT_FAMILY}`;
      c.ctx.fillStyle = c.t.muted;
      c.ctx.fillText('Only you can see this', x + w + 44, top + 15);
    }
  }
  top += 24;
  if (r.content) top += markdown(c.ctx, r.content, x, top, colW, c.t, c.now, c.draw) + 6;
  for (const e of r.embeds) top += embed(c, e, x, top);
  const referenced = new Set<string>();
  const collect = (ns: Node[]) => {
    for (const n of ns) {
      for (const i of n.items ?? []) referenced.add(i.media.url.replace('attachment://', ''));
      if (n.file) referenced.add(n.file.url.replace('attachment://', ''));
      if (n.components) collect(n.components);
    }
  };
  collect(r.components);
  for (const e of r.embeds) if (e.image?.url) referenced.add(e.image.url.replace('attachment://', ''));
  if (r.flags & (1 << 15)) top += v2(c, r.components, x, top, Math.min(colW, 600));
  else {
    for (const a of r.attachments) if (!referenced.has(a.filename)) top += drawImage(c, a.filename, x, top, colW);
    for (const row of r.components) top += buttonsRow(c, row, x, top, colW);
  }
  return top + 12;
}

// ---- kinds --------------------------------------------------------------------------------

function ids(nodes: Node[]): { id: string; disabled: boolean }[] {
  const out: { id: string; disabled: boolean }[] = [];
  const walk = (ns: Node[]) => {
    for (const n of ns) {
      if (n.custom_id) out.push({ id: n.custom_id, disabled: n.disabled === true });
      if (n.components) walk(n.components);
      if (n.accessory) walk([n.accessory]);
    }
  };
  walk(nodes);
  return out;
}

export function visibleText(r: Record_): string {
  const parts: string[] = [r.content];
  for (const e of r.embeds) parts.push(e.author?.name ?? '', e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? '');
  const walk = (ns: Node[]) => {
    for (const n of ns) {
      if (n.type === 10) parts.push(n.content ?? '');
      if (n.label) parts.push(n.label);
      if (n.components) walk(n.components);
    }
  };
  walk(r.components);
  return parts.filter(Boolean).join('\n');
}

const ROUTE_KINDS: [string, string][] = [
  ['pa', 'chain-question'],
  ['pr', 'feedback-own-words'],
  ['pn', 'feedback'],
  ['dw', 'drill-question'],
  ['da', 'drop-step'],
  ['dza', 'duel-challenge'],
  ['dzq', 'duel-round'],
  ['dzn', 'duel-drill-round'],
  ['spj', 'sprint-lobby'],
  ['spa', 'sprint-question'],
];

function kindOf(r: Record_): string | null {
  const text = visibleText(r);
  const buttons = ids(r.components);
  const routes = new Set(buttons.map((b) => b.id.split(':')[1]));
  const closed = buttons.length > 0 && buttons.every((b) => b.disabled) ? '-closed' : '';
  for (const [route, kind] of ROUTE_KINDS) if (routes.has(route)) return kind + (kind === 'drop-step' && /Follow-up/.test(text) ? '-follow-up' : '') + closed;
  if (!text.trim() && r.attachments.length === 0) return null;
  const names = r.attachments.map((a) => a.filename).join(' ');
  // /help lists every command (sprint, mastery, leaderboard…), so it is told apart first.
  if (/^## Backprop/.test(text) && /### For members/.test(text)) return 'help';
  if (/mastery/i.test(names)) return 'mastery';
  if (/leaderboard/i.test(names)) return 'leaderboard';
  if (/deletes every answer/.test(text)) return 'forget-me';
  if (/formula/.test(names)) return 'tex';
  if (/roc|curve/i.test(names)) return 'roc';
  if (/whiteboard/i.test(names) || /Whiteboard/.test(text.slice(0, 80))) return 'whiteboard';
  if (/Drop complete|Drop summary/i.test(text)) return 'drop-summary';
  if (/Answer to (the root|follow-up)|How the channel answered/i.test(text)) return 'drop-reveal';
  if (/Session complete/i.test(text)) return 'session-finished';
  if (/Worked solution|worked solution/.test(text)) return 'drill-result';
  if (/wins!|tie at|abandoned/.test(text) && /Elo|duel/i.test(text)) return 'duel-result';
  if (/Round \d+: the answer/.test(text)) return 'duel-scoreboard';
  if (/\/help/.test(text) && /\/chain/.test(text) && text.length > 400) return 'help';
  if (/Sprint over/i.test(text)) return 'sprint-result';
  return null;
}

// ---- main ---------------------------------------------------------------------------------

async function main() {
  const usage = 'preview-messages --in <capture dir> --out <dir> [--width 660]';
  const { values } = commandLine({ options: { in: { type: 'string' }, out: { type: 'string' }, width: { type: 'string', default: '660' } } }, usage);
  const inDir = values.in;
  const outDir = values.out;
  if (!inDir || !outDir) throw new Error(`usage: ${usage}`);
  const width = Number(values.width);
  registerFonts();
  mkdirSync(outDir, { recursive: true });
  const records: Record_[] = [];
  for (const f of readdirSync(inDir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(path.join(inDir, f), 'utf8').split('\n')) if (line) records.push(JSON.parse(line) as Record_);
  }
  const firstOfKind = new Map<string, Record_>();
  const lengths = new Map<string, number[]>();
  for (const r of records) {
    const kind = kindOf(r);
    if (!kind) continue;
    // the final state of each message of a kind counts once for the length figures
    lengths.set(kind, [...(lengths.get(kind) ?? []), visibleText(r).length]);
    if (!firstOfKind.has(kind) || (visibleText(firstOfKind.get(kind)!).length < 40 && visibleText(r).length > 40)) firstOfKind.set(kind, r);
  }
  for (const [kind, r] of firstOfKind) {
    const images = new Map<string, Image>();
    for (const a of r.attachments) images.set(a.filename, await loadImage(readFileSync(path.join(inDir, 'files', a.sha))));
    for (const [name, t] of Object.entries(THEMES)) {
      const measure = createCanvas(width, 10).getContext('2d');
      const height = message({ ctx: measure, t, now: r.at, images, draw: false }, r, width);
      const canvas = createCanvas(width, Math.max(80, height));
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = t.bg;
      ctx.fillRect(0, 0, width, height);
      message({ ctx, t, now: r.at, images, draw: true }, r, width);
      writeFileSync(path.join(outDir, `${kind}.${name}.png`), canvas.toBuffer('image/png'));
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
  };
  const summary = Object.fromEntries([...lengths].sort().map(([k, xs]) => [k, { messages: xs.length, medianChars: median(xs), maxChars: Math.max(...xs) }]));
  console.log(JSON.stringify({ kinds: firstOfKind.size, out: outDir, visibleChars: summary }, null, 2));
}

await main();
