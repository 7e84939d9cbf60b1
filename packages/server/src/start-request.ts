import { camelCase, resolveWorkspacePath, type StuckDetectionInput, WorkspacePathError } from '@troupe/core';
import type { ConversationOptions } from '@troupe/workers';
import { agentFromWire } from './agent-wire.js';
import { RequestValidationError } from './http-error.js';
import type { StartConversationRequest } from './wire-schemas.js';

type SecretInput = StartConversationRequest['secrets'][string];

/** Secret values from their wire forms (a string, or a `StaticSecret`). */
export function secretValues(secrets: Record<string, SecretInput>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).map(([name, secret]) => [name, typeof secret === 'string' ? secret : secret.value]));
}

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
  return Object.fromEntries(Object.entries(thresholds).flatMap(([key, value]) => (value === undefined ? [] : [[camelCase(key), value]])));
}

/**
 * The options of the conversation a start request asks for (everything but where it is stored),
 * its workspace checked first. Every field of the request lands here or in the server's metadata.
 */
export async function conversationOptionsOf(request: StartConversationRequest, conversationId: string): Promise<ConversationOptions & { agent: ReturnType<typeof agentFromWire>; secrets: Record<string, string> }> {
  return {
    agent: agentFromWire(request.agent),
    conversationId,
    workspace: await checkedWorkspace(request.workspace.working_dir),
    maxIterationsPerRun: request.max_iterations,
    stuckDetection: stuckDetectionOf(request),
    ...(request.max_cost == null ? {} : { maxCost: request.max_cost }),
    confirmationPolicy: request.confirmation_policy,
    secrets: secretValues(request.secrets),
    ...(request.title === undefined ? {} : { title: request.title }),
  };
}
