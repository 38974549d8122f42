import type { EventFor, WebhookContext, WebhookHandler } from '../receiver/receiver-types';
import { invalidOption } from '../errors/invalid-option';
import type { DeliveryTrace } from '../observability/telemetry';
import { WebhookError, isWebhookError } from '../errors/webhook-error';
import { EVENT_PHASES, type WebhookEventType } from '../wire/schemas';

const KNOWN_TYPES = new Set<string>(['video', 'batch'].flatMap((kind) => EVENT_PHASES.map((p) => `${kind}.${p}`)));

const NONE: readonly WebhookHandler[] = [];

/** The handlers of one receiver, and the dispatch stage that runs them. */
export interface Dispatcher {
  on<T extends WebhookEventType>(type: T | readonly T[], handler: WebhookHandler<EventFor<T>>): void;
  onAny(handler: WebhookHandler): void;
  /** Runs the handlers for the event's type in order, then the `onAny` ones, each awaited (one span each in `trace`). */
  dispatch(context: WebhookContext, trace?: DeliveryTrace): Promise<void>;
}

/**
 * The dispatch stage (500 on throw): `on(type)` handlers in the order registered, then `onAny`
 * handlers, each awaited before the next. A throw stops the run and fails the delivery with
 * `handler_failed` (a handler's own retryable `WebhookError` keeps its code), so the claim is
 * released and the sender retries.
 *
 * @example
 * ```ts
 * const handlers = createDispatcher();
 * handlers.on('video.completed', ({ job }) => saveVideo(job));
 * await handlers.dispatch(context);
 * ```
 */
export function createDispatcher(): Dispatcher {
  const byType = new Map<string, WebhookHandler[]>();
  const any: WebhookHandler[] = [];
  return {
    on(type, handler) {
      for (const eventType of typeof type === 'string' ? [type] : type) {
        if (!KNOWN_TYPES.has(eventType)) {
          throw invalidOption('type', 'an event type such as "video.completed" in on()', JSON.stringify(eventType));
        }
        byType.set(eventType, [...(byType.get(eventType) ?? []), handler as WebhookHandler]);
      }
    },
    onAny(handler) {
      any.push(handler);
    },
    async dispatch(context, trace) {
      const typed = byType.get(context.event.type) ?? NONE;
      const count = typed.length + any.length;
      for (let i = 0; i < count; i++) {
        const handler = i < typed.length ? typed[i]! : any[i - typed.length]!;
        trace?.handler(i, handler.name);
        try {
          await handler(context);
        } catch (error) {
          throw handlerFailure(error, context);
        }
      }
    },
  };
}

// A handler's own retryable WebhookError keeps its code; anything else is handler_failed (500),
// so the sender retries: a handler failure never answers 4xx ("don't retry") and loses the event.
function handlerFailure(error: unknown, context: WebhookContext): WebhookError {
  if (isWebhookError(error) && error.retryable) return error;
  return new WebhookError(
    'handler_failed',
    `Expected the ${context.event.type} handler to succeed, found it threw; the claim was released and the sender will retry.`,
    { cause: error },
  );
}
