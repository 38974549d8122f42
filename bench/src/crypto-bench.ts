import { createHmac, timingSafeEqual } from 'node:crypto';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { verifySignature } from '@ai-stats-webhooks/core';
import { compare, type CaseResult } from './harness.js';
import { SECRET, bodyOfSize, signedHeaders } from './deliveries.js';

export interface CryptoResults {
  verifyBySize: { size: string; results: CaseResult[] }[];
  verifyAndParse: CaseResult[];
}

const SIZES: [string, number][] = [
  ['1 KB', 1024],
  ['4 KB', 4096],
  ['64 KB', 65536],
  ['1 MB', 1024 * 1024],
];

/** verifySignature against raw createHmac + timingSafeEqual, and verify + parse against peers. */
export async function cryptoBench(quick: boolean): Promise<CryptoResults> {
  const timing = { rounds: quick ? 3 : 9, roundMs: quick ? 60 : 150, warmupMs: quick ? 150 : 400 };
  const timestamp = String(Math.floor(Date.now() / 1000));
  const verifyBySize: CryptoResults['verifyBySize'] = [];
  for (const [label, size] of SIZES) {
    const body = Buffer.from(bodyOfSize(size));
    const headers = signedHeaders(timestamp, body);
    const expected = headers['x-phaseo-signature']!;
    const results = await compare(
      [
        {
          name: 'raw createHmac + timingSafeEqual',
          run: () =>
            timingSafeEqual(
              createHmac('sha256', SECRET).update(`${timestamp}.`).update(body).digest(),
              Buffer.from(expected, 'hex'),
            ),
        },
        { name: 'verifySignature', run: () => verifySignature({ rawBody: body, headers, secret: SECRET }) },
      ],
      timing,
    );
    verifyBySize.push({ size: label, results });
  }

  // verify + parse at 1 KB, against the peers, each in its own wire format. Every case starts from
  // the bytes as an HTTP server hands them over (a Buffer); octokit takes only a string, so its
  // case decodes once and uses that string for both the HMAC and JSON.parse.
  const text = bodyOfSize(1024);
  const buffer = Buffer.from(text);
  const ours = signedHeaders(timestamp, buffer);
  const oursSig = ours['x-phaseo-signature']!;
  const github = `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}`;
  const stripe = new Stripe('sk_test_bench');
  const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload: text, secret: SECRET });
  const svixSecret = `whsec_${Buffer.from('bench-secret-bench-secret-32byte').toString('base64')}`;
  const svix = new SvixWebhook(svixSecret);
  const svixHeaders = {
    'svix-id': 'msg_bench',
    'svix-timestamp': timestamp,
    'svix-signature': svix.sign('msg_bench', new Date(Number(timestamp) * 1000), text),
  };
  const standard = new StandardWebhook(svixSecret);
  const standardHeaders = {
    'webhook-id': 'msg_bench',
    'webhook-timestamp': timestamp,
    'webhook-signature': standard.sign('msg_bench', new Date(Number(timestamp) * 1000), text),
  };
  const verifyAndParse = await compare(
    [
      {
        name: 'raw HMAC + tolerance + JSON.parse',
        run: () => {
          if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) throw new Error('stale');
          const mac = createHmac('sha256', SECRET).update(`${timestamp}.`).update(buffer).digest();
          if (!timingSafeEqual(mac, Buffer.from(oursSig, 'hex'))) throw new Error('bad');
          return JSON.parse(buffer.toString('utf8'));
        },
      },
      {
        name: 'ai-stats-webhooks verifySignature + JSON.parse',
        run: async () => {
          await verifySignature({ rawBody: buffer, headers: ours, secret: SECRET });
          return JSON.parse(buffer.toString('utf8'));
        },
      },
      {
        name: '@octokit/webhooks-methods verify + JSON.parse',
        run: async () => {
          const body = buffer.toString('utf8');
          if (!(await octokitVerify(SECRET, body, github))) throw new Error('bad');
          return JSON.parse(body);
        },
      },
      {
        name: 'stripe webhooks.constructEvent',
        run: () => stripe.webhooks.constructEvent(buffer, stripeHeader, SECRET),
      },
      { name: 'svix Webhook.verify', run: () => svix.verify(buffer, svixHeaders) },
      { name: 'standardwebhooks Webhook.verify', run: () => standard.verify(buffer, standardHeaders) },
    ],
    timing,
  );
  return { verifyBySize, verifyAndParse };
}
