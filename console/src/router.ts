import { useEffect, useState } from "preact/hooks";

/** The page the location's hash names: `#/products/<id>` → ["products", "<id>"]. */
const routeOf = (hash: string) => hash.replace(/^#\/?/, "").split("?")[0]!.split("/").filter(Boolean).map(decodeURIComponent);

export const useRoute = (): string[] => {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const update = () => setRoute(routeOf(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
};

export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join("/")}`;

export const navigate = (...parts: string[]) => {
  location.hash = href(...parts);
};
