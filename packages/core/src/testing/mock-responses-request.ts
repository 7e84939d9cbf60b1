/** What the mock's request log keeps of an OpenAI Responses request (`POST /v1/responses`). */

export interface SentBackReasoning {
  /** The index of the reasoning item in `input`. */
  index: number;
  /** Its encrypted content is one the mock issued, unchanged. */
  valid: boolean;
}

/** What the request log keeps of a Responses request. */
export interface ResponsesRequestRecord {
  /** The reasoning items of `input` that carry encrypted content. */
  reasoningItems: SentBackReasoning[];
  /** The request's `include`. */
  include: string[];
  /** The request's `store` (the API's default is true). */
  store: boolean;
}
