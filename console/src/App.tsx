import { useMemo, useState } from "preact/hooks";
import { createApiClient } from "./api/client.js";
import { ApiContext } from "./api/context.js";
import { href, useRoute } from "./router.js";
import { session } from "./session.js";
import { CustomerPage } from "./pages/CustomerPage.js";
import { Customers } from "./pages/Customers.js";
import { Operations } from "./pages/Operations.js";
import { OrderPage } from "./pages/OrderPage.js";
import { ProductPage } from "./pages/ProductPage.js";
import { Products } from "./pages/Products.js";
import { SagaPage, Sagas } from "./pages/Sagas.js";
import { SignIn } from "./pages/SignIn.js";

const NAV = [
  ["products", "Products"],
  ["customers", "Customers"],
  ["sagas", "Sagas"],
  ["operations", "Operations"],
] as const;

const Page = ({ route }: { route: string[] }) => {
  const [section, id] = route;
  switch (section) {
    case "products":
      return id ? <ProductPage id={id} /> : <Products />;
    case "customers":
      return id ? <CustomerPage id={id} /> : <Customers />;
    case "orders":
      return id ? <OrderPage id={id} /> : <Customers />;
    case "sagas":
      return id ? <SagaPage id={id} /> : <Sagas />;
    case "operations":
      return <Operations />;
    default:
      return <Products />;
  }
};

/** The console: sign in, then pages by the location's hash, each built around what a user wants to do. */
export const App = () => {
  const [token, setToken] = useState(session.token());
  const api = useMemo(() => createApiClient(() => token), [token]);
  const route = useRoute();
  const signIn = (next: string) => {
    session.signIn(next);
    setToken(next);
  };
  const signOut = () => {
    session.signOut();
    setToken(undefined);
  };
  return (
    <ApiContext.Provider value={api}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <p class="brand">Bazaar console</p>
        {token ? (
          <nav aria-label="Main">
            <ul>
              {NAV.map(([path, label]) => (
                <li key={path}>
                  <a href={href(path)} aria-current={route[0] === path ? "page" : undefined}>
                    {label}
                  </a>
                </li>
              ))}
              <li>
                <button type="button" onClick={signOut}>
                  Sign out
                </button>
              </li>
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main">{token ? <Page route={route} /> : <SignIn onSignIn={signIn} />}</main>
    </ApiContext.Provider>
  );
};
