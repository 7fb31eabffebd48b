/**
 * A local fake Discord: REST API + gateway on 127.0.0.1, realistic enough that the unmodified
 * bot process (discord.js 14) logs in, receives guilds and interactions from simulated users,
 * and whose every reply, edit, follow-up, channel message, thread and attachment is recorded.
 *
 *   const discord = await FakeDiscord.start({ commands });
 *   // start the bot with DISCORD_API_URL = discord.apiUrl
 *   const alice = discord.user('alice');
 *   const res = await discord.slash(alice, 'help');
 *   expect(res.ephemeral).toBe(true);
 *
 * Protocol facts it follows: ../../../shared/notes/discord-offline.md.
 *
 * Like Discord, it checks every body it receives (./discord-spec.ts: Discord's OpenAPI spec
 * and documented limits, Components v2 included) and answers one it would refuse with 400
 * "Invalid Form Body"; it records each such body in `violations` and every string a member
 * reads in `seenText`. test/support/discord-guard.ts (a vitest setup file) fails a test file
 * that left any violation, raw TeX or mid-word cut behind.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { captureMessage } from './capture.js';
import { checkRequest, prepareSpec, visibleStrings, type RequestContext } from './discord-spec.js';
import { findMidWordCuts, findRawTex, wholeWords } from './visible-text.js';

// ---------------------------------------------------------------------------------------------
// Model

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
  proxy_url: string;
  data: Buffer;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  attachments: FakeAttachment[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  type: number;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: string[];
  pinned: boolean;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: Record<string, unknown>;
  allowed_mentions?: unknown;
  thread?: FakeChannel;
  nonce?: string;
  deleted?: boolean;
  /** Where it came from: the original interaction response, a follow-up, or a channel send. */
  origin: 'interaction' | 'followup' | 'channel';
}

export interface FakeChannel {
  id: string;
  type: number;
  name: string;
  guild_id: string;
  parent_id?: string;
  position?: number;
  permission_overwrites?: unknown[];
  owner_id?: string;
  thread_metadata?: Record<string, unknown>;
  message_count?: number;
  member_count?: number;
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: FakeChannel[];
}

export interface ModalShown {
  custom_id: string;
  title: string;
  components: { type: number; components: { custom_id: string; label?: string; style?: number; [k: string]: unknown }[] }[];
}

interface CommandOption {
  type: number;
  name: string;
  options?: CommandOption[];
  required?: boolean;
  choices?: { name: string; value: string | number }[];
}

interface CommandDef {
  name: string;
  options?: CommandOption[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  at: number;
  /** Discord's operation ("PATCH /channels/{channel_id}/messages/{message_id}"), when it has one. */
  operation?: string;
  /** The test running when the bot sent it. */
  test?: string;
}

/** A request Discord would have refused (the fake answered it with 400, as Discord does). */
export interface SpecViolation {
  method: string;
  path: string;
  operation: string | undefined;
  errors: string[];
  body: unknown;
  test?: string;
}

/** One string a member reads, from one request body the bot sent. */
export interface SeenText {
  text: string;
  where: string;
  /** Command descriptions, prefilled inputs and alt text, where TeX is shown on purpose: checked for cuts, not for TeX (see discord-spec.ts). */
  mayShowTex?: true;
  /** "POST /channels/{channel_id}/messages" */
  request: string;
  test?: string;
}

/** What the shared per-file check (test/support/discord-guard.ts) fails a test file for. */
export interface Problems {
  spec: SpecViolation[];
  rawTex: (SeenText & { found: { kind: string; fragment: string }[] })[];
  midWordCuts: (SeenText & { found: string[] })[];
}

/**
 * Every FakeDiscord started in this test file, and the test running now: the shared setup file
 * (test/support/discord-guard.ts) checks them after the file, so no test file can forget to.
 */
export interface FakeDiscordRegistry {
  instances: FakeDiscord[];
  currentTest?: string;
}
export const fakeDiscordRegistry: FakeDiscordRegistry = ((globalThis as Record<symbol, unknown>)[Symbol.for('backprop.fake-discord')] ??= { instances: [] }) as FakeDiscordRegistry;

const EPOCH = 1420070400000n;
let sequence = 0n;
export function snowflake(at = Date.now()): string {
  sequence = (sequence + 1n) & 0xfffn;
  return (((BigInt(at) - EPOCH) << 22n) | (1n << 17n) | sequence).toString();
}

/** Everything a regular member may do; not Manage Server (0x20) nor Administrator (0x8). */
export const MEMBER_PERMISSIONS = (0x400n | 0x800n | 0x4000n | 0x8000n | 0x10000n | 0x40000n | 0x80000000n | 0x4000000000n).toString();
export const ADMIN_PERMISSIONS = (BigInt(MEMBER_PERMISSIONS) | 0x20n).toString();
const BOT_PERMISSIONS = (BigInt(ADMIN_PERMISSIONS) | 0x800000000n | 0x1000000000n | 0x2000000000n | 0x8000000000n | 0x10000000000n).toString();

// ---------------------------------------------------------------------------------------------
// Interaction handles

export type CallbackType = 4 | 5 | 6 | 7 | 8 | 9;

/** What the bot did with one interaction, updated live as responses arrive. */
export class InteractionHandle {
  callbackType?: CallbackType;
  /** The original response (type 4, or the message a type 5 defer turns into, or the updated message for 6/7). */
  original?: FakeMessage;
  followUps: FakeMessage[] = [];
  modal?: ModalShown;
  choices?: { name: string; value: string | number }[];
  deferredEphemeral = false;
  /** When the interaction was sent to the bot, and when the bot acknowledged it (any callback). */
  readonly sentAt = performance.now();
  ackAt?: number;
  private listeners = new Set<() => void>();

  constructor(
    readonly id: string,
    readonly token: string,
    readonly type: number,
    readonly payload: Record<string, unknown>,
    /** For components: the message the clicked component sits on. */
    readonly sourceMessage?: FakeMessage,
  ) {}

  /** True once the user can see an answer: a reply, a modal, choices, or an edit after a defer. */
  get answered(): boolean {
    if (this.callbackType === undefined) return false;
    if (this.callbackType === 5 || this.callbackType === 6) {
      return (this.original !== undefined && this.originalEdited) || this.followUps.length > 0;
    }
    return true;
  }

