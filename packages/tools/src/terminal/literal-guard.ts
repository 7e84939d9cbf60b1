/**
 * Models sometimes pass a Python/JSON list or dict as the command. Bash would run it as garbage, so it is refused
 * with a hint. `[ -f x ]`, `[[ -z $v ]]` and `{ ls; }` are shell syntax and pass.
 */
const LIST_LITERAL = /^(?:\[[{"']|\[\[\S)/;
const DICT_LITERAL = /^\{["']/;

export function literalArgumentError(command: string): string | undefined {
  const text = command.trimStart();
  const kind = LIST_LITERAL.test(text) ? 'list' : DICT_LITERAL.test(text) ? 'dict' : undefined;
  if (kind === undefined) return undefined;
  return (
    `[Tool-argument error] The command argument looks like a Python/JSON ${kind} literal, not a shell command. ` +
    'The `command` parameter must be a single bash command string. To write structured data to a file, use the ' +
    "file_editor tool's `create` command or a heredoc (cat > file.json << 'EOF' ... EOF)."
  );
}
