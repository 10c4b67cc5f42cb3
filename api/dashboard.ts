/** The BullMQ dashboard (bull-board) at /admin/queues, over the deployment's pair, tile and assemble queues. */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance } from "fastify";
import { JOB_NAMES } from "../workers/job-catalogue.js";
import type { RunQueues } from "../workers/run-queues.js";

export const DASHBOARD_PATH = "/admin/queues";

export async function registerDashboard(app: FastifyInstance, queues: RunQueues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: JOB_NAMES.map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter,
  });
  serverAdapter.setBasePath(DASHBOARD_PATH);
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
}
