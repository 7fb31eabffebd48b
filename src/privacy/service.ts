import type { ForgetResult, PrivacyStore } from './store.js';

/** `/forget-me`: what is deleted and what is kept is the store's; this is the use case. */
export class PrivacyService {
  constructor(
    private readonly store: PrivacyStore,
    /** Called once the member is gone, so no cache still ranks them (the leaderboards'). */
    private readonly forgotten: (userId: string) => void,
  ) {}

  async forget(userId: string): Promise<ForgetResult> {
    const result = await this.store.forget(userId);
    this.forgotten(userId);
    return result;
  }
}
