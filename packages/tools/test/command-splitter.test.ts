import { describe, expect, test } from 'vitest';
import { splitTopLevelStatements } from '../src/terminal/command-splitter.js';

describe('splitTopLevelStatements', () => {
  test('statements on separate lines are separate', () => {
    expect(splitTopLevelStatements('ls -l\necho hi\n\npwd')).toEqual(['ls -l', 'echo hi', 'pwd']);
  });

  test.each([
    ['chains', 'make build &&\n  make test || echo failed'],
    ['pipes', 'cat file |\n  grep x'],
    ['a backslash continuation', 'docker run \\\n  -it ubuntu'],
    ['a heredoc', "cat <<EOF > out.txt\nline one\necho not a statement\nEOF"],
    ['a tab-stripping quoted heredoc', "cat <<-'END'\n\techo $HOME\n\tEND"],
    ['a newline in quotes', 'echo "a\nb" \'c\nd\''],
    ['an if block', 'if [ -f x ]; then\n  echo yes\nelse\n  echo no\nfi'],
    ['a for loop', 'for i in 1 2 3\ndo\n  echo $i\ndone'],
    ['a while loop', 'while read line; do\n  echo "$line"\ndone < file'],
    ['a case', 'case "$x" in\n  a) echo A;;\n  *) echo other;;\nesac'],
    ['a function', 'greet() {\n  echo hi\n}'],
    ['a subshell', '(\n  cd /tmp\n  ls\n)'],
    ['a command substitution', 'echo $(\n  date\n)'],
    ['a here-string', 'cat <<< "x"'],
    ['a python -c script', 'python3 -c "\nimport sys\nprint(sys.argv)\n"'],
    ['an unclosed quote (parse error)', 'echo "unclosed\necho next'],
  ])('%s is one statement', (_name, command) => {
    expect(splitTopLevelStatements(command)).toEqual([command.trim()]);
  });

  test('a statement after a heredoc or block is separate', () => {
    expect(splitTopLevelStatements('cat <<EOF\nx\nEOF\necho after')).toEqual(['cat <<EOF\nx\nEOF', 'echo after']);
    expect(splitTopLevelStatements('if true; then echo; fi\necho after')).toEqual(['if true; then echo; fi', 'echo after']);
  });

  test('keywords as arguments and comments do not open blocks', () => {
    expect(splitTopLevelStatements('echo if done\necho fi # case (')).toEqual(['echo if done', 'echo fi # case (']);
    expect(splitTopLevelStatements('# just a comment\nls')).toEqual(['# just a comment\nls']);
  });

  test('brace expansion is not a group; a group is', () => {
    expect(splitTopLevelStatements('echo {a,b}\nls')).toEqual(['echo {a,b}', 'ls']);
    expect(splitTopLevelStatements('{ echo a\necho b; }')).toEqual(['{ echo a\necho b; }']);
  });

  test('empty input has no statements', () => {
    expect(splitTopLevelStatements('  \n ')).toEqual([]);
  });
});
