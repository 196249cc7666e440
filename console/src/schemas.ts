/** The request bodies the gateway enforces, bundled as they are (not re-typed). */
export {
  cancelOrderBody,
  changeAddressBody,
  changePriceBody,
  createProductBody,
  placeOrderBody,
  registerCustomerBody,
  renameProductBody,
  restockBody,
} from "../../gateway/src/openapi/commandBodies.js";

/** A number field's text as the schema should see it: empty is absent, anything else a number (NaN fails). */
export const numberOf = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));

/** Minor units as a person reads them: 1999 EUR → "19.99 EUR". */
export const formatMoney = (money: { amount: number; currency: string } | undefined) => (money ? `${(money.amount / 100).toFixed(2)} ${money.currency}` : "—");
