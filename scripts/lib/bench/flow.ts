/**
 * Whole sign-ins against a real Hydra (v2.3.0, in-memory database), sequentially: the relying
 * party (openid-client) → Hydra → our login form → Hydra → our consent form → Hydra → the code
 * exchange. Our functions run in this process behind the thin API Gateway adapter (their
 * bundles, as deployed), so serverless offline's overhead is not counted; users are in dynalite.
 *
 * The floor, in the same run, against the same Hydra: the same flow where a harness in place of
 * our functions accepts login and consent straight through Hydra's admin API, with no login app
 * in between. The two alternate in blocks, so the machine's noise falls on both alike.
 *
 * Hydra admin calls and DynamoDB requests are counted per step from Node's diagnostics channels
 * (fetch's `undici:request:create`, node:http's `http.client.request.start`): nothing is wrapped.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import type {
  AcceptOAuth2ConsentRequest,
  AcceptOAuth2LoginRequest,
  OAuth2RedirectTo,
} from '@ory/hydra-client';
import { idTokenClaims, loginContext } from '../../../shared/flows/claims';
import type { User } from '../../../shared/users/types';
import { signInOverHttp, type FlowStep } from '../http-flow';
import { Stops } from '../processes';
import { startStack } from '../stack';
import { operationOf as dynamoOperation } from '../stubs/dynamo';
import { operationOf as hydraOperation } from '../stubs/hydra-admin';
import { count, type CallCounts } from '../stubs/reply';
import type { BenchBuild } from './build';
import { BENCH_EMAIL, BENCH_PASSWORD, BENCH_SCOPES } from './fixtures';
import { watchModules } from './module-hook';
import { summarize, type Summary } from '../stats';

export interface StepCalls {
  hydra: CallCounts;
  dynamo: CallCounts;
}

export interface FlowMeasure {
  /** The Hydra the flows ran through (HYDRA_VERSION, v26.2.0 by default). */
  hydraVersion: string;
  flows: number;
  ours: Summary;
  /** Each flow minus the time spent inside argon2 during it (measured in the same flow). */
  oursWithoutHashing: Summary;
  hashing: Summary;
  floor: Summary;
  /** The browser's time per exchange with our functions (ours only). */
  steps: Record<string, Summary>;
  /** Handler time per invocation, by function (what Lambda would bill, locally). */
  invocations: Record<string, Summary>;
  /** Calls per flow, by step (averaged over the flows). */
  calls: Record<string, StepCalls>;
  floorCalls: Record<string, StepCalls>;
  /** New TCP connections our functions opened during the measured flows (keep-alive reuse). */
  connections: { hydraAdmin: number; dynamo: number };
  /** Length of Hydra's login challenge (stateless flows carry it all). */
  challengeLength: number;
}

function average(samples: CallCounts[]): CallCounts {
  const totals: CallCounts = {};
  for (const sample of samples) {
    for (const [name, value] of Object.entries(sample)) totals[name] = (totals[name] ?? 0) + value;
  }
  return Object.fromEntries(
    Object.entries(totals).map(([name, total]) => [name, total / Math.max(1, samples.length)]),
  );
}

async function accept<T>(adminUrl: string, kind: 'login' | 'consent', challenge: string, body: T) {
  const response = await fetch(
    `${adminUrl}/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${encodeURIComponent(challenge)}`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    },
  );
  const answer = (await response.json()) as OAuth2RedirectTo;
  if (response.status !== 200) throw new Error(`accept ${kind}: HTTP ${response.status}`);
  return answer.redirect_to;
}

/** The floor's stand-in for our functions: accept at once, redirect on. */
function floorListener(adminUrl: string, user: User): RequestListener {
  const context = loginContext(user, []);
  return (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      let to: string;
      if (url.pathname === '/login') {
        const body: AcceptOAuth2LoginRequest = {
          subject: user.id,
          remember: false,
          remember_for: 0,
          amr: ['pwd'],
          context,
        };
        to = await accept(adminUrl, 'login', url.searchParams.get('login_challenge') ?? '', body);
      } else if (url.pathname === '/consent') {
        const body: AcceptOAuth2ConsentRequest = {
          grant_scope: BENCH_SCOPES,
          grant_access_token_audience: [],
          remember: false,
          session: { id_token: idTokenClaims(context, BENCH_SCOPES), access_token: {} },
        };
        to = await accept(
          adminUrl,
          'consent',
          url.searchParams.get('consent_challenge') ?? '',
          body,
        );
      } else {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(303, { location: to }).end();
    })().catch((error: Error) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
    });
  };
}

