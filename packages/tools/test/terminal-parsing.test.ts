import { describe, expect, test } from 'vitest';
import { parseKey } from '../src/terminal/keys.js';
import { literalArgumentError } from '../src/terminal/literal-guard.js';
import { completedOutput, findPromptBlocks } from '../src/terminal/prompt.js';
import { normalizeTerminalText, removeCommandEcho } from '../src/terminal/terminal-text.js';
import { ansiCQuote, secretExportCommand } from '../src/terminal/secret-export.js';
import { parseProcStat } from '../src/terminal/proc-fs.js';

const block = (exitCode: number, dir: string) =>
  `\n###PS1JSON###\n{"pid": "", "exit_code": "${exitCode}", "username": "me", "hostname": "box", "working_dir": "${dir}", "py_interpreter_path": ""}\n###PS1END###\n`;

describe('prompt blocks', () => {
  test('the output of a command is the text before its prompt block', () => {
    const parsed = completedOutput(`hello\n${block(3, '/w')}`);
    expect(parsed?.output).toBe('hello\n');
    expect(parsed?.metadata).toMatchObject({ exitCode: 3, workingDir: '/w', username: 'me', pyInterpreterPath: '' });
  });

  test('with several blocks, the output lies between the last two', () => {
    expect(completedOutput(`old${block(0, '/a')}new${block(1, '/b')}`)).toMatchObject({
      output: 'new',
      metadata: { exitCode: 1, workingDir: '/b' },
    });
  });

  test('a quote in the working directory does not break parsing; incomplete blocks are not matched', () => {
    expect(findPromptBlocks(block(0, '/tmp/a"b'))[0]?.metadata.workingDir).toBe('/tmp/a"b');
    expect(completedOutput('###PS1JSON###\n{"pid": "')).toBeUndefined();
  });

  test('a block counts only with its final newline, so none of it spills into the next output', () => {
    const whole = `hello${block(0, '/w')}`;
    expect(completedOutput(whole.slice(0, -1))).toBeUndefined();
    expect(completedOutput(whole)?.output).toBe('hello');
  });
});

describe('terminal text', () => {
  test('escape sequences, CRLF and overwrites are resolved', () => {
    expect(normalizeTerminalText('\x1b[1;31mred\x1b[0m\r\r\n\x1b]0;title\x07ok\r\nab\rX\x07')).toBe('red\nok\nXb');
  });

  test('an echoed command is removed from the front only', () => {
    expect(removeCommandEcho('ls\nfile', 'ls')).toBe('file');
    expect(removeCommandEcho('lsfile', 'ls')).toBe('lsfile');
  });
});

describe('keys', () => {
  test('control keys in every accepted spelling', () => {
    expect(parseKey('C-c')).toEqual({ sequence: '\x03', ctrlLetter: 'C' });
    expect(parseKey('CTRL+D')).toEqual({ sequence: '\x04', ctrlLetter: 'D' });
    expect(parseKey('ctrl-z')).toEqual({ sequence: '\x1a', ctrlLetter: 'Z' });
  });

  test('named keys, and plain text that is not a key', () => {
    expect(parseKey('UP')).toEqual({ sequence: '\x1b[A' });
    expect(parseKey('ENTER')).toEqual({ sequence: '\r' });
    expect(parseKey('John')).toBeUndefined();
    expect(parseKey('C-cc')).toBeUndefined();
  });
});

describe('literal guard', () => {
  test.each(['["ls", "-la"]', "['a']", '[{"a": 1}]', '[[1, 2]]', '  {"cmd": "ls"}', "{'a': 1}"])('%s is refused', (command) => {
    expect(literalArgumentError(command)).toMatch(/^\[Tool-argument error\] The command argument looks like a Python\/JSON/);
  });

  test.each(['[ -f x ] && echo y', '[[ -z $v ]]', '{ ls; }', 'echo "[1]"'])('%s passes', (command) => {
    expect(literalArgumentError(command)).toBeUndefined();
  });
});

describe('secret export', () => {
  test('ANSI-C quoting survives quotes, backslashes and newlines', () => {
    expect(ansiCQuote("it's a\\b\nc")).toBe("$'it\\'s a\\\\b\\nc'");
  });

  test('one export per valid name, joined with &&', () => {
    expect(secretExportCommand({ A: '1', B_2: 'x', 'not-valid': 'y' })).toBe("export A=$'1' && export B_2=$'x'");
    expect(secretExportCommand({})).toBeUndefined();
  });
});

describe('/proc stat', () => {
  test('fields are read after the command name, which may hold spaces and parentheses', () => {
    expect(parseProcStat('4242 (my (odd) name) S 1 4242 4240 34816 4250 4194560 0')).toEqual({
      pid: 4242,
      state: 'S',
      processGroup: 4242,
      session: 4240,
      terminalProcessGroup: 4250,
    });
  });
});
