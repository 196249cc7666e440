import type { RoleParts, ServiceParts, WriteSide } from "../serviceParts.js";

/** The command role: the context's command services over the write side (whose relay its owner stops). */
export const buildCommandRole = (parts: Pick<ServiceParts, "commands">, write: WriteSide): RoleParts => ({ services: parts.commands(write), steps: [] });
