/**
 * Custom ids of buttons, select menus and modals carry their own data so that a click can be
 * served by any process, after any restart. Format: `bp1:<route>:<part>:<part>...` where
 * `bp1` is the format version. Parts are plain strings without ':' (ids, indexes, enums).
 * Discord caps custom ids at 100 characters.
 */
export const CUSTOM_ID_VERSION = 'bp1';
export const MAX_CUSTOM_ID_LENGTH = 100;

export interface CustomId {
  route: string;
  parts: string[];
}

const SAFE_PART = /^[A-Za-z0-9_.\-]*$/;

export function encodeCustomId(route: string, ...parts: (string | number)[]): string {
  const all = [route, ...parts.map(String)];
  for (const p of all) {
    if (!SAFE_PART.test(p)) throw new Error(`custom id part "${p}" may only contain letters, digits, '_', '.' and '-'`);
  }
  const id = [CUSTOM_ID_VERSION, ...all].join(':');
  if (id.length > MAX_CUSTOM_ID_LENGTH) throw new Error(`custom id is ${id.length} characters (Discord allows ${MAX_CUSTOM_ID_LENGTH}): ${id}`);
  return id;
}

/** Parses a custom id; returns null for anything not made by encodeCustomId (forged, truncated, other versions). */
export function decodeCustomId(raw: string): CustomId | null {
  if (typeof raw !== 'string' || raw.length > MAX_CUSTOM_ID_LENGTH) return null;
  const [version, route, ...parts] = raw.split(':');
  if (version !== CUSTOM_ID_VERSION || !route || !SAFE_PART.test(route)) return null;
  if (!parts.every((p) => SAFE_PART.test(p))) return null;
  return { route, parts };
}
