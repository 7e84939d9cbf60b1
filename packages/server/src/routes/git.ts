import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GitChangeSchema, gitChanges, gitDiff, GitDiffSchema, GitRefSchema, GitShaSchema } from '../git-changes.js';
import { HttpError } from '../http-error.js';
import { ErrorResponseSchema } from '../wire-schemas.js';
import type { WorkspaceRoots } from '../workspace-roots.js';
import { apiErrorResponses } from './error-responses.js';

const tags = ['git'];
const errors = { ...apiErrorResponses, 400: ErrorResponseSchema, 403: ErrorResponseSchema };
const path = z.string().min(1).max(4096);

/** `/api/git/changes` and `/api/git/diff` in OpenHands' shapes, on workspace paths only (see `WorkspaceRoots`). */
export function registerGitRoutes(app: FastifyInstance, roots: WorkspaceRoots): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/api/git/changes',
    { schema: { tags, summary: 'Changed files of the repository at path (and those one level below); [] when it is none', querystring: z.object({ path, ref: GitRefSchema.optional() }), response: { 200: z.array(GitChangeSchema), ...errors } } },
    async (request) => gitChanges(await roots.resolve(request.query.path, { existing: true }), request.query.ref),
  );

  routes.get(
    '/api/git/diff',
    {
      schema: {
        tags,
        summary: 'One file against its base (or as a commit changed it); both null outside a repository',
        querystring: z.object({ path, ref: GitRefSchema.optional(), commit: GitShaSchema.optional() }),
        response: { 200: GitDiffSchema, ...errors },
      },
    },
    async (request) => {
      const { ref, commit } = request.query;
      if (ref !== undefined && commit !== undefined) throw new HttpError(400, "'ref' and 'commit' are mutually exclusive");
      const file = await roots.resolve(request.query.path, { existing: commit === undefined });
      return gitDiff(file, { ...(ref === undefined ? {} : { ref }), ...(commit === undefined ? {} : { commit }) });
    },
  );
}
