/**
 * The bodies OpenHands' Python client (openhands-sdk 1.43) sends, written out by hand from
 * requests captured off the real client: the same field sets and values (its defaults), with the
 * model endpoint, workspace and ids filled in by each test.
 */

/** `LLM(model, base_url, api_key)` as the client dumps it: every field, unset ones as null. */
export function openHandsLLM(baseUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'openai/mock-model',
    api_key: 'sk-test',
    provider_connection_id: null,
    auth_type: 'api_key',
    subscription_vendor: null,
    base_url: baseUrl,
    api_version: null,
    aws_access_key_id: null,
    aws_secret_access_key: null,
    aws_session_token: null,
    aws_region_name: null,
    aws_profile_name: null,
    aws_role_name: null,
    aws_session_name: null,
    aws_bedrock_runtime_endpoint: null,
    openrouter_site_url: 'https://docs.all-hands.dev/',
    openrouter_app_name: 'OpenHands',
    num_retries: 5,
    retry_multiplier: 8.0,
    retry_min_wait: 8,
    retry_max_wait: 64,
    timeout: 300,
    max_message_chars: 30000,
    temperature: null,
    top_p: null,
    top_k: null,
    max_input_tokens: null,
    max_output_tokens: null,
    model_canonical_name: null,
    api_mode: 'auto',
    capability_overrides: {},
    extra_headers: null,
    input_cost_per_token: null,
    output_cost_per_token: null,
    ollama_base_url: null,
    stream: false,
    drop_params: true,
    modify_params: true,
    disable_vision: null,
    disable_stop_word: false,
    caching_prompt: true,
    log_completions: false,
    log_completions_folder: 'logs/completions',
    custom_tokenizer: null,
    native_tool_calling: true,
    force_string_serializer: null,
    inline_image_urls: null,
    reasoning_effort: 'high',
    reasoning_summary: null,
    enable_encrypted_reasoning: true,
    prompt_cache_retention: '24h',
    extended_thinking_budget: 200000,
    seed: null,
    usage_id: 'default',
    litellm_extra_body: {},
    is_subscription: false,
    ...overrides,
  };
}

/** `Agent(llm, tools=[TerminalTool, FileEditorTool, TaskTrackerTool])` as the client dumps it. */
export function openHandsAgent(llm: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    llm,
    tools: [
      { name: 'TerminalTool', params: {} },
      { name: 'FileEditorTool', params: {} },
      { name: 'TaskTrackerTool', params: {} },
    ],
    mcp_config: {},
    filter_tools_regex: null,
    include_default_tools: ['FinishTool', 'ThinkTool'],
    agent_context: null,
    system_prompt: null,
    system_prompt_filename: 'system_prompt.j2',
    security_policy_filename: 'security_policy.j2',
    system_prompt_kwargs: { llm_security_analyzer: true },
    condenser: null,
    critic: null,
    tool_concurrency_limit: 1,
    kind: 'Agent',
    ...overrides,
  };
}

/** `POST /api/conversations` from `Conversation(agent, workspace=RemoteWorkspace(...))` with every default. */
export function startWithClientDefaults(baseUrl: string, workingDir: string): Record<string, unknown> {
  return {
    agent: openHandsAgent(openHandsLLM(baseUrl)),
    initial_message: null,
    max_iterations: 500,
    stuck_detection: true,
    workspace: { working_dir: workingDir, kind: 'LocalWorkspace' },
    tool_module_qualnames: {
      file_editor: 'openhands.tools.file_editor.definition',
      task_tool_set: 'openhands.tools.task.definition',
      task: 'openhands.tools.task.definition',
      task_tracker: 'openhands.tools.task_tracker.definition',
      terminal: 'openhands.tools.terminal.definition',
      workflow_tool_set: 'openhands.tools.workflow.definition',
      workflow: 'openhands.tools.workflow.definition',
    },
    agent_definitions: [],
    plugins: null,
    hook_config: null,
    client_tools: [],
    tags: {},
    observability_metadata: {},
    observability_tags: [],
    observability_span_name: 'conversation',
    user_id: null,
  };
}

/** The same with a condenser, hooks, a client tool, tags, 50 iterations, stuck thresholds and a chosen id. */
export function startWithEverything(baseUrl: string, workingDir: string, conversationId: string): Record<string, unknown> {
  const defaults = startWithClientDefaults(baseUrl, workingDir);
  return {
    ...defaults,
    agent: openHandsAgent(openHandsLLM(baseUrl), {
      condenser: {
        llm: openHandsLLM(baseUrl, { usage_id: 'condenser' }),
        max_size: 80,
        max_tokens: null,
        keep_first: 4,
        minimum_progress: 0.1,
        hard_context_reset_max_retries: 5,
        hard_context_reset_context_scaling: 0.8,
        kind: 'LLMSummarizingCondenser',
      },
    }),
    max_iterations: 50,
    hook_config: {
      pre_tool_use: [
        {
          matcher: 'terminal',
          hooks: [{ type: 'command', name: null, command: './check.sh', prompt: null, system_prompt: null, tools: [], timeout: 60, max_iterations: 3, async_: false }],
        },
      ],
      post_tool_use: [],
      user_prompt_submit: [],
      session_start: [],
      session_end: [],
      stop: [],
    },
    client_tools: [{ name: 'ask_user', description: 'Ask the user', parameters: { type: 'object', properties: { q: { type: 'string' } } }, annotations: null }],
    tags: { team: 'core' },
    stuck_detection_thresholds: { action_observation: 5, action_error: 3, monologue: 3, alternating_pattern: 6 },
    conversation_id: conversationId,
  };
}

export const sendMessageBody = (text: string) => ({ role: 'user', content: [{ cache_prompt: false, type: 'text', text }], run: false });
export const alwaysConfirmBody = { policy: { kind: 'AlwaysConfirm' } };
export const confirmRiskyBody = { policy: { threshold: 'HIGH', confirm_unknown: true, kind: 'ConfirmRisky' } };
export const llmAnalyzerBody = { security_analyzer: { kind: 'LLMSecurityAnalyzer' } };
export const noAnalyzerBody = { security_analyzer: null };
export const rejectBody = { accept: false, reason: 'no thanks' };

/** `update_secrets` with a plain string, a StaticSecret and a LookupSecret (values exposed, as the client sends them). */
export function secretsBody(lookupUrl: string, values = { plain: 'plain-value', static: 'static-value' }): Record<string, unknown> {
  return {
    secrets: {
      PLAIN: values.plain,
      STATIC: { description: null, value: values.static, kind: 'StaticSecret' },
      LOOK: { description: null, url: lookupUrl, headers: { Authorization: 'Bearer y' }, kind: 'LookupSecret' },
    },
  };
}

/** `workspace.execute_command(cmd, cwd, timeout=30)`: the start request, then its poll query. */
export const startBashBody = (command: string, cwd?: string) => ({ command, timeout: 30, ...(cwd === undefined ? {} : { cwd }) });
export const bashPollQuery = (commandId: string, lastOrder?: number) =>
  new URLSearchParams({ command_id__eq: commandId, sort_order: 'TIMESTAMP', limit: '100', kind__eq: 'BashOutput', ...(lastOrder === undefined ? {} : { order__gt: String(lastOrder) }) }).toString();
