/**
 * Every request body the bot sends, checked the way Discord checks it: against Discord's own
 * OpenAPI description of its HTTP API (discord/discord-api-spec, `test/fixtures/discord/openapi.json`
 * (vendored; notes in the README there), plus the limits the schema does not carry
 * (from Discord's documentation): content 2,000 characters; 10 embeds of 6,000 characters in
 * all; 5 action rows of 5 buttons (classic components); Components v2 (flag 1 << 15) at most 40
 * components counted nested, 4,000 characters of text displays, no content or embeds, and the
 * flag never dropped by an edit; custom ids 1-100 characters, unique in a message; files named
 * by `attachment://` attached.
 *
 *   const { operation, errors } = checkRequest('POST', '/channels/1/messages', body, { files: ['a.png'] });
 *
 * The spec is read and each operation's validator compiled once per process (ajv, 2020-12).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

// ---------------------------------------------------------------------------------------------
// The spec

const IS_COMPONENTS_V2 = 1 << 15;
const SPEC_NAME = 'discord-openapi';

interface Operation {
  method: string;
  template: string;
  segments: string[];
  literals: number;
  /** JSON pointer of the request body schema inside the spec, or undefined when the operation takes no body. */
  schemaPointer: string | undefined;
}

/** Where the spec lives: $DISCORD_OPENAPI, else the copy vendored in test/fixtures/discord (see its README). */
export function specPath(): string {
  const fromEnv = process.env.DISCORD_OPENAPI;
  if (fromEnv) return fromEnv;
  const vendored = fileURLToPath(new URL('../fixtures/discord/openapi.json', import.meta.url));
  if (existsSync(vendored)) return vendored;
  throw new Error(`Discord's OpenAPI spec was not found at ${vendored}; set DISCORD_OPENAPI to a copy of it`);
}

// ajv is CommonJS: under NodeNext its default export is the module object, whose .default is the class.
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module.default }).default ?? (Ajv2020Module as unknown as typeof Ajv2020Module.default);

let state: { ajv: InstanceType<typeof Ajv2020>; operations: Operation[]; validators: Map<string, ValidateFunction> } | undefined;

function load(): NonNullable<typeof state> {
  if (state) return state;
  const spec = JSON.parse(readFileSync(specPath(), 'utf8')) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
    components: { schemas: Record<string, unknown> };
  };
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    // The spec is Discord's, not ours to lint: skip checking it against the meta-schema.
    validateSchema: false,
    formats: {
      snowflake: /^(0|[1-9][0-9]*)$/,
      uri: (s: string) => URL.canParse(s),
      'date-time': (s: string) => !Number.isNaN(Date.parse(s)),
      int32: true,
      int64: true,
      double: true,
      nonce: true,
    },
  });
  discriminate(spec);
  // The whole spec as one schema document, so every "#/components/schemas/…" resolves inside it.
  ajv.addSchema({ $id: SPEC_NAME, components: spec.components, paths: spec.paths });
  const operations: Operation[] = [];
  for (const [template, ops] of Object.entries(spec.paths)) {
    const segments = template.split('/').filter(Boolean);
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const hasBody = op.requestBody?.content?.['application/json']?.schema !== undefined;
      const pointer = hasBody ? `/paths/${escapePointer(template)}/${method}/requestBody/content/application~1json/schema` : undefined;
      operations.push({ method: method.toUpperCase(), template, segments, literals: segments.filter((s) => !s.startsWith('{')).length, schemaPointer: pointer });
    }
  }
  state = { ajv, operations, validators: new Map() };
  return state;
}

/**
 * Unions of component (or callback) types, `oneOf: [Button, StringSelect, …]`, rewritten as
 * "if type is 2 then Button, if 3 then StringSelect…": the same bodies pass (every branch is
 * told apart by its distinct `type` values), but a mistake in a button is reported as that
 * instead of as "matches none of 6 schemas" with the complaints of every other branch.
 */
