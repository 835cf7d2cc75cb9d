// The controller manager: builds the enabled controllers, starts the shared informers once
// every controller has asked for its own, and runs them all in this process.
import type { Client } from '../client/client.js';
import { EventRecorder } from '../client/events.js';
import { InformerFactory } from '../client/informer.js';
import { realClock, type Clock, type Controller, type ControllerContext, type ControllerFactory } from './controller.js';

export interface ControllerManagerOptions {
  /** As `--controllers`: `*` for all, a name to enable, `-name` to disable (default `*`). */
  controllers?: string[];
  clock?: Clock;
  log?: (line: string) => void;
}

/** Whether `name` is on, by upstream's `--controllers` rules. */
export function controllerEnabled(name: string, spec: string[]): boolean {
  if (spec.includes(`-${name}`)) return false;
  return spec.includes(name) || spec.includes('*');
}

export class ControllerManager {
  private readonly informers: InformerFactory;
  private readonly recorders: EventRecorder[] = [];
  private readonly running: Controller[] = [];
  private runs: Promise<void>[] = [];

  constructor(
    private readonly client: Client,
    private readonly factories: Record<string, ControllerFactory>,
    private readonly opts: ControllerManagerOptions = {},
  ) {
    this.informers = new InformerFactory(client);
  }

  async start(): Promise<void> {
    const ctx: ControllerContext = {
      client: this.client,
      informers: this.informers,
      recorder: (component) => {
        const r = new EventRecorder(this.client, { component });
        this.recorders.push(r);
        return r;
      },
      clock: this.opts.clock ?? realClock,
      log: this.opts.log ?? ((line) => process.stderr.write(`k8ts: ${line}\n`)),
    };
    const spec = this.opts.controllers ?? ['*'];
    for (const [name, factory] of Object.entries(this.factories)) {
      if (!controllerEnabled(name, spec)) continue;
      const controller = factory(ctx);
      controller.setup();
      this.running.push(controller);
    }
    this.informers.start();
    await this.informers.waitForSync();
    this.runs = this.running.map((c) => c.run());
  }

  /** The running controller of that name (tests use it to reach a controller's queue). */
  controller(name: string): Controller | undefined {
    return this.running.find((c) => c.name === name);
  }

  async stop(): Promise<void> {
    for (const c of this.running) c.stop();
    this.informers.stop();
    await Promise.all(this.runs);
    await Promise.all(this.recorders.map((r) => r.flush()));
  }
}
