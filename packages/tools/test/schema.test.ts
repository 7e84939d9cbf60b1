import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { toModelTool } from '@troupe/core';
import {
  FileEditorParamsSchema,
  TaskTrackerParamsSchema,
  TerminalParamsSchema,
  builtinToolProviders,
} from '../src/index.js';
import { fakeEnvironment } from './helpers.js';

type JsonSchema = { properties: Record<string, Record<string, unknown>>; required?: string[] };
const inputSchema = (schema: z.ZodObject) => z.toJSONSchema(schema, { io: 'input' }) as unknown as JsonSchema;

describe('parameter schemas', () => {
  test('terminal: timeout is a plain number, command is the only required field', () => {
    const schema = inputSchema(TerminalParamsSchema);
    expect(Object.keys(schema.properties)).toEqual(['command', 'is_input', 'timeout', 'reset']);
    expect(schema.properties.timeout).toMatchObject({ type: 'number', minimum: 0 });
    expect(schema.properties.timeout).not.toHaveProperty('anyOf');
    expect(schema.properties.is_input).toMatchObject({ type: 'boolean', default: false });
    expect(schema.required).toEqual(['command']);
  });

  test('file_editor: command enum, integer view_range and insert_line', () => {
    const schema = inputSchema(FileEditorParamsSchema);
    expect(schema.properties.command).toMatchObject({ enum: ['view', 'create', 'str_replace', 'insert', 'undo_edit'] });
    expect(schema.properties.view_range).toMatchObject({ type: 'array', items: { type: 'integer' } });
    expect(schema.properties.insert_line).toMatchObject({ type: 'integer', minimum: 0 });
    expect(schema.required).toEqual(['command', 'path']);
  });

  test('task_tracker: nothing required at the top, items need a title', () => {
    const schema = inputSchema(TaskTrackerParamsSchema);
    expect(schema.required ?? []).toEqual([]);
    expect(schema.properties.task_list).toMatchObject({
      type: 'array',
      items: { required: ['title'], properties: { status: { enum: ['todo', 'in_progress', 'done'] } } },
    });
  });
});

describe('registry', () => {
  test('the providers make tools named as registered; those with side effects get security_risk first', async () => {
    const environment = fakeEnvironment();
    expect(builtinToolProviders.map((provider) => provider.name)).toEqual([
      'terminal',
      'file_editor',
      'task_tracker',
      'glob',
      'grep',
      'apply_patch',
      'planning_file_editor',
    ]);
    for (const provider of builtinToolProviders) {
      const tool = await provider.create(environment, {});
      expect(tool.name).toBe(provider.name);
      expect(tool.readOnly).toBe(['glob', 'grep'].includes(tool.name));
      const properties = Object.keys(toModelTool(tool).parameters.properties as object);
      if (tool.readOnly) expect(properties).not.toContain('security_risk');
      else expect(properties[0]).toBe('security_risk');
      await tool.close?.();
    }
    environment.cleanup();
  });
});
