import { afterEach, describe, expect, test } from 'vitest';
import { ConfigError, type ToolDefinition } from '@troupe/core';
import { shellEnvironment, validateConfiguredVariables } from '../src/terminal/shell-environment.js';
import { terminalTool } from '../src/terminal/terminal-tool.js';
import { fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

describe('shellEnvironment', () => {
  const parent = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/agent',
    USER: 'agent',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    TERM: 'dumb',
    SHELL: '/bin/zsh',
    PS1: '$ ',
    LLM_API_KEY: 'sk-server',
    SESSION_API_KEY: 'session-key',
    OH_SESSION_API_KEYS_0: 'other-key',
    ANTHROPIC_API_KEY: 'sk-ant',
    AWS_SECRET_ACCESS_KEY: 'aws',
    HTTPS_PROXY: 'http://user:password@proxy:3128',
    NODE_OPTIONS: '--inspect',
    UNSET: undefined,
  };

  test('keeps only the allow-list, then the fixed settings', () => {
    expect(shellEnvironment(parent, { shell: '/usr/bin/bash', extra: {} })).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/agent',
      USER: 'agent',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      SHELL: '/usr/bin/bash',
      TERM: 'xterm-256color',
      PAGER: 'cat',
      GIT_PAGER: 'cat',
      HISTFILE: '',
      AI_AGENT: 'troupe',
    });
  });

  test('configured variables are added and override the defaults', () => {
    const env = shellEnvironment(parent, { shell: '/bin/bash', extra: { HTTPS_PROXY: 'http://proxy:3128', PAGER: 'less' } });
    expect(env).toMatchObject({ HTTPS_PROXY: 'http://proxy:3128', PAGER: 'less' });
    expect(env.LLM_API_KEY).toBeUndefined();
  });

  test('a bad or reserved configured name is a ConfigError that names it', () => {
    expect(() => validateConfiguredVariables({ OK_NAME: '1', '9LIVES': 'x' })).toThrow(ConfigError);
    expect(() => validateConfiguredVariables({ '9LIVES': 'x' })).toThrow('Invalid terminal environment variable name: 9LIVES.');
    expect(() => validateConfiguredVariables({ TROUPE_TERMINAL_ID: 'x' })).toThrow(/TROUPE_TERMINAL_ID is reserved/);
    expect(() => validateConfiguredVariables({ _under: '', Mixed9: 'y' })).not.toThrow();
  });
});

describe('the terminal does not see the server environment', () => {
  const serverKeys = {
    LLM_API_KEY: 'sk-llm-server-key',
    SESSION_API_KEY: 'session-server-key',
    OH_SESSION_API_KEYS_0: 'session-server-key-0',
    AWS_SECRET_ACCESS_KEY: 'aws-server-key',
  };
  let opened: { tool: ToolDefinition; environment: FakeEnvironment } | undefined;

  afterEach(async () => {
    for (const name of Object.keys(serverKeys)) delete process.env[name];
    await opened?.tool.close?.();
    opened?.environment.cleanup();
  });

  test('`env` shows none of the server keys; PATH and HOME still work', async () => {
    Object.assign(process.env, serverKeys);
    const environment = fakeEnvironment();
    const tool = await terminalTool.create(environment, { env: { CONFIGURED: 'yes' } });
    opened = { tool, environment };
    const run = toolRunner(tool, environment);

    const env = (await run({ command: 'env' })).text;
    for (const [name, value] of Object.entries(serverKeys)) {
      expect(env).not.toContain(name);
      expect(env).not.toContain(value);
    }
    expect(env).toContain('CONFIGURED=yes');
    expect(env).toContain(`PATH=${process.env.PATH}`);
    expect((await run({ command: 'echo "$HOME"' })).text.split('\n')[0]).toBe(process.env.HOME);
    expect((await run({ command: 'ls / > /dev/null && command -v bash' })).data.exit_code).toBe(0);
  });
});
