import { randomUUID } from "node:crypto";
import {
  InventoryCommandServiceService,
  ReservationStatus,
  type InventoryCommandServiceServer,
  type ReleaseRequest,
  type ReserveRequest,
  type RestockRequest,
} from "@bazaar/contracts/inventory/v1";
import { eventMetadataFrom, unary, type GrpcService, type Logger } from "@bazaar/runtime";
import type { Inventory, ReservationOutcome } from "../application/reservations.js";

const statusOf: Record<ReservationOutcome["status"], ReservationStatus> = {
  none: ReservationStatus.RESERVATION_STATUS_UNSPECIFIED,
  pending: ReservationStatus.RESERVATION_STATUS_UNSPECIFIED,
  reserved: ReservationStatus.RESERVATION_STATUS_RESERVED,
  rejected: ReservationStatus.RESERVATION_STATUS_REJECTED,
  released: ReservationStatus.RESERVATION_STATUS_RELEASED,
};

/** The inventory's write API over gRPC; typed errors become status codes once, in `unary`. */
export const createInventoryCommandService = (deps: { inventory: Inventory; logger: Logger }): GrpcService => {
  const implementation: InventoryCommandServiceServer = {
    restock: unary(deps.logger, async (request: RestockRequest, metadata) => ({
      position: await deps.inventory.restock(request.productId, request.quantity, eventMetadataFrom(metadata, randomUUID())),
    })),
    reserve: unary(deps.logger, async (request: ReserveRequest, metadata) => {
      const outcome = await deps.inventory.reserve(request.orderId, request.lines, eventMetadataFrom(metadata, randomUUID()));
      return { status: statusOf[outcome.status], reason: outcome.reason, shortProductIds: outcome.shortProductIds, position: outcome.position };
    }),
    release: unary(deps.logger, async (request: ReleaseRequest, metadata) => {
      const outcome = await deps.inventory.release(request.orderId, eventMetadataFrom(metadata, randomUUID()));
      return { status: statusOf[outcome.status], position: outcome.position };
    }),
  };
  return { name: "bazaar.inventory.v1.InventoryCommandService", definition: InventoryCommandServiceService, implementation };
};
