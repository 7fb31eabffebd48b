/** A sprint and its standings, as the sprint's store returns them. */

export const SPRINT_STATUSES = ['lobby', 'active', 'finished'] as const;
export type SprintStatus = (typeof SPRINT_STATUSES)[number];

export interface Sprint {
  id: string;
  guildId: string;
  channelId: string;
  starterId: string;
  topic: string | null;
  status: SprintStatus;
  questions: string[];
  secondsPerRound: number;
  round: number;
  roundStartedAt: Date | null;
  /** When the lobby closes (lobby) or the current round closes (active). */
  deadline: Date;
  messageId: string | null;
}

export interface Standing {
  userId: string;
  name: string;
  points: number;
  correct: number;
}

/** The transition of a sprint from lobby to round 0, or from a round to the next one or to the end. */
export type SprintChange = { status: 'active'; round: 0; roundStartedAt: Date; deadline: Date } | { round: number; roundStartedAt: Date; deadline: Date } | { status: 'finished' };
