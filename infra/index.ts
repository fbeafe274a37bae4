// Pulumi entrypoint: Pulumi calls the exported function and uses what it resolves to as stack outputs.
import { main } from "./src/main";

export = main;
