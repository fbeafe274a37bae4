/** `{{name}}` placeholders of cloud-init templates (docs/contracts.md). */
export const PLACEHOLDERS = [
  "stack",
  "region",
  "data_volume_id",
  "data_device_name",
  "mount_point",
  "backup_bucket",
  "backup_prefix",
  "backup_interval_minutes",
  "openclaw_image",
  "ssm_env_parameter",
  "log_group_prefix",
  "auto_approve_devices",
  "persistence",
  "gateway_port",
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

export function checkPlaceholders(text: string, where: string): void {
  const unknown = placeholdersIn(text).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new TemplateError(
      `${where}: unknown placeholder ${unknown.map((n) => `{{${n}}}`).join(", ")}; accepted: ${PLACEHOLDERS.join(", ")}`,
    );
  }
}

/** Fills a template whose placeholders `checkPlaceholders` has accepted. */
export function fill(text: string, values: PlaceholderValues, where: string): string {
  return text.replace(PLACEHOLDER, (_, name: Placeholder) => {
    const value = values[name];
    if (value === undefined || value === "") throw new TemplateError(`${where}: placeholder {{${name}}} has no value`);
    return value;
  });
}