function discriminate(spec: { components: { schemas: Record<string, unknown> }; paths: unknown }): void {
  const schemas = spec.components.schemas as Record<string, { properties?: { type?: { enum?: unknown[]; const?: unknown } }; required?: string[] }>;
  const tagOf = (ref: unknown): unknown[] | undefined => {
    const name = typeof ref === 'object' && ref !== null && typeof (ref as { $ref?: unknown }).$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec((ref as { $ref: string }).$ref)?.[1] : undefined;
    const target = name ? schemas[name] : undefined;
    if (!target?.required?.includes('type')) return undefined;
    const t = target.properties?.type;
    if (Array.isArray(t?.enum) && t.enum.every((v) => typeof v === 'number')) return t.enum;
    if (typeof t?.const === 'number') return [t.const];
    return undefined;
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = n[key];
      if (!Array.isArray(branches) || branches.length < 2) continue;
      const tags = branches.map(tagOf);
      if (tags.some((t) => t === undefined)) continue;
      const all = tags.flat();
      if (new Set(all).size !== all.length) continue; // not told apart by type: leave the union alone
      delete n[key];
      const rule = { type: 'object', required: ['type'], properties: { type: { enum: all } }, allOf: branches.map((b, i) => ({ if: { properties: { type: { enum: tags[i] } } }, then: b })) };
      n.allOf = [...((n.allOf as unknown[] | undefined) ?? []), rule];
    }
    Object.values(n).forEach(visit);
  };
  visit(spec.components.schemas);
  visit(spec.paths);
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The spec's operation for a request (`/channels/1/messages/2` → `PATCH /channels/{channel_id}/messages/{message_id}`). */
export function findOperation(method: string, requestPath: string): Operation | undefined {
  const segments = requestPath.split('?')[0]!.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  let best: Operation | undefined;
  for (const op of load().operations) {
    if (op.method !== method.toUpperCase() || op.segments.length !== segments.length) continue;
    if (!op.segments.every((t, i) => t.startsWith('{') || t === segments[i])) continue;
    if (!best || op.literals > best.literals) best = op;
  }
  return best;
}

/** The operations the bot uses, compiled ahead (FakeDiscord.start), so no request waits for a compile. */
const COMMON: [string, string][] = [
  ['POST', '/channels/{channel_id}/messages'],
  ['PATCH', '/channels/{channel_id}/messages/{message_id}'],
  ['POST', '/channels/{channel_id}/messages/{message_id}/threads'],
  ['POST', '/channels/{channel_id}/threads'],
  ['POST', '/interactions/{interaction_id}/{interaction_token}/callback'],
  ['POST', '/webhooks/{webhook_id}/{webhook_token}'],
  ['PATCH', '/webhooks/{webhook_id}/{webhook_token}/messages/@original'],
  ['PATCH', '/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}'],
  ['PUT', '/applications/{application_id}/commands'],
  ['PUT', '/applications/{application_id}/guilds/{guild_id}/commands'],
];

/** Reads the spec and compiles the validators of the operations the bot uses (once per process). */
export function prepareSpec(): void {
  const s = load();
  for (const [method, template] of COMMON) {
    const op = s.operations.find((o) => o.method === method && o.template === template);
    if (op?.schemaPointer) validator(op);
  }
}

