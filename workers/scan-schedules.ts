/**
 * The BullMQ job schedulers that fire site scans, kept in step with the sites file: one
 * scheduler per site (id `site:<siteId>`), adding a `scan` job per tick. Syncing adds new
 * sites, updates changed schedules and removes schedulers whose site is gone; a second sync
 * changes nothing. Schedulers with other ids are left alone.
 */
import type { JobSchedulerJson, RepeatOptions } from "bullmq";
import type { Schedule, SiteConfig } from "../config/site-schema.js";
import type { JobPayload } from "./job-catalogue.js";
import type { RunQueues } from "./run-queues.js";

const SCHEDULER_PREFIX = "site:";

export type ScheduleAction = "added" | "updated" | "removed" | "unchanged";

export interface ScheduleChange {
  siteId: string;
  action: ScheduleAction;
  /** The schedule in words: "cron 0 6 * * 1 (Asia/Pyongyang)" or "every 360 min". */
  schedule: string;
}

export function schedulerId(siteId: string): string {
  return `${SCHEDULER_PREFIX}${siteId}`;
}

export function describeSchedule(schedule: Schedule): string {
  return schedule.type === "cron"
    ? `cron ${schedule.cron} (${schedule.tz})`
    : `every ${schedule.minutes} min`;
}

function repeatOptions(schedule: Schedule): Omit<RepeatOptions, "key"> {
  return schedule.type === "cron"
    ? { pattern: schedule.cron, tz: schedule.tz }
    : { every: Math.round(schedule.minutes * 60_000) };
}

function sameSchedule(existing: JobSchedulerJson, schedule: Schedule, siteId: string): boolean {
  const want = repeatOptions(schedule);
  return (
    (existing.pattern ?? undefined) === want.pattern &&
    (existing.tz ?? undefined) === want.tz &&
    (existing.every === undefined ? undefined : Number(existing.every)) === want.every &&
    existing.template?.data?.siteId === siteId
  );
}

/** The site schedulers now in Redis, by site id. */
export async function siteSchedulers(queues: RunQueues): Promise<Map<string, JobSchedulerJson>> {
  const all = await queues.scan.getJobSchedulers(0, -1, true);
  const out = new Map<string, JobSchedulerJson>();
  for (const s of all) {
    const id = s.id ?? s.key;
    if (id.startsWith(SCHEDULER_PREFIX)) out.set(id.slice(SCHEDULER_PREFIX.length), s);
  }
  return out;
}

export async function syncSchedules(
  queues: RunQueues,
  sites: readonly SiteConfig[],
): Promise<ScheduleChange[]> {
  const existing = await siteSchedulers(queues);
  const changes: ScheduleChange[] = [];
  for (const site of sites) {
    const current = existing.get(site.id);
    const schedule = describeSchedule(site.schedule);
    if (current && sameSchedule(current, site.schedule, site.id)) {
      changes.push({ siteId: site.id, action: "unchanged", schedule });
      continue;
    }
    const data: JobPayload<"scan"> = { siteId: site.id };
    await queues.scan.upsertJobScheduler(schedulerId(site.id), repeatOptions(site.schedule), {
      name: "scan",
      data,
      opts: {
        attempts: queues.settings.attempts,
        backoff: { type: "exponential", delay: queues.settings.backoffMs },
        // A scheduler adds a job per tick: keep recent ones to look at, not all of them.
        removeOnComplete: { count: 200 },
        removeOnFail: { count: 200 },
      },
    });
    changes.push({ siteId: site.id, action: current ? "updated" : "added", schedule });
  }
  const wanted = new Set(sites.map((s) => s.id));
  for (const [siteId, scheduler] of existing) {
    if (wanted.has(siteId)) continue;
    await queues.scan.removeJobScheduler(schedulerId(siteId));
    changes.push({
      siteId,
      action: "removed",
      schedule: scheduler.pattern
        ? `cron ${scheduler.pattern}`
        : `every ${Number(scheduler.every) / 60_000} min`,
    });
  }
  return changes;
}
