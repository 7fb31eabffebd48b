import { DomainError, type ErrorKind } from '../platform/errors.js';

/**
 * Errors from the rendering engine. `message` is plain words fit to show a user; `kind`
 * tells the caller what went wrong without parsing the message.
 */
export const renderErrorKinds = [
  /** The input was refused before rendering (too long, wrong type, bad numbers). */
  'invalid-input',
  /** MathJax could not parse the TeX; the message is MathJax's own ("Undefined control sequence \foo"). */
  'tex',
  /** The result would be too large to rasterise (pixel size over the limit). */
  'too-large',
  /** The job ran past its time limit; the worker was replaced. */
  'timeout',
  /** The worker died (e.g. hit its memory cap); it was replaced. */
  'worker-crashed',
  /** Too many jobs waiting. */
  'busy',
  /** The renderer was closed. */
  'closed',
  /** A bug: anything else. */
  'internal',
] as const;
export type RenderErrorKind = (typeof renderErrorKinds)[number];

export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    readonly kind: RenderErrorKind,
    message: string,
    /** Technical detail for logs (never shown to users). */
    readonly detail?: string,
  ) {
    super(message);
  }

  /** Plain object that survives `postMessage`. */
  toJSON(): SerializedRenderError {
    return { kind: this.kind, message: this.message, ...(this.detail === undefined ? {} : { detail: this.detail }) };
  }

  static fromJSON(e: SerializedRenderError): RenderError {
    return new RenderError(e.kind, e.message, e.detail);
  }
}

export interface SerializedRenderError {
  kind: RenderErrorKind;
  message: string;
  detail?: string;
}

export function isRenderError(e: unknown): e is RenderError {
  return e instanceof RenderError;
}

const REFUSAL_KIND: Record<RenderErrorKind, ErrorKind> = {
  'invalid-input': 'invalid-input',
  tex: 'invalid-input',
  'too-large': 'limit',
  timeout: 'limit',
  'worker-crashed': 'limit',
  busy: 'limit',
  closed: 'expired',
  internal: 'invalid-input',
};

/**
 * A rendering failure as the domain error `render.<kind>` with the engine's plain message, for
 * the render phrasebook to word (the RenderError is its cause, logged with its detail).
 */
export function renderDomainError(err: RenderError): DomainError {
  return new DomainError(`render.${err.kind}`, { message: err.message }, REFUSAL_KIND[err.kind], { cause: err });
}

/** What the interaction boundary shows for a rendering failure: every RenderError but an internal one (a bug) is a refusal. */
export function renderRefusal(err: unknown): DomainError | null {
  return err instanceof RenderError && err.kind !== 'internal' ? renderDomainError(err) : null;
}
