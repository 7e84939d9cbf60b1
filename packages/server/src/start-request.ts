import { camelCase, resolveWorkspacePath, type StuckDetectionInput, WorkspacePathError } from '@troupe/core';
import type { ConversationOptions } from '@troupe/workers';
import { agentFromWire } from './agent-wire.js';
import type { ConversationMetadata } from './conversation-metadata.js';
import { RequestValidationError } from './http-error.js';
import { type NotApplied, notAppliedOf, redactSecrets } from './not-applied.js';
import { secretValues } from './secret-sources.js';
import type { StartConversationRequest } from './wire-schemas.js';

/** The workspace of a new conversation, checked before anything is made: a bad one is a 422 on `workspace.working_dir`. */
async function checkedWorkspace(workingDir: string): Promise<string> {
  try {
    return await resolveWorkspacePath(workingDir);
  } catch (error) {
    if (!(error instanceof WorkspacePathError)) throw error;
    throw new RequestValidationError([{ path: ['workspace', 'working_dir'], message: error.message, code: 'workspace_path' }]);
  }
}

/** Stuck detection as a start request asks for it: off, on with defaults, or on with OpenHands' thresholds. */
function stuckDetectionOf(request: StartConversationRequest): StuckDetectionInput {
  if (!request.stuck_detection) return false;
  const thresholds = request.stuck_detection_thresholds;
  if (!thresholds) return true;
  return Object.fromEntries(Object.entries(thresholds).flatMap(([key, value]) => (value == null ? [] : [[camelCase(key), value]])));
}

/** The keys of a start request Troupe reads itself; every other one is stored as it came. */
const READ_KEYS = new Set([
  'agent', 'workspace', 'conversation_id', 'confirmation_policy', 'security_analyzer', 'initial_message', 'run_initial_message', 'max_iterations',
  'stuck_detection', 'stuck_detection_thresholds', 'max_cost', 'secrets', 'hook_config', 'plugins', 'tags', 'title', 'autotitle',
]);

/** Stored request fields with the value under which OpenHands behaves as Troupe does. */
const INERT_REQUEST_FIELDS: Readonly<Record<string, (value: unknown) => boolean>> = {
  // Tool classes are named in `agent.tools` and resolved to Troupe's built-ins; no module is loaded.
  tool_module_qualnames: () => true,
  observability_span_name: (value) => value == null || value === 'conversation',
  worktree: (value) => value == null || value === false,
  secrets_encrypted: (value) => value == null || value === false,
};
const REQUEST_FIELD_REASONS: Readonly<Record<string, string>> = {
  client_tools: 'client tools are not offered to the model over this API yet',
  agent_definitions: 'sub-agents are not implemented yet',
};

export interface StartPlan {
  options: ConversationOptions & { agent: ReturnType<typeof agentFromWire>['agent']; secrets: Record<string, string> };
  metadata: ConversationMetadata;
}

/**
 * What a start request asks for: the conversation's options (everything but where it is stored,
 * its workspace checked and LookupSecrets fetched first) and the server's metadata (what is
 * stored beside it, and what of it is not applied). Every field of the request lands in one.
 */
/** OpenHands' `autotitle`: the agent's model writes the title in the background (the first message, cut, if it fails). */
export function autoTitleOf(autotitle: boolean): 'model' | false {
  return autotitle ? 'model' : false;
}

export async function startPlanOf(request: StartConversationRequest, conversationId: string): Promise<StartPlan> {
  const agent = agentFromWire(request.agent);
  const storedRequest = redactSecrets(Object.fromEntries(Object.entries(request).filter(([key]) => !READ_KEYS.has(key))));
  const notApplied: NotApplied[] = [
    ...agent.notApplied,
    ...notAppliedOf(storedRequest, 'request', INERT_REQUEST_FIELDS, REQUEST_FIELD_REASONS).map((entry) => ({ ...entry, field: entry.field.slice('request.'.length) })),
  ];
  const workspace = await checkedWorkspace(request.workspace.working_dir);
  const secrets = await secretValues(request.secrets);
  return {
    options: {
      agent: agent.agent,
      conversationId,
      workspace,
      maxIterationsPerRun: request.max_iterations,
      stuckDetection: stuckDetectionOf(request),
      ...(request.max_cost == null ? {} : { maxCost: request.max_cost }),
      confirmationPolicy: request.confirmation_policy,
      secrets,
      ...(request.title == null ? {} : { title: request.title }),
      autoTitle: autoTitleOf(request.autotitle),
      ...(request.hook_config == null ? {} : { hookConfig: request.hook_config }),
      ...(request.plugins == null ? {} : { plugins: request.plugins }),
    },
    metadata: {
      tags: request.tags,
      security_analyzer: request.security_analyzer ?? null,
      autotitle: request.autotitle,
      stored_agent: agent.stored,
      stored_request: storedRequest,
      not_applied: notApplied,
      plugins: request.plugins ?? [],
    },
  };
}
