/** A tiny typed promise wrapper over IndexedDB: open with an upgrade, run a transaction, await a request. */

export type StoreNames<Schema> = Extract<keyof Schema, string>;

/** Resolves with a request's result, or rejects with its error. */
export function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Opens (and, on a new version, upgrades) a database. */
export function openDatabase(name: string, version: number, upgrade: (db: IDBDatabase, oldVersion: number) => void): Promise<IDBDatabase> {
  const request = indexedDB.open(name, version);
  request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
  return settle(request).then((db) => {
    // Another tab wants a newer version: step aside instead of blocking it.
    db.onversionchange = () => db.close();
    return db;
  });
}

/** A typed handle on a database whose object stores hold `Schema[store]` values. */
export class Database<Schema> {
  constructor(private readonly open: () => Promise<IDBDatabase>) {}

  /**
   * Runs `work` in one transaction over `stores` and resolves with its value once the transaction has committed
   * (rejecting if it aborts, e.g. when storage is full).
   */
  async transaction<T>(stores: StoreNames<Schema>[], mode: IDBTransactionMode, work: (tx: Transaction<Schema>) => Promise<T> | T): Promise<T> {
    const db = await this.open();
    const tx = db.transaction(stores, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
      tx.onerror = () => reject(tx.error);
    });
    const value = await work(new Transaction<Schema>(tx));
    await done;
    return value;
  }
}

/** The stores of one transaction, typed. */
export class Transaction<Schema> {
  constructor(private readonly tx: IDBTransaction) {}

  get<S extends StoreNames<Schema>>(store: S, key: IDBValidKey): Promise<Schema[S] | undefined> {
    return settle(this.tx.objectStore(store).get(key)) as Promise<Schema[S] | undefined>;
  }

  getAll<S extends StoreNames<Schema>>(store: S): Promise<Schema[S][]> {
    return settle(this.tx.objectStore(store).getAll()) as Promise<Schema[S][]>;
  }

  put<S extends StoreNames<Schema>>(store: S, value: Schema[S], key?: IDBValidKey): Promise<IDBValidKey> {
    return settle(this.tx.objectStore(store).put(value, key));
  }

  delete<S extends StoreNames<Schema>>(store: S, key: IDBValidKey): Promise<undefined> {
    return settle(this.tx.objectStore(store).delete(key));
  }

  clear<S extends StoreNames<Schema>>(store: S): Promise<undefined> {
    return settle(this.tx.objectStore(store).clear());
  }
}
