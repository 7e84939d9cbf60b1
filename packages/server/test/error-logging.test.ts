import { describe, expect, it } from 'vitest';
import type { Logger } from '@troupe/core';
import { createServer } from '@troupe/server';
import { tempDir } from './helpers.js';

describe('a 500 can be traced', () => {
  it('is logged with its error id and stack; the response gives the id and no internals', async () => {
    const errors: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message, fields) => errors.push({ message, fields }) };
    const { app } = await createServer({ persistenceDir: tempDir(), threads: 1, logger });
    app.get('/api/fault', async () => {
      throw new Error('the disk is on fire');
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/api/fault?x=1' });
      expect(response.statusCode).toBe(500);
      const body = response.json();
      expect(body).toEqual({ detail: 'Internal Server Error', error_id: expect.any(String) });
      expect(response.body).not.toContain('on fire');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.fields).toMatchObject({ error_id: body.error_id, stack: expect.stringContaining('the disk is on fire') });
      expect(errors[0]!.fields!.stack).toContain('error-logging.test.ts');
      expect(errors[0]!.message).toContain(body.error_id);
      expect(errors[0]!.message).toContain('GET /api/fault');
    } finally {
      await app.close();
    }
  });
});
