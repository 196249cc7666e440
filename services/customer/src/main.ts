import { main } from "@bazaar/service-kit";
import { customerService } from "./customerService.js";

main(customerService);
