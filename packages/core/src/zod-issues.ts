import type { z } from 'zod';

/** Zod issues as one line: `path.to.field: message; other: message` (a root issue has no path). */
export function formatZodIssues(error: z.ZodError, rootLabel?: string): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : rootLabel;
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
