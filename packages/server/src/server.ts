import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import { ConfigError, type ConversationStorage, createConsoleLogger, FileConversationStorage, type Logger } from '@troupe/core';
import { Supervisor } from '@troupe/workers';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { assertSafeBinding, installRequestGuards, SessionKeys } from './auth.js';
import { installJsonBodyParser } from './bounded-json.js';
import { BrowserSessions } from './browser-session.js';
import { ConversationService } from './conversation-service.js';
import { frameworkErrors, installErrorHandler, validatorCompiler } from './error-handler.js';
import { registerCondenseRoute } from './routes/condense.js';
import { registerLoadPluginRoute } from './routes/load-plugin.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { registerDashboard } from './routes/dashboard.js';
import { registerEventRoutes } from './routes/events.js';
import { registerBashRoutes } from './routes/bash.js';
import { registerGitRoutes } from './routes/git.js';
import { registerHooksRoutes } from './routes/hooks.js';
import { registerHealthRoutes, SERVER_VERSION, type ServerClock } from './routes/health.js';
import { registerTroupeRoutes } from './routes/troupe.js';
import type { BatchProgress } from './troupe-schemas.js';
import { registerWorkspaceFileRoutes } from './routes/workspace-files.js';
import { WorkspaceRoots } from './workspace-roots.js';
import { WorkspaceShell, type WorkspaceShellLimits } from './workspace-shell.js';
import { DEFAULT_SOCKET_LIMITS, installEventSocket, type SocketLimits } from './websocket.js';

export interface ServerOptions {
  /** Where conversations are stored: `persistenceDir/<id>/` (the file storage; one of this and `storage`). */
  persistenceDir?: string;
  /** Where conversations are stored, e.g. a `RedisConversationStorage` that servers on several machines share (the caller closes it). */
  storage?: ConversationStorage;
  /** Accepted `X-Session-API-Key` values; none = an open server (loopback only). */
  sessionApiKeys?: readonly string[];
  /** Run on this supervisor (the caller closes it); by default the server makes and closes its own. */
  supervisor?: Supervisor;
  /** Worker threads of the server's own supervisor. */
  threads?: number;
  /** Largest accepted request body (and WebSocket frame), in bytes. Default 10 MiB. */
  bodyLimit?: number;
  socketLimits?: Partial<SocketLimits>;
  /** Close a conversation that has been idle (no run, no subscriber) this long; it reopens on its next request. Default 5 minutes. */
  idleReleaseMs?: number;
  /**
   * Directories the file and git routes may reach besides the conversations' workspaces (and
   * where a workspace command without a cwd runs: the first one, else the server's directory).
   */
  workspaceRoots?: readonly string[];
  /** Largest accepted upload (`/api/file/upload`), in bytes. Default 1 GiB. */
  maxUploadBytes?: number;
  workspaceShellLimits?: Partial<WorkspaceShellLimits>;
  logger?: Logger;
  /** Serve the web dashboard at `/` (default true). */
  dashboard?: boolean;
  /** The batch this server serves (`troupe batch --serve`): its progress at `/api/troupe/batch`. */
  batchProgress?: () => BatchProgress;
}

export interface TroupeServer {
  app: FastifyInstance;
  supervisor: Supervisor;
  service: ConversationService;
}

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

/**
 * The agent server, ready to listen: REST routes, the event WebSocket, OpenAPI (`/openapi.json`,
 * `/docs`). Closing the app closes the conversations (running ones end paused) and the supervisor
 * the server made.
 */
export async function createServer(options: ServerOptions): Promise<TroupeServer> {
  const logger = options.logger ?? createConsoleLogger({ prefix: 'server' });
  const storage = serverStorage(options);
  const supervisor = options.supervisor ?? new Supervisor({ ...(options.threads === undefined ? {} : { threads: options.threads }), storage });
  const service = new ConversationService({ supervisor, storage, logger, ...(options.idleReleaseMs === undefined ? {} : { idleReleaseMs: options.idleReleaseMs }) });
  const keys = new SessionKeys(options.sessionApiKeys ?? []);
  const sessions = new BrowserSessions();
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const clock: ServerClock = { startedAt: Date.now(), lastActivityAt: Date.now() };

  const app = Fastify({ bodyLimit, logger: false, frameworkErrors });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, logger);
  installJsonBodyParser(app);
  await app.register(fastifyMultipart, { limits: { fileSize: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 11, fieldSize: 64 * 1024 } });
  await app.register(fastifyWebsocket, { options: { maxPayload: bodyLimit } });
  await app.register(fastifyCookie);
  installRequestGuards(app, keys, sessions);
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (route?.startsWith('/api/') || route?.startsWith('/sockets/')) clock.lastActivityAt = Date.now();
  });
  service.on('run_ended', () => (clock.lastActivityAt = Date.now()));

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Troupe agent server', version: SERVER_VERSION },
      components: { securitySchemes: { sessionApiKey: { type: 'apiKey', in: 'header', name: 'X-Session-API-Key' }, browserSession: { type: 'apiKey', in: 'cookie', name: 'troupe_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  // The API's description is open, like the health routes: every route of the docs UI is public.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' };
    });
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs' });
  });

  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
  registerHealthRoutes(app, clock, service.idleReleaseMs);
  registerConversationRoutes(app, service);
  registerEventRoutes(app, service);
  const roots = new WorkspaceRoots(options.workspaceRoots ?? [], () => service.workspaces());
  const shell = new WorkspaceShell({ defaultCwd: () => roots.defaultDirectory, logger, ...(options.workspaceShellLimits ? { limits: options.workspaceShellLimits } : {}) });
  registerBashRoutes(app, shell);
  registerWorkspaceFileRoutes(app, roots);
  registerGitRoutes(app, roots);
  registerHooksRoutes(app, roots);
  registerCondenseRoute(app, service);
  registerLoadPluginRoute(app, service);
  registerTroupeRoutes(app, service, options.batchProgress);
  if (options.dashboard ?? true) await registerDashboard(app, keys, sessions);
  installEventSocket(app, service, { keys, sessions }, { ...DEFAULT_SOCKET_LIMITS, ...options.socketLimits });

  app.addHook('onClose', async () => {
    shell.close();
    await service.close();
    if (!options.supervisor) await supervisor.close();
  });
  return { app, supervisor, service };
}

function serverStorage(options: ServerOptions): ConversationStorage {
  if (options.storage && options.persistenceDir !== undefined) throw new ConfigError('Pass the server persistenceDir or storage, not both.');
  if (options.storage) return options.storage;
  if (options.persistenceDir === undefined) throw new ConfigError('The server needs somewhere to store conversations: pass persistenceDir (a directory) or storage.');
  return new FileConversationStorage(options.persistenceDir);
}

export interface StartServerOptions extends ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface StartedServer {
  /** `http://host:port`. */
  url: string;
  app: FastifyInstance;
  supervisor: Supervisor;
  service: ConversationService;
  close(): Promise<void>;
}

/** Creates the server and listens; refuses a non-loopback host when no session key is set. */
export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  assertSafeBinding(options.host, new SessionKeys(options.sessionApiKeys ?? []));
  const { app, supervisor, service } = await createServer(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, app, supervisor, service, close: () => app.close() };
}
