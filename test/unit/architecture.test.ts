/**
 * The shape of the tree (README, "Architecture"): every feature has rules, a store, a service
 * and a Discord adapter, and these tests keep each kind of code in its place.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, cycles, importGraph, importsOf, sourceFiles } from '../support/imports.js';

const files = sourceFiles(['src', 'commands'], (rel) => rel.startsWith('src/generated'));
const text = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

/** Discord adapters: a feature's `discord/` folder, the platform's Discord code, and the slash commands. */
const isDiscordCode = (rel: string) => rel.startsWith('commands/') || rel.startsWith('src/platform/discord/') || /^src\/[^/]+\/discord\//.test(rel);
/** Stores: a feature's `store.ts` (or `store/` folder), and the platform's database code. */
const isStore = (rel: string) => /^src\/[^/]+\/store(\.ts|\/)/.test(rel) || rel.startsWith('src/platform/db/');

const RAW_SQL = /\$queryRaw|\$executeRaw|\bPrisma\.(sql|raw|join|empty)\b|\$transaction\b/;

/** The text of every string and template literal in a file (comments are not literals). */
function stringsOf(rel: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(rel, text(rel), ts.ScriptTarget.Latest, true));
  return out;
}

describe('architecture', () => {
  it('has no import cycles (type imports included)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(cycles(importGraph(files))).toEqual([]);
  });

  it('imports discord.js only in Discord adapters, commands and the platform Discord code', () => {
    const offenders = files.filter((f) => !isDiscordCode(f) && importsOf(f).some((s) => s === 'discord.js' || s.startsWith('@discordjs/')));
    expect(offenders).toEqual([]);
  });

  it('keeps SQL and Prisma calls in stores (and migrations)', () => {
    const offenders = files.filter(
      (f) => !isStore(f) && (RAW_SQL.test(text(f)) || /\bprisma\.\w+\.\w+\(/.test(text(f)) || importsOf(f).some((s) => s.includes('/generated/prisma/'))),
    );
    expect(offenders).toEqual([]);
  });

  it('leaves the words of refusals to the Discord side: services throw coded DomainErrors', () => {
    const offenders = files.filter((f) => !isDiscordCode(f) && !f.startsWith('src/platform/') && /\bUserError\b/.test(text(f)));
    expect(offenders).toEqual([]);
  });

  it('writes no slash-command names or mentions outside the Discord side (they are words for Discord)', () => {
    const commandNames = sourceFiles(['commands']).map((f) => path.basename(f, '.ts')).filter((n) => n !== 'index');
    const forDiscord = new RegExp(`<@|(^|[\\s(\`"'])/(${commandNames.join('|')})\\b`);
    const offenders = files.filter((f) => !isDiscordCode(f) && !f.startsWith('src/platform/') && stringsOf(f).some((t) => forDiscord.test(t)));
    expect(commandNames).toContain('chain');
    expect([forDiscord.test('Start again with `/chain`.'), forDiscord.test('<@1> is busy'), forDiscord.test('drop:x/chain')]).toEqual([true, true, false]);
    expect(offenders).toEqual([]);
  });

  it('finds the violations it looks for (the checks are not vacuous)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(RAW_SQL.test('await tx.$queryRaw`SELECT 1`')).toBe(true);
    expect(isStore('src/duel/store.ts') && !isStore('src/duel/service.ts')).toBe(true);
    expect(isDiscordCode('src/duel/discord/routes.ts') && !isDiscordCode('src/duel/service.ts')).toBe(true);
  });
});
