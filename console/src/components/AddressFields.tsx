import { Field } from "./Field.js";
import type { FieldErrors } from "../api/problem.js";
import type { Address } from "../views.js";

export const EMPTY_ADDRESS: Address = { line1: "", line2: "", postalCode: "", city: "", country: "" };

/** The address fields of a task, named `address.*` as the schema and the server name them. */
export const AddressFields = ({ value, onChange, errors }: { value: Address; onChange: (address: Address) => void; errors: FieldErrors }) => {
  const set = (key: keyof Address) => (text: string) => onChange({ ...value, [key]: text });
  return (
    <fieldset>
      <legend>Address</legend>
      <Field name="address.line1" label="Street and number" value={value.line1} onInput={set("line1")} error={errors["address.line1"]} />
      <Field name="address.line2" label="Address line 2" value={value.line2} onInput={set("line2")} error={errors["address.line2"]} />
      <Field name="address.postalCode" label="Postal code" value={value.postalCode} onInput={set("postalCode")} error={errors["address.postalCode"]} />
      <Field name="address.city" label="City" value={value.city} onInput={set("city")} error={errors["address.city"]} />
      <Field name="address.country" label="Country (ISO code, e.g. DE)" value={value.country} onInput={set("country")} error={errors["address.country"]} />
    </fieldset>
  );
};
