/**
 * Draws one of every image kind (formulas, cards, plots, the whiteboard) in both themes, to
 * look at them. With `--baseline DIR` (a checkout of an earlier commit with its own
 * node_modules) it draws the same images with that checkout's code too and writes each pair
 * side by side, old on the left: a rendering change is judged on real pixels.
 *
 *   node --import tsx scripts/render-gallery.ts --out /tmp/gallery [--baseline ../baseline]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandLine } from '../src/platform/cli.js';

const { values } = commandLine(
  { options: { out: { type: 'string', default: 'gallery' }, baseline: { type: 'string' }, root: { type: 'string' } } },
  'node --import tsx scripts/render-gallery.ts [--out DIR] [--baseline DIR] [--root DIR]',
);
const out = path.resolve(values.out);
const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));

type Theme = 'dark' | 'light';
interface Rendered {
  png: Buffer;
}

const NAMES = ['🦊🔥 foxfire', '李小龍 Bruce', 'たなか はなこ', '김민준', 'محمد عبدالله', 'Zoë Ångström', '👩‍👩‍👧‍👦 family', 'x'.repeat(60)];
const GAIN = String.raw`\mathrm{Gain} = \frac{1}{2}\left[\frac{G_L^2}{H_L+\lambda} + \frac{G_R^2}{H_R+\lambda} - \frac{(G_L+G_R)^2}{H_L+H_R+\lambda}\right] - \gamma`;
const TABLE = String.raw`\begin{array}{l|cccc} y & 1 & 0 & 1 & 0 \\ \hline \text{score} & 0.9 & 0.8 & 0.8 & 0.1 \end{array}`;

function data(n: number): { labels: number[]; scores: number[] } {
  let s = 7;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rand() < 0.3 ? 1 : 0;
    labels.push(y);
    scores.push(1 / (1 + Math.exp(-((rand() + rand() + rand() - 1.5) * 1.5 + (y ? 1.2 : 0)))));
  }
  return { labels, scores };
}

/** Draws every kind with the code under `from` (this checkout or a baseline). */
async function draw(from: string, dir: string): Promise<void> {
  const load = (m: string) => import(pathToFileURL(path.join(from, 'src/render', m)).href);
  const [tex, cards, plots, board] = await Promise.all([load('tex.ts'), load('cards.ts'), load('plots.ts'), load('whiteboard.ts')]);
  mkdirSync(dir, { recursive: true });
  const d = data(1000);
  for (const theme of ['dark', 'light'] as Theme[]) {
    const images: Record<string, () => Rendered> = {
      'tex-gain': () => tex.renderTex(GAIN, { theme, caption: 'XGBoost split gain' }),
      'tex-table-text': () => tex.renderTex(`${TABLE} \\quad \\text{损失 Zoë}`, { theme }),
      'card-question': () =>
        cards.renderQuestionCard(
          {
            topic: 'XGBoost',
            level: 'L5',
            title: 'Leaf weights',
            prompt: 'With gradient sum $G_j$ and Hessian sum $H_j$, the optimal leaf weight is $w_j^* = -\\frac{G_j}{H_j+\\lambda}$. Why does **$\\lambda$** shrink it?\n$$\\mathcal{L} = \\sum_i l(y_i, \\hat y_i) + \\gamma T + \\tfrac12 \\lambda \\sum_j w_j^2$$\n- `min_child_weight` bounds $H_j$\n- what happens as $\\lambda \\to \\infty$?',
            step: { index: 2, total: 4 },
            footer: 'Answer with the buttons below',
          },
          { theme },
        ),
      'card-summary': () =>
        cards.renderSummaryCard(
          {
            title: 'Drop summary 🎉',
            subtitle: 'XGBoost · 12 members answered',
            rows: [
              { label: 'Right first time', value: '7 / 12' },
              { label: 'Fastest', value: '李小龍 · 4.2 s' },
            ],
            steps: [
              { label: 'Root', accuracy: 0.83 },
              { label: 'Follow-up 1', accuracy: 0.5 },
              { label: 'Follow-up 2', accuracy: 0.25 },
            ],
            footnote: 'Reveal the model answers in the thread.',
          },
          { theme },
        ),
      'card-mastery': () =>
        cards.renderMasteryChart(
          {
            title: 'Mastery · Zoë 🦊',
            stats: { due: 4, streak: 12, accuracy30d: 0.72 },
            topics: [
              { name: 'Gradients', mastery: 0.91, seen: 10, unseen: 2 },
              { name: 'XGBoost', mastery: 0.55, seen: 6, unseen: 8 },
              { name: 'Calibration', mastery: 0.2, seen: 3, unseen: 9 },
            ],
          },
          { theme },
        ),
      'card-leaderboard': () =>
        cards.renderLeaderboard(
          {
            title: 'Leaderboard 🏆 this week',
            valueLabel: 'Points',
            rows: NAMES.map((name, i) => ({ rank: i + 1, name, value: 9000 - 700 * i })),
            caller: { rank: 23, name: '🙂 me, 自分', value: 120 },
            footnote: 'Resets Monday 00:00',
          },
          { theme },
        ),
      'plot-roc-pr': () => plots.renderRocPr(d.labels, d.scores, { theme, threshold: 0.5 }),
      whiteboard: () =>
        board.renderWhiteboard(
          {
            title: 'Deriving the leaf weight 🧮',
            steps: [
              { tex: String.raw`\mathcal{L}^{(t)} \approx \sum_i \big[g_i f(x_i) + \tfrac12 h_i f(x_i)^2\big] + \tfrac12\lambda\sum_j w_j^2`, author: 'ada', note: 'second-order Taylor expansion' },
              { tex: String.raw`= \sum_j \big[G_j w_j + \tfrac12 (H_j+\lambda) w_j^2\big]`, author: '李小龍' },
              { tex: String.raw`\frac{\partial}{\partial w_j} = G_j + (H_j+\lambda) w_j = 0`, author: 'محمد' },
              { tex: String.raw`w_j^* = -\frac{G_j}{H_j+\lambda}`, author: 'Zoë 🦊', note: 'the leaf weight' },
              { tex: String.raw`\frac{1}{`, author: 'typo' },
            ],
          },
          { theme },
        ),
    };
    for (const [name, render] of Object.entries(images)) writeFileSync(path.join(dir, `${name}-${theme}.png`), render().png);
  }
}

