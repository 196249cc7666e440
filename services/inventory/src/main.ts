import { main } from "@bazaar/service-kit";
import { inventoryService } from "./inventoryService.js";

main(inventoryService);
