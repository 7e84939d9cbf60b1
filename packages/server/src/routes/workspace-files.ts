import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../http-error.js';
import { pathErrorStatus, type WorkspaceRoots } from '../workspace-roots.js';
import { apiErrorResponses } from './error-responses.js';
import { ErrorResponseSchema } from '../wire-schemas.js';

const tags = ['files'];
const PathQuerySchema = z.object({ path: z.string().min(1).max(4096) });
const UploadResponseSchema = z.object({ success: z.literal(true), file_size: z.number().int().nonnegative() });
const errors = { ...apiErrorResponses, 400: ErrorResponseSchema, 403: ErrorResponseSchema, 413: ErrorResponseSchema };

/** A failed upload as its 4xx: too large, a path that cannot be written, or a malformed multipart body. */
function malformed(error: unknown): unknown {
  if (error instanceof HttpError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new HttpError(413, "The file is larger than the server's upload limit.");
  const pathError = pathErrorStatus(error);
  if (pathError) return pathError;
  // Anything else the multipart parser threw is about the body it was sent.
  if (code === undefined || code.startsWith('FST_') || !/^E[A-Z]+$/.test(code)) return new HttpError(400, `Malformed multipart body: ${(error as Error).message ?? String(error)}`);
  return error;
}

/**
 * `/api/file/upload?path=` (multipart, field `file`) and `/api/file/download?path=`: workspace
 * paths only (see `WorkspaceRoots`). An upload is written to a temporary file beside the target
 * and renamed onto it, so a reader never sees half a file and a symbolic link at the target is
 * replaced, never followed.
 */
export function registerWorkspaceFileRoutes(app: FastifyInstance, roots: WorkspaceRoots): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/file/upload',
    { schema: { tags, summary: 'Upload a file (multipart field "file") to an absolute path inside a workspace', consumes: ['multipart/form-data'], querystring: PathQuerySchema, response: { 200: UploadResponseSchema, ...errors } } },
    async (request) => {
      if (!request.isMultipart()) throw new HttpError(415, 'Send the file as multipart/form-data in a field named "file".');
      const target = await roots.resolve(request.query.path, { existing: false });
      const existing = await stat(target).catch(() => null);
      if (existing?.isDirectory()) throw new HttpError(400, `Path ${JSON.stringify(request.query.path)} is a directory.`);
      const part = await request.file().catch((error: unknown) => Promise.reject(malformed(error)));
      if (!part || part.fieldname !== 'file') throw new HttpError(422, 'The multipart body has no field named "file".');
      await mkdir(dirname(target), { recursive: true }).catch((error: unknown) => Promise.reject(pathErrorStatus(error) ?? error));
      const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.upload`);
      try {
        await pipeline(part.file, createWriteStream(temporary, { flags: 'wx' }));
        if (part.file.truncated) throw new HttpError(413, "The file is larger than the server's upload limit.");
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw malformed(error);
      }
      return { success: true as const, file_size: (await stat(target)).size };
    },
  );

  routes.get(
    '/api/file/download',
    { schema: { tags, summary: 'Download a file at an absolute path inside a workspace (raw bytes)', querystring: PathQuerySchema, response: { 200: z.any(), ...errors } } },
    async (request, reply) => {
      const source = await roots.resolve(request.query.path, { existing: true });
      const info = await stat(source);
      if (!info.isFile()) throw new HttpError(400, 'Path is not a file');
      return reply
        .type('application/octet-stream')
        .header('content-length', info.size)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(basename(source))}"`)
        .send(createReadStream(source));
    },
  );
}