async function sideBySide(oldDir: string, newDir: string, dir: string): Promise<void> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(newDir).filter((f) => f.endsWith('.png'))) {
    const [a, b] = await Promise.all([loadImage(path.join(oldDir, file)), loadImage(path.join(newDir, file))]);
    const gap = 24;
    const label = 36;
    const canvas = createCanvas(a.width + b.width + gap, Math.max(a.height, b.height) + label);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#808080';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000000';
    ctx.font = '26px "DejaVu Sans"';
    ctx.fillText(`before (${a.width}×${a.height})`, 4, 28);
    ctx.fillText(`after (${b.width}×${b.height})`, a.width + gap + 4, 28);
    ctx.drawImage(a, 0, label);
    ctx.drawImage(b, a.width + gap, label);
    writeFileSync(path.join(dir, file), canvas.encodeSync('png'));
  }
}

if (values.root) {
  await draw(root, out);
} else if (values.baseline) {
  const baseline = path.resolve(values.baseline);
  await draw(root, path.join(out, 'new'));
  // The baseline's code runs in its own process, with its own node_modules.
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--root', baseline, '--out', path.join(out, 'old')], { cwd: baseline, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`baseline drawing failed (exit ${r.status})`);
  await sideBySide(path.join(out, 'old'), path.join(out, 'new'), path.join(out, 'side-by-side'));
  console.log(`side by side: ${path.join(out, 'side-by-side')}`);
} else {
  await draw(root, out);
  console.log(`images: ${out}`);
}
