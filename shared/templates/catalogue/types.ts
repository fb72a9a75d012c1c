/** The shape of a variable catalogue entry. */
export type VariableType = 'string' | 'number' | 'boolean' | 'money' | 'url' | 'datetime' | 'list';

export type VariableSpec = {
  /** Dotted path as written in a template, e.g. `buyer.name`. */
  path: string;
  type: VariableType;
  description: string;
  /** A typical value, used for previews and the defaults' tests. */
  sample: unknown;
  /** The longest realistic value, used by the segment-budget lint. Defaults to `sample`. */
  longest?: unknown;
  /** For `list` variables: the fields of each element, e.g. `title` of `order.items`. */
  item?: Omit<VariableSpec, 'item'>[];
};
