/** What every route needs: settings, the queues and their Redis connection, and the image location rules. */
import type { Redis } from "ioredis";
import type { ApiSettings, Settings } from "../config/schema.js";
import type { RunQueues } from "../workers/run-queues.js";
import type { ImageLocations } from "./image-locations.js";

export interface ApiContext {
  settings: Settings;
  api: ApiSettings;
  connection: Redis;
  queues: RunQueues;
  locations: ImageLocations;
}
