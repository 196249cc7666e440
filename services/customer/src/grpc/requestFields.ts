import { createViolations } from "@bazaar/core";
import type { Address as AddressMessage } from "@bazaar/contracts/customer/v1";
import type { Address } from "../domain/customerEvents.js";

/** What the wire format cannot say itself (ids, presence of messages), checked at the edge. */
export const edgeChecks = () => {
  const violations = createViolations();
  return {
    ...violations,
    /** The address, or a blank stand-in once its absence is recorded (throwIfAny() then throws). */
    address(message: AddressMessage | undefined): Address {
      if (!message) {
        violations.add("address", "is required");
        return { line1: "", line2: "", postalCode: "", city: "", country: "" };
      }
      return { line1: message.line1, line2: message.line2, postalCode: message.postalCode, city: message.city, country: message.country };
    },
  };
};
