import { constants } from 'node:fs';
import { access, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { RunbookBackupStore } from '@nexus-cos/plugin-runbook-node';

/**
 * The built-in backup store: one file per backup under `runbook.backup.store.directory`.
 * A file is written under a temporary name and renamed when complete, so a crash never
 * leaves a partial artifact under a backup's key.
 */
export class DirectoryBackupStore implements RunbookBackupStore {
  readonly id = 'directory';

  constructor(readonly directory: string) {}

  async put(key: string, file: string): Promise<void> {
    const destination = this.#path(key);
    await mkdir(path.dirname(destination), { recursive: true, mode: 0o700 });
    const partial = `${destination}.partial`;
    try {
      await copyFile(file, partial);
      await rename(partial, destination);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<string> {
    const file = this.#path(key);
    try {
      await access(file, constants.R_OK);
    } catch {
      throw new Error(`The backup store has no file ${key}`);
    }
    return file;
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  /** Keys are ours, but a path outside the directory is refused all the same. */
  #path(key: string): string {
    return resolveSafeChildPath(this.directory, key);
  }
}
