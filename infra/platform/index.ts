// Pulumi entrypoint of the platform project: the GitHub OIDC roles and the optional state backend.
import { main } from "../src/platform/main";

export = main;
