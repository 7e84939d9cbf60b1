export { startRedisServer, hasRedisServer, type RedisServer } from './redis-server.js';
