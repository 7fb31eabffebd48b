/**
 * The /mastery card as a member sees it in a Discord preview: started topics only, one line
 * for the rest, names whole, and short enough not to be cropped.
 */
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../../src/bank/load.js';
import { drillKinds } from '../../../src/drills/index.js';
import { masteryView, topicDetail } from '../../../src/mastery/discord/views.js';
import { DRILL_TOPIC, type TopicMastery } from '../../../src/mastery/rules.js';
import { renderMasteryChart } from '../../../src/render/cards.js';
import { DEFAULT_SCALE, font, measureContext, wrapText } from '../../../src/render/draw.js';
import { masterySpec } from '../../../src/render/specs.js';
import { themes } from '../../../src/render/theme.js';
import { countColor, decodePng } from './pixels.js';

const bank = loadBank();

/** Every bank topic; the five with the longest titles started (the hardest case for names). */
function figures(startedCount: number): TopicMastery[] {
  const longest = [...bank.topics].sort((a, b) => b.title.length - a.title.length).slice(0, startedCount).map((t) => t.id);
  return bank.topics.map((t, i) => {
    const total = t.chains.reduce((n, c) => n + c.prompts.length, 0);
    const started = longest.includes(t.id);
    const seen = started ? 5 : 0;
    return { topic: t.id, title: t.title, seen, unseen: total - seen, lastWrong: started && i % 2 ? 2 : 0, drills: started && i % 3 === 0 ? 3 : 0, drillKinds: started && i % 3 === 0 ? 1 : 0, started, mastery: started ? [0.48, 0.81, 0.93, 0.3, 0.65][i % 5]! : 0 };
  });
}

function card(startedCount: number, theme: 'light' | 'dark') {
  const view = masteryView({ topics: figures(startedCount), due: 3, streak: 1, accuracy: { correct: 6, total: 10, rate: 0.6 } }, { name: 'Your', self: true, topicTitle: null, timeZone: 'Europe/Berlin' });
  return { view, image: renderMasteryChart(masterySpec.parse(view.spec), { theme }) };
}

describe('the mastery card', () => {
  it('fits a Discord preview with five topics started: at most 1,000 px tall at the default scale, in both themes', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { view, image } = card(5, theme);
      expect(view.spec.topics).toHaveLength(5);
      expect(view.spec.notStarted).toBe(bank.topics.length - 5);
      const png = await decodePng(image.png);
      expect(png.width).toBe(600 * DEFAULT_SCALE);
      expect(png.height).toBeLessThanOrEqual(1000);
      // It is drawn: bars in the theme's colours, the card's own background.
      expect(countColor(png, themes[theme].good, 2)).toBeGreaterThan(1000);
      expect(countColor(png, themes[theme].bad, 2)).toBeGreaterThan(300);
      expect(countColor(png, themes[theme].background, 2)).toBeGreaterThan(png.width * png.height * 0.5);
    }
  });

  it('has no empty rows: only started topics, the rest counted on one line, and grows with each started topic', async () => {
    const heights = [];
    for (const n of [0, 1, 5, 20]) {
      const { view, image } = card(n, 'dark');
      expect(view.spec.topics.map((t) => t.mastery).every((m) => m > 0)).toBe(true);
      expect(view.spec.topics).toHaveLength(n);
      expect(view.spec.notStarted ?? 0).toBe(bank.topics.length - n);
      heights.push((await decodePng(image.png)).height);
    }
    expect(heights[1]).toBeGreaterThan(heights[0]!);
    expect(heights[2]).toBeGreaterThan(heights[1]!);
    expect(heights[3]).toBeGreaterThan(heights[2]!);
  });

  it('wraps long names instead of cutting them: every topic title fits its lines whole', () => {
    const ctx = measureContext();
    ctx.font = font(14.5, 'bold');
    for (const t of bank.topics) {
      const lines = wrapText(ctx, t.title, 600 - 2 * 24 - 5 - 52 - 12, 3);
      expect(lines.join(' ')).toBe(t.title);
    }
  });

  it('writes every topic’s detail whole beside its bar, even at its largest', () => {
    const ctx = measureContext();
    ctx.font = font(11.5);
    for (const t of bank.topics) {
      const total = t.chains.reduce((n, c) => n + c.prompts.length, 0);
      const kinds = Object.values(DRILL_TOPIC).filter((x) => x === t.id).length;
      const worst: TopicMastery = { topic: t.id, title: t.title, seen: total, unseen: 0, lastWrong: total, drills: 5 * kinds, drillKinds: kinds, started: true, mastery: 0.5 };
      expect(ctx.measureText(topicDetail(worst)).width, topicDetail(worst)).toBeLessThanOrEqual(250);
    }
  });

  it('says what the measure is, and that untried topics are not scored', () => {
    const { view } = card(5, 'light');
    expect(view.spec.footnote).toContain("Mastery: FSRS's chance of recalling each question a week from now, 0 if the last answer was wrong (half if partial); a drill kind counts by its last 5 answers.");
    expect(view.text).toMatch(/^Your mastery: 5 topics started, 15 not started · 25 questions seen · \d+ drills counted · 3 due · streak 1 day · 30-day accuracy 60% \(6\/10\)\nWeakest: .+, 30%\.$/);
    expect(view.spec.topics.some((t) => /2 wrong/.test(t.detail ?? ''))).toBe(true);
  });

  it('maps every drill kind to a topic of the bank', () => {
    for (const k of drillKinds) {
      expect(DRILL_TOPIC[k.id], k.id).toBeDefined();
      expect(bank.topicById.has(DRILL_TOPIC[k.id]!), `${k.id} → ${DRILL_TOPIC[k.id]}`).toBe(true);
    }
    expect(Object.keys(DRILL_TOPIC).sort()).toEqual(drillKinds.map((k) => k.id).sort());
  });
});
