import type { ModalSubmitInteraction } from 'discord.js';
import { UserError } from '../errors.js';

export const FORM_INCOMPLETE = 'This form arrived without its answer; open it again and type your answer.';

/**
 * A text field of a submitted form. A forged or truncated submission (no components at all,
 * or not this field) is refused in plain words instead of failing inside discord.js.
 */
export function formText(modal: ModalSubmitInteraction, field: string): string {
  try {
    return modal.fields.getTextInputValue(field);
  } catch {
    throw new UserError(FORM_INCOMPLETE, 'invalid-input');
  }
}
