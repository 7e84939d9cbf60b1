/**
 * `troupe`: the whole public API from one import path, e.g.
 * `import { Conversation, Agent, LLM, Supervisor, defineTool, RemoteConversation } from 'troupe'`.
 * A thin bundle of the packages (each package's own index lists its exports by name); two packages
 * exporting one name is a compile error here (TS2308), so the surface stays unambiguous.
 */
export * from '@troupe/core';
export * from '@troupe/tools';
export * from '@troupe/workers';
export * from '@troupe/server';
