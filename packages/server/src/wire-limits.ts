/** Long enough for any real prompt; a bigger body is a 413 from the body limit. */
export const MAX_TEXT_LENGTH = 1_000_000;
/** Names: tools, models, senders, tags. */
export const MAX_NAME_LENGTH = 256;
