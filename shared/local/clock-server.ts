import { createServer, type Server } from 'node:http';
import { formatThaiDateTime } from '#domain/thai-date';
import { clockTarget, type LocalClock } from './clock.ts';
import type { LocalScheduler } from './local-scheduler.ts';

export type ClockMove = { from: string; to: string; fired: { at: string; atTh: string; name: string }[] };

/**
 * The local-only admin endpoint `npm run clock` talks to: `GET /_local/clock` reads the clock,
 * `POST /_local/clock` with `{ "command": "set" | "advance", "value": "…" }` moves it and fires
 * what falls due. It listens on 127.0.0.1 only and is never part of the deployed API.
 */
export const createClockServer = (clock: LocalClock, scheduler: LocalScheduler): Server => {
  let moving: Promise<unknown> = Promise.resolve();
  return createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/_local/clock')
      return reply(404, { error: 'not found' });
    if (req.method === 'GET')
      return reply(200, { now: clock.now().toISOString(), nowTh: formatThaiDateTime(clock.now()) });
    if (req.method !== 'POST') return reply(405, { error: 'use GET or POST' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const { command, value } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        command: string;
        value: string;
      };
      // One move at a time: two overlapping moves would fire schedules out of order.
      const move = moving.then(async (): Promise<ClockMove> => {
        const from = clock.now();
        const to = clockTarget(from, command, value);
        const fired = await scheduler.advanceTo(to);
        return {
          from: from.toISOString(),
          to: to.toISOString(),
          fired: fired.map((f) => ({ at: f.at.toISOString(), atTh: formatThaiDateTime(f.at), name: f.name })),
        };
      });
      moving = move.catch(() => undefined);
      reply(200, await move);
    } catch (error) {
      reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
};
