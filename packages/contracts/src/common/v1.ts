/** bazaar.common.v1: types shared by every context's contracts. */
export * from "../gen/bazaar/common/v1/consistency.js";
export * from "../gen/bazaar/common/v1/money.js";
