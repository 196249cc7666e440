import { main } from "@bazaar/service-kit";
import { catalogService } from "./catalogService.js";

main(catalogService);
