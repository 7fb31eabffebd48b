export interface BoardStep {
  id: string;
  position: number;
  tex: string;
  note: string | null;
  /** Null once the author has asked to be forgotten (/forget-me). */
  authorId: string | null;
  authorName: string;
  createdAt: Date;
}

/** A channel's open whiteboard, its steps in order. */
export interface Board {
  id: string;
  guildId: string;
  channelId: string;
  title: string;
  startedBy: string | null;
  /** The board's live message in its channel (edited in place), or null before it is posted. */
  messageId: string | null;
  steps: BoardStep[];
}

export interface Author {
  id: string;
  name: string;
}
