import { describe, expect, it } from 'vitest';
import { type Event, hooksFor, interpretHookRun, lastUserMessageBlocked, matcherSelects, parseHookConfig, stopFeedback, blockingReason, ConfigError } from '../src/index.js';

const run = (over: Partial<Parameters<typeof interpretHookRun>[0]>) => interpretHookRun({ exitCode: 0, stdout: '', stderr: '', timedOut: false, timeoutSeconds: 60, ...over });

describe('hook matchers', () => {
  it('select by exact name, * or empty for all, /regex/ and auto-detected regex, matched against the whole name', () => {
    expect(matcherSelects('terminal', 'terminal')).toBe(true);
    expect(matcherSelects('terminal', 'terminal2')).toBe(false);
    expect(matcherSelects('*', 'anything')).toBe(true);
    expect(matcherSelects('', undefined)).toBe(true);
    expect(matcherSelects('terminal', undefined)).toBe(false);
    expect(matcherSelects('/file_.*/', 'file_editor')).toBe(true);
    expect(matcherSelects('/file_.*/', 'my_file_editor')).toBe(false);
    expect(matcherSelects('terminal|file_editor', 'file_editor')).toBe(true);
    expect(matcherSelects('terminal|file_editor', 'grep')).toBe(false);
    // An invalid regex falls back to the exact name.
    expect(matcherSelects('a(b', 'a(b')).toBe(true);
    expect(matcherSelects('/a(b/', 'a(b')).toBe(false);
  });

  it('hooksFor returns the hooks of every selecting matcher in order; events without a tool take only * matchers', () => {
    const config = parseHookConfig({
      PreToolUse: [
        { matcher: 'terminal', hooks: [{ command: 'first' }] },
        { matcher: '*', hooks: [{ command: 'second', timeout: 5 }] },
        { matcher: 'grep', hooks: [{ command: 'never' }] },
      ],
      UserPromptSubmit: [{ matcher: 'terminal', hooks: [{ command: 'no tool here' }] }, { hooks: [{ command: 'all' }] }],
    });
    expect(hooksFor(config, 'PreToolUse', 'terminal').map((hook) => [hook.command, hook.timeout])).toEqual([['first', 60], ['second', 5]]);
    expect(hooksFor(config, 'UserPromptSubmit').map((hook) => hook.command)).toEqual(['all']);
    expect(hooksFor(config, 'Stop')).toEqual([]);
  });
});

describe('hook configuration', () => {
  it('reads PascalCase or snake_case events and the {"hooks": …} wrapper into one snake_case shape', () => {
    const pascal = parseHookConfig({ Stop: [{ hooks: [{ type: 'command', command: 'x' }] }] });
    const snake = parseHookConfig({ stop: [{ matcher: '*', hooks: [{ command: 'x' }] }] });
    const wrapped = parseHookConfig({ hooks: { Stop: [{ hooks: [{ command: 'x' }] }] } });
    expect(pascal).toEqual(snake);
    expect(wrapped).toEqual(snake);
    expect(snake.stop).toEqual([{ matcher: '*', hooks: [{ type: 'command', command: 'x', timeout: 60 }] }]);
    expect(snake.pre_tool_use).toEqual([]);
  });

  it('refuses, naming the field, an unknown event, an event given twice, prompt/agent and async hooks, a missing command', () => {
    const message = (input: unknown) => {
      try {
        parseHookConfig(input);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(message({ BeforeAnything: [] })).toMatch(/BeforeAnything/);
    expect(message({ Stop: [], stop: [] })).toMatch(/given twice/);
    expect(message({ Stop: [{ hooks: [{ type: 'prompt', prompt: 'judge' }] }] })).toMatch(/stop\.0\.hooks\.0\.type: only 'command' hooks/);
    expect(message({ Stop: [{ hooks: [{ command: 'x', async: true }] }] })).toMatch(/'async' hooks are not implemented/);
    expect(message({ Stop: [{ hooks: [{ type: 'command' }] }] })).toMatch(/stop\.0\.hooks\.0\.command/);
  });
});

describe('hook results', () => {
  it('exit 0 succeeds; exit 2 blocks with stderr as the reason; another exit is an error that does not block', () => {
    expect(run({ exitCode: 0 })).toMatchObject({ success: true, blocked: false });
    const blocked = run({ exitCode: 2, stderr: 'rm is not allowed\n' });
    expect(blocked).toMatchObject({ success: false, blocked: true, exitCode: 2 });
    expect(blockingReason([blocked])).toBe('rm is not allowed');
    const failed = run({ exitCode: 1, stderr: 'oops' });
    expect(failed).toMatchObject({ success: false, blocked: false, error: expect.stringMatching(/code 1/) });
    expect(blockingReason([failed])).toBeUndefined();
  });

  it('a JSON decision on stdout: deny or continue=false blocks with its reason; allow and additionalContext are read', () => {
    expect(run({ stdout: JSON.stringify({ decision: 'DENY', reason: 'not today' }) })).toMatchObject({ blocked: true, decision: 'deny', reason: 'not today' });
    expect(run({ stdout: JSON.stringify({ continue: false }) })).toMatchObject({ blocked: true });
    expect(run({ stdout: JSON.stringify({ decision: 'allow', additionalContext: 'be careful' }) })).toMatchObject({ blocked: false, decision: 'allow', additionalContext: 'be careful' });
    expect(run({ stdout: 'plain text, not JSON' })).toMatchObject({ success: true, blocked: false, stdout: 'plain text, not JSON' });
    expect(blockingReason([run({ exitCode: 2 })])).toBe('Blocked by hook');
  });

  it('a timeout or a failure to start never blocks', () => {
    expect(run({ exitCode: null, timedOut: true, timeoutSeconds: 3 })).toMatchObject({ success: false, blocked: false, exitCode: -1, error: expect.stringMatching(/timed out after 3 seconds/) });
    expect(run({ exitCode: null, failure: 'no such shell' })).toMatchObject({ success: false, blocked: false, error: 'no such shell' });
  });

  it('a blocking Stop hook gives its additional context as feedback, else its reason', () => {
    expect(stopFeedback([run({ exitCode: 0 })])).toBeUndefined();
    expect(stopFeedback([run({ exitCode: 2, stderr: 'run the tests first' })])).toBe('run the tests first');
    expect(stopFeedback([run({ stdout: JSON.stringify({ decision: 'deny', reason: 'r', additionalContext: 'ctx' }) })])).toBe('ctx');
  });

  it('lastUserMessageBlocked looks at the newest user message only', () => {
    const message = (id: string, source: 'user' | 'environment') => ({ kind: 'MessageEvent', id, source }) as unknown as Event;
    expect(lastUserMessageBlocked([message('a', 'user'), message('b', 'user')], new Set(['b']))).toBe(true);
    expect(lastUserMessageBlocked([message('b', 'user'), message('c', 'user')], new Set(['b']))).toBe(false);
    expect(lastUserMessageBlocked([message('b', 'user'), message('e', 'environment')], new Set(['b']))).toBe(true);
    expect(lastUserMessageBlocked([message('b', 'user')], new Set())).toBe(false);
  });
});