export async function measureFlows(options: {
  build: BenchBuild;
  scratch: string;
  flows: number;
  warmup: number;
  block: number;
  progress: (message: string) => void;
}): Promise<FlowMeasure> {
  const stops = new Stops();
  try {
    let mode: 'ours' | 'floor' = 'ours';
    let measuring = false;
    // Set once the bench user exists (the floor accepts as that user).
    const floor: { listener?: RequestListener } = {};
    const invocations: Record<string, number[]> = {};
    const stack = await startStack(
      {
        logDir: options.scratch,
        functions: {
          via: 'in-process',
          bundles: options.build.functions,
          onInvoke: ({ name, ms }) => {
            if (measuring && mode === 'ours') (invocations[name] ??= []).push(ms);
          },
          around: (ours) => (request, response) =>
            (mode === 'ours' ? ours : (floor.listener ?? ours))(request, response),
        },
        // The audit lines would go to this terminal: warnings and errors only.
        functionEnv: { LOG_LEVEL: 'warn' },
        relyingParty: { id: 'bench', name: 'Bench App' },
      },
      stops,
    );
    const { appUrl, hydraAdminUrl, relyingParty } = stack;
    if (!relyingParty) throw new Error('no relying party');
    const user = await stack.users.create({
      email: BENCH_EMAIL,
      password: BENCH_PASSWORD,
      profile: { name: 'Bench User', given_name: 'Bench', email_verified: true, locale: 'en' },
    });
    floor.listener = floorListener(hydraAdminUrl, user);
    const watch = watchModules('real');
    stops.add(() => watch.restore());

    // Calls as they happen, attributed to the exchange the browser is in.
    let hydraCalls: CallCounts = {};
    let dynamoCalls: CallCounts = {};
    const dynamoHost = new URL(stack.dynamoEndpoint).host;
    const onFetch = (message: unknown) => {
      const { request } = message as { request: { origin: string; method: string; path: string } };
      if (request.origin === hydraAdminUrl) {
        count(hydraCalls, hydraOperation(request.method, new URL(request.path, hydraAdminUrl)));
      }
    };
    const adminHost = new URL(hydraAdminUrl).host;
    const onHttp = (message: unknown) => {
      const { request } = message as { request: ClientRequest };
      // Our functions call Hydra over node:http; the floor's harness over fetch (above).
      if (request.getHeader('host') === adminHost) {
        count(hydraCalls, hydraOperation(request.method, new URL(request.path, hydraAdminUrl)));
      }
      if (request.getHeader('host') === dynamoHost) {
        count(dynamoCalls, dynamoOperation(String(request.getHeader('x-amz-target') ?? '')));
      }
    };
    const connections = { hydraAdmin: 0, dynamo: 0 };
    const onSocket = (message: unknown) => {
      const { socket } = message as { socket: Socket };
      if (!measuring || mode !== 'ours') return;
      socket.once('connect', () => {
        const host = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
        if (host === adminHost) connections.hydraAdmin += 1;
        if (host === dynamoHost) connections.dynamo += 1;
      });
    };
    subscribe('undici:request:create', onFetch);
    subscribe('http.client.request.start', onHttp);
    subscribe('net.client.socket', onSocket);
    stops.add(() => {
      unsubscribe('undici:request:create', onFetch);
      unsubscribe('http.client.request.start', onHttp);
      unsubscribe('net.client.socket', onSocket);
    });

    const { rp, redirectUri } = relyingParty;

    const times = { ours: [] as number[], floor: [] as number[], hashing: [] as number[] };
    const steps: Record<string, number[]> = {};
    const calls = {
      ours: {} as Record<string, StepCalls[]>,
      floor: {} as Record<string, StepCalls[]>,
    };
    let challengeLength = 0;
    const onStep = (step: FlowStep) => {
      const url = new URL(step.url);
      challengeLength ||= url.searchParams.get('login_challenge')?.length ?? 0;
      if (url.origin === appUrl && measuring) {
        const name = `${step.method} ${url.pathname}`;
        if (mode === 'ours') (steps[name] ??= []).push(step.ms);
        (calls[mode][name] ??= []).push({ hydra: hydraCalls, dynamo: dynamoCalls });
      }
      hydraCalls = {};
      dynamoCalls = {};
    };
    const signIn = async () => {
      const hashedBefore = watch.hashMs;
      const started = performance.now();
      const tokens = await signInOverHttp(rp, {
        appUrl,
        redirectUri,
        identifier: BENCH_EMAIL,
        password: BENCH_PASSWORD,
        onStep,
      });
      const elapsed = performance.now() - started;
      if (!tokens.id_token) throw new Error('no ID token');
      return { elapsed, hashed: watch.hashMs - hashedBefore };
    };

    for (let index = 0; index < options.warmup; index += 1) {
      for (const next of ['ours', 'floor'] as const) {
        mode = next;
        await signIn();
      }
    }
    measuring = true;
    while (times.ours.length < options.flows || times.floor.length < options.flows) {
      for (const next of ['ours', 'floor'] as const) {
        mode = next;
        for (
          let index = 0;
          index < options.block && times[next].length < options.flows;
          index += 1
        ) {
          const { elapsed, hashed } = await signIn();
          times[next].push(elapsed);
          if (next === 'ours') times.hashing.push(hashed);
        }
      }
      options.progress(
        `flows: ${times.ours.length} + ${times.floor.length} of ${options.flows} each`,
      );
    }
    measuring = false;

    const callsByStep = (samples: Record<string, StepCalls[]>) =>
      Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [
          name,
          {
            hydra: average(list.map((entry) => entry.hydra)),
            dynamo: average(list.map((entry) => entry.dynamo)),
          },
        ]),
      );
    return {
      flows: options.flows,
      ours: summarize(times.ours),
      oursWithoutHashing: summarize(
        times.ours.map((ms, index) => ms - (times.hashing[index] ?? 0)),
      ),
      hashing: summarize(times.hashing),
      floor: summarize(times.floor),
      steps: Object.fromEntries(
        Object.entries(steps).map(([name, list]) => [name, summarize(list)]),
      ),
      invocations: Object.fromEntries(
        Object.entries(invocations).map(([name, list]) => [name, summarize(list)]),
      ),
      calls: callsByStep(calls.ours),
      floorCalls: callsByStep(calls.floor),
      connections,
      challengeLength,
      hydraVersion: stack.hydraVersion ?? 'unknown',
    };
  } finally {
    await stops.stopAll();
  }
}
