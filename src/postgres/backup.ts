import type { StoreKey } from '../core/records.js';
import type { BackupFacts, StorePort } from '../core/store-port.js';
export async function backupToSqlite(_source: StorePort, _out: string, _key: StoreKey): Promise<BackupFacts> {
  throw new Error('TODO after merge');
}
