/**
 * The PS1 trick: every prompt prints a JSON block with the exit code and working directory of the command that
 * just finished, between two marker lines. Seeing the block means the command completed.
 */

export const PS1_BEGIN = '###PS1JSON###';
export const PS1_END = '###PS1END###';

export interface PromptMetadata {
  readonly exitCode: number;
  /** `$!`: the last background job, when there is one. */
  readonly pid?: number;
  readonly username: string;
  readonly hostname: string;
  readonly workingDir: string;
  readonly pyInterpreterPath: string;
}

export interface PromptBlock {
  /** Where the block starts (its leading newline included) and ends in the searched text. */
  readonly start: number;
  readonly end: number;
  readonly metadata: PromptMetadata;
}

const PS1_JSON =
  '{\\"pid\\": \\"$!\\", \\"exit_code\\": \\"$?\\", \\"username\\": \\"\\u\\", \\"hostname\\": \\"\\h\\", ' +
  '\\"working_dir\\": \\"$(pwd)\\", \\"py_interpreter_path\\": \\"$(command -v python)\\"}';

/**
 * The first line sent to a new shell. `stty -echo` keeps commands out of the output; readline still accepts
 * long lines, and with completion disabled a TAB in a command is inserted as typed. `set +H` keeps `!` literal.
 * PROMPT_COMMAND re-exports PS1 before each prompt, so that a command changing PS1 (a venv) cannot break it.
 */
export function shellSetupCommand(): string {
  const ps1 = `\\n${PS1_BEGIN}\\n${PS1_JSON}\\n${PS1_END}\\n`;
  return [
    'stty -echo',
    "bind 'set enable-bracketed-paste off' 2>/dev/null",
    "bind 'set disable-completion on' 2>/dev/null",
    'set +H',
    `export PROMPT_COMMAND='export PS1="${ps1}"'`,
    'export PS2=""',
  ].join('; ');
}

// Fields are matched in their fixed order, greedily for paths, so a `"` in a directory name cannot break parsing.
// The newline after the end marker is required: a block counts only once it has fully arrived, so its last
// newline cannot spill into the next command's output when the terminal splits its writes there.
const BLOCK =
  /\n?###PS1JSON###\n\{"pid": "(.*?)", "exit_code": "(.*?)", "username": "(.*?)", "hostname": "(.*?)", "working_dir": "(.*)", "py_interpreter_path": "(.*)"\}\n###PS1END###\n/g;

/** Every complete prompt block in normalized terminal text, in order. */
export function findPromptBlocks(text: string): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [whole, pid = '', exitCode = '', username = '', hostname = '', workingDir = '', pyInterpreterPath = ''] = match;
    const parsedExit = Number.parseInt(exitCode, 10);
    const parsedPid = Number.parseInt(pid, 10);
    blocks.push({
      start: match.index,
      end: match.index + whole.length,
      metadata: {
        exitCode: Number.isNaN(parsedExit) ? -1 : parsedExit,
        ...(Number.isNaN(parsedPid) ? {} : { pid: parsedPid }),
        username,
        hostname,
        workingDir,
        pyInterpreterPath,
      },
    });
  }
  return blocks;
}

export interface CompletedOutput {
  readonly output: string;
  readonly metadata: PromptMetadata;
}

/**
 * The output of a finished command: the text before the last prompt block, after any earlier block (a prompt
 * that appeared while input was still queued). `undefined` while no block has arrived.
 */
export function completedOutput(text: string): CompletedOutput | undefined {
  const blocks = findPromptBlocks(text);
  const last = blocks.at(-1);
  if (last === undefined) return undefined;
  const previous = blocks.at(-2);
  return { output: text.slice(previous?.end ?? 0, last.start), metadata: last.metadata };
}
