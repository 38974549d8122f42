import { helpCommand, isCommand, CLI_HELP } from './cli/help-command';
import { UsageError } from './cli/cli-options';
import { inboxCommand } from './cli/inbox-command';
import { mockCommand } from './cli/mock-command';
import { sendCommand } from './cli/send-command';
import { signCommand } from './cli/sign-command';

/** One CLI command: its arguments (after the command name) in, lines out, the exit code back. */
export type CliCommand = (args: string[], out: (line: string) => void) => Promise<number>;

const COMMANDS: Readonly<Record<'sign' | 'send' | 'mock', CliCommand>> = {
  sign: signCommand,
  send: sendCommand,
  mock: (args, out) => mockCommand(args, out),
};

/**
 * The `ai-stats-webhooks` CLI without the process around it: picks the command and runs it.
 * `--help` anywhere after a command prints that command's help. Without a command it prints the
 * help and answers 2. A usage mistake throws a `UsageError`.
 *
 * @example
 * ```ts
 * const code = await main(['sign', '--secret', 'whsec_test_123', '--body', '{}'], console.log);
 * ```
 */
export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (!command) {
    await helpCommand([], out);
    return 2;
  }
  // inbox parses its own arguments (a subcommand, an event id) and prints its own help.
  if (command === 'inbox') return inboxCommand(rest, out);
  if (command === 'help' && rest[0] === 'inbox') return inboxCommand(['--help'], out);
  if (command === 'help') return helpCommand(rest, out);
  if (command === '--help' || command === '-h') return helpCommand([], out);
  if (!isCommand(command)) throw new UsageError(`Unknown command "${command}". Expected sign, send, mock or inbox.`);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(CLI_HELP[command]);
    return 0;
  }
  return COMMANDS[command](rest, out);
}

/**
 * Runs the CLI as a process: the exit code is the command's, 2 for a usage error (with a hint).
 * The package's `bin` calls it.
 *
 * @example
 * ```ts
 * runCli(process.argv.slice(2));
 * ```
 */
export function runCli(argv: readonly string[]): void {
  main([...argv]).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? `Error: ${error.message}\nRun "ai-stats-webhooks --help".` : error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
