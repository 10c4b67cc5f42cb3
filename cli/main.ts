#!/usr/bin/env node
/** The changewatch command line: one subcommand per job an analyst runs. */
import { Command } from "commander";
import { ChangewatchError } from "../pipeline/errors.js";
import { SOFTWARE } from "../pipeline/version.js";
import { registerDetect } from "./detect-command.js";
import { registerEval } from "./eval-command.js";
import { registerTrain } from "./train-command.js";
import { registerJobs } from "./jobs-command.js";
import { registerScan } from "./scan-command.js";
import { registerSchedule } from "./schedule-command.js";
import { registerSites } from "./sites-command.js";
import { registerReport } from "./report-command.js";
import { registerServe } from "./serve-command.js";
import { registerSubmit } from "./submit-command.js";
import { registerWorker } from "./worker-command.js";

const program = new Command();
program
  .name("changewatch")
  .description("Satellite-image change detection for new construction at watched sites")
  .version(SOFTWARE.version);
registerDetect(program);
registerEval(program);
registerTrain(program);
registerWorker(program);
registerSubmit(program);
registerJobs(program);
registerSites(program);
registerScan(program);
registerSchedule(program);
registerReport(program);
registerServe(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ChangewatchError) {
    console.error(`error: ${err.message}`);
  } else {
    console.error(`error: ${(err as Error)?.stack ?? err}`);
  }
  process.exitCode = 1;
}
