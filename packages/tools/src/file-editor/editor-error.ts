/** An expected file_editor failure; its message is what the model sees (after the error header). */
export class EditorError extends Error {
  override readonly name = 'EditorError';
}

export function missingParameter(command: string, parameter: string): EditorError {
  return new EditorError(`Parameter \`${parameter}\` is required for command: ${command}.`);
}

export function invalidParameter(parameter: string, value: string, hint?: string): EditorError {
  return new EditorError(`Invalid \`${parameter}\` parameter: ${value}.${hint === undefined ? '' : ` ${hint}`}`);
}

export function fileValidationFailed(path: string, reason: string): EditorError {
  return new EditorError(`File validation failed for ${path}: ${reason}`);
}

/** A list the way the Python original prints it, e.g. `[1, 7]`. */
export function formatList(values: readonly number[]): string {
  return `[${values.join(', ')}]`;
}
