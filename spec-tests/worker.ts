/** Child-process side of the isolated runner: runs the scripts it is sent, one at a time. */
import { runWastFile, type ScriptOptions } from './runner.js';

process.on('message', (job: { path: string; file: string; options: ScriptOptions }) => {
  void runWastFile(job.path, job.file, job.options).then((result) => process.send!(result));
});
