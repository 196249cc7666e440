import { collectViolations, type Violations } from "@bazaar/core";
import type { Address } from "./customerEvents.js";

/**
 * Pragmatic RFC 5322: a dot-atom local part (no quoted strings, no comments) and a domain of at
 * least two DNS labels. Deliverability is the mail server's business, not ours.
 */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_EMAIL = 254;
const MAX_LOCAL_PART = 64;
const POSTAL_CODE = /^[A-Za-z0-9](?:[A-Za-z0-9 -]*[A-Za-z0-9])?$/;
const COUNTRY = /^[A-Z]{2}$/;

/** Emails are unique case-insensitively: the one form that is stored, claimed and compared. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const normaliseName = (name: string): string => name.trim();

/** Surrounding white space carries no meaning in an address. */
export const normaliseAddress = (address: Address): Address => ({
  line1: address.line1.trim(),
  line2: address.line2.trim(),
  postalCode: address.postalCode.trim(),
  city: address.city.trim(),
  country: address.country.trim(),
});

export const sameAddress = (a: Address, b: Address): boolean =>
  a.line1 === b.line1 && a.line2 === b.line2 && a.postalCode === b.postalCode && a.city === b.city && a.country === b.country;

type Check = Violations["check"];

const checkName = (check: Check, raw: string) => {
  const name = normaliseName(raw);
  check(name.length > 0, "name", "must not be blank");
  check(name.length <= 200, "name", "must be at most 200 characters");
};

const checkEmail = (check: Check, raw: string) => {
  const email = normaliseEmail(raw);
  const localPart = email.slice(0, email.lastIndexOf("@"));
  check(email.length > 0, "email", "must not be blank");
  check(email.length === 0 || (EMAIL.test(email) && localPart.length <= MAX_LOCAL_PART), "email", "must be a valid email address such as ada@example.com");
  check(email.length <= MAX_EMAIL, "email", `must be at most ${MAX_EMAIL} characters`);
};

const checkAddress = (check: Check, raw: Address, prefix: string) => {
  const address = normaliseAddress(raw);
  const text = (field: keyof Address, value: string, max: number, required: boolean) => {
    if (required) check(value.length > 0, `${prefix}.${field}`, "must not be blank");
    check(value.length <= max, `${prefix}.${field}`, `must be at most ${max} characters`);
  };
  text("line1", address.line1, 200, true);
  text("line2", address.line2, 200, false);
  text("postalCode", address.postalCode, 20, true);
  check(
    address.postalCode.length === 0 || POSTAL_CODE.test(address.postalCode),
    `${prefix}.postalCode`,
    "must be letters, digits, spaces or dashes, starting and ending with a letter or digit",
  );
  text("city", address.city, 100, true);
  check(COUNTRY.test(address.country), `${prefix}.country`, "must be an ISO 3166-1 alpha-2 code in upper case, such as DE");
};

/** Checks a registration's values; every violation is reported, not just the first. */
export const validateRegistration = (registration: { name: string; email: string; address: Address }): void =>
  collectViolations(({ check }) => {
    checkName(check, registration.name);
    checkEmail(check, registration.email);
    checkAddress(check, registration.address, "address");
  });

/** Checks a new address; violations are named `address.<field>`. */
export const validateAddress = (address: Address): void => collectViolations(({ check }) => checkAddress(check, address, "address"));