  originalEdited = false;

  /** The message most tests care about: the latest visible response. */
  get message(): FakeMessage | undefined {
    return this.followUps.at(-1) ?? this.original;
  }

  get ephemeral(): boolean {
    const m = this.message;
    if (!m) return this.deferredEphemeral;
    return (m.flags & 64) === 64;
  }

  get content(): string {
    return this.message?.content ?? '';
  }

  /** Every text the user saw in the response and follow-ups: content, embeds, Components v2 text displays, labels, options. */
  get text(): string {
    return [this.original, ...this.followUps].map((m) => messageText(m)).filter(Boolean).join('\n');
  }

  get files(): FakeAttachment[] {
    return [this.original, ...this.followUps].flatMap((m) => m?.attachments ?? []);
  }

  /** @internal */
  notify(): void {
    for (const l of this.listeners) l();
  }

  /** Waits until the predicate holds (checked after every response), or throws after the timeout. */
  async waitFor(predicate: (h: InteractionHandle) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<this> {
    if (predicate(this)) return this;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`interaction ${this.id}: timed out after ${timeoutMs} ms waiting for ${what}; state: ${this.describe()}`));
      }, timeoutMs);
      const check = () => {
        if (predicate(this)) {
          clearTimeout(timer);
          this.listeners.delete(check);
          resolve();
        }
      };
      this.listeners.add(check);
    });
    return this;
  }

  describe(): string {
    return JSON.stringify({ callbackType: this.callbackType, content: messageText(this.original), followUps: this.followUps.map((f) => messageText(f)) });
  }
}

export function embedText(e: Record<string, unknown>): string {
  const fields = (e.fields as { name: string; value: string }[] | undefined) ?? [];
  return [e.title, e.description, ...fields.flatMap((f) => [f.name, f.value]), (e.footer as { text?: string } | undefined)?.text]
    .filter((x): x is string => typeof x === 'string')
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Fault injection

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  retryAfter?: number;
  times: number;
}

// ---------------------------------------------------------------------------------------------
// The server

export interface FakeDiscordOptions {
  commands?: CommandDef[];
  guilds?: { name: string; channels?: string[]; /** Channels where the bot lacks Send Messages. */ botDenied?: string[] }[];
  /** Milliseconds between gateway heartbeats the fake asks for. */
  heartbeatInterval?: number;
  /** Shard count recommended by GET /gateway/bot. */
  shards?: number;
}

interface GatewaySession {
  ws: WebSocket;
  sessionId: string;
  seq: number;
  identified: boolean;
  /** [shard id, shard count] from IDENTIFY. */
  shard: [number, number];
}

