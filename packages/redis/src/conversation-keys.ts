/** The Redis keys of the conversations under one prefix (default `troupe:`). */
export class ConversationKeys {
  constructor(readonly prefix: string) {}

  /** The stream of a conversation's events: entry `<seq + 1>-0` holds the record `{v, seq, event}` in field `r`. */
  events(id: string): string {
    return `${this.prefix}conv:${id}:events`;
  }

  /** The state record (the same JSON as `state.json`), written whole in one command. */
  state(id: string): string {
    return `${this.prefix}conv:${id}:state`;
  }

  /** Who holds the conversation for writing now (a random owner token with a time to live). */
  lease(id: string): string {
    return `${this.prefix}conv:${id}:lease`;
  }

  /** The fencing counter: grows at every claim; a write carrying an older number is refused. */
  fence(id: string): string {
    return `${this.prefix}conv:${id}:fence`;
  }

  /** Named records kept beside the conversation (a hash). */
  attachments(id: string): string {
    return `${this.prefix}conv:${id}:files`;
  }

  /** Every stored conversation, scored by its last update (ms): the listing. */
  index(): string {
    return `${this.prefix}conversations`;
  }
}
