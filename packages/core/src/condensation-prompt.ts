import { contentText } from './content.js';
import type { LLMConvertibleEvent } from './events.js';
import { resultText } from './events-to-messages.js';

/**
 * The request the condenser's model gets: what to keep of the forgotten events, then the events as
 * text. Our own wording; the structure (sections the agent relies on after a condensation) follows
 * what a coding agent needs to carry on.
 */
const INSTRUCTIONS = `You keep the working memory of a software agent. The events below are about to leave its context window; write the summary that will stand in for them. Earlier summaries may be among the events: fold them in, losing nothing that still matters.

Write these sections, each short and concrete (omit a section only when it has nothing to say):

USER_CONTEXT: what the user asked for, their requirements, constraints and clarifications, in their own terms.
TASK_TRACKING: the agent's task list if it kept one, every task with its exact id or title and its status.
COMPLETED: what is done, with results (files changed, commands that passed).
PENDING: what is still to do.
CODE_STATE: files, functions, types and data structures that matter, with their paths.
TESTS: which tests were run, which failed and with what error, what passes now.
CHANGES: the edits made so far, precisely enough to not redo or undo them by mistake.
DEPS: dependencies, imports, services or tools involved.
VERSION_CONTROL_STATUS: branch, commits, uncommitted work, pull requests.
CURRENT_STATE: anything else the agent was in the middle of (open questions, the next step it planned).

For a task that is not about code, adapt the sections to it (what is done, what is pending, the current state). Do not invent anything the events do not show.`;

/** One event as the summarizer reads it. */
export function eventText(event: LLMConvertibleEvent): string {
  switch (event.kind) {
    case 'SystemPromptEvent':
      return `SYSTEM PROMPT:\n${event.system_prompt.text}`;
    case 'MessageEvent': {
      const text = contentText([...event.llm_message.content, ...event.extended_content]);
      const who = event.source === 'user' ? 'USER' : event.source === 'agent' ? 'AGENT' : 'ENVIRONMENT';
      return `${who}:\n${text}`;
    }
    case 'ActionEvent': {
      const thought = contentText(event.thought);
      return `${thought ? `AGENT:\n${thought}\n` : ''}ACTION ${event.tool_name}: ${event.tool_call.arguments}`;
    }
    default:
      return `RESULT of ${event.tool_name}:\n${resultText(event)}`;
  }
}

function truncated(text: string, maxLength: number | undefined): string {
  if (maxLength === undefined || text.length <= maxLength) return text;
  return `${text.slice(0, maxLength)}\n[... ${text.length - maxLength} more characters cut to fit the summarizer's context ...]`;
}

/** The summarizer's prompt for `events`; `maxEventLength` cuts each event's text (a retry after the prompt was too long). */
export function summaryPrompt(events: readonly LLMConvertibleEvent[], maxEventLength?: number): string {
  const blocks = events.map((event) => `<EVENT>\n${truncated(eventText(event), maxEventLength)}\n</EVENT>`);
  return `${INSTRUCTIONS}\n\n${blocks.join('\n')}\n\nNow write the summary of these events.`;
}

/** The longest event text of `events`: where truncation starts when the prompt is too long. */
export function longestEventText(events: readonly LLMConvertibleEvent[]): number {
  return events.reduce((longest, event) => Math.max(longest, eventText(event).length), 0);
}
