/** Child-process side of the isolated runner: runs the scripts it is sent, one at a time. */
import { runWastFile } from './runner.js';

process.on('message', (job: { path: string; file: string }) => {
  void runWastFile(job.path, job.file).then((result) => process.send!(result));
});
