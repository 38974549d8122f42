import { UsageError } from './cli-options';
import { INBOX_HELP } from './inbox-command';

/**
 * The help texts of the CLI: `main` for the tool, one per command.
 *
 * @example
 * ```ts
 * console.log(CLI_HELP.send);
 * ```
 */
export const CLI_HELP: Readonly<Record<'main' | 'sign' | 'send' | 'mock', string>> = Object.freeze({
  main: `ai-stats-webhooks <command> [options]

Commands:
  sign   Print the signature headers for a body
  send   POST a signed delivery of an event type to a URL
  mock   Start the mock AI Stats gateway on 127.0.0.1
  inbox  Inspect and replay the inbox of inbox mode (stats, list, replay, retry-dead)

Run "ai-stats-webhooks <command> --help" for a command's options.`,
  sign: `ai-stats-webhooks sign --secret <whsec_…> [--body <json> | --file <path>] [options]

Prints the headers the sender would send with this exact body (read from stdin when neither
--body nor --file is given).

  --secret <s>       signing secret (required)
  --body <json>      the body, byte for byte
  --file <path>      read the body from a file
  --timestamp <sec>  Unix seconds (default: now)
  --prefix <p>       phaseo (default) or ai-stats
  --json             print {headers, body} as JSON`,
  send: `ai-stats-webhooks send --url <url> --secret <whsec_…> [options]

Builds a delivery the way the sender does, signs it and POSTs it. Exits 0 on a 2xx answer.

  --url <url>        receiver URL (required)
  --secret <s>       signing secret (required)
  --type <type>      event type, e.g. video.completed (default), video.progress, batch.failed
                     (no batch.status_changed or batch.expired: the sender sends neither)
  --job <id>         job id: letters, digits, _ - . : (default: G-01KA7Q3M9V2X5C8B4N6D1F0H7J)
  --progress <n>     reading for progress events, 0 < n < 100 (default 50)
  --attempt <n>      attempt number 1–4 (default 1)
  --prefix <p>       phaseo (default) or ai-stats
  --timestamp <sec>  Unix seconds (default: now)
  --timeout <sec>    give up without an answer after this long (default 30, as the sender)

Exits 1 when the answer is not a 2xx, or when there is none (refused, timed out).`,
  mock: `ai-stats-webhooks mock [options]

Starts the mock gateway (Video API + signed webhook sender) and prints its URL, API key and secret.

  --port <n>            port (default: a free one)
  --webhook-url <url>   where deliveries go for jobs created without webhook.url
  --secret <s>          signing secret (default: a fresh whsec_…)
  --api-key <k>         bearer key (default sk_mock_local)
  --time-scale <n>      gateway time runs n times faster (default 1)
  --fail-keyword <w>    prompts containing it fail (default "fail")
  --duplicate <p>       probability of duplicate deliveries (0–1)
  --reorder <p>         probability of held-back deliveries
  --drop <p>            probability of dropped deliveries
  --clock-skew <sec>    seconds added to signed timestamps
  --legacy-headers      send x-ai-stats- headers
  --seed <n>            seed of the fault dice`,
});

/**
 * The `help` command (`ai-stats-webhooks help [command]`; also `--help` and `-h`): prints the
 * tool's help, or one command's.
 *
 * @example
 * ```ts
 * await helpCommand(['send'], console.log); // prints the send options; 0
 * ```
 */
export async function helpCommand(args: string[], out: (line: string) => void): Promise<number> {
  const [topic] = args;
  if (topic === undefined) out(CLI_HELP.main);
  else if (isCommand(topic)) out(CLI_HELP[topic]);
  else if (topic === 'inbox') out(INBOX_HELP);
  else
    throw new UsageError(
      `Unknown help topic "${topic}": expected sign, send, mock or inbox. Fix: run "ai-stats-webhooks help send", for example.`,
    );
  return 0;
}

/**
 * True for the names of the commands that have their own help: sign, send and mock.
 *
 * @example
 * ```ts
 * isCommand('send'); // true
 * ```
 */
export function isCommand(name: string): name is 'sign' | 'send' | 'mock' {
  return name === 'sign' || name === 'send' || name === 'mock';
}
