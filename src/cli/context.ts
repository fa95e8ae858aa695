/**
 * What every command needs: the validated configuration and an open store,
 * closed again however the command ends.
 */
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { openStore, type Store } from '../store/store.ts';

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

export async function withStore<T>(fn: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = configOrExit();
  const store = await openStore(config.DATABASE_URL);
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}
