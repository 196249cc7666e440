import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { ApiClient } from "./client.js";

export const ApiContext = createContext<ApiClient | undefined>(undefined);

/** The API client of the signed-in console (provided once, in App). */
export const useApi = (): ApiClient => {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside ApiContext");
  return api;
};
