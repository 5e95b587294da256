#!/usr/bin/env node
/** The `purewasm` command: run, validate, print, wast. */

import { ExitCode, UsageError, describeFailure } from './failure.js';
import { parseRunOptions, runCommand } from './run.js';
import { parsePrintOptions, printCommand } from './print.js';
import { parseValidateOptions, validateCommand } from './validate.js';
import { parseWastOptions, wastCommand } from './wast.js';

const HELP = `usage:
  purewasm run FILE [ARGS...] [OPTIONS]     run a WASI command (its _start); ARGS are its argv after FILE
  purewasm run FILE --invoke NAME [ARGS...] call the export NAME with ARGS parsed by its parameter types
  purewasm validate FILE [--json]           check that FILE is a valid module
  purewasm print FILE [--output OUT]        print a module as text (to stdout, or to OUT)
  purewasm wast FILE... [--json]            run WebAssembly spec test scripts

FILE is a module in the binary format (.wasm) or the text format (.wat).

run options:
  --invoke NAME       call export NAME and print its results, one per line
  --fuel N            stop after N units of fuel (1 per executed instruction)
  --max-memory BYTES  limit each linear memory (e.g. 1048576, 64K, 16M, 1G)
  --timeout MS        stop after MS milliseconds of wall time
  --dir HOST::GUEST   give the guest the host directory HOST as GUEST (repeatable; --dir DIR: same path)
  --env NAME=VALUE    set a guest environment variable (repeatable)
  --stats             print fuel consumed, instructions, wall time and peak memory to stderr
  --profile FILE      write a fuel profile as folded stacks to FILE; print the top functions to stderr
  --json              print results and statistics as one JSON object on the last line of stdout
  --                  end of options: every later word is an argument

  Arguments: integers in decimal or 0x hex (i64 too), floats as decimals, inf, -inf or nan,
  references as null. Options may come before or after FILE; use -- before guest arguments
  that start with --.

exit codes:
  N  the WASI exit code of the program (0 when _start returns)
  1  a trap, or a module that cannot be read, compiled or linked
  2  a bad command line (unknown option, bad value, wrong arguments for --invoke)
  3  out of fuel (--fuel)
  4  timeout (--timeout)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': {
        const options = parseRunOptions(rest);
        return options ? runCommand(options) : help();
      }
      case 'validate': {
        const options = parseValidateOptions(rest);
        return options ? validateCommand(options) : help();
      }
      case 'print': {
        const options = parsePrintOptions(rest);
        return options ? printCommand(options) : help();
      }
      case 'wast': {
        const options = parseWastOptions(rest);
        return options ? await wastCommand(options) : help();
      }
      case 'help':
      case '--help':
      case '-h':
        return help();
      case undefined:
        process.stderr.write(HELP);
        return ExitCode.usage;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    const failure = describeFailure(error);
    const hint = error instanceof UsageError ? ' (see purewasm --help)' : '';
    process.stderr.write(`error: ${failure.message}${hint}\n`);
    return failure.exitCode;
  }
}

function help(): number {
  process.stdout.write(HELP);
  return ExitCode.ok;
}

process.exitCode = await main(process.argv.slice(2));
