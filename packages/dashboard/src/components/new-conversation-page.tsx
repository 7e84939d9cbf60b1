import { useState } from 'preact/hooks';
import { api } from '../api';
import { conversationHref } from '../router';
import { useAction } from './use-action';

const TOOLS = ['terminal', 'file_editor', 'task_tracker'] as const;
const POLICIES = [
  ['NeverConfirm', 'Run every action'],
  ['AlwaysConfirm', 'Ask before every action with side effects'],
  ['ConfirmRisky', 'Ask before risky actions'],
] as const;

interface Draft {
  title: string;
  model: string;
  baseUrl: string;
  apiKey: string;
  workspace: string;
  tools: string[];
  policy: string;
  message: string;
}

const FIRST_DRAFT: Draft = { title: '', model: 'anthropic/claude-sonnet-4-5', baseUrl: '', apiKey: '', workspace: '', tools: [...TOOLS], policy: 'NeverConfirm', message: '' };

/** The start request (`POST /api/conversations`) a draft makes; the first message runs the agent. */
function startRequest(draft: Draft): Record<string, unknown> {
  const llm: Record<string, unknown> = { model: draft.model.trim() };
  if (draft.baseUrl.trim()) llm.base_url = draft.baseUrl.trim();
  if (draft.apiKey) llm.api_key = draft.apiKey;
  const policy = draft.policy === 'ConfirmRisky' ? { kind: 'ConfirmRisky', threshold: 'HIGH', confirm_unknown: true } : { kind: draft.policy };
  return {
    agent: { llm, tools: draft.tools.map((name) => ({ name })) },
    workspace: { working_dir: draft.workspace.trim() },
    confirmation_policy: policy,
    ...(draft.title.trim() ? { title: draft.title.trim() } : {}),
    ...(draft.message.trim() ? { initial_message: { role: 'user', content: [{ type: 'text', text: draft.message.trim() }], run: true } } : {}),
  };
}

/** Starts a conversation on the server and opens it. */
export function NewConversationPage() {
  const [draft, setDraft] = useState<Draft>(FIRST_DRAFT);
  const { busy, error, run } = useAction();
  const field = (name: keyof Draft) => (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value });
  const toggleTool = (tool: string) => setDraft({ ...draft, tools: draft.tools.includes(tool) ? draft.tools.filter((name) => name !== tool) : [...draft.tools, tool] });
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const info = await api<{ id: string }>('POST', '/api/conversations', startRequest(draft));
      window.location.hash = conversationHref(info.id);
    });
  };
  return (
    <form class="new-conversation" onSubmit={submit} data-testid="new-conversation-form">
      <h1>New conversation</h1>
      <label>
        Title (optional) <input name="title" value={draft.title} onInput={field('title')} />
      </label>
      <label>
        Model <input name="model" required value={draft.model} onInput={field('model')} />
      </label>
      <label>
        Base URL (optional: an OpenAI-compatible endpoint) <input name="base_url" type="url" value={draft.baseUrl} onInput={field('baseUrl')} />
      </label>
      <label>
        API key (kept in the server's memory only) <input name="api_key" type="password" autocomplete="off" value={draft.apiKey} onInput={field('apiKey')} />
      </label>
      <label>
        Workspace (an absolute directory on the server) <input name="working_dir" required value={draft.workspace} onInput={field('workspace')} />
      </label>
      <fieldset>
        <legend>Tools</legend>
        {TOOLS.map((tool) => (
          <label key={tool} class="inline">
            <input type="checkbox" checked={draft.tools.includes(tool)} onChange={() => toggleTool(tool)} /> {tool}
          </label>
        ))}
      </fieldset>
      <label>
        Confirmation
        <select name="confirmation_policy" value={draft.policy} onChange={field('policy')}>
          {POLICIES.map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        First message (runs the agent) <textarea name="message" rows={4} value={draft.message} onInput={field('message')} />
      </label>
      <button type="submit" class="primary" data-testid="create" disabled={busy}>
        Start
      </button>
      {error && <p class="error" data-testid="create-error">{error}</p>}
    </form>
  );
}
