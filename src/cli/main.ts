#!/usr/bin/env node
// The `k8ts` command: parses arguments and calls cluster/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultDataDir, startServer, type RunningServer, type StoreKind } from '../cluster/server.js';
import { startAllInOne } from '../cluster/allinone.js';

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function endpoints(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

interface ServeFlags {
  dataDir: string;
  port: number;
  store: StoreKind;
  etcdEndpoints?: string[];
  disableAdmissionPlugins?: string[];
  controllers?: string[];
}

function say(line: string): void {
  process.stderr.write(`k8ts: ${line}\n`);
}

/** Runs until SIGTERM/SIGINT, then shuts down cleanly. */
function runUntilSignalled(running: RunningServer): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    running.stop().then(
      () => process.exit(0),
      (err: Error) => {
        say(`shutdown failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

function serveOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'where the state and kubeconfig.yaml live', defaultDataDir())
    .option('--port <port>', 'the API server port', portNumber, 6443)
    .addOption(new Option('--store <kind>', 'where state is kept').choices(['sqlite', 'etcd', 'memory']).default('sqlite'))
    .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated (with --store etcd)', endpoints)
    .option('--disable-admission-plugins <names>', 'admission plugins to switch off, comma-separated', endpoints)
    .option('--controllers <names>', "controllers to run, comma-separated: '*' all, 'name' on, '-name' off", endpoints);
}

async function serve(flags: ServeFlags, ready: string, nodes?: number): Promise<void> {
  const started = Date.now();
  const opts = {
    dataDir: flags.dataDir,
    port: flags.port,
    store: flags.store,
    etcdEndpoints: flags.etcdEndpoints,
    disableAdmissionPlugins: flags.disableAdmissionPlugins,
    controllers: flags.controllers,
    log: say,
  };
  const running = nodes === undefined ? await startServer(opts) : await startAllInOne({ ...opts, nodes });
  runUntilSignalled(running);
  process.stdout.write(`${ready} in ${Date.now() - started} ms\nKUBECONFIG=${running.kubeconfigPath}\n`);
}

function nodeCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

const program = new Command()
  .name('k8ts')
  .description('Kubernetes, written in TypeScript')
  .version(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string)
  .showHelpAfterError(false);

serveOptions(program.command('server').description('run the control plane: API server, controllers and scheduler')).action(
  (flags: ServeFlags) => serve(flags, 'k8ts server is ready'),
);

serveOptions(program.command('up').description('run a whole cluster in one process and print the KUBECONFIG path when it is ready'))
  .addOption(new Option('--runtime <runtime>', 'how pods run: simulated (no containers); containerd is not implemented yet').choices(['containerd', 'simulated']).default('simulated'))
  .option('--nodes <n>', 'number of nodes', nodeCount, 1)
  .action((flags: ServeFlags & { runtime: string; nodes: number }) => {
    if (flags.runtime === 'containerd') throw new Error('--runtime containerd is not implemented yet; use --runtime simulated');
    return serve(flags, 'k8ts is ready', flags.nodes);
  });

program
  .command('kubeconfig')
  .description('print the admin kubeconfig')
  .option('--data-dir <dir>', 'the data dir of the cluster', defaultDataDir())
  .action((flags: { dataDir: string }) => {
    const path = join(flags.dataDir, 'kubeconfig.yaml');
    try {
      process.stdout.write(readFileSync(path, 'utf8'));
    } catch {
      throw new Error(`no kubeconfig at ${path}: start a cluster with 'k8ts up' or 'k8ts server' first`);
    }
  });

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`k8ts: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
});
