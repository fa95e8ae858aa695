/** Which engine a store runs on. Its own file so migrations can name it without importing store.ts, which imports them. */
export type StoreKind = 'sqlite' | 'postgres';
