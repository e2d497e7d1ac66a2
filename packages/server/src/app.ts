import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type RouteOptions } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { CodedError, RECORDING_SCHEMAS, largestRecordingBytes, type SchemaRegistry } from '@dystrack/core';
import type { ServerConfig } from './config.js';
import type { Db } from './db/database.js';
import { installErrorHandler, toErrorResponse } from './http/errors.js';
import { installSecurity, setSecurityHeaders } from './http/security.js';
import { registerApi } from './api/index.js';

/** What the app needs from outside: the database and the configuration. */
export interface AppDeps {
  db: Db;
  config: ServerConfig;
  /** The published recording schema versions (tests may add a newer one). */
  schemas?: SchemaRegistry;
  /** The database kind, for the health route. */
  databaseKind?: 'pglite' | 'postgres';
  /**
   * Called with the options of every route as it is registered (the route-table test collects them).
   * Read `config` after `ready()`: plugins may still add to it while registering.
   */
  onRoute?: (route: RouteOptions) => void;
}

/** The typed Fastify instance every route module receives. */
export type App = FastifyInstance & { withTypeProvider: () => FastifyInstance };

/** Upload size limit: the largest recording any task can produce, plus JSON slack. */
export const BODY_LIMIT_BYTES = largestRecordingBytes() + 64 * 1024;

/**
 * Builds the Fastify app without listening: tests drive it with `inject`, `serve` calls `listen`.
 * @param deps - database and configuration
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    routerOptions: { ignoreTrailingSlash: true },
    // errors found before routing (an undecodable URL) get the same coded body as all others
    frameworkErrors: (error, _request, typedReply) => {
      const reply = typedReply as FastifyReply;
      const { status, body } = toErrorResponse(error);
      setSecurityHeaders(reply);
      return reply.code(status).type('application/json; charset=utf-8').send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  installErrorHandler(app);
  // Every body is JSON: anything else is 415, including text/plain, which Fastify would parse by default.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);
  // gzip, deflate and br request bodies; bodyLimit applies to the decompressed size
  await app.register(fastifyCompress, {
    global: true,
    threshold: 2048,
    encodings: ['br', 'gzip', 'deflate'],
  });
  await app.register(fastifyRateLimit, { global: false });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Dystrack API',
        version: '1',
        description:
          'HTTP API of Dystrack. State-changing requests need the `x-csrf-token` header equal to the `dystrack_csrf` cookie. ' +
          'Errors are `{ code, message, details }` with a stable `E_…` code.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'dystrack_session' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    // the documentation pages are public; the plugin's routes get the access rule every route needs
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: { public: true } };
    });
    await docs.register(fastifySwaggerUi, {
      routePrefix: '/api/docs',
      uiConfig: { deepLinking: false, validatorUrl: null },
      uiHooks: { onRequest: async (_request, reply) => setSecurityHeaders(reply) },
      staticCSP: false,
    });
  });

  const secureCookies = (config.publicUrl ?? '').startsWith('https://');
  installSecurity(app, { db: deps.db, secureCookies });

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: { public: true } } }, async () =>
    app.swagger(),
  );

  await app.register(registerApi, {
    db: deps.db,
    config,
    schemas: deps.schemas ?? RECORDING_SCHEMAS,
    databaseKind: deps.databaseKind ?? 'pglite',
    secureCookies,
  });

  const webDir = config.webDir;
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    await app.register(async (web) => {
      // the web app's files are public (the data they show comes from the API, which checks access)
      web.addHook('onRoute', (route) => {
        route.config = { ...route.config, access: { public: true } };
        route.schema = { ...route.schema, hide: true };
      });
      await web.register(fastifyStatic, {
        root: webDir,
        wildcard: false,
        index: false,
        setHeaders: (reply, path) => {
          // Vite names built assets by content hash: they never change under the same name
          if (path.includes('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
          else reply.header('cache-control', 'no-cache');
        },
      });
      // every other path is a page of the single-page app, except API routes and missing files
      web.get('/*', (request, reply) => {
        const path = request.url.split('?')[0] ?? '/';
        if (path.startsWith('/api/') || /\.[a-z0-9]+$/i.test(path)) {
          throw new CodedError('E_ROUTE_NOT_FOUND', undefined, { method: request.method, url: path });
        }
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      });
    });
  }
  app.setNotFoundHandler((request, reply) => {
    setSecurityHeaders(reply);
    const error = new CodedError('E_ROUTE_NOT_FOUND', undefined, {
      method: request.method,
      url: request.url.split('?')[0],
    });
    return reply.code(404).send(error.toBody());
  });
  return app;
}
