/**
 * The queues of one changewatch deployment (one Redis key prefix): pair, tile and assemble,
 * plus the flow producer that adds a run's assemble job together with its tile jobs.
 */
import { FlowProducer, Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueSettings } from "../config/schema.js";
import { jobCatalogue, type JobName } from "./job-catalogue.js";

export class RunQueues {
  readonly pair: Queue;
  readonly tile: Queue;
  readonly assemble: Queue;
  /** Site scans: the job schedulers add their jobs here. */
  readonly scan: Queue;
  readonly scanRecord: Queue;
  readonly flow: FlowProducer;

  constructor(
    connection: Redis,
    readonly settings: QueueSettings,
  ) {
    const opts = { connection, prefix: settings.prefix };
    this.pair = new Queue(jobCatalogue.pair.queue, opts);
    this.tile = new Queue(jobCatalogue.tile.queue, opts);
    this.assemble = new Queue(jobCatalogue.assemble.queue, opts);
    this.scan = new Queue(jobCatalogue.scan.queue, opts);
    this.scanRecord = new Queue(jobCatalogue["scan-record"].queue, opts);
    this.flow = new FlowProducer(opts);
  }

  queue(name: JobName): Queue {
    return name === "scan-record" ? this.scanRecord : this[name];
  }

  /**
   * Options every changewatch job gets: retries with exponential backoff for transient
   * faults (bad input fails at once through UnrecoverableError). Completed pair and assemble
   * jobs are kept, so a resubmitted pair is recognised by its job id; tile jobs are kept a day.
   */
  jobOptions(name: JobName, jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.settings.attempts,
      backoff: { type: "exponential", delay: this.settings.backoffMs },
      removeOnComplete: name === "tile" ? { age: 24 * 3600, count: 100_000 } : false,
      removeOnFail: false,
    };
  }

  async close(): Promise<void> {
    await Promise.all([
      this.pair.close(),
      this.tile.close(),
      this.assemble.close(),
      this.scan.close(),
      this.scanRecord.close(),
      this.flow.close(),
    ]);
  }
}
