/**
 * Drops what the instance never reads from scripts and units: full-line comments (not the shebang) and blank
 * lines. The sources keep their comments; user-data has 16 KiB. Only for `scripts/` and `systemd/` files, whose
 * languages (bash, systemd) have no multi-line literal here: the infra test checks that bash parses every compacted
 * script to the same program as its source.
 */
export function compacts(source: string): boolean {
  return source.startsWith("scripts/") || source.startsWith("systemd/");
}

export function compact(content: string): string {
  const lines = content.split("\n");
  const kept = lines.filter((line, index) => {
    if (index === 0 && line.startsWith("#!")) return true;
    const trimmed = line.trim();
    return trimmed !== "" && !trimmed.startsWith("#");
  });
  return kept.join("\n") + "\n";
}
