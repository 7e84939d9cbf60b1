/**
 * Splits a bash command into its top-level statements, the way bash reads them: statements on separate lines are
 * separate, while `&&`/`||`/`|` chains, `;`, heredocs, `\` continuations, quoted newlines and multi-line compound
 * commands (`if`, loops, `case`, `{ }`, `( )`, `$( )`) stay one statement. Text bash could not parse (an unclosed
 * quote or block) counts as one statement.
 */

type Frame = '"' | '`' | '${' | '$(' | '(' | '{' | 'if' | 'case' | 'loop';

interface Heredoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
}

const OPENING_KEYWORDS: Readonly<Record<string, Frame>> = {
  if: 'if',
  case: 'case',
  for: 'loop',
  while: 'loop',
  until: 'loop',
  select: 'loop',
};
const CLOSING_KEYWORDS: Readonly<Record<string, Frame>> = { fi: 'if', esac: 'case', done: 'loop' };
/** Words after which the next word is again in command position. */
const PREFIX_KEYWORDS = new Set(['then', 'do', 'else', 'elif', '!', 'time', 'if', 'while', 'until', '{']);
const WORD_END = /[\s;&|<>()'"`\\$]/;

export function splitTopLevelStatements(command: string): string[] {
  const statements: string[] = [];
  const stack: Frame[] = [];
  const heredocs: Heredoc[] = [];
  let statementStart = 0;
  let hasContent = false;
  let commandPosition = true;
  let awaitsOperand = false;
  let i = 0;

  const top = (): Frame | undefined => stack.at(-1);
  const closeStatement = (end: number) => {
    const text = command.slice(statementStart, end).trim();
    if (text !== '') statements.push(text);
    statementStart = end;
    hasContent = false;
  };

  while (i < command.length) {
    const char = command[i] ?? '';
    const next = command[i + 1] ?? '';
    const frame = top();

    if (frame === '"') {
      if (char === '\\') i += 2;
      else if (char === '"') (stack.pop(), (i += 1));
      else if (char === '$' && next === '(') (stack.push('$('), (i += 2), (commandPosition = true));
      else if (char === '$' && next === '{') (stack.push('${'), (i += 2));
      else if (char === '`') (stack.push('`'), (i += 1));
      else i += 1;
      continue;
    }
    if (frame === '`') {
      if (char === '\\') i += 2;
      else if (char === '`') (stack.pop(), (i += 1));
      else i += 1;
      continue;
    }
    if (frame === '${') {
      if (char === '\\') i += 2;
      else if (char === '}') (stack.pop(), (i += 1));
      else if (char === '"') (stack.push('"'), (i += 1));
      else if (char === "'") i = skipSingleQuoted(command, i + 1);
      else if (char === '$' && (next === '(' || next === '{')) (stack.push(next === '(' ? '$(' : '${'), (i += 2));
      else i += 1;
      continue;
    }

    // Code: top level or inside a subshell, group, compound command or command substitution.
    if (char === '\n') {
      i += 1;
      if (heredocs.length > 0) i = skipHeredocBodies(command, i, heredocs.splice(0));
      if (stack.length === 0 && !awaitsOperand && hasContent) closeStatement(i);
      commandPosition = true;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      i += 1;
      continue;
    }
    if (char === '#' && isWordStart(command, i)) {
      while (i < command.length && command[i] !== '\n') i += 1;
      continue;
    }

    hasContent = true;
    if (char === '\\') {
      i += 2;
      commandPosition = false;
      awaitsOperand = false;
    } else if (char === "'") {
      i = skipSingleQuoted(command, i + 1);
      commandPosition = false;
      awaitsOperand = false;
    } else if (char === '$' && next === "'") {
      i = skipAnsiCQuoted(command, i + 2);
      commandPosition = false;
      awaitsOperand = false;
    } else if (char === '"' || char === '`') {
      stack.push(char);
      i += 1;
      commandPosition = false;
      awaitsOperand = false;
    } else if (char === '$' && (next === '(' || next === '{')) {
      stack.push(next === '(' ? '$(' : '${');
      i += 2;
      commandPosition = next === '(';
      awaitsOperand = false;
    } else if (char === '(') {
      stack.push('(');
      i += 1;
      commandPosition = true;
    } else if (char === ')') {
      // In a `case`, `)` ends a pattern; elsewhere it closes a subshell or substitution.
      if (frame === '(' || frame === '$(') stack.pop();
      i += 1;
      commandPosition = true;
    } else if (char === '<' && next === '<' && command[i + 2] === '<') {
      i += 3;
    } else if (char === '<' && next === '<') {
      const parsed = readHeredocDelimiter(command, i + 2);
      if (parsed.heredoc) heredocs.push(parsed.heredoc);
      i = parsed.end;
    } else if (char === '&' || char === '|' || char === ';') {
      const doubled = next === char || (char === '|' && next === '&');
      awaitsOperand = char === '|' || (char === '&' && doubled);
      i += doubled ? 2 : 1;
      commandPosition = true;
    } else if (char === '<' || char === '>') {
      i += 1;
    } else {
      const end = wordEnd(command, i);
      const word = command.slice(i, end);
      i = end;
      awaitsOperand = false;
      trackKeyword(word, command[end]);
    }
  }

  if (stack.length > 0 || heredocs.length > 0) return command.trim() === '' ? [] : [command.trim()];
  closeStatement(command.length);
  return statements;

  function trackKeyword(word: string, following: string | undefined): void {
    const standalone = following === undefined || /[\s;&|]/.test(following);
    if (word === '{' && standalone) stack.push('{');
    else if (word === '}' && top() === '{') stack.pop();
    else if (commandPosition && OPENING_KEYWORDS[word] !== undefined) stack.push(OPENING_KEYWORDS[word]);
    else if (commandPosition && CLOSING_KEYWORDS[word] !== undefined && top() === CLOSING_KEYWORDS[word]) stack.pop();
    commandPosition = PREFIX_KEYWORDS.has(word) || (word === 'in' && top() === 'case');
  }
}

function isWordStart(text: string, index: number): boolean {
  const before = text[index - 1];
  return before === undefined || /[\s;&|()<>]/.test(before);
}

function wordEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && !WORD_END.test(text[end] ?? '')) end += 1;
  return end;
}

