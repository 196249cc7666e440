import { main } from "@bazaar/service-kit";
import { orderingService } from "./orderingService.js";

main(orderingService);
