import { helpCommand, isCommand, CLI_HELP } from './cli/help-command';
import { CliFailure, UsageError } from './cli/cli-options';
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
  if (!isCommand(command))
    throw new UsageError(
      `Unknown command "${command}": expected sign, send, mock or inbox. Fix: run "ai-stats-webhooks --help" for the commands.`,
    );
  if (rest.includes('--help') || rest.includes('-h')) {
    out(CLI_HELP[command]);
    return 0;
  }
  return COMMANDS[command](rest, out);
}

/**
 * Runs the CLI as a process: the exit code is the command's; a failure prints one line to stderr
 * (expected / found / fix, no stack) and exits 2 for a usage mistake, else 1. The package's `bin`
 * calls it; the promise settles once the exit code is set.
 *
 * @example
 * ```ts
 * await runCli(process.argv.slice(2));
 * ```
 */
export function runCli(argv: readonly string[]): Promise<void> {
  return main([...argv]).then(
    (code) => void process.exit(code),
    (error: unknown) => {
      console.error(failureLine(error));
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

/**
 * The one line `runCli` prints for a failure: the message with no stack, and for a usage mistake
 * where to find the options.
 *
 * @example
 * ```ts
 * failureLine(new UsageError('--secret is required.')); // 'Error: --secret is required. (see "ai-stats-webhooks --help")'
 * ```
 */
export function failureLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s*\n\s*/g, ' ').trim();
  if (error instanceof UsageError) return `Error: ${line} (see "ai-stats-webhooks --help")`;
  if (error instanceof CliFailure) return `Error: ${line}`;
  const code = (error as { code?: unknown }).code;
  return `Error: ${line}${typeof code === 'string' && !line.includes(code) ? ` (${code})` : ''}`;
}
