/** The Redis package, loaded only when a command is given a `redis://` URL: the default install needs no Redis. */
export type RedisPackage = typeof import('@troupe/redis');

export async function loadRedisPackage(option: string): Promise<RedisPackage> {
  try {
    return await import('@troupe/redis');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('@troupe/redis')) {
      throw new Error(`${option} needs the @troupe/redis package (BullMQ and ioredis): install it beside troupe, e.g. npm install @troupe/redis.`);
    }
    throw error;
  }
}