function skipSingleQuoted(text: string, from: number): number {
  const close = text.indexOf("'", from);
  return close === -1 ? text.length + 1 : close + 1;
}

function skipAnsiCQuoted(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === "'") return i + 1;
    else i += 1;
  }
  return text.length + 1;
}

/** Reads `[-]WORD` after `<<`; quotes and backslashes in the word are removed, as bash does. */
function readHeredocDelimiter(text: string, from: number): { heredoc?: Heredoc; end: number } {
  let i = from;
  const stripTabs = text[i] === '-';
  if (stripTabs) i += 1;
  while (text[i] === ' ' || text[i] === '\t') i += 1;
  let delimiter = '';
  while (i < text.length && !/[\s;&|<>()]/.test(text[i] ?? '')) {
    const char = text[i] ?? '';
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, i + 1);
      const stop = close === -1 ? text.length : close;
      delimiter += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (char === '\\') {
      delimiter += text[i + 1] ?? '';
      i += 2;
    } else {
      delimiter += char;
      i += 1;
    }
  }
  return delimiter === '' ? { end: i } : { heredoc: { delimiter, stripTabs }, end: i };
}

/** Skips the bodies of pending heredocs, which start on the line after their `<<`. */
function skipHeredocBodies(text: string, from: number, heredocs: readonly Heredoc[]): number {
  let i = from;
  for (const heredoc of heredocs) {
    let found = false;
    while (i < text.length && !found) {
      const lineEnd = text.indexOf('\n', i);
      const end = lineEnd === -1 ? text.length : lineEnd;
      const line = text.slice(i, end);
      found = (heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter;
      i = lineEnd === -1 ? text.length : lineEnd + 1;
    }
    // An unterminated heredoc runs to the end of the text, as bash reads it.
  }
  return i;
}