function validator(op: Operation): ValidateFunction {
  const s = load();
  const key = `${op.method} ${op.template}`;
  const cached = s.validators.get(key);
  if (cached) return cached;
  const v = s.ajv.compile({ $ref: `${SPEC_NAME}#${op.schemaPointer}` });
  s.validators.set(key, v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Checking a request

/** What the fake knows beyond the body: uploaded files, and for an edit the message as it was. */
export interface RequestContext {
  /** File names uploaded with the request (multipart). */
  files?: string[];
  /** For an edit: the message before it. */
  previous?: { flags: number; content: string; embeds: unknown[]; components?: unknown[]; attachments: { id: string; filename: string }[] };
}

export interface RequestCheck {
  /** "POST /channels/{channel_id}/messages", or undefined when Discord has no such operation. */
  operation: string | undefined;
  /** Empty when Discord would accept the body. */
  errors: string[];
}

/** Checks one request the way Discord would: schema first, then the documented limits. */
export function checkRequest(method: string, requestPath: string, body: unknown, ctx: RequestContext = {}): RequestCheck {
  const op = findOperation(method, requestPath);
  const hasBody = body !== undefined && body !== null && !(typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
  if (!op) {
    return { operation: undefined, errors: ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()) ? [`Discord has no operation ${method} ${requestPath}`] : [] };
  }
  const operation = `${op.method} ${op.template}`;
  if (!op.schemaPointer) return { operation, errors: hasBody ? [`${operation} takes no body`] : [] };
  const normalized = harmless(op, body);
  const validate = validator(op);
  const errors: string[] = [];
  if (!validate(normalized)) errors.push(...describeErrors(validate.errors ?? []));
  errors.push(...limits(op, normalized, ctx));
  return { operation, errors };
}

/**
 * The known harmless differences (README): discord.js sends fields the spec does not list
 * (`enforce_nonce`, `tts: false`, `emoji.animated`: accepted anyway, the schemas are open), and
 * `default_member_permissions` as a string of digits where the spec says integer.
 */
function harmless(op: Operation, body: unknown): unknown {
  if (!/\/commands$/.test(op.template) && !/\/commands\/\{command_id\}$/.test(op.template)) return body;
  const fix = (c: unknown) => {
    const cmd = c as { default_member_permissions?: unknown };
    if (cmd && typeof cmd.default_member_permissions === 'string' && /^\d+$/.test(cmd.default_member_permissions)) {
      return { ...cmd, default_member_permissions: Number(cmd.default_member_permissions) };
    }
    return c;
  };
  return Array.isArray(body) ? body.map(fix) : fix(body);
}

/** Ajv's errors, without the noise of unions (the branch that was meant says what is wrong). */
function describeErrors(errors: ErrorObject[]): string[] {
  const branchNoise = (e: ErrorObject) =>
    // "must match 'then'" repeats the error inside it; a union fails because a branch did.
    e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'anyOf' ||
    // The `null` branch of "null or an object" rejecting the object.
    (e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null');
  const meaningful = errors.filter((e) => !branchNoise(e));
  // Nothing but branch noise: no branch fits at all (an unknown component type); say where.
  const list = meaningful.length ? meaningful : errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const out = [...new Set((list.length ? list : errors).map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}`))];
  return out.length > 12 ? [...out.slice(0, 12), `… and ${out.length - 12} more`] : out;
}

// ---------------------------------------------------------------------------------------------
// Limits the schema does not carry

interface Node {
  type?: number;
  id?: number;
  custom_id?: string;
  style?: number;
  label?: string;
  url?: string;
  emoji?: unknown;
  sku_id?: string;
  content?: string;
  components?: Node[];
  component?: Node;
  accessory?: Node;
  items?: { media?: { url?: string }; description?: string }[];
  media?: { url?: string };
  file?: { url?: string };
  options?: unknown[];
}

interface MessageBody {
  content?: string | null;
  embeds?: Record<string, unknown>[] | null;
  components?: Node[] | null;
  flags?: number | null;
  attachments?: { id: string | number; filename?: string }[] | null;
}

/** Which part of the body is a message, and whether it creates or edits one. */
function messageOf(op: Operation, body: unknown): { message: MessageBody; edit: boolean } | { modal: Record<string, unknown> } | undefined {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return undefined;
  switch (`${op.method} ${op.template}`) {
    case 'POST /channels/{channel_id}/messages':
    case 'POST /webhooks/{webhook_id}/{webhook_token}':
      return { message: b as MessageBody, edit: false };
    case 'PATCH /channels/{channel_id}/messages/{message_id}':
    case 'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original':
    case 'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}':
      return { message: b as MessageBody, edit: true };
    case 'POST /channels/{channel_id}/threads':
      return b.message && typeof b.message === 'object' ? { message: b.message as MessageBody, edit: false } : undefined;
    case 'POST /interactions/{interaction_id}/{interaction_token}/callback': {
      const data = (b.data ?? {}) as Record<string, unknown>;
      if (b.type === 4 || b.type === 5) return { message: data as MessageBody, edit: false };
      if (b.type === 7) return { message: data as MessageBody, edit: true };
      if (b.type === 9) return { modal: data };
      return undefined;
    }
    default:
      return undefined;
  }
}

const chars = (s: string) => [...s].length;

function limits(op: Operation, body: unknown, ctx: RequestContext): string[] {
  const found = messageOf(op, body);
  if (!found) return [];
  if ('modal' in found) {
    const errors: string[] = [];
    uniqueIds((found.modal.components as Node[] | undefined) ?? [], errors);
    return errors;
  }
  const { message: m, edit } = found;
  const prev = edit ? ctx.previous : undefined;
  const errors: string[] = [];

  // The message as it will be: an edit changes only the fields it names.
  const content = m.content !== undefined && m.content !== null ? m.content : edit ? (prev?.content ?? '') : '';
  const embeds = m.embeds !== undefined && m.embeds !== null ? m.embeds : edit ? ((prev?.embeds ?? []) as Record<string, unknown>[]) : [];
  const components = m.components !== undefined && m.components !== null ? m.components : edit ? ((prev?.components ?? []) as Node[]) : [];
  const wasV2 = ((prev?.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
  if (edit && wasV2 && m.flags !== undefined && m.flags !== null && (m.flags & IS_COMPONENTS_V2) === 0) {
    errors.push('flags: a Components v2 message cannot drop the IS_COMPONENTS_V2 flag (1 << 15) on edit');
  }
  const v2 = wasV2 || ((m.flags ?? 0) & IS_COMPONENTS_V2) !== 0;

  if (chars(content) > 2000) errors.push(`content: ${chars(content)} characters; the limit is 2,000`);
  if (embeds.length > 10) errors.push(`embeds: ${embeds.length} embeds; the limit is 10`);
  const embedChars = embeds.reduce((n, e) => n + embedLength(e), 0);
  if (embedChars > 6000) errors.push(`embeds: ${embedChars} characters of embed text; the limit is 6,000 in all`);

  if (v2) {
    if (content !== '') errors.push('content: a Components v2 message (flag 1 << 15) cannot have content');
    if (embeds.length > 0) errors.push('embeds: a Components v2 message (flag 1 << 15) cannot have embeds');
    const total = countComponents(components);
    if (total > 40) errors.push(`components: ${total} components in all (nested); a Components v2 message holds at most 40`);
    const text = textDisplayLength(components);
    if (text > 4000) errors.push(`components: ${text} characters of text displays; a Components v2 message holds at most 4,000`);
  } else {
    if (components.length > 5) errors.push(`components: ${components.length} rows; a message holds at most 5 action rows`);
    for (const [i, row] of components.entries()) {
      if (row.type !== 1) {
        errors.push(`components/${i}: component type ${String(row.type)} needs the IS_COMPONENTS_V2 flag (1 << 15); without it only action rows are allowed`);
        continue;
      }
      const kids = row.components ?? [];
      const selects = kids.filter((k) => k.type !== 2).length;
      if (selects > 0 && kids.length > 1) errors.push(`components/${i}: a select menu takes a whole action row`);
      if (kids.length > 5) errors.push(`components/${i}: ${kids.length} buttons; an action row holds at most 5`);
    }
  }
  buttons(components, errors);
  uniqueIds(components, errors);

  // Every attachment://name must name a file of the message.
  const attached = new Set(ctx.files ?? []);
  if (prev) {
    const keep = m.attachments === undefined || m.attachments === null ? prev.attachments : prev.attachments.filter((a) => m.attachments!.some((x) => String(x.id) === a.id));
    for (const a of keep) attached.add(a.filename);
  }
  for (const ref of attachmentRefs(components, embeds)) {
    if (!attached.has(ref)) errors.push(`attachment://${ref} is referenced but no file of that name is attached`);
  }
  return errors;
}

function embedLength(e: Record<string, unknown>): number {
  const s = (x: unknown) => (typeof x === 'string' ? chars(x) : 0);
  const fields = (e.fields as { name?: string; value?: string }[] | null | undefined) ?? [];
  return s(e.title) + s(e.description) + s((e.footer as { text?: string } | null)?.text) + s((e.author as { name?: string } | null)?.name) + fields.reduce((n, f) => n + s(f.name) + s(f.value), 0);
}

function walk(nodes: readonly Node[], visit: (n: Node) => void): void {
  for (const n of nodes) {
    if (!n || typeof n !== 'object') continue;
    visit(n);
    if (Array.isArray(n.components)) walk(n.components, visit);
    if (n.accessory) walk([n.accessory], visit);
    if (n.component) walk([n.component], visit);
  }
}

/** Discord counts every component, nested ones included (a row and its buttons, a section and its accessory). */
export function countComponents(nodes: readonly Node[]): number {
  let n = 0;
  walk(nodes, () => n++);
  return n;
}

function textDisplayLength(nodes: readonly Node[]): number {
  let n = 0;
  walk(nodes, (c) => {
    if (c.type === 10 && typeof c.content === 'string') n += chars(c.content);
  });
  return n;
}

function buttons(nodes: readonly Node[], errors: string[]): void {
  walk(nodes, (c) => {
    if (c.type !== 2) return;
    const name = c.custom_id ?? c.url ?? c.label ?? '?';
    if (c.style === 5) {
      if (!c.url) errors.push(`button ${name}: a link button needs a url`);
      if (c.custom_id) errors.push(`button ${name}: a link button cannot have a custom_id`);
    } else if (c.style === 6) {
      if (!c.sku_id) errors.push(`button ${name}: a premium button needs a sku_id`);
    } else {
      if (!c.custom_id) errors.push(`button ${name}: a button of style ${String(c.style)} needs a custom_id`);
      if (c.url) errors.push(`button ${name}: only link buttons have a url`);
    }
    if (c.style !== 6 && !c.label && !c.emoji) errors.push(`button ${name}: a button needs a label or an emoji`);
  });
}

function uniqueIds(nodes: readonly Node[], errors: string[]): void {
  const customIds = new Map<string, number>();
  const ids = new Map<number, number>();
  walk(nodes, (c) => {
    if (typeof c.custom_id === 'string') {
      if (c.custom_id.length < 1 || c.custom_id.length > 100) errors.push(`custom_id "${c.custom_id.slice(0, 40)}…": ${c.custom_id.length} characters; it must be 1-100`);
      customIds.set(c.custom_id, (customIds.get(c.custom_id) ?? 0) + 1);
    }
    if (typeof c.id === 'number') ids.set(c.id, (ids.get(c.id) ?? 0) + 1);
  });
  for (const [id, n] of customIds) if (n > 1) errors.push(`custom_id "${id}" is used ${n} times; custom ids must be unique in a message`);
  for (const [id, n] of ids) if (n > 1) errors.push(`component id ${id} is used ${n} times; ids must be unique in a message`);
}

function attachmentRefs(nodes: readonly Node[], embeds: readonly Record<string, unknown>[]): string[] {
  const urls: (string | undefined)[] = [];
  walk(nodes, (c) => {
    for (const item of c.items ?? []) urls.push(item.media?.url);
    urls.push(c.media?.url, c.file?.url);
  });
  for (const e of embeds) {
    const u = (k: string, f = 'url') => (e[k] as Record<string, string> | null | undefined)?.[f];
    urls.push(u('image'), u('thumbnail'), u('author', 'icon_url'), u('footer', 'icon_url'));
  }
  return urls.filter((u): u is string => typeof u === 'string' && u.startsWith('attachment://')).map((u) => u.slice('attachment://'.length));
}

// ---------------------------------------------------------------------------------------------
// What a member reads

export interface VisibleString {
  text: string;
  /** Where it sits: "content", "embed description", "text display", "button label", … */
  where: string;
  /**
   * Where TeX is shown on purpose, so these are checked for cuts but not for TeX: command and
   * option descriptions and choices (the /tex and /whiteboard formula options say what to type),
   * a text input's prefilled value (the member's own text), and alt text of images (image and
   * attachment descriptions: a formula image's TeX source is its faithful text equivalent).
   */
  mayShowTex?: true;
}

/**
 * Every string of a request body that a member reads: message content; embed author, title,
 * description, fields and footer; text displays; button labels; select placeholders and option
 * labels and descriptions; image and attachment descriptions (alt text); modal titles, labels,
 * placeholders and prefilled values; autocomplete choices; thread names; command, option and
 * choice names and descriptions.
 */
export function visibleStrings(method: string, requestPath: string, body: unknown): VisibleString[] {
  const op = findOperation(method, requestPath);
  if (!op || !body || typeof body !== 'object') return [];
  const out: VisibleString[] = [];
  const add = (where: string, text: unknown, mayShowTex = false) => {
    if (typeof text === 'string' && text !== '') out.push({ where, text, ...(mayShowTex ? { mayShowTex: true as const } : {}) });
  };
  const b = body as Record<string, unknown>;
  if (/\/commands$/.test(op.template)) {
    const option = (o: { name?: string; description?: string; choices?: { name?: string }[]; options?: unknown[] }, where: string) => {
      add(`${where} name`, o.name, true);
      add(`${where} description`, o.description, true);
      for (const c of o.choices ?? []) add(`${where} choice`, c.name, true);
      for (const sub of (o.options ?? []) as (typeof o)[]) option(sub, 'command option');
    };
    for (const c of (Array.isArray(body) ? body : [body]) as Parameters<typeof option>[0][]) option(c, 'command');
    return out;
  }
  if (op.template === '/interactions/{interaction_id}/{interaction_token}/callback' && b.type === 8) {
    for (const c of ((b.data as { choices?: { name?: string }[] } | undefined)?.choices ?? [])) add('autocomplete choice', c?.name);
    return out;
  }
  if (/\/threads$/.test(op.template)) add('thread name', b.name);
  const found = messageOf(op, body);
  if (!found) return out;
  if ('modal' in found) {
    add('modal title', found.modal.title);
    componentStrings((found.modal.components as Node[] | undefined) ?? [], add, true);
    return out;
  }
  const m = found.message;
  add('content', m.content);
  for (const e of (m.embeds ?? []) as { author?: { name?: string }; title?: string; description?: string; fields?: { name?: string; value?: string }[]; footer?: { text?: string } }[]) {
    add('embed author', e.author?.name);
    add('embed title', e.title);
    add('embed description', e.description);
    for (const f of e.fields ?? []) {
      add('embed field name', f.name);
      add(`embed field value (${clipName(f.name)})`, f.value);
    }
    add('embed footer', e.footer?.text);
  }
  componentStrings(m.components ?? [], add, false);
  for (const a of (m.attachments ?? []) as { description?: string }[]) add('attachment description', a.description, true);
  return out;
}

const clipName = (name: unknown) => (typeof name === 'string' ? (name.length > 40 ? `${name.slice(0, 40)}…` : name) : '');

function componentStrings(nodes: readonly Node[], add: (where: string, text: unknown, mayShowTex?: boolean) => void, modal: boolean): void {
  walk(nodes, (c) => {
    const n = c as Node & { placeholder?: string; value?: string; description?: string; options?: { label?: string; description?: string }[] };
    if (n.type === 10) add('text display', n.content);
    if (n.type === 2) add('button label', n.label);
    if (modal && n.type === 4) {
      add('text input label', n.label);
      add('text input placeholder', n.placeholder);
      add('text input value', n.value, true);
    }
    if (n.type === 18) {
      add('label', n.label);
      add('label description', n.description);
    }
    add('select placeholder', n.type !== 4 ? n.placeholder : undefined);
    for (const o of n.options ?? []) {
      add('select option label', o.label);
      add('select option description', o.description);
    }
    for (const item of n.items ?? []) add('image description', item.description, true);
  });
}
