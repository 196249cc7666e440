import { createCassandraClaims, withClaim, type CommandContext, type UniqueClaims } from "@bazaar/event-store";
import { commandHandlerFor, type WriteSide } from "@bazaar/service-kit";
import type { ChangeCustomerAddress, RegisterCustomer } from "../domain/customerCommands.js";
import { customerDecider } from "../domain/customerDecider.js";
import { normaliseEmail, validateRegistration } from "../domain/customerRules.js";
import { customerStreamId } from "../domain/customerStream.js";
import { decodeCustomerEvent } from "../events/customerIntegrationEvents.js";

/** Bump when CustomerState changes shape: older snapshots are then ignored. */
const CUSTOMER_SNAPSHOT_SCHEMA = 1;

/** The claim table that keeps emails unique across customers (in the customer keyspace). */
export const EMAIL_CLAIMS_TABLE = "email_claims";

type Deps = Pick<WriteSide, "eventStore" | "append" | "snapshots" | "snapshotEvery" | "onSnapshotError"> & { claims: UniqueClaims };

/**
 * Runs customer commands: state from snapshot + events, appends through the reliable publisher;
 * a registration holds its email's claim, so no two customers share an email.
 */
export const createCustomerCommandHandler = (deps: Deps) => {
  const handle = commandHandlerFor(deps, customerDecider, decodeCustomerEvent, {
    snapshotSchema: CUSTOMER_SNAPSHOT_SCHEMA,
    startsStream: (command) => command.type === "RegisterCustomer",
  });

  return {
    async register(command: RegisterCustomer, context: CommandContext) {
      // Bad input is refused before the claim: it must not even briefly hold an email.
      validateRegistration(command.data);
      const { customerId, email } = command.data;
      return withClaim(deps.claims, { value: normaliseEmail(email), owner: customerId, what: "email" }, () =>
        handle(customerStreamId(customerId), command, context),
      );
    },

    /**
     * `context.expectedVersion` (undefined = any): the shared handler compares it with the version
     * it loaded and appends at that version, so the check and the write cannot drift apart.
     */
    async changeAddress(command: ChangeCustomerAddress, context: CommandContext) {
      return handle(customerStreamId(command.data.customerId), command, context);
    },
  };
};

/** The handler with its email claims in the customer keyspace (the command role's wiring). */
export const createCustomerCommandHandlerFor = (write: WriteSide) =>
  createCustomerCommandHandler({ ...write, claims: createCassandraClaims(write.cassandra, write.keyspace, EMAIL_CLAIMS_TABLE) });

export type CustomerCommandHandler = ReturnType<typeof createCustomerCommandHandler>;
