import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, formatZodIssues, HookConfigSchema, isEmptyHookConfig, StoredHookConfigSchema } from '@troupe/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http-error.js';
import { ErrorResponseSchema } from '../wire-schemas.js';
import type { WorkspaceRoots } from '../workspace-roots.js';
import { apiErrorResponses } from './error-responses.js';

/** Where a project keeps its hooks (OpenHands' path). */
const PROJECT_HOOKS_FILE = join('.openhands', 'hooks.json');

const HooksRequestSchema = z.object({ project_dir: z.string().min(1).max(4096).nullish() });
const HooksResponseSchema = z.object({ hook_config: StoredHookConfigSchema.nullable() });

/** A project's hooks: null when it has none (no file, or an empty one); an invalid file is a 422 naming what is wrong. */
async function projectHooks(projectDir: string): Promise<z.output<typeof HooksResponseSchema>['hook_config']> {
  const file = join(projectDir, PROJECT_HOOKS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HttpError(422, `${file} is not valid JSON (${errorMessage(error)}): fix the file.`);
  }
  const parsed = HookConfigSchema.safeParse(json);
  if (!parsed.success) throw new HttpError(422, `${file} is not a valid hook configuration: ${formatZodIssues(parsed.error, 'hooks')}.`);
  return isEmptyHookConfig(parsed.data) ? null : parsed.data;
}

/** `POST /api/hooks` (OpenHands' hooks route): the hooks a workspace's `.openhands/hooks.json` configures, on workspace paths only. */
export function registerHooksRoutes(app: FastifyInstance, roots: WorkspaceRoots): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/hooks',
    {
      schema: {
        tags: ['hooks'],
        summary: "The hooks of a project's .openhands/hooks.json (null without one)",
        body: HooksRequestSchema,
        response: { 200: HooksResponseSchema, ...apiErrorResponses, 400: ErrorResponseSchema, 403: ErrorResponseSchema },
      },
    },
    async (request) => {
      const projectDir = request.body.project_dir;
      if (projectDir == null) return { hook_config: null };
      return { hook_config: await projectHooks(await roots.resolve(projectDir, { existing: true })) };
    },
  );
}
