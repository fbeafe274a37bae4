import * as pulumi from "@pulumi/pulumi";

/** The resource options that matter for a preview review; mocks never see options, so they are recorded here. */
export interface RecordedOptions {
  deleteBeforeReplace?: boolean;
  dependsOn?: string[];
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  protect?: boolean;
  retainOnDelete?: boolean;
  import?: string;
}

export const resourceKey = (type: string, name: string) => `${type}::${name}`;

/** A stack transformation that sees every resource's options as the program passed them. */
export class OptionsRecorder {
  private readonly keys = new Map<pulumi.Resource, string>();
  private readonly options = new Map<string, pulumi.CustomResourceOptions>();

  readonly transformation: pulumi.ResourceTransformation = (args) => {
    const key = resourceKey(args.type, args.name);
    this.keys.set(args.resource, key);
    this.options.set(key, args.opts as pulumi.CustomResourceOptions);
    return undefined;
  };

  optionsOf(key: string): RecordedOptions {
    const opts = this.options.get(key);
    if (!opts) return {};
    const recorded: RecordedOptions = {
      deleteBeforeReplace: opts.deleteBeforeReplace,
      dependsOn: this.dependencyNames(key, opts.dependsOn),
      ignoreChanges: opts.ignoreChanges?.length ? [...opts.ignoreChanges] : undefined,
      replaceOnChanges: opts.replaceOnChanges?.length ? [...opts.replaceOnChanges] : undefined,
      protect: opts.protect,
      retainOnDelete: opts.retainOnDelete,
      import: opts.import,
    };
    return Object.fromEntries(Object.entries(recorded).filter(([, v]) => v !== undefined)) as RecordedOptions;
  }

  private dependencyNames(key: string, dependsOn: pulumi.CustomResourceOptions["dependsOn"]): string[] | undefined {
    if (dependsOn === undefined) return undefined;
    const list = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
    if (list.length === 0) return undefined;
    return list
      .map((dependency) => {
        const name = pulumi.Resource.isInstance(dependency) ? this.keys.get(dependency) : undefined;
        if (!name) throw new Error(`${key}: dependsOn must list resources of this program directly`);
        return name;
      })
      .sort();
  }
}