/** Discord's routing: a guild belongs to shard (guild_id >> 22) % count. */
export function shardOf(guildId: string, count: number): number {
  return count <= 1 ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export class FakeDiscord {
  readonly applicationId = snowflake();
  readonly botUser: FakeUser = { id: this.applicationId, username: 'Backprop', global_name: 'Backprop', discriminator: '0', avatar: null, bot: true };
  readonly guilds: FakeGuild[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly channels = new Map<string, FakeChannel>();
  readonly interactions = new Map<string, InteractionHandle>();
  readonly requests: RecordedRequest[] = [];
  /** Requests the fake does not implement: a test can assert this stays empty. */
  readonly unhandled: RecordedRequest[] = [];
  /** Bodies Discord would have refused: each answered 400 and recorded here; the file fails if any. */
  readonly violations: SpecViolation[] = [];
  /** Every string a member reads, from every body the bot sent. */
  readonly seenText: SeenText[] = [];
  registeredCommands: Record<string, unknown>[] = [];
  identifies: Record<string, unknown>[] = [];
  resumes = 0;
  private faults: Fault[] = [];
  private nextSession = 0;
  /** Channels where the bot may not post (permission overwrite denying it). */
  readonly deniedChannels = new Set<string>();
  private sessions = new Set<GatewaySession>();
  private readyWaiters: (() => void)[] = [];
  private messageListeners = new Set<() => void>();
  private users = new Map<string, FakeUser>();
  private commandDefs: Map<string, CommandDef>;
  private server!: http.Server;
  private wss!: WebSocketServer;
  port = 0;

  private constructor(private readonly opts: FakeDiscordOptions) {
    this.commandDefs = new Map((opts.commands ?? []).map((c) => [c.name, c]));
    for (const [index, g] of (opts.guilds ?? [{ name: 'Study Group', channels: ['general', 'study'] }]).entries()) {
      // Distinct timestamps, so guilds spread over shards ((id >> 22) % count) as real ones do.
      const id = snowflake(Date.now() - 1_000_000 + index * 7);
      const channels = (g.channels ?? ['general']).map((name, position): FakeChannel => ({ id: snowflake(), type: 0, name, guild_id: id, position, permission_overwrites: [] }));
      for (const c of channels) {
        if (g.botDenied?.includes(c.name)) {
          this.deniedChannels.add(c.id);
          c.permission_overwrites = [{ id: this.botUser.id, type: 1, allow: '0', deny: String(0x800n | 0x800000000n) }];
        }
      }
      for (const c of channels) this.channels.set(c.id, c);
      this.guilds.push({ id, name: g.name, channels });
    }
  }

  static async start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    prepareSpec(); // once per process, before any request waits for it
    const fake = new FakeDiscord(opts);
    await fake.listen();
    fakeDiscordRegistry.instances.push(fake);
    return fake;
  }

  /**
   * Invalid bodies, and strings with raw TeX or cut mid-word, the bot sent so far. A text
   * ending in "word…" is cut mid-word unless the word occurs whole in something the bot
   * showed, or in `words` (the shared check adds the question bank's).
   */
  problems(words?: ReadonlySet<string>): Problems {
    const rawTex: Problems['rawTex'] = [];
    const midWordCuts: Problems['midWordCuts'] = [];
    const known = wholeWords(this.seenText.map((t) => t.text), new Set(words));
    for (const t of this.seenText) {
      const tex = t.mayShowTex ? [] : findRawTex(t.text);
      if (tex.length) rawTex.push({ ...t, found: tex });
      const cuts = findMidWordCuts(t.text, (w) => known.has(w));
      if (cuts.length) midWordCuts.push({ ...t, found: cuts });
    }
    return { spec: [...this.violations], rawTex, midWordCuts };
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  get guild(): FakeGuild {
    return this.guilds[0]!;
  }

  get channel(): FakeChannel {
    return this.guild.channels[0]!;
  }

  /** A simulated member (same name, same user). */
  user(username: string): FakeUser {
    let u = this.users.get(username);
    if (!u) {
      u = { id: snowflake(), username, global_name: username, discriminator: '0', avatar: null };
      this.users.set(username, u);
    }
    return u;
  }

  /** Makes the next `times` requests matching the route fail with this status. */
  failNext(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  /**
   * Forgets the nonces of posted messages, as Discord does a few minutes after a post: a
   * repeated nonce with enforce_nonce then creates a second message (tests of recovery that
   * must not rely on the nonce).
   */
  forgetNonces(): void {
    for (const m of this.messages.values()) delete m.nonce;
  }

  /** Resolves once a bot has identified on the gateway and received every guild. */
  waitForBot(timeoutMs = 20_000): Promise<void> {
    if ([...this.sessions].some((s) => s.identified)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bot did not connect to the fake gateway in time')), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  get connected(): boolean {
    return [...this.sessions].some((s) => s.identified);
  }

  /** Asks every connected bot to reconnect (op 7), as Discord does during deploys. */
  requestReconnect(): void {
    for (const s of this.sessions) s.ws.send(JSON.stringify({ op: 7, d: null }));
  }

  /** Drops every gateway connection abruptly. */
  dropGateway(code = 1006): void {
    for (const s of this.sessions) s.ws.terminate?.() ?? s.ws.close(code);
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  // -------------------------------------------------------------------------------------------
  // Simulated users

  /** A realistic interaction payload of `type` from `user` (tests may derive hostile variants). */
  baseInteraction(type: number, user: FakeUser, opts: InteractionOptions = {}): Record<string, unknown> & { id: string; token: string } {
    const guild = opts.guild ?? this.guild;
    const channel = opts.channel ?? this.channel;
    const id = snowflake();
    return {
      id,
      application_id: this.applicationId,
      type,
      token: `tok_${id}_${Math.random().toString(36).slice(2)}`,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      channel_id: channel.id,
      channel: { ...channel, permissions: opts.admin ? ADMIN_PERMISSIONS : MEMBER_PERMISSIONS },
      member: {
        user,
        roles: opts.roles ?? [],
        permissions: opts.admin ? ADMIN_PERMISSIONS : MEMBER_PERMISSIONS,
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        nick: null,
        avatar: null,
      },
      app_permissions: BOT_PERMISSIONS,
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10_485_760,
    };
  }

  /** `partial`: an autocomplete's options, which Discord sends as typed so far (required ones may be missing). */
  private buildOptions(defs: CommandOption[] | undefined, values: Record<string, unknown>, resolved: Resolved, partial = false): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const def = defs?.find((d) => d.name === name);
      if (!def) throw new Error(`fake discord: option "${name}" is not defined for this command`);
      out.push(this.optionPayload(def, value, resolved));
    }
    for (const d of partial ? [] : (defs ?? [])) {
      if (d.required && !(d.name in values) && d.type !== 1 && d.type !== 2) throw new Error(`fake discord: required option "${d.name}" missing (Discord would not send this)`);
    }
    return out;
  }

  private optionPayload(def: CommandOption, value: unknown, resolved: Resolved): Record<string, unknown> {
    switch (def.type) {
      case 6: {
        const u = value as FakeUser;
        resolved.users[u.id] = u;
        return { name: def.name, type: 6, value: u.id };
      }
      case 11: {
        const a = value as { filename: string; data: Buffer; content_type?: string };
        const id = snowflake();
        const att = this.storeAttachment('uploads', id, a.filename, a.data, a.content_type ?? guessType(a.filename));
        resolved.attachments[id] = { id, filename: att.filename, size: att.size, url: att.url, proxy_url: att.url, content_type: att.content_type };
        return { name: def.name, type: 11, value: id };
      }
      case 8: {
        const roleId = String(value);
        resolved.roles[roleId] = { id: roleId, name: 'role', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: true, flags: 0 };
        return { name: def.name, type: 8, value: roleId };
      }
      case 7: {
        const ch = value as FakeChannel;
        resolved.channels[ch.id] = { ...ch, permissions: BOT_PERMISSIONS };
        return { name: def.name, type: 7, value: ch.id };
      }
      default:
        return { name: def.name, type: def.type, value };
    }
  }

  /** A slash command from `user`. `name` may include a subcommand: 'whiteboard add'. Resolves when answered. */
  async slash(user: FakeUser, name: string, options: Record<string, unknown> = {}, opts: InteractionOptions = {}): Promise<InteractionHandle> {
    const h = this.sendSlash(user, name, options, opts);
    return h.waitFor((x) => x.answered, opts.timeoutMs ?? 10_000, `an answer to /${name}`);
  }

  /** Sends a slash command without waiting for the answer. */
  sendSlash(user: FakeUser, name: string, options: Record<string, unknown> = {}, opts: InteractionOptions = {}): InteractionHandle {
    const [command, sub] = name.split(' ');
    const def = this.commandDefs.get(command!);
    if (!def && !opts.raw) throw new Error(`fake discord: /${command} is not a registered command`);
    const resolved: Resolved = { users: {}, members: {}, attachments: {}, roles: {}, channels: {} };
    let opts2: Record<string, unknown>[];
    if (opts.raw) {
      // Skips Discord's validation (lengths, ranges, required) but keeps each option's declared type.
      const defs = sub ? def?.options?.find((o) => o.name === sub)?.options : def?.options;
      const list = Object.entries(options).filter(([, v]) => v !== undefined).map(([n, v]) => {
        const d = defs?.find((o) => o.name === n);
        if (d && [6, 7, 8, 11].includes(d.type)) return this.optionPayload(d, v, resolved);
        return { name: n, type: d?.type ?? (typeof v === 'number' ? 10 : typeof v === 'boolean' ? 5 : 3), value: v };
      });
      opts2 = sub ? [{ name: sub, type: 1, options: list }] : list;
    }
    else if (sub) {
      const subDef = def!.options?.find((o) => o.name === sub && o.type === 1);
      if (!subDef) throw new Error(`fake discord: /${command} has no subcommand ${sub}`);
      opts2 = [{ name: sub, type: 1, options: this.buildOptions(subDef.options, options, resolved) }];
    } else opts2 = this.buildOptions(def!.options, options, resolved);
    for (const [uid, u] of Object.entries(resolved.users)) {
      resolved.members[uid] = { roles: [], permissions: MEMBER_PERMISSIONS, joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, user: u };
    }
    const base = this.baseInteraction(2, user, opts);
    const payload = { ...base, data: { id: snowflake(), name: command, type: 1, options: opts2, resolved, guild_id: (base.guild_id as string) } };
    return this.dispatchInteraction(payload);
  }

  /** Types into an autocomplete option; resolves with the choices the bot offered. */
  async autocomplete(user: FakeUser, name: string, focused: string, typed: string, others: Record<string, unknown> = {}, opts: InteractionOptions = {}): Promise<{ name: string; value: string | number }[]> {
    const [command, sub] = name.split(' ');
    const def = this.commandDefs.get(command!);
    if (!def) throw new Error(`fake discord: /${command} is not a registered command`);
    const defs = sub ? def.options?.find((o) => o.name === sub)?.options : def.options;
    const focusedDef = defs?.find((o) => o.name === focused);
    if (!focusedDef) throw new Error(`fake discord: no option ${focused}`);
    const resolved: Resolved = { users: {}, members: {}, attachments: {}, roles: {}, channels: {} };
    const list = [...this.buildOptions(defs, others, resolved, true), { name: focused, type: focusedDef.type, value: typed, focused: true }];
    const options = sub ? [{ name: sub, type: 1, options: list }] : list;
    const payload = { ...this.baseInteraction(4, user, opts), data: { id: snowflake(), name: command, type: 1, options } };
    const h = this.dispatchInteraction(payload);
    await h.waitFor((x) => x.answered, opts.timeoutMs ?? 10_000, 'autocomplete choices');
    return h.choices ?? [];
  }

  /** Clicks a button (or picks select values) on a message. Resolves when answered. */
  async click(user: FakeUser, message: FakeMessage, customId: string, opts: InteractionOptions & { values?: string[] } = {}): Promise<InteractionHandle> {
    const h = this.sendClick(user, message, customId, opts);
    return h.waitFor((x) => x.answered, opts.timeoutMs ?? 10_000, `an answer to a click on ${customId}`);
  }

  sendClick(user: FakeUser, message: FakeMessage, customId: string, opts: InteractionOptions & { values?: string[] } = {}): InteractionHandle {
    const found = findComponent(message, customId);
    if (!found && !opts.raw) throw new Error(`fake discord: message ${message.id} has no component ${customId}`);
    const channel = this.channels.get(message.channel_id) ?? opts.channel;
    const componentType = found?.type ?? 2;
    const data: Record<string, unknown> = { custom_id: customId, component_type: componentType };
    if (componentType !== 2) data.values = opts.values ?? [];
    const payload = { ...this.baseInteraction(3, user, { ...opts, channel }), data, message: toApiMessage(message) };
    return this.dispatchInteraction(payload, message);
  }

  /** Submits a modal the bot showed. `fields` maps text-input custom ids to values. */
  async submitModal(user: FakeUser, modal: ModalShown | string, fields: Record<string, string>, opts: InteractionOptions & { message?: FakeMessage } = {}): Promise<InteractionHandle> {
    const customId = typeof modal === 'string' ? modal : modal.custom_id;
    const components = Object.entries(fields).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] }));
    const channel = opts.message ? this.channels.get(opts.message.channel_id) : opts.channel;
    const payload: Record<string, unknown> & { id: string; token: string } = {
      ...this.baseInteraction(5, user, { ...opts, channel }),
      data: { custom_id: customId, components },
    };
    if (opts.message) payload.message = toApiMessage(opts.message);
    const h = this.dispatchInteraction(payload, opts.message);
    return h.waitFor((x) => x.answered, opts.timeoutMs ?? 10_000, `an answer to modal ${customId}`);
  }

  /** Sends any payload as INTERACTION_CREATE (for hostile-input tests). */
  dispatchInteraction(payload: Record<string, unknown> & { id: string; token: string }, source?: FakeMessage): InteractionHandle {
    const h = new InteractionHandle(payload.id, payload.token, payload.type as number, payload, source);
    this.interactions.set(payload.id, h);
    // Like Discord, an interaction goes to one connection only: the shard owning its guild
    // (round robin between several unsharded bots).
    const guildId = payload.guild_id as string | undefined;
    const live = [...this.sessions].filter((s) => s.identified && (!guildId || s.shard[1] <= 1 || shardOf(guildId, s.shard[1]) === s.shard[0]));
    if (live.length === 0) throw new Error('fake discord: no bot connected to receive INTERACTION_CREATE');
    const s = live[this.nextSession++ % live.length]!;
    s.seq += 1;
    s.ws.send(JSON.stringify({ op: 0, t: 'INTERACTION_CREATE', s: s.seq, d: payload }));
    return h;
  }

  /** Sends a raw gateway dispatch to every connected bot. */
  dispatch(t: string, d: unknown): void {
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    const live = [...this.sessions].filter((s) => s.identified && (typeof guildId !== 'string' || !/^\d+$/.test(guildId) || s.shard[1] <= 1 || shardOf(guildId, s.shard[1]) === s.shard[0]));
    if (live.length === 0) throw new Error(`fake discord: no bot connected to receive ${t}`);
    for (const s of live) {
      s.seq += 1;
      s.ws.send(JSON.stringify({ op: 0, t, s: s.seq, d }));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Queries for assertions

  channelMessages(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted && m.origin === 'channel');
  }

  /** Waits for a message (any origin) matching the predicate. */
  async waitForMessage(predicate: (m: FakeMessage) => boolean, timeoutMs = 10_000): Promise<FakeMessage> {
    const find = () => [...this.messages.values()].find((m) => !m.deleted && predicate(m));
    const hit = find();
    if (hit) return hit;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.messageListeners.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        const m = find();
        if (m) {
          clearTimeout(timer);
          this.messageListeners.delete(check);
          resolve(m);
        }
      };
      this.messageListeners.add(check);
    });
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      void this.onRequest(req, res).catch((err) => {
        json(res, 500, { message: `fake discord crashed: ${(err as Error).message}`, code: 0 });
      });
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.onGateway(ws));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private storeAttachment(scope: string, messageId: string, filename: string, data: Buffer, contentType: string): FakeAttachment {
    const id = snowflake();
    const url = `http://127.0.0.1:${this.port}/attachments/${scope}/${messageId}/${id}/${encodeURIComponent(filename)}`;
    const att: FakeAttachment = { id, filename, content_type: contentType, size: data.length, url, proxy_url: url, data };
    this.attachmentStore.set(new URL(url).pathname, att);
    return att;
  }

  private attachmentStore = new Map<string, FakeAttachment>();

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);

    if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) {
      const att = this.attachmentStore.get(url.pathname);
      if (!att) return json(res, 404, { message: 'Not found' });
      res.writeHead(200, { 'content-type': att.content_type, 'content-length': att.data.length });
      res.end(att.data);
      return;
    }

    const path = url.pathname.replace(/^\/api(\/v\d+)?/, '');
    const method = req.method ?? 'GET';
    const { body, files } = await parseBody(req.headers['content-type'] ?? '', raw);
    const test = fakeDiscordRegistry.currentTest;
    const record: RecordedRequest = { method, path: path + url.search, body, at: Date.now(), ...(test ? { test } : {}) };
    this.requests.push(record);
    // Discord's checks: the published spec and the documented limits. An invalid body is
    // refused with 400 below, as Discord does, and fails the test file (discord-guard.ts).
    let refusal: string[] = [];
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const check = checkRequest(method, path, body, this.requestContext(method, path, body, files));
      if (check.operation) record.operation = check.operation;
      if (check.errors.length) {
        refusal = check.errors;
        this.violations.push({ method, path, operation: check.operation, errors: check.errors, body, ...(test ? { test } : {}) });
      }
      for (const v of visibleStrings(method, path, body)) this.seenText.push({ ...v, request: check.operation ?? `${method} ${path}`, ...(test ? { test } : {}) });
    }

    const fault = this.faults.find((f) => f.times > 0 && f.path.test(path) && (!f.method || f.method === method));
    if (fault) {
      fault.times -= 1;
      if (fault.status === 429) {
        const retry = fault.retryAfter ?? 0.05;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retry), 'x-ratelimit-scope': 'user' });
        res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: retry, global: false }));
        return;
      }
      return json(res, fault.status, { message: 'Injected failure', code: 0 });
    }
    if (refusal.length) return json(res, 400, invalidFormBody(refusal));

    const route = (pattern: RegExp, m: string) => (method === m ? pattern.exec(path) : null);
    let match: RegExpExecArray | null;

    if ((match = route(/^\/gateway(\/bot)?$/, 'GET'))) {
      return json(res, 200, {
        url: this.gatewayUrl,
        shards: this.opts.shards ?? 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (route(/^\/(applications|oauth2\/applications)\/@me$/, 'GET')) {
      return json(res, 200, { id: this.applicationId, name: 'Backprop', icon: null, description: '', bot_public: true, bot_require_code_grant: false, verify_key: 'x', flags: 0, owner: this.botUser, team: null });
    }
    if (route(/^\/users\/@me$/, 'GET')) return json(res, 200, this.botUser);
    if ((match = route(/^\/users\/(\d+)$/, 'GET'))) {
      const u = [...this.users.values()].find((x) => x.id === match![1]);
      return u ? json(res, 200, u) : json(res, 404, { message: 'Unknown User', code: 10013 });
    }
    if ((match = route(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/, 'PUT'))) {
      this.registeredCommands = (body as Record<string, unknown>[]).map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake(), guild_id: match![2] }));
      return json(res, 200, this.registeredCommands);
    }
    if ((match = route(/^\/interactions\/(\d+)\/([^/]+)\/callback$/, 'POST'))) {
      return this.onCallback(res, match[1]!, match[2]!, body as { type: CallbackType; data?: Record<string, unknown> }, files, url.searchParams.get('with_response') === 'true');
    }
    if ((match = route(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/(%40original|@original|\d+)$/, 'PATCH'))) {
      return this.onWebhookEdit(res, match[2]!, decodeURIComponent(match[3]!), body as Record<string, unknown>, files);
    }
    if ((match = route(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/(%40original|@original|\d+)$/, 'GET'))) {
      const h = this.handleByToken(match[2]!);
      const target = decodeURIComponent(match[3]!) === '@original' ? h?.original : this.messages.get(match[3]!);
      return target ? json(res, 200, toApiMessage(target)) : json(res, 404, { message: 'Unknown Message', code: 10008 });
    }
    if ((match = route(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/(%40original|@original|\d+)$/, 'DELETE'))) {
      const h = this.handleByToken(match[2]!);
      const target = decodeURIComponent(match[3]!) === '@original' ? h?.original : this.messages.get(match[3]!);
      if (target) target.deleted = true;
      h?.notify();
      res.writeHead(204).end();
      return;
    }
    if ((match = route(/^\/webhooks\/(\d+)\/([^/]+)$/, 'POST'))) {
      const h = this.handleByToken(match[2]!);
      if (!h) return json(res, 404, { message: 'Unknown Webhook', code: 10015 });
      const channelId = (h.payload.channel_id as string) ?? this.channel.id;
      const msg = this.makeMessage(channelId, body as Record<string, unknown>, files, 'followup');
      h.followUps.push(msg);
      h.notify();
      this.notifyMessages();
      return json(res, 200, toApiMessage(msg));
    }
    if ((match = route(/^\/channels\/(\d+)\/messages$/, 'GET'))) {
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50));
      const list = [...this.messages.values()].filter((m) => m.channel_id === match![1] && !m.deleted && m.origin === 'channel').reverse().slice(0, limit);
      return json(res, 200, list.map(toApiMessage));
    }
    if ((match = route(/^\/channels\/(\d+)\/messages$/, 'POST'))) {
      const channel = this.channels.get(match[1]!);
      if (!channel) return json(res, 404, { message: 'Unknown Channel', code: 10003 });
      const b = body as Record<string, unknown>;
      if (this.deniedChannels.has(channel.id) || (channel.parent_id && this.deniedChannels.has(channel.parent_id))) {
        return json(res, 403, { message: 'Missing Permissions', code: 50013 });
      }
      // enforce_nonce: a repeat of a recent nonce returns the first message instead of a second one.
      if (b.enforce_nonce && b.nonce !== undefined) {
        const earlier = [...this.messages.values()].find((m) => m.channel_id === channel.id && m.nonce === String(b.nonce) && !m.deleted);
        if (earlier) return json(res, 200, toApiMessage(earlier));
      }
      const msg = this.makeMessage(channel.id, b, files, 'channel');
      if (b.nonce !== undefined) msg.nonce = String(b.nonce);
      this.notifyMessages();
      return json(res, 200, toApiMessage(msg));
    }
    if ((match = route(/^\/channels\/(\d+)\/messages\/(\d+)$/, 'PATCH'))) {
      const msg = this.messages.get(match[2]!);
      // A deleted message cannot be edited (Discord answers 10008, as for one that never was).
      if (!msg || msg.deleted || msg.channel_id !== match[1]) return json(res, 404, { message: 'Unknown Message', code: 10008 });
      this.applyEdit(msg, body as Record<string, unknown>, files);
      this.notifyMessages();
      return json(res, 200, toApiMessage(msg));
    }
    if ((match = route(/^\/channels\/(\d+)\/messages\/(\d+)$/, 'GET'))) {
      const msg = this.messages.get(match[2]!);
      return msg && !msg.deleted ? json(res, 200, toApiMessage(msg)) : json(res, 404, { message: 'Unknown Message', code: 10008 });
    }
    if ((match = route(/^\/channels\/(\d+)\/messages\/(\d+)$/, 'DELETE'))) {
      const msg = this.messages.get(match[2]!);
      if (msg) msg.deleted = true;
      res.writeHead(204).end();
      return;
    }
    if ((match = route(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, 'POST'))) {
      const parent = this.channels.get(match[1]!);
      const msg = this.messages.get(match[2]!);
      if (!parent || !msg) return json(res, 404, { message: 'Unknown Message', code: 10008 });
      if (msg.thread) return json(res, 400, { message: 'A thread has already been created for this message', code: 160004 });
      const thread = this.makeThread(parent, String((body as { name?: string }).name ?? 'thread'), msg.id);
      msg.thread = thread;
      this.dispatchSafe('THREAD_CREATE', { ...thread, newly_created: true });
      this.notifyMessages();
      return json(res, 201, thread);
    }
    if ((match = route(/^\/channels\/(\d+)\/threads$/, 'POST'))) {
      const parent = this.channels.get(match[1]!);
      if (!parent) return json(res, 404, { message: 'Unknown Channel', code: 10003 });
      const thread = this.makeThread(parent, String((body as { name?: string }).name ?? 'thread'));
      this.dispatchSafe('THREAD_CREATE', { ...thread, newly_created: true });
      return json(res, 201, thread);
    }
    if ((match = route(/^\/channels\/(\d+)$/, 'GET'))) {
      const ch = this.channels.get(match[1]!);
      return ch ? json(res, 200, ch) : json(res, 404, { message: 'Unknown Channel', code: 10003 });
    }
    this.unhandled.push(record);
    return json(res, 404, { message: `fake discord does not implement ${method} ${path}`, code: 0 });
  }

  private dispatchSafe(t: string, d: unknown): void {
    if (this.connected) this.dispatch(t, d);
  }

  private makeThread(parent: FakeChannel, name: string, id?: string): FakeChannel {
    const thread: FakeChannel = {
      id: id ?? snowflake(),
      type: 11,
      name: name.slice(0, 100),
      guild_id: parent.guild_id,
      parent_id: parent.id,
      owner_id: this.botUser.id,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
      message_count: 0,
      member_count: 1,
    };
    this.channels.set(thread.id, thread);
    return thread;
  }

  /** What Discord knows when it checks a body: the files uploaded with it, and the message an edit changes. */
  private requestContext(method: string, path: string, body: unknown, files: ParsedFile[]): RequestContext {
    const ctx: RequestContext = { files: files.map((f) => f.filename) };
    let previous: FakeMessage | undefined;
    let m: RegExpExecArray | null;
    if (method === 'PATCH' && (m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) previous = this.messages.get(m[2]!);
    else if (method === 'PATCH' && (m = /^\/webhooks\/\d+\/([^/]+)\/messages\/(%40original|@original|\d+)$/.exec(path))) {
      previous = decodeURIComponent(m[2]!) === '@original' ? this.handleByToken(m[1]!)?.original : this.messages.get(m[2]!);
    } else if (method === 'POST' && (m = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(path)) && (body as { type?: number } | null)?.type === 7) {
      previous = this.interactions.get(m[1]!)?.sourceMessage;
    }
    if (previous) {
      ctx.previous = { flags: previous.flags, content: previous.content, embeds: previous.embeds, components: previous.components, attachments: previous.attachments.map((a) => ({ id: a.id, filename: a.filename })) };
    }
    return ctx;
  }

  private handleByToken(token: string): InteractionHandle | undefined {
    for (const h of this.interactions.values()) if (h.token === token) return h;
    return undefined;
  }

  private onCallback(res: http.ServerResponse, id: string, token: string, body: { type: CallbackType; data?: Record<string, unknown> }, files: ParsedFile[], withResponse: boolean): void {
    const h = this.interactions.get(id);
    if (!h || h.token !== token) return json(res, 404, { message: 'Unknown interaction', code: 10062 });
    if (h.callbackType !== undefined) return json(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    h.callbackType = body.type;
    h.ackAt = performance.now();
    const channelId = (h.payload.channel_id as string) ?? this.channel.id;
    const data = body.data ?? {};
    switch (body.type) {
      case 4:
        h.original = this.makeMessage(channelId, data, files, 'interaction', h);
        break;
      case 5:
        h.deferredEphemeral = ((Number(data.flags ?? 0) & 64) === 64);
        h.original = this.makeMessage(channelId, { content: '', flags: (Number(data.flags ?? 0) & (64 | IS_COMPONENTS_V2)) | 128 }, [], 'interaction', h);
        break;
      case 6:
        if (h.sourceMessage) h.original = h.sourceMessage;
        break;
      case 7:
        if (h.sourceMessage) {
          this.applyEdit(h.sourceMessage, data, files);
          h.original = h.sourceMessage;
        }
        break;
      case 8:
        h.choices = (data.choices as { name: string; value: string | number }[]) ?? [];
        break;
      case 9:
        h.modal = data as unknown as ModalShown;
        break;
    }
    h.notify();
    this.notifyMessages();
    if (withResponse) {
      json(res, 200, { interaction: { id, type: h.type, response_message_id: h.original?.id }, resource: h.original ? { type: body.type, message: toApiMessage(h.original) } : { type: body.type } });
      return;
    }
    res.writeHead(204).end();
  }

  private onWebhookEdit(res: http.ServerResponse, token: string, target: string, body: Record<string, unknown>, files: ParsedFile[]): void {
    const h = this.handleByToken(token);
    if (!h) return json(res, 404, { message: 'Unknown Webhook', code: 10015 });
    let msg = target === '@original' ? h.original : this.messages.get(target);
    if (!msg && target === '@original') {
      return json(res, 404, { message: 'Unknown Message', code: 10008 });
    }
    if (!msg) return json(res, 404, { message: 'Unknown Message', code: 10008 });
    this.applyEdit(msg, body, files);
    if (msg.flags & 128) msg.flags &= ~128; // no longer "thinking"
    if (target === '@original') h.originalEdited = true;
    h.notify();
    this.notifyMessages();
    msg = this.messages.get(msg.id)!;
    return json(res, 200, toApiMessage(msg));
  }

  private makeMessage(channelId: string, data: Record<string, unknown>, files: ParsedFile[], origin: FakeMessage['origin'], h?: InteractionHandle): FakeMessage {
    const channel = this.channels.get(channelId);
    const id = snowflake();
    const msg: FakeMessage = {
      id,
      channel_id: channelId,
      ...(channel ? { guild_id: channel.guild_id } : {}),
      author: this.botUser,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      type: origin === 'channel' ? 0 : origin === 'followup' ? 0 : 20,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      pinned: false,
      origin,
    };
    if (origin !== 'channel') {
      msg.webhook_id = this.applicationId;
      msg.application_id = this.applicationId;
      if (h) {
        const user = (h.payload.member as { user: FakeUser } | undefined)?.user;
        msg.interaction_metadata = { id: h.id, type: h.type, user, authorizing_integration_owners: {} };
      }
    }
    this.applyEdit(msg, data, files, true);
    msg.edited_timestamp = null;
    this.messages.set(id, msg);
    return msg;
  }

  private applyEdit(msg: FakeMessage, data: Record<string, unknown>, files: ParsedFile[], creating = false): void {
    if ('content' in data) msg.content = String(data.content ?? '');
    if ('embeds' in data) msg.embeds = (data.embeds as Record<string, unknown>[]) ?? [];
    if ('components' in data) msg.components = (data.components as Record<string, unknown>[]) ?? [];
    if ('flags' in data && data.flags !== undefined && data.flags !== null) {
      // As Discord: a new message takes its flags; an edit may only set SUPPRESS_EMBEDS and
      // IS_COMPONENTS_V2 (ephemeral stays as it was; dropping v2 was refused before this).
      const given = Number(data.flags);
      msg.flags = creating ? given : (msg.flags & ~SUPPRESS_EMBEDS) | (given & (SUPPRESS_EMBEDS | IS_COMPONENTS_V2));
    }
    if ('allowed_mentions' in data) msg.allowed_mentions = data.allowed_mentions;
    if ('attachments' in data || files.length) {
      const keep = ((data.attachments as { id: string | number; filename?: string }[] | undefined) ?? []).map(String);
      const kept = msg.attachments.filter((a) => (data.attachments as { id: string | number }[] | undefined)?.some((x) => String(x.id) === a.id));
      void keep;
      const added = files.map((f) => this.storeAttachment('messages', msg.id, f.filename, f.data, f.contentType));
      msg.attachments = [...kept, ...added];
    }
    captureMessage(msg);
    msg.mention_everyone = computeMentionEveryone(msg);
    msg.edited_timestamp = new Date().toISOString();
  }

  private notifyMessages(): void {
    for (const l of this.messageListeners) l();
  }

  // -------------------------------------------------------------------------------------------
  // Gateway

  private onGateway(ws: WebSocket): void {
    const session: GatewaySession = { ws, sessionId: snowflake(), seq: 0, identified: false, shard: [0, 1] };
    this.sessions.add(session);
    ws.on('close', () => this.sessions.delete(session));
    ws.on('error', () => this.sessions.delete(session));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.opts.heartbeatInterval ?? 41_250 } }));
    ws.on('message', (raw) => {
      let msg: { op: number; d: Record<string, unknown> | number | null };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (msg.op === 2) this.onIdentify(session, msg.d as Record<string, unknown>);
      else if (msg.op === 6) {
        this.resumes += 1;
        session.identified = true;
        session.seq = Number((msg.d as { seq?: number })?.seq ?? session.seq);
        session.seq += 1;
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: session.seq, d: {} }));
        this.wakeReadyWaiters();
      }
    });
  }

  private onIdentify(session: GatewaySession, d: Record<string, unknown>): void {
    this.identifies.push({ ...d, token: '[seen]' });
    const shard = (d.shard as [number, number] | undefined) ?? [0, 1];
    session.shard = shard;
    const mine = this.guilds.filter((g) => shardOf(g.id, shard[1]) === shard[0]);
    const send = (t: string, data: unknown) => {
      session.seq += 1;
      session.ws.send(JSON.stringify({ op: 0, t, s: session.seq, d: data }));
    };
    send('READY', {
      v: 10,
      user: this.botUser,
      guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.sessionId,
      resume_gateway_url: this.gatewayUrl,
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      shard: (d.shard as number[] | undefined) ?? [0, 1],
    });
    for (const g of mine) {
      send('GUILD_CREATE', {
        id: g.id,
        name: g.name,
        icon: null,
        owner_id: snowflake(),
        afk_timeout: 300,
        verification_level: 0,
        default_message_notifications: 0,
        explicit_content_filter: 0,
        roles: [
          { id: g.id, name: '@everyone', permissions: MEMBER_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
          { id: this.botRoleId(g), name: 'Backprop', permissions: BOT_PERMISSIONS, position: 1, color: 0, hoist: false, managed: true, mentionable: false, flags: 0 },
        ],
        emojis: [],
        stickers: [],
        features: [],
        mfa_level: 0,
        system_channel_flags: 0,
        premium_tier: 0,
        preferred_locale: 'en-US',
        nsfw_level: 0,
        joined_at: new Date().toISOString(),
        large: false,
        unavailable: false,
        member_count: 2,
        voice_states: [],
        members: [{ user: this.botUser, roles: [this.botRoleId(g)], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
        channels: g.channels.filter((c) => c.type !== 11),
        threads: [],
        presences: [],
        stage_instances: [],
        guild_scheduled_events: [],
        soundboard_sounds: [],
      });
    }
    session.identified = true;
    this.wakeReadyWaiters();
  }

  private botRoles = new Map<string, string>();
  private botRoleId(g: FakeGuild): string {
    let id = this.botRoles.get(g.id);
    if (!id) {
      id = snowflake();
      this.botRoles.set(g.id, id);
    }
    return id;
  }

  private wakeReadyWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }
}

export interface InteractionOptions {
  guild?: FakeGuild;
  channel?: FakeChannel | undefined;
  admin?: boolean;
  roles?: string[];
  timeoutMs?: number;
  /** Skip Discord's own validation (hostile-input tests). */
  raw?: boolean;
}

interface Resolved {
  users: Record<string, FakeUser>;
  members: Record<string, unknown>;
  attachments: Record<string, unknown>;
  roles: Record<string, unknown>;
  channels: Record<string, unknown>;
}

interface ParsedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const IS_COMPONENTS_V2 = 1 << 15;
const SUPPRESS_EMBEDS = 1 << 2;

/** Discord's answer to a body it refuses: 400 "Invalid Form Body" (code 50035) with the reasons. */
function invalidFormBody(errors: string[]): Record<string, unknown> {
  return { code: 50035, message: 'Invalid Form Body', errors: { _errors: errors.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) } };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function parseBody(contentType: string, raw: Buffer): Promise<{ body: unknown; files: ParsedFile[] }> {
  if (raw.length === 0) return { body: {}, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown = {};
    const files: ParsedFile[] = [];
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') body = JSON.parse(String(value));
      else if (typeof value !== 'string') {
        const file = value as File;
        files.push({ filename: file.name, contentType: file.type || guessType(file.name), data: Buffer.from(await file.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return { body: raw.toString('utf8'), files: [] };
  }
}

function guessType(name: string): string {
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.tex')) return 'application/x-tex';
  if (name.endsWith('.txt')) return 'text/plain';
  return 'application/octet-stream';
}

function computeMentionEveryone(msg: FakeMessage): boolean {
  const am = msg.allowed_mentions as { parse?: string[] } | undefined;
  const mentionsEveryone = /@(everyone|here)/.test(msg.content);
  if (!mentionsEveryone) return false;
  // Without allowed_mentions Discord parses everything; with it, only what "parse" lists.
  return am === undefined ? true : (am.parse ?? []).includes('everyone');
}

/** The message as Discord's API returns it (without the fake's bookkeeping). */
export function toApiMessage(m: FakeMessage): Record<string, unknown> {
  const { origin: _o, deleted: _d, allowed_mentions: _a, nonce: _n, attachments, ...rest } = m;
  return { ...rest, attachments: attachments.map(({ data: _data, ...a }) => a) };
}

export function findComponent(message: FakeMessage, customId: string): { type: number; custom_id: string; [k: string]: unknown } | undefined {
  const walk = (nodes: unknown[]): { type: number; custom_id: string } | undefined => {
    for (const n of nodes as { type: number; custom_id?: string; components?: unknown[]; accessory?: unknown }[]) {
      if (n.custom_id === customId) return n as { type: number; custom_id: string };
      // Buttons sit in action rows, in containers (Components v2), or beside a section's text.
      for (const kids of [n.components, n.accessory ? [n.accessory] : undefined]) {
        if (!kids) continue;
        const hit = walk(kids);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return walk(message.components);
}

/** The custom id of the first component on the message whose id starts with `prefix` and ends with `suffix`. */
export function buttonId(message: FakeMessage | undefined, prefix: string, suffix = ''): string | undefined {
  return componentsOf(message).find((c) => c.custom_id.startsWith(prefix) && c.custom_id.endsWith(suffix))?.custom_id;
}

/** All components with a custom id (buttons, selects) on a message, flattened, however deep they sit (rows, containers, section accessories). */
export function componentsOf(message: FakeMessage | undefined): { type: number; custom_id: string; label?: string; style?: number; disabled?: boolean; options?: { label: string; value: string }[] }[] {
  const out: { type: number; custom_id: string; label?: string }[] = [];
  const walk = (nodes: unknown[]) => {
    for (const n of nodes as { type: number; custom_id?: string; components?: unknown[]; accessory?: unknown }[]) {
      if (n.custom_id) out.push(n as { type: number; custom_id: string });
      if (n.components) walk(n.components);
      if (n.accessory) walk([n.accessory]);
    }
  };
  walk(message?.components ?? []);
  return out;
}

/**
 * Everything a member reads on a message, as one string: its content, embed titles,
 * descriptions, fields and footers, and (Components v2) every text display, button label and
 * select option, in order. Tests assert on this instead of on where the text sits.
 */
export function messageText(message: FakeMessage | undefined): string {
  if (!message) return '';
  const out: string[] = [];
  if (message.content) out.push(message.content);
  for (const e of message.embeds as { author?: { name?: string }; title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text?: string } }[]) {
    if (e.author?.name) out.push(e.author.name);
    if (e.title) out.push(e.title);
    if (e.description) out.push(e.description);
    for (const f of e.fields ?? []) out.push(f.name, f.value);
    if (e.footer?.text) out.push(e.footer.text);
  }
  const walk = (nodes: unknown[]) => {
    for (const n of nodes as { type: number; content?: string; label?: string; options?: { label: string; description?: string }[]; components?: unknown[]; accessory?: unknown }[]) {
      if (n.type === 10 && n.content) out.push(n.content);
      if (n.label) out.push(n.label);
      for (const o of n.options ?? []) out.push(o.label, ...(o.description ? [o.description] : []));
      if (n.components) walk(n.components);
      if (n.accessory) walk([n.accessory]);
    }
  };
  walk(message.components);
  return out.join('\n');
}

/** True when the message is a Components v2 message (flag 1 << 15). */
export const isComponentsV2 = (message: FakeMessage | undefined): boolean => ((message?.flags ?? 0) & (1 << 15)) !== 0;
