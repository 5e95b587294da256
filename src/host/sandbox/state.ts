import type { SandboxConfig } from './config.js';
import { SandboxError } from './errors.js';
import type { FuelAccount } from './fuel.js';

const utf8 = new TextDecoder('utf-8');

/** What one execution's host functions share: the input, the output and logs so far, and the fuel account. */
export class ExecutionState {
  readonly input: Uint8Array;
  readonly config: SandboxConfig;
  readonly fuel: FuelAccount;
  /** Host functions may return Promises (executeAsync). */
  readonly async: boolean;
  /** Extra fuel per byte a host function copies: the rate of memory.copy (DESIGN.md section 2). */
  readonly bytesPerFuel: number;
  readonly logs: string[] = [];
  private readonly outputChunks: Uint8Array[] = [];
  private outputBytes = 0;
  private logBytes = 0;

  constructor(input: Uint8Array, config: SandboxConfig, fuel: FuelAccount, async: boolean, bytesPerFuel: number) {
    this.input = input;
    this.config = config;
    this.fuel = fuel;
    this.async = async;
    this.bytesPerFuel = bytesPerFuel;
  }

  /** Throws HostError, changing nothing, when `length` more output bytes would pass the output limit. */
  checkOutputRoom(length: number): void {
    const limit = this.config.outputLimitBytes;
    if (this.outputBytes + length > limit) {
      throw new SandboxError('HostError', `host_write_output of ${length} bytes would exceed the output limit of ${limit} bytes (${this.outputBytes} written so far)`);
    }
  }

  /** Appends a copy of `bytes` to the output (after checkOutputRoom). */
  appendOutput(bytes: Uint8Array): void {
    this.outputChunks.push(bytes.slice());
    this.outputBytes += bytes.length;
  }

  /** Throws HostError, changing nothing, when `length` more log bytes would pass the log limit. */
  checkLogRoom(length: number): void {
    const limit = this.config.logLimitBytes;
    if (this.logBytes + length > limit) {
      throw new SandboxError('HostError', `logging ${length} more bytes would exceed the log limit of ${limit} bytes (${this.logBytes} logged so far)`);
    }
  }

  /** Records a log message; invalid UTF-8 becomes U+FFFD, since logs are for reading, not parsing. */
  appendLog(bytes: Uint8Array): void {
    this.logs.push(utf8.decode(bytes));
    this.logBytes += bytes.length;
  }

  output(): Uint8Array {
    const output = new Uint8Array(this.outputBytes);
    let offset = 0;
    for (const chunk of this.outputChunks) {
      output.set(chunk, offset);
      offset += chunk.length;
    }
    return output;
  }
}
