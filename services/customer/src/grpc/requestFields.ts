import { ValidationError, type FieldViolation } from "@bazaar/core";
import type { Address as AddressMessage } from "@bazaar/contracts/customer/v1";
import type { Address } from "../domain/customerEvents.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the wire format cannot say itself (ids, presence of messages), checked at the edge. */
export const edgeChecks = () => {
  const violations: FieldViolation[] = [];
  return {
    uuid(value: string, field: string): string {
      if (!UUID.test(value)) violations.push({ field, message: "must be a UUID" });
      // One spelling per id: the stream, the claim owner and the document id all use it.
      return value.toLowerCase();
    },
    /** The address, or a blank stand-in once its absence is recorded (done() then throws). */
    address(message: AddressMessage | undefined): Address {
      if (!message) {
        violations.push({ field: "address", message: "is required" });
        return { line1: "", line2: "", postalCode: "", city: "", country: "" };
      }
      return { line1: message.line1, line2: message.line2, postalCode: message.postalCode, city: message.city, country: message.country };
    },
    check(ok: boolean, field: string, message: string) {
      if (!ok) violations.push({ field, message });
    },
    /** Throws every violation seen so far. */
    done(): void {
      if (violations.length > 0) throw new ValidationError(violations);
    },
  };
};
