import type { Metadata } from "@grpc/grpc-js";
import type { Response } from "express";
import { z } from "zod";
import type { Position } from "../http/consistencyTokens.js";
import { contextOf } from "../http/requestContext.js";
import { resourceIdFor } from "../edge/resourceIds.js";
import type { Scope } from "../edge/tokens.js";
import { defineRoute, type HandlerInput, type Reply, type Route } from "../openapi/defineRoute.js";
import { downstreamProblems, problems } from "../openapi/problems.js";
import { CommandAccepted, ifMatch } from "../openapi/schemas.js";
import { idParams, tokenHeader, TOKEN_HEADER_DOC, type RouteDeps } from "./routeDeps.js";

/**
 * The two shapes of command the REST API has (DESIGN §5), each declared once: `POST /v1/<things>`
 * creates one under an id the gateway chose (201, Location), `POST /v1/<things>/{id}/<change>`
 * changes one, `If-Match` being the version it expects. Both answer the aggregate's id and new
 * version with the consistency token of that position.
 */

/** What a command route's call of its context answers: where the aggregate's stream now stands. */
interface Moved {
  position?: Position | undefined;
}

/** What every command route declares about itself. */
interface CommandSpec {
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  scopes: readonly Scope[];
}

/** The operation a command route is, as the document lists it. */
const operationOf = (spec: CommandSpec) => ({
  method: "post" as const,
  path: spec.path,
  operationId: spec.operationId,
  summary: spec.summary,
  tag: spec.tag,
  scopes: spec.scopes,
});

/** A command's answer: the aggregate's id and version after it, and the token of that position. */
export const commandAnswer = (deps: Pick<RouteDeps, "tokens">, res: Response, id: string, position: Position | undefined): Reply => ({
  status: 200,
  headers: tokenHeader(deps.tokens, res, position),
  body: { id, version: position?.version ?? 0 },
});

/** `POST {path}`: creates an aggregate under the id the gateway chose for the request (a retry chooses the same one). */
export const createCommandRoute = <B extends z.ZodType>(
  deps: Pick<RouteDeps, "tokens">,
  spec: CommandSpec & {
    body: B;
    /** The 201's description ("Created"). */
    answered: string;
    /** The Location header's description ("The new product"). */
    located: string;
    /** Asks the context to create it: the id it created and its position. */
    create(id: string, body: HandlerInput<undefined, undefined, B, undefined>["body"], metadata: Metadata): Promise<Moved & { id: string }>;
  },
): Route =>
  defineRoute({
    ...operationOf(spec),
    body: spec.body,
    responses: {
      201: { description: spec.answered, schema: CommandAccepted, headers: { Location: { description: spec.located }, ...TOKEN_HEADER_DOC } },
      ...problems(409),
      ...downstreamProblems,
    },
    async handler({ body, req, res }) {
      const created = await spec.create(resourceIdFor(req, res), body, contextOf(req, res).metadata);
      const answer = commandAnswer(deps, res, created.id, created.position);
      return { ...answer, status: 201, headers: { Location: `${spec.path}/${created.id}`, ...answer.headers } };
    },
  });

/** `If-Match`: the version a change expects the aggregate at. */
export const changeHeaders = z.object({ "If-Match": ifMatch.optional() });

type ChangeInput<B> = HandlerInput<typeof idParams, undefined, B, typeof changeHeaders>;

/** `POST {path}` with `{id}` in it: changes that aggregate if it is still at the `If-Match` version (any version without one). */
export const changeCommandRoute = <B extends z.ZodType | undefined = undefined>(
  deps: Pick<RouteDeps, "tokens">,
  spec: CommandSpec & {
    body?: B;
    /** The 200's description ("Changed"). */
    answered: string;
    /** The problems it answers besides a downstream's (404, 409, and 403 where ownership is checked). */
    refusals: readonly number[];
    authorizeInput?: (input: ChangeInput<B>) => void;
    /** Asks the context to change it; `expectedVersion` 0 is any version. */
    change(input: { id: string; expectedVersion: number; body: ChangeInput<B>["body"] }, metadata: Metadata): Promise<Moved>;
  },
): Route =>
  defineRoute({
    ...operationOf(spec),
    params: idParams,
    ...(spec.authorizeInput ? { authorizeInput: spec.authorizeInput } : {}),
    headers: changeHeaders,
    body: spec.body,
    responses: {
      200: { description: spec.answered, schema: CommandAccepted, headers: TOKEN_HEADER_DOC },
      ...problems(...spec.refusals),
      ...downstreamProblems,
    },
    async handler({ params, headers, body, req, res }) {
      const { position } = await spec.change({ id: params.id, expectedVersion: headers["If-Match"] ?? 0, body }, contextOf(req, res).metadata);
      return commandAnswer(deps, res, params.id, position);
    },
  });
