import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { SqliteStore } from '../../src/storage/sqlite.js';
import { valueFor } from './durability-writer.js';

const WRITER = fileURLToPath(new URL('./durability-writer.js', import.meta.url));
const OBJECTS = 1000;
const IN_FLIGHT = 32;

/** Runs the writer until it has acknowledged `killAfter` writes, then SIGKILLs it; returns the acknowledged keys. */
function writeUntilKilled(path: string, prefix: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, prefix, String(OBJECTS), String(IN_FLIGHT)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      acked.push(...lines);
      if (acked.length >= killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`writer exited with ${code ?? signal}`));
      else resolve(acked);
    });
  });
}

test('sqlite: every acknowledged write survives SIGKILL of the writer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-durability-'));
  const path = join(dir, 'state.db');
  try {
    // Kill points spread over the run; each round reopens the file the previous one crashed on.
    const killPoints = [50 + Math.floor(Math.random() * 250), 300 + Math.floor(Math.random() * 300), 600 + Math.floor(Math.random() * 350)];
    let expectedRevision = 0;
    for (const [round, killAfter] of killPoints.entries()) {
      const prefix = `/registry/configmaps/round${round}/`;
      const acked = await writeUntilKilled(path, prefix, killAfter);
      assert.ok(acked.length >= Math.min(killAfter, OBJECTS), `round ${round}: ${acked.length} acknowledged`);

      const store = SqliteStore.open(path);
      try {
        for (const key of acked) {
          const kv = await store.get(key);
          assert.ok(kv, `round ${round}: acknowledged ${key} is missing after the crash`);
          assert.equal(kv.value, valueFor(key));
        }
        // Writes in flight at the kill may or may not have committed, but never partially:
        // revisions stay dense and every stored object is whole.
        const stored = (await store.list(prefix)).items;
        assert.ok(stored.length >= acked.length);
        for (const kv of stored) assert.equal(kv.value, valueFor(kv.key));
        expectedRevision += stored.length;
        assert.equal(await store.currentRevision(), expectedRevision);
      } finally {
        await store.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
